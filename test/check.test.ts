import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { acknowledgeFinding, Finding, GpuInstanceType, KustomizeTree, ModelProfile, readManifests, runChecks, S3ModelInferenceService } from '../lib';
import { ALL_RULES } from '../lib/check/engine';
import { ROOT, clusterQueueManifest, fixture, podWorkload, runCliInProcess, tempDir } from './util';

const BF16 = ModelProfile.fromDirectory(path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501'));
const FP8 = ModelProfile.fromDirectory(path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501-fp8-dynamic'));
const URI = 's3://models/m/';

/** A correct deployment: runtime with /dev/shm, a TP4 service on g6.12xlarge, queue, quota, flavor and MachineSet. */
/** A Subscription to the Red Hat build of Kueue operator on `channel`. */
function kueueSubscription(channel: string) {
  return {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'kueue-operator', namespace: 'openshift-operators' },
    spec: { name: 'kueue-operator', channel, source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
  };
}

function deployment(): any[] {
  return [
    {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: 'ai', annotations: { 'argocd.argoproj.io/sync-wave': '5' } },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [
          {
            name: 'kserve-container',
            image: `quay.io/vllm/vllm@sha256:${'a'.repeat(64)}`,
            args: ['--port=8080', '--model=/mnt/models'],
            volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
          },
        ],
        volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } }],
      },
    },
    {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'llm',
        namespace: 'ai',
        labels: { 'kueue.x-k8s.io/queue-name': 'gpu' },
        annotations: { 'argocd.argoproj.io/sync-wave': '10', 'serving.kserve.io/deploymentMode': 'RawDeployment' },
      },
      spec: {
        predictor: {
          minReplicas: 1,
          maxReplicas: 1,
          nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.12xlarge' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          model: {
            modelFormat: { name: 'vLLM' },
            runtime: 'vllm',
            storageUri: URI,
            storage: { key: 'conn' },
            args: ['--tensor-parallel-size=4', '--max-model-len=16384'],
            resources: { requests: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '4' }, limits: { cpu: '16', memory: '64Gi', 'nvidia.com/gpu': '4' } },
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'conn', namespace: 'ai' }, type: 'Opaque' },
    { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'gpu', namespace: 'ai' }, spec: { clusterQueue: 'cq' } },
    clusterQueueManifest('cq', 'l4x4', { cpu: '47', memory: '180Gi', gpus: 4 }),
    {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ResourceFlavor',
      metadata: { name: 'l4x4' },
      spec: { nodeLabels: { 'node.kubernetes.io/instance-type': 'g6.12xlarge' } },
    },
    {
      apiVersion: 'machine.openshift.io/v1beta1',
      kind: 'MachineSet',
      metadata: { name: 'gpu', namespace: 'openshift-machine-api' },
      spec: { replicas: 1, template: { spec: { providerSpec: { value: { instanceType: 'g6.12xlarge', blockDevices: [{ ebs: { volumeSize: 300 } }] } } } } },
    },
  ];
}

const FP8_URI = 's3://models/m-fp8/';

function check(manifests: any[], models: Record<string, ModelProfile> = { [URI]: BF16, [FP8_URI]: FP8 }): Finding[] {
  return runChecks(
    // a case may give an object with where it was read ({ manifest, file, kustomizations }) instead of the bare manifest
    manifests.map((m) => (m && m.manifest && !m.kind ? m : { manifest: m })),
    // the cases are judged for the platform the step-05 cluster runs, given as a user would
    { models: new Map(Object.entries(models)), platform: 'rhoai-3.0' },
  );
}

/** Applies a change to the object of a kind in a fresh deployment. */
function broken(kind: string, change: (m: any) => void, extra: any[] = []): any[] {
  const d = deployment();
  change(d.find((m) => m.kind === kind));
  return [...d, ...extra];
}

const of = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

/** A batch Job 'eval' in namespace ai, with more metadata and pod spec fields; and a Kueue WorkloadPriorityClass 'urgent'. */
const evalJob = (metadata: Record<string, unknown>, pod: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'eval', namespace: 'ai', ...metadata },
  spec: { ...spec, template: { spec: { ...pod, restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
});
const URGENT = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'WorkloadPriorityClass', metadata: { name: 'urgent' }, value: 1000 };

/** Role 'reader' in namespace ai with one rule, bound to the namespace's default ServiceAccount. */
function readerRoleBoundToDefault(rule: Record<string, unknown>): Record<string, unknown>[] {
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'ai' }, rules: [rule] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'reader', namespace: 'ai' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'ai' }],
    },
  ];
}

