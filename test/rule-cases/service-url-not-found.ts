import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';
import { runChecks } from '../../lib';
import { cliInProcess, ruleFindings, treeRuleFound, writeTree } from '../util';

/**
 * service-url-not-found on an InferenceService's logger URL: KServe's agent posts each request and response log to
 * spec.<component>.logger.url from a queue (kserve pkg/logger/worker.go), so a sink that never exists loses the logs,
 * not the inference: a warning.
 */
const sink = (name: string, spec: object) => ({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name }, spec });
const isvc = (url: string) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'digits' },
  spec: { predictor: { logger: { mode: 'all', url }, model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://m/d' } } },
});
const CONTAINERS = [{ image: 'registry.example.com/tools/sink:1.0' }];

describe('service-url-not-found: logger URLs', () => {
  test('a logger URL naming a Knative Service Knative refuses: a warning naming it', () => {
    expect(
      ruleFindings('service-url-not-found', [sink('log-sink', { template: { spec: null, containers: CONTAINERS } }), isvc('http://log-sink.default/')]),
    ).toEqual([
      expect.stringMatching(
        /^warning InferenceService\/digits: spec.predictor.logger.url 'http:\/\/log-sink.default\/' names Knative Service 'log-sink', which Knative's webhook refuses/,
      ),
    ]);
  });

  test('a logger URL naming a Service the tree lacks, a near name defined: a warning suggesting it', () => {
    expect(
      ruleFindings('service-url-not-found', [sink('log-sink', { template: { spec: { containers: CONTAINERS } } }), isvc('http://log-sinks.default')]),
    ).toEqual([
      expect.stringMatching(
        /^warning InferenceService\/digits: .*names Service 'log-sinks', which the tree does not define.*inference is still served.*did you mean 'log-sink'\?$/,
      ),
    ]);
  });

  test('near misses: a sink that runs, a host outside the cluster, a name with no near Service', () => {
    const ok = sink('log-sink', { template: { spec: { containers: CONTAINERS } } });
    expect(ruleFindings('service-url-not-found', [ok, isvc('http://log-sink.default/')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [ok, isvc('https://logs.example.com/ingest')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [ok, isvc('http://broker-ingress.knative-eventing.svc.cluster.local/ns/default')])).toEqual([]);
  });
});

describe('service-url-not-found: hosts written in-cluster for sure', () => {
  const svc = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }] } });
  const job = (namespace: string, value: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'agent', namespace },
    spec: { template: { spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0', env: [{ name: 'BASE_URL', value }] }] } } },
  });

  test('a <service>.<namespace>.svc host of a namespace the tree delivers, no Service of the name and no near one: a warning', () => {
    expect(
      ruleFindings('service-url-not-found', [svc('vllm-reasoning', 'agents'), job('agents', 'http://llm-endpoint.agents.svc.cluster.local:8000/v1')]),
    ).toEqual([
      expect.stringMatching(
        /^warning Job\/agents\/agent: container 'agent' env BASE_URL: the URL host 'llm-endpoint\.agents\.svc\.cluster\.local' names Service 'llm-endpoint' in namespace 'agents', a namespace the tree delivers objects into, while the tree has no Service of that name: unless another install creates it there/,
      ),
    ]);
  });

  test("near miss: an InferenceService the tree gives no namespace, applied with -n, may be in the host's namespace and make its -predictor Service there", () => {
    const model = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storageUri: 'hf://example/granite' } } },
    };
    expect(
      ruleFindings('service-url-not-found', [svc('other', 'agents'), model, job('agents', 'http://granite-predictor.agents.svc.cluster.local/v1')]),
    ).toEqual([]);
    // the same name of no such object: still the warning
    expect(
      ruleFindings('service-url-not-found', [svc('other', 'agents'), model, job('agents', 'http://mistral-predictor.agents.svc.cluster.local/v1')]),
    ).toHaveLength(1);
  });

  test("a pod's address through a Service the tree lacks, and a redis:// URL with a password: a warning naming the pod", () => {
    expect(
      ruleFindings('service-url-not-found', [svc('other', 'agents'), job('agents', 'redis://:secret@store-0.store.agents.svc.cluster.local:6379')]),
    ).toEqual([expect.stringMatching(/names Service 'store' in namespace 'agents' \(the address of pod 'store-0' through it\)/)]);
  });

  test("a redis:// URL whose Service is a near name of the namespace's: the error suggesting it", () => {
    expect(ruleFindings('service-url-not-found', [svc('redis', 'agents'), job('agents', 'redis://redis-primary.agents.svc:6379')])).toEqual([
      expect.stringMatching(/^error Job\/agents\/agent: .*names Service 'redis-primary' in namespace 'agents'.*did you mean 'redis'\?$/),
    ]);
  });

  test("a ConfigMap's data and an Envoy Gateway Backend's FQDN endpoint: the same warning", () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'agents' },
      data: { 'llm.url': 'http://llm.agents.svc:8000' },
    };
    const backend = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'Backend',
      metadata: { name: 'upstream', namespace: 'agents' },
      spec: { endpoints: [{ fqdn: { hostname: 'echo.agents.svc.cluster.local', port: 80 } }] },
    };
    expect(ruleFindings('service-url-not-found', [configMap, backend])).toEqual([
      expect.stringMatching(
        /^warning Backend\/agents\/upstream: spec\.endpoints\[0\]\.fqdn\.hostname: 'echo\.agents\.svc\.cluster\.local' names Service 'echo' in namespace 'agents'/,
      ),
      expect.stringMatching(/^warning ConfigMap\/agents\/settings: data\.llm\.url: the URL host 'llm\.agents\.svc' names Service 'llm' in namespace 'agents'/),
    ]);
  });

  test('near miss: the `_example` key of a ConfigMap is documentation Knative never reads, though its text names a missing Service', () => {
    const example = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config-tracing', namespace: 'agents' },
      data: { _example: '# backend: zipkin\n# zipkin-endpoint: "http://collector.agents.svc.cluster.local:9411/api/v2/spans"\n' },
    };
    expect(ruleFindings('service-url-not-found', [example])).toEqual([]);
    const live = { ...example, data: { 'zipkin-endpoint': 'http://collector.agents.svc.cluster.local:9411/api/v2/spans' } };
    expect(ruleFindings('service-url-not-found', [live])).toEqual([expect.stringMatching(/^warning ConfigMap\/agents\/config-tracing: data\.zipkin-endpoint/)]);
  });

  test('near misses: a namespace the tree holds nothing of, a Service of the name elsewhere in the tree, an operator-made name, an external host, a template', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'agents' },
      spec: { predictor: {} },
    };
    for (const url of [
      'http://collector.observability.svc.cluster.local:4318',
      'http://llm.models.svc:80',
      'http://granite-predictor.agents.svc.cluster.local',
      'https://api.example.com/v1',
      'http://${LLM_HOST}.agents.svc:8000',
    ]) {
      expect(ruleFindings('service-url-not-found', [svc('llm', 'models'), isvc, job('agents', url)])).toEqual([]);
    }
  });

  test("a Service, or an operator's object, of the name in another namespace: still a warning (a name resolves only to a Service of its own namespace)", () => {
    const gateway = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'gateway', namespace: 'argocd' }, spec: {} };
    expect(
      ruleFindings('service-url-not-found', [
        svc('llm', 'models'),
        gateway,
        job('agents', 'http://llm.agents.svc:8000'),
        job('agents', 'http://gateway.agents.svc'),
      ]),
    ).toEqual([
      expect.stringMatching(/^warning Job\/agents\/agent: .*the URL host 'gateway\.agents\.svc' names Service 'gateway' in namespace 'agents'/),
      expect.stringMatching(/^warning Job\/agents\/agent: .*the URL host 'llm\.agents\.svc' names Service 'llm' in namespace 'agents'/),
    ]);
  });

  test("an InferenceService's Services are its own name and its components': another name it begins is no Service of it", () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'agents' },
      spec: { predictor: {} },
    };
    expect(ruleFindings('service-url-not-found', [isvc, job('agents', 'http://granite-metrics.agents.svc:9090')])).toEqual([
      expect.stringMatching(/names Service 'granite-metrics' in namespace 'agents'/),
    ]);
    for (const url of [
      'http://granite.agents.svc',
      'http://granite-predictor-00001-private.agents.svc',
      'http://localhost:8000',
      'https://kubernetes.default.svc',
    ]) {
      expect(ruleFindings('service-url-not-found', [isvc, job('agents', url)])).toEqual([]);
    }
  });

  test("near miss: a name an operator's object of the repository outside the checked folder makes (an InferenceService's <name>-predictor)", async () => {
    const root = writeTree('service-url-repository-', {
      'chat/ui.yaml': yaml.stringify(job('agents', 'http://granite-predictor.agents.svc.cluster.local/v1')),
      'serving/isvc.yaml': yaml.stringify({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'granite', namespace: 'agents' },
        spec: { predictor: {} },
      }),
    });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'chat'), '--platform', 'kserve', '--json']);
    expect((JSON.parse(out) as { findings: { rule: string }[] }).findings.filter((f) => f.rule === 'service-url-not-found')).toEqual([]);
  });
});

