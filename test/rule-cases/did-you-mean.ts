import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

/** The messages of one rule on a tree, with the severity. */
const findings = (rule: string, files: Record<string, string>, platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') => {
  const dir = writeTree(files, 'did-you-mean-');
  const { manifests, folders, charts, leftOut } = readManifests([dir]);
  return runChecks(manifests, { platform, folders, charts, leftOut })
    .filter((f) => f.rule === rule)
    .map((f) => f.message);
};

const IMAGE = `quay.io/vllm/vllm@sha256:${'a'.repeat(64)}`;

const runtime = (name: string, ns = 'ai') => `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: ${name}, namespace: ${ns}}
spec:
  supportedModelFormats: [{name: vLLM}]
  containers:
    - name: kserve-container
      image: ${IMAGE}
      args: [--port=8080, --model=/mnt/models]
`;

const service = (runtimeName: string, ns = 'ai') => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: llm, namespace: ${ns}}
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: ${runtimeName}
      storageUri: pvc://weights/llm
`;

describe('runtime-not-found: a misspelt runtime name', () => {
  test('a near spelling of a runtime of the namespace is named with its file', () => {
    const [message] = findings('runtime-not-found', { 'serving/runtime.yaml': runtime('vllm-runtime'), 'serving/isvc.yaml': service('vllm-runtme') });
    expect(message).toMatch(
      /^spec\.predictor\.model\.runtime 'vllm-runtme': no ServingRuntime of that name in namespace 'ai' \(did you mean vllm-runtime \(.*serving\/runtime\.yaml(:1)?\)\?\)/,
    );
  });

  test('case and separators: a runtime written Vllm_Runtime', () => {
    expect(findings('runtime-not-found', { 'serving/runtime.yaml': runtime('vllm-runtime'), 'serving/isvc.yaml': service('Vllm_Runtime') })[0]).toMatch(
      /did you mean vllm-runtime \(/,
    );
  });

  test('two runtimes equally near, a far name, or a near name in another namespace: no suggestion', () => {
    const two = findings('runtime-not-found', {
      'serving/runtimes.yaml': `${runtime('vllm-runtime')}---\n${runtime('vllm-runtims')}`,
      'serving/isvc.yaml': service('vllm-runtim'),
    });
    expect(two).toHaveLength(1);
    expect(two[0]).not.toMatch(/did you mean/);
    const far = findings('runtime-not-found', { 'serving/runtime.yaml': runtime('vllm-runtime'), 'serving/isvc.yaml': service('granite-server') });
    expect(far).toHaveLength(1);
    expect(far[0]).not.toMatch(/did you mean/);
    const other = findings('runtime-not-found', {
      'serving/runtimes.yaml': `${runtime('tgis-runtime')}---\n${runtime('vllm-runtime', 'other')}`,
      'serving/isvc.yaml': service('vllm-runtme'),
    });
    expect(other).toHaveLength(1);
    expect(other[0]).not.toMatch(/did you mean/);
  });

  test("on upstream KServe a near spelling of KServe's own ClusterServingRuntime is named", () => {
    const [message] = findings(
      'runtime-not-found',
      { 'serving/runtime.yaml': runtime('tgis-runtime'), 'serving/isvc.yaml': service('kserve-vllmserve') },
      'kserve',
    );
    expect(message).toMatch(/did you mean kserve-vllmserver \(KServe's ClusterServingRuntimes\)\?/);
  });
});

/** A Kueue-managed namespace with a LocalQueue `queue` of ClusterQueue `cluster`, and a Job labelled for `label`. */
const kueueTree = (queues: readonly string[], label: string, clusterQueue = 'gpu-cluster-queue') => ({
  'kueue/cluster-queue.yaml': `apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: gpu-cluster-queue}
spec:
  namespaceSelector: {}
  resourceGroups:
    - coveredResources: [cpu]
      flavors: [{name: default-flavor, resources: [{name: cpu, nominalQuota: 8}]}]
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: ResourceFlavor
metadata: {name: default-flavor}
`,
  'kueue/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: train, labels: {kueue.openshift.io/managed: "true"}}\n',
  'kueue/local-queues.yaml': queues
    .map((q) => `apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata: {name: ${q}, namespace: train}\nspec: {clusterQueue: ${clusterQueue}}\n`)
    .join('---\n'),
  'jobs/job.yaml': `apiVersion: batch/v1