describe('the rules engine', () => {
  test('a correct deployment yields no finding at all', () => {
    expect(check(deployment())).toEqual([]);
    const managed = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'kueue.openshift.io/managed': 'true' } } };
    expect(check([...deployment(), managed])).toEqual([]);
  });

  test('every rule carries its metadata: id, title, severity, kinds, premise, failing example, fix and source', () => {
    for (const r of ALL_RULES) {
      expect({ id: r.id, ok: /^[a-z]+(-[a-z0-9]+)*$/.test(r.id) }).toEqual({ id: r.id, ok: true });
      for (const field of ['title', 'premise', 'example', 'fix', 'source'] as const) {
        expect({ id: r.id, field, long: r[field].length > 10 }).toEqual({ id: r.id, field, long: true });
      }
      expect(['error', 'warning']).toContain(r.severity);
      expect(r.appliesTo.length).toBeGreaterThan(0);
    }
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
  });

  /**
   * Rules about Argo CD delivery judge objects by the folders they were read from: test/delivery.test.ts and
   * test/apps/fleet.ts exercise them on the rendered trees, test/argocd/directory.ts on folders of directory sources.
   */
  const DELIVERY_RULES = [
    'argocd-path-missing',
    'argocd-path-not-in-input',
    'argocd-repo-url-invalid',
    'argocd-appset-syncs-itself',
    'argocd-json-not-manifest',
    'argocd-directory-file-invalid',
    'argocd-directory-on-tool-folder',
    'argocd-destination-not-permitted',
    'argocd-namespace-not-created',
    // what a script of the tree applies: test/rule-cases/namespace-not-created.ts, test/rule-cases/reference-in-other-namespace.ts,
    // test/rule-cases/script-secret-overwritten.ts
    'namespace-not-created',
    'reference-in-other-namespace',
    'script-secret-overwritten',
    // a kustomize build's generated names: test/rule-cases/generator-hash-not-followed.ts (against kubectl kustomize)
    'generator-hash-not-followed',
    'argocd-source-not-permitted',
    'argocd-project-not-permitted',
    'argocd-sync-order',
    'argocd-hook-before-prerequisite',
    'argocd-hook-waits-for-sync',
    'argocd-dry-run-missing-kind',
    'argocd-wave-ignored',
    'argocd-webhook-drift',
    'argocd-generate-name',
    // an Application's syncOptions: test/argocd/sync-options.ts
    'argocd-sync-option-unknown',
    'flux-kustomization-invalid',
    // the images a tree builds and loads, read from its Dockerfiles and scripts: test/rule-cases/local-image-not-loaded.ts
    'local-image-not-loaded',
  ];

  test('every documented rule is exercised by a case below, by its own file of test/rule-cases/ or by test/delivery.test.ts', () => {
    // a rule with its own cases file (test/rule-cases/<id>.ts, run by test/rule-cases.test.ts) needs no row here
    const ownCases = fs
      .readdirSync(path.join(__dirname, 'rule-cases'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -'.ts'.length));
    const covered = new Set([...CASES.map((c) => c[0]), ...DELIVERY_RULES, ...ownCases]);
    expect(ALL_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  type Case = [rule: string, severity: 'error' | 'warning', manifests: () => any[], message: RegExp];
  /** An LLMInferenceService beside the deployment, with one main container of `gpus` GPUs. */
  const llm = (spec: Record<string, unknown>, gpus = 1, args: string[] = []) => [
    ...deployment(),
    {
      apiVersion: 'serving.kserve.io/v1alpha2',
      kind: 'LLMInferenceService',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: {
        model: { uri: 'hf://org/m', name: 'm' },
        template: { containers: [{ name: 'main', args, resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }] },
        ...spec,
      },
    },
  ];
  const CASES: Case[] = [
    [
      'api-access-not-granted',
      'warning',
      () => [
        podWorkload('waiter', 'ai', {
          initContainers: [{ name: 'wait', image: 'registry.example.com/kubectl:1.31', command: ['sh', '-c', 'until kubectl get pod db-0; do sleep 5; done'] }],
          containers: [{ name: 'main', image: 'registry.example.com/app:1.0' }],
        }),
      ],
      /init container 'wait' runs `kubectl get pod db-0` against the Kubernetes API as ServiceAccount default/,
    ],
    [
      'pod-affinity-gpus-exceed-node',
      'error',
      () => {
        const w = podWorkload('tied', 'ai', {
          nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.12xlarge' },
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'tied' } }, topologyKey: 'kubernetes.io/hostname' }],
            },
          },
          containers: [{ name: 'main', image: 'registry.example.com/app:1.0', resources: { limits: { 'nvidia.com/gpu': '2' } } }],
        });
        w.spec.replicas = 3;
        return [w];
      },
      /ties all 3 pods to the node of the first one scheduled, which then needs 6 nvidia.com\/gpu at once .* g6.12xlarge has 4/,
    ],
    [
      'runtime-metrics-port-invalid',
      'error',
      () => [
        {
          apiVersion: 'serving.kserve.io/v1alpha1',
          kind: 'ServingRuntime',
          metadata: { name: 'vllm-0.9', namespace: 'ai' },
          spec: {
            annotations: { 'prometheus.io/port': '8080' },
            supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
            containers: [{ name: 'kserve-container', image: 'quay.io/modh/vllm:rhoai-2.24-cuda', args: ['--port=8080', '--model=/mnt/models'] }],
          },
        },
        {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: 'chat', namespace: 'ai' },
          spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-0.9', storageUri: 'oci://quay.io/example/chat-modelcar:1.0' } } },
        },
      ],
      /whose port it names 'vllm-0.9-metrics', which is no DNS-1123 label/,
    ],
    [
      'program-not-in-image',
      'warning',
      () => [
        podWorkload('puller', 'ai', {
          containers: [{ name: 'pull', image: 'ollama/ollama:0.5.4', command: ['sh', '-c', 'until curl -s http://ollama:11434/; do sleep 5; done'] }],
        }),
      ],
      /container 'pull' runs curl in its command, but ollama\/ollama has no curl/,
    ],
    ['llm-parallelism-invalid', 'error', () => llm({ parallelism: { data: 4 } }), /spec.parallelism.dataLocal: dataLocal must be set when data is set/],
    [
      'llm-parallelism-dropped',
      'error',
      () => llm({ parallelism: { tensor: 2 } }, 2),
      /parallelism.tensor is 2, but on one node .* add --tensor-parallel-size=2/,
    ],
    [
      'llm-lora-invalid',
      'error',
      () => llm({ model: { uri: 'hf://org/m', name: 'm', lora: { adapters: [{ name: 'm', uri: 'hf://org/a' }] } } }),
      /adapters\[0\].name: 'm' is the base model's name/,
    ],
    [
      'autoscale-on-utilization',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          Object.assign(m.spec.predictor, { minReplicas: 1, maxReplicas: 3, scaleMetric: 'cpu', scaleTarget: 80 });
        }),
      /scales 1\.\.3 on cpu utilization, which a GPU-bound vLLM pod seldom reaches/,
    ],
    [
      'startup-probe-too-short',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.startupProbe = { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, failureThreshold: 3 };
        }),
      /the start-up probe gives up after 30 s but .* needs about \d+ s to read its weights and warm up/,
    ],
    [
      'liveness-kills-loading',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.livenessProbe = { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, failureThreshold: 3 };
        }),
      /the liveness probe gives up after 30 s from the container start/,
    ],
    [
      'runtime-format-mismatch',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.modelFormat.name = 'vllm';
        }),
      /'vllm' is not supported by runtime 'vllm' .*write 'vLLM'/,
    ],
    [
      'runtime-not-found',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.runtime = 'vllm-cuda-runtime';
        }),
      /no ServingRuntime of that name in namespace 'ai'/,
    ],
    [
      'queue-not-found',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.metadata.labels['kueue.x-k8s.io/queue-name'] = 'default';
        }),
      /names no LocalQueue in 'ai' \(it has gpu\)/,
    ],
    [
      'storage-credentials-missing',
      'error',
      () =>
        broken(
          'InferenceService',
          (m) => {
            delete m.spec.predictor.model.storage;
          },
          [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'ai' } }],
        ),
      /ServiceAccount default \(serviceAccountName is unset, so KServe uses default\) lists no Secrets and has no eks.amazonaws.com\/role-arn annotation/,
    ],
    [
      'tensor-parallel-gpu-mismatch',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.resources.requests['nvidia.com/gpu'] = m.spec.predictor.model.resources.limits['nvidia.com/gpu'] = '2';
        }),
      /needs 4 GPUs but resources give 2/,
    ],
    [
      'gpu-count-exceeds-node',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.nodeSelector['node.kubernetes.io/instance-type'] = 'g6.4xlarge';
        }),
      /requests 4 nvidia.com\/gpu but g6.4xlarge has 1/,
    ],
    [
      'resources-exceed-node',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.resources.requests.memory = '190Gi';
        }),
      /more than a g6.12xlarge node can allocate \(memory 190Gi >/,
    ],
    [
      'quota-insufficient',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.maxReplicas = 2;
        }),
      /need more than the nominal quota at full scale \(8 GPU > 4/,
    ],
    [
      'shm-missing',
      'warning',
      () =>
        broken('ServingRuntime', (m) => {
          delete m.spec.volumes;
          m.spec.containers[0].volumeMounts = [];
        }),
      /no memory-backed emptyDir is mounted at \/dev\/shm/,
    ],
    [
      'model-mount-conflict',
      'error',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].volumeMounts.push({ name: 'weights-cache', mountPath: '/mnt/models/' });
          m.spec.volumes.push({ name: 'weights-cache', emptyDir: {} });
        }),
      /volumeMount 'weights-cache' at \/mnt\/models, .*mountPath must be unique/,
    ],
    [
      'storage-uri-empty',
      'error',
      // an empty storageUri written to keep KServe's storage initializer out brings it in with no URI
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = '';
        }),
      /spec\.predictor\.model\.storageUri is the empty string, .*Cannot recognize storage type/,
    ],
    [
      'ray-start-missing',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'ray.io/v1',
          kind: 'RayCluster',
          metadata: { name: 'ray', namespace: 'ai', annotations: { 'ray.io/overwrite-container-cmd': 'TRUE' } },
          spec: {
            headGroupSpec: {
              rayStartParams: {},
              template: { spec: { containers: [{ name: 'head', image: 'ray', command: ['bash', '-c'], args: ['ray start --head --block'] }] } },
            },
            workerGroupSpecs: [{ groupName: 'gpu', template: { spec: { containers: [{ name: 'worker', image: 'ray' }] } } }],
          },
        },
      ],
      /workerGroupSpecs\[0\] \(gpu\)\.template: .*container 'worker', and it has no command or args/,
    ],
    [
      'ray-spec-invalid',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'ray.io/v1',
          kind: 'RayJob',
          metadata: { name: 'batch', namespace: 'ai' },
          spec: {
            entrypoint: 'python main.py',
            suspend: true,
            rayClusterSpec: { headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'head', image: 'ray' }] } } } },
          },
        },
      ],
      /since v1\.1\.0\): spec\.suspend is true while spec\.shutdownAfterJobFinishes is false/,
    ],
    [
      'argo-template-field-misplaced',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'WorkflowTemplate',
          metadata: { name: 'wf', namespace: 'ai' },
          spec: {
            entrypoint: 'run',
            templates: [{ name: 'run', resources: { limits: { 'nvidia.com/gpu': 1 } }, container: { image: 'registry.example.com/a:1' } }],
          },
        },
      ],
      /spec\.templates\[0\] \(run\)\.resources is written beside `container:`/,
    ],
    [
      'argo-variable-unresolved',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'WorkflowTemplate',
          metadata: { name: 'wf', namespace: 'ai' },
          spec: { entrypoint: 'run', templates: [{ name: 'run', container: { image: 'registry.example.com/a:1', args: ['{{workflow.parameter.day}}'] } }] },
        },
      ],
      /\{\{workflow\.parameter\.day\}\} is no Argo variable/,
    ],
    [
      'dcgm-exporter-requests-gpu',
      'warning',
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'dcgm', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'dcgm' } },
            template: {
              metadata: { labels: { app: 'dcgm' } },
              spec: {
                containers: [{ name: 'exporter', image: 'nvidia/dcgm-exporter:3.3.5-3.4.1-ubuntu22.04', resources: { limits: { 'nvidia.com/gpu': 1 } } }],
              },
            },
          },
        },
      ],
      /container 'exporter' runs nvidia\/dcgm-exporter:3\.3\.5-3\.4\.1-ubuntu22\.04 and requests 1 GPU/,
    ],
    [
      'service-url-not-found',
      'error',
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'chat-ui', namespace: 'ai' }, spec: { ports: [{ port: 80 }] } },
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'bench', namespace: 'ai' },
          spec: { template: { spec: { containers: [{ name: 'c', image: 'x', args: ['--target', 'http://chatui.ai.svc:80'] }] } } },
        },
      ],
      /args: the URL host 'chatui\.ai\.svc' names Service 'chatui' in namespace 'ai', .*did you mean 'chat-ui'\?/,
    ],
    [
      'quantization-conflict',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = FP8_URI;
          m.spec.predictor.model.args.push('--quantization=fp8');
        }),
      /already quantized .*remove --quantization/,
    ],
    [
      'quantization-checkpoint-missing',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = 'hf://Qwen/Qwen3-8B';
          m.spec.predictor.model.args.push('--quantization=awq');
        }),
      /--quantization awq reads the checkpoint's own quantization config .*Qwen\/Qwen3-8B is Qwen's own Qwen3 checkpoint.*"Cannot find the config file for awq"/,
    ],
    [
      'gpu-memory-fit',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.args.push('--gpu-memory-utilization=0.5');
        }),
      /no_kv_memory on 4 × L4 \(g6.12xlarge\)/,
    ],
    [
      'plaintext-secret',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.env = [{ name: 'HF_TOKEN', value: 'hf_abcdefghijklmnopqrstuvwxyz0123456789' }];
        }),
      /sets env HF_TOKEN to a literal value.*Hugging Face token in its live form/,
    ],
    [
      'secret-not-in-tree',
      'warning',
      () => deployment().filter((m) => m.kind !== 'Secret'),
      /storage.key 'conn' is an entry of Secret storage-config in 'ai', which odh-model-controller writes from the data connection Secret 'conn', and the tree has no such connection/,
    ],
    [
      'model-storage-too-small',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.resources.limits['ephemeral-storage'] = '20Gi';
        }),
      /ephemeral-storage limit 20Gi is below the 43.9 GiB/,
    ],
    [
      'deployment-mode',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.metadata.annotations['serving.kserve.io/deploymentMode'] = 'Serverless';
        }),
      /'Serverless' selects a mode OpenShift AI 3.0 \(KServe 0.15, Kueue 0.14\) does not offer/,
    ],
    [
      'queue-label-missing',
      'error',
      () => [
        ...broken('InferenceService', (m) => {
          delete m.metadata.labels;
        }),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'kueue.openshift.io/managed': 'true' } } },
      ],
      /no kueue.x-k8s.io\/queue-name label, but namespace 'ai' is Kueue-managed: OpenShift AI's webhook denies it/,
    ],
    [
      'credential-keys-swapped',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'datasciencepipelinesapplications.opendatahub.io/v1',
          kind: 'DataSciencePipelinesApplication',
          metadata: { name: 'dspa', namespace: 'ai' },
          spec: {
            objectStorage: {
              externalStorage: {
                host: 's3.amazonaws.com',
                bucket: 'p',
                scheme: 'https',
                s3CredentialsSecret: { secretName: 's3', accessKey: 'AWS_SECRET_ACCESS_KEY', secretKey: 'AWS_ACCESS_KEY_ID' },
              },
            },
          },
        },
      ],
      /s3CredentialsSecret.accessKey \(the access key\) reads key 'AWS_SECRET_ACCESS_KEY' of Secret 's3', named for the secret key.*the DSPA never becomes Ready/,
    ],
    [
      'storage-path-leading-slash',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.metadata.annotations['serving.kserve.io/deploymentMode'] = 'ModelMesh';
          delete m.spec.predictor.model.storageUri;
          m.spec.predictor.model.storage = { key: 'models', path: '/llm/weights', parameters: { type: 's3', bucket: 'models' } };
        }),
      /storage.path '\/llm\/weights' begins with '\/': ModelMesh hands it to the s3 puller as the object-key prefix.*write 'llm\/weights'/,
    ],
    [
      'storage-config-invalid',
      'error',
      () => [
        ...deployment(),
        // "verify_ssl" a JSON boolean, no "type", an endpoint without its scheme
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'storage-config', namespace: 'ai' },
          stringData: { conn: '{"access_key_id": "a", "verify_ssl": false, "endpoint_url": "minio.minio.svc:9000"}' },
        },
      ],
      /key 'conn' of Secret storage-config has values that are not JSON strings \(verify_ssl: false\)/,
    ],
    [
      'storage-config-owned',
      'warning',
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'storage-config', namespace: 'ai' }, stringData: { models: '{"type":"s3"}' } },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'minio', namespace: 'ai', labels: { 'opendatahub.io/managed': 'true', 'opendatahub.io/dashboard': 'true' } },
        },
      ],
      /odh-model-controller generates storage-config from the connections of this namespace \(minio\) and overwrites this one/,
    ],
    [
      'taint-not-tolerated',
      'error',
      () =>
        broken('MachineSet', (m) => {
          m.spec.template.spec.taints = [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }];
          // the service keeps its node selector for g6.12xlarge but loses its toleration
        }).map((m) => (m.kind === 'InferenceService' ? { ...m, spec: { predictor: { ...m.spec.predictor, tolerations: [] } } } : m)),
      /selects the nodes of MachineSet gpu \(tainted nvidia.com\/gpu=true:NoSchedule\) but tolerates no such taint: the pods stay Pending/,
    ],
    [
      'node-selector-machine-label',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.nodeSelector = { 'machine.openshift.io/cluster-api-machineset': 'ocp-gpu-l4-us-east-1a' };
        }),
      /selects nodes by machine.openshift.io\/cluster-api-machineset, which the Machine API puts on Machines, not on Nodes/,
    ],
    [
      'duplicate-object',
      'error',
      () => {
        const d = deployment();
        const isvc = d.find((m) => m.kind === 'InferenceService');
        // both files listed by one kustomization: kustomize refuses the build
        const built = (manifest: any, file: string) => ({ manifest, file, line: 1, kustomizations: ['deploy'] });
        return [...d.filter((m) => m !== isvc), built(isvc, 'deploy/a.yaml'), built(structuredClone(isvc), 'deploy/b.yaml')];
      },
      /is declared twice \(also at deploy\/a.yaml:1\) in the same kustomize build of deploy; kustomize refuses the build/,
    ],
    [
      'operator-kueue-default-owned',
      'warning',
      () => [...deployment(), { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'default-flavor' } }],
      /also creates ResourceFlavor 'default-flavor' when it is missing.*two owners.*rename it/,
    ],
    [
      'local-queue-default-taken',
      'warning',
      () =>
        broken(
          'LocalQueue',
          (m) => {
            m.metadata.name = 'default';
          },
          [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'kueue.openshift.io/managed': 'true' } } }],
        ),
      /points at ClusterQueue 'cq', but OpenShift AI creates LocalQueue default → ClusterQueue default in Kueue-managed namespace 'ai'.*give this LocalQueue another name/,
    ],
    [
      'hf-token-unreachable',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = 'hf://meta-llama/Llama-3.1-8B-Instruct';
          delete m.spec.predictor.model.storage;
          m.spec.predictor.model.env = [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } } }];
        }),
      /sets HF_TOKEN on the serving container, but hf:\/\/meta-llama\/Llama-3.1-8B-Instruct is downloaded before vLLM starts by KServe's storage initializer/,
    ],
    [
      'vllm-cache-not-writable',
      'error',
      // vLLM's own image run as uid 1000, downloading a hub model with no HF_HOME: the cache is /.cache, not writable
      () =>
        broken('ServingRuntime', (m) => {
          Object.assign(m.spec.containers[0], {
            image: `vllm/vllm-openai@sha256:${'b'.repeat(64)}`,
            args: ['--port=8080', '--model=Qwen/Qwen2.5-1.5B-Instruct'],
            securityContext: { runAsUser: 1000 },
          });
        }),
      /^kserve-container \(runtime 'vllm'\): vllm\/vllm-openai@sha256:b+ is built to run as root .* runs as uid 1000 \(the container's securityContext.runAsUser\); no HF_HOME, HF_HUB_CACHE, XDG_CACHE_HOME or HOME is set, .* the Hugging Face cache is \/\.cache\/huggingface\/hub, on the image's own filesystem.*vLLM downloads Qwen\/Qwen2\.5-1\.5B-Instruct at start and fails with PermissionError/,
    ],
    [
      'modelcar-not-pinned',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = 'oci://quay.io/org/granite-modelcar:latest';
          delete m.spec.predictor.model.storage;
        }),
      /model image oci:\/\/quay.io\/org\/granite-modelcar:latest, the moving tag 'latest'/,
    ],
    [
      'hf-revision-not-pinned',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = 'hf://meta-llama/Llama-3.1-8B-Instruct';
          delete m.spec.predictor.model.storage;
        }),
      /hf:\/\/meta-llama\/Llama-3.1-8B-Instruct names no revision, .*pin the commit: write spec\.predictor\.model\.storageUri hf:\/\/meta-llama\/Llama-3.1-8B-Instruct:<commit sha>/,
    ],
    [
      'scheduler-plugin-undefined',
      'error',
      () =>
        llm({
          router: {
            scheduler: {
              config: {
                inline: {
                  apiVersion: 'inference.networking.x-k8s.io/v1alpha1',
                  kind: 'EndpointPickerConfig',
                  plugins: [{ type: 'single-profile-handler' }, { type: 'queue-scorer' }, { type: 'max-score-picker' }],
                  schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'queue-scorer' }, { pluginRef: 'max-score' }] }],
                },
              },
            },
          },
        }),
      /refers to plugin 'max-score', which the configuration's plugins do not instantiate .*: the endpoint picker refuses the configuration at start-up and routes nothing; write pluginRef: max-score-picker$/,
    ],
    [
      'gke-driver-path-missing',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'chat', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'chat' } },
            template: {
              metadata: { labels: { app: 'chat' } },
              spec: {
                nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
                containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.9.2', resources: { limits: { 'nvidia.com/gpu': '1' } } }],
              },
            },
          },
        },
      ],
      /container 'vllm' runs vllm\/vllm-openai:v0.9.2 on GKE's GPU nodes .*add env LD_LIBRARY_PATH=\/usr\/local\/nvidia\/lib64/,
    ],
    [
      'remote-code-not-downloaded',
      'warning',
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'phi', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'phi' } },
            template: {
              metadata: { labels: { app: 'phi' } },
              spec: {
                initContainers: [
                  { name: 'fetch', image: 'python:3.12', command: ['sh', '-c', 'hf download microsoft/phi-2 --include "*.safetensors" --local-dir /data/phi'] },
                ],
                containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.8.5', args: ['--model', '/data/phi', '--trust-remote-code'] }],
              },
            },
          },
        },
      ],
      /container 'vllm' serves \/data\/phi with --trust-remote-code, a folder Deployment\/ai\/phi init container 'fetch' fills .* none of which matches a .py file/,
    ],
    [
      'hf-uri-invalid',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = 'hf://bert-base-uncased';
          delete m.spec.predictor.model.storage;
        }),
      /the storage URI hf:\/\/bert-base-uncased is not hf:\/\/<owner>\/<name>\[:<revision>\]: .*"Invalid Hugging Face URI format/,
    ],
    [
      'predictor-implementation',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.containers = [{ name: 'kserve-container', env: [{ name: 'EXTRA_ARGS', value: '--max-model-len 4096' }] }];
        }),
      /spec\.predictor declares 2 implementations \(model, containers\[kserve-container\]\)/,
    ],
    [
      'inference-service-name',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.metadata.name = '7b-model';
        }),
      /'7b-model' is not an InferenceService name: KServe's webhook requires .* starting with a letter/,
    ],
    [
      'cluster-object-conflict',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'ResourceFlavor',
          metadata: { name: 'l4x4' },
          spec: { nodeLabels: { 'node.kubernetes.io/instance-type': 'g6.24xlarge' } },
        },
      ],
      /ResourceFlavor 'l4x4' is declared differently/,
    ],
    [
      'operator-group-conflict',
      'error',
      () => [
        ...deployment(),
        { apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: 'rhcl-operator-operatorgroup', namespace: 'openshift-operators' } },
      ],
      /is an OperatorGroup in namespace 'openshift-operators', where OpenShift already creates OperatorGroup 'global-operators'/,
    ],
    [
      'operator-install-mode-unsupported',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'operators.coreos.com/v1alpha1',
          kind: 'Subscription',
          metadata: { name: 'lws', namespace: 'openshift-operators' },
          spec: { name: 'leader-worker-set' },
        },
      ],
      /subscribes to leader-worker-set .* install mode AllNamespaces, which the operator's ClusterServiceVersion does not support/,
    ],
    [
      'vllm-server-not-started',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor = {
            containers: [
              {
                name: 'kserve-container',
                image: 'us-docker.pkg.dev/vertex-ai/vertex-vision-model-garden-dockers/pytorch-vllm-serve:20250116_0916_RC00',
                args: ['--model=google/gemma-2-9b-it', '--tensor-parallel-size=1'],
              },
            ],
          };
        }),
      /container 'kserve-container' gives vLLM server flags \(--model=google\/gemma-2-9b-it --tensor-parallel-size=1\) as args with no command/,
    ],
    [
      'subscription-channel-unknown',
      'error',
      () => [...deployment(), kueueSubscription('stable')],
      /spec.channel 'stable' is not a channel of package kueue-operator in redhat-operators/,
    ],
    [
      'operator-channel-mismatch',
      'error',
      // loose objects of one file: the operator on the floating 2.x channel, the platform written for 3.x
      () => [
        ...deployment(),
        {
          apiVersion: 'operators.coreos.com/v1alpha1',
          kind: 'Subscription',
          metadata: { name: 'rhods-operator', namespace: 'redhat-ods-operator' },
          spec: { name: 'rhods-operator', channel: 'fast', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
        },
        { apiVersion: 'dscinitialization.opendatahub.io/v2', kind: 'DSCInitialization', metadata: { name: 'default-dsci' }, spec: {} },
      ],
      /spec.channel 'fast' installs OpenShift AI 2.x .*DSCInitialization\/default-dsci.* is dscinitialization.opendatahub.io\/v2, which only OpenShift AI 3.x serves/,
    ],
    [
      'kueue-instance-missing',
      'error',
      () => [...deployment(), kueueSubscription('stable-v1.1')],
      /no Kueue custom resource named cluster: the operator deploys Kueue/,
    ],
    [
      'hardware-profile-namespace',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.metadata.annotations['opendatahub.io/hardware-profile-name'] = 'nvidia-l4-4gpu';
        }),
      /has no opendatahub.io\/hardware-profile-namespace/,
    ],
    [
      'sync-wave-order',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.metadata.annotations['argocd.argoproj.io/sync-wave'] = '1';
        }),
      /sync wave 1 comes before its runtime's \(5\)/,
    ],
    [
      'runtime-container-name',
      'error',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].name = 'vllm';
        }),
      /no container named 'kserve-container'/,
    ],
    [
      'namespace-not-kueue-managed',
      'warning',
      () => [...deployment(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'opendatahub.io/dashboard': 'true' } } }],
      /lacks the label kueue.openshift.io\/managed: "true"/,
    ],
    [
      'image-not-pinned',
      'warning',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].image = 'quay.io/vllm/vllm:latest';
        }),
      /uses quay.io\/vllm\/vllm:latest, the moving tag 'latest'/,
    ],
    [
      'image-reference-invalid',
      'error',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].image = 'quay.io/vllm/vllm\u2011openai:v0.8.5';
        }),
      /container 'kserve-container' image 'quay.io\/vllm\/vllm\u2011openai:v0.8.5' is not a valid image reference: character '\u2011' \(U\+2011\) at position 18/,
    ],
    [
      'image-repository-misspelt',
      'error',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].image = 'vllm/vllm-opnai:v0.8.5';
        }),
      /image 'vllm\/vllm-opnai:v0.8.5' names a repository one edit from vllm\/vllm-openai, .* did you mean 'vllm\/vllm-openai:v0.8.5'\?/,
    ],
    [
      'image-registry-withdrawn',
      'error',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers.push({ name: 'kube-rbac-proxy', image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1' });
        }),
      /container 'kube-rbac-proxy' image 'gcr.io\/kubebuilder\/kube-rbac-proxy:v0.13.1': kubebuilder's images on gcr.io were removed/,
    ],
    [
      'cluster-serving-runtime',
      'error',
      () => [...deployment(), { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ClusterServingRuntime', metadata: { name: 'vllm' }, spec: {} }],
      /does not install the ClusterServingRuntime CRD/,
    ],
    [
      'kind-not-served',
      'error',
      // written for Kueue 0.16 (v1beta2), synced to a cluster subscribed to Red Hat build of Kueue 1.2 (Kueue 0.14), which serves only v1beta1
      () => [
        ...broken('ClusterQueue', (m) => {
          m.apiVersion = 'kueue.x-k8s.io/v1beta2';
        }),
        {
          apiVersion: 'operators.coreos.com/v1alpha1',
          kind: 'Subscription',
          metadata: { name: 'kueue-operator', namespace: 'openshift-kueue-operator' },
          spec: { name: 'kueue-operator', channel: 'stable-v1.2', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
        },
      ],
      /kueue.x-k8s.io\/v1beta2 is not served for ClusterQueue by Kueue 0.14 \(Red Hat build of Kueue 1.2\) \(.*channel stable-v1.2.*\): .*no matches for kind .*write kueue.x-k8s.io\/v1beta1/,
    ],
    [
      'completion-index-not-indexed',
      'error',
      // a sharded Job reading its index from the downward API, without completionMode: Indexed
      () => [
        ...deployment(),
        {
          ...evalJob({}, {}, { completions: 2 }),
          spec: {
            completions: 2,
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [
                  {
                    name: 'c',
                    image: 'busybox',
                    env: [{ name: 'I', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }],
                  },
                ],
              },
            },
          },
        },
      ],
      /^container 'c' env I .*reads the completion index, but spec.completionMode is unset \(NonIndexed\).*set spec.completionMode: Indexed$/,
    ],
    [
      'job-selector-invalid',
      'error',
      // a Job selecting its pods by hand, without manualSelector: true
      () => [...deployment(), evalJob({}, {}, { selector: { matchLabels: { app: 'eval' } } })],
      /Job eval: spec.selector is written without spec.manualSelector: true: .*"`selector` not auto-generated"/,
    ],
    [
      'service-port-unmatched',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'ui', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'ui' } },
            template: {
              metadata: { labels: { app: 'ui' } },
              spec: { containers: [{ name: 'ui', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'ui', namespace: 'ai' },
          spec: { selector: { app: 'ui' }, ports: [{ port: 80, targetPort: 'web' }] },
        },
      ],
      /names the port 'web', which no container of Deployment\/ai\/ui that the selector picks declares/,
    ],
    [
      'vllm-probe-path-not-served',
      'error',
      () => [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'vllm', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'vllm' } },
            template: {
              metadata: { labels: { app: 'vllm' } },
              spec: {
                containers: [
                  { name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', args: ['--model', '/m'], livenessProbe: { httpGet: { path: '/v1/health', port: 8000 } } },
                ],
              },
            },
          },
        },
      ],
      /^container 'vllm' livenessProbe.httpGet.path: \/v1\/health is no path vLLM's server \(listening on 8000\) serves: it answers 404/,
    ],
    [
      'model-server-port-not-served',
      'error',
      () => [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'tei', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'tei' } },
            template: {
              metadata: { labels: { app: 'tei' } },
              spec: {
                containers: [
                  {
                    name: 'tei',
                    image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.7',
                    args: ['--model-id', 'org/m', '--port', '8080'],
                    readinessProbe: { httpGet: { path: '/embed', port: 8080 } },
                  },
                ],
                volumes: [],
              },
            },
          },
        },
      ],
      /^container 'tei' readinessProbe.httpGet asks GET \/embed on port 8080, which Text Embeddings Inference routes for POST only: it answers 405/,
    ],
    [
      'model-path-not-filled',
      'error',
      () => [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'triton', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'triton' } },
            template: {
              metadata: { labels: { app: 'triton' } },
              spec: {
                containers: [
                  {
                    name: 'triton',
                    image: 'nvcr.io/nvidia/tritonserver:24.08-py3',
                    command: ['tritonserver', '--model-repository=/models'],
                    volumeMounts: [{ name: 'repo', mountPath: '/models' }],
                  },
                ],
                volumes: [{ name: 'repo', emptyDir: {} }],
              },
            },
          },
        },
      ],
      /^container 'triton' runs Triton Inference Server with --model-repository \/models, on volume 'repo' mounted at \/models, an emptyDir/,
    ],
    [
      'readiness-probe-too-sparse',
      'warning',
      () => [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'vllm', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'vllm' } },
            template: {
              metadata: { labels: { app: 'vllm' } },
              spec: {
                containers: [
                  {
                    name: 'vllm',
                    image: 'vllm/vllm-openai:v0.11.0',
                    args: ['--model', 'org/m'],
                    readinessProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 900 },
                  },
                ],
                volumes: [],
              },
            },
          },
        },
      ],
      /^container 'vllm' readinessProbe runs every 900 s \(periodSeconds\)/,
    ],
    [
      'llm-tls-file-not-mounted',
      'error',
      () =>
        llm({
          template: {
            containers: [
              {
                name: 'main',
                command: ['vllm', 'serve', '/mnt/models'],
                args: ['--ssl-certfile', '/etc/tls/tls.crt'],
                resources: { limits: { 'nvidia.com/gpu': '1' } },
              },
            ],
          },
        }),
      /passes --ssl-certfile \/etc\/tls\/tls.crt, under no volumeMount of the merged container/,
    ],
    [
      'service-selector-unmatched',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'ui', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'chat-ui' } },
            template: { metadata: { labels: { app: 'chat-ui' } }, spec: { containers: [{ name: 'ui', image: 'x' }] } },
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ui', namespace: 'ai' }, spec: { selector: { app: 'chatui' }, ports: [{ port: 80 }] } },
      ],
      /^spec.selector app=chatui matches no pod of the tree: Deployment\/ai\/ui's pods carry app=chat-ui\. The Service gets no endpoints/,
    ],
    [
      'service-mixes-models',
      'error',
      () => {
        const server = (name: string, model: string) => ({
          manifest: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name, namespace: 'ai' },
            spec: {
              selector: { matchLabels: { app: 'llm', model: name } },
              template: {
                metadata: { labels: { app: 'llm', model: name } },
                spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', model] }] },
              },
            },
          },
          file: `deploy/${name}.yaml`,
          line: 1,
          kustomizations: ['deploy'],
        });
        const svc = {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'llm', namespace: 'ai' },
          spec: { selector: { app: 'llm' }, ports: [{ port: 8000 }] },
        };
        return [
          server('qwen', 'Qwen/Qwen3-8B'),
          server('llama', 'meta-llama/Llama-3.1-8B-Instruct'),
          { manifest: svc, file: 'deploy/svc.yaml', line: 1, kustomizations: ['deploy'] },
        ];
      },
      /^spec.selector app=llm matches the pods of Deployment\/ai\/qwen \(serving 'Qwen\/Qwen3-8B'\) and of Deployment\/ai\/llama/,
    ],
    [
      'monitor-selects-nothing',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'ui', namespace: 'ai', labels: { app: 'ui' } },
          spec: { selector: { app: 'ui' }, ports: [{ port: 80 }] },
        },
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: { name: 'ui', namespace: 'ai' },
          spec: { selector: { matchLabels: { app: 'ui' } }, endpoints: [{ port: 'metrics' }] },
        },
        // what makes a monitor that scrapes nothing an error: a KEDA scaler on the metrics
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: 'ui', namespace: 'ai' },
          spec: { scaleTargetRef: { name: 'ui' }, triggers: [{ type: 'prometheus', metadata: { query: 'sum(http_requests)', threshold: '10' } }] },
        },
      ],
      /^spec.endpoints\[0\].port 'metrics' is the name of no port of Service\/ai\/ui, which the selector matches \(ports: an unnamed port 80\)/,
    ],
    [
      'token-secret-account-missing',
      'error',
      // the namespace's account is 'runner'; the token Secret names 'setup'
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner', namespace: 'ai' } },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'setup-token', namespace: 'ai', annotations: { 'kubernetes.io/service-account.name': 'setup' } },
          type: 'kubernetes.io/service-account-token',
        },
      ],
      /^metadata.annotations.kubernetes.io\/service-account.name 'setup': the tree creates ServiceAccount 'runner' in namespace 'ai', but not 'setup'/,
    ],
    [
      'namespace-moved-from-platform',
      'warning',
      // as the reader gives it: built by a kustomization whose namespace: replaced the file's openshift-storage
      () => [
        ...deployment(),
        {
          manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rook-ceph-operator-config', namespace: 'ai' }, data: {} },
          kustomizations: ['gitops/models'],
          movedFrom: 'openshift-storage',
        },
      ],
      /its file puts it in namespace 'openshift-storage', but a kustomization's namespace: moves it to 'ai'/,
    ],
    [
      'kind-in-unknown-group',
      'error',
      // KFServing's group, which no OpenShift AI release installs
      () =>
        broken('InferenceService', (m) => {
          m.apiVersion = 'serving.kubeflow.org/v1beta1';
        }),
      /kind InferenceService is served in serving.kserve.io, not in serving.kubeflow.org.*write apiVersion serving.kserve.io\/v1beta1/,
    ],
    [
      'field-unknown',
      'error',
      // the runtime's dashboard label written beside metadata, as a public GitOps tree had it
      () =>
        broken('ServingRuntime', (m) => {
          m.labels = { 'opendatahub.io/dashboard': 'true' };
        }),
      /unknown field 'labels' \(at the top level\): not in the CRD servingruntimes.serving.kserve.io schema.*did you mean metadata.labels\?$/,
    ],
    [
      'field-required-missing',
      'error',
      // a runtime with its model format listed by autoSelect only: ServingRuntime's CRD requires the format's name
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.supportedModelFormats = [{ autoSelect: true }];
        }),
      /ServingRuntime lacks the required field spec.supportedModelFormats\[0\].name: the CRD servingruntimes.serving.kserve.io schema requires it/,
    ],
    [
      'field-value-invalid',
      'error',
      // a runtime switched off with the string "true": the ServingRuntime CRD types spec.disabled as a boolean
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.disabled = 'true';
        }),
      /ServingRuntime vllm sets spec.disabled to "true", where the CRD servingruntimes.serving.kserve.io schema allows a boolean \(true or false\): the API server refuses .* write true without quotes$/,
    ],
    [
      'priority-class-not-found',
      'error',
      // the name of a Kueue WorkloadPriorityClass written as the pod's priorityClassName
      () => [...deployment(), URGENT, evalJob({}, { priorityClassName: 'urgent' })],
      /spec.template.spec.priorityClassName 'urgent' names no PriorityClass.*'urgent' is a Kueue WorkloadPriorityClass, a different kind; give the workload the label kueue.x-k8s.io\/priority-class: urgent/,
    ],
    [
      'workload-priority-not-applied',
      'error',
      // the WorkloadPriorityClass written as an annotation of a queued Job
      () => [
        ...deployment(),
        URGENT,
        evalJob({ labels: { 'kueue.x-k8s.io/queue-name': 'gpu' }, annotations: { 'kueue.x-k8s.io/priority-class': 'urgent' } }, {}, { suspend: true }),
      ],
      /^metadata.annotations sets kueue.x-k8s.io\/priority-class: urgent, but Kueue reads the WorkloadPriorityClass only from the label .*move it to metadata.labels$/,
    ],
    [
      'service-account-not-found',
      'error',
      // a workload's account the tree never creates, in a namespace it does create
      () => [...deployment(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai' } }, evalJob({}, { serviceAccountName: 'eval-runner' })],
      /spec.template.spec.serviceAccountName 'eval-runner': namespace 'ai' is created by the tree \(Namespace ai\), and no ServiceAccount 'eval-runner' is in it/,
    ],
    [
      'live-object-fields',
      'error',
      // a ConfigMap saved from a live cluster: its owner's uid exists only there
      () => [
        ...deployment(),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'settings',
            namespace: 'ai',
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm', uid: '0b7d2c4e-1111-4a5b-9c3d-2e6f7a8b9c0d' }],
          },
          data: { k: 'v' },
        },
      ],
      /metadata.ownerReferences names Deployment llm by uid 0b7d2c4e-1111-4a5b-9c3d-2e6f7a8b9c0d, which no object of the tree carries/,
    ],
    [
      'scc-refuses-pod',
      'error',
      // a Job on the host's network as the default account of a namespace the tree creates: restricted-v2 is all it may use
      () => [...deployment(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai' } }, evalJob({}, { hostNetwork: true })],
      /ServiceAccount 'default' in namespace 'ai' may use only restricted-v2; .*restricted-v2 refuses this pod: hostNetwork: true; the Job cannot create the pods/,
    ],
    [
      'dcgm-pod-resources-missing',
      'warning',
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'dcgm', namespace: 'ai' },
          spec: { template: { spec: { containers: [{ name: 'e', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04', args: ['-k'] }] } } },
        },
      ],
      /container 'e' runs .* in Kubernetes mode .* but mounts nothing at \/var\/lib\/kubelet\/pod-resources/,
    ],
    [
      'inference-model-not-served',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
          kind: 'InferencePool',
          metadata: { name: 'pool', namespace: 'ai' },
          spec: { selector: { app: 'srv' }, targetPortNumber: 8000 },
        },
        {
          apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
          kind: 'InferenceModel',
          metadata: { name: 'chat', namespace: 'ai' },
          spec: { modelName: 'chat', poolRef: { name: 'pool' } },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'srv', namespace: 'ai' },
          spec: {
            template: {
              metadata: { labels: { app: 'srv' } },
              spec: { containers: [{ name: 'v', image: 'vllm/vllm-openai:v0.10.2', args: ['--model', 'org/m'] }] },
            },
          },
        },
      ],
      /spec.modelName 'chat' is the model name the endpoint picker sends to InferencePool 'pool', but Deployment\/ai\/srv serves 'org\/m'/,
    ],
    [
      'pod-reference-not-found',
      'error',
      // a Job mounting a claim the tree never creates, in a namespace it does create
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai' } },
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'eval', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'out', mountPath: '/out' }] }],
                volumes: [{ name: 'out', persistentVolumeClaim: { claimName: 'eval-results' } }],
              },
            },
          },
        },
      ],
      /spec.template.spec.volumes\[out\].persistentVolumeClaim.claimName 'eval-results': namespace 'ai' is created by the tree \(Namespace ai\), and no PersistentVolumeClaim 'eval-results' is in it/,
    ],
    [
      'command-typographic-quote',
      'error',
      // a manifest pasted from a document whose quotes were made typographic
      () => [
        ...deployment(),
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'warmup', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                containers: [{ name: 'warmup', image: 'curlimages/curl:8.10.1', command: ['“/bin/sh”', '“-c”'], args: ['curl -sf http://vllm:8080/health'] }],
              },
            },
          },
        },
      ],
      /container 'warmup': command\[0\] “\/bin\/sh”, command\[1\] “-c” are written between typographic quotes.*execs a file named “\/bin\/sh”, which does not exist/,
    ],
    [
      'probe-port-name-undeclared',
      'error',
      // a sidecar probed on a port name its ports do not carry
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'gateway', namespace: 'ai' },
          spec: {
            selector: { matchLabels: { app: 'gateway' } },
            template: {
              metadata: { labels: { app: 'gateway' } },
              spec: {
                containers: [
                  {
                    name: 'envoy',
                    image: 'envoyproxy/envoy:v1.31.0',
                    ports: [{ containerPort: 8080, name: 'http' }],
                    readinessProbe: { httpGet: { path: '/ready', port: 'admin' } },
                  },
                ],
              },
            },
          },
        },
      ],
      /containers\[0\] \('envoy'\) readinessProbe.httpGet.port 'admin': the container declares only http \(8080\).*"port admin not found"/,
    ],
    [
      'capability-name-invalid',
      'error',
      // a misspelt capability the runtime does not know
      () => [
        ...deployment(),
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'nccl-check', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'nccl', image: 'nvcr.io/nvidia/pytorch:24.10-py3', securityContext: { capabilities: { add: ['IPC_LOK'] } } }],
              },
            },
          },
        },
      ],
      /capabilities.add\[0\] 'IPC_LOK' is no Linux capability: CRI-O refuses to create the container.*write IPC_LOCK/,
    ],
    [
      'vllm-image-device-mismatch',
      'error',
      // vLLM's default image is its CUDA build: a CPU-only server needs the -cpu build
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'cpu-llm', namespace: 'ai' },
          spec: { template: { spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:latest', args: ['--device', 'cpu'] }] } } },
        },
      ],
      /container 'vllm' runs vllm\/vllm-openai:latest, vLLM's CUDA build, on CPUs \('--device cpu', no accelerator requested\).*use the CPU build vllm\/vllm-openai-cpu/,
    ],
    [
      'metadata-invalid',
      'error',
      // the dashboard label written unquoted: YAML reads a boolean, the API server wants a string
      () =>
        broken('ServingRuntime', (m) => {
          m.metadata.labels = { 'opendatahub.io/dashboard': true };
        }),
      /metadata.labels.opendatahub.io\/dashboard is bool true, not a string.*quote it: opendatahub.io\/dashboard: "true"$/,
    ],
    [
      'pod-spec-invalid',
      'error',
      // the GPU toleration's operator misspelled: the CRD admits it, the Deployment KServe makes from it is refused
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.tolerations = [{ key: 'nvidia.com/gpu', operator: 'Equals', value: 'true', effect: 'NoSchedule' }];
        }),
      /spec.predictor.tolerations\[0\].operator 'Equals': the API server refuses the Deployment KServe makes from it.*"Unsupported value: "Equals": supported values: "Equal", "Exists"".*write operator: Equal$/,
    ],
    [
      'argument-not-split',
      'error',
      // the namespace option and its value typed as one element: tkn gets one word
      () => [
        ...deployment(),
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'cleanup', namespace: 'ai' },
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'tkn', image: 'quay.io/example/tkn:1', command: ['tkn', 'pr', 'delete', 'x', '-n ai'] }] },
            },
          },
        },
      ],
      /container 'tkn' command element "-n ai" is one argument: the kubelet runs the exec form without a shell/,
    ],
    [
      'shell-continuation-broken',
      'error',
      // a script line ends in an escaped backslash: the options of the next line are a command of their own
      () => [
        ...deployment(),
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'bench', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'bench', image: 'quay.io/example/bench:1', command: ['sh', '-c'], args: ['exec bench run \\\\\n  --requests=100\n'] }],
              },
            },
          },
        },
      ],
      /container 'bench': line 1 of its shell script ends in '\\\\' \(an escaped backslash/,
    ],
    [
      'ingress-class-conflict',
      'error',
      // the class named twice, by the old annotation and by the field, with different values: refused on create
      () => [
        ...deployment(),
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web', namespace: 'ai', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
          spec: { ingressClassName: 'openshift-default', defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
        },
      ],
      /metadata.annotations.kubernetes.io\/ingress.class \('nginx'\) names another class than spec.ingressClassName \('openshift-default'\): the API server refuses to create the Ingress/,
    ],
    [
      'ingress-backend-not-found',
      'error',
      // the namespace's Service is 'web'; the Ingress names 'web-svc'
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ai' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web', namespace: 'ai' },
          spec: { ingressClassName: 'nginx', defaultBackend: { service: { name: 'web-svc', port: { number: 80 } } } },
        },
      ],
      /spec.defaultBackend.service.name names Service 'web-svc', which is not in namespace 'ai', though the tree holds the namespace's Services \(web\)/,
    ],
    [
      'value-not-base64',
      'error',
      // a token written in plain text under data, which the API server decodes as base64
      () => [...deployment(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', namespace: 'ai' }, data: { token: 'hf example token' } }],
      /Secret hf sets data.token to "hf example token", which is not base64.*Fix: move the plain value to stringData.token/,
    ],
    [
      'service-invalid',
      'error',
      // a quoted container port number, which the API server reads as a port name
      () => [
        ...deployment(),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'api', namespace: 'ai' },
          spec: { selector: { app: 'x' }, ports: [{ port: 80, targetPort: '8080' }] },
        },
      ],
      /Service api spec.ports\[0\].targetPort \(8080\): must contain at least one letter.*write the number without quotes \(targetPort: 8080\)/,
    ],
    [
      'secret-invalid',
      'error',
      // a registry connection whose pull credentials were left for later: the type requires them
      () => [
        ...deployment(),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'pull', namespace: 'ai' },
          type: 'kubernetes.io/dockerconfigjson',
          stringData: { OCI_HOST: 'registry:5000' },
        },
      ],
      /type kubernetes.io\/dockerconfigjson needs the key '.dockerconfigjson' in data or stringData/,
    ],
    [
      'deprecated-api-version',
      'warning',
      // HardwareProfile v1alpha1 is still served on 3.0, with v1 stored
      () => [
        ...deployment(),
        { apiVersion: 'infrastructure.opendatahub.io/v1alpha1', kind: 'HardwareProfile', metadata: { name: 'gpu', namespace: 'ai' }, spec: {} },
      ],
      /infrastructure.opendatahub.io\/v1alpha1 is deprecated on OpenShift AI 3.0 .*write infrastructure.opendatahub.io\/v1/,
    ],
    [
      'cluster-queue-invalid',
      'error',
      // a limit to borrow up to, in a ClusterQueue that joins no cohort to borrow from
      () =>
        broken('ClusterQueue', (m) => {
          m.spec.resourceGroups[0].flavors[0].resources[0].borrowingLimit = 2;
        }),
      /the API server refuses this ClusterQueue.*sets borrowingLimit for '.*' in a ClusterQueue without a cohort/,
    ],
    [
      'resource-flavor-not-found',
      'error',
      // the GPU flavor renamed in the queue but not in the tree's ResourceFlavor
      () =>
        broken('ClusterQueue', (m) => {
          m.spec.resourceGroups[0].flavors[0].name = 'renamed-gpus';
        }),
      /resourceGroups\[0\]\.flavors\[0\] names ResourceFlavor 'renamed-gpus', which the tree does not define .*FlavorNotFound/,
    ],
    [
      'admission-check-not-found',
      'error',
      // the queue lists a check the tree renamed
      () => [
        ...broken('ClusterQueue', (m) => {
          m.spec.admissionChecks = ['old-check'];
        }),
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'AdmissionCheck',
          metadata: { name: 'new-check' },
          spec: { controllerName: 'kueue.x-k8s.io/provisioning-request' },
        },
      ],
      /spec\.admissionChecks\[0\] names AdmissionCheck 'old-check', which the tree does not define .*AdmissionCheckNotFound/,
    ],
    [
      'multikueue-reference-missing',
      'error',
      // the MultiKueue check names a config the tree calls otherwise
      () => [
        ...deployment(),
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'AdmissionCheck',
          metadata: { name: 'mk' },
          spec: { controllerName: 'kueue.x-k8s.io/multikueue', parameters: { apiGroup: 'kueue.x-k8s.io', kind: 'MultiKueueConfig', name: 'cfg' } },
        },
        { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'MultiKueueConfig', metadata: { name: 'workers' }, spec: { clusters: [] } },
      ],
      /spec\.parameters names MultiKueueConfig 'cfg', which the tree does not define .*BadConfig/,
    ],
    [
      'kai-queue-not-found',
      'error',
      // a KAI pod in a queue the tree does not define
      () => [
        ...deployment(),
        { apiVersion: 'scheduling.run.ai/v2', kind: 'Queue', metadata: { name: 'team-a' }, spec: {} },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'kai', namespace: 'ai', labels: { 'kai.scheduler/queue': 'team-b' } },
          spec: { schedulerName: 'kai-scheduler', containers: [{ name: 'c', image: 'busybox:1.36' }] },
        },
      ],
      /kai\.scheduler\/queue: 'team-b' names a Queue the tree does not define/,
    ],
    [
      'referenced-key-missing',
      'error',
      // the service reads a key its Secret in the tree does not have
      () => {
        const d = broken('Secret', (m) => {
          m.stringData = { AWS_S3_BUCKET: 'models' };
        });
        d.find((m) => m.kind === 'InferenceService').spec.predictor.model.env = [
          { name: 'AWS_S3_ENDPOINT', valueFrom: { secretKeyRef: { name: 'conn', key: 'AWS_S3_ENDPOINT' } } },
        ];
        return d;
      },
      /reads key 'AWS_S3_ENDPOINT' of Secret conn in 'ai', which the tree declares with only AWS_S3_BUCKET/,
    ],
    [
      'vllm-model-missing',
      'error',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].command = ['python', '-m', 'vllm.entrypoints.openai.api_server'];
          m.spec.containers[0].args = ['--port=8080'];
        }),
      /starts vLLM's server with no model/,
    ],
    [
      'binding-subject-namespace',
      'error',
      // the grant names the account of a namespace the tree never mentions; the tree's account of that name is in ai
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'puller', namespace: 'ai' } },
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'pull', namespace: 'ai' },
          spec: { template: { spec: { serviceAccountName: 'puller', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'anyuid', namespace: 'ai' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:anyuid' },
          subjects: [{ kind: 'ServiceAccount', name: 'puller', namespace: 'ai-dev' }],
        },
      ],
      /subjects\[0\] is ServiceAccount 'puller' of namespace 'ai-dev', of which the tree holds nothing, .* Job pull runs as it: .* set subjects\[0\].namespace: ai/,
    ],
    [
      'rbac-api-group-version',
      'error',
      // the core group written as its version: the bound role grants nothing on secrets
      () => [...deployment(), ...readerRoleBoundToDefault({ apiGroups: ['v1'], resources: ['secrets'], verbs: ['get'] })],
      /rules\[0\]\.apiGroups "v1" is a version, not an API group: .* grants nothing on secrets \(group ""\); RoleBinding 'reader' gives this role/,
    ],
    [
      'kserve-s3-annotation-invalid',
      'error',
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3', namespace: 'ai', annotations: { 'serving.kserve.io/s3-endpoint': 's3://minio:9000' } } },
      ],
      // a scheme KServe never reads (http:// and https:// are kept from KServe 0.17 and OpenShift AI 3.0 on)
      /annotation serving\.kserve\.io\/s3-endpoint 's3:\/\/minio:9000' holds the scheme s3:\/\//,
    ],
    [
      'rbac-resource-not-plural',
      'error',
      // the singular of a resource: the bound role grants nothing on secrets
      () => [...deployment(), ...readerRoleBoundToDefault({ apiGroups: [''], resources: ['secret'], verbs: ['get'] })],
      /rules\[0\]\.resources 'secret' is not a resource name: .* grants nothing on it; RoleBinding 'reader' gives this role.*; write 'secrets'/,
    ],
    [
      'storage-class-not-found',
      'error',
      () => [
        ...deployment(),
        { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'models-premium' }, provisioner: 'disk.csi.azure.com' },
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'weights', namespace: 'ai' },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'model-premium', resources: { requests: { storage: '10Gi' } } },
        },
      ],
      /spec.storageClassName 'model-premium' is no StorageClass of the tree, which declares 'models-premium'/,
    ],
    [
      'vllm-architecture-unsupported',
      'error',
      // Gemma 3 served from a runtime whose image predates vLLM's Gemma 3 support and its Transformers fallback
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].image = 'vllm/vllm-openai:v0.7.0';
        }).map((m) =>
          m.kind === 'InferenceService'
            ? { ...m, spec: { predictor: { ...m.spec.predictor, model: { ...m.spec.predictor.model, storageUri: 'hf://google/gemma-3-27b-it' } } } }
            : m,
        ),
      /runs vLLM 0\.7\.0 .* with hf:\/\/google\/gemma-3-27b-it, a Gemma 3 model by its name: vLLM registers Gemma3ForConditionalGeneration from 0\.8\.0 on/,
    ],
    [
      'vllm-dtype-unsupported',
      'error',
      // Gemma 3 on a current vLLM told to run in half precision: vLLM refuses float16 for model type gemma3
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].image = 'vllm/vllm-openai:v0.10.1';
          m.spec.containers[0].args = [...m.spec.containers[0].args, '--dtype=half'];
        }).map((m) =>
          m.kind === 'InferenceService'
            ? { ...m, spec: { predictor: { ...m.spec.predictor, model: { ...m.spec.predictor.model, storageUri: 'hf://google/gemma-3-27b-it' } } } }
            : m,
        ),
      /serves hf:\/\/google\/gemma-3-27b-it \(a Gemma 3 model by its name\) with --dtype half: vLLM refuses float16 for model type 'gemma3'/,
    ],
    [
      'vllm-gpu-generation',
      'error',
      // Marlin AWQ kernels asked for on the T4s of g4dn.12xlarge nodes the predictor and its Kueue flavor select
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].args = [...m.spec.containers[0].args, '--quantization=awq_marlin'];
        }).map((m) =>
          m.kind === 'InferenceService' || m.kind === 'ResourceFlavor' ? JSON.parse(JSON.stringify(m).replace(/g6\.12xlarge/g, 'g4dn.12xlarge')) : m,
        ),
      /passes --quantization awq_marlin, whose kernels need compute capability 8\.0 or more; T4 has 7\.5/,
    ],
    [
      'network-policy-blocks-download',
      'error',
      // the service downloads from huggingface.co; the namespace's egress policy lets its pods reach cluster pods only
      () => [
        ...deployment().map((m) =>
          m.kind === 'InferenceService'
            ? { ...m, spec: { predictor: { ...m.spec.predictor, model: { ...m.spec.predictor.model, storageUri: 'hf://Qwen/Qwen2.5-1.5B-Instruct' } } } }
            : m,
        ),
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'cluster-only', namespace: 'ai' },
          spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] },
        },
      ],
      /the storage initializer downloads hf:\/\/Qwen\/Qwen2\.5-1\.5B-Instruct from huggingface\.co, but NetworkPolicy 'cluster-only' selects its pod/,
    ],
    [
      'vllm-flag-repeated',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.args.push('--max_model_len', '8192');
        }),
      /--max-model-len is given 2 times with different values: --max-model-len=16384 \(the InferenceService's args\), --max-model-len=8192 \(the InferenceService's args\); vLLM keeps the last, --max-model-len=8192/,
    ],
    [
      'vllm-flag-unknown',
      'error',
      // a typo of --max-model-len: vLLM's parser stops on an option no release has
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.args.push('--max-model-length', '4096');
        }),
      /--max-model-length \(the InferenceService's args\) goes to vLLM: no vLLM release from 0\.6\.0 to \d+\.\d+\.\d+ has --max-model-length.*the nearest options are --max-model-len: write the option meant, or drop it/,
    ],
    [
      'vllm-service-name-collides',
      'error',
      // a Service named vllm beside the raw-deployment predictor: the kubelet sets VLLM_PORT=tcp://… in its pod
      () => [...deployment(), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'vllm', namespace: 'ai' }, spec: { ports: [{ port: 80 }] } }],
      /the kubelet sets VLLM_PORT=tcp:\/\/<cluster IP>:<port> in the pods of InferenceService\/ai\/llm \(container 'kserve-container'\).*rename the Service/,
    ],
    [
      'vllm-port-env-taken',
      'error',
      // vLLM 0.4.3 told to open its internal sockets from its serving port
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'old-chat', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'server', image: 'vllm/vllm-openai:v0.4.3', env: [{ name: 'VLLM_PORT', value: '8000' }], args: ['--model', 'facebook/opt-125m'] },
                ],
              },
            },
          },
        },
      ],
      /container 'server' sets VLLM_PORT=8000, the port vLLM serves on \(vLLM's default, no --port given\): vLLM 0\.4\.3 .*remove VLLM_PORT/,
    ],
    [
      'env-shell-reference',
      'warning',
      // the image's library path extended as a shell would: the kubelet copies '$LD_LIBRARY_PATH' as written
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'lib-path', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'server',
                    image: 'registry.example.com/app:1.0',
                    env: [{ name: 'LD_LIBRARY_PATH', value: '/usr/local/nvidia/lib64:$LD_LIBRARY_PATH' }],
                  },
                ],
              },
            },
          },
        },
      ],
      /env LD_LIBRARY_PATH is '\/usr\/local\/nvidia\/lib64:\$LD_LIBRARY_PATH'.*replaces the image's LD_LIBRARY_PATH; write the full value/,
    ],
    [
      'accelerator-resource-unknown',
      'error',
      // TPU chips asked for under NVIDIA's domain on GKE TPU nodes
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'tpu', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                nodeSelector: { 'cloud.google.com/gke-tpu-topology': '2x2' },
                containers: [{ name: 'server', image: 'registry.example.com/app:1.0', resources: { limits: { 'nvidia.com/tpu': '4' } } }],
              },
            },
          },
        },
      ],
      /requests nvidia\.com\/tpu \(NVIDIA\) but the pod runs only on GKE TPU nodes .*request google\.com\/tpu/,
    ],
    [
      'kv-events-endpoint-not-bound',
      'error',
      // KV cache events published on the pod's own IP: vLLM connects there instead of listening
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'decode', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'vllm',
                    image: 'vllm/vllm-openai:v0.11.0',
                    args: [
                      '--model',
                      'facebook/opt-125m',
                      '--kv-events-config',
                      '{"enable_kv_cache_events":true,"publisher":"zmq","endpoint":"tcp://$(POD_IP):5557"}',
                    ],
                    env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
                  },
                ],
              },
            },
          },
        },
      ],
      /endpoint 'tcp:\/\/\$\(POD_IP\):5557'.*connects to its own pod's port 5557.*"tcp:\/\/\*:5557"/,
    ],
    [
      'script-variable-unset',
      'error',
      // a Job's script sets MODEL_BUCKET and writes ${BUCKET} into the Secret it applies
      () => [
        ...deployment(),
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'connect', namespace: 'ai' },
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [
                  {
                    name: 'oc',
                    image: 'registry.example.com/oc:4.16',
                    command: [
                      '/bin/sh',
                      '-c',
                      'MODEL_BUCKET=$(cat /etc/bucket)\ncat <<EOF | oc apply -f -\nkind: Secret\nmetadata:\n  name: s3\nstringData:\n  bucket: ${BUCKET}\nEOF\n',
                    ],
                  },
                ],
              },
            },
          },
        },
      ],
      /writes \$\{BUCKET\} into the heredoc of line 2 .*the script sets MODEL_BUCKET, which is likely the one meant/,
    ],
    [
      'nixl-side-channel-host',
      'error',
      // prefill and decode in two Deployments, the NIXL side channel left on localhost
      () => [
        ...deployment(),
        ...['prefill:kv_producer', 'decode:kv_consumer'].map((pair) => {
          const [name, role] = pair.split(':');
          const args = ['--model', 'facebook/opt-125m', '--kv-transfer-config', `{"kv_connector":"NixlConnector","kv_role":"${role}"}`];
          return {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name, namespace: 'ai' },
            spec: { template: { spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args }] } } },
          };
        }),
      ],
      /container 'vllm' runs vLLM with the NixlConnector \(kv_producer\) without VLLM_NIXL_SIDE_CHANNEL_HOST.*its peer container 'vllm' \(kv_consumer\) of Deployment 'decode' runs in another pod/,
    ],
    [
      'scaled-object-hpa-conflict',
      'error',
      // KEDA told to scale the predictor KServe already gives an HPA (no autoscalerClass)
      () => [
        ...deployment(),
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: 'q', namespace: 'ai' },
          spec: { scaleTargetRef: { name: 'llm-predictor' }, triggers: [] },
        },
      ],
      /spec\.scaleTargetRef names llm-predictor, the Deployment KServe makes for InferenceService\/ai\/llm, which sets no serving\.kserve\.io\/autoscalerClass.*annotate InferenceService\/ai\/llm with serving\.kserve\.io\/autoscalerClass: external/,
    ],
    [
      'volume-claim-multi-attach',
      'error',
      // the predictor's claim on ReadWriteOncePod, with two replicas: the scheduler admits one pod
      () => [
        ...broken('InferenceService', (m) => {
          m.spec.predictor.minReplicas = 2;
          m.spec.predictor.volumes = [{ name: 'adapters', persistentVolumeClaim: { claimName: 'adapters' } }];
        }),
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'adapters', namespace: 'ai' }, spec: { accessModes: ['ReadWriteOncePod'] } },
      ],
      /accessModes \[ReadWriteOncePod\]: InferenceService\/ai\/llm \(2 pods\) mount it, but ReadWriteOncePod admits one pod in the whole cluster/,
    ],
    [
      'scale-from-zero-unreachable',
      'error',
      // the raw-mode predictor scaled to zero on its own vLLM metric
      () =>
        broken(
          'InferenceService',
          (m) => {
            m.metadata.annotations = { ...m.metadata.annotations, 'serving.kserve.io/autoscalerClass': 'external' };
          },
          [
            {
              apiVersion: 'keda.sh/v1alpha1',
              kind: 'ScaledObject',
              metadata: { name: 'q', namespace: 'ai' },
              spec: {
                scaleTargetRef: { name: 'llm-predictor' },
                triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://p:9090', threshold: '2', query: 'avg(vllm:kv_cache_usage_perc)' } }],
              },
            },
          ],
        ),
      /spec\.minReplicaCount \(unset, KEDA defaults it to 0\) lets KEDA scale InferenceService\/ai\/llm to zero.*\(vllm:kv_cache_usage_perc\)/,
    ],
    [
      'vllm-switch-given-value',
      'error',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.args.push('--enforce-eager=false');
        }),
      /--enforce-eager=false \(the InferenceService's args\): --enforce-eager is a switch that takes no value; .*drop --enforce-eager \(off is vLLM's default\)/,
    ],
    [
      'vllm-port-mismatch',
      'error',
      // the runtime's image is vLLM's own (its entrypoint `vllm serve`, on 8000 without --port) and declares no containerPort
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].image = `vllm/vllm-openai@sha256:${'b'.repeat(64)}`;
          m.spec.containers[0].args = ['--model=/mnt/models'];
        }),
      /vLLM listens on 8000 \(vLLM's default, no --port given\) but KServe's Service targets 8080 \(KServe's default, kserve-container declaring no containerPort\): requests to the service are refused; add --port=8080 to the args of ServingRuntime 'vllm' \(or spec.predictor.model.args\)/,
    ],
    [
      'vllm-env-args-unread',
      'warning',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].command = ['python3', '-m', 'vllm.entrypoints.openai.api_server'];
          m.spec.containers[0].env = [{ name: 'EXTRA_ARGS', value: '--enable-prefix-caching' }];
        }),
      /ServingRuntime 'vllm' env EXTRA_ARGS holds vLLM flags \(--enable-prefix-caching\) but the serving container's command line never expands \$EXTRA_ARGS/,
    ],
    [
      'vllm-cpu-memory',
      'error',
      () => {
        const d = deployment();
        d.find((m) => m.kind === 'ServingRuntime').spec.containers[0].image = `quay.io/vllm/vllm-cpu@sha256:${'c'.repeat(64)}`;
        const model = d.find((m) => m.kind === 'InferenceService').spec.predictor.model;
        model.args = ['--max-model-len=16384'];
        model.resources = { requests: { cpu: '16', memory: '32Gi' }, limits: { cpu: '16', memory: '32Gi' } };
        return d;
      },
      /limits.memory 32Gi is below what vLLM on CPU holds once started: the weights of mistral-small-24b-instruct-2501 \(43.9 GiB\) plus the KV-cache space \(VLLM_CPU_KVCACHE_SPACE unset: vLLM's default of 4 GiB/,
    ],
    [
      'limit-range-gpu-default',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'limits', namespace: 'ai' },
          spec: { limits: [{ type: 'Container', default: { 'nvidia.com/gpu': '1' } }] },
        },
        evalJob({}, {}),
      ],
      /defaults nvidia.com\/gpu: 1 \(spec.limits\[0\].default\): .* in the tree: Job\/eval container/,
    ],
    [
      'resource-quota-must-specify',
      'warning',
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'ai' }, spec: { hard: { 'limits.memory': '64Gi' } } },
        evalJob({}, {}),
      ],
      /ResourceQuota compute in namespace 'ai' sets limits.memory, .*"failed quota: compute: must specify limits.memory for: c"/,
    ],
    [
      'shared-gpu-request-over-one',
      'error',
      () => [
        { apiVersion: 'nvidia.com/v1', kind: 'ClusterPolicy', metadata: { name: 'cluster-policy' }, spec: { devicePlugin: { config: { name: 'sharing' } } } },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'sharing', namespace: 'gpu-operator' },
          data: { any: 'version: v1\nsharing:\n  mps:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: 3\n' },
        },
        {
          ...evalJob({}, {}),
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', resources: { limits: { 'nvidia.com/gpu': '2' } } }] },
            },
          },
        },
      ],
      /container 'c' asks for nvidia.com\/gpu: 2, but ConfigMap sharing .* shares nvidia.com\/gpu \(any: MPS\)/,
    ],
    [
      'mig-strategy-mismatch',
      'error',
      () => [
        { apiVersion: 'nvidia.com/v1', kind: 'ClusterPolicy', metadata: { name: 'cluster-policy' }, spec: { mig: { strategy: 'single' } } },
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'slice', namespace: 'ai' },
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', resources: { limits: { 'nvidia.com/mig-1g.5gb': '1' } } }] },
            },
          },
        },
      ],
      /container 'c' resource nvidia.com\/mig-1g.5gb exists only under the MIG strategy mixed .* the tree sets single \(ClusterPolicy cluster-policy spec.mig.strategy\)/,
    ],
    [
      'hardware-profile-untolerated',
      'error',
      () => [
        {
          apiVersion: 'infrastructure.opendatahub.io/v1',
          kind: 'HardwareProfile',
          metadata: { name: 'gpu', namespace: 'redhat-ods-applications' },
          spec: { identifiers: [{ identifier: 'nvidia.com/gpu', displayName: 'GPU', resourceType: 'Accelerator', defaultCount: 1, minCount: 1 }] },
        },
        {
          apiVersion: 'machine.openshift.io/v1beta1',
          kind: 'MachineSet',
          metadata: { name: 'gpu-nodes', namespace: 'openshift-machine-api' },
          spec: { template: { spec: { taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }], providerSpec: { value: { instanceType: 'g6.xlarge' } } } } },
        },
      ],
      /the profile asks for nvidia.com\/gpu but its scheduling tolerates no nvidia.com\/gpu:NoSchedule: the tree's GPU nodes are those of MachineSet gpu-nodes/,
    ],
    [
      'mps-daemon-unreachable',
      'error',
      () => {
        const pipes = { volumes: [{ name: 'p', hostPath: { path: '/run/mps' } }], mounts: [{ name: 'p', mountPath: '/tmp/nvidia-mps' }] };
        const pod = (name: string, hostIPC: boolean, command: string[]) => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'ai' },
          spec: {
            hostIPC,
            volumes: pipes.volumes,
            containers: [{ name: 'c', image: 'busybox:1.36', command, env: [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }], volumeMounts: pipes.mounts }],
          },
        });
        return [pod('daemon', false, ['sh', '-c', 'nvidia-cuda-mps-control -d && sleep infinity']), pod('client', true, ['python', 'train.py'])];
      },
      /starts the CUDA MPS control daemon \(nvidia-cuda-mps-control\) without hostIPC: true, while its clients Pod\/client set it/,
    ],
    [
      'command-never-reached',
      'error',
      () =>
        broken('ServingRuntime', (m) => {
          m.spec.containers[0].command = ['/bin/bash', '-c', 'tail -f /dev/null\nvllm serve /mnt/models --port=8080'];
          m.spec.containers[0].args = [];
        }),
      /container 'kserve-container': `tail -f \/dev\/null` holds the shell \(it follows the file forever\), so `vllm serve \/mnt\/models --port=8080` on the next line never runs/,
    ],
    [
      'localhost-port-not-served',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'llm-nodeport', namespace: 'ai' },
          spec: { type: 'NodePort', ports: [{ port: 8080, nodePort: 30080 }] },
        },
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'bench', namespace: 'ai' },
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'bench', image: 'busybox', args: ['--url=http://localhost:30080/v1'] }] } },
          },
        },
      ],
      /container 'bench' args calls localhost:30080, Service llm-nodeport's nodePort/,
    ],
    [
      'gateway-reference-not-found',
      'error',
      // the namespace's Service is 'web'; the HTTPRoute sends its traffic to 'web-svc'; the tree creates the namespace
      () => [
        ...deployment(),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai' } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ai' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'web', namespace: 'ai' },
          spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web-svc', port: 80 }] }] },
        },
      ],
      /spec.rules\[0\].backendRefs\[0\] names Service 'web-svc', which is not in namespace 'ai', though the tree holds the Services there \(web\)/,
    ],
    [
      'knative-autoscaling-annotation-misplaced',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          metadata: { name: 'web', namespace: 'ai', annotations: { 'autoscaling.knative.dev/max-scale': '3' } },
          spec: { template: { spec: { containers: [{ image: 'quay.io/example/web:1.0' }] } } },
        },
      ],
      /metadata\.annotations holds autoscaling\.knative\.dev\/max-scale: Knative's webhook refuses the Service/,
    ],
    [
      'vllm-metric-unknown',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PrometheusRule',
          metadata: { name: 'llm', namespace: 'ai' },
          spec: { groups: [{ name: 'llm', rules: [{ alert: 'Backlog', expr: 'sum(vllm_num_requests_waiting) > 20' }] }] },
        },
      ],
      /spec\.groups\[0\]\.rules\[0\]\.expr selects vllm_num_requests_waiting: vLLM exports vllm:num_requests_waiting/,
    ],
    [
      'scale-target-not-found',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'chat-ui', namespace: 'ai' },
          spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
        },
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'chat-ui', namespace: 'ai' },
          spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chatui' }, minReplicas: 1, maxReplicas: 3 },
        },
      ],
      /spec\.scaleTargetRef names Deployment 'chatui', which is not in namespace 'ai' \(did you mean 'chat-ui'\?/,
    ],
    [
      'training-runtime-not-found',
      'error',
      () => [
        ...deployment(),
        { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainingRuntime', metadata: { name: 'torch-runtime', namespace: 'ai' }, spec: {} },
        {
          apiVersion: 'trainer.kubeflow.org/v1alpha1',
          kind: 'TrainJob',
          metadata: { name: 'tune', namespace: 'ai' },
          spec: { runtimeRef: { kind: 'TrainingRuntime', name: 'torch-runtme' } },
        },
      ],
      /spec\.runtimeRef names TrainingRuntime 'torch-runtme', which is not one the tree defines in namespace 'ai' \(did you mean 'torch-runtime'\?/,
    ],
    [
      'prometheus-service-not-found',
      'error',
      () => [
        ...deployment(),
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'main', namespace: 'ai' }, spec: {} },
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: 'q', namespace: 'ai' },
          spec: {
            scaleTargetRef: { name: 'llm-predictor' },
            minReplicaCount: 1,
            triggers: [
              { type: 'prometheus', metadata: { serverAddress: 'http://prometheus.ai.svc:9090', threshold: '2', query: 'avg(vllm:kv_cache_usage_perc)' } },
            ],
          },
        },
      ],
      /names Service 'prometheus' in namespace 'ai', .*point it at http:\/\/prometheus-operated\.ai\.svc:9090/,
    ],
    [
      'prometheus-scrape-port-missing',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'llm', namespace: 'ai' },
          spec: { selector: { app: 'llm' }, ports: [{ port: 8080, targetPort: 8080 }] },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'prometheus', namespace: 'ai' },
          data: { 'prometheus.yml': "scrape_configs:\n  - job_name: llm\n    static_configs:\n      - targets: ['llm.ai:9400']\n" },
        },
      ],
      /the static target 'llm\.ai:9400' names Service 'llm' in namespace 'ai', which exposes port 8080, not 9400/,
    ],
    [
      'network-policy-dns-port',
      'error',
      () => [
        ...deployment(),
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'egress', namespace: 'ai' },
          spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }] },
        },
      ],
      /spec\.egress\[0\] allows DNS on port 53 only, .*allow port 5353/,
    ],
    [
      'unrendered-placeholder',
      'warning',
      () =>
        broken('InferenceService', (m) => {
          m.spec.predictor.model.storageUri = 's3://${MODEL_BUCKET}/m/';
        }),
      /storageUri holds '\$\{MODEL_BUCKET\}'/,
    ],
  ];

  test.each(CASES)('%s: a failing manifest set is caught (%s) and the corrected one is not', (rule, severity, manifests, message) => {
    const findings = of(check(manifests()), rule);
    expect(findings).toContainEqual(expect.objectContaining({ rule, severity, message: expect.stringMatching(message) }));
    expect(of(check(deployment()), rule)).toEqual([]);
  });
});