describe("service-url-not-found: the Feast operator's Services of a FeatureStore", () => {
  const job = (value: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'scorer', namespace: 'features' },
    spec: { template: { spec: { containers: [{ name: 'scorer', image: 'registry.example.com/scorer:1.0', env: [{ name: 'FEAST_URL', value }] }] } } },
  });
  const store = (apiVersion: string, services?: object) => ({
    apiVersion,
    kind: 'FeatureStore',
    metadata: { name: 'riders', namespace: 'features' },
    spec: { feastProject: 'riders', ...(services ? { services } : {}) },
  });

  test('feast-<name>-online always, -registry for a local registry, -offline and -ui where spec asks: nothing found', () => {
    for (const apiVersion of ['feast.dev/v1', 'feast.dev/v1alpha1']) {
      for (const url of ['http://feast-riders-online.features.svc.cluster.local:80', 'http://feast-riders-registry.features.svc:80']) {
        expect(ruleFindings('service-url-not-found', [store(apiVersion), job(url)])).toEqual([]);
      }
      const all = store(apiVersion, { offlineStore: { server: {} }, ui: {} });
      for (const url of ['http://feast-riders-offline.features.svc:80', 'http://feast-riders-ui.features.svc']) {
        expect(ruleFindings('service-url-not-found', [all, job(url)])).toEqual([]);
      }
    }
  });

  test('an offline store spec does not ask for, a remote registry, another name: a warning naming the Service', () => {
    const remote = store('feast.dev/v1', { registry: { remote: { hostname: 'registry.example.com:443' } } });
    for (const [stored, name] of [
      [store('feast.dev/v1'), 'feast-riders-offline'],
      [remote, 'feast-riders-registry'],
      [store('feast.dev/v1'), 'feast-riders-server'],
      [store('feast.dev/v1'), 'riders-online'],
    ] as const) {
      expect(ruleFindings('service-url-not-found', [stored, job(`http://${name}.features.svc:80`)])).toEqual([
        expect.stringMatching(
          new RegExp(
            `^warning Job/features/scorer: container 'scorer' env FEAST_URL: the URL host '${name}\\.features\\.svc' names Service '${name}' in namespace 'features'`,
          ),
        ),
      ]);
    }
  });
});

