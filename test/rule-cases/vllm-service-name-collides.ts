import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { serviceLinkVariable } from '../../lib/check/rules/vllm-service-name-collides';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === 'vllm-service-name-collides')
    .map((f) => [f.object, f.message]);
const severities = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0' },
  )
    .filter((f) => f.rule === 'vllm-service-name-collides')
    .map((f) => f.severity);

const service = (name: string, spec: Doc = {}, namespace = 'ai'): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { ports: [{ port: 8000 }], ...spec },
});
const workload = (kind: string, container: Doc, pod: Doc = {}): Doc => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  metadata: { name: 'w', namespace: 'ai' },
  spec: { template: { spec: { ...pod, containers: [{ name: 'c', ...container }] } } },
});
const VLLM = { image: 'vllm/vllm-openai:v0.10.1', args: ['--model=Qwen/Qwen2.5-0.5B-Instruct'] };

describe('serviceLinkVariable: the kubelet link variable of a Service name', () => {
  test.each([
    ['vllm', 'VLLM_PORT'],
    ['vllm-server', 'VLLM_SERVER_PORT'],
    ['vllm-nixl-side-channel', 'VLLM_NIXL_SIDE_CHANNEL_PORT'],
  ])('%s gives %s', (name, variable) => expect(serviceLinkVariable(name)).toBe(variable));
});

