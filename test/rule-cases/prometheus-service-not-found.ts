import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('prometheus-service-not-found', docs);

const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const trigger = (serverAddress: string): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { scaleTargetRef: { name: 'chat' }, triggers: [{ type: 'prometheus', metadata: { serverAddress, threshold: '4', query: 'sum(up)' } }] },
});
const fluxRelease = (name: string, chart: string, spec: Doc = {}): Doc => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, namespace: 'monitoring' },
  spec: { interval: '1h', chart: { spec: { chart, sourceRef: { kind: 'HelmRepository', name: 'prometheus-community' } } }, ...spec },
});
const argoApp = (name: string, chart: string, helm: Doc = {}): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://prometheus-community.github.io/helm-charts', chart, targetRevision: '77.0.0', helm },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'monitoring' },
  },
});

describe('prometheus-service-not-found', () => {
  test("a host the chart release does not make is an error naming the release's Service (kube-prometheus-stack's name cut at 26)", () => {
    const wrong = trigger('http://kube-prometheus-kube-prome-prometheus.monitoring.svc:9090');
    expect(found([namespace('monitoring'), argoApp('kube-prometheus-stack', 'kube-prometheus-stack'), wrong])).toEqual([
      expect.stringMatching(
        /^error ScaledObject\/ai\/chat: .*names Service 'kube-prometheus-kube-prome-prometheus' in namespace 'monitoring'.*point it at http:\/\/kube-prometheus-stack-prometheus\.monitoring\.svc:9090$/,
      ),
    ]);
    // a release named kube-prometheus does make that Service: <release>-<chart> cut at 26, then -prometheus
    expect(found([namespace('monitoring'), argoApp('kube-prometheus', 'kube-prometheus-stack'), wrong])).toEqual([]);
    expect(found([namespace('monitoring'), argoApp('kps', 'kube-prometheus-stack', { releaseName: 'kube-prometheus' }), wrong])).toEqual([]);
    // fullnameOverride in the inline values names it
    expect(
      found([namespace('monitoring'), fluxRelease('kps', 'kube-prometheus-stack', { values: { fullnameOverride: 'kube-prometheus-kube-prome' } }), wrong]),
    ).toEqual([]);
  });

  test("a Prometheus resource's prometheus-operated and the prometheus chart's server are known Services", () => {
    const prometheus = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'monitoring' }, spec: {} };
    expect(found([prometheus, trigger('http://prometheus-operated.monitoring.svc:9090')])).toEqual([]);
    expect(found([prometheus, trigger('http://prometheus.monitoring.svc:9090')])).toEqual([
      expect.stringMatching(/^error .*point it at http:\/\/prometheus-operated\.monitoring\.svc:9090$/),
    ]);
    expect(found([fluxRelease('prometheus', 'prometheus'), trigger('http://prometheus-server.monitoring.svc.cluster.local')])).toEqual([]);
    expect(found([fluxRelease('metrics', 'prometheus'), trigger('http://prometheus-server.monitoring.svc')])).toEqual([
      expect.stringMatching(/^error .*point it at http:\/\/metrics-prometheus-server\.monitoring\.svc:80$/),
    ]);
  });

  test('a prometheus-adapter release is read as well', () => {
    const adapter = fluxRelease('prometheus-adapter', 'prometheus-adapter', {
      values: { prometheus: { url: 'http://prometheus.monitoring.svc', port: 9090 } },
    });
    expect(found([fluxRelease('kube-prometheus-stack', 'kube-prometheus-stack'), adapter])).toEqual([
      expect.stringMatching(
        /^error HelmRelease\/monitoring\/prometheus-adapter: the values of its prometheus-adapter release: prometheus\.url 'http:\/\/prometheus\.monitoring\.svc'/,
      ),
    ]);
  });

  test('values read elsewhere, or another release into the namespace, make it a warning naming the assumption', () => {
    const wrong = trigger('http://prometheus.monitoring.svc:9090');
    expect(found([argoApp('kube-prometheus-stack', 'kube-prometheus-stack', { valueFiles: ['values.yaml'] }), wrong])).toEqual([
      expect.stringMatching(/^warning .*Assumed: values of Application\/argocd\/kube-prometheus-stack the check does not read/),
    ]);
    expect(found([fluxRelease('kube-prometheus-stack', 'kube-prometheus-stack'), fluxRelease('thanos', 'thanos'), wrong])).toEqual([
      expect.stringMatching(/^warning .*Assumed: HelmRelease\/monitoring\/thanos makes no Service of that name$/),
    ]);
  });

  test('no Prometheus in the tree: a warning where the tree creates the namespace, else nothing', () => {
    expect(found([namespace('observability'), trigger('http://prometheus.observability.svc:9090')])).toEqual([
      expect.stringMatching(/^warning .*which the tree creates but where it installs no Prometheus/),
    ]);
    expect(found([trigger('http://prometheus.observability.svc:9090')])).toEqual([]);
  });

  test('near misses: a Service of the tree, a platform namespace, a template, an external host', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'prometheus', namespace: 'monitoring' }, spec: { ports: [{ port: 9090 }] } };
    expect(found([svc, fluxRelease('kube-prometheus-stack', 'kube-prometheus-stack'), trigger('http://prometheus.monitoring.svc:9090')])).toEqual([]);
    expect(found([fluxRelease('kube-prometheus-stack', 'kube-prometheus-stack'), trigger('https://thanos-querier.openshift-monitoring.svc:9091')])).toEqual([]);
    expect(found([fluxRelease('kube-prometheus-stack', 'kube-prometheus-stack'), trigger('http://{{ .Values.prometheus }}.monitoring.svc:9090')])).toEqual([]);
    expect(found([fluxRelease('kube-prometheus-stack', 'kube-prometheus-stack'), trigger('https://prometheus.example.com')])).toEqual([]);
  });
});
