import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { APP_NAME_LABEL, NAMESPACE_NAME_LABEL } from '../../k8s/keys';
import { selectorMatches } from '../argocd/label-selector';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Labels, namespaceLabels, PodPort, podLabelsOfWorkload, policyVerdict, Side } from '../network-peers';
import {
  CLUSTER_MONITORING_LABEL,
  monitoringNamespaceLabels,
  PLATFORM_MONITORING_NAMESPACE,
  platformMonitored,
  POLICY_GROUP_LABEL,
  USER_WORKLOAD_MONITORING_NAMESPACE,
} from '../openshift-monitoring';
import { onOpenShift } from '../platform';
import { selectedWorkloads } from '../request-servers';
import { CheckContext, Problem, Rule } from '../rule';

/** Where the Prometheus that scrapes the monitor runs, as a peer of the target's policies, and whether that is known (else why not). */
interface Scraper {
  readonly side: Side;
  readonly known: boolean;
  readonly unknownWhy?: string;
  readonly peer: string;
}

/** The pods of a prometheus-operator Prometheus (prometheus-operator labels them app.kubernetes.io/name: prometheus). */
const PROMETHEUS_POD: Labels = { labels: { [APP_NAME_LABEL]: 'prometheus' }, open: true };

/** The tree's own Prometheus (prometheus-operator's Prometheus), as the scraper, in its namespace. */
function treePrometheus(graph: ObjectGraph, prometheus: GraphObject): Scraper {
  const ns = graph.namespaceOf(prometheus.manifest);
  const side = {
    shown: `${graph.id(prometheus)}'s pods`,
    namespace: ns,
    namespaceKnown: ns !== undefined,
    namespaceLabels: namespaceLabels(graph, ns),
    pod: PROMETHEUS_POD,
  };
  return {
    side,
    known: ns !== undefined,
    unknownWhy: 'the namespace of the Prometheus object is not in the tree',
    peer: `a namespaceSelector matching namespace ${ns ?? "the Prometheus's"} (${NAMESPACE_NAME_LABEL}: ${ns ?? '…'})`,
  };
}

/**
 * One of OpenShift's Prometheus instances as the scraper, in its namespace with the labels cluster-monitoring-operator
 * gives it: the platform's (openshift-monitoring) where the monitor's namespace is labelled
 * openshift.io/cluster-monitoring: "true" (platformMonitored, as user-workload-monitor-out-of-reach reads it), else the
 * user workloads' (openshift-user-workload-monitoring).
 */
function openShiftPrometheus(graph: ObjectGraph, monitorNs: string | undefined): Scraper {
  const platform = monitorNs === undefined ? undefined : platformMonitored(graph, monitorNs);
  const ns = platform ? PLATFORM_MONITORING_NAMESPACE : USER_WORKLOAD_MONITORING_NAMESPACE;
  const side = {
    shown: platform
      ? `OpenShift's platform Prometheus (namespace ${ns}; it, not the user-workload Prometheus, reads the monitors of namespace ${monitorNs ?? ''}, ${platform === 'certain' ? 'labelled' : "one of OpenShift's own, which are labelled"} ${CLUSTER_MONITORING_LABEL}: "true")`
      : `OpenShift's user-workload Prometheus (namespace ${ns})`,
    namespace: ns,
    namespaceKnown: true,
    namespaceLabels: { labels: monitoringNamespaceLabels(ns), open: true },
    pod: PROMETHEUS_POD,
  };
  return {
    side,
    known: platform !== 'likely',
    unknownWhy: `the tree does not show the labels of namespace ${monitorNs ?? ''}, one of OpenShift's own: the platform Prometheus is taken for the scraper`,
    peer: `{namespaceSelector: {matchLabels: {${POLICY_GROUP_LABEL}: monitoring}}}`,
  };
}

/**
 * The Prometheus that scrapes a monitor: the tree's Prometheus, else on OpenShift the one that reads monitors of the
 * monitor's namespace (openShiftPrometheus), else unknown.
 */
function scraperOf(graph: ObjectGraph, ctx: CheckContext, monitor: GraphObject): Scraper {
  const prometheus = graph.ofKind('Prometheus').find((p) => String(p.manifest.apiVersion).startsWith('monitoring.coreos.com/'));
  if (prometheus) return treePrometheus(graph, prometheus);
  if (onOpenShift(ctx)) return openShiftPrometheus(graph, graph.namespaceOf(monitor.manifest));
  const side = {
    shown: 'Prometheus (its namespace not in the tree)',
    namespace: undefined,
    namespaceKnown: false,
    namespaceLabels: { labels: {}, open: true },
    pod: PROMETHEUS_POD,
  };
  return {
    side,
    known: false,
    unknownWhy: 'where Prometheus runs is not in the tree (no Prometheus object, not OpenShift), so whether a peer matches it is unknown',
    peer: 'a namespaceSelector matching the namespace Prometheus runs in',
  };
}