describe('service-url-not-found: a URL reaching a Service of the tree at a port it does not expose', () => {
  const service = (ports: number[], extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ollama', namespace: 'chat' },
    spec: { selector: { app: 'ollama' }, ports: ports.map((port) => ({ name: `p${port}`, port })), ...extra },
  });
  const client = (url: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'webui', namespace: 'chat' },
    spec: {
      selector: { matchLabels: { app: 'webui' } },
      template: {
        metadata: { labels: { app: 'webui' } },
        spec: { containers: [{ name: 'ui', image: 'registry.example.com/chat/webui:1.2', env: [{ name: 'OLLAMA_BASE_URL', value: url }] }] },
      },
    },
  });
  const found = (url: string, svc: Record<string, unknown>) =>
    runChecks([{ manifest: svc }, { manifest: client(url) }], { platform: 'kserve', rules: ['service-url-not-found'] }).map(
      (f) => `${f.severity} ${f.object}: ${f.message}`,
    );

  test('http:// without a port reaches port 80, which the Service does not expose: a warning naming its ports', () => {
    expect(found('http://ollama', service([11434]))).toEqual([
      expect.stringMatching(
        /^warning Deployment\/chat\/webui: .*names ollama:80?.*reaches Service\/chat\/ollama at port 80 \(no port written: the scheme's default, 80\).*its ports: 11434.*:11434/,
      ),
    ]);
    expect(found('http://ollama.chat.svc.cluster.local:8080/api', service([11434]))[0]).toMatch(/at port 8080, a port the Service does not expose/);
  });

  test('near misses: the port the Service exposes, a headless Service, a Service of another name', () => {
    expect(found('http://ollama:11434', service([11434]))).toEqual([]);
    expect(found('http://ollama', service([80, 11434]))).toEqual([]);
    expect(found('http://ollama', service([11434], { clusterIP: 'None' }))).toEqual([]);
  });
});

describe('service-url-not-found: an allow-list the program compares requests with names no Service it calls', () => {
  const web = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'storefront', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
  const api = (env: object) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'orders' } },
      template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'api', image: 'registry.example.com/shop/orders:1.0', env: [env] }] } },
    },
  });

  test('CORS allowed origins naming a Service the tree lacks: nothing to say', () => {
    expect(ruleFindings('service-url-not-found', [web, api({ name: 'CORS_ALLOWED_ORIGINS', value: 'http://storefronts.shop.svc:80' })])).toEqual([]);
  });

  test('near miss: the same URL as the base URL the program calls is an error naming the near Service', () => {
    expect(ruleFindings('service-url-not-found', [web, api({ name: 'STOREFRONT_URL', value: 'http://storefronts.shop.svc:80' })])).toEqual([
      expect.stringMatching(/^error Deployment\/shop\/orders: container 'api' env STOREFRONT_URL: .*names Service 'storefronts'.*did you mean 'storefront'\?$/),
    ]);
  });
});

