import { clusterQueue as oneFlavorQueue, DIGEST, runtime, RuleFixture } from './fixture';

/** Manifests applied together, as one multi-document file. */
const tree = (...docs: string[]) => docs.filter(Boolean).join('---');

/** The vLLM runtime, with the memory-backed /dev/shm tensor parallelism needs. */
const RUNTIME = runtime(
  `quay.io/vllm/vllm@${DIGEST}`,
  `
      volumeMounts: [{name: shm, mountPath: /dev/shm}]
  volumes: [{name: shm, emptyDir: {medium: Memory, sizeLimit: 8Gi}}]`,
);

/** The S3 source of the service's weights, through the dashboard connection minio-connection. */
const S3_SOURCE = `
      storageUri: s3://models/m/
      storage: {key: minio-connection}`;

/** A 4-GPU vLLM model, tensor-parallel over the four. */
const FOUR_GPUS = `
      args: [--tensor-parallel-size=4]
      resources:
        requests: {cpu: '8', memory: 64Gi, nvidia.com/gpu: '4'}
        limits: {cpu: '16', memory: 96Gi, nvidia.com/gpu: '4'}`;

/**
 * InferenceService llm in namespace ai on vllm-runtime: `metadata` lines go under metadata (2 spaces in), `predictor`
 * lines under spec.predictor (4 spaces in), `model` lines under its model (6 spaces in), after the weights' `source`.
 */
const inferenceService = (o: { metadata?: string; predictor?: string; source?: string; model?: string } = {}) => `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm
  namespace: ai${o.metadata ?? ''}
spec:
  predictor:${o.predictor ?? ''}
    model:
      modelFormat: {name: vLLM}
      runtime: vllm-runtime${o.source ?? S3_SOURCE}${o.model ?? ''}
`;

/** The service submitted to LocalQueue `queue`. */
const queuedOn = (queue: string) => inferenceService({ metadata: `\n  labels: {kueue.x-k8s.io/queue-name: ${queue}}` });

const namespace = (labels: string) => `
apiVersion: v1
kind: Namespace
metadata:
  name: ai
  labels: {${labels}}
`;

const KUEUE_MANAGED = namespace(`kueue.openshift.io/managed: 'true'`);

const localQueue = (name: string, clusterQueue: string) => `
apiVersion: kueue.x-k8s.io/v1beta1
kind: LocalQueue
metadata: {name: ${name}, namespace: ai}
spec: {clusterQueue: ${clusterQueue}}
`;

/** A ClusterQueue of one flavor covering CPU, memory and GPUs, with `gpus` GPUs of nominal quota and no cohort. */
const clusterQueue = (name: string, flavor: string, gpus: number) => oneFlavorQueue(name, flavor, { cpu: '94', memory: '360Gi', gpus });

/** The flavor of the g6.12xlarge nodes (4 × L4). */
const L4X4 = `
apiVersion: kueue.x-k8s.io/v1beta1
kind: ResourceFlavor
metadata: {name: l4x4}
spec:
  nodeLabels: {node.kubernetes.io/instance-type: g6.12xlarge}
`;

/** A GPU MachineSet on AWS: `template` lines go under spec.template.spec (4 spaces in), beside its provider spec. */
const machineSet = (name: string, instanceType: string, template = '') => `
apiVersion: machine.openshift.io/v1beta1
kind: MachineSet
metadata: {name: ${name}, namespace: openshift-machine-api}
spec:
  replicas: 1
  selector:
    matchLabels: {machine.openshift.io/cluster-api-machineset: ${name}}
  template:
    metadata:
      labels: {machine.openshift.io/cluster-api-machineset: ${name}}
    spec:${template}
      providerSpec:
        value: {instanceType: ${instanceType}}
`;

const secret = (name: string, body = '', metadata = '') => `
apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: ai${metadata}
type: Opaque${body}
`;

/** The dashboard connection the services load from: a Secret odh-model-controller copies into storage-config. */
const CONNECTION = secret(
  'minio-connection',
  `
stringData:
  AWS_S3_ENDPOINT: http://minio.minio.svc:9000
  AWS_S3_BUCKET: models`,
  `
  labels: {opendatahub.io/managed: 'true', opendatahub.io/dashboard: 'true'}
  annotations: {opendatahub.io/connection-type-protocol: s3}`,
);

/** A service on the nodes of instance type `type`, with four GPUs and the given CPU and memory requests. */
const placed = (type: string, requests = `{cpu: '8', memory: 32Gi, nvidia.com/gpu: '4'}`) =>
  inferenceService({
    predictor: `
    nodeSelector: {node.kubernetes.io/instance-type: ${type}}
    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]`,
    model: `
      args: [--tensor-parallel-size=4]
      resources:
        requests: ${requests}
        limits: {nvidia.com/gpu: '4'}`,
  });

