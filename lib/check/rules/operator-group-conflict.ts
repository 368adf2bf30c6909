import { mapping, text } from '../../manifests/access';
import { GraphObject, locationOf, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { groupName, groupsIn, shippedGroups, upstreamOlm } from '../operator-groups';
import { Problem, Rule } from '../rule';
import { sharedDestination } from './cluster-object-conflict';

/** Other OperatorGroups of the namespace declared before this one, with whether they certainly reach one cluster with it. */
function otherGroups(graph: ObjectGraph, o: GraphObject, ns: string): Problem[] {
  const groups = groupsIn(graph, ns);
  const earlier = groups.slice(0, groups.indexOf(o)).filter((g) => groupName(g) !== groupName(o));
  if (!earlier.length || !groups.includes(o)) return [];
  const where = earlier.map((g) => `'${groupName(g) ?? ''}'${locationOf(g) ? ` (${locationOf(g)})` : ''}`).join(', ');
  const fix =
    'keep one OperatorGroup per namespace (its targetNamespaces must suit every operator subscribed there), or subscribe the operator in a namespace of its own';
  // other kustomization roots, loose files and Applications are often alternatives: certain only in one build, one file, or
  // one Argo CD destination that a single delivery applies both to (one Application, ApplicationSet or app-of-apps parent)
  const together = earlier.filter((g) => (unitOf(g) === unitOf(o) && (unitOf(o) !== '' || g.file === o.file)) || sharedDestination(graph, g, o)?.together);
  const verdict = `OLM fails every ClusterServiceVersion of namespace '${ns}' with TooManyOperatorGroups ("csv created in namespace with multiple operatorgroups, can't pick one automatically"), so no operator there installs or upgrades`;
  if (together.length) return [{ message: `is a second OperatorGroup in namespace '${ns}', beside ${where}: ${verdict}: ${fix}` }];
  return [
    {
      severity: 'warning',
      message: `namespace '${ns}' has another OperatorGroup ${where}, from another kustomization root, file or Application; if both are applied to one cluster, ${verdict}: ${fix}`,
    },
  ];
}

function operatorGroupProblems(graph: ObjectGraph, o: GraphObject, upstream: boolean): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  if (ns === undefined) return [];
  const shipped = shippedGroups(upstream)[ns];
  if (shipped !== undefined && groupName(o) !== shipped) {
    const cluster = upstream ? 'upstream OLM' : 'OpenShift';
    return [
      {
        message:
          `is an OperatorGroup in namespace '${ns}', where ${cluster} already creates OperatorGroup '${shipped}': OLM fails every ClusterServiceVersion there ` +
          `with TooManyOperatorGroups, the operators already installed in '${ns}' included; delete this OperatorGroup (an operator subscribed in '${ns}' runs in AllNamespaces mode under '${shipped}') ` +
          `or move the Subscription and this group to a namespace of their own`,
      },
    ];
  }
  return otherGroups(graph, o, ns);
}

/**
 * The OperatorGroups a script applies from a heredoc whose namespace the shell fills when it runs (`namespace: ${ns}`,
 * a function's argument): made for some namespace the tree does not tell, maybe the Subscription's.
 */
function groupsForAnyNamespace(graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('OperatorGroup').filter((g) => (g.shellFills?.length ?? 0) > 0 && (graph.namespaceOf(g.manifest) ?? '').includes('$'));
}

/** A Subscription's namespace without an OperatorGroup of its own, where a script makes one for a namespace it fills in: a warning, no verdict on the guess. */
function templateGroupWarning(o: GraphObject, ns: string, groups: readonly GraphObject[]): Problem {
  const where = [...new Set(groups.map((g) => locationOf(g) ?? ''))].join(', ');
  return {
    severity: 'warning',
    message:
      `subscribes to '${text(mapping(o.manifest.spec).name) ?? ''}' in namespace '${ns}', which the input creates with no OperatorGroup of its own there; ` +
      `a script makes OperatorGroups for a namespace the shell fills in when it runs (${where}), assumed to make the one of '${ns}': ` +
      `if it does not run for '${ns}' first, OLM does not install the operator (the InstallPlan fails "no operator group found that is managing this namespace"); ` +
      `run the script, or add an OperatorGroup to '${ns}' beside the Subscription`,
  };
}

function subscriptionProblems(graph: ObjectGraph, o: GraphObject, upstream: boolean): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  // only a namespace the input creates is known to be empty of OperatorGroups; one of the cluster's may hold one
  if (ns === undefined || shippedGroups(upstream)[ns] !== undefined || !graph.find('Namespace', ns)) return [];
  if (groupsIn(graph, ns).length) return [];
  const templated = groupsForAnyNamespace(graph);
  if (templated.length) return [templateGroupWarning(o, ns, templated)];
  return [
    {
      message:
        `subscribes to '${text(mapping(o.manifest.spec).name) ?? ''}' in namespace '${ns}', which the input creates without an OperatorGroup: OLM does not install it ` +
        `(the InstallPlan fails "no operator group found that is managing this namespace", a CSV gets NoOperatorGroup): ` +
        `add an OperatorGroup to '${ns}' (spec.targetNamespaces [${ns}] for OwnNamespace, no spec for AllNamespaces, as the operator supports)`,
    },
  ];
}

export const operatorGroupConflict: Rule = {
  id: 'operator-group-conflict',
  title: "OLM cannot install an operator: two OperatorGroups in one namespace, one beside the platform's own, or a Subscription in a namespace without one",
  severity: 'error',
  appliesTo: ['OperatorGroup', 'Subscription'],
  premise:
    "OperatorGroups of one namespace with different names in one kustomize build, one file or one Argo CD destination (in other roots or loose files, which may be alternatives: a warning); an OperatorGroup not named global-operators in openshift-operators on OpenShift (rhoai-*), or in operators on upstream OLM (kserve), where the cluster already has global-operators; a Subscription in a namespace the input creates (a Namespace object) with no OperatorGroup of the input there (a warning where a script applies an OperatorGroup from a heredoc whose namespace the shell fills in: it may be made for that namespace); whether the operator supports the group's install mode is operator-install-mode-unsupported's",
  example: 'OperatorGroup `rhcl-operator-operatorgroup` in namespace `openshift-operators`',
  fix: 'keep one OperatorGroup per namespace: none of your own in openshift-operators (global-operators is there), one in each namespace the input creates for a Subscription',
  source:
    'operator-framework/operator-lifecycle-manager pkg/controller/operators/olm/operator.go (operatorGroupForCSV: no group → NoOperatorGroup, more than one → TooManyOperatorGroups, CSV phase Failed) and pkg/controller/operators/catalog (InstallPlan: "no operator group found that is managing this namespace"); openshift/operator-framework-olm manifests/0000_50_olm_13-operatorgroup-default.yaml (global-operators in openshift-operators); operator-lifecycle-manager deploy/upstream/quickstart/olm.yaml (global-operators in operators)',
  check(o, ctx) {
    const { graph } = ctx;
    const upstream = upstreamOlm(ctx);
    if (!/^operators\.coreos\.com\//.test(text(o.manifest.apiVersion) ?? '')) return [];
    return o.manifest.kind === 'OperatorGroup' ? operatorGroupProblems(graph, o, upstream) : subscriptionProblems(graph, o, upstream);
  },
};