describe('service-url-not-found: a Service a local Helm chart of the repository makes', () => {
  const client = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: portal, namespace: lab}',
    'spec:',
    '  selector: {matchLabels: {app: portal}}',
    '  template:',
    '    metadata: {labels: {app: portal}}',
    '    spec:',
    '      containers:',
    '        - name: portal',
    '          image: registry.example.com/lab/portal:1.0',
    '          env:',
    '            - {name: TRACKING_URL, value: "http://tracker.lab.svc:5000"}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: trackers, namespace: lab}',
    'spec: {ports: [{port: 5000}]}',
    '',
  ].join('\n');
  const chart = (serviceName: string) => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'deploy/k8s/portal.yaml': client,
    'deploy/helm/tracker/Chart.yaml': 'apiVersion: v2\nname: tracker\nversion: 0.1.0\n',
    'deploy/helm/tracker/templates/service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${serviceName}\nspec:\n  ports:\n    - port: 5000\n`,
  });
  const found = async (files: Record<string, string>) => {
    const dir = writeTree('chart-service-', files);
    const { out } = await cliInProcess(['check', `${dir}/deploy/k8s`, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'service-url-not-found')
      .map((f) => [f.severity, f.message]);
  };

  test('the chart names its Service {{ .Release.Name }}, the chart name standing for the release: a note naming the chart', async () => {
    expect(await found(chart('{{ .Release.Name }}'))).toEqual([
      [
        'info',
        expect.stringMatching(
          /^Service 'tracker' is made outside the checked folder: the Helm chart deploy\/helm\/tracker \(tracker\) of the same repository makes it/,
        ),
      ],
    ]);
  });

  test("near miss: a chart whose Service is named otherwise leaves the URL's finding as it was", async () => {
    expect(await found(chart('{{ .Release.Name }}-ui'))).toEqual([['error', expect.stringContaining("names Service 'tracker'")]]);
  });
});

describe('service-url-not-found: a namespace nothing of the tree makes, the Service defined in another', () => {
  const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const svc = (name: string, namespace: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ port: 7070 }] },
  });
  const client = (url: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'notebook-ui', namespace: 'ui' },
    spec: {
      selector: { matchLabels: { app: 'notebook-ui' } },
      template: {
        metadata: { labels: { app: 'notebook-ui' } },
        spec: { containers: [{ name: 'ui', image: 'example.org/notebook-ui:3.2', env: [{ name: 'BACKEND_URL', value: url }] }] },
      },
    },
  });
  const app = (name: string, namespace: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/lab/apps.git', path: `apps/${name}` },
      destination: { server: 'https://kubernetes.default.svc', namespace },
    },
  });

  test('the URL names the Service in a namespace nothing creates, the tree having it in another: a warning naming where it is', () => {
    const tree = [ns('ui'), ns('engine-gpu'), svc('engine-api', 'engine-gpu'), client('http://engine-api.engine.svc.cluster.local:7070')];
    expect(ruleFindings('service-url-not-found', tree)).toEqual([
      "warning Deployment/ui/notebook-ui: container 'ui' env BACKEND_URL: the URL host 'engine-api.engine.svc.cluster.local' names Service 'engine-api' in namespace 'engine', " +
        'which nothing of the tree creates or delivers into (no object, Namespace or Argo CD destination there), while the tree defines Service ' +
        "'engine-api' in namespace 'engine-gpu': a Service resolves only in its own namespace, so unless another install creates 'engine-api' in 'engine', " +
        'the name does not resolve and every connection fails; write engine-api.engine-gpu.svc.cluster.local',
    ]);
  });

  test('near miss: the right namespace; an Application delivering into that namespace; no Service of that name in the tree', () => {
    const base = [ns('ui'), ns('engine-gpu'), svc('engine-api', 'engine-gpu')];
    expect(ruleFindings('service-url-not-found', [...base, client('http://engine-api.engine-gpu.svc.cluster.local:7070')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [...base, app('engine', 'engine'), client('http://engine-api.engine.svc:7070')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [ns('ui'), client('http://engine-api.engine.svc.cluster.local:7070')])).toEqual([]);
  });
});

