import { GpuInstanceType } from '../../catalog/instance-type';
import { finite, Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { GPU_RESOURCE } from '../../k8s/keys';
import { selectorMatches } from '../argocd/label-selector';
import type { ObjectGraph } from '../graph';
import { podRequests } from '../pods';
import { Problem, Rule } from '../rule';

/** The node label a hostname topology spreads over: one domain per node. */
const HOSTNAME = 'kubernetes.io/hostname';
/** The most GPUs the common GPU nodes have (p4d/p5, ND A100/H100 v4/v5, a3, DGX): beyond, a one-node fit is unlikely. */
const COMMON_MAX_GPUS = 8;

/** The replica fields of the Kubeflow training jobs (kubeflow/training-operator pkg/apis/kubeflow.org/v1). */
const REPLICA_FIELDS: Readonly<Record<string, string>> = {
  PyTorchJob: 'pytorchReplicaSpecs',
  TFJob: 'tfReplicaSpecs',
  MPIJob: 'mpiReplicaSpecs',
  XGBoostJob: 'xgbReplicaSpecs',
  PaddleJob: 'paddleReplicaSpecs',
};

/** The pods of one template of a workload: how many run at once, and the labels they carry. */
interface PodGroup {
  readonly role: string;
  readonly replicas: number;
  readonly spec: Loose;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The pod groups of a workload: a Deployment's, StatefulSet's, ReplicaSet's, Rollout's or DeploymentConfig's replicas, a Job's parallelism, and each
 * role of a Kubeflow training job, whose pods the operator labels with the job name and the lower-cased replica type
 * (training-operator common_types.go JobNameLabel, ReplicaTypeLabel; pkg/controller.v1/common GenLabels).
 */
function podGroups(m: Loose): PodGroup[] {
  const spec = mapping(m.spec);
  const field = REPLICA_FIELDS[String(m.kind)];
  if (field) {
    const job = text(mapping(m.metadata).name) ?? '';
    return Object.entries(mapping(spec[field])).map(([role, r]) => {
      const template = mapping(mapping(r).template);
      const own = stringMap(mapping(template.metadata).labels);
      const operator = { 'training.kubeflow.org/job-name': job, 'training.kubeflow.org/replica-type': role.toLowerCase() };
      return { role, replicas: finite(mapping(r).replicas) ?? 1, spec: mapping(template.spec), labels: { ...own, ...operator } };
    });
  }
  const template = mapping(spec.template);
  const replicas = finite(m.kind === 'Job' ? spec.parallelism : spec.replicas) ?? 1;
  return [{ role: String(m.kind), replicas, spec: mapping(template.spec), labels: stringMap(mapping(template.metadata).labels) }];
}

/** The label selectors of a pod spec's required pod affinity terms at hostname level (the same namespace: none named). */
function hostnameTerms(spec: Loose): Loose[] {
  const required = mapping(mapping(spec.affinity).podAffinity).requiredDuringSchedulingIgnoredDuringExecution;
  return mappings(required).filter((t) => text(t.topologyKey) === HOSTNAME && t.namespaces === undefined && t.namespaceSelector === undefined);
}

/**
 * The groups bound to one node: every group carries a required hostname affinity term matching its own pods, and every
 * group a term matches carries one. The first pod scheduled passes its own term (the scheduler's exception for a pod
 * matching its own affinity when none matches yet); each later one must join a node that holds a matching pod, which
 * is then that node. Undefined when a matched group lacks a term (its pods may spread), or no group has one.
 */
function colocated(groups: readonly PodGroup[]): PodGroup[] | undefined {
  const terms = new Map(groups.map((g) => [g, hostnameTerms(g.spec)] as const));
  const carriers = groups.filter((g) => terms.get(g)!.some((t) => selectorMatches(t.labelSelector ?? null, g.labels) === true && t.labelSelector != null));
  if (!carriers.length) return undefined;
  const matched = groups.filter((g) =>
    carriers.some((c) => terms.get(c)!.some((t) => t.labelSelector != null && selectorMatches(t.labelSelector, g.labels) === true)),
  );
  return matched.every((g) => carriers.includes(g)) ? matched : undefined;
}

/** The instance types a node must be of to take every group: those all the groups allow (a group naming none allows any). */
function sharedTypes(graph: ObjectGraph, m: Loose, groups: readonly PodGroup[]): GpuInstanceType[] {
  const allowed = groups.map((g) => graph.instanceTypesOf({ kind: 'Pod', metadata: m.metadata, spec: g.spec })).filter((t) => t.length);
  if (!allowed.length) return [];
  return allowed[0].filter((t) => allowed.every((a) => a.some((u) => u.name === t.name)));
}

export const podAffinityGpusExceedNode: Rule = {
  id: 'pod-affinity-gpus-exceed-node',
  title: 'required pod affinity at hostname level ties every replica of a GPU workload to one node, which cannot hold all their GPUs',
  severity: 'error',
  appliesTo: ['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout', 'DeploymentConfig', 'Job', ...Object.keys(REPLICA_FIELDS)],
  premise:
    "a workload's pods (a Deployment's, StatefulSet's, ReplicaSet's, Argo Rollout's or DeploymentConfig's replicas, a Job's parallelism, every role of a Kubeflow training job, labelled by the operator with training.kubeflow.org/job-name and replica-type) carry a requiredDuringScheduling podAffinity term with topologyKey kubernetes.io/hostname whose selector matches their own pods, and every pod group it matches carries one too, so all of them must run on the node of the first one scheduled; their GPUs together exceed one node's: an error when the node shape is known (the instance types every group allows, by node selector or affinity, MachineSet, Kueue flavor or Karpenter NodePool) and the largest has fewer GPUs; a warning when some allowed types are too small (the first pod may start on one) or, the shape unknown, when they need more than 8 GPUs, the most a common GPU node has",
  example:
    '`requiredDuringSchedulingIgnoredDuringExecution` podAffinity on `training.kubeflow.org/job-name` with `topologyKey: kubernetes.io/hostname` on a PyTorchJob of 4 one-GPU pods limited to `g6.2xlarge` (1 GPU)',
  fix: 'make the affinity preferred (preferredDuringSchedulingIgnoredDuringExecution) or drop it, or fit the pods on one node: fewer replicas or GPUs, or an instance type with enough GPUs',
  source:
    'kube-scheduler InterPodAffinity filter (pkg/scheduler/framework/plugins/interpodaffinity/filtering.go: a required term is met only on a node of the topology holding a matching pod; a pod matching its own terms passes when no pod matches yet); the rest stay Pending: "didn\'t match pod affinity rules"',
  check(o, { graph }) {
    const groups = colocated(podGroups(o.manifest));
    if (!groups) return [];
    const pods = groups.reduce((n, g) => n + g.replicas, 0);
    const gpus = groups.reduce((n, g) => n + g.replicas * podRequests({ kind: 'Pod', spec: g.spec }).gpus, 0);
    if (pods < 2 || gpus === 0) return [];
    const each = groups.map((g) => `${g.replicas} ${g.role} × ${podRequests({ kind: 'Pod', spec: g.spec }).gpus} GPU`).join(' + ');
    const tied = `required pod affinity (topologyKey ${HOSTNAME}) ties all ${pods} pods to the node of the first one scheduled, which then needs ${gpus} ${GPU_RESOURCE} at once (${each})`;
    const fix = 'make the affinity preferredDuringSchedulingIgnoredDuringExecution or drop it, or fit the pods on one node';
    const types = sharedTypes(graph, o.manifest, groups);
    if (!types.length) {
      if (gpus <= COMMON_MAX_GPUS) return [];
      return [
        {
          severity: 'warning',
          message: `${tied}; no node shape is known, and common GPU nodes have at most ${COMMON_MAX_GPUS}: unless a node has ${gpus}, the other pods stay Pending (didn't match pod affinity rules): ${fix}`,
        },
      ];
    }
    const shapes = (list: readonly GpuInstanceType[]) => list.map((t) => `${t.name} has ${t.gpuCount}`).join(', ');
    if (types.every((t) => t.gpuCount < gpus)) {
      return [
        {
          message: `${tied}, but ${shapes(types)}: the pods that do not fit stay Pending (didn't match pod affinity rules) and the job never runs whole: ${fix}`,
        },
      ];
    }
    const small = types.filter((t) => t.gpuCount < gpus);
    if (!small.length) return [];
    const problem: Problem = {
      severity: 'warning',
      message: `${tied}; of the allowed types ${shapes(small)}: should the first pod start on one of them, the others stay Pending (didn't match pod affinity rules): ${fix}, or allow only types with ${gpus} GPUs or more`,
    };
    return [problem];
  },
};