describe('vllm-service-name-collides', () => {
  test('a Deployment delivered with replicas: 0 that nothing scales runs no pod yet: a warning that says so; with an HPA an error', () => {
    const idle = { ...workload('Deployment', VLLM), spec: { replicas: 0, template: { spec: { containers: [{ name: 'c', ...VLLM }] } } } };
    expect(severities([service('vllm'), idle])).toEqual(['warning']);
    expect(findings([service('vllm'), idle])[0][1]).toMatch(
      / \(latent: Deployment\/ai\/w, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up\)$/,
    );
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'w', namespace: 'ai' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, minReplicas: 1, maxReplicas: 2 },
    };
    expect(severities([service('vllm'), idle, hpa])).toEqual(['error']);
  });

  test('a KEDA ScaledObject that scales the Deployment, or an Argo Rollout that runs its template, keeps the error', () => {
    const idle = { ...workload('Deployment', VLLM), spec: { replicas: 0, template: { spec: { containers: [{ name: 'c', ...VLLM }] } } } };
    const keda = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'w', namespace: 'ai' },
      spec: { scaleTargetRef: { name: 'w' }, triggers: [] },
    };
    expect(severities([service('vllm'), idle, keda])).toEqual(['error']);
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'w-rollout', namespace: 'ai' },
      spec: { replicas: 2, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, strategy: { canary: {} } },
    };
    expect(severities([service('vllm'), idle, rollout])).toEqual(['error']);
    // a Rollout of another Deployment leaves it idle
    const other = { ...rollout, spec: { ...rollout.spec, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' } } };
    expect(severities([service('vllm'), idle, other])).toEqual(['warning']);
  });

  test('any workload kind running vLLM, by its command line or by its image, beside a Service named vllm', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'Job']) {
      expect(findings([service('vllm'), workload(kind, VLLM)])).toEqual([['Service/ai/vllm', expect.stringContaining(`${kind}/ai/w (container 'c')`)]]);
    }
    // a custom image named after vLLM, started by its own script (the pattern of a fix that unset VLLM_PORT): only its
    // name says vLLM, so a warning; with vLLM's own engine options it visibly runs vLLM
    const custom = workload('Deployment', { image: 'registry.example.com/team/chat-vllm-opt125m:1.0', command: ['/entrypoint.sh'] });
    expect(severities([service('vllm'), custom])).toEqual(['warning']);
    expect(findings([service('vllm'), custom])[0][1]).toContain("only the image's name says it runs vLLM (registry.example.com/team/chat-vllm-opt125m:1.0)");
    // vLLM's own image misspelt by one letter (image-repository-misspelt reports it): the server it is meant to run
    expect(severities([service('vllm'), workload('Deployment', { image: 'vllm/vllm-openaia:0.10.1.1' })])).toEqual(['error']);
    expect(severities([service('vllm'), workload('Deployment', { image: 'example/vllm-openaiab:1.0', command: ['/run.sh'] })])).toEqual(['warning']);
    const tuned = workload('Deployment', {
      image: 'registry.example.com/team/chat-vllm:1.0',
      args: ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--gpu-memory-utilization=0.9'],
    });
    expect(severities([service('vllm'), tuned])).toEqual(['error']);
    const configured = workload('Deployment', {
      image: 'registry.example.com/team/chat-vllm-opt125m:1.0',
      command: ['/entrypoint.sh'],
      env: [{ name: 'VLLM_MAX_MODEL_LEN', value: '2048' }],
    });
    expect(severities([service('vllm'), configured])).toEqual(['error']);
    const shell = workload('Deployment', { image: 'python:3.12', command: ['sh', '-c', 'vllm serve Qwen/Qwen2.5-0.5B-Instruct --port 8000'] });
    expect(findings([service('vllm'), shell])).toHaveLength(1);
    // an image a deploy script fills in, with vLLM's own engine options
    const templated = workload('Deployment', { image: '${VLLM_IMAGE}', args: ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--max-model-len', '8192'] });
    expect(findings([service('vllm'), templated])).toHaveLength(1);
    // near miss: the same placeholder image with options vLLM's server does not own (another server)
    const other = workload('Deployment', { image: '${SERVER_IMAGE}', args: ['--model-id', 'Qwen/Qwen2.5-0.5B-Instruct', '--max-input-length', '4096'] });
    expect(findings([service('vllm'), other])).toEqual([]);
  });

  test('near misses: links off, another namespace, headless or ExternalName, the variable set by the container, a router image', () => {
    expect(findings([service('vllm'), workload('Deployment', VLLM, { enableServiceLinks: false })])).toEqual([]);
    expect(findings([service('vllm', {}, 'web'), workload('Deployment', VLLM)])).toEqual([]);
    expect(findings([service('vllm', { clusterIP: 'None' }), workload('Deployment', VLLM)])).toEqual([]);
    expect(findings([service('vllm', { type: 'ExternalName', externalName: 'x.example.com' }), workload('Deployment', VLLM)])).toEqual([]);
    expect(findings([service('vllm'), workload('Deployment', { ...VLLM, env: [{ name: 'VLLM_PORT', value: '29500' }] })])).toEqual([]);
    expect(findings([service('vllm'), workload('Deployment', { image: 'ghcr.io/example/vllm-router:1.0', args: ['--port=80'] })])).toEqual([]);
    expect(findings([service('vllm'), workload('Deployment', { image: 'nginx:1.27' })])).toEqual([]);
    // a mock of vLLM's API named after it (a FastAPI app) and llm-d's inference simulator read no VLLM_PORT
    expect(findings([service('vllm'), workload('Deployment', { image: 'platform-mock-vllm:0.1.0' })])).toEqual([]);
    expect(
      findings([service('vllm'), workload('Deployment', { image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.3.0', args: ['--model', 'Qwen/Qwen3-0.6B'] })]),
    ).toEqual([]);
    // VLLM_SERVER_PORT and VLLM_API_PORT are no settings of vLLM (vllm/envs.py)
    expect(findings([service('vllm-server'), service('vllm-api'), workload('Deployment', VLLM)])).toEqual([]);
  });

  describe('envFrom: the keys of the ConfigMaps and Secrets it names, in the kubelet order (env over envFrom over link variables)', () => {
    const configMap = (name: string, data: Doc): Doc => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ai' }, data });
    const secret = (name: string, field: 'data' | 'stringData', values: Doc): Doc => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'ai' },
      [field]: values,
    });
    const fromConfigMap = (name: string, prefix?: string) => ({ configMapRef: { name }, ...(prefix ? { prefix } : {}) });
    const severitiesOf = (docs: Doc[]) => severities(docs);

    test('a ConfigMap of the tree without VLLM_PORT hides nothing: an error', () => {
      const docs = [
        service('vllm'),
        configMap('settings', { MODEL: 'x', VLLM_LOGGING_LEVEL: 'INFO' }),
        workload('Deployment', { ...VLLM, envFrom: [fromConfigMap('settings')] }),
      ];
      expect(severitiesOf(docs)).toEqual(['error']);
    });

    test('a ConfigMap, a Secret (data in base64 or stringData) or a prefix that gives VLLM_PORT wins over the link variable', () => {
      expect(
        findings([service('vllm'), configMap('settings', { VLLM_PORT: '29500' }), workload('Deployment', { ...VLLM, envFrom: [fromConfigMap('settings')] })]),
      ).toEqual([]);
      expect(
        findings([
          service('vllm'),
          configMap('settings', { PORT: '29500' }),
          workload('Deployment', { ...VLLM, envFrom: [fromConfigMap('settings', 'VLLM_')] }),
        ]),
      ).toEqual([]);
      const data = secret('engine', 'data', { VLLM_PORT: Buffer.from('29500').toString('base64') });
      expect(findings([service('vllm'), data, workload('Deployment', { ...VLLM, envFrom: [{ secretRef: { name: 'engine' } }] })])).toEqual([]);
      const stringData = secret('engine', 'stringData', { VLLM_PORT: '29500' });
      expect(findings([service('vllm'), stringData, workload('Deployment', { ...VLLM, envFrom: [{ secretRef: { name: 'engine' } }] })])).toEqual([]);
    });

    test('a key under another prefix, or in binaryData, is no VLLM_PORT', () => {
      expect(
        severitiesOf([
          service('vllm'),
          configMap('settings', { VLLM_PORT: '29500' }),
          workload('Deployment', { ...VLLM, envFrom: [fromConfigMap('settings', 'APP_')] }),
        ]),
      ).toEqual(['error']);
      const binary: Doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'ai' }, binaryData: { VLLM_PORT: 'Mjk1MDA=' } };
      expect(severitiesOf([service('vllm'), binary, workload('Deployment', { ...VLLM, envFrom: [fromConfigMap('settings')] })])).toEqual(['error']);
    });

    test('a source the tree does not hold may set it: a warning naming it', () => {
      const docs = [service('vllm'), workload('Deployment', { ...VLLM, envFrom: [fromConfigMap('cluster-settings')] })];
      expect(severitiesOf(docs)).toEqual(['warning']);
      expect(findings(docs)).toEqual([
        ['Service/ai/vllm', expect.stringContaining('unless ConfigMap cluster-settings, which envFrom reads and the tree does not hold, sets VLLM_PORT')],
      ]);
    });
  });

  test("a connector's port is judged only where the command line names that connector", () => {
    const nixl = { ...VLLM, args: [...VLLM.args, '--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'] };
    expect(findings([service('vllm-nixl-side-channel'), workload('Deployment', nixl)])).toEqual([
      ['Service/ai/vllm-nixl-side-channel', expect.stringContaining('VLLM_NIXL_SIDE_CHANNEL_PORT=tcp://')],
    ]);
    expect(findings([service('vllm-nixl-side-channel'), workload('Deployment', VLLM)])).toEqual([]);
  });

  test('an InferenceService: judged in raw deployment mode, not under Knative (which turns service links off)', () => {
    const isvc = (annotations: Doc): Doc => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ai', annotations },
      spec: { predictor: { containers: [{ name: 'kserve-container', ...VLLM }] } },
    });
    expect(findings([service('vllm'), isvc({})])).toHaveLength(1);
    expect(findings([service('vllm'), isvc({ 'serving.kserve.io/deploymentMode': 'Serverless' })], 'kserve')).toEqual([]);
    expect(findings([service('vllm'), isvc({})], 'kserve')).toEqual([]);
    expect(findings([service('vllm'), isvc({ 'serving.kserve.io/deploymentMode': 'RawDeployment' })], 'kserve')).toHaveLength(1);
  });
});

