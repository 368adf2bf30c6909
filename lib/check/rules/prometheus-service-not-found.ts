import { mapping, mappings, text } from '../../manifests/access';
import { chartReleases } from '../chart-releases';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { createdByPlatform } from '../platform-namespaces';
import { describeService, installsKnownPrometheus, PrometheusService, prometheusServices } from '../prometheus-services';
import { madeByController } from '../reference-targets';
import { Problem, Rule } from '../rule';
import { serviceOfHost } from '../service-hosts';
import { holdsTemplate } from '../template-syntax';
import { namespacesCreated, unseenDeliveries } from '../tree-namespaces';

/** A Prometheus address an object gives a client, and the field it is in. */
interface Address {
  readonly field: string;
  readonly url: string;
}

/** KEDA prometheus triggers' serverAddress; a prometheus-adapter release's prometheus.url (its chart's values). */
function addressesOf(o: GraphObject, graph: ObjectGraph): Address[] {
  if (o.manifest.kind === 'ScaledObject' || o.manifest.kind === 'ScaledJob') {
    return mappings(mapping(o.manifest.spec).triggers).flatMap((t, i) => {
      const url = t.type === 'prometheus' ? text(mapping(t.metadata).serverAddress) : undefined;
      return url ? [{ field: `spec.triggers[${i}].metadata.serverAddress`, url }] : [];
    });
  }
  return chartReleases(graph)
    .filter((r) => r.object === o && r.chart === 'prometheus-adapter')
    .flatMap((r) => {
      const url = text(mapping(r.values.prometheus).url);
      return url ? [{ field: `the values of its ${r.chart} release: prometheus.url`, url }] : [];
    });
}

/** The namespaces the tree knows: those it creates and those its objects are in. */
function treeNamespaces(graph: ObjectGraph): Set<string> {
  return graph.once('prometheus-service-not-found:namespaces', () => {
    const found = new Set(namespacesCreated(graph).keys());
    for (const o of graph.objects) {
      const ns = graph.namespaceOf(o.manifest);
      if (ns) found.add(ns);
    }
    return found;
  });
}

/** Releases into the namespace whose Services the check does not know (another chart, an Application's unseen source). */
function otherDeliveries(graph: ObjectGraph, ns: string, asking: GraphObject): GraphObject[] {
  const releases = chartReleases(graph)
    .filter((r) => r.namespace === ns)
    .map((r) => r.object);
  return [...new Set([...releases, ...unseenDeliveries(graph, ns)])].filter((o) => o !== asking && !installsKnownPrometheus(o, graph));
}

/** The tree's Prometheus Services, those of the namespace named first, each chart's own Service before prometheus-operated. */
function ranked(services: PrometheusService[], ns: string): PrometheusService[] {
  const score = (s: PrometheusService) => (s.namespace === ns ? 0 : 2) + (s.name === 'prometheus-operated' ? 1 : 0);
  return [...services].sort((a, b) => score(a) - score(b));
}

function addressProblem(a: Address, asking: GraphObject, graph: ObjectGraph): Problem[] {
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(a.url)?.[1];
  if (!host || holdsTemplate(a.url)) return [];
  const target = serviceOfHost(host, undefined, treeNamespaces(graph));
  if (!target?.namespace || createdByPlatform(target.namespace)) return [];
  const { name, namespace: ns } = target;
  if (graph.find('Service', name, ns)) return [];
  const services = prometheusServices(graph);
  const installs = services.map((s) => s.by);
  if (services.some((s) => s.name === name && s.namespace === ns) || madeByController(graph, name, ns, installs)) return [];
  const names = `${a.field} '${a.url}' names Service '${name}' in namespace '${ns}'`;
  const effect = 'the name does not resolve, so every query fails (a KEDA trigger errors and scales nothing; the adapter serves no metric)';
  if (services.length) {
    const right = ranked(services, ns);
    const others = otherDeliveries(graph, ns, asking);
    const list = `${right.map((s) => `http://${describeService(s)}`).join(', ')} (made by ${[...new Set(right.map((s) => graph.id(s.by)))].join(', ')})`;
    const assumed = right[0].assumed ? `values of ${graph.id(right[0].by)} the check does not read leave the chart's names as they are` : undefined;
    const unsure = others.length ? `${others.map((d) => graph.id(d)).join(', ')} ${others.length > 1 ? 'make' : 'makes'} no Service of that name` : undefined;
    const assumptions = [assumed, unsure].filter((x): x is string => x !== undefined);
    const message = `${names}, which nothing of the tree makes, while the tree's Prometheus is served at ${list}: ${effect}; point it at http://${describeService(right[0])}`;
    return [assumptions.length ? { severity: 'warning', message: `${message}. Assumed: ${assumptions.join('; ')}` } : { message }];
  }
  if (!namespacesCreated(graph).has(ns)) return [];
  return [
    {
      severity: 'warning',
      message:
        `${names}, which the tree creates but where it installs no Prometheus (no Prometheus resource, no kube-prometheus-stack or prometheus chart release) and defines no Service of that name: ` +
        `unless something outside the tree provides it, ${effect}; point it at the Prometheus the cluster runs (a managed Prometheus has its own query endpoint), or install one`,
    },
  ];
}

export const prometheusServiceNotFound: Rule = {
  id: 'prometheus-service-not-found',
  title:
    'a KEDA prometheus trigger or prometheus-adapter queries a Prometheus Service the tree does not make, while its Prometheus is served under another name',
  severity: 'error',
  appliesTo: ['ScaledObject', 'ScaledJob', 'HelmRelease', 'Application'],
  premise:
    "a KEDA prometheus trigger's serverAddress or a prometheus-adapter chart release's prometheus.url has a host <service>.<namespace>[.svc[.cluster.local]] (not a template, not a platform namespace such as openshift-monitoring) naming a Service the tree does not define and no Prometheus of the tree makes, while the tree installs a Prometheus: a Prometheus resource (its Service prometheus-operated) or a release of kube-prometheus-stack (<fullname>-prometheus, fullname from the release name cut at 26) or of the prometheus chart (<fullname>-server): an error naming the right host, " +
    "a warning when the release's names depend on values the check does not read or another release or unseen Application delivers into that namespace; with no Prometheus in the tree, a warning when the tree creates that namespace; a name that begins with a custom resource's name of the namespace is not judged",
  example:
    '`serverAddress: http://kube-prometheus-kube-prome-prometheus.monitoring.svc:9090` while a HelmRelease `name: kube-prometheus-stack` installs the chart (its Service: kube-prometheus-stack-prometheus)',
  fix: 'point the address at the Prometheus Service the tree installs (the message names it), or at the query endpoint of the Prometheus the cluster runs',
  source:
    'prometheus-community/helm-charts charts/kube-prometheus-stack/templates/_helpers.tpl (kube-prometheus-stack.fullname, cut at 26) and templates/prometheus/service.yaml (<fullname>-prometheus), charts/prometheus/templates/_helpers.tpl (prometheus.server.fullname); prometheus-operator governing Service prometheus-operated; fluxcd helm-controller HelmReleaseSpec.ReleaseName ([targetNamespace-]name); kedacore/keda pkg/scalers/prometheus_scaler.go (a failed query is a scaler error)',
  check(o, { graph }) {
    return addressesOf(o, graph).flatMap((a) => addressProblem(a, o, graph));
  },
};
