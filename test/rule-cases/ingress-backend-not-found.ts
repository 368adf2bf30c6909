import { cliInProcess, ruleFindings, writeTree } from '../util';

/**
 * Cases of ingress-backend-not-found where an Argo CD Application installs a well-known chart into the Ingress's
 * namespace: its Services are named as the chart's fullname helper names them, so a backend it does not make is found.
 */
const app = (helm = '') =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: grafana, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source:',
    '    repoURL: https://grafana.github.io/helm-charts',
    '    chart: grafana',
    '    targetRevision: 10.5.15',
    ...(helm ? [`    helm: ${helm}`] : []),
    '  destination: {server: https://kubernetes.default.svc, namespace: observability}',
  ].join('\n');
const ingress = (service: string) =>
  [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata: {name: dashboards, namespace: observability}',
    'spec:',
    '  rules:',
    '    - host: dashboards.example.com',
    '      http:',
    '        paths:',
    `          - {path: /, pathType: Prefix, backend: {service: {name: ${service}, port: {number: 80}}}}`,
  ].join('\n');

async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('ingress-release-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'ingress-backend-not-found')
    .map((f) => [f.severity, f.message]);
}

describe("ingress-backend-not-found: a Service a well-known chart's release does not make", () => {
  test('the grafana release named grafana makes grafana, not grafana-service: an error naming the Services it makes (the release was an unseen delivery, nothing was said)', async () => {
    expect(await found({ 'apps/grafana.yaml': app(), 'ingress.yaml': ingress('grafana-service') })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.name names Service 'grafana-service', which is not in namespace 'observability': Application\/argocd\/grafana \(chart grafana, release 'grafana'\) makes the Services there \(grafana\).*every request it routes gets 503 \(no endpoints\); name one of those Services/,
        ),
      ],
    ]);
  });

  test.each([
    ['the name the release makes', app(), 'grafana'],
    ['fullnameOverride inline', app('{valuesObject: {fullnameOverride: grafana-service}}'), 'grafana-service'],
    ['a releaseName that makes it', app('{releaseName: dashboards}'), 'dashboards-grafana'],
  ])('near miss: %s', async (_, application, service) => {
    expect(await found({ 'apps/grafana.yaml': application, 'ingress.yaml': ingress(service) })).toEqual([]);
  });
});

describe('ingress-backend-not-found: a namespace a Helm release the tree signals also populates', () => {
  const exporter = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'gpu-exporter', namespace: 'monitoring' },
    spec: {
      selector: { matchLabels: { app: 'gpu-exporter' } },
      template: { metadata: { labels: { app: 'gpu-exporter' } }, spec: { containers: [{ name: 'e', image: 'x:1' }] } },
    },
  };
  const monitor = (release?: string) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'gpu', namespace: 'monitoring', ...(release ? { labels: { release } } : {}) },
    spec: { selector: { matchLabels: { app: 'gpu-exporter' } }, endpoints: [{ port: 'metrics' }] },
  });
  const grafana = (service: string) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'grafana', namespace: 'monitoring' },
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }] } }] },
  });
  const found = (docs: Record<string, unknown>[]) => ruleFindings('ingress-backend-not-found', docs);

  test("release: prometheus on the tree's monitors: prometheus-grafana is the release's Service, made outside the tree", () => {
    expect(found([exporter, monitor('prometheus'), grafana('prometheus-grafana')])).toEqual([]);
  });

  test('another name there is a warning naming the release, not an error from the one DaemonSet', () => {
    expect(found([exporter, monitor('prometheus'), grafana('grafana')])).toEqual([
      expect.stringMatching(
        /^warning Ingress\/monitoring\/grafana: .*Service 'grafana'.*carry release: prometheus.*a Helm release of that name populates the namespace outside the tree/,
      ),
    ]);
  });

  test("near miss: without the release label the workloads of the namespace are the tree's, and the error stands", () => {
    expect(found([exporter, monitor(), grafana('prometheus-grafana')])).toEqual([
      expect.stringMatching(/^error Ingress\/monitoring\/grafana: .*though the tree deploys the namespace's workloads/),
    ]);
  });
});