kind: Job
metadata: {name: tune, namespace: train, labels: {kueue.x-k8s.io/queue-name: ${label}}}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: ${IMAGE}, resources: {requests: {cpu: '1'}}}]
`,
});

describe('queue-not-found: a misspelt LocalQueue or ClusterQueue', () => {
  test('a queue-name label one edit from a LocalQueue of the namespace names it', () => {
    const [message] = findings('queue-not-found', kueueTree(['training-queue', 'serving-queue'], 'trainig-queue'));
    expect(message).toMatch(
      /names no LocalQueue in 'train' \(it has training-queue, serving-queue; did you mean training-queue \(.*kueue\/local-queues\.yaml(:1)?\)\?\)/,
    );
  });

  test('two LocalQueues equally near, or a far name: the message lists them and suggests none', () => {
    for (const [queues, label] of [
      [['training-queue', 'trainingq-queue'], 'trainingg-queue'],
      [['training-queue'], 'batch'],
    ] as const) {
      const messages = findings('queue-not-found', kueueTree(queues, label));
      expect(messages).toHaveLength(1);
      expect(messages[0]).not.toMatch(/did you mean/);
    }
  });

  test("a LocalQueue's spec.clusterQueue that misspells the tree's ClusterQueue names it", () => {
    const [message] = findings('queue-not-found', kueueTree(['training-queue'], 'training-queue', 'gpu-clusterqueue'));
    expect(message).toMatch(/^spec\.clusterQueue 'gpu-clusterqueue' is not a ClusterQueue of the tree \(gpu-cluster-queue; did you mean gpu-cluster-queue \(/);
  });
});

const clusterQueue = (flavor: string, checks = '') => `apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: gpu-cluster-queue}
spec:
  namespaceSelector: {}
${checks}  resourceGroups:
    - coveredResources: [cpu]
      flavors: [{name: ${flavor}, resources: [{name: cpu, nominalQuota: 8}]}]
`;
const kueueObject = (kind: string, name: string, spec = '') => `apiVersion: kueue.x-k8s.io/v1beta1\nkind: ${kind}\nmetadata: {name: ${name}}\n${spec}`;

describe('resource-flavor-not-found and admission-check-not-found: a misspelt Kueue name', () => {
  test("a flavor one edit from one of the tree's names it (case and separators too); two equally near name none", () => {
    const flavors = (names: readonly string[]) => names.map((n) => kueueObject('ResourceFlavor', n)).join('---\n');
    expect(findings('resource-flavor-not-found', { 'cq.yaml': clusterQueue('nvidia-l4'), 'flavors.yaml': flavors(['nvidia-l40s', 'nvidia-a10g']) })).toEqual([
      expect.stringMatching(/which the tree does not define .*; add ResourceFlavor 'nvidia-l4' or name one of those$/),
    ]);
    expect(
      findings('resource-flavor-not-found', { 'cq.yaml': clusterQueue('nvidia-l4-gpus'), 'flavors.yaml': flavors(['nvidia-l4-gpu', 'cpu-only']) }),
    ).toEqual([expect.stringMatching(/; did you mean nvidia-l4-gpu \(.*flavors\.yaml(:1)?\)\? name 'nvidia-l4-gpu'$/)]);
    expect(findings('resource-flavor-not-found', { 'cq.yaml': clusterQueue('Default_Flavor'), 'flavors.yaml': flavors(['default-flavor']) })[0]).toMatch(
      /did you mean default-flavor \(/,
    );
    expect(
      findings('resource-flavor-not-found', { 'cq.yaml': clusterQueue('gpu-flavour'), 'flavors.yaml': flavors(['gpu-flavor', 'gpu-flavours']) })[0],
    ).not.toMatch(/did you mean/);
  });

  test('an AdmissionCheck one edit from the tree’s is named; a far one is not', () => {
    const check = kueueObject('AdmissionCheck', 'provisioning-check', 'spec: {controllerName: kueue.x-k8s.io/provisioning-request}\n');
    const flavor = kueueObject('ResourceFlavor', 'default-flavor');
    const tree = (name: string) => ({
      'cq.yaml': clusterQueue('default-flavor', `  admissionChecks: [${name}]\n`),
      'check.yaml': check,
      'flavor.yaml': flavor,
    });
    expect(findings('admission-check-not-found', tree('provisionning-check'))[0]).toMatch(
      /\(it defines 'provisioning-check'; did you mean provisioning-check \(/,
    );
    expect(findings('admission-check-not-found', tree('multikueue'))[0]).not.toMatch(/did you mean/);
  });
});

const job = (meta: string, spec: string) => `apiVersion: batch/v1
kind: Job
metadata: {name: eval, namespace: evals${meta}}
spec:
  template:
    spec:
      restartPolicy: Never
${spec.replace(/^/gm, '      ')}
      containers: [{name: c, image: ${IMAGE}}]
