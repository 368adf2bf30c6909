import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, ruleFindings, writeTree } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('prometheus-scrape-port-missing', docs);

const service = (name: string, namespace: string, ports: number[], spec: Doc = {}): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: ports.map((port) => ({ port, targetPort: port + 1 })), ...spec },
});
const config = (targets: string[], key = 'prometheus.yml', extra = ''): Doc => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'prometheus', namespace: 'monitoring' },
  data: { [key]: `${extra}scrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n` },
});
const OLLAMA = service('ollama', 'ollama', [11434]);

describe('prometheus-scrape-port-missing', () => {
  // the pattern of a metrics sidecar scraped through a Service that forwards only the API port
  test('a target naming a port the Service does not list is an error naming the ports it lists', () => {
    expect(found([OLLAMA, config(['ollama.ollama:8080'])])).toEqual([
      "error ConfigMap/monitoring/prometheus: data.prometheus.yml job 'app': the static target 'ollama.ollama:8080' names Service 'ollama' in namespace 'ollama', which exposes port 11434, not 8080: Prometheus cannot connect, the target is down and its metrics never arrive; add port 8080 to the Service (its targetPort the container's metrics port), or scrape a port it exposes",
    ]);
  });

  test.each([
    ['the Service port', ['ollama.ollama:11434']],
    // targetPort is the pod's port: through the Service only `port` is reachable
    ['an IP address', ['10.1.2.3:8080']],
    ['a host outside the cluster', ['metrics.example.com:8080']],
    ['a port-less target', ['ollama.ollama']],
    ['a templated target', ['${OLLAMA_HOST}:8080']],
    ['a namespace the tree defines no Service in', ['ollama.other:8080']],
  ])('no finding: %s', (_, targets) => {
    expect(found([OLLAMA, config(targets)])).toEqual([]);
  });

  test('the targetPort is not what the Service exposes', () => {
    // OLLAMA's targetPort is 11435
    expect(found([OLLAMA, config(['ollama.ollama.svc:11435'])])).toHaveLength(1);
  });

  test('a bare name is a Service of the configuration’s own namespace; every spelling of the Service host is read', () => {
    const local = service('exporter', 'monitoring', [9100]);
    expect(found([local, config(['exporter:9200'])])).toEqual([
      expect.stringMatching(/names Service 'exporter' in namespace 'monitoring', which exposes port 9100, not 9200/),
    ]);
    expect(found([OLLAMA, config(['ollama.ollama.svc.cluster.local:8080', 'ollama.ollama.svc:8080'])])).toHaveLength(2);
  });

  test('a Service name the tree does not define, in a namespace whose Services it defines: a warning', () => {
    expect(found([OLLAMA, config(['ollama-metrics.ollama:8080'])])).toEqual([
      expect.stringMatching(
        /^warning ConfigMap\/monitoring\/prometheus: .*names Service 'ollama-metrics' in namespace 'ollama', which the tree does not define/,
      ),
    ]);
  });

  test('headless and ExternalName Services, and alternative definitions one of which lists the port, are not judged', () => {
    expect(found([service('ollama', 'ollama', [11434], { clusterIP: 'None' }), config(['ollama.ollama:8080'])])).toEqual([]);
    expect(found([service('ollama', 'ollama', [11434], { type: 'ExternalName', externalName: 'a.example.com' }), config(['ollama.ollama:8080'])])).toEqual([]);
    expect(found([OLLAMA, service('ollama', 'ollama', [8080]), config(['ollama.ollama:8080'])])).toEqual([]);
  });

  test('any key whose YAML has scrape_configs is read; other keys and non-Prometheus YAML are not', () => {
    expect(found([OLLAMA, config(['ollama.ollama:8080'], 'scrape.yaml')])).toHaveLength(1);
    const other: Doc = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'monitoring' },
      data: { 'app.yaml': 'targets: [ollama.ollama:8080]\n' },
    };
    expect(found([OLLAMA, other])).toEqual([]);
  });

  test("the Prometheus Operator's additionalScrapeConfigs Secret, plain or base64, is read only when a Prometheus names it", () => {
    const jobs = "- job_name: extra\n  static_configs:\n    - targets: ['ollama.ollama:8080']\n";
    const prometheus: Doc = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: 'main', namespace: 'monitoring' },
      spec: { additionalScrapeConfigs: { name: 'extra', key: 'jobs.yaml' } },
    };
    const secret = (body: Doc): Doc => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'extra', namespace: 'monitoring' }, ...body });
    expect(found([OLLAMA, prometheus, secret({ stringData: { 'jobs.yaml': jobs } })])).toEqual([
      expect.stringMatching(/^error Secret\/monitoring\/extra: key jobs.yaml \(additionalScrapeConfigs\) job 'extra': .*exposes port 11434, not 8080/),
    ]);
    expect(found([OLLAMA, prometheus, secret({ data: { 'jobs.yaml': Buffer.from(jobs).toString('base64') } })])).toHaveLength(1);
    expect(found([OLLAMA, secret({ stringData: { 'jobs.yaml': jobs } })])).toEqual([]);
  });
});