/** A service queued on LocalQueue gpu at `replicas` replicas, with ClusterQueue team-a of `gpus` GPUs on g6.12xlarge nodes. */
const queued = (replicas: number, gpus: number) =>
  tree(
    RUNTIME,
    inferenceService({
      metadata: `
  labels: {kueue.x-k8s.io/queue-name: gpu}`,
      predictor: `
    minReplicas: ${replicas}
    maxReplicas: ${replicas}`,
      model: FOUR_GPUS,
    }),
    CONNECTION,
    localQueue('gpu', 'team-a'),
    clusterQueue('team-a', 'l4x4', gpus),
    L4X4,
  );

/** A service whose predictor pods select nodes by `selector`, beside MachineSet ocp-gpu-l4-us-east-1a that labels its nodes gpu-node: l4. */
const selecting = (selector: string) =>
  tree(
    RUNTIME,
    inferenceService({ predictor: `\n    nodeSelector: {${selector}}` }),
    CONNECTION,
    machineSet('ocp-gpu-l4-us-east-1a', 'g6.xlarge', `\n      metadata:\n        labels: {gpu-node: l4}`),
  );

/** A service on g6.xlarge nodes whose MachineSet taints them nvidia.com/gpu=true:NoSchedule, with `tolerations`. */
const tainted = (tolerations: string) =>
  tree(
    RUNTIME,
    inferenceService({
      predictor: `
    nodeSelector: {node.kubernetes.io/instance-type: g6.xlarge}
    tolerations: [${tolerations}]`,
    }),
    CONNECTION,
    machineSet('gpu-l4', 'g6.xlarge', `\n      taints: [{key: nvidia.com/gpu, value: 'true', effect: NoSchedule}]`),
  );

/** A hand-written storage Secret `name` beside the connection, the service reading it by the storageSecretName annotation `annotation`. */
const storageSecret = (name: string, annotation: string) =>
  tree(
    RUNTIME,
    inferenceService({ metadata: annotation }),
    CONNECTION,
    secret(
      name,
      `
stringData:
  minio-connection: '{"type": "s3", "bucket": "models", "endpoint_url": "http://minio.minio.svc:9000"}'`,
    ),
  );

/** A service reading storage key `models` of its own storage Secret models-storage, whose entry there is `entry`. */
const storageConfig = (entry: string) =>
  tree(
    RUNTIME,
    inferenceService({
      metadata: `\n  annotations: {serving.kserve.io/storageSecretName: models-storage}`,
      source: `\n      storageUri: s3://models/m/\n      storage: {key: models}`,
    }),
    secret('models-storage', `\nstringData:\n  models: '${entry}'`),
  );

/** The service with an environment variable from Secret creds. */
const WITH_CREDS = inferenceService({ model: `\n      env:\n        - name: API_KEY\n          valueFrom: {secretKeyRef: {name: creds, key: api-key}}` });

/** A gated model from Hugging Face, with the token given to vLLM; `predictor` lines say how the storage initializer gets it. */
const gated = (predictor: string, account = '') =>
  tree(
    RUNTIME,
    inferenceService({
      predictor,
      source: `
      storageUri: hf://meta-llama/Llama-3.1-8B-Instruct`,
      model: `
      env:
        - name: HF_TOKEN
          valueFrom: {secretKeyRef: {name: hf-token, key: HF_TOKEN}}`,
    }),
    secret('hf-token', `\nstringData: {HF_TOKEN: from-the-vault}`),
    account,
  );

