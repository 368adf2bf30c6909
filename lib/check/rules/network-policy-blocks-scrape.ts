import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { APP_NAME_LABEL, NAMESPACE_NAME_LABEL } from '../../k8s/keys';
import { selectorMatches } from '../argocd/label-selector';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Labels, namespaceLabels, PodPort, podLabelsOfWorkload, policyVerdict, Side } from '../network-peers';
import { onOpenShift } from '../platform';
import { selectedWorkloads } from '../request-servers';
import { CheckContext, Problem, Rule } from '../rule';

/** OpenShift's user-workload Prometheus: its namespace and the label OpenShift gives it for network policies (OpenShift docs "Configuring network policy": network.openshift.io/policy-group: monitoring). */
const USER_WORKLOAD_NAMESPACE = 'openshift-user-workload-monitoring';
const POLICY_GROUP_LABEL = 'network.openshift.io/policy-group';

/** Where the Prometheus that scrapes the monitor runs, as a peer of the target's policies, and whether that is known. */
interface Scraper {
  readonly side: Side;
  readonly known: boolean;
  readonly peer: string;
}

/** The Prometheus of the tree (prometheus-operator's Prometheus, whose pods carry app.kubernetes.io/name: prometheus), else OpenShift's user-workload Prometheus, else unknown. */
function scraperOf(graph: ObjectGraph, ctx: CheckContext): Scraper {
  const prometheus = graph.ofKind('Prometheus').find((p) => String(p.manifest.apiVersion).startsWith('monitoring.coreos.com/'));
  const pod: Labels = { labels: { [APP_NAME_LABEL]: 'prometheus' }, open: true };
  if (prometheus) {
    const ns = graph.namespaceOf(prometheus.manifest);
    const side = { shown: `${graph.id(prometheus)}'s pods`, namespace: ns, namespaceKnown: ns !== undefined, namespaceLabels: namespaceLabels(graph, ns), pod };
    return {
      side,
      known: ns !== undefined,
      peer: `a namespaceSelector matching namespace ${ns ?? "the Prometheus's"} (${NAMESPACE_NAME_LABEL}: ${ns ?? '…'})`,
    };
  }
  if (onOpenShift(ctx)) {
    const labels = { [NAMESPACE_NAME_LABEL]: USER_WORKLOAD_NAMESPACE, [POLICY_GROUP_LABEL]: 'monitoring' };
    const side = {
      shown: `OpenShift's user-workload Prometheus (namespace ${USER_WORKLOAD_NAMESPACE})`,
      namespace: USER_WORKLOAD_NAMESPACE,
      namespaceKnown: true,
      namespaceLabels: { labels, open: true },
      pod,
    };
    return { side, known: true, peer: `{namespaceSelector: {matchLabels: {${POLICY_GROUP_LABEL}: monitoring}}}` };
  }
  const side = {
    shown: 'Prometheus (its namespace not in the tree)',
    namespace: undefined,
    namespaceKnown: false,
    namespaceLabels: { labels: {}, open: true },
    pod,
  };
  return { side, known: false, peer: 'a namespaceSelector matching the namespace Prometheus runs in' };
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
  const scraper = scraperOf(graph, ctx);
  for (const t of targets) {
    const verdict = policyVerdict(graph, 'Ingress', t.ns, t.pod, t.shown, scraper.side, t.port);
    if (!verdict) continue;
    const policies = [...new Set(verdict.isolating.map((p) => `'${text(mapping(p.manifest.metadata).name) ?? ''}'`))].join(', ');
    const port = t.port.number ?? t.port.name ?? '';
    const lead = `scrapes ${t.shown} on port ${port}, and NetworkPolicy ${policies} selects those pods for Ingress with no rule whose peers can be ${scraper.side.shown}`;
    const fix = `; add an ingress rule from ${scraper.peer} on port ${port} (or a NetworkPolicy allowing it)`;
    if (!scraper.known || verdict.doubts.length) {
      const why = !scraper.known
        ? 'where Prometheus runs is not in the tree (no Prometheus object, not OpenShift), so whether a peer matches it is unknown'
        : verdict.doubts.join('; ');
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
    "a monitoring.coreos.com ServiceMonitor (the Services of the tree its selector matches in its namespace or those of spec.namespaceSelector, any or matchNames, and their workloads' pods, on the pod port each endpoint's Service port targets) or PodMonitor (the workloads its selector matches in its namespace or those of spec.namespaceSelector, on each endpoint's named port) whose target pods a NetworkPolicy of their namespace selects for Ingress (policyTypes, or an ingress list) while no ingress rule of the policies selecting them admits Prometheus on that port (the peer matching of network-policy-blocks-connection: a podSelector alone is the policy's own namespace; a namespaceSelector must match the Prometheus namespace's labels; no `from` admits all): Prometheus is the tree's Prometheus object (its namespace, with the labels the tree gives it and kubernetes.io/metadata.name), else on OpenShift the user-workload Prometheus (namespace openshift-user-workload-monitoring, labelled network.openshift.io/policy-group: monitoring); an error where that is known and every policy is decided; a warning where a policy may still admit it (a label the tree does not show) or where Prometheus's location is unknown (not OpenShift, no Prometheus object), which the message says",
  example:
    'a ServiceMonitor of a Service whose Deployment a NetworkPolicy with `policyTypes: [Ingress]` selects, its only peer `podSelector: {matchLabels: {app: gateway}}`, on OpenShift',
  fix: "add an ingress rule admitting the monitoring namespace on the metrics port (on OpenShift: `namespaceSelector: {matchLabels: {network.openshift.io/policy-group: monitoring}}`; else a namespaceSelector on the Prometheus namespace's kubernetes.io/metadata.name)",
  source:
    'Kubernetes NetworkPolicy semantics (k8s.io/api networking/v1 types.go; docs concepts/services-networking/network-policies: a pod selected for Ingress admits only what a rule allows; "Targeting a Namespace by its name": kubernetes.io/metadata.name); prometheus-operator (a Prometheus scrapes from its own pods, app.kubernetes.io/name: prometheus); OpenShift docs "Configuring network policy" and "Enabling monitoring for user-defined projects" (the user-workload Prometheus in openshift-user-workload-monitoring; a policy admits monitoring with namespaceSelector network.openshift.io/policy-group: monitoring)',
  check(o, ctx) {
    return judged(o, ctx);
  },
};