describe('prometheus-scrape-port-missing: Services KubeRay names after its objects', () => {
  const rayService = (name: string): Doc => ({ apiVersion: 'ray.io/v1', kind: 'RayService', metadata: { name, namespace: 'ray' }, spec: {} });
  const all = found;
  const scrape = { ...config(['chat-head-svc:8080']), metadata: { name: 'prometheus', namespace: 'ray' } };
  const dashboard = service('dashboard', 'ray', [8265]);

  test('<name>-head-svc with no Ray object in the tree: a note that KubeRay makes it outside the folder', () => {
    expect(all([scrape, dashboard])).toEqual([
      expect.stringMatching(
        /^info .*'chat-head-svc'.*the name KubeRay gives a Service of a RayCluster, RayService or RayJob 'chat'.*made by KubeRay outside this folder/,
      ),
    ]);
  });

  test("the tree's RayService of that name makes it; one of another name leaves the warning", () => {
    expect(all([scrape, dashboard, rayService('chat')])).toEqual([]);
    expect(all([scrape, dashboard, rayService('assistant')])).toEqual([expect.stringMatching(/^warning .*which the tree does not define/)]);
  });
});

describe('prometheus-scrape-port-missing: a Service another folder of the repository deploys', () => {
  /** The rule's findings on the folder `monitoring` of a git work tree holding the files given, as [severity, message]. */
  async function inRepository(files: Record<string, string>): Promise<[string, string][]> {
    const scrape =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prometheus-config\ndata:\n  prometheus.yml: |\n    scrape_configs:\n      - job_name: cache\n        static_configs:\n          - targets: ['cache:9121']\n";
    const own = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: prometheus\nspec:\n  ports:\n    - port: 9090\n';
    const root = writeTree('scrape-repository-', { 'monitoring/prometheus.yaml': scrape, 'monitoring/service.yaml': own, ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'monitoring'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'prometheus-scrape-port-missing')
      .map((f) => [f.severity, f.message]);
  }
  const cache = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: cache\nspec:\n  ports:\n    - port: 9121\n';

  test('a sibling folder applied with the same namespace defines it: a note naming the file, to apply it first', async () => {
    expect(await inRepository({ 'deploy/cache.yaml': cache })).toEqual([
      [
        'info',
        expect.stringMatching(
          /^Service 'cache' is made outside the checked folder: .*deploy\/cache\.yaml \(line 1\).*apply it first\. Without it: .*names Service 'cache'/,
        ),
      ],
    ]);
  });

  test('no folder of the repository defines it: the warning stands', async () => {
    expect(await inRepository({ 'deploy/other.yaml': cache.replace('name: cache', 'name: queue') })).toEqual([
      ['warning', expect.stringMatching(/names Service 'cache' in namespace .*which the tree does not define/)],
    ]);
  });
});