describe('service-url-not-found: a release into the namespace whose chart check does not render', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } };
  const svc = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'llm' },
    spec: { selector: { app: name }, ports: [{ port: 8000 }] },
  });
  const client = (url: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: { containers: [{ name: 'chat', image: 'registry.example.org/chat:1.0', env: [{ name: 'OPENAI_API_BASE', value: url }] }] },
      },
    },
  });
  const release = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'backends', namespace: 'llm' },
    spec: { interval: '1h', chart: { spec: { chart: 'model-backends', version: '0.4.0', sourceRef: { kind: 'HelmRepository', name: 'internal' } } } },
  };
  const argo = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'backends', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://charts.example.org', chart: 'model-backends', targetRevision: '0.4.0' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'llm' },
    },
  };
  const lead =
    "warning Deployment/llm/chat: container 'chat' env OPENAI_API_BASE: the URL host 'granite-vlm' names Service 'granite-vlm' in namespace 'llm', which the tree does not define (it defines that namespace's Services): the name does not resolve and every request fails; did you mean 'granite-vllm'?";

  test('a near name is an error; a Flux HelmRelease of a registry chart into the namespace makes it a warning naming the release', () => {
    expect(ruleFindings('service-url-not-found', [ns, svc('granite-vllm'), client('http://granite-vlm:8000/v1')])).toEqual([lead.replace(/^warning/, 'error')]);
    expect(ruleFindings('service-url-not-found', [ns, svc('granite-vllm'), release, client('http://granite-vlm:8000/v1')])).toEqual([
      `${lead}; but HelmRelease/llm/backends (chart model-backends 0.4.0 from HelmRepository llm/internal, release 'backends') installs into namespace 'llm' what check does not render, which may make it`,
    ]);
  });

  test("an Argo CD Application's chart source into the namespace hedges the same way", () => {
    expect(ruleFindings('service-url-not-found', [ns, svc('granite-vllm'), argo, client('http://granite-vlm:8000/v1')])).toEqual([
      `${lead}; but Application/argocd/backends (chart model-backends 0.4.0 from https://charts.example.org) installs into namespace 'llm' what check does not render, which may make it`,
    ]);
  });

  test('near miss: a release into another namespace leaves the error', () => {
    const elsewhere = { ...release, metadata: { name: 'backends', namespace: 'other' } };
    expect(ruleFindings('service-url-not-found', [ns, svc('granite-vllm'), elsewhere, client('http://granite-vlm:8000/v1')])).toEqual([
      lead.replace(/^warning/, 'error'),
    ]);
  });
});

describe('service-url-not-found: a LiteLLM proxy config (model_list[].litellm_params.api_base)', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gateway' } };
  const svc = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'gateway' },
    spec: { selector: { app: name }, ports: [{ port: 8000 }] },
  });
  const config = (bases: string[]) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'proxy-config', namespace: 'gateway' },
    data: {
      'config.yaml': yaml.stringify({
        model_list: bases.map((b, i) => ({
          model_name: `m${i}`,
          litellm_params: { model: `hosted_vllm/m${i}`, api_base: b, api_key: 'os.environ/BACKEND_KEY' },
        })),
        general_settings: { master_key: 'os.environ/PROXY_MASTER_KEY' },
      }),
    },
  });

  test("an api_base naming a near name of the namespace's Services: an error naming the entry, as for an env URL", () => {
    expect(ruleFindings('service-url-not-found', [ns, svc('qwen-vllm'), config(['http://qwen-vllm:8000/v1', 'http://qwen-vlm:8000/v1'])])).toEqual([
      "error ConfigMap/gateway/proxy-config: data.config.yaml model_list[1].litellm_params.api_base: the URL host 'qwen-vlm' names Service 'qwen-vlm' in namespace 'gateway', which the tree does not define (it defines that namespace's Services): the name does not resolve and every request fails; did you mean 'qwen-vllm'?",
    ]);
  });

  test('a qualified api_base naming a Service the namespace lacks: a warning naming the entry', () => {
    expect(ruleFindings('service-url-not-found', [ns, svc('proxy'), config(['http://granite-server.gateway:8080/v1'])])).toEqual([
      "warning ConfigMap/gateway/proxy-config: data.config.yaml model_list[0].litellm_params.api_base: the URL host 'granite-server.gateway' names Service 'granite-server' in namespace 'gateway', a namespace the tree delivers objects into, while the tree has no Service of that name: unless another install creates it there, the name does not resolve and every connection fails; point it at a Service the tree defines, or add the Service",
    ]);
  });

  test('near misses: api_base naming a Service of the tree, short or qualified, and a remote provider', () => {
    expect(
      ruleFindings('service-url-not-found', [
        ns,
        svc('qwen-vllm'),
        config(['http://qwen-vllm:8000/v1', 'http://qwen-vllm.gateway.svc.cluster.local:8000/v1', 'https://api.example.com/v1']),
      ]),
    ).toEqual([]);
  });
});

