import { holdsLabels, Loose, mapping, stringMap, text } from '../../manifests/access';
import { GPU_RESOURCE } from '../../k8s/keys';
import { VLLM_DEFAULT_GPU_MEMORY_UTILIZATION } from '../../planning/memory-plan';
import { commandLineOf } from '../command-line';
import { gpuPathOf } from '../gpu-supply';
import { containersOf, podSpecOf } from '../pods';
import { VllmArgs } from '../vllm-args';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';

/** The default maxSurge and maxUnavailable of a Deployment's RollingUpdate (kubernetes pkg/apis/apps/v1 defaults.go SetDefaults_Deployment). */
const DEFAULT_ROLLING = '25%';

/** An int-or-percent of a rolling update resolved against the replicas, rounded up or down (apimachinery intstr GetScaledValueFromIntOrPercent). */
function scaled(value: unknown, replicas: number, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return value;
  const percent = typeof value === 'string' ? /^(\d+)%$/.exec(value.trim()) : null;
  if (!percent) return undefined;
  const exact = (Number(percent[1]) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * The pods a Deployment's rollout adds beside the old ones while it may take none of them down first, or undefined
 * when it takes old pods down (Recreate, or maxUnavailable of at least one): kubernetes pkg/controller/deployment/util
 * ResolveFenceposts (maxSurge rounded up, maxUnavailable rounded down, both 0 made maxUnavailable 1).
 */
function surgeWithoutUnavailable(m: Loose): number | undefined {
  const spec = mapping(m.spec);
  const strategy = mapping(spec.strategy);
  if (text(strategy.type) === 'Recreate') return undefined;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const rolling = mapping(strategy.rollingUpdate);
  const surge = scaled(rolling.maxSurge ?? DEFAULT_ROLLING, replicas, true);
  const unavailable = scaled(rolling.maxUnavailable ?? DEFAULT_ROLLING, replicas, false);
  if (surge === undefined || unavailable === undefined || surge === 0 || unavailable > 0) return undefined;
  return surge;
}

/** The GPUs every node the pod may land on has, where its node shape is known and one figure. */
function gpusPerNode(graph: ObjectGraph, m: Loose): number | undefined {
  const types = graph.instanceTypesOf(m);
  if (types.length) return types.every((t) => t.gpuCount === types[0].gpuCount) ? types[0].gpuCount : undefined;
  return graph.labelledGpusOf(m)?.gpusPerNode?.count;
}

/**
 * The nodes the tree states are all the pod can land on: the MachineSets whose node labels its node selector matches,
 * when none is scaled by a MachineAutoscaler of the tree (openshift machine-api: a MachineSet keeps spec.replicas
 * machines), or undefined when the tree does not say.
 */
function statedNodes(graph: ObjectGraph, m: Loose): { count: number; names: string[] } | undefined {
  const selector = stringMap(mapping(podSpecOf(m)).nodeSelector);
  if (!Object.keys(selector).length) return undefined;
  const sets = graph
    .ofKind('MachineSet')
    .filter((ms) => holdsLabels(stringMap(mapping(mapping(mapping(mapping(ms.manifest.spec).template).spec).metadata).labels), selector));
  if (!sets.length) return undefined;
  const nameOf = (ms: GraphObject) => text(mapping(ms.manifest.metadata).name);
  const scaledSets = new Set(graph.ofKind('MachineAutoscaler').map((a) => text(mapping(mapping(a.manifest.spec).scaleTargetRef).name)));
  if (sets.some((ms) => scaledSets.has(nameOf(ms)) || typeof mapping(ms.manifest.spec).replicas !== 'number')) return undefined;
  return { count: sets.reduce((n, ms) => n + Number(mapping(ms.manifest.spec).replicas), 0), names: sets.map((ms) => `MachineSet/${nameOf(ms) ?? '?'}`) };
}

/**
 * The ways a pod gets a node's GPUs without requesting them, which the scheduler therefore does not count: a new pod
 * is placed beside the old one on the same GPUs (gpu-supply.ts suppliedBy; a hardware profile adds a request, a DRA
 * claim is allocated to one pod).
 */
const UNCOUNTED_GPUS = /^(runtime class|NVIDIA_VISIBLE_DEVICES|a privileged container|a hostPath of GPU devices)/;

/**
 * The vLLM container of a pod that gets GPUs without requesting them, with the share of GPU memory it claims, where two
 * such cannot share a GPU: a second vLLM on a GPU where one runs finds less free memory than its share
 * (VLLM_DEFAULT_GPU_MEMORY_UTILIZATION unless given) and stops at start (vllm/v1/worker/gpu_worker.py init_device,
 * "Free memory on device ... is less than desired GPU memory utilization").
 */
function uncountedVllm(o: GraphObject): { name: string; how: string; share: number } | undefined {
  const containers = containersOf(o.manifest);
  const path = gpuPathOf(
    o.manifest,
    containers.map((c) => c.container),
  );
  if (path?.kind !== 'supplied' || !UNCOUNTED_GPUS.test(path.how)) return undefined;
  for (const { name, container } of containers) {
    const args = VllmArgs.of(commandLineOf(container));
    if (!args.invoked) continue;
    const given = args.value('--gpu-memory-utilization');
    const share = given === undefined ? VLLM_DEFAULT_GPU_MEMORY_UTILIZATION : Number(given);
    return Number.isFinite(share) && share > 0.5 ? { name, how: path.how, share } : undefined;
  }
  return undefined;
}

/** A rollout that starts a vLLM pod beside the old one on GPUs neither requests: the new one finds too little free memory. */
function judgeUncounted(o: GraphObject): Problem[] {
  const surge = surgeWithoutUnavailable(o.manifest);
  const server = surge === undefined ? undefined : uncountedVllm(o);
  if (!server) return [];
  const strategy = text(mapping(mapping(o.manifest.spec).strategy).type) ? 'its RollingUpdate' : 'its strategy, RollingUpdate by default,';
  return [
    {
      severity: 'warning',
      message:
        `container '${server.name}' runs vLLM on the node's GPUs through ${server.how} without requesting any (no ${GPU_RESOURCE}), taking ${server.share} of each GPU's memory at start, and ${strategy} ` +
        `(maxSurge resolving to ${surge}, maxUnavailable to 0) starts a new pod before it stops an old one: the scheduler does not count GPUs nobody requests, so on a node where the old pod runs the new vLLM finds less free memory than it claims and stops at start ` +
        `("Free memory on device (...) on startup is less than desired GPU memory utilization"), and the rollout stalls with the old pod serving (unless the new pod lands on another GPU node); ` +
        `set spec.strategy.type: Recreate, or request the GPU (resources.limits ${GPU_RESOURCE}: 1) so the scheduler counts it`,
    },
  ];
}

function judge(o: GraphObject, graph: ObjectGraph): Problem[] {
  const gpus = graph.gpusOf(o);
  if (!gpus) return judgeUncounted(o);
  const perNode = gpusPerNode(graph, o.manifest);
  if (!gpus || perNode !== gpus) return [];
  const surge = surgeWithoutUnavailable(o.manifest);
  if (surge === undefined) return [];
  const replicas = typeof mapping(o.manifest.spec).replicas === 'number' ? Number(mapping(o.manifest.spec).replicas) : 1;
  const strategy = text(mapping(mapping(o.manifest.spec).strategy).type) ? 'its RollingUpdate' : 'its strategy, RollingUpdate by default,';
  const what = `each pod requests ${gpus} ${GPU_RESOURCE}, every GPU of its nodes, and ${strategy} (maxSurge resolving to ${surge}, maxUnavailable to 0) starts a new pod before it stops an old one`;
  const fix = 'set spec.strategy.type: Recreate, or rollingUpdate maxSurge: 0 with maxUnavailable: 1';
  const nodes = statedNodes(graph, o.manifest);
  if (nodes && nodes.count <= replicas) {
    return [
      {
        message: `${what}, but ${nodes.names.join(', ')} make${nodes.names.length === 1 ? 's' : ''} ${nodes.count} node${nodes.count === 1 ? '' : 's'} for its ${replicas} replica${replicas === 1 ? '' : 's'} and none to spare: every rollout's new pod stays Pending (Insufficient ${GPU_RESOURCE}) while the old pods hold the GPUs, and the rollout never ends; ${fix}`,
      },
    ];
  }
  return [
    {
      severity: 'warning',
      message: `${what}: each rollout needs another such node with all its GPUs free, or the new pod stays Pending (Insufficient ${GPU_RESOURCE}) while the old one holds the GPUs and the rollout stalls; ${fix}`,
    },
  ];
}

export const rolloutNeedsSpareGpuNode: Rule = {
  id: 'rollout-needs-spare-gpu-node',
  title: "a Deployment's pods take every GPU of their nodes and its rollout starts new pods before it stops old ones: each rollout needs a spare GPU node",
  severity: 'error',
  appliesTo: ['Deployment'],
  premise:
    "a Deployment's pod requests as many GPUs as each node it may land on has (its node shape known: instance type, MachineSet, eksctl node group, Kueue flavor, Karpenter NodePool, or a label stating the GPU count) and its strategy is RollingUpdate (the default) whose maxSurge resolves above 0 and maxUnavailable to 0 (the defaults, 25% each, on fewer than four replicas): a warning, since the cluster may have a spare node; an error where the MachineSets the pod's node selector matches, none scaled by a MachineAutoscaler of the tree, make no more nodes than the Deployment has replicas; also a warning where the pod requests no GPU but takes the node's GPUs through a runtime class, NVIDIA_VISIBLE_DEVICES, a privileged container or a hostPath of GPU devices (which the scheduler does not count, so the new pod may start on the old one's GPUs) and a container runs vLLM claiming more than half of each GPU's memory (0.9 by default): the new vLLM stops at start for want of free memory",
  example: '`nvidia.com/gpu: 1` on `node.kubernetes.io/instance-type: g6.xlarge` (1 GPU), one replica, no strategy',
  fix: 'set spec.strategy.type: Recreate (the old pod stops first), or rollingUpdate maxSurge: 0 with maxUnavailable: 1',
  source:
    'kubernetes pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, pkg/apis/apps/v1/defaults.go (maxSurge and maxUnavailable 25%); the Deployment docs, "Rolling Update Deployment"; vllm/v1/worker/gpu_worker.py init_device (free memory below gpu_memory_utilization stops the start), vllm/engine/arg_utils.py (gpu_memory_utilization 0.9)',
  check(o, ctx) {
    return judge(o, ctx.graph);
  },
};