describe('rules judge references the way a cluster would', () => {
  test('a queue label with no LocalQueue in a namespace that defines none is only a warning (OpenShift AI creates default)', () => {
    const d = deployment().filter((m) => m.kind !== 'LocalQueue');
    expect(of(check(d), 'queue-not-found')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/OpenShift AI creates a 'default' LocalQueue/) }),
    ]);
  });

  test('workloads naming the same absent queue give one warning listing them; off OpenShift AI it names no default queue', () => {
    const job = (name: string, ns: string, queue: string) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: ns, labels: { 'kueue.x-k8s.io/queue-name': queue } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
    });
    const jobs = [job('c', 'team', 'batch'), job('a', 'team', 'batch'), job('b', 'team', 'batch'), job('d', 'team', 'other'), job('e', 'lab', 'batch')];
    const found = of(
      runChecks(
        jobs.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      ),
      'queue-not-found',
    ).map((f) => [f.object, f.message]);
    expect(found).toEqual([
      ['Job/lab/e', "label kueue.x-k8s.io/queue-name 'batch' names a LocalQueue the tree does not define in 'lab'; it must exist on the cluster"],
      [
        'Job/team/a',
        "label kueue.x-k8s.io/queue-name 'batch' names a LocalQueue the tree does not define in 'team' (also labelled so by 2 other objects: Job/team/b, Job/team/c); it must exist on the cluster",
      ],
      ['Job/team/d', "label kueue.x-k8s.io/queue-name 'other' names a LocalQueue the tree does not define in 'team'; it must exist on the cluster"],
    ]);
  });

  test("'default' in a Kueue-managed Namespace exists on OpenShift AI beside the tree's LocalQueues (the operator creates it), elsewhere not", () => {
    const labelled = (ns: Record<string, string>) =>
      deployment()
        .map((m) =>
          m.kind === 'InferenceService' ? { ...m, metadata: { ...m.metadata, labels: { ...m.metadata.labels, 'kueue.x-k8s.io/queue-name': 'default' } } } : m,
        )
        .concat([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: ns } }]);
    expect(of(check(labelled({ 'kueue.openshift.io/managed': 'true' })), 'queue-not-found')).toEqual([]);
    // a namespace the tree does not declare: if Kueue manages it the operator's 'default' exists, if not nothing is queued
    const undeclared = labelled({}).filter((m) => m.kind !== 'Namespace' && m.kind !== 'LocalQueue');
    expect(of(check(undeclared), 'queue-not-found')).toEqual([]);
    // not managed: the operator leaves the namespace alone, and the tree's LocalQueue is the only one
    expect(of(check(labelled({})), 'queue-not-found')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/'default' names no LocalQueue in 'ai'/) }),
    ]);
    // upstream KServe has no such operator
    const upstream = runChecks(
      labelled({ 'kueue.openshift.io/managed': 'true' }).map((manifest) => ({ manifest })),
      { models: new Map([[URI, BF16]]), platform: 'kserve' },
    );
    expect(of(upstream, 'queue-not-found')).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  test('a secretKeyRef to a Secret outside the tree is a warning, an optional one nothing', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'ai' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'c',
                image: `i@sha256:${'0'.repeat(64)}`,
                env: [
                  { name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } },
                  { name: 'B', valueFrom: { secretKeyRef: { name: 'maybe', key: 'k', optional: true } } },
                ],
              },
            ],
          },
        },
      },
    };
    expect(of(check([job]), 'secret-not-in-tree').map((f) => [f.severity, f.message.match(/Secrets? (\S+)/)![1]])).toEqual([['warning', 'creds']]);
  });

  test('a storage key is an entry of the Secret serving.kserve.io/storageSecretName names, not a Secret of its own', () => {
    const annotated = (d: any[]) =>
      d
        .filter((m) => m.kind !== 'Secret')
        .map((m) =>
          m.kind === 'InferenceService'
            ? { ...m, metadata: { ...m.metadata, annotations: { ...m.metadata.annotations, 'serving.kserve.io/storageSecretName': 'models-storage' } } }
            : m,
        );
    const storage = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'models-storage', namespace: 'ai' }, stringData: { conn: '{"type": "s3"}' } };
    // the service's storage.key 'conn' is read from models-storage: no Secret named conn is needed
    expect(of(check([...annotated(deployment()), storage]), 'secret-not-in-tree')).toEqual([]);
    expect(of(check(annotated(deployment())), 'secret-not-in-tree').map((f) => f.message.match(/Secrets? (\S+)/)![1])).toEqual(['models-storage']);
  });

  test('a storage key missing from a storage-config Secret of the tree is an error', () => {
    const d = [
      ...deployment(),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'storage-config', namespace: 'ai' }, stringData: { other: '{"type":"s3"}' } },
    ];
    expect(of(check(d), 'storage-credentials-missing')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/storage.key 'conn' is not a key of Secret storage-config/) }),
    ]);
  });

  test('an unknown model is reported as unknown, not guessed', () => {
    expect(of(check(deployment(), {}), 'gpu-memory-fit')).toEqual([
      expect.objectContaining({ severity: 'info', limitation: true, message: expect.stringMatching(/model at s3:\/\/models\/m\/ is unknown.*--model/) }),
    ]);
  });

  test('the Kueue flavor supplies the instance type when the pod has no node selector', () => {
    const d = broken('InferenceService', (m) => {
      delete m.spec.predictor.nodeSelector;
      m.spec.predictor.model.resources.requests['nvidia.com/gpu'] = m.spec.predictor.model.resources.limits['nvidia.com/gpu'] = '8';
      m.spec.predictor.model.args[0] = '--tensor-parallel-size=8';
    });
    expect(of(check(d), 'gpu-count-exceeds-node')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/requests 8 nvidia.com\/gpu but g6.12xlarge has 4/) }),
    ]);
  });

  test('a resource the ClusterQueue does not cover blocks admission', () => {
    const d = broken('InferenceService', (m) => {
      m.spec.predictor.model.resources.requests['ephemeral-storage'] = '100Gi';
    });
    expect(of(check(d), 'quota-insufficient')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/requests ephemeral-storage, which ClusterQueue 'cq' does not cover/) }),
    ]);
  });

  test('credentials committed in a Secret are caught, decoded from base64 too', () => {
    const s = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'storage-config', namespace: 'ai' },
      data: { minio: Buffer.from('{"type":"s3","secret_access_key":"abc"}').toString('base64') },
    };
    expect(of(check([s]), 'plaintext-secret')).toEqual([expect.objectContaining({ object: 'Secret/ai/storage-config' })]);
  });
});

