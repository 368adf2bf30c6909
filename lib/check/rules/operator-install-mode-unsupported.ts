import { mapping, text } from '../../manifests/access';
import { installModesOf, OperatorInstallModes } from '../../platform/operator-install-modes';
import { GraphObject, locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { groupName, groupsIn, groupTargets, requiredMode, requiredModes, shippedGroups, upstreamOlm } from '../operator-groups';
import { Problem, Rule } from '../rule';

/** The OperatorGroup that will manage a Subscription's namespace, as the message names it, with its selected namespaces. */
function managingGroup(graph: ObjectGraph, ns: string, upstream: boolean): { named: string; targets: string[] } | undefined {
  const groups = groupsIn(graph, ns);
  const shipped = shippedGroups(upstream)[ns];
  if (shipped !== undefined) {
    // the cluster's own group; a second one of the input is operator-group-conflict's
    if (shipped !== 'global-operators' || groups.some((g) => groupName(g) !== shipped)) return undefined;
    return { named: `OperatorGroup '${shipped}' (the cluster's own, no spec.targetNamespaces)`, targets: [''] };
  }
  // none, or several: operator-group-conflict's (NoOperatorGroup, TooManyOperatorGroups)
  if (groups.length !== 1) return undefined;
  const targets = groupTargets(groups[0]);
  if (!targets) return undefined;
  const where = locationOf(groups[0]) ? ` (${locationOf(groups[0])})` : '';
  const spec = targets[0] === '' ? 'no spec.targetNamespaces' : `spec.targetNamespaces [${targets.join(', ')}]`;
  return { named: `OperatorGroup '${groupName(groups[0]) ?? ''}'${where} (${spec})`, targets };
}

function remedy(known: OperatorInstallModes, ns: string, upstream: boolean): string {
  if (known.supported.includes('OwnNamespace'))
    return `set spec.targetNamespaces: [${ns}] on the namespace's OperatorGroup (OwnNamespace) and subscribe in a namespace of the operator's own`;
  const global = upstream ? 'operators' : 'openshift-operators';
  return `give the namespace an OperatorGroup without spec.targetNamespaces (AllNamespaces), or subscribe in ${global}, whose global-operators group is one`;
}

function installModeProblems(graph: ObjectGraph, o: GraphObject, upstream: boolean): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  const pkg = text(mapping(o.manifest.spec).name);
  const known = pkg === undefined ? undefined : installModesOf(pkg);
  if (ns === undefined || !known) return [];
  const group = managingGroup(graph, ns, upstream);
  if (!group) return [];
  const missing = requiredModes(ns, group.targets).filter((m) => !known.supported.includes(m));
  if (!missing.length) return [];
  const { watches } = requiredMode(ns, group.targets);
  return [
    {
      message:
        `subscribes to ${pkg} (${known.operator}) in namespace '${ns}', whose ${group.named} makes it watch ${watches}: install mode ${missing.join(' and ')}, ` +
        `which the operator's ClusterServiceVersion does not support (it supports ${known.supported.join(', ')}): ` +
        `OLM fails the CSV with UnsupportedOperatorGroup and the operator never installs; ${remedy(known, ns, upstream)}`,
    },
  ];
}

export const operatorInstallModeUnsupported: Rule = {
  id: 'operator-install-mode-unsupported',
  title: 'an operator is subscribed under an OperatorGroup whose install mode its ClusterServiceVersion does not support: OLM never installs it',
  severity: 'error',
  appliesTo: ['Subscription'],
  premise:
    "the Subscription's package is one whose bundle's install modes are known (JobSet, LeaderWorkerSet: OwnNamespace; NFD, the NVIDIA GPU operator: OwnNamespace or SingleNamespace; Kueue, OpenShift AI, Serverless, Service Mesh, Authorino, Connectivity Link, GitOps, Cluster Observability: AllNamespaces only; cert-manager: all but MultiNamespace) and its namespace has exactly one OperatorGroup: the input's only one there, or the cluster's global-operators (AllNamespaces) in openshift-operators (operators on kserve); the group's mode is AllNamespaces without targetNamespaces or selector, OwnNamespace for [its own namespace], SingleNamespace for one other, MultiNamespace for several; a group choosing namespaces by label selector, other operators, and namespaces with none or several groups are not judged here",
  example: 'Subscription `job-set` in `openshift-jobset-operator` under an OperatorGroup with no `targetNamespaces`',
  fix: 'give the operator an OperatorGroup of a mode it supports: targetNamespaces [its namespace] for OwnNamespace operators, no targetNamespaces (or openshift-operators) for AllNamespaces ones',
  source:
    "operator-framework/operator-lifecycle-manager pkg/controller/operators/olm/operator.go (syncClusterServiceVersion: modeSet.Supports fails → CSV phase Failed, reason UnsupportedOperatorGroup) and operatorgroup.go getOperatorGroupTargets; operator-framework/api pkg/operators/v1alpha1/clusterserviceversion.go InstallModeSet.Supports; the operators' bundle CSVs' spec.installModes (lib/platform/operator-install-modes.ts names each)",
  check(o, ctx) {
    const { graph } = ctx;
    if (!/^operators\.coreos\.com\//.test(text(o.manifest.apiVersion) ?? '')) return [];
    return installModeProblems(graph, o, upstreamOlm(ctx));
  },
};
