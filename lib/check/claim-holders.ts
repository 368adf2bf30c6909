import * as path from 'path';
import { Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { GpuInstanceType } from '../catalog/instance-type';
import { selectorMatches } from './argocd/label-selector';
import { GraphObject, unitOf } from './graph-object';
import { ObjectGraph } from './graph';
import { podClaims } from './pod-claims';
import { podTemplatesOf } from './pod-templates';
import { podCount, podLabelsOf, podRequests, podSpecOf, WORKLOAD_KINDS } from './pods';

/** The node label a required pod anti-affinity names to keep two pods off one node. */
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** A workload whose pods mount a claim. */
export interface ClaimHolder {
  readonly object: GraphObject;
  /** The pod template of an object that makes several kinds of pods (a Ray group, a LeaderWorkerSet's workers), by its path. */
  readonly part?: string;
  /** The pods as a manifest the pod readers take: the workload itself, or a Pod of the template (the object's metadata, the template's labels added). */
  readonly pod: Loose;
  /** Pods that run at once at full scale (DaemonSet: one per node, counted as 2). */
  readonly pods: number;
  /** Its pods run to completion (Job, CronJob, a Pod with restartPolicy Never or OnFailure). */
  readonly finishes: boolean;
  /** A rollout starts the new pod before the old one stops (Deployment RollingUpdate with surge, KServe's Deployments). */
  readonly surges: boolean;
  readonly gpus: number;
  /** The autoscaler whose maximum sets the pod count (an HPA's maxReplicas, a KEDA ScaledObject's maxReplicaCount), and the count the workload writes. */
  readonly scaled?: { readonly by: string; readonly own: number };
}

/** Kinds whose pods mount volumes the way podClaims reads them. */
const HOLDER_KINDS = WORKLOAD_KINDS;

/**
 * The workloads of the tree applied with a claim (the same build, or for loose files a folder on the claim's own
 * path) whose pods mount it, each once.
 */
export function claimHolders(graph: ObjectGraph, claim: GraphObject): ClaimHolder[] {
  const name = text(mapping(claim.manifest.metadata).name);
  const ns = graph.namespaceOf(claim.manifest);
  const seen = new Set<string>();
  const mounts = (h: ClaimHolder) => podClaims(h.pod).some((c) => c.name === name);
  const key = (h: ClaimHolder) => `${graph.id(h.object)} ${h.part ?? ''}`;
  return [...HOLDER_KINDS, ...TEMPLATE_HOLDER_KINDS]
    .flatMap((k) => graph.ofKind(k))
    .filter((w) => graph.namespaceOf(w.manifest) === ns && together(claim, w))
    .flatMap((w): ClaimHolder[] =>
      TEMPLATE_HOLDER_KINDS.includes(String(w.manifest.kind))
        ? templateHolders(w)
        : [{ object: w, pod: w.manifest, finishes: finishes(w.manifest), surges: surges(w.manifest), gpus: graph.gpusOf(w), ...scaledPods(graph, w) }],
    )
    .filter(mounts)
    .filter((h) => !seen.has(key(h)) && !!seen.add(key(h)));
}

/**
 * The Kubeflow training jobs, by the field of their replica specs: each role's pods (replicas, default 1) run to
 * completion (kubeflow/training-operator pkg/apis/kubeflow.org/v1 ReplicaSpec.Replicas).
 */
const TRAINING_JOBS: Readonly<Record<string, string>> = {
  PyTorchJob: 'pytorchReplicaSpecs',
  TFJob: 'tfReplicaSpecs',
  MPIJob: 'mpiReplicaSpecs',
  XGBoostJob: 'xgbReplicaSpecs',
  PaddleJob: 'paddleReplicaSpecs',
};

/** Kinds whose pod templates each make pods of their own, judged one template at a time: Ray's head and worker groups, a LeaderWorkerSet's leaders and workers, a training job's roles. */
const TEMPLATE_HOLDER_KINDS = ['RayCluster', 'RayJob', 'RayService', 'LeaderWorkerSet', ...Object.keys(TRAINING_JOBS)];

/** A count field of a spec, when it is a whole number. */
const count = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback);

/**
 * The pods each template of a Ray object or LeaderWorkerSet runs at once at full scale: a Ray head is one pod, a
 * worker group replicas (maxReplicas under in-tree autoscaling) times numOfHosts (kuberay ray-operator/apis/ray/v1
 * raycluster_types.go WorkerGroupSpec); a LeaderWorkerSet runs replicas groups of one leader and size-1 workers, its
 * leaders made from the workerTemplate when it has no leaderTemplate (lws api/leaderworkerset/v1 LeaderWorkerTemplate).
 * The pods of a Ray cluster, a RayJob's included, run together for the cluster's life.
 */