describe('acknowledging a finding', () => {
  test('an acknowledged error prints as a warning with its reason and no longer fails', () => {
    const d = broken('InferenceService', (m) => {
      m.spec.predictor.model.args.push('--gpu-memory-utilization=0.5');
      m.metadata.annotations['checks.cdk8s-vllm.io/gpu-memory-fit'] = 'capacity test, expected to fail';
    });
    const f = of(check(d), 'gpu-memory-fit');
    expect(f).toEqual([
      expect.objectContaining({
        severity: 'warning',
        acknowledged: 'capacity test, expected to fail',
        message: expect.stringMatching(/\[acknowledged: capacity test, expected to fail\]$/),
      }),
    ]);
  });

  test('the construct API renders the annotation and insists on a known rule and a reason', () => {
    const f = fixture();
    const svc = new S3ModelInferenceService(f.chart, 'svc', { runtime: f.runtime, connection: f.connection, modelPath: 'm/', machineSet: f.machineSet });
    acknowledgeFinding(svc, 'gpu-memory-fit', 'measured on the target cluster');
    expect(Testing.synth(f.chart).find((m: any) => m.kind === 'InferenceService').metadata.annotations['checks.cdk8s-vllm.io/gpu-memory-fit']).toBe(
      'measured on the target cluster',
    );
    expect(() => acknowledgeFinding(svc, 'gpu-fit', 'some reason here')).toThrow(/unknown rule 'gpu-fit'/);
    expect(() => acknowledgeFinding(svc, 'plaintext-secret', 'ok')).toThrow(/needs a reason/);
  });
});

