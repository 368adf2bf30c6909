import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('alert-job-not-scraped', docs);

/**
 * Cases after prometheus-operator pkg/prometheus/promcfg.go: a ServiceMonitor's targets get job = the Service's name
 * (or its jobLabel label's value), a PodMonitor's <namespace>/<name> (or the pods' jobLabel label); relabelings of
 * job come after; a scrape config's targets get its job_name.
 */
const labels = { app: 'planner' };
const deployment: Doc = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'planner', namespace: 'ops' },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels: { ...labels, team: 'planning' } }, spec: { containers: [{ name: 'planner', image: 'quay.io/acme/planner:3' }] } },
  },
};
const service = (name: string, extra: Record<string, string> = {}): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ops', labels: { ...labels, ...extra } },
  spec: { selector: labels, ports: [{ name: 'metrics', port: 9000 }] },
});
const serviceMonitor = (spec: Doc = {}): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'planner', namespace: 'ops' },
  spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'metrics' }], ...spec },
});
const podMonitor = (spec: Doc = {}): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'planner-pods', namespace: 'ops' },
  spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port: 'metrics' }], ...spec },
});
const rule = (expr: string): Doc => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'planner', namespace: 'ops' },
  spec: {
    groups: [
      {
        name: 'planner',
        rules: [
          { record: 'x:y', expr: 'sum(up{job="planner"})' },
          { alert: 'PlannerDown', expr },
        ],
      },
    ],
  },
});

describe('alert-job-not-scraped', () => {
  test('a ServiceMonitor of the tree scrapes the app as the Service name: an error naming the job it gives', () => {
    expect(found([deployment, service('planner-metrics-svc'), serviceMonitor(), rule('up{job="planner"} == 0')])).toEqual([
      `error PrometheusRule/ops/planner: spec.groups[0].rules[1] (alert PlannerDown) selects job="planner", which no scrape of the tree produces: ServiceMonitor/ops/planner scrapes Service 'planner-metrics-svc' as job 'planner-metrics-svc' (a ServiceMonitor's job is the Service's name, or its spec.jobLabel label's value; a PodMonitor's is <namespace>/<name>; a relabeling of job overrides both): the expression returns no series and the alert never fires; select the job the scrape gives (or set spec.jobLabel, or a relabeling of job, to give it that name)`,
    ]);
  });

  test('a PodMonitor gives <namespace>/<name>', () => {
    expect(found([deployment, podMonitor(), rule('rate(errors_total{job="planner"}[5m]) > 1')])).toEqual([
      expect.stringMatching(
        /^error .*selects job="planner", which no scrape of the tree produces: PodMonitor\/ops\/planner-pods scrapes Deployment\/ops\/planner as job 'ops\/planner-pods'/,
      ),
    ]);
    expect(found([deployment, podMonitor(), rule('up{job="ops/planner-pods"} == 0')])).toEqual([]);
    // jobLabel: the pods' label value
    expect(found([deployment, podMonitor({ jobLabel: 'team' }), rule('up{job="planning"} == 0')])).toEqual([]);
  });

  test('jobLabel and a literal relabeling of job give the name the alert selects: silent', () => {
    expect(
      found([deployment, service('planner-metrics-svc', { component: 'planner' }), serviceMonitor({ jobLabel: 'component' }), rule('up{job="planner"} == 0')]),
    ).toEqual([]);
    const relabelled = serviceMonitor({ endpoints: [{ port: 'metrics', relabelings: [{ targetLabel: 'job', replacement: 'planner' }] }] });
    expect(found([deployment, service('planner-metrics-svc'), relabelled, rule('up{job="planner"} == 0')])).toEqual([]);
    // a relabeling from a source label may give any job: not judged
    const copied = serviceMonitor({
      endpoints: [{ port: 'metrics', relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_app'], targetLabel: 'job' }] }],
    });
    expect(found([deployment, service('planner-metrics-svc'), copied, rule('up{job="planner"} == 0')])).toEqual([]);
  });

  test("a Prometheus configuration's job_name counts; an app no scrape of the tree covers is a warning", () => {
    const config = (job: string): Doc => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'prometheus-config', namespace: 'ops' },
      data: { 'prometheus.yml': `scrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['planner.ops:9000']\n` },
    });
    expect(found([deployment, config('planner'), rule('up{job="planner"} == 0')])).toEqual([]);
    expect(found([deployment, config('prometheus'), rule('up{job="planner"} == 0')])).toEqual([
      `warning PrometheusRule/ops/planner: spec.groups[0].rules[1] (alert PlannerDown) selects job="planner", which no scrape of the tree produces (its ServiceMonitors, PodMonitors and scrape configs give other jobs): the expression returns no series and the alert never fires, unless a scrape outside the tree produces that job; select the job the scrape gives, or add a monitor for it (or set spec.jobLabel, or a relabeling of job, to give it that name)`,
    ]);
  });

  test('near misses: an `or` alternative that reads data, a platform job, a regex matcher, no scrape in the tree, the job the Service gives', () => {
    const tree = [deployment, service('planner-metrics-svc'), serviceMonitor()];
    expect(found([...tree, rule('up{job="planner"} == 0 or up{job="planner-metrics-svc"} == 0')])).toEqual([]);
    expect(found([...tree, rule('up{job="kubelet"} == 0')])).toEqual([]);
    expect(found([...tree, rule('up{job=~"planner.*"} == 0')])).toEqual([]);
    expect(found([deployment, rule('up{job="planner"} == 0')])).toEqual([]);
    expect(found([...tree, rule('up{job="planner-metrics-svc"} == 0')])).toEqual([]);
  });
});