function templatePodCounts(m: Loose): number[] {
  const spec = mapping(m.spec);
  const roles = TRAINING_JOBS[String(m.kind)];
  // podTemplatesOf lists the roles in the order the spec writes them
  if (roles) return Object.values(mapping(spec[roles])).map((r) => count(mapping(r).replicas, 1));
  if (m.kind === 'LeaderWorkerSet') {
    const t = mapping(spec.leaderWorkerTemplate);
    const groups = count(spec.replicas, 1);
    const size = Math.max(count(t.size, 1), 1);
    // podTemplatesOf lists the leaderTemplate (when written) then the workerTemplate
    return t.leaderTemplate != null ? [groups, groups * (size - 1)] : [groups * size];
  }
  const cluster = mapping(m.kind === 'RayJob' ? spec.rayClusterSpec : m.kind === 'RayService' ? spec.rayClusterConfig : spec);
  const autoscaling = cluster.enableInTreeAutoscaling === true;
  const workers = mappings(cluster.workerGroupSpecs).map((g) => {
    const replicas = Math.max(count(g.replicas, count(g.minReplicas, 0)), autoscaling ? count(g.maxReplicas, 0) : 0);
    return replicas * Math.max(count(g.numOfHosts, 1), 1);
  });
  return [...(cluster.headGroupSpec != null ? [1] : []), ...workers];
}

function templateHolders(w: GraphObject): ClaimHolder[] {
  const meta = mapping(w.manifest.metadata);
  const counts = templatePodCounts(w.manifest);
  // a template that runs no pod (a worker group of 0 replicas) mounts nothing
  return podTemplatesOf(w.manifest).flatMap((t, i): ClaimHolder[] => {
    if (counts[i] === 0) return [];
    const labels = { ...stringMap(meta.labels), ...stringMap(mapping(t.template.metadata).labels) };
    const pod = { kind: 'Pod', metadata: { ...meta, labels }, spec: mapping(t.template.spec) };
    const finishing = TRAINING_JOBS[String(w.manifest.kind)] !== undefined;
    return [{ object: w, part: t.path, pod, pods: counts[i] ?? 1, finishes: finishing, surges: false, gpus: podRequests(pod).gpus }];
  });
}