describe('the step-05 rendered tree', () => {
  const { manifests } = readManifests([path.join(ROOT, 'dist')]);
  const models = { 's3://models/mistral-small-24b/': BF16, 's3://models/mistral-small-24b-fp8/': FP8 };
  const findings = check(
    manifests.map((m) => m.manifest),
    models,
  );

  test('reports what is really wrong with the FP8 single-L4 variant: the checkpoint does not fit one L4 (acknowledged)', () => {
    expect(of(findings, 'gpu-memory-fit')).toEqual([
      expect.objectContaining({
        object: 'InferenceService/private-ai/mistral-small-24b',
        severity: 'warning',
        message: expect.stringMatching(/^oom_weights on 1 × L4 \(g6.4xlarge\): weights need 23.21 GiB per GPU but one L4 has 22.04 GiB.*\[acknowledged: /),
      }),
    ]);
  });

  test('says nothing false about the BF16 TP4 variant and has no error at all', () => {
    expect(findings.filter((f) => f.object.endsWith('/mistral-small-24b-tp4') && f.rule !== 'secret-not-in-tree')).toEqual([]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('without the acknowledgement the FP8 variant fails: the finding is an error', () => {
    const raw = manifests.map((m) => JSON.parse(JSON.stringify(m.manifest)));
    delete raw.find((m) => m.metadata?.name === 'mistral-small-24b' && m.kind === 'InferenceService').metadata.annotations[
      'checks.cdk8s-vllm.io/gpu-memory-fit'
    ];
    expect(of(check(raw, models), 'gpu-memory-fit')).toEqual([expect.objectContaining({ severity: 'error' })]);
  });
});

describe('cdk8s-vllm check', () => {
  // in this process: the command's exit code and output, not a child process, are what these judge
  const run = (...args: string[]) => runCliInProcess('check', ...args);

  test('--json prints {"findings":[{rule,severity,object,message,file,line}]} and exits 1 on errors', async () => {
    const dir = tempDir('check-');
    const d = broken('InferenceService', (m) => {
      m.spec.predictor.model.modelFormat.name = 'vllm';
    });
    // the tree makes its namespace, as a tree applied as it stands must (namespace-not-created)
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai', labels: { 'kueue.openshift.io/managed': 'true' } } };
    fs.writeFileSync(path.join(dir, 'all.yaml'), [...d, namespace].map((m) => YAML.stringify(m)).join('---\n'));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [all.yaml]\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not yaml');
    const r = await run(dir, '--json', '--model', `${URI}=${path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501')}`);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(['platform', 'kueue', 'findings']);
    expect(out.platform).toEqual({ id: 'rhoai-3.0', source: 'default', reason: expect.stringMatching(/the default/) });
    expect(out.kueue).toEqual({
      release: '0.14',
      redHat: '1.2',
      source: 'default',
      reason: expect.stringMatching(/^the default for rhoai-3.0, whose Kueue is the separately installed Red Hat build/),
    });
    expect(out.findings).toEqual([
      {
        rule: 'runtime-format-mismatch',
        severity: 'error',
        object: 'InferenceService/ai/llm',
        message: expect.stringContaining("write 'vLLM'"),
        file: path.join(dir, 'all.yaml'),
        line: 27,
      },
    ]);
    // the InferenceService is the second document: it starts on the line after the first '---'
    expect(fs.readFileSync(path.join(dir, 'all.yaml'), 'utf8').split('\n')[26]).toBe('apiVersion: serving.kserve.io/v1beta1');
  });

  test('exit 0 and a table on the step-05 tree with its models', async () => {
    const r = await run(
      path.join(ROOT, 'dist'),
      '--model',
      `s3://models/mistral-small-24b-fp8/=${path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501-fp8-dynamic')}`,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/SEVERITY\s+RULE\s+OBJECT\s+MESSAGE/);
    expect(r.out).toMatch(/0 error\(s\)/);
  });

  test('a malformed --model is a usage error', async () => {
    expect((await run('dist', '--model', 'models/x')).code).toBe(2);
  });
});

describe('checks at synth', () => {
  const build = (ack: boolean) => {
    const f = fixture({ instanceType: GpuInstanceType.G6_4XLARGE });
    const svc = new S3ModelInferenceService(f.chart, 'llm', {
      runtime: f.runtime,
      connection: f.connection,
      modelPath: 'fp8/',
      machineSet: f.machineSet,
      queue: f.quota,
      model: FP8,
      maxModelLen: 8192,
    });
    if (ack) acknowledgeFinding(svc, 'gpu-memory-fit', 'kept on purpose for a capacity demo');
    const printed: string[] = [];
    const tree = new KustomizeTree(f.app, { report: (l) => printed.push(l) })
      .place('t/app.yaml', f.chart)
      .place('c/cluster.yaml', f.cluster)
      .kustomization('t')
      .kustomization('c');
    return { f, tree, printed };
  };
  const FINDING =
    /Validation failed with the following errors:\n {2}\[cdk8s-vllm\.AppChecks\] error gpu-memory-fit InferenceService\/team-a\/llm: oom_weights on 1 × L4/;

  test('an error finding stops the tree write with the rule id and message; nothing is written', () => {
    const out = tempDir('synth-check-');
    expect(() => build(false).tree.write(out)).toThrow(FINDING);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("plain app.synth() and Testing.synth() refuse it too, through the app's own validation", () => {
    expect(() => Testing.synth(build(false).f.chart)).toThrow(FINDING);
    const { f } = build(false);
    expect(() => f.app.synth()).toThrow(FINDING);
    expect(fs.readdirSync(f.app.outdir)).toEqual([]);
  });

  test('acknowledging the finding lets every synth through and prints it as a warning', () => {
    const out = tempDir('synth-check-');
    const passing = build(true);
    passing.tree.write(out);
    expect(fs.existsSync(path.join(out, 't', 'app.yaml'))).toBe(true);
    expect(passing.printed.join('\n')).toMatch(/warning gpu-memory-fit .*\[acknowledged: kept on purpose for a capacity demo\]/);
    expect(Testing.synth(build(true).f.chart).map((o) => o.kind)).toContain('InferenceService');
  });

  test('check on the rendered YAML knows the model from the annotation the construct recorded, without --model', () => {
    const manifests = Testing.synth(build(true).f.chart);
    const isvc = manifests.find((m) => m.kind === 'InferenceService');
    expect(JSON.parse(isvc.metadata.annotations['cdk8s-vllm.io/model-profile'])).toMatchObject({ numLayers: 40, hiddenSize: 5120, numKeyValueHeads: 8 });
    const findings = runChecks(
      manifests.map((manifest) => ({ manifest })),
      {},
    );
    expect(
      findings
        .filter((x) => x.rule === 'gpu-memory-fit')
        .map((x) => x.message)
        .join('\n'),
    ).not.toMatch(/is unknown/);
  });
});
