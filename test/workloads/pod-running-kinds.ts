import { runChecks } from '../../lib';
import { isPodTemplateKind, POD_TEMPLATE_KINDS } from '../../lib/k8s/pod-kinds';
import { judgesPods, podLabelsOf, podSpecOf, runsPods, SERVICE_BACKEND_KINDS, WORKLOAD_KINDS } from '../../lib/check/pods';
import { ALL_RULES } from '../../lib/check/engine';

/**
 * The pod-running kinds beyond the built-in controllers: an Argo Rollout (argoproj.io/v1alpha1, spec.template a
 * PodTemplateSpec, spec.selector a LabelSelector; with spec.workloadRef it runs the named Deployment's pods and holds
 * no template) and an OpenShift DeploymentConfig (apps.openshift.io/v1, spec.template a PodTemplateSpec, spec.selector a
 * plain label map). The checks read their pods as a Deployment's; a custom kind called Rollout in another group is not one.
 */
const container = (args: string[], gpus: string, extra: Record<string, unknown> = {}) => ({
  name: 'vllm',
  image: 'vllm/vllm-openai:v0.10.1',
  args,
  ports: [{ containerPort: 8000 }],
  resources: { requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': gpus }, limits: { 'nvidia.com/gpu': gpus } },
  ...extra,
});
const template = (app: string, c: unknown, volumes?: unknown) => ({
  metadata: { labels: { app } },
  spec: { containers: [c], ...(volumes ? { volumes } : {}) },
});

const rollout = (name: string, c: unknown, apiVersion = 'argoproj.io/v1alpha1') => ({
  apiVersion,
  kind: 'Rollout',
  metadata: { name, namespace: 'ai' },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, strategy: { canary: { steps: [{ setWeight: 50 }] } }, template: template(name, c) },
});
const deploymentConfig = (name: string, c: unknown, selector: unknown = { app: name }, labels: Record<string, string> = { app: name }) => ({
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name, namespace: 'ai' },
  spec: { replicas: 1, selector, triggers: [{ type: 'ConfigChange' }], template: { ...template(name, c), metadata: { labels } } },
});
const workloadRefRollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'by-ref', namespace: 'ai' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'by-ref' } },
    workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'by-ref' },
    strategy: { canary: { steps: [{ setWeight: 50 }] } },
  },
};
const service = (name: string, selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ai' },
  spec: { selector, ports: [{ port: 8000, targetPort: 8000 }] },
});

function found(objects: unknown[], rules?: string[]) {
  return runChecks(
    objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
    { platform: 'rhoai-3.0', ...(rules ? { rules } : {}) },
  ).map((f) => ({ rule: f.rule, severity: f.severity, object: f.object, message: f.message }));
}

const tp4on2 = container(['--model=Qwen/Qwen2.5-32B-Instruct', '--tensor-parallel-size=4'], '2');