`;

describe('priority-class-not-found and service-account-not-found: a misspelt class or account', () => {
  const classes = 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: batch-high}\nvalue: 1000\n';
  test("a PriorityClass one edit from the tree's, or from one every cluster has, is named", () => {
    expect(findings('priority-class-not-found', { 'pc.yaml': classes, 'job.yaml': job('', 'priorityClassName: batch-hihg') })[0]).toMatch(
      /^spec\.template\.spec\.priorityClassName 'batch-hihg' names no PriorityClass of the tree \(did you mean batch-high \(.*pc\.yaml(:1)?\)\?\); the Priority/,
    );
    expect(findings('priority-class-not-found', { 'pc.yaml': classes, 'job.yaml': job('', 'priorityClassName: system-node-critcal') })[0]).toMatch(
      /\(did you mean system-node-critical \(every cluster has it\)\?\)/,
    );
    expect(findings('priority-class-not-found', { 'pc.yaml': classes, 'job.yaml': job('', 'priorityClassName: urgent') })[0]).not.toMatch(/did you mean/);
  });

  test("an account one edit from one of the namespace's is named; one of another namespace is not", () => {
    const accounts = (ns: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: evals}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: eval-runner, namespace: ${ns}}\n`;
    expect(findings('service-account-not-found', { 'ns.yaml': accounts('evals'), 'job.yaml': job('', 'serviceAccountName: eval-runer') })[0]).toMatch(
      /and no ServiceAccount 'eval-runer' is in it \(did you mean eval-runner \(.*ns\.yaml:\d+\)\?\); /,
    );
    const [other] = findings('service-account-not-found', { 'ns.yaml': accounts('tools'), 'job.yaml': job('', 'serviceAccountName: eval-runer') });
    expect(other).not.toMatch(/did you mean/);
  });
});

describe('storage-credentials-missing: a misspelt storage key', () => {
  const connection = (name: string) => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: ai
  labels: {opendatahub.io/managed: 'true', opendatahub.io/dashboard: 'true'}
  annotations: {opendatahub.io/connection-type-protocol: s3}
stringData: {AWS_S3_BUCKET: models}
`;
  const isvc = (key: string) => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: llm, namespace: ai}
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: vllm-runtime
      storageUri: s3://models/m/
      storage: {key: ${key}}
`;
  test('a key one edit from a connection of the namespace names it; two equally near or a far key name none', () => {
    const tree = (names: readonly string[], key: string) => ({
      'runtime.yaml': runtime('vllm-runtime'),
      'connections.yaml': names.map(connection).join('---\n'),
      'isvc.yaml': isvc(key),
    });
    expect(findings('storage-credentials-missing', tree(['minio-connection'], 'minio-conection'))[0]).toMatch(
      /the connections minio-connection \(did you mean minio-connection \(.*connections\.yaml(:1)?\)\?\): /,
    );
    expect(findings('storage-credentials-missing', tree(['minio-connection', 'minio-connectiom'], 'minio-connectio'))[0]).not.toMatch(/did you mean/);
    expect(findings('storage-credentials-missing', tree(['minio-connection'], 'aws-s3'))[0]).not.toMatch(/did you mean/);
  });

  test("a key one edit from an entry of the tree's storage-config names it", () => {
    const storageConfig = 'apiVersion: v1\nkind: Secret\nmetadata: {name: storage-config, namespace: ai}\nstringData: {localMinIO: "{}"}\n';
    expect(
      findings(
        'storage-credentials-missing',
        { 'runtime.yaml': runtime('vllm-runtime'), 'sc.yaml': storageConfig, 'isvc.yaml': isvc('localMinio') },
        'kserve',
      )[0],
    ).toMatch(/is not a key of Secret storage-config in the tree \(it has localMinIO; did you mean localMinIO \(.*sc\.yaml(:1)?\)\?\)/);
  });
});

