import { mapping, mappings, strings, text } from '../manifests/access';
import { InstallMode } from '../platform/operator-install-modes';
import { GraphObject, sameDeclaration } from './graph-object';
import { ObjectGraph } from './graph';
import { Platform } from './platform';

/**
 * The OperatorGroups a cluster already has, by namespace. OpenShift's release payload creates `global-operators` in
 * openshift-operators (AllNamespaces) and `olm-operators` in openshift-operator-lifecycle-manager
 * (openshift/operator-framework-olm manifests/0000_50_olm_13-operatorgroup-default.yaml); upstream OLM's release
 * creates `global-operators` in `operators` and `olm-operators` in `olm` (operator-lifecycle-manager
 * deploy/upstream/quickstart/olm.yaml).
 */
export function shippedGroups(upstream: boolean): Readonly<Record<string, string>> {
  return upstream
    ? { operators: 'global-operators', olm: 'olm-operators' }
    : { 'openshift-operators': 'global-operators', 'openshift-operator-lifecycle-manager': 'olm-operators' };
}

/**
 * Whether the cluster's OLM is upstream OLM rather than OpenShift's: on upstream KServe, unless the tree's marks place it
 * on OpenShift (upstream KServe installed on OpenShift keeps OpenShift's OLM).
 */
export function upstreamOlm(judged: { readonly platform: Platform; readonly platformOnOpenShift?: boolean }): boolean {
  return judged.platform === 'kserve' && judged.platformOnOpenShift !== true;
}

export const groupName = (o: GraphObject) => text(mapping(o.manifest.metadata).name);

/** The input's OperatorGroups in a namespace, one per name (a file read by two builds is one declaration). */
export function groupsIn(graph: ObjectGraph, ns: string): GraphObject[] {
  const all = graph.ofKind('OperatorGroup').filter((g) => graph.namespaceOf(g.manifest) === ns);
  return all.filter((g, i) => !all.slice(0, i).some((h) => groupName(h) === groupName(g) && sameDeclaration(h, g)));
}

/** The namespaces an OperatorGroup selects: '' is all namespaces (NamespaceAll); undefined when a label selector decides on the cluster. */
export function groupTargets(group: GraphObject): string[] | undefined {
  // operator-lifecycle-manager pkg/controller/operators/olm/operatorgroup.go getOperatorGroupTargets: targetNamespaces
  // win; otherwise no (or an empty) selector means every namespace
  const spec = mapping(group.manifest.spec);
  const targets = [...new Set(strings(spec.targetNamespaces))];
  if (targets.length) return targets;
  const selector = mapping(spec.selector);
  return Object.keys(mapping(selector.matchLabels)).length || mappings(selector.matchExpressions).length ? undefined : [''];
}

/** The install mode a group's namespace selection needs, as OLM words it, for an operator installed in operatorNs. */
export function requiredMode(operatorNs: string, targets: readonly string[]): { mode: InstallMode; watches: string } {
  // operator-framework/api pkg/operators/v1alpha1/clusterserviceversion.go InstallModeSet.Supports
  if (targets.length > 1) return { mode: 'MultiNamespace', watches: `${targets.length} namespaces (${targets.join(', ')})` };
  if (targets[0] === '') return { mode: 'AllNamespaces', watches: 'all namespaces' };
  if (targets[0] === operatorNs) return { mode: 'OwnNamespace', watches: `its own namespace '${operatorNs}'` };
  return { mode: 'SingleNamespace', watches: `one other namespace '${targets[0]}'` };
}

/** The modes a selection needs beyond the first: several namespaces including the operator's own need OwnNamespace too. */
export function requiredModes(operatorNs: string, targets: readonly string[]): InstallMode[] {
  const first = requiredMode(operatorNs, targets).mode;
  return first === 'MultiNamespace' && targets.includes(operatorNs) ? [first, 'OwnNamespace'] : [first];
}