/** A scraped target: the pods, what they are, and the pod port scraped. */
interface Target {
  readonly pod: Labels;
  readonly shown: string;
  readonly ns: string;
  readonly port: PodPort;
}

/** A Service port (by the monitor endpoint's name) as the pod port it targets. */
function servicePodPort(service: GraphObject, endpoint: Loose): PodPort | undefined {
  const port = mappings(mapping(service.manifest.spec).ports).find((p) =>
    text(endpoint.port) !== undefined ? p.name === endpoint.port : p.port === endpoint.targetPort,
  );
  if (!port) return undefined;
  const target: unknown = port.targetPort ?? port.port;
  return typeof target === 'number' ? { number: target, protocol: 'TCP' } : { name: text(target), protocol: 'TCP' };
}

/** The pods each endpoint of a ServiceMonitor scrapes: the Services of the tree it selects (its own namespace, or those of spec.namespaceSelector: any, matchNames), and their workloads. */
function serviceTargets(graph: ObjectGraph, monitor: GraphObject): Target[] {
  const spec = mapping(monitor.manifest.spec);
  const services = graph
    .ofKind('Service')
    .filter(
      (s) =>
        inMonitorNamespaces(graph, monitor, graph.namespaceOf(s.manifest)) &&
        selectorMatches(spec.selector, stringMap(mapping(s.manifest.metadata).labels)) === true,
    );
  return services.flatMap((s) =>
    mappings(spec.endpoints).flatMap((e) => {
      const port = servicePodPort(s, e);
      const ns = graph.namespaceOf(s.manifest);
      if (!port || ns === undefined) return [];
      const workloads = selectedWorkloads(s, graph);
      if (!workloads.length)
        return [{ pod: { labels: stringMap(mapping(s.manifest.spec).selector), open: true }, shown: `the pods of ${graph.id(s)}`, ns, port }];
      return workloads.map((w) => ({
        pod: podLabelsOfWorkload(w.manifest) ?? { labels: {}, open: true },
        shown: `${graph.id(w)}'s pods (behind ${graph.id(s)})`,
        ns,
        port,
      }));
    }),
  );
}

/** Whether a monitor's spec.namespaceSelector (any, matchNames, else its own namespace) takes in a namespace. */
function inMonitorNamespaces(graph: ObjectGraph, monitor: GraphObject, ns: string | undefined): boolean {
  const selector = mapping(mapping(monitor.manifest.spec).namespaceSelector);
  if (selector.any === true) return ns !== undefined;
  const names = strings(selector.matchNames);
  return names.length ? names.includes(ns ?? '') : ns !== undefined && ns === graph.namespaceOf(monitor.manifest);
}

/** The pods a PodMonitor scrapes: the workloads of its namespaces (spec.namespaceSelector) whose pod labels its selector matches, on each endpoint's named port. */
function podTargets(graph: ObjectGraph, monitor: GraphObject): Target[] {
  const spec = mapping(monitor.manifest.spec);
  const workloads = graph.objects.filter(
    (o) => podLabelsOfWorkload(o.manifest) !== undefined && inMonitorNamespaces(graph, monitor, graph.namespaceOf(o.manifest)),
  );
  return workloads.flatMap((w) => {
    const pod = podLabelsOfWorkload(w.manifest)!;
    const ns = graph.namespaceOf(w.manifest)!;
    if (selectorMatches(spec.selector, pod.labels) !== true) return [];
    return mappings(spec.podMetricsEndpoints).flatMap((e) =>
      text(e.port) ? [{ pod, shown: `${graph.id(w)}'s pods`, ns, port: { name: text(e.port), protocol: 'TCP' } }] : [],
    );
  });
}