describe("service-url-not-found: Open WebUI's OLLAMA_BASE_URL beside OLLAMA_BASE_URLS", () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'chat' } };
  const ollama = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ollama', namespace: 'chat' },
    spec: { selector: { app: 'ollama' }, ports: [{ port: 11434 }] },
  };
  const webui = (env: object[]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'webui', namespace: 'chat' },
    spec: {
      selector: { matchLabels: { app: 'webui' } },
      template: { metadata: { labels: { app: 'webui' } }, spec: { containers: [{ name: 'webui', image: 'ghcr.io/open-webui/open-webui:v0.5.10', env }] } },
    },
  });
  const single = { name: 'OLLAMA_BASE_URL', value: 'http://olama:11434' };

  test('OLLAMA_BASE_URLS set too: a warning that OLLAMA_BASE_URL is not read, not the error', () => {
    expect(
      ruleFindings('service-url-not-found', [ns, ollama, webui([single, { name: 'OLLAMA_BASE_URLS', value: 'http://ollama.chat.svc.cluster.local:11434' }])]),
    ).toEqual([
      "warning Deployment/chat/webui: container 'webui' env OLLAMA_BASE_URL: the URL host 'olama' names no Service of the tree, but the container also sets OLLAMA_BASE_URLS, which Open WebUI reads in its place whenever it is set: OLLAMA_BASE_URL is not read, so no request goes to this address; remove OLLAMA_BASE_URL, or point it at a Service the tree defines should OLLAMA_BASE_URLS be dropped",
    ]);
  });

  test('near misses: OLLAMA_BASE_URL alone, or OLLAMA_BASE_URLS empty, is read: the error stays', () => {
    const error =
      "error Deployment/chat/webui: container 'webui' env OLLAMA_BASE_URL: the URL host 'olama' names Service 'olama' in namespace 'chat', which the tree does not define (it defines that namespace's Services): the name does not resolve and every request fails; did you mean 'ollama'?";
    expect(ruleFindings('service-url-not-found', [ns, ollama, webui([single])])).toEqual([error]);
    expect(ruleFindings('service-url-not-found', [ns, ollama, webui([single, { name: 'OLLAMA_BASE_URLS', value: '' }])])).toEqual([error]);
  });
});

describe("service-url-not-found: a script's helm install into the namespace", () => {
  const files = (script: string) => ({
    'app.yaml': [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: llm}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: granite-vllm, namespace: llm}\nspec:\n  selector: {app: granite-vllm}\n  ports: [{port: 8000}]',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: chat, namespace: llm}\nspec:\n  selector: {matchLabels: {app: chat}}\n  template:\n    metadata: {labels: {app: chat}}\n' +
        '    spec:\n      containers:\n        - name: chat\n          image: registry.example.org/chat:1.0\n          env: [{name: OPENAI_API_BASE, value: "http://granite-vlm:8000/v1"}]',
    ].join('\n---\n'),
    'install.sh': script,
  });
  const found = async (script: string) => {
    const r = await cliInProcess(['check', writeTree('helm-install-hedge-', files(script)), '--platform', 'kserve', '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[])
      .filter((f) => f.rule === 'service-url-not-found')
      .map((f) => [f.severity, f.message]);
  };

  test('helm install of a registry chart with -n into the namespace: a warning naming the command', async () => {
    expect(
      await found(
        '#!/bin/sh\nset -e\nhelm install backends oci://registry.example.org/charts/model-backends --version 0.4.0 -n llm\nkubectl apply -f app.yaml\n',
      ),
    ).toEqual([
      [
        'warning',
        expect.stringMatching(
          /did you mean 'granite-vllm'\?; but helm install backends oci:\/\/registry\.example\.org\/charts\/model-backends in install\.sh \(line 3\) installs into namespace 'llm' what check does not render, which may make it$/,
        ),
      ],
    ]);
  });

  test('near miss: the install goes to another namespace: the error stays', async () => {
    const out = await found('#!/bin/sh\nset -e\nhelm install backends oci://registry.example.org/charts/model-backends -n tools\nkubectl apply -f app.yaml\n');
    expect(out.map(([severity]) => severity)).toEqual(['error']);
  });
});