describe('the pod-running kinds', () => {
  test('one vocabulary, each kind in its own API group: a Rollout is argoproj.io, a DeploymentConfig apps.openshift.io', () => {
    expect(POD_TEMPLATE_KINDS).toEqual([
      'Pod',
      'Job',
      'CronJob',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'Rollout',
      'DeploymentConfig',
      'Notebook',
    ]);
    expect(WORKLOAD_KINDS).toEqual(expect.arrayContaining(['Rollout', 'DeploymentConfig', 'LLMInferenceService', 'InferenceService']));
    expect(SERVICE_BACKEND_KINDS).toEqual(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout', 'DeploymentConfig', 'Notebook']);
    expect(isPodTemplateKind({ kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1' })).toBe(true);
    expect(isPodTemplateKind({ kind: 'Rollout', apiVersion: 'release.example.com/v1' })).toBe(false);
    expect(isPodTemplateKind({ kind: 'Rollout' })).toBe(false);
    expect(isPodTemplateKind({ kind: 'DeploymentConfig', apiVersion: 'apps.openshift.io/v1' })).toBe(true);
    expect(isPodTemplateKind({ kind: 'DeploymentConfig', apiVersion: 'apps/v1' })).toBe(false);
    // a built-in kind with no apiVersion written (a partial object) is still read as itself; another group is not
    expect(isPodTemplateKind({ kind: 'Deployment' })).toBe(true);
    expect(isPodTemplateKind({ kind: 'Deployment', apiVersion: 'extensions/v1beta1' })).toBe(true);
    expect(isPodTemplateKind({ kind: 'Deployment', apiVersion: 'example.com/v1' })).toBe(false);
    expect(isPodTemplateKind({ kind: 'constructor' })).toBe(false);
  });

  test("a Rollout's and a DeploymentConfig's pod spec is read; a workloadRef Rollout and a foreign Rollout have none", () => {
    expect(podSpecOf(rollout('chat', tp4on2))?.containers).toEqual([tp4on2]);
    expect(podSpecOf(deploymentConfig('chat', tp4on2))?.containers).toEqual([tp4on2]);
    expect(runsPods(workloadRefRollout)).toBe(false);
    expect(podSpecOf(workloadRefRollout)).toBeUndefined();
    expect(runsPods(rollout('chat', tp4on2, 'release.example.com/v1'))).toBe(false);
    expect(podSpecOf(rollout('chat', tp4on2, 'release.example.com/v1'))).toBeUndefined();
  });

  test("a Kubeflow Notebook's pod is spec.template.spec, labelled with the Notebook's labels and the notebook controller's; another group's Notebook runs none", () => {
    const notebook = (apiVersion: string): Record<string, any> => ({
      apiVersion,
      kind: 'Notebook',
      metadata: { name: 'wb', namespace: 'ai', labels: { team: 'forecast' } },
      spec: { template: { metadata: { labels: { ignored: 'yes' } }, spec: { containers: [tp4on2] } } },
    });
    expect(podSpecOf(notebook('kubeflow.org/v1'))?.containers).toEqual([tp4on2]);
    expect(podLabelsOf(notebook('kubeflow.org/v1'))).toEqual({ team: 'forecast', statefulset: 'wb', 'notebook-name': 'wb' });
    expect(runsPods(notebook('example.org/v1'))).toBe(false);
    expect(podSpecOf(notebook('example.org/v1'))).toBeUndefined();
  });

  test('vLLM in a Rollout or a DeploymentConfig with a tensor-parallel size above its GPUs: tensor-parallel-gpu-mismatch fires on each', () => {
    const dc = deploymentConfig('summarizer', container(['--model=mistralai/Mistral-7B-Instruct-v0.3', '--tensor-parallel-size=2'], '1'));
    const got = found([rollout('chat-canary', tp4on2), dc], ['tensor-parallel-gpu-mismatch']);
    expect(got.map((f) => [f.rule, f.severity, f.object])).toEqual([
      ['tensor-parallel-gpu-mismatch', 'error', 'DeploymentConfig/ai/summarizer'],
      ['tensor-parallel-gpu-mismatch', 'error', 'Rollout/ai/chat-canary'],
    ]);
    expect(got[1].message).toContain('--tensor-parallel-size=4 needs 4 GPUs but the container is given 2');
  });

  test('near misses: a Rollout with workloadRef only, and a Rollout of another API group holding the same template, get no finding from any rule', () => {
    const foreign = rollout('weekly-release', tp4on2, 'release.example.com/v1');
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'rollouts.release.example.com' },
      spec: {
        group: 'release.example.com',
        names: { kind: 'Rollout', plural: 'rollouts' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    const got = found([workloadRefRollout, foreign, crd]);
    // the Deployment the workloadRef names is not in this tree: rollout-reference-not-found says so (its own cases); no pod rule reads the Rollout
    expect(
      got.filter((f) => (f.object === 'Rollout/ai/by-ref' && f.rule !== 'rollout-reference-not-found') || f.object === 'Rollout/ai/weekly-release'),
    ).toEqual([]);
  });

  test('a rule about the Rollout itself (its kinds name no other pod-running kind) judges a workloadRef Rollout; a rule about pods passes it by', () => {
    const rolloutRules = ALL_RULES.filter((r) => r.appliesTo.includes('Rollout'));
    expect(rolloutRules.filter((r) => !judgesPods(r.appliesTo)).map((r) => r.id)).toEqual(['rollout-reference-not-found', 'rollouts-plugin-not-configured']);
    expect(rolloutRules.filter((r) => judgesPods(r.appliesTo)).length).toBeGreaterThan(100);
    const canary = {
      steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'latency-check' }] } }],
      trafficRouting: { plugins: { 'example-labs/mesh-router': { route: 'by-ref' } } },
    };
    const byRef = { ...workloadRefRollout, spec: { ...workloadRefRollout.spec, strategy: { canary } } };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'by-ref', namespace: 'ai' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'by-ref' } }, template: template('by-ref', tp4on2) },
    };
    const analysis = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'latency-slo', namespace: 'ai' },
      spec: { metrics: [] },
    };
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argo-rollouts-config', namespace: 'argo-rollouts' },
      data: { trafficRouterPlugins: '[]' },
    };
    const got = found([byRef, deployment, analysis, config]).filter((f) => f.object === 'Rollout/ai/by-ref');
    expect(got.map((f) => [f.rule, f.severity])).toEqual([
      ['rollout-reference-not-found', 'error'],
      ['rollouts-plugin-not-configured', 'error'],
    ]);
    // the Deployment's own pods are judged once, on the Deployment (tensor parallel 4 on 2 GPUs), not again on the Rollout
    expect(found([byRef, deployment], ['tensor-parallel-gpu-mismatch']).map((f) => f.object)).toEqual(['Deployment/ai/by-ref']);
    // a Rollout of another API group is passed by whatever the rule
    const foreign = { ...byRef, apiVersion: 'release.example.com/v1' };
    expect(found([foreign, analysis, config], ['rollout-reference-not-found', 'rollouts-plugin-not-configured'])).toEqual([]);
  });

  test('a Secret the pods of a Rollout or a DeploymentConfig read that the tree does not make: secret-not-in-tree; made beside them: silent', () => {
    const env = { env: [{ name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'api-key', key: 'key' } } }] };
    const dc = deploymentConfig('granite', container(['--model=ibm-granite/granite-3.3-8b-instruct'], '1', env));
    const ro = {
      ...rollout('granite-canary', container(['--model=ibm-granite/granite-3.3-8b-instruct'], '1', { volumeMounts: [{ name: 'certs', mountPath: '/certs' }] })),
    };
    ro.spec = {
      ...ro.spec,
      template: template('granite-canary', ro.spec.template.spec.containers[0], [{ name: 'certs', secret: { secretName: 'canary-tls' } }]),
    };
    const got = found([dc, ro], ['secret-not-in-tree']);
    expect(got.map((f) => [f.severity, f.object, f.message.split(',')[0]])).toEqual([
      ['warning', 'DeploymentConfig/ai/granite', "references Secret api-key in 'ai'"],
      ['warning', 'Rollout/ai/granite-canary', "references Secret canary-tls in 'ai'"],
    ]);
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ai' }, stringData: { key: 'k' } });
    expect(found([dc, ro, secret('api-key'), secret('canary-tls')], ['secret-not-in-tree'])).toEqual([]);
  });

  test("a Service sees a Rollout's and a DeploymentConfig's pods: selecting them is silent, a near miss of their labels fires", () => {
    const ro = rollout('chat-rollout', tp4on2);
    const near = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'chat-rollouts', namespace: 'ai' },
      spec: { selector: { matchLabels: { app: 'chat-rollouts' } }, template: template('chat-rollouts', tp4on2) },
    };
    expect(found([ro, near, service('chat-stable', { app: 'chat-rollout' })], ['service-selector-unmatched'])).toEqual([]);
    const dc = deploymentConfig('summarizer', tp4on2);
    const got = found([dc, service('summarizer', { app: 'summariser' })], ['service-selector-unmatched']);
    expect(got.map((f) => [f.severity, f.object])).toEqual([['error', 'Service/ai/summarizer']]);
    expect(got[0].message).toContain("DeploymentConfig/ai/summarizer's pods carry app=summarizer");
  });

  test("workload-selector-mismatch: a Rollout's LabelSelector and a DeploymentConfig's plain map against their templates", () => {
    const ro = rollout('granite', tp4on2);
    const mismatched = { ...ro, spec: { ...ro.spec, selector: { matchLabels: { app: 'granite-chat' } } } };
    const rules = ['workload-selector-mismatch'];
    expect(found([mismatched], rules).map((f) => f.message)).toEqual([
      expect.stringContaining('the Argo Rollouts controller marks the Rollout InvalidSpec ("`selector` does not match template `labels`")'),
    ]);
    expect(found([ro, workloadRefRollout], rules)).toEqual([]);
    expect(found([deploymentConfig('web', tp4on2, { app: 'web', tier: 'front' })], rules).map((f) => f.message)).toEqual([
      expect.stringContaining(
        'spec.selector (app: web, tier: front) does not select spec.template.metadata.labels (app: web): the API server refuses the DeploymentConfig',
      ),
    ]);
    // an empty or missing selector is filled from the template labels (SetDefaults_DeploymentConfigSpec)
    expect(found([deploymentConfig('web', tp4on2, {}), deploymentConfig('docs', tp4on2, undefined)], rules)).toEqual([]);
  });

  test('an HPA may scale a Rollout or a DeploymentConfig: a near name of one is scale-target-not-found', () => {
    const hpa = (kind: string, apiVersion: string, name: string) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: `${name}-hpa`, namespace: 'ai' },
      spec: { scaleTargetRef: { apiVersion, kind, name }, minReplicas: 1, maxReplicas: 3 },
    });
    const objects = [rollout('chat-canary', tp4on2), deploymentConfig('summarizer', tp4on2)];
    const rules = ['scale-target-not-found', 'scale-target-not-scalable'];
    expect(
      found([...objects, hpa('Rollout', 'argoproj.io/v1alpha1', 'chat-canary'), hpa('DeploymentConfig', 'apps.openshift.io/v1', 'summarizer')], rules),
    ).toEqual([]);
    const got = found([...objects, hpa('Rollout', 'argoproj.io/v1alpha1', 'chat-canery')], rules);
    expect(got.map((f) => [f.rule, f.severity, f.object])).toEqual([['scale-target-not-found', 'error', 'HorizontalPodAutoscaler/ai/chat-canery-hpa']]);
    expect(got[0].message).toContain("did you mean 'chat-canary'?");
  });
});
