import { Loose, mapping, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { kueueManaged } from './namespace-not-kueue-managed';
import { operatorCreated, operatorKueueOf, OperatorKueueKind } from '../operator-kueue';

/** What the operator's copy sets that a manifest may leave out. */
const OPERATOR_VALUES: Record<OperatorKueueKind, string> = {
  ResourceFlavor: 'no nodeLabels, tolerations or taints',
  ClusterQueue: 'its whole-cluster quota, namespaceSelector kueue.openshift.io/managed=true',
  LocalQueue: 'spec.clusterQueue default, immutable',
};

/** What renaming it takes: the DataScienceCluster field that moves the operator's object away, where there is one. */
function fixOf(kind: OperatorKueueKind, name: string): string {
  if (kind === 'ResourceFlavor') return `rename it (and the ClusterQueue flavors naming it): the operator's flavor names are fixed`;
  const field = kind === 'ClusterQueue' ? 'defaultClusterQueueName' : 'defaultLocalQueueName';
  const pointing = kind === 'ClusterQueue' ? 'the LocalQueues pointing at it' : "the workloads' queue label";
  return `rename it (and ${pointing}), or set DataScienceCluster spec.components.kueue.${field} to a name other than '${name}'`;
}

/** Whether the operator makes this object: a LocalQueue only in Kueue-managed namespaces of the tree. */
function operatorMakes(graph: ObjectGraph, m: Loose, kind: OperatorKueueKind, clusterQueue: string): boolean {
  if (kind !== 'LocalQueue') return true;
  // one pointing at another ClusterQueue is local-queue-default-taken's (the immutable spec.clusterQueue)
  const target = text(mapping(m.spec).clusterQueue);
  return kueueManaged(graph, graph.namespaceOf(m)) && (!target || target === clusterQueue);
}

export const operatorKueueDefaultOwned: Rule = {
  id: 'operator-kueue-default-owned',
  title:
    "the tree defines a Kueue object OpenShift AI's operator also creates (ResourceFlavor default-flavor, ClusterQueue default, LocalQueue default): two owners",
  severity: 'warning',
  appliesTo: ['ResourceFlavor', 'ClusterQueue', 'LocalQueue'],
  premise:
    "the platform's operator creates the object (OpenShift AI 3.x; 2.x from opendatahub-operator 2.32), and OpenShift AI is known: given (--platform, the project file) or marked in the tree (a DataScienceCluster, an opendatahub.io key, an OpenShift AI namespace), not an OpenShift mark alone (a Route, `oc` in a script: OpenShift may run the standalone Red Hat build of Kueue); OpenShift AI marked in the git repository around the checked folder counts as in the tree (the platform inferred from it); the queue names are the tree's DataScienceCluster (else that of its git repository outside the checked folder) " +
    'kueue.defaultClusterQueueName / defaultLocalQueueName, `default` unless set; a LocalQueue only in a Kueue-managed Namespace of the tree; ' +
    'silent when a DataScienceCluster of the tree sets kueue managementState: Removed, or, where the tree holds none, every DataScienceCluster a manifest of its repository holds outside the checked folder does (a sibling operators/ or cluster/ folder); Managed and Unmanaged both create them',
  example: "a ClusterQueue `name: default` beside a Namespace labelled `kueue.openshift.io/managed: 'true'`",
  fix: 'rename it, or set DataScienceCluster spec.components.kueue.defaultClusterQueueName / defaultLocalQueueName to another name',
  source:
    'opendatahub-operator (v3.3.0) internal/controller/components/kueue/kueue_controller_actions.go manageDefaultKueueResourcesAction: ' +
    'creates them annotated opendatahub.io/managed: "false", only when missing (deploy ignores AlreadyExists)',
  check(o, ctx) {
    const { graph } = ctx;
    const kind = o.manifest.kind as OperatorKueueKind;
    const name = text(mapping(o.manifest.metadata).name) ?? '';
    const created = operatorCreated(ctx, kind, name);
    // where OpenShift AI is only guessed (an OpenShift mark alone), no operator is known to make the object
    if (created === 'never' || created === 'assumed' || !operatorMakes(graph, o.manifest, kind, operatorKueueOf(graph).names.ClusterQueue[0])) return [];
    const problem: Problem = {
      message:
        `OpenShift AI's operator also creates ${kind} '${name}' when it is missing${created === 'recent' ? ' (opendatahub-operator 2.32 and later)' : ''}, ` +
        `annotated opendatahub.io/managed: "false" and never updated: two owners. If the operator's comes first, the fields this manifest leaves out keep the operator's values ` +
        `(${OPERATOR_VALUES[kind]}), and deleting or pruning it brings the operator's copy back: ${fixOf(kind, name)}`,
    };
    return [problem];
  },
};