function judged(monitor: GraphObject, ctx: CheckContext): Problem[] {
  const { graph } = ctx;
  const targets = monitor.manifest.kind === 'ServiceMonitor' ? serviceTargets(graph, monitor) : podTargets(graph, monitor);
  if (!targets.length) return [];
  const scraper = scraperOf(graph, ctx, monitor);
  for (const t of targets) {
    const verdict = policyVerdict(graph, 'Ingress', t.ns, t.pod, t.shown, scraper.side, t.port);
    if (!verdict) continue;
    const policies = [...new Set(verdict.isolating.map((p) => `'${text(mapping(p.manifest.metadata).name) ?? ''}'`))].join(', ');
    const port = t.port.number ?? t.port.name ?? '';
    const lead = `scrapes ${t.shown} on port ${port}, and NetworkPolicy ${policies} selects those pods for Ingress with no rule whose peers can be ${scraper.side.shown}`;
    const fix = `; add an ingress rule from ${scraper.peer} on port ${port} (or a NetworkPolicy allowing it)`;
    if (!scraper.known || verdict.doubts.length) {
      const why = !scraper.known ? (scraper.unknownWhy ?? '') : verdict.doubts.join('; ');
      return [{ severity: 'warning', message: `${lead}: the scrapes may time out and the metrics never arrive (${why})${fix}` }];
    }
    return [{ message: `${lead}: the connections are dropped, every scrape times out (the target stays down) and the metrics never arrive${fix}` }];
  }
  return [];
}

export const networkPolicyBlocksScrape: Rule = {
  id: 'network-policy-blocks-scrape',
  title: 'a NetworkPolicy isolates the pods a ServiceMonitor or PodMonitor scrapes and admits no peer Prometheus can be: the metrics never arrive',
  severity: 'error',
  appliesTo: ['ServiceMonitor', 'PodMonitor'],
  premise:
    "a monitoring.coreos.com ServiceMonitor (the Services of the tree its selector matches in its namespace or those of spec.namespaceSelector, any or matchNames, and their workloads' pods, on the pod port each endpoint's Service port targets) or PodMonitor (the workloads its selector matches in its namespace or those of spec.namespaceSelector, on each endpoint's named port) whose target pods a NetworkPolicy of their namespace selects for Ingress (policyTypes, or an ingress list) while no ingress rule of the policies selecting them admits Prometheus on that port (the peer matching of network-policy-blocks-connection: a podSelector alone is the policy's own namespace; a namespaceSelector must match the Prometheus namespace's labels; no `from` admits all): Prometheus is the tree's Prometheus object (its namespace, with the labels the tree gives it and kubernetes.io/metadata.name), else on OpenShift the one that reads monitors of the monitor's namespace: the platform Prometheus (namespace openshift-monitoring) where that namespace is labelled openshift.io/cluster-monitoring: \"true\" or is one of the two monitoring namespaces (the cluster's other openshift-* namespaces likely carry the label: a warning), else the user-workload Prometheus (namespace openshift-user-workload-monitoring), both namespaces labelled network.openshift.io/policy-group: monitoring, name and kubernetes.io/metadata.name; an error where that is known and every policy is decided; a warning where a policy may still admit it (a label the tree does not show) or where Prometheus's location is unknown (not OpenShift, no Prometheus object), which the message says",
  example:
    'a ServiceMonitor of a Service whose Deployment a NetworkPolicy with `policyTypes: [Ingress]` selects, its only peer `podSelector: {matchLabels: {app: gateway}}`, on OpenShift',
  fix: "add an ingress rule admitting the monitoring namespace on the metrics port (on OpenShift: `namespaceSelector: {matchLabels: {network.openshift.io/policy-group: monitoring}}`; else a namespaceSelector on the Prometheus namespace's kubernetes.io/metadata.name)",
  source:
    'Kubernetes NetworkPolicy semantics (k8s.io/api networking/v1 types.go; docs concepts/services-networking/network-policies: a pod selected for Ingress admits only what a rule allows; "Targeting a Namespace by its name": kubernetes.io/metadata.name); prometheus-operator (a Prometheus scrapes from its own pods, app.kubernetes.io/name: prometheus); OpenShift docs "Configuring network policy" and "Enabling monitoring for user-defined projects" (the user-workload Prometheus in openshift-user-workload-monitoring; a policy admits monitoring with namespaceSelector network.openshift.io/policy-group: monitoring); openshift/cluster-monitoring-operator assets/prometheus-k8s/prometheus.yaml and assets/prometheus-user-workload/prometheus.yaml (serviceMonitorNamespaceSelector: the platform Prometheus reads namespaces labelled openshift.io/cluster-monitoring: "true", the user-workload one the others) and manifests/0000_50_cluster-monitoring-operator_01-namespace.yaml (the labels of the two namespaces)',
  check(o, ctx) {
    return judged(o, ctx);
  },
};