describe('kai-queue-not-found, workload-priority-not-applied, ingress-backend-not-found, secret-not-in-tree: a misspelt name', () => {
  const kaiQueue = (name: string, parent?: string) =>
    `apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata: {name: ${name}}\nspec:\n${parent ? `  parentQueue: ${parent}\n` : ''}  resources: {gpu: {quota: -1, limit: -1, overQuotaWeight: 1}}\n`;
  test('a KAI queue label or parentQueue one edit from a queue of the tree names it; a far one does not', () => {
    const server = (queue: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: llm, namespace: team}
spec:
  selector: {matchLabels: {app: llm}}
  template:
    metadata: {labels: {app: llm, kai.scheduler/queue: ${queue}}}
    spec:
      schedulerName: kai-scheduler
      containers: [{name: server, image: ${IMAGE}, resources: {limits: {nvidia.com/gpu: '1'}}}]
`;
    const queues = [kaiQueue('departments'), kaiQueue('research-team', 'departments')].join('---\n');
    expect(findings('kai-queue-not-found', { 'queues.yaml': queues, 'server.yaml': server('reserch-team') })[0]).toMatch(
      /\(it defines .*\) \(did you mean research-team\?\): /,
    );
    expect(findings('kai-queue-not-found', { 'queues.yaml': queues, 'server.yaml': server('inference') })[0]).not.toMatch(/did you mean/);
    const parent = [kaiQueue('departments'), kaiQueue('research-team', 'departmets')].join('---\n');
    expect(findings('kai-queue-not-found', { 'queues.yaml': parent })[0]).toMatch(
      /^spec\.parentQueue 'departmets' is not a Queue of the tree \(it defines .*\) \(did you mean departments\?\)/,
    );
  });

  test("a Kueue priority-class label one edit from the tree's WorkloadPriorityClass names it", () => {
    const tree = (label: string) => ({
      'priority.yaml': 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: WorkloadPriorityClass\nmetadata: {name: sample-priority}\nvalue: 1000\n',
      'job.yaml': job(`, labels: {kueue.x-k8s.io/queue-name: user-queue, kueue.x-k8s.io/priority-class: ${label}}`, 'priorityClassName: ""'),
    });
    expect(findings('workload-priority-not-applied', tree('sample-priorty'))[0]).toMatch(/\(it defines sample-priority\) \(did you mean sample-priority\?\): /);
    expect(findings('workload-priority-not-applied', tree('urgent'))[0]).not.toMatch(/did you mean/);
  });

  test('an Ingress backend one edit from a Service of the namespace names it', () => {
    const tree = (backend: string) => ({
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: granite-predictor, namespace: ai}\nspec: {ports: [{port: 80}], selector: {app: granite}}\n',
      'ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: chat, namespace: ai}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: ${backend}, port: {number: 80}}}}
`,
    });
    expect(findings('ingress-backend-not-found', tree('granite-predicter'))[0]).toMatch(
      /Services \(granite-predictor; did you mean granite-predictor \(.*svc\.yaml(:1)?\)\?\)/,
    );
    expect(findings('ingress-backend-not-found', tree('chat-ui'))[0]).not.toMatch(/did you mean/);
  });

  test('a Secret one edit from a Secret of the namespace is named; one of another namespace is not', () => {
    const tree = (ns: string) => ({
      'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: hf-token, namespace: ${ns}}\nstringData: {token: x}\n`,
      'job.yaml': job('', 'serviceAccountName: default').replace(
        '      containers: [{name: c, image:',
        '      containers: [{name: c, env: [{name: HF_TOKEN, valueFrom: {secretKeyRef: {name: hf-tokn, key: token}}}], image:',
      ),
    });
    expect(findings('secret-not-in-tree', tree('evals'))[0]).toMatch(
      /references Secret hf-tokn in 'evals', not defined in the tree \(did you mean hf-token \(/,
    );
    expect(findings('secret-not-in-tree', tree('other'))[0]).not.toMatch(/did you mean/);
  });
});

describe('pod-reference-not-found: a claim two names are as near to is no typo of either', () => {
  const claims = (names: readonly string[]) =>
    names
      .map(
        (n) =>
          `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${n}, namespace: evals}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`,
      )
      .join('---\n');
  const pod = (claim: string) => job('', `volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}}}]`);
  test('one near claim: an error naming it; two as near: a warning naming none', () => {
    expect(findings('pod-reference-not-found', { 'storage/claims.yaml': claims(['model-cache']), 'job.yaml': pod('model-cahce') })[0]).toMatch(
      /did you mean model-cache\?/,
    );
    const [two] = findings('pod-reference-not-found', { 'storage/claims.yaml': claims(['model-cache', 'model-caches']), 'job.yaml': pod('model-cachee') });
    expect(two).not.toMatch(/did you mean/);
  });
});

describe('multikueue-reference-missing: a misspelt MultiKueueConfig', () => {
  test("an AdmissionCheck's parameters one edit from the tree's config name it", () => {
    const tree = (config: string) => ({
      'check.yaml': `apiVersion: kueue.x-k8s.io/v1beta1
kind: AdmissionCheck
metadata: {name: sample-multikueue}
spec:
  controllerName: kueue.x-k8s.io/multikueue
  parameters: {apiGroup: kueue.x-k8s.io, kind: MultiKueueConfig, name: ${config}}
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: MultiKueueConfig
metadata: {name: multikueue-config}
spec: {clusters: [worker-east]}
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: MultiKueueCluster
metadata: {name: worker-east}
spec: {kubeConfig: {locationType: Secret, location: worker-east-kubeconfig}}
`,
      'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: worker-east-kubeconfig, namespace: kueue-system}\nstringData: {kubeconfig: x}\n',
    });
    expect(findings('multikueue-reference-missing', tree('multikueue-confg'))[0]).toMatch(
      /\(it defines 'multikueue-config'\) \(did you mean multikueue-config\?\): /,
    );
    expect(findings('multikueue-reference-missing', tree('east-config'))[0]).not.toMatch(/did you mean/);
  });
});