/** Whether two objects are applied together: one build, or loose files of one folder line (not two sibling examples). */
function together(a: GraphObject, b: GraphObject): boolean {
  if (unitOf(a) !== unitOf(b)) return false;
  if (unitOf(a) !== '' || a.file === undefined || b.file === undefined) return true;
  const [da, db] = [path.dirname(a.file), path.dirname(b.file)];
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`) || outer === '.';
  return within(da, db) || within(db, da);
}

function podsAtOnce(m: Loose): number {
  if (m.kind === 'DaemonSet') return 2;
  return podCount(m);
}

/** KEDA's maxReplicaCount when unset (kedacore/keda apis/keda/v1alpha1 scaledobject_types.go, default 100). */
const KEDA_DEFAULT_MAX = 100;

/**
 * The pods a workload runs at most: its own count, or the highest maximum of an autoscaler of its namespace whose
 * scaleTargetRef names it (an HPA's spec.maxReplicas; a KEDA ScaledObject's spec.maxReplicaCount, kind Deployment
 * when unset), which scale-out reaches under load.
 */
function scaledPods(graph: ObjectGraph, w: GraphObject): Pick<ClaimHolder, 'pods' | 'scaled'> {
  const own = podsAtOnce(w.manifest);
  const name = text(mapping(w.manifest.metadata).name);
  const ns = graph.namespaceOf(w.manifest);
  let best: Pick<ClaimHolder, 'pods' | 'scaled'> = { pods: own };
  for (const a of [...graph.ofKind('HorizontalPodAutoscaler'), ...graph.ofKind('ScaledObject')]) {
    const keda = a.manifest.kind === 'ScaledObject';
    const spec = mapping(a.manifest.spec);
    const ref = mapping(spec.scaleTargetRef);
    const kind = text(ref.kind) ?? (keda ? 'Deployment' : undefined);
    if (kind !== w.manifest.kind || text(ref.name) !== name || graph.namespaceOf(a.manifest) !== ns || !together(w, a)) continue;
    const max = count(keda ? spec.maxReplicaCount : spec.maxReplicas, keda ? KEDA_DEFAULT_MAX : 0);
    if (max > best.pods) best = { pods: max, scaled: { by: `${graph.id(a)} ${keda ? 'maxReplicaCount' : 'maxReplicas'} ${max}`, own } };
  }
  return best;
}

function finishes(m: Loose): boolean {
  if (m.kind === 'Job' || m.kind === 'CronJob') return true;
  return m.kind === 'Pod' && ['Never', 'OnFailure'].includes(text(mapping(m.spec).restartPolicy) ?? 'Always');
}

/**
 * Whether a rollout of one replica runs the new pod beside the old: a Deployment's RollingUpdate (the default) with a
 * maxSurge other than 0 (default 25%, rounded up: one pod; kubernetes pkg/controller/deployment/util ResolveFenceposts),
 * and the Deployments KServe makes (an InferenceService's predictor unless its deploymentStrategy is Recreate: kserve
 * reconcilers/deployment/deployment_reconciler.go takes componentExt.DeploymentStrategy, else setDefaultDeploymentSpec's
 * RollingUpdate; an LLMInferenceService's). A StatefulSet deletes the old pod first.
 */
function surges(m: Loose): boolean {
  if (m.kind === 'LLMInferenceService') return true;
  const strategy =
    m.kind === 'Deployment'
      ? mapping(mapping(m.spec).strategy)
      : m.kind === 'InferenceService'
        ? mapping(mapping(mapping(m.spec).predictor).deploymentStrategy)
        : undefined;
  if (!strategy || text(strategy.type) === 'Recreate') return false;
  const surge = mapping(strategy.rollingUpdate).maxSurge;
  return surge === undefined || !(surge === 0 || (typeof surge === 'string' && /^0+%?$/.test(surge)));
}

/** Why the long-running pods of the holders cannot all run on one node, or undefined when they could. */
export function apartReason(graph: ObjectGraph, holders: readonly ClaimHolder[]): string | undefined {
  return spreadReason(graph, holders) ?? selectorReason(graph, holders) ?? gpuReason(graph, holders);
}

/** A workload of several pods whose required pod anti-affinity keeps its own pods off one node. */
function spreadReason(graph: ObjectGraph, holders: readonly ClaimHolder[]): string | undefined {
  const spread = holders.find((h) => {
    if (h.pods < 2) return false;
    const own = stringMap(podLabelsOf(h.pod));
    const terms = mappings(mapping(mapping(podSpecOf(h.pod)?.affinity).podAntiAffinity).requiredDuringSchedulingIgnoredDuringExecution);
    return terms.some((t) => {
      // matchLabels and matchExpressions ANDed (apimachinery LabelSelectorAsSelector); an empty selector is not judged
      const selector = mapping(t.labelSelector);
      const written = Object.keys(mapping(selector.matchLabels)).length + mappings(selector.matchExpressions).length;
      return t.topologyKey === HOSTNAME_LABEL && written > 0 && selectorMatches(selector, own) === true;
    });
  });
  return spread && `${holderName(graph, spread)} requires pod anti-affinity on ${HOSTNAME_LABEL} against its own pods, so its replicas run on different nodes`;
}

/** Two holders whose node selectors ask one label for different values. */
function selectorReason(graph: ObjectGraph, holders: readonly ClaimHolder[]): string | undefined {
  const selectors = holders.map((h) => ({ h, sel: stringMap(podSpecOf(h.pod)?.nodeSelector) }));
  for (const [i, a] of selectors.entries()) {
    for (const b of selectors.slice(i + 1)) {
      const key = Object.keys(a.sel).find((k) => b.sel[k] !== undefined && b.sel[k] !== a.sel[k]);
      if (key)
        return `${holderName(graph, a.h)} selects nodes ${key}=${a.sel[key]} and ${holderName(graph, b.h)} ${key}=${b.sel[key]}, so their pods never share a node`;
    }
  }
  return undefined;
}

/** GPUs the pods request together beyond what any node they can share has (the nodes the tree places them on, else the largest the catalog knows). */
function gpuReason(graph: ObjectGraph, holders: readonly ClaimHolder[]): string | undefined {
  const total = holders.reduce((n, h) => n + h.pods * h.gpus, 0);
  if (!total) return undefined;
  const known = holders.map((h) => graph.instanceTypesOf(h.pod)).filter((ts) => ts.length > 0);
  const shared = known.length ? known.reduce((acc, ts) => acc.filter((t) => ts.some((u) => u.name === t.name))) : GpuInstanceType.all();
  if (known.length && !shared.length)
    return `their pods are placed on different instance types (${[...new Set(known.flat().map((t) => t.name))].join(', ')}), so they never share a node`;
  const most = Math.max(...shared.map((t) => t.gpuCount));
  if (total <= most) return undefined;
  const where = known.length ? `${shared.map((t) => t.name).join(' or ')} (${most} each)` : `any node the catalog knows (at most ${most})`;
  return `their pods request ${total} GPUs together, more than ${where} has, so they cannot all run on one node`;
}

/** The workload, and the template of one that makes several kinds of pods: `RayCluster/ai/ray spec.headGroupSpec.template`. */
const holderName = (graph: ObjectGraph, h: ClaimHolder) => `${graph.id(h.object)}${h.part ? ` ${h.part}` : ''}`;

/** The holder at the count its workload writes, without the autoscaler's maximum. */
export const unscaled = (h: ClaimHolder): ClaimHolder => (h.scaled ? { ...h, pods: h.scaled.own, scaled: undefined } : h);

/** Pods described for a message: `Deployment/ai/chat (2 pods)`. */
export function holderLabel(graph: ObjectGraph, h: ClaimHolder): string {
  const pods =
    h.object.manifest.kind === 'DaemonSet'
      ? 'a pod on every node'
      : `${h.scaled ? 'up to ' : ''}${h.pods} pod${h.pods === 1 ? '' : 's'}${h.scaled ? `, ${h.scaled.by}` : ''}`;
  return `${holderName(graph, h)} (${pods})`;
}