describe('service-url-not-found: a two-label host whose last label is both a namespace of the tree and a public TLD', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai' } };
  const svc = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'ai' },
    spec: { selector: { app: name }, ports: [{ port: 8000 }] },
  });
  const config = (bases: string[]) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'router-config', namespace: 'ai' },
    data: {
      'config.yaml': yaml.stringify({
        model_list: bases.map((b, i) => ({ model_name: `m${i}`, litellm_params: { model: `openai/m${i}`, api_base: b } })),
      }),
    },
  });
  const job = (value: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'probe', namespace: 'ai' },
    spec: { template: { spec: { containers: [{ name: 'probe', image: 'registry.example.com/probe:1.0', env: [{ name: 'BASE_URL', value }] }] } } },
  });

  test('https with no port: the public host answers where the Service is missing, not judged', () => {
    expect(ruleFindings('service-url-not-found', [ns, svc('chatbox'), config(['https://zenroute.ai/v1', 'https://zenroute.ai:443/v1'])])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [ns, svc('zenroute-proxy'), job('https://zenroute.ai/api')])).toEqual([]);
  });

  test('http with a Service port names the Service: the warning stays', () => {
    expect(ruleFindings('service-url-not-found', [ns, svc('chatbox'), config(['http://zenroute.ai:8000/v1'])])).toEqual([
      "warning ConfigMap/ai/router-config: data.config.yaml model_list[0].litellm_params.api_base: the URL host 'zenroute.ai' names Service 'zenroute' in namespace 'ai', a namespace the tree delivers objects into, while the tree has no Service of that name: unless another install creates it there, the name does not resolve and every connection fails; point it at a Service the tree defines, or add the Service",
    ]);
  });

  test('plain http beside a Service of a near name: the error stays; https and no port: not judged', () => {
    const error =
      "error Job/ai/probe: container 'probe' env BASE_URL: the URL host 'zenroute.ai' names Service 'zenroute' in namespace 'ai', which the tree does not define (it defines that namespace's Services): the name does not resolve and every request fails; did you mean 'zenroute-proxy'?";
    expect(ruleFindings('service-url-not-found', [ns, svc('zenroute-proxy'), job('http://zenroute.ai/api')])).toEqual([error]);
    expect(ruleFindings('service-url-not-found', [ns, svc('zenroute-proxy'), job('https://zenroute.ai:8443/api')])).toEqual([error]);
    expect(ruleFindings('service-url-not-found', [ns, svc('zenroute-proxy'), job('https://zenroute.ai/api')])).toEqual([]);
  });

  test('a namespace that is no public TLD: the two-label host is the Service whatever the scheme', () => {
    const other = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } };
    const cm = { ...config(['https://zenroute.llm/v1']), metadata: { name: 'router-config', namespace: 'llm' } };
    expect(ruleFindings('service-url-not-found', [other, { ...svc('chatbox'), metadata: { name: 'chatbox', namespace: 'llm' } }, cm])).toEqual([
      expect.stringMatching(/^warning ConfigMap\/llm\/router-config: .*the URL host 'zenroute\.llm' names Service 'zenroute' in namespace 'llm'/),
    ]);
  });
});

describe('service-url-not-found: OpenTelemetry Collector exporters', () => {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tracing' } };
  const tempo = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'tempo', namespace: 'tracing' }, spec: { ports: [{ port: 4317 }] } };
  const config = (endpoint: string) => ({
    receivers: { otlp: { protocols: { grpc: {} } } },
    exporters: { otlp: { endpoint } },
    service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['otlp'] } } },
  });
  const configMap = (endpoint: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'otel-collector', namespace: 'tracing' },
    data: { 'config.yaml': yaml.stringify(config(endpoint)) },
  });
  const collector = (endpoint: string) => ({
    apiVersion: 'opentelemetry.io/v1beta1',
    kind: 'OpenTelemetryCollector',
    metadata: { name: 'gateway', namespace: 'tracing' },
    spec: { config: config(endpoint) },
  });

  test("an otlp exporter's host:port naming a Service the tree's namespace lacks: a warning on the ConfigMap and on an OpenTelemetryCollector", () => {
    expect(ruleFindings('service-url-not-found', [namespace, configMap('tempo.tracing:4317')])).toEqual([
      "warning ConfigMap/tracing/otel-collector: data.config.yaml exporters.otlp.endpoint: the exporter endpoint host 'tempo.tracing' names Service 'tempo' in namespace 'tracing', a namespace the tree delivers objects into, while the tree has no Service of that name: unless another install creates it there, the name does not resolve and every connection fails; point it at a Service the tree defines, or add the Service",
    ]);
    expect(ruleFindings('service-url-not-found', [namespace, collector('tempo.tracing.svc.cluster.local:4317')])).toEqual([
      expect.stringMatching(
        /^warning OpenTelemetryCollector\/tracing\/gateway: spec\.config\.exporters\.otlp\.endpoint: the exporter endpoint host 'tempo\.tracing\.svc\.cluster\.local' names Service 'tempo' in namespace 'tracing'/,
      ),
    ]);
    // a schemed endpoint of an OpenTelemetryCollector too; of a ConfigMap, the URL reading says it once
    expect(ruleFindings('service-url-not-found', [namespace, collector('http://loki.tracing:3100/loki/api/v1/push')])).toHaveLength(1);
    expect(ruleFindings('service-url-not-found', [namespace, configMap('http://loki.tracing:3100/loki/api/v1/push')])).toHaveLength(1);
  });

  test('near misses: the Service in the tree, a value left to the environment, a namespace the tree does not deliver into', () => {
    expect(ruleFindings('service-url-not-found', [namespace, tempo, configMap('tempo.tracing:4317')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [namespace, tempo, collector('tempo.tracing:4317')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [namespace, configMap('${env:TEMPO_ENDPOINT}')])).toEqual([]);
    expect(ruleFindings('service-url-not-found', [configMap('tempo.observability:4317')])).toEqual([]);
  });
});

