import { mapping, stringMap, text } from '../../manifests/access';
import { Rule } from '../rule';
import { KUEUE_MANAGED_LABELS } from '../../k8s/keys';
import { operatorKueueOf } from '../operator-kueue';

export const localQueueDefaultTaken: Rule = {
  id: 'local-queue-default-taken',
  title: "a LocalQueue named default, in a Kueue-managed Namespace of the tree, points at a ClusterQueue other than the operator's default",
  severity: 'warning',
  appliesTo: ['LocalQueue'],
  premise:
    'the Namespace is in the tree with kueue.openshift.io/managed: "true" (or the legacy kueue-managed); the queue names are the tree\'s DataScienceCluster ' +
    'kueue.defaultLocalQueueName / defaultClusterQueueName, `default` unless set; silent when it sets kueue managementState: Removed',
  example: "LocalQueue `{name: default, namespace: ai}` → `clusterQueue: team-b` in a Namespace labelled `kueue.openshift.io/managed: 'true'`",
  fix: "give the LocalQueue another name (and the workloads' queue label with it)",
  source:
    'OpenShift AI operator: creates LocalQueue default → ClusterQueue default in every managed namespace when missing (create-if-missing); ' +
    'Kueue: LocalQueue spec.clusterQueue is immutable, so a sync that comes second cannot change it',
  check(o, { graph }) {
    // the names the operator gives them: the tree's DataScienceCluster may rename both
    const { removed, names } = operatorKueueOf(graph);
    const [localQueue] = names.LocalQueue;
    const [operatorClusterQueue] = names.ClusterQueue;
    if (removed || text(mapping(o.manifest.metadata).name) !== localQueue) return [];
    const clusterQueue = text(mapping(o.manifest.spec).clusterQueue);
    if (!clusterQueue || clusterQueue === operatorClusterQueue) return [];
    const ns = graph.namespaceOf(o.manifest);
    const namespace = ns === undefined ? undefined : graph.find('Namespace', ns);
    if (!namespace) return [];
    const labels = stringMap(mapping(namespace.manifest.metadata).labels);
    if (!KUEUE_MANAGED_LABELS.some((l) => labels[l] === 'true')) return [];
    return [
      {
        message:
          `points at ClusterQueue '${clusterQueue}', but OpenShift AI creates LocalQueue ${localQueue} → ClusterQueue ${operatorClusterQueue} in Kueue-managed namespace '${ns}' ` +
          `as soon as the Namespace exists; if it comes first, the sync cannot change its immutable spec.clusterQueue and the workloads queue on the operator's default: ` +
          `give this LocalQueue another name (e.g. '${clusterQueue}') and label the workloads with it`,
      },
    ];
  },
};
