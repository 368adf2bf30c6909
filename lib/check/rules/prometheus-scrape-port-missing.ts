import { isMapping, mapping, mappings, strings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { secretField } from '../argocd/clusters';
import { REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { serviceOfHost } from '../service-hosts';
import { holdsTemplate } from '../template-syntax';
import { kindsSaid, operatorServiceVerdict } from '../operator-made';

/** The ConfigMap keys Prometheus' own configuration is kept under by convention (its --config.file default is prometheus.yml). */
const CONFIG_KEYS = new Set(['prometheus.yml', 'prometheus.yaml']);

/** A scrape configuration's static target, where it is written. */
interface StaticTarget {
  readonly where: string;
  readonly host: string;
  readonly port: number;
}

/** A `host:port` target (Prometheus discovery/targetgroup: the `__address__` of a static_configs entry); a port-less one is not judged. */
function splitTarget(target: string): { host: string; port: number } | undefined {
  const m = /^([A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/.exec(target.trim());
  return m ? { host: m[1], port: Number(m[2]) } : undefined;
}

/** The static targets of a list of scrape configurations (prometheus.yml's scrape_configs, or the operator's additional ones). */
function staticTargets(scrapeConfigs: unknown, where: string): StaticTarget[] {
  return mappings(scrapeConfigs).flatMap((job) =>
    mappings(job.static_configs).flatMap((group) =>
      strings(group.targets).flatMap((t) => {
        const split = holdsTemplate(t) ? undefined : splitTarget(t);
        return split ? [{ where: `${where} job '${text(job.job_name) ?? '?'}'`, ...split }] : [];
      }),
    ),
  );
}

function parsed(value: string): unknown {
  const read = parseOne(value);
  return 'value' in read ? read.value : undefined;
}

/**
 * A ConfigMap's Prometheus configurations (a prometheus.yml/.yaml key, or a key whose YAML has scrape_configs), and the
 * Secret keys a Prometheus custom resource of the tree names as spec.additionalScrapeConfigs (a YAML list of scrape
 * configurations: prometheus-operator Documentation/api-reference, PrometheusSpec.additionalScrapeConfigs).
 */
function targetsOf(o: GraphObject, graph: ObjectGraph): StaticTarget[] {
  const m = o.manifest;
  if (m.kind === 'ConfigMap') {
    return Object.entries(mapping(m.data)).flatMap(([key, value]) => {
      const config = typeof value === 'string' ? parsed(value) : undefined;
      if (!isMapping(config) || (!CONFIG_KEYS.has(key) && config.scrape_configs === undefined)) return [];
      return staticTargets(config.scrape_configs, `data.${key}`);
    });
  }
  const name = text(mapping(m.metadata).name);
  const ns = graph.namespaceOf(m);
  const keys = graph
    .ofKind('Prometheus')
    .filter((p) => graph.namespaceOf(p.manifest) === ns && text(mapping(mapping(p.manifest.spec).additionalScrapeConfigs).name) === name)
    .map((p) => text(mapping(mapping(p.manifest.spec).additionalScrapeConfigs).key))
    .filter((k): k is string => !!k);
  return [...new Set(keys)].flatMap((key) => {
    const value = secretField(m, key);
    return value === undefined ? [] : staticTargets(parsed(value), `key ${key} (additionalScrapeConfigs)`);
  });
}

/**
 * The tree's Services by namespace, each definition with the ports it exposes; undefined for a headless or ExternalName
 * Service (DNS gives the pods' or another host's address, whose ports the Service does not list) or one without ports.
 */
function serviceIndex(graph: ObjectGraph): Map<string | undefined, Map<string, (number[] | undefined)[]>> {
  return graph.once('prometheus-scrape-port-missing:services', () => {
    const index = new Map<string | undefined, Map<string, (number[] | undefined)[]>>();
    for (const s of graph.ofKind('Service')) {
      const spec = mapping(s.manifest.spec);
      const name = text(mapping(s.manifest.metadata).name)?.toLowerCase();
      const ns = graph.namespaceOf(s.manifest);
      if (!index.has(ns)) index.set(ns, new Map());
      if (!name) continue;
      const listed = mappings(spec.ports).flatMap((p) => (typeof p.port === 'number' ? [p.port] : []));
      const ports = spec.clusterIP === 'None' || spec.type === 'ExternalName' || !listed.length ? undefined : listed;
      index.get(ns)!.set(name, [...(index.get(ns)!.get(name) ?? []), ports]);
    }
    return index;
  });
}

function targetProblem(t: StaticTarget, own: string | undefined, graph: ObjectGraph): Problem | undefined {
  const services = serviceIndex(graph);
  const service = serviceOfHost(t.host, own, new Set([...services.keys()].filter((n): n is string => !!n)));
  if (!service || service.name === 'localhost') return undefined;
  const inNamespace = services.get(service.namespace);
  // a namespace of which the tree defines no Service: the target may be another install's
  if (!inNamespace) return undefined;
  const named = `Service '${service.name}' in namespace '${service.namespace ?? '<namespace>'}'`;
  const definitions = inNamespace.get(service.name);
  const operator = definitions ? undefined : operatorServiceVerdict(graph, service.name);
  // a Service an operator names after its resource: made with it (KubeRay's <rayservice>-head-svc)
  if (operator?.kind === 'made') return undefined;
  if (operator) {
    return {
      severity: 'info',
      message: `${t.where}: the static target '${t.host}:${t.port}' names ${named}, the name ${operator.service.by.operator} gives a Service of a ${kindsSaid(operator.service.by)} '${operator.service.resource}', which the tree does not hold: made by ${operator.service.by.operator} outside this folder, so its ports are not checked here`,
    };
  }
  if (!definitions) {
    const missing: Problem = {
      severity: 'warning',
      message:
        `${t.where}: the static target '${t.host}:${t.port}' names ${named}, which the tree does not define (it defines that namespace's Services): ` +
        'if nothing else creates it, the name does not resolve, the target is down and its metrics never arrive',
    };
    return unlessRepositoryMakes(graph, missing, 'Service', service.name, service.namespace);
  }
  // where several definitions of the Service are read (alternative files), one exposing the port is enough
  if (definitions.some((ports) => !ports || ports.includes(t.port))) return undefined;
  const exposed = [...new Set(definitions.flatMap((ports) => ports ?? []))].sort((a, b) => a - b);
  return {
    message:
      `${t.where}: the static target '${t.host}:${t.port}' names ${named}, which exposes ${exposed.length === 1 ? 'port' : 'ports'} ${exposed.join(', ')}, not ${t.port}: ` +
      `Prometheus cannot connect, the target is down and its metrics never arrive; add port ${t.port} to the Service (its targetPort the container's metrics port), or scrape a port it exposes`,
  };
}

export const prometheusScrapePortMissing: Rule = {
  id: 'prometheus-scrape-port-missing',
  title: "a Prometheus scrape configuration's static target names a Service port the Service does not expose",
  severity: 'error',
  appliesTo: ['ConfigMap', 'Secret'],
  premise:
    "a ConfigMap key prometheus.yml or prometheus.yaml, or any key whose YAML has scrape_configs, is a Prometheus configuration; a Secret key a Prometheus custom resource of the namespace names as spec.additionalScrapeConfigs (stringData, or data decoded) is a list of scrape configurations; each static_configs target `<host>:<port>` whose host is a Service name (a bare name in the configuration's namespace, name.<namespace> for a namespace the tree has Services in, name.<namespace>.svc[.cluster.local]) is judged against the Service's `port` values (not targetPort): an error when the tree defines the Service and no definition of it lists that port; a warning when the tree defines Services in that namespace but none of that name; IPs, external hosts, port-less and templated targets, headless and ExternalName Services are not judged; a Service named as an operator names those of its resource (KubeRay's <name>-head-svc and <name>-serve-svc) is made with a resource of the tree of that name, and is a note where the tree holds no resource of that operator (it is made outside the folder)" +
    REPOSITORY_PREMISE,
  example: "prometheus.yml with `targets: ['granite.serving.svc.cluster.local:9400']` while Service granite in namespace serving lists only `port: 8000`",
  fix: "add the port to the Service (targetPort the container's metrics port), or point the target at a port the Service exposes",
  source:
    'Prometheus scrapes a static target at the address as written (discovery/targetgroup, scrape/target.go); a ClusterIP Service forwards only the ports it lists (kube-proxy), so a connection to another port is refused and the target is reported down (up == 0); ray-project/kuberay ray-operator/controllers/ray/utils/util.go GenerateHeadServiceName, GenerateServeServiceName (<name>-head-svc, <name>-serve-svc)',
  check(o, { graph }) {
    const own = graph.namespaceOf(o.manifest);
    return targetsOf(o, graph)
      .map((t) => targetProblem(t, own, graph))
      .filter((p): p is Problem => p !== undefined);
  },
};