describe('ingress-backend-not-found: whether an object of the tree makes the Service (service-explained serviceMade)', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ai' }, spec: { ports: [{ port: 80 }] } };
  const ingress = (name: string, ns = 'ai') => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'front', namespace: ns },
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }] },
  });
  const route = (name: string, to: string) => ({
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name, namespace: 'ai' },
    spec: { to: { kind: 'Service', name: to } },
  });
  const object = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown> = {}) => ({
    apiVersion,
    kind,
    metadata: { name, namespace: 'ai' },
    spec,
  });
  const isvc = (spec: Record<string, unknown> = {}) =>
    object('serving.kserve.io/v1beta1', 'InferenceService', 'granite', {
      predictor: { model: { modelFormat: { name: 'vllm' }, storageUri: 'hf://m/m' } },
      ...spec,
    });
  const found = (docs: Record<string, unknown>[]) => ruleFindings('ingress-backend-not-found', docs);
  const missing = (name: string, kind = 'Ingress', object = 'front') =>
    expect.stringMatching(
      new RegExp(`^error ${kind}/ai/${object}: .*names Service '${name}', which is not in namespace 'ai'.*every request it routes gets 503`),
    );

  test('a Route exposes a Service and makes none: a Route named as the Service it lacks is no maker', () => {
    expect(found([service, route('chat', 'chat-svc')])).toEqual([missing('chat-svc', 'Route', 'chat')]);
  });

  test("an operator's object makes its name and <name>-…, not a longer word it begins", () => {
    const ray = object('ray.io/v1', 'RayCluster', 'llm');
    expect(found([service, ray, ingress('llmserver')])).toEqual([missing('llmserver')]);
    expect(found([service, ray, ingress('llm-head-svc')])).toEqual([]);
  });

  test('an Argo Rollout makes no Service: the canary Service it names is written by hand', () => {
    const rollout = object('argoproj.io/v1alpha1', 'Rollout', 'api', { strategy: { canary: { canaryService: 'api-canary', stableService: 'web' } } });
    expect(found([service, rollout, ingress('api-canary')])).toEqual([missing('api-canary')]);
  });

  test("Istio's VirtualService is proxy configuration and makes no Service", () => {
    expect(found([service, object('networking.istio.io/v1', 'VirtualService', 'chat'), ingress('chat-v1')])).toEqual([missing('chat-v1')]);
  });

  test("near miss: a Gateway's Service, as Istio names it (<gateway>-<class>)", () => {
    const gateway = object('gateway.networking.k8s.io/v1', 'Gateway', 'inference', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
    });
    expect(found([service, gateway, route('public', 'inference-istio')])).toEqual([]);
  });

  test("an InferenceService makes KServe's names only: <name>-metrics is none of them", () => {
    expect(found([service, isvc(), ingress('granite-metrics')])).toEqual([missing('granite-metrics')]);
  });

  test.each([
    ['its predictor', {}, 'granite-predictor'],
    ["a multi-node predictor's head", {}, 'granite-head-1'],
    ['a named predictor variant', { predictor: { name: 'blue', model: { modelFormat: { name: 'vllm' }, storageUri: 'hf://m/m' } } }, 'granite-blue-predictor'],
  ])("near miss: an InferenceService's Service: %s", (_, spec, name) => {
    expect(found([service, isvc(spec), ingress(name)])).toEqual([]);
  });

  test('a ModelRegistry makes <name>-postgres only where it deploys the database', () => {
    const registry = (postgres: Record<string, unknown>) => object('modelregistry.opendatahub.io/v1beta1', 'ModelRegistry', 'registry', { postgres });
    expect(found([service, registry({ generateDeployment: true }), ingress('registry-postgres')])).toEqual([]);
    expect(found([service, registry({ host: 'db', database: 'r' }), ingress('registry-postgres')])).toEqual([missing('registry-postgres')]);
  });

  test("near miss: kubernetes in default is the API server's Service", () => {
    expect(found([{ ...service, metadata: { name: 'web', namespace: 'default' } }, ingress('kubernetes', 'default')])).toEqual([]);
  });
});

describe('ingress-backend-not-found: a rendered Helm release whose objects give no namespace', () => {
  const labels = (release: string) => `  labels: {helm.sh/chart: answerbot-1.2.0, app.kubernetes.io/name: answerbot, app.kubernetes.io/instance: ${release}}`;
  const rendered = (backend: string, ingressRelease = 'qa') =>
    [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: qa-answerbot',
      labels('qa'),
      'spec: {selector: {app: answerbot}, ports: [{name: http, port: 8000, targetPort: http}]}',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: qa-answerbot',
      labels(ingressRelease),
      'spec:',
      '  rules:',
      '    - http:',
      '        paths:',
      `          - {path: /, pathType: Prefix, backend: {service: {name: ${backend}, port: {number: 8000}}}}`,
    ].join('\n');

  test("an Ingress of the release naming a Service the release does not render: an error naming the release's Services", async () => {
    expect(await found({ 'rendered/all.yaml': rendered('qa-answerbot-api') })).toEqual([
      [
        'error',
        "spec.rules[0].http.paths[0].backend.service.name names Service 'qa-answerbot-api', which release 'qa' of chart answerbot-1.2.0 (the labels helm.sh/chart and app.kubernetes.io/instance) does not render, though the Ingress is of that release and lands in its namespace: its Services are qa-answerbot; every request it routes gets 503 (no endpoints); name the Service the release renders, or add Service 'qa-answerbot-api' to the chart",
      ],
    ]);
  });

  test('near misses: the Service the release renders, or an Ingress of another release (which may land elsewhere)', async () => {
    expect(await found({ 'rendered/all.yaml': rendered('qa-answerbot') })).toEqual([]);
    expect(await found({ 'rendered/all.yaml': rendered('qa-answerbot-api', 'staging') })).toEqual([]);
  });
});
