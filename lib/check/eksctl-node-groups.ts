import { holdsLabels, isMapping, Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { Taint, tolerates } from './taints';

/** eksctl's cluster configuration file (eksctl create cluster -f): read by eksctl, not applied to the cluster. */
export const EKSCTL_GROUP = 'eksctl.io';

/** A node group an eksctl ClusterConfig declares: the instance types its nodes are of, their labels and taints. */
export interface EksctlNodeGroup {
  readonly name: string;
  readonly types: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

/**
 * The labels eksctl and EKS put on a group's nodes besides its own: alpha.eksctl.io/nodegroup-name on every group
 * (eksctl pkg/apis/eksctl.io/v1alpha5 NodeGroupNameLabel), eks.amazonaws.com/nodegroup on a managed one (EKS).
 */
function groupLabels(group: Loose, name: string, managed: boolean): Record<string, string> {
  return { ...stringMap(group.labels), 'alpha.eksctl.io/nodegroup-name': name, ...(managed ? { 'eks.amazonaws.com/nodegroup': name } : {}) };
}

/**
 * A group's taints, in eksctl's list form ({key, value, effect}) or its older map form (key: "value:Effect",
 * eksctl v1alpha5 NodeGroupBase.Taints); PreferNoSchedule keeps no pod off.
 */
function groupTaints(taints: unknown): Taint[] {
  const listed = Array.isArray(taints)
    ? mappings(taints).map((t) => ({ key: text(t.key) ?? '', value: text(t.value), effect: text(t.effect) ?? '' }))
    : Object.entries(stringMap(taints)).map(([key, v]) => {
        const [value, effect] = v.includes(':') ? [v.slice(0, v.lastIndexOf(':')), v.slice(v.lastIndexOf(':') + 1)] : [v, ''];
        return { key, value: value || undefined, effect };
      });
  return listed.filter((t) => t.effect !== 'PreferNoSchedule');
}

/**
 * The node groups of an eksctl.io ClusterConfig (v1alpha5 nodeGroups and managedNodeGroups): instanceType, or
 * instanceTypes (managed) or instancesDistribution.instanceTypes (unmanaged) where the group mixes types.
 */
export function eksctlNodeGroups(config: Loose): EksctlNodeGroup[] {
  const groups = (list: unknown, managed: boolean) =>
    mappings(list).flatMap((g) => {
      const name = text(g.name);
      if (!name) return [];
      const one = text(g.instanceType);
      const types = one ? [one] : strings(g.instanceTypes).length ? strings(g.instanceTypes) : strings(mapping(g.instancesDistribution).instanceTypes);
      return types.length ? [{ name, types, labels: groupLabels(g, name, managed), taints: groupTaints(g.taints) }] : [];
    });
  return [...groups(config.nodeGroups, false), ...groups(config.managedNodeGroups, true)];
}

/**
 * The instance types of the eksctl node groups of the tree (ClusterConfigs among the manifests) a pod lands on: those whose node labels hold every label of
 * its node selector and whose taints it tolerates. None where the pod selects no label (it may land on any group).
 */
export function eksctlTypesFor(pod: Loose, configs: readonly unknown[]): string[] {
  const selector = stringMap(pod.nodeSelector);
  if (!Object.keys(selector).length) return [];
  const tolerations = mappings(pod.tolerations);
  return configs
    .filter((c): c is Loose => isMapping(c) && c.kind === 'ClusterConfig' && String(c.apiVersion ?? '').startsWith(`${EKSCTL_GROUP}/`))
    .flatMap((c) => eksctlNodeGroups(c))
    .filter((g) => holdsLabels(g.labels, selector) && g.taints.every((t) => tolerations.some((x) => tolerates(x, t))))
    .flatMap((g) => g.types);
}
