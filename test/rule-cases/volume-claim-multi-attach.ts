import { runChecks } from '../../lib';
import { DevClusterMark, devClusterMarks, DevDistribution } from '../../lib/manifests/script-dev-clusters';
import { podWorkload } from '../util';

type Doc = Record<string, any>;
const judged = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0' },
  )
    .filter((f) => f.rule === 'volume-claim-multi-attach')
    .map((f) => ({ object: f.object, severity: f.severity, message: f.message }));

const claim = (accessModes: string[], spec: Doc = {}): Doc => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'cache', namespace: 'ai' },
  spec: { accessModes, resources: { requests: { storage: '50Gi' } }, ...spec },
});

/** A workload of `kind` whose one container requests `gpus` and mounts claim `cache`; `spec` and `pod` add fields. */
function holder(name: string, gpus: number, spec: Doc = {}, pod: Doc = {}, kind = 'Deployment'): Doc {
  const w = podWorkload(
    name,
    'ai',
    {
      containers: [{ name: 'c', image: 'vllm/vllm-openai:v0.10.1', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
      volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'cache' } }],
      ...pod,
    },
    kind,
  );
  w.spec = { ...w.spec, ...spec };
  return w;
}
const RECREATE = { strategy: { type: 'Recreate' } };

describe('volume-claim-multi-attach', () => {
  test('ReadWriteOnce, two replicas, nodes unknown: a warning that it works only on one node', () => {
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1, { replicas: 2 })])).toEqual([
      {
        object: 'PersistentVolumeClaim/ai/cache',
        severity: 'warning',
        message: expect.stringMatching(
          /^accessModes \[ReadWriteOnce\]: Deployment\/ai\/a \(2 pods\) mount it, and ReadWriteOnce attaches the volume to one node: it works only while all pods land on one node;/,
        ),
      },
    ]);
  });

  test('ReadWriteOnce: an error when the pods cannot share a node (GPUs beyond the known shape, node selectors, anti-affinity)', () => {
    // two 1-GPU servers pinned to a 1-GPU instance type
    const g6 = { nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.xlarge' } };
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1, RECREATE, g6), holder('b', 1, RECREATE, g6)])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/their pods request 2 GPUs together, more than g6\.xlarge \(1 each\) has/) }),
    ]);
    // the same pods on a 4-GPU type fit one node: a warning
    const g612 = { nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.12xlarge' } };
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1, RECREATE, g612), holder('b', 1, RECREATE, g612)]).map((f) => f.severity)).toEqual(['warning']);
    const pools = (v: string) => ({ nodeSelector: { pool: v } });
    expect(judged([claim(['ReadWriteOnce']), holder('a', 0, RECREATE, pools('x')), holder('b', 0, RECREATE, pools('y'))])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/Deployment\/ai\/a selects nodes pool=x and Deployment\/ai\/b pool=y/) }),
    ]);
    const apart = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'a' } } }],
        },
      },
    };
    expect(judged([claim(['ReadWriteOnce']), holder('a', 0, { replicas: 3 }, apart)])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/requires pod anti-affinity on kubernetes\.io\/hostname against its own pods/),
      }),
    ]);
  });

  test('anti-affinity written with matchExpressions is read as Kubernetes reads it (ANDed with matchLabels)', () => {
    const apart = (labelSelector: Doc): Doc => ({
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector }] } },
    });
    expect(
      judged([
        claim(['ReadWriteOnce']),
        holder('a', 0, { replicas: 3 }, apart({ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] })),
      ]).map((f) => f.severity),
    ).toEqual(['error']);
    // near misses: an expression its own pods fail, and an empty selector, leave the rollout a warning
    expect(
      judged([
        claim(['ReadWriteOnce']),
        holder('a', 0, { replicas: 3 }, apart({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] })),
      ]).map((f) => f.severity),
    ).toEqual(['warning']);
    expect(judged([claim(['ReadWriteOnce']), holder('a', 0, { replicas: 3 }, apart({}))]).map((f) => f.severity)).toEqual(['warning']);
  });

  test('ReadWriteOncePod: any second pod is an error; a rollout of one replica a warning', () => {
    expect(judged([claim(['ReadWriteOncePod']), holder('a', 0, { replicas: 2 })]).map((f) => f.severity)).toEqual(['error']);
    expect(judged([claim(['ReadWriteOncePod']), holder('a', 0, RECREATE), holder('b', 0, RECREATE)]).map((f) => f.severity)).toEqual(['error']);
    expect(judged([claim(['ReadWriteOncePod']), holder('a', 0)])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/ReadWriteOncePod keeps the new pod Pending while the old one runs, so every rollout stalls/),
      }),
    ]);
  });

  test('one replica: RollingUpdate surges (a warning), Recreate or maxSurge 0 does not; a StatefulSet deletes first', () => {
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1)])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/each rollout starts the new pod beside the old one: on another node/) }),
    ]);
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1, { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } })])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%' } } })])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1, RECREATE)])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce']), holder('a', 1, { serviceName: 'a' }, {}, 'StatefulSet')])).toEqual([]);
  });

  test('a parallel Job is a warning', () => {
    expect(judged([claim(['ReadWriteOnce']), holder('a', 0, { parallelism: 3 }, { restartPolicy: 'Never' }, 'Job')])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/Job\/ai\/a \(3 pods\) mount it at once/) }),
    ]);
  });

  const job = (name: string, annotations: Doc = {}): Doc => {
    const j = holder(name, 0, {}, { restartPolicy: 'Never' }, 'Job');
    j.metadata = { ...j.metadata, annotations };
    return j;
  };
  const wave = (n: number) => ({ 'argocd.argoproj.io/sync-wave': String(n) });

  test('several Jobs, or a Job beside a server, that mount the claim at once: a warning naming every workload; sync waves and hooks that order them are not', () => {
    expect(judged([claim(['ReadWriteOnce']), job('coco'), job('paxml'), job('squad')])).toEqual([
      {
        object: 'PersistentVolumeClaim/ai/cache',
        severity: 'warning',
        message: expect.stringMatching(
          /^accessModes \[ReadWriteOnce\]: Job\/ai\/coco \(1 pod\), Job\/ai\/paxml \(1 pod\), Job\/ai\/squad \(1 pod\) mount it at the same time .*"Multi-Attach error for volume"\) until the others release it, and the Jobs run one after another;/,
        ),
      },
    ]);
    // a server that holds the volume keeps a Job placed on another node from ever starting
    expect(judged([claim(['ReadWriteOnce']), holder('viewer', 0, RECREATE), job('train')])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('Job/ai/train (1 pod), Deployment/ai/viewer (1 pod) mount it at the same time'),
      }),
    ]);
    expect(judged([claim(['ReadWriteOncePod']), job('a'), job('b')])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('ReadWriteOncePod admits one pod at a time') }),
    ]);
    // ordered: a Job of an earlier wave, or a PreSync hook, completes before the next starts
    expect(judged([claim(['ReadWriteOnce']), job('fetch', wave(-1)), holder('srv', 0, RECREATE)])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce']), job('fetch', wave(-1)), job('index', wave(0)), job('eval', wave(1))])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce']), job('fetch', { 'argocd.argoproj.io/hook': 'PreSync' }), holder('srv', 0, RECREATE)])).toEqual([]);
    const later = holder('srv', 0, RECREATE);
    later.metadata = { ...later.metadata, annotations: wave(1) };
    expect(judged([claim(['ReadWriteOnce']), job('fetch', wave(0)), later])).toEqual([]);
    // a server whose init container waits for the Job to complete starts after it
    const waiting = holder('srv', 0, RECREATE, {
      initContainers: [{ name: 'wait', image: 'bitnami/kubectl:1.31', command: ['kubectl', 'wait', '--for=condition=complete', 'job/fetch', '--timeout=1h'] }],
    });
    expect(judged([claim(['ReadWriteOnce']), job('fetch'), waiting])).toEqual([]);
    const waitingElsewhere = holder('srv', 0, RECREATE, {
      initContainers: [{ name: 'wait', image: 'bitnami/kubectl:1.31', command: ['kubectl', 'wait', '--for=condition=complete', 'job/other'] }],
    });
    expect(judged([claim(['ReadWriteOnce']), job('fetch'), waitingElsewhere]).map((f) => f.severity)).toEqual(['warning']);
    // a server of an earlier wave is still running when the Job of a later wave starts
    const early = holder('srv', 0, RECREATE);
    early.metadata = { ...early.metadata, annotations: wave(-1) };
    expect(judged([claim(['ReadWriteOnce']), early, job('fetch', wave(0))]).map((f) => f.severity)).toEqual(['warning']);
  });

  test("a training job's roles run to completion beside a server that mounts the same claim", () => {
    const pod = (gpus: number) => ({
      spec: {
        restartPolicy: 'OnFailure',
        containers: [{ name: 'pytorch', image: 'pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
        volumes: [{ name: 'ckpt', persistentVolumeClaim: { claimName: 'cache' } }],
      },
    });
    const train = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: { name: 'finetune', namespace: 'ai' },
      spec: { pytorchReplicaSpecs: { Master: { replicas: 1, template: pod(2) } } },
    };
    expect(judged([claim(['ReadWriteOnce']), train, holder('tensorboard', 0)])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining(
          'PyTorchJob/ai/finetune spec.pytorchReplicaSpecs.Master.template (1 pod), Deployment/ai/tensorboard (1 pod) mount it at the same time',
        ),
      }),
    ]);
    // one role of one pod alone runs to completion: nothing shares the volume
    expect(judged([claim(['ReadWriteOnce']), train])).toEqual([]);
  });

  test("an autoscaler's maximum counts the replicas that scale-out runs: a warning, whether load reaches it being unknown", () => {
    const hpa = (max: number, kind = 'HorizontalPodAutoscaler'): Doc => ({
      apiVersion: kind === 'ScaledObject' ? 'keda.sh/v1alpha1' : 'autoscaling/v2',
      kind,
      metadata: { name: 'scaler', namespace: 'ai' },
      spec:
        kind === 'ScaledObject'
          ? { scaleTargetRef: { name: 'a' }, ...(max ? { maxReplicaCount: max } : {}), triggers: [] }
          : { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a' }, minReplicas: 1, maxReplicas: max },
    });
    expect(judged([claim(['ReadWriteOnce']), holder('a', 4, RECREATE), hpa(3)])).toEqual([
      {
        object: 'PersistentVolumeClaim/ai/cache',
        severity: 'warning',
        message: expect.stringMatching(
          /^accessModes \[ReadWriteOnce\]: Deployment\/ai\/a \(up to 3 pods, HorizontalPodAutoscaler\/ai\/scaler maxReplicas 3\) mount it: when the autoscaler scales out, .*\(their pods request 12 GPUs together/,
        ),
      },
    ]);
    // KEDA's maxReplicaCount defaults to 100
    expect(judged([claim(['ReadWriteOnce']), holder('a', 0, RECREATE), hpa(0, 'ScaledObject')])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('(up to 100 pods, ScaledObject/ai/scaler maxReplicaCount 100)') }),
    ]);
    // near misses: a cap of one replica, an autoscaler of another workload
    expect(judged([claim(['ReadWriteOnce']), holder('a', 0, RECREATE), hpa(1)])).toEqual([]);
    const other = hpa(5);
    other.spec.scaleTargetRef.name = 'b';
    expect(judged([claim(['ReadWriteOnce']), holder('a', 0, RECREATE), other])).toEqual([]);
  });

  test('near misses: many-node modes, file storage, a volume of the tree with ReadWriteMany, a volume the tree lacks, another namespace', () => {
    const two = [holder('a', 8, RECREATE), holder('b', 8, RECREATE)];
    expect(judged([claim(['ReadWriteMany']), ...two])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce', 'ReadOnlyMany']), ...two])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce'], { storageClassName: 'nfs-client' }), ...two])).toEqual([]);
    const fileClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'shared' }, provisioner: 'efs.csi.aws.com' };
    expect(judged([claim(['ReadWriteOnce'], { storageClassName: 'shared' }), fileClass, ...two])).toEqual([]);
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteMany'] } };
    expect(judged([claim(['ReadWriteOnce'], { volumeName: 'pv1' }), pv, ...two])).toEqual([]);
    expect(judged([claim(['ReadWriteOnce'], { volumeName: 'elsewhere' }), ...two])).toEqual([]);
    expect(judged([{ ...claim(['ReadWriteOnce']), metadata: { name: 'cache', namespace: 'other' } }, ...two])).toEqual([]);
    // the same claim on ReadWriteOnce errs for those two 8-GPU servers
    expect(judged([claim(['ReadWriteOnce']), ...two]).map((f) => f.severity)).toEqual(['error']);
  });
  test('node-local storage (local-path, OpenEBS hostpath, a local PersistentVolume) is never attached: no Multi-Attach; ReadWriteOncePod still binds one pod', () => {
    const rollout = holder('a', 0);
    expect(judged([claim(['ReadWriteOnce'], { storageClassName: 'local-path' }), rollout])).toEqual([]);
    expect(
      judged([
        claim(['ReadWriteOnce'], { storageClassName: 'fast' }),
        { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'openebs.io/local' },
        holder('b', 1, { replicas: 2 }),
      ]),
    ).toEqual([]);
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'disk-1' },
      spec: { accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disk1' } },
    };
    expect(judged([claim(['ReadWriteOnce'], { volumeName: 'disk-1' }), pv, rollout])).toEqual([]);
    // near misses: a block-storage class, and ReadWriteOncePod on local-path
    expect(judged([claim(['ReadWriteOnce'], { storageClassName: 'gp3' }), rollout]).map((f) => f.severity)).toEqual(['warning']);
    expect(judged([claim(['ReadWriteOncePod'], { storageClassName: 'local-path' }), holder('b', 1, { replicas: 2 })]).map((f) => f.severity)).toEqual([
      'error',
    ]);
  });
  test("a single-node development cluster's hostpath class has no second node to attach from: no finding; multi-node or unshown distributions are judged", () => {
    const mark = (distribution: DevDistribution, command: string, extra: Partial<DevClusterMark> = {}): DevClusterMark => ({
      file: 'deploy.sh',
      line: 3,
      distribution,
      command,
      creates: false,
      addsNodes: false,
      ...extra,
    });
    const on = (docs: Doc[], devClusters: DevClusterMark[] = []) =>
      runChecks(
        docs.map((manifest) => ({ manifest })),
        { platform: 'rhoai-3.0', devClusters },
      )
        .filter((f) => f.rule === 'volume-claim-multi-attach')
        .map((f) => f.severity);
    const rollout = holder('a', 0);
    const storageClass = (name: string, provisioner: string): Doc => ({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name },
      provisioner,
    });
    // the provisioner of a StorageClass of the tree says it alone
    expect(on([claim(['ReadWriteOnce'], { storageClassName: 'dev' }), storageClass('dev', 'k8s.io/minikube-hostpath'), rollout])).toEqual([]);
    expect(on([claim(['ReadWriteOnce'], { storageClassName: 'hostpath' }), storageClass('hostpath', 'docker.io/hostpath'), rollout])).toEqual([]);
    // MicroK8s's own class name
    expect(on([claim(['ReadWriteOnce'], { storageClassName: 'microk8s-hostpath' }), rollout])).toEqual([]);
    // a shared name with the distribution's command; without it, GKE's standard class is block storage
    const standard = claim(['ReadWriteOnce'], { storageClassName: 'standard' });
    expect(on([standard, rollout], [mark('minikube', 'minikube addons enable storage-provisioner')])).toEqual([]);
    expect(on([standard, rollout], [mark('kind', 'kind load docker-image app:dev')])).toEqual([]);
    expect(on([standard, rollout])).toEqual(['warning']);
    expect(on([claim(['ReadWriteOnce'], { storageClassName: 'hostpath' }), rollout], [mark('minikube', 'minikube start')])).toEqual(['warning']);
    // a claim with no class lands on the default class of a cluster the tree creates, not of one it only mentions
    expect(on([claim(['ReadWriteOnce']), rollout], [mark('minikube', 'minikube start --memory 16g', { creates: true })])).toEqual([]);
    expect(on([claim(['ReadWriteOnce']), rollout], [mark('microk8s', 'microk8s enable gpu')])).toEqual(['warning']);
    // nodes added: the cluster is not single-node
    const added = [mark('minikube', 'minikube start --nodes 3', { creates: true, addsNodes: true })];
    expect(on([standard, rollout], added)).toEqual(['warning']);
    expect(
      on([claim(['ReadWriteOnce'], { storageClassName: 'microk8s-hostpath' }), rollout], [mark('microk8s', 'microk8s add-node', { addsNodes: true })]),
    ).toEqual(['warning']);
    // a StorageClass of the tree named standard with a cloud provisioner is judged by its provisioner
    expect(on([standard, storageClass('standard', 'pd.csi.storage.gke.io'), rollout], [mark('minikube', 'minikube start', { creates: true })])).toEqual([
      'warning',
    ]);
    // ReadWriteOncePod binds one pod on any number of nodes
    expect(on([claim(['ReadWriteOncePod'], { storageClassName: 'microk8s-hostpath' }), holder('b', 0, { replicas: 2 })])).toEqual(['error']);
  });

  test('a kind or k3d configuration of the tree that gives one schedulable node', () => {
    const kindCluster = (nodes?: Doc[]): Doc => ({ apiVersion: 'kind.x-k8s.io/v1alpha4', kind: 'Cluster', ...(nodes ? { nodes } : {}) });
    const k3d = (servers: number, agents: number, options: Doc = {}): Doc => ({
      apiVersion: 'k3d.io/v1alpha5',
      kind: 'Simple',
      metadata: { name: 'dev' },
      servers,
      agents,
      options,
    });
    const fast = claim(['ReadWriteOnce'], { storageClassName: 'fast' });
    const two = [holder('a', 0, RECREATE), holder('b', 0, RECREATE)];
    const cp = { role: 'control-plane' };
    const worker = { role: 'worker' };
    // a control-plane and one worker: kubeadm's taint stays on the control-plane, every pod lands on the worker
    expect(judged([fast, ...two, kindCluster([cp, worker])])).toEqual([]);
    expect(judged([fast, ...two, kindCluster()])).toEqual([]);
    expect(judged([fast, ...two, k3d(1, 0)])).toEqual([]);
    // two workers, or two k3d nodes, or a tainted server: the pods may spread
    expect(judged([fast, ...two, kindCluster([cp, worker, worker])]).map((f) => f.severity)).toEqual(['warning']);
    expect(judged([fast, ...two, k3d(1, 1)]).map((f) => f.severity)).toEqual(['warning']);
    expect(judged([fast, ...two, k3d(1, 0, { k3s: { extraArgs: [{ arg: '--node-taint=x=y:NoSchedule' }] } })]).map((f) => f.severity)).toEqual(['warning']);
    // no class on a kind cluster of two workers: judged as before (the pods may be placed apart)
    expect(judged([claim(['ReadWriteOnce']), ...two, kindCluster([cp, worker, worker])]).map((f) => f.severity)).toEqual(['warning']);
    // ReadWriteOncePod admits one pod whatever the nodes
    expect(judged([claim(['ReadWriteOncePod'], { storageClassName: 'fast' }), ...two, kindCluster()]).map((f) => f.severity)).toEqual(['error']);
  });

  test('devClusterMarks: the commands that drive minikube, MicroK8s, kind and Docker Desktop, and those that add nodes', () => {
    const marks = devClusterMarks([
      {
        script: 'setup.sh',
        text: [
          'minikube start --driver=docker --nodes=2',
          'minikube version',
          'microk8s enable hostpath-storage',
          'sudo microk8s add-node',
          'kind create cluster --name dev',
          'kubectl config use-context docker-desktop',
          'kubectl apply -f k8s/',
        ].join('\n'),
      },
    ]);
    expect(marks.map((m) => [m.line, m.distribution, m.creates, m.addsNodes])).toEqual([
      [1, 'minikube', true, true],
      [3, 'microk8s', false, false],
      [4, 'microk8s', false, true],
      [5, 'kind', true, false],
      [6, 'docker-desktop', false, false],
    ]);
  });

  test("a Ray cluster's head and worker groups, and a LeaderWorkerSet's leaders and workers, are pods that run at once", () => {
    const pod = (gpus: number, extra: Doc = {}) => ({
      spec: {
        containers: [{ name: 'ray', image: 'rayproject/ray:2.46.0', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
        volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'cache' } }],
        ...extra,
      },
    });
    const ray = (kind: string, cluster: Doc): Doc => ({
      apiVersion: 'ray.io/v1',
      kind,
      metadata: { name: 'train', namespace: 'ai' },
      spec: kind === 'RayJob' ? { entrypoint: 'python train.py', rayClusterSpec: cluster } : cluster,
    });
    const headAndWorkers = (workers: Doc) => ({ headGroupSpec: { template: pod(0) }, workerGroupSpecs: [{ groupName: 'gpu', template: pod(1), ...workers }] });
    // nodes unknown: the head and one worker may share a node
    expect(judged([claim(['ReadWriteOnce']), ray('RayJob', headAndWorkers({ replicas: 1 }))])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining(
          'RayJob/ai/train spec.rayClusterSpec.headGroupSpec.template (1 pod), RayJob/ai/train spec.rayClusterSpec.workerGroupSpecs[0].template (1 pod) mount it',
        ),
      }),
    ]);
    // workers on another node pool than the head never share its node; autoscaling counts maxReplicas
    const pinned = {
      headGroupSpec: { template: pod(0, { nodeSelector: { pool: 'cpu' } }) },
      workerGroupSpecs: [{ groupName: 'gpu', replicas: 1, template: pod(1, { nodeSelector: { pool: 'gpu' } }) }],
    };
    expect(judged([claim(['ReadWriteOnce']), ray('RayCluster', pinned)])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining(
          'RayCluster/ai/train spec.headGroupSpec.template selects nodes pool=cpu and RayCluster/ai/train spec.workerGroupSpecs[0].template pool=gpu',
        ),
      }),
    ]);
    const g6 = { nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.xlarge' } };
    const scaled = { enableInTreeAutoscaling: true, workerGroupSpecs: [{ groupName: 'gpu', replicas: 1, maxReplicas: 3, template: pod(1, g6) }] };
    expect(judged([claim(['ReadWriteOnce']), ray('RayCluster', scaled)])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/workerGroupSpecs\[0\]\.template \(3 pods\) mount it.*request 3 GPUs together/),
      }),
    ]);
    // a worker group without replicas runs minReplicas (0 by default): the head alone mounts it
    expect(judged([claim(['ReadWriteOnce']), ray('RayCluster', headAndWorkers({}))])).toEqual([]);
    // one worker group of one pod and no head: one pod, nothing shared
    expect(judged([claim(['ReadWriteOnce']), ray('RayCluster', { workerGroupSpecs: [{ groupName: 'gpu', replicas: 1, template: pod(1) }] })])).toEqual([]);
    const lws = (size: number, leader: boolean): Doc => ({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: { replicas: 1, leaderWorkerTemplate: { size, ...(leader ? { leaderTemplate: pod(8, g6) } : {}), workerTemplate: pod(8, g6) } },
    });
    expect(judged([claim(['ReadWriteOnce']), lws(2, true)])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /LeaderWorkerSet\/ai\/vllm spec.leaderWorkerTemplate.leaderTemplate \(1 pod\), LeaderWorkerSet\/ai\/vllm spec.leaderWorkerTemplate.workerTemplate \(1 pod\) mount it/,
        ),
      }),
    ]);
    // without a leaderTemplate the workerTemplate makes the leader too; a group of one pod shares nothing
    expect(judged([claim(['ReadWriteOnce']), lws(3, false)])).toEqual([
      expect.objectContaining({ message: expect.stringContaining('workerTemplate (3 pods) mount it') }),
    ]);
    expect(judged([claim(['ReadWriteOnce']), lws(1, false)])).toEqual([]);
  });
});