// Three kustomize roots of one namespace as alternatives (the real server, a variant, a mock): a Service is paired
// with the pods applied with it.
describe('vllm-service-name-collides across kustomize roots', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: vllm, namespace: llm}\nspec:\n  selector: {app: vllm}\n  ports: [{port: 8000}]\n';
  const deploy = (image: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: vllm, namespace: llm}\nspec:\n  selector: {matchLabels: {app: vllm}}\n  template:\n    metadata: {labels: {app: vllm}}\n` +
    `    spec:\n      containers:\n        - name: vllm\n          image: ${image}\n          resources: {limits: {nvidia.com/gpu: 1}}\n`;
  const collisions = (files: Record<string, string>) => {
    const r = readManifests([writeTree(files, 'vllm-service-roots-')]);
    return runChecks(r.manifests, { platform: 'kserve', ...r })
      .filter((f) => f.rule === 'vllm-service-name-collides')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);
  };
  const real = {
    'k8s/kustomization.yaml': 'resources: [service.yaml, deployment.yaml]\n',
    'k8s/service.yaml': svc,
    'k8s/deployment.yaml': deploy('vllm/vllm-openai:v0.10.1'),
  };

  test("the mock root's Service is not paired with the real root's vLLM pods; the real root's Service is", () => {
    const mock = {
      'k8s/mock/kustomization.yaml': 'resources: [service.yaml, deployment.yaml]\n',
      'k8s/mock/service.yaml': svc,
      'k8s/mock/deployment.yaml': deploy('platform-mock-vllm:0.1.0'),
    };
    expect(collisions({ ...real, ...mock })).toEqual([
      expect.stringMatching(
        /^error Service\/llm\/vllm: the kubelet sets VLLM_PORT=tcp:\/\/<cluster IP>:<port> in the pods of Deployment\/llm\/vllm \(container 'vllm'\), which run vLLM with service links on: /,
      ),
    ]);
  });

  test('a Service alone in its folder, beside a root whose pods run vLLM: a warning, if both are applied', () => {
    expect(collisions({ ...real, 'k8s/service.yaml': svc.replace('name: vllm,', 'name: other,'), 'extras/service.yaml': svc })).toEqual([
      expect.stringMatching(/^warning Service\/llm\/vllm: .*\(the Service is applied apart from it \(folder .*extras\), so only if both are applied\)/),
    ]);
  });
});
