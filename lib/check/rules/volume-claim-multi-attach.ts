import { mapping, strings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { apartReason, ClaimHolder, claimHolders, holderLabel, unscaled } from '../claim-holders';
import { later, slotOf } from '../argocd/hooks';
import { containersOf } from '../pods';
import { Problem, Rule } from '../rule';
import type { DevDistribution } from '../../manifests/script-dev-clusters';
import { devClusterConfigs } from '../dev-cluster-configs';

const RWO = 'ReadWriteOnce';
const RWOP = 'ReadWriteOncePod';

/**
 * Provisioners and class names of file storage (NFS, CephFS, EFS, Azure Files, Filestore, SMB): their volumes are
 * mounted, not attached, so the attach-detach controller's one-node rule never applies to them.
 */
const FILE_STORAGE = /nfs|cephfs|efs|file\.csi|filestore|smb|azurefile/i;

/**
 * The access modes that decide: those of the PersistentVolume the claim names when the tree has it (the
 * attach-detach controller reads the volume's, kubernetes pkg/controller/volume/attachdetach/reconciler
 * isMultiAttachForbidden), else the claim's; undefined when the claim names a volume the tree lacks.
 */
function accessModes(graph: ObjectGraph, claim: GraphObject): string[] | undefined {
  const spec = mapping(claim.manifest.spec);
  const volume = text(spec.volumeName);
  if (!volume) return strings(spec.accessModes);
  const pv = graph.find('PersistentVolume', volume);
  return pv ? strings(mapping(pv.manifest.spec).accessModes) : undefined;
}

/** Whether the claim's volumes are file storage, which pods on several nodes mount at once whatever the mode says. */
function fileStorage(graph: ObjectGraph, claim: GraphObject): boolean {
  const cls = text(mapping(claim.manifest.spec).storageClassName);
  if (!cls) return false;
  const provisioner = text(graph.find('StorageClass', cls)?.manifest.provisioner) ?? '';
  return FILE_STORAGE.test(cls) || FILE_STORAGE.test(provisioner);
}

/**
 * Provisioners and class names of node-local volumes (k3s's and Rancher's local-path, OpenEBS hostpath/local, static
 * local volumes): the volume lives on one node's disk and is never attached; its PersistentVolume's node affinity
 * pins every pod that mounts it to that node (rancher/local-path-provisioner provisioner.go sets the PV's
 * nodeAffinity; openebs/dynamic-localpv-provisioner likewise), so no Multi-Attach can occur.
 */
const NODE_LOCAL = /^(?:local-path|rancher\.io\/local-path|openebs-hostpath|openebs\.io\/local|kubernetes\.io\/no-provisioner|local-storage)$/;

/** Whether the claim's volume is node-local: by its class or provisioner, or a PersistentVolume of the tree with spec.local or spec.hostPath. */
function nodeLocal(graph: ObjectGraph, claim: GraphObject): boolean {
  const spec = mapping(claim.manifest.spec);
  const volume = text(spec.volumeName);
  const pv = volume ? mapping(graph.find('PersistentVolume', volume)?.manifest.spec) : {};
  if (pv.local !== undefined || pv.hostPath !== undefined) return true;
  const cls = text(spec.storageClassName);
  if (!cls) return false;
  return NODE_LOCAL.test(cls) || NODE_LOCAL.test(text(graph.find('StorageClass', cls)?.manifest.provisioner) ?? '');
}

/**
 * The hostpath provisioners of single-node development clusters (MicroK8s's hostpath-storage addon, Docker Desktop's
 * storage-provisioner, minikube's storage-provisioner addon): their volumes are directories of the one node, and no
 * second node exists to attach from.
 */
const DEV_PROVISIONERS: Readonly<Record<string, DevDistribution>> = {
  'microk8s.io/hostpath': 'microk8s',
  'docker.io/hostpath': 'docker-desktop',
  'k8s.io/minikube-hostpath': 'minikube',
};

/**
 * The default class names of those clusters, judged by name only where the tree shows that distribution (a `minikube`,
 * `microk8s`, `kind` command, Docker Desktop's kubectl context): `standard` is also GKE's class. kind's `standard`
 * provisions rancher.io/local-path, node-local on any number of nodes. MicroK8s's class name is its own.
 */
const DEV_CLASS_NAMES: Readonly<Record<string, readonly DevDistribution[]>> = {
  'microk8s-hostpath': ['microk8s'],
  hostpath: ['docker-desktop'],
  standard: ['minikube', 'kind'],
};

/**
 * How the claim's class is known to be a single-node development cluster's, if it is: the provisioner of a StorageClass
 * of the tree, or the class name with a command of the tree that drives that distribution (MicroK8s's own class name
 * alone); a claim with no class on a cluster the tree's scripts create (`minikube start`, `kind create cluster`) gets
 * that cluster's default class. A command that adds nodes (`minikube start --nodes 3`, `microk8s add-node`) rules it out.
 */
function devClusterClass(graph: ObjectGraph, claim: GraphObject): string | undefined {
  const cls = text(mapping(claim.manifest.spec).storageClassName);
  const marks = graph.devClusters;
  const single = (d: DevDistribution) => !marks.some((m) => m.distribution === d && m.addsNodes);
  const shown = (d: DevDistribution) => marks.find((m) => m.distribution === d && single(d));
  const ofTree = cls ? graph.find('StorageClass', cls) : undefined;
  if (ofTree) {
    const provisioner = text(ofTree.manifest.provisioner) ?? '';
    const distribution = DEV_PROVISIONERS[provisioner];
    return distribution && single(distribution) ? `class ${cls} of the tree provisions with ${provisioner}, ${distribution}'s` : undefined;
  }
  if (cls === 'microk8s-hostpath' && single('microk8s')) return "class microk8s-hostpath, MicroK8s's";
  const mark = cls ? (DEV_CLASS_NAMES[cls] ?? []).map(shown).find((m) => m) : marks.find((m) => m.creates && single(m.distribution));
  return mark
    ? `class ${cls ?? `(the default of ${mark.distribution})`} on ${mark.distribution}, which \`${mark.command}\` (${mark.file}:${mark.line}) drives`
    : undefined;
}

/**
 * Whether the tree's own kind or k3d configuration puts its pods on one machine: every configuration it holds gives one
 * schedulable node, and ReadWriteOnce lets any number of pods of one node mount the volume (Kubernetes docs, Persistent
 * Volumes, access modes).
 */
function oneNodeCluster(graph: ObjectGraph): boolean {
  const configs = devClusterConfigs(graph);
  return configs.length > 0 && configs.every((c) => c.schedulable === 1);
}

const FIX =
  'give the claim accessModes [ReadWriteMany] on file storage, give each pod its own claim (a StatefulSet volumeClaimTemplate), or run one replica with strategy Recreate';

/** Long-running pods that mount the claim at once only when an autoscaler scales out: a warning, scale-out being load's choice. */
function scaledOut(graph: ObjectGraph, mode: string, running: readonly ClaimHolder[]): Problem[] {
  const who = `${running.map((h) => holderLabel(graph, h)).join(', ')} mount it`;
  const effect =
    mode === RWOP
      ? `${RWOP} admits one pod in the whole cluster, so every added replica stays Pending`
      : `${RWO} attaches the volume to one node, so every added replica scheduled on another node stays ContainerCreating ("Multi-Attach error for volume")${apartReason(graph, running) ? ` (${apartReason(graph, running)})` : ''}`;
  return [{ severity: 'warning', message: `${who}: when the autoscaler scales out, ${effect}; ${FIX}, or cap the autoscaler at one replica` }];
}

/** The judgement of long-running pods that mount the claim at once. */
function concurrent(graph: ObjectGraph, mode: string, running: readonly ClaimHolder[]): Problem[] {
  const who = `${running.map((h) => holderLabel(graph, h)).join(', ')} mount it`;
  if (mode === RWOP)
    return [
      {
        message: `${who}, but ${RWOP} admits one pod in the whole cluster: the scheduler keeps every other pod Pending ("node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"); ${FIX}`,
      },
    ];
  const apart = apartReason(graph, running);
  if (apart)
    return [
      {
        message: `${who}, but ${RWO} attaches the volume to one node and ${apart}: the pods on other nodes stay ContainerCreating ("Multi-Attach error for volume … Volume is already used by pod(s)"); ${FIX}`,
      },
    ];
  const daemon = running.find((h) => h.object.manifest.kind === 'DaemonSet');
  return [
    {
      severity: 'warning',
      message:
        `${who}, and ${RWO} attaches the volume to one node: it works only while all pods land on one node${daemon ? ` (${graph.id(daemon.object)} runs a pod on every node it selects)` : ''}; ` +
        `pods scheduled elsewhere stay ContainerCreating ("Multi-Attach error for volume"); ${FIX}`,
    },
  ];
}

/** A single pod's rollout, or a parallel Job's pods, that share the claim only for a while: a warning. */
function transient(graph: ObjectGraph, mode: string, holders: readonly ClaimHolder[]): Problem[] {
  const rolling = holders.find((h) => !h.finishes && h.surges);
  if (rolling) {
    const effect =
      mode === RWOP
        ? `${RWOP} keeps the new pod Pending while the old one runs, so every rollout stalls`
        : `on another node the new pod stays ContainerCreating ("Multi-Attach error for volume") and the rollout stalls`;
    return [
      {
        severity: 'warning',
        message: `${holderLabel(graph, rolling)} mounts it and each rollout starts the new pod beside the old one: ${effect}; set strategy type Recreate (or rollingUpdate.maxSurge: 0), or use ReadWriteMany storage`,
      },
    ];
  }
  const parallel = holders.find((h) => h.finishes && h.pods > 1);
  if (!parallel) return [];
  return [
    {
      severity: 'warning',
      message: `${holderLabel(graph, parallel)} mount it at once, and ${mode} lets ${mode === RWOP ? 'one pod' : 'the pods of one node'} use it: the others wait (Pending or ContainerCreating) until it is released, so the Job runs one ${mode === RWOP ? 'pod' : 'node'} at a time; ${FIX}`,
    },
  ];
}

/**
 * Whether two holders' pods run at the same time: a finishing holder (a Job, a training job) is done before a holder
 * of a later Argo CD phase or wave starts (gitops-engine sync_tasks.go runs phase by phase, wave by wave, and waits for
 * a Job to complete before the next), while a long-running one runs on through every later wave.
 */
function overlap(a: ClaimHolder, b: ClaimHolder): boolean {
  const [sa, sb] = [slotOf(a.object), slotOf(b.object)];
  if (!sa || !sb || waitsFor(a, b) || waitsFor(b, a)) return false;
  return !(a.finishes && later(sb, sa)) && !(b.finishes && later(sa, sb));
}

/**
 * Whether the pods of `waiter` start only after `job` completes: an init container whose command waits for that Job
 * (`kubectl wait --for=condition=complete job/<name>`; the pod's containers start once its init containers succeed).
 */
function waitsFor(waiter: ClaimHolder, job: ClaimHolder): boolean {
  const name = text(mapping(job.object.manifest.metadata).name);
  if (!job.finishes || !name) return false;
  const words = containersOf(waiter.pod)
    .filter((c) => c.init)
    .flatMap((c) => [...strings(c.container.command), ...strings(c.container.args)])
    .flatMap((w) => w.split(/\s+/));
  return words.includes('wait') && words.some((w) => w === name || w.endsWith(`/${name}`));
}

/** The largest set of workloads, one of which runs to completion, whose pods mount the claim at the same time. */
function overlapping(holders: readonly ClaimHolder[]): ClaimHolder[] {
  const groups = holders.filter((j) => j.finishes).map((j) => [j, ...holders.filter((h) => h !== j && h.object !== j.object && overlap(j, h))]);
  return groups.reduce<ClaimHolder[]>((best, g) => (g.length > best.length ? g : best), []);
}

/** Jobs, or a Job and a server, that mount the claim at once with nothing ordering them: a warning, as which pod waits depends on where and when each is placed. */
function sharedWithJobs(graph: ObjectGraph, mode: string, group: readonly ClaimHolder[]): Problem[] {
  const who = group.map((h) => holderLabel(graph, h)).join(', ');
  const server = group.find((h) => !h.finishes);
  const wait =
    mode === RWOP
      ? `${RWOP} admits one pod at a time, so the others stay Pending`
      : `${RWO} attaches the volume to one node, so a pod placed on another node stays ContainerCreating ("Multi-Attach error for volume")`;
  const until = server
    ? `until the others release it: while ${graph.id(server.object)} runs, the pods of the others placed elsewhere never start`
    : 'until the others release it, and the Jobs run one after another';
  return [
    {
      severity: 'warning',
      message: `${who} mount it at the same time (no Argo CD sync wave or hook runs one before the other), and ${wait} ${until}; order them (sync waves or hooks), or ${FIX}`,
    },
  ];
}

const podsOf = (holders: readonly ClaimHolder[]) => holders.reduce((n, h) => n + h.pods, 0);

/** The long-running pods as written, then at the autoscalers' maximum, then Jobs beside each other or a server, then one workload's own rollout or parallel pods. */
function judge(graph: ObjectGraph, mode: string, holders: readonly ClaimHolder[]): Problem[] {
  const running = holders.filter((h) => !h.finishes);
  const written = running.map(unscaled);
  if (podsOf(written) > 1) return concurrent(graph, mode, written);
  if (podsOf(running) > 1) return scaledOut(graph, mode, running);
  const group = overlapping(holders);
  if (group.length > 1) return sharedWithJobs(graph, mode, group);
  return transient(graph, mode, holders);
}

export const volumeClaimMultiAttach: Rule = {
  id: 'volume-claim-multi-attach',
  title: 'a ReadWriteOnce or ReadWriteOncePod claim is mounted by several pods that run at once: the pods beyond the first node (or pod) never start',
  severity: 'error',
  appliesTo: ['PersistentVolumeClaim'],
  premise:
    "a PersistentVolumeClaim of the tree whose access modes (its PersistentVolume's when it names one the tree has) are only ReadWriteOnce or ReadWriteOncePod, not on file storage (a class or provisioner of NFS, CephFS, EFS, Azure Files, Filestore, SMB) nor, for ReadWriteOnce, on node-local storage (class or provisioner local-path, rancher.io/local-path, openebs-hostpath, openebs.io/local, kubernetes.io/no-provisioner, local-storage, or a PersistentVolume of the tree with spec.local or hostPath: never attached, its node affinity pins the pods to its node), nor, for ReadWriteOnce, on a single-node development cluster's hostpath class (a StorageClass of the tree with provisioner microk8s.io/hostpath, docker.io/hostpath or k8s.io/minikube-hostpath; the class microk8s-hostpath; hostpath where the tree's scripts or README drive Docker Desktop's cluster, standard where they run minikube or kind; no class where they create the cluster with minikube start or kind create cluster; not where they add nodes: minikube --nodes over 1, minikube node add, microk8s add-node or join), nor, for ReadWriteOnce, where the tree's own kind (kind.x-k8s.io Cluster) or k3d (k3d.io Simple) configuration creates the cluster and gives one schedulable node (kind: no nodes listed, one control-plane node alone, or one worker, the control-plane nodes being tainted when workers exist; k3d: servers plus agents one, no node taint), mounted (volumes or a pvc:// model URI) by pods of workloads of its namespace applied with it, each pod template of a Ray object (the head, each worker group: replicas, maxReplicas under in-tree autoscaling, times numOfHosts) or a LeaderWorkerSet (replicas leaders, replicas × (size-1) workers) or a Kubeflow training job (each role's replicas, run to completion) counting as a workload of its own, a Deployment or StatefulSet at the highest maxReplicas of an HPA (maxReplicaCount of a KEDA ScaledObject, default 100) that scales it: " +
    'an error when long-running pods of several workloads or replicas mount it and they cannot share one node (ReadWriteOncePod always; ReadWriteOnce when their GPUs together exceed every node they can use, their node selectors differ, or a required pod anti-affinity spreads them), ' +
    "a warning when they can (it works only while all pods land on one node), when only the autoscaler's maximum makes them several, when several Jobs (or a Job beside a server) mount it with no Argo CD phase or sync wave running one before the other (a Job of an earlier wave or a PreSync hook completes first, and so does one that an init container of the other waits for with kubectl wait; a server of an earlier wave runs on), when one replica's rollout surges (Deployment RollingUpdate, KServe's Deployments) or a Job's parallel pods share it; " +
    'claims of volumeClaimTemplates and claims the tree does not define are not judged',
  example: '`accessModes: [ReadWriteOnce]` on claim `model-cache`, mounted by two Deployments with `nvidia.com/gpu: "8"` each',
  fix: 'use ReadWriteMany storage, give each pod its own claim (StatefulSet volumeClaimTemplates), or run one replica with strategy Recreate',
  source:
    'kubernetes pkg/controller/volume/attachdetach/reconciler/reconciler.go (isMultiAttachForbidden, reportMultiAttachError: "Multi-Attach error for volume … Volume is already used by pod(s)"): a ReadWriteOnce volume attaches to one node; ' +
    'pkg/scheduler/framework/plugins/volumerestrictions (ReadWriteOncePod: "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"); ' +
    'pkg/controller/deployment/util ResolveFenceposts (RollingUpdate maxSurge 25% rounds up to one new pod beside the old); gitops-engine pkg/sync/sync_tasks.go (phase, then wave order; the wave of a Job ends when it completes); kind pkg/cluster/internal/create/actions/kubeadminit/init.go (the control-plane taint is removed only when the cluster has one node); pods of kuberay ray-operator/apis/ray/v1 raycluster_types.go (HeadGroupSpec, WorkerGroupSpec) and lws api/leaderworkerset/v1 (LeaderWorkerTemplate)',
  check(o, { graph }) {
    const modes = accessModes(graph, o);
    if (!modes?.length || modes.some((m) => m !== RWO && m !== RWOP)) return [];
    const mode = modes.includes(RWOP) ? RWOP : RWO;
    // a single-node development cluster has no second node to attach from
    if (mode === RWO && (fileStorage(graph, o) || nodeLocal(graph, o) || devClusterClass(graph, o) || oneNodeCluster(graph))) return [];
    const problems = judge(graph, mode, claimHolders(graph, o));
    return problems.map((p) => ({ ...p, message: `accessModes [${modes.join(', ')}]: ${p.message}` }));
  },
};