/** Fixtures of the scheduling rules. */
export const SCHEDULING_FIXTURES: Record<string, RuleFixture> = {
  // example: opendatahub.io/hardware-profile-name: nvidia-l4-4gpu with no hardware-profile-namespace
  'hardware-profile-namespace': {
    fires: tree(RUNTIME, inferenceService({ metadata: `\n  annotations: {opendatahub.io/hardware-profile-name: nvidia-l4-4gpu}` }), CONNECTION),
    nearMiss: tree(
      RUNTIME,
      inferenceService({
        metadata: `
  annotations:
    opendatahub.io/hardware-profile-name: nvidia-l4-4gpu
    opendatahub.io/hardware-profile-namespace: redhat-ods-applications`,
      }),
      CONNECTION,
    ),
  },
  // example: kueue.x-k8s.io/queue-name: default where the namespace has only LocalQueue gpu
  'queue-not-found': {
    fires: tree(RUNTIME, queuedOn('default'), CONNECTION, localQueue('gpu', 'team-a'), clusterQueue('team-a', 'l4x4', 4), L4X4),
    nearMiss: tree(RUNTIME, queuedOn('gpu'), CONNECTION, localQueue('gpu', 'team-a'), clusterQueue('team-a', 'l4x4', 4), L4X4),
  },
  // example: an InferenceService with no labels in a Namespace labelled kueue.openshift.io/managed: "true"
  'queue-label-missing': {
    fires: tree(KUEUE_MANAGED, RUNTIME, inferenceService(), CONNECTION),
    nearMiss: tree(KUEUE_MANAGED, RUNTIME, queuedOn('default'), CONNECTION),
  },
  // example: nvidia.com/gpu: 4 with node.kubernetes.io/instance-type: g6.4xlarge (1 GPU)
  'gpu-count-exceeds-node': {
    fires: tree(RUNTIME, placed('g6.4xlarge'), CONNECTION),
    nearMiss: tree(RUNTIME, placed('g6.12xlarge'), CONNECTION),
  },
  // example: nodeSelector: {machine.openshift.io/cluster-api-machineset: ocp-gpu-l4-us-east-1a}
  'node-selector-machine-label': {
    fires: selecting('machine.openshift.io/cluster-api-machineset: ocp-gpu-l4-us-east-1a'),
    nearMiss: selecting('gpu-node: l4'),
  },
  // example: nodeSelector node.kubernetes.io/instance-type: g6.xlarge, a MachineSet of g6.xlarge tainted nvidia.com/gpu=true:NoSchedule, no tolerations
  'taint-not-tolerated': {
    fires: tainted(''),
    nearMiss: tainted('{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}'),
  },
  // example: memory: 190Gi on g6.12xlarge (192 GiB less the system reservation)
  'resources-exceed-node': {
    fires: tree(RUNTIME, placed('g6.12xlarge', `{cpu: '8', memory: 190Gi, nvidia.com/gpu: '4'}`), CONNECTION),
    nearMiss: tree(RUNTIME, placed('g6.12xlarge', `{cpu: '8', memory: 160Gi, nvidia.com/gpu: '4'}`), CONNECTION),
  },
  // example: two replicas of a 4-GPU service on a ClusterQueue with nominalQuota 4 for nvidia.com/gpu and no cohort
  'quota-insufficient': {
    fires: queued(2, 4),
    nearMiss: queued(2, 8),
  },
  // example: a Namespace with only opendatahub.io/dashboard: "true" and an InferenceService with kueue.x-k8s.io/queue-name
  'namespace-not-kueue-managed': {
    fires: tree(namespace(`opendatahub.io/dashboard: 'true'`), RUNTIME, queuedOn('default'), CONNECTION),
    nearMiss: tree(namespace(`opendatahub.io/dashboard: 'true', kueue.openshift.io/managed: 'true'`), RUNTIME, queuedOn('default'), CONNECTION),
  },
  // example: LocalQueue default → ClusterQueue team-b in a Namespace labelled kueue.openshift.io/managed: "true"
  'local-queue-default-taken': {
    fires: tree(KUEUE_MANAGED, localQueue('default', 'team-b'), clusterQueue('team-b', 'l4x4', 4), L4X4),
    nearMiss: tree(KUEUE_MANAGED, localQueue('team-b', 'team-b'), clusterQueue('team-b', 'l4x4', 4), L4X4),
  },
  // example: storageUri: s3://models/m/ with no storage.key, connection annotation or serviceAccountName
  'storage-credentials-missing': {
    fires: tree(RUNTIME, inferenceService({ source: `\n      storageUri: s3://models/m/` }), CONNECTION),
    nearMiss: tree(RUNTIME, inferenceService(), CONNECTION),
  },
  // example: a hand-written storage-config beside a connection Secret labelled opendatahub.io/dashboard: "true", opendatahub.io/managed: "true"
  'storage-config-owned': {
    fires: storageSecret('storage-config', ''),
    nearMiss: storageSecret('models-storage', `\n  annotations: {serving.kserve.io/storageSecretName: models-storage}`),
  },
  // example: {"type": "s3", "verify_ssl": false} or an entry without "type", or without "bucket" for storage.path
  'storage-config-invalid': {
    fires: storageConfig('{"type": "s3", "verify_ssl": false}'),
    nearMiss: storageConfig('{"type": "s3", "verify_ssl": "0"}'),
  },
  // example: valueFrom.secretKeyRef.name: creds with no Secret creds in the tree
  'secret-not-in-tree': {
    fires: tree(RUNTIME, WITH_CREDS, CONNECTION),
    nearMiss: tree(RUNTIME, WITH_CREDS, CONNECTION, secret('creds', `\nstringData: {api-key: from-the-vault}`)),
  },
  // example: storageUri: hf://meta-llama/Llama-3.1-8B-Instruct with env HF_TOKEN from a Secret and no serviceAccountName
  'hf-token-unreachable': {
    fires: gated(''),
    nearMiss: gated(
      `\n    serviceAccountName: models`,
      `
apiVersion: v1
kind: ServiceAccount
metadata: {name: models, namespace: ai}
secrets: [{name: hf-token}]
`,
    ),
  },
  // example: a Secret with stringData.AWS_SECRET_ACCESS_KEY: ${AWS_SECRET_ACCESS_KEY}, synced raw by a self-healing Argo CD application
  'unrendered-placeholder': {
    fires: tree(
      RUNTIME,
      inferenceService(),
      secret('minio-connection', `\nstringData:\n  AWS_ACCESS_KEY_ID: models\n  AWS_SECRET_ACCESS_KEY: '\${AWS_SECRET_ACCESS_KEY}'`),
    ),
    nearMiss: tree(
      RUNTIME,
      inferenceService(),
      secret('minio-connection', `\nstringData:\n  AWS_ACCESS_KEY_ID: models\n  AWS_SECRET_ACCESS_KEY: from-the-vault`),
    ),
  },
};
