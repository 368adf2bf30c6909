import type { ObjectGraph } from './graph';
import { NAMESPACE_NAME_LABEL, namespaceLabels } from './network-peers';
import { madeByCluster } from './platform-namespaces';

/**
 * The label that hands a namespace to the platform Prometheus; the user workloads' Prometheus takes no monitor from a
 * namespace carrying it (cluster-monitoring-operator assets/prometheus-user-workload/prometheus.yaml
 * serviceMonitorNamespaceSelector and podMonitorNamespaceSelector: openshift.io/cluster-monitoring NotIn ["true"]), and
 * the platform Prometheus takes them only from such namespaces (assets/prometheus-k8s/prometheus.yaml: matchLabels
 * openshift.io/cluster-monitoring: "true").
 */
export const CLUSTER_MONITORING_LABEL = 'openshift.io/cluster-monitoring';

/** The namespaces of OpenShift's two Prometheus instances: the platform's (prometheus-k8s) and the user workloads'. */
export const PLATFORM_MONITORING_NAMESPACE = 'openshift-monitoring';
export const USER_WORKLOAD_MONITORING_NAMESPACE = 'openshift-user-workload-monitoring';

/** The label OpenShift gives both monitoring namespaces for network policies (OpenShift docs "Configuring network policy"). */
export const POLICY_GROUP_LABEL = 'network.openshift.io/policy-group';

/**
 * The labels cluster-monitoring-operator gives both monitoring namespaces
 * (manifests/0000_50_cluster-monitoring-operator_01-namespace.yaml: openshift.io/cluster-monitoring "true", name,
 * network.openshift.io/policy-group monitoring), with the name label the API server sets on every namespace.
 */
export function monitoringNamespaceLabels(ns: string): Record<string, string> {
  return { [NAMESPACE_NAME_LABEL]: ns, name: ns, [CLUSTER_MONITORING_LABEL]: 'true', [POLICY_GROUP_LABEL]: 'monitoring' };
}

/**
 * Whether a namespace is the platform's for monitoring, so that the platform Prometheus (openshift-monitoring), not the
 * user workloads' one, reads its monitors: `certain` for CMO's own namespaces and one the tree labels
 * openshift.io/cluster-monitoring: "true"; `likely` for the cluster's other openshift-* namespaces, which carry the
 * label though the tree cannot show it; undefined where the user workloads' Prometheus reads them.
 */
export function platformMonitored(graph: ObjectGraph, ns: string): 'certain' | 'likely' | undefined {
  const labels = namespaceLabels(graph, ns);
  if (ns === PLATFORM_MONITORING_NAMESPACE || ns === USER_WORKLOAD_MONITORING_NAMESPACE || labels.labels[CLUSTER_MONITORING_LABEL] === 'true') return 'certain';
  if (!labels.open) return undefined;
  return ns.startsWith('openshift-') && madeByCluster(ns) ? 'likely' : undefined;
}
