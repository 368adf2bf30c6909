import { mapping, mappings, text } from '../manifests/access';
import { eksctlNodeGroups } from './eksctl-node-groups';
import { ObjectGraph } from './graph';
import { machineSetNodes } from './machine-set-nodes';
import { Taint } from './taints';

/** A node taint the tree states, and where: a MachineSet, an eksctl node group, a Karpenter NodePool, a Kueue flavor, a script. */
export interface StatedTaint {
  readonly taint: Taint;
  readonly where: string;
}

/** Taints written as objects of a field (`{key, value, effect}`). */
function written(list: unknown, where: string): StatedTaint[] {
  return mappings(list).map((t) => ({ taint: { key: text(t.key) ?? '', value: text(t.value), effect: text(t.effect) ?? '' }, where }));
}

/**
 * Every node taint the tree states: its MachineSets' (machineSetNodes), its eksctl ClusterConfigs' node groups, its
 * Karpenter NodePools' (spec.template.spec.taints), its Kueue ResourceFlavors' (spec.nodeTaints) and its scripts'
 * `kubectl taint nodes` / `oc adm taint nodes` (a value the shell fills in is `*`).
 */
export function statedTaints(graph: ObjectGraph): StatedTaint[] {
  return [
    ...machineSetNodes(graph).flatMap((ms) => ms.taints.map((taint) => ({ taint, where: `MachineSet ${ms.name}` }))),
    ...graph
      .ofKind('ClusterConfig')
      .flatMap((c) => eksctlNodeGroups(c.manifest).flatMap((g) => g.taints.map((taint) => ({ taint, where: `eksctl node group ${g.name}` })))),
    ...graph.ofKind('NodePool').flatMap((p) => written(mapping(mapping(mapping(p.manifest.spec).template).spec).taints, graph.id(p))),
    ...graph.ofKind('ResourceFlavor').flatMap((f) => written(mapping(f.manifest.spec).nodeTaints, graph.id(f))),
    ...graph.scriptTaints.map((t) => ({ taint: { key: t.key, value: t.value, effect: t.effect }, where: `${t.script}:${t.line}` })),
  ];
}