/**
 * Cases after ray-project/kuberay install/prometheus/install.sh: it installs kube-prometheus-stack as release
 * 'prometheus' in namespace prometheus-system, whose Services are prometheus-kube-prometheus-prometheus,
 * prometheus-grafana and the others the chart's fullname helpers name.
 */
describe('service-url-not-found: a Service a well-known installer the tree runs makes', () => {
  const monitor = [
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PodMonitor',
    'metadata: {name: nodes, namespace: prometheus-system, labels: {release: prometheus}}',
    'spec: {selector: {matchLabels: {app: nodes}}, podMetricsEndpoints: [{port: metrics}]}',
    '',
  ].join('\n');
  const client = (url: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: board, namespace: apps}',
      'spec:',
      '  selector: {matchLabels: {app: board}}',
      '  template:',
      '    metadata: {labels: {app: board}}',
      '    spec:',
      '      containers:',
      `        - {name: board, image: example/board:1.0, env: [{name: METRICS_URL, value: "${url}"}]}`,
      '',
    ].join('\n');
  const tf = (command: string) => `resource "null_resource" "stack" {\n  provisioner "local-exec" {\n    command = "${command}"\n  }\n}\n`;
  const found = async (files: Record<string, string>) =>
    (await treeRuleFound('service-url-not-found', 'installer-run-', files, ['--platform', 'kserve'])).map((f) => [
      f.severity,
      // the file as the tree names it, without the folder the test writes it to
      f.message.replace(/\S*installer-run-[^/\s]+\//g, ''),
    ]);
  const PROMETHEUS = 'http://prometheus-kube-prometheus-prometheus.prometheus-system.svc:9090';

  test('a Terraform local-exec runs the installer: the Service its release makes is a note naming the installer', async () => {
    expect(await found({ 'main.tf': tf('~/work/kuberay/install/prometheus/install.sh'), 'monitor.yaml': monitor, 'board.yaml': client(PROMETHEUS) })).toEqual([
      [
        'info',
        "Service 'prometheus-kube-prometheus-prometheus' is made by an installer the check does not follow: main.tf:3 runs KubeRay's install/prometheus/install.sh, which installs chart kube-prometheus-stack as release 'prometheus' in namespace 'prometheus-system', and that release makes it. Without it: " +
          "container 'board' env METRICS_URL: the URL host 'prometheus-kube-prometheus-prometheus.prometheus-system.svc' names Service 'prometheus-kube-prometheus-prometheus' in namespace 'prometheus-system', a namespace the tree delivers objects into, while the tree has no Service of that name: unless another install creates it there, the name does not resolve and every connection fails; point it at a Service the tree defines, or add the Service",
      ],
    ]);
  });

  test('a script that clones KubeRay and runs it: the Grafana Service is a note too', async () => {
    const script = '#!/bin/sh\ngit clone https://github.com/ray-project/kuberay.git\ncd kuberay\n./install/prometheus/install.sh\n';
    expect(await found({ 'setup.sh': script, 'monitor.yaml': monitor, 'board.yaml': client('http://prometheus-grafana.prometheus-system.svc') })).toEqual([
      ['info', expect.stringMatching(/^Service 'prometheus-grafana' is made by an installer the check does not follow: setup\.sh:4 runs KubeRay's/)],
    ]);
  });

  test('near misses: a name the release does not make, no run of the installer, a commented-out run or a path of another project keep the warning', async () => {
    const warning = [['warning', expect.stringMatching(/^container 'board' env METRICS_URL: the URL host/)]];
    const run = { 'main.tf': tf('~/work/kuberay/install/prometheus/install.sh'), 'monitor.yaml': monitor };
    expect(await found({ ...run, 'board.yaml': client('http://prometheus-loki.prometheus-system.svc:3100') })).toEqual(warning);
    expect(await found({ 'monitor.yaml': monitor, 'board.yaml': client(PROMETHEUS) })).toEqual(warning);
    // a commented-out run, and an installer of the same path in a project other than KubeRay
    expect(
      await found({ 'setup.sh': '#!/bin/sh\n# ./kuberay/install/prometheus/install.sh\n', 'monitor.yaml': monitor, 'board.yaml': client(PROMETHEUS) }),
    ).toEqual(warning);
    expect(await found({ 'setup.sh': '#!/bin/sh\n./install/prometheus/install.sh\n', 'monitor.yaml': monitor, 'board.yaml': client(PROMETHEUS) })).toEqual(
      warning,
    );
  });
});
