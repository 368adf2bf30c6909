import { holdsLabels, Loose, mapping, mappings, stringMap } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { shownTaint, Taint, tolerates } from '../taints';
import { machineSetNodes } from '../machine-set-nodes';
import { placedPods } from '../llm-pools';
import { Problem, Rule } from '../rule';
import { HARDWARE_PROFILE_ANNOTATION } from '../../k8s/keys';

/** The MachineSets of the tree whose nodes the pod's node selector picks, with their scheduling taints. */
function selectedMachineSets(graph: ObjectGraph, selector: Record<string, string>): { name: string; taints: Taint[] }[] {
  if (!Object.keys(selector).length) return [];
  return machineSetNodes(graph).filter((ms) => holdsLabels(ms.labels, selector));
}

/** Tolerations something else adds at admission: Kueue from the flavors of the workload's queue. */
function admittedTolerations(graph: ObjectGraph, o: GraphObject): Loose[] {
  const { flavors } = graph.flavorsOf(graph.localQueueOf(o.manifest).queue);
  return flavors.flatMap((f) => mappings(mapping(f.object?.manifest.spec).tolerations));
}

export const taintNotTolerated: Rule = {
  id: 'taint-not-tolerated',
  title: 'a workload selects the nodes of a MachineSet of the tree but does not tolerate their taints: its pods stay Pending',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "the pod's node selector picks nodes of MachineSets in the tree (node labels, or the instance type of the provider spec), and no hardware profile or Kueue flavor adds tolerations",
  example:
    "`nodeSelector: {node.kubernetes.io/instance-type: g6.xlarge}`, a MachineSet of g6.xlarge with `taints: [{key: nvidia.com/gpu, value: 'true', effect: NoSchedule}]`, no tolerations",
  fix: 'add a toleration for the taint (key nvidia.com/gpu, operator Exists, effect NoSchedule)',
  source:
    'kube-scheduler TaintToleration: "node(s) had untolerated taint"; Kueue adds a ResourceFlavor\'s tolerations to admitted pods; OpenShift AI hardware profiles add theirs',
  check(o, { graph }) {
    if (stringMap(mapping(o.manifest.metadata).annotations)[HARDWARE_PROFILE_ANNOTATION]) return [];
    const admitted = admittedTolerations(graph, o);
    return placedPods(o.manifest).flatMap(({ manifest, label }): Problem[] => {
      const pod = mapping(podSpecOf(manifest));
      const machineSets = selectedMachineSets(graph, stringMap(pod.nodeSelector));
      if (!machineSets.length) return [];
      const tolerations = [...mappings(pod.tolerations), ...admitted];
      const blocked = machineSets.map((ms) => ({ ...ms, untolerated: ms.taints.filter((t) => !tolerations.some((x) => tolerates(x, t))) }));
      // one MachineSet whose taints it tolerates is a place to run
      if (blocked.some((ms) => !ms.untolerated.length)) return [];
      const first = blocked[0].untolerated[0];
      return [
        {
          message:
            `${label}selects the nodes of ${blocked.map((ms) => `MachineSet ${ms.name} (tainted ${ms.untolerated.map(shownTaint).join(', ')})`).join(', ')} but tolerates ` +
            `${blocked.length > 1 ? 'none of them' : 'no such taint'}: the pods stay Pending ("node(s) had untolerated taint"); add a toleration ` +
            `{key: ${first.key}, operator: Exists, effect: ${first.effect}}`,
        },
      ];
    });
  },
};
