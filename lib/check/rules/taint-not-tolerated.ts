import { holdsLabels, Loose, mapping, mappings, stringMap } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { shownTaint, Taint, tolerates } from '../taints';
import { machineSetNodes } from '../machine-set-nodes';
import { placedPods } from '../llm-pools';
import { Problem, Rule } from '../rule';
import { HARDWARE_PROFILE_ANNOTATION } from '../../k8s/keys';
import { POOL_WORDS, poolWhere, terraformPoolsOf } from '../terraform-pools';
import { POOL_NAME_LABELS, TerraformNodePool } from '../../manifests/terraform-node-pools';

/**
 * The node groups whose nodes the pod's node selector picks, with their scheduling taints: the MachineSets of the
 * tree, and the node pools its repository's Terraform declares (labels and taints as written; a pool whose labels
 * or taints are not known is a place to run). A taint on a resource the pod requests (nvidia.com/gpu) is left out:
 * the ExtendedResourceToleration admission plugin, on in GKE, adds its toleration.
 */
function selectedNodeGroups(graph: ObjectGraph, selector: Record<string, string>, requested: ReadonlySet<string>): { what: string; taints: Taint[] }[] {
  if (!Object.keys(selector).length) return [];
  const sets = machineSetNodes(graph)
    .filter((ms) => holdsLabels(ms.labels, selector))
    .map((ms) => ({ what: `MachineSet ${ms.name}`, taints: ms.taints }));
  // a Terraform pool is judged where the selector pins it by name: nodes of other sources (auto-provisioning,
  // Karpenter) may carry its other labels
  const pinned = terraformPoolsOf(graph).pools.filter((p) => selector[POOL_NAME_LABELS[p.cloud]] !== undefined);
  const byName = (p: TerraformNodePool) => p.name === undefined || selector[POOL_NAME_LABELS[p.cloud]] === p.name;
  const pools = pinned.filter((p) => p.labels && holdsLabels(p.labels, selector));
  // a pool that may be the one picked and whose labels or taints are not known: the pod may run there
  const unsure = pinned.some((p) => byName(p) && (p.labels === undefined || p.taints === undefined));
  const open = unsure ? [{ what: 'a node pool of the Terraform', taints: [] }] : [];
  if (!sets.length && !pools.length) return [];
  return [
    ...sets,
    ...open,
    ...pools.map((p) => ({ what: `${POOL_WORDS[p.cloud]} ${poolWhere(p)}`, taints: (p.taints ?? []).filter((t) => !requested.has(t.key)) })),
  ];
}

/** The extended resources the pod's containers request. */
function requestedResources(pod: Loose): Set<string> {
  return new Set(
    mappings(pod.containers).flatMap((c) => {
      const r = mapping(c.resources);
      return [...Object.keys(mapping(r.limits)), ...Object.keys(mapping(r.requests))];
    }),
  );
}

/** Tolerations something else adds at admission: Kueue from the flavors of the workload's queue. */
function admittedTolerations(graph: ObjectGraph, o: GraphObject): Loose[] {
  const { flavors } = graph.flavorsOf(graph.localQueueOf(o.manifest).queue);
  return flavors.flatMap((f) => mappings(mapping(f.object?.manifest.spec).tolerations));
}

export const taintNotTolerated: Rule = {
  id: 'taint-not-tolerated',
  title:
    "a workload selects the nodes of a MachineSet of the tree, or of a node pool its repository's Terraform declares, but does not tolerate their taints: its pods stay Pending",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "the pod's node selector picks nodes of MachineSets in the tree (node labels, or the instance type of the provider spec), or pins by name node pools a Terraform configuration of the checked folders or their git repository declares " +
    '(the pool name label cloud.google.com/gke-nodepool, eks.amazonaws.com/nodegroup or kubernetes.azure.com/agentpool, the labels and taints written: node_config.labels and taint, labels and taint, node_labels and node_taints; a pool whose labels or taints are not evaluable is a place to run, and a taint on a resource the pod requests is left out, since the ExtendedResourceToleration admission plugin tolerates it), ' +
    'all of them tainted, and no hardware profile or Kueue flavor adds tolerations',
  example:
    "`nodeSelector: {node.kubernetes.io/instance-type: g6.xlarge}`, a MachineSet of g6.xlarge with `taints: [{key: nvidia.com/gpu, value: 'true', effect: NoSchedule}]`, no tolerations",
  fix: 'add a toleration for the taint (key nvidia.com/gpu, operator Exists, effect NoSchedule)',
  source:
    'kube-scheduler TaintToleration: "node(s) had untolerated taint"; Kueue adds a ResourceFlavor\'s tolerations to admitted pods; OpenShift AI hardware profiles add theirs; ' +
    'terraform-provider-google node_config.taint, terraform-provider-aws aws_eks_node_group taint, terraform-provider-azurerm node_taints (NO_SCHEDULE is NoSchedule); kubernetes plugin/pkg/admission/extendedresourcetoleration',
  check(o, { graph }) {
    if (stringMap(mapping(o.manifest.metadata).annotations)[HARDWARE_PROFILE_ANNOTATION]) return [];
    const admitted = admittedTolerations(graph, o);
    return placedPods(o.manifest).flatMap(({ manifest, label }): Problem[] => {
      const pod = mapping(podSpecOf(manifest));
      const machineSets = selectedNodeGroups(graph, stringMap(pod.nodeSelector), requestedResources(pod));
      if (!machineSets.length) return [];
      const tolerations = [...mappings(pod.tolerations), ...admitted];
      const blocked = machineSets.map((ms) => ({ ...ms, untolerated: ms.taints.filter((t) => !tolerations.some((x) => tolerates(x, t))) }));
      // one MachineSet whose taints it tolerates is a place to run
      if (blocked.some((ms) => !ms.untolerated.length)) return [];
      const first = blocked[0].untolerated[0];
      return [
        {
          message:
            `${label}selects the nodes of ${blocked.map((ms) => `${ms.what} (tainted ${ms.untolerated.map(shownTaint).join(', ')})`).join(', ')} but tolerates ` +
            `${blocked.length > 1 ? 'none of them' : 'no such taint'}: the pods stay Pending ("node(s) had untolerated taint"); add a toleration ` +
            `{key: ${first.key}, operator: Exists, effect: ${first.effect}}`,
        },
      ];
    });
  },
};
