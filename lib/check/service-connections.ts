import { isMapping, Loose, mapping, mappings, stringMap, stringsIn, text } from '../manifests/access';
import { ChartRelease, chartFullname, chartReleases } from './chart-releases';
import { allowListText, isAllowListSetting } from './allow-lists';
import { containerTexts } from './container-texts';
import { GraphObject } from './graph-object';
import { isCnpgCluster, ObjectGraph } from './graph';
import { Labels, PodPort } from './network-peers';
import { podReferences } from './pod-references';
import { serviceOfHost } from './service-hosts';
import { storageEndpointsOf } from './storage-endpoints';
import { containersWithLines } from './written-containers';
import { INGRESS_CLASS_ANNOTATION } from '../k8s/keys';

/**
 * A Service a connection reaches: one the tree defines; one CloudNativePG makes for a Cluster of the tree; or one a
 * Helm chart release of the tree makes in its namespace (named the release's fullname or beginning with it or the
 * release name, as charts name theirs), whose pods and ports the tree does not show.
 */
export interface ServiceTarget {
  /** `Service/ns/name`, or the name with what makes it. */
  readonly shown: string;
  readonly namespace: string | undefined;
  readonly object?: GraphObject;
  readonly release?: ChartRelease;
  /** The labels of the pods behind a Service an operator makes, as far as the operator's docs say, and their port. */
  readonly pods?: Labels;
  readonly podPort?: PodPort;
}

/**
 * The connections to a Service that the tree states: a client names the Service (a container's env, command or args,
 * a ConfigMap its pod reads, an InferenceService's storage endpoint, a chart release's values), or a Route or an
 * Ingress sends it the ingress controller's traffic.
 */
export interface Connection {
  /** Where the client says it, for messages. */
  readonly how: string;
  readonly service: ServiceTarget;
  /** The Service's port asked for (its number or name), or the pod's port (a Route's numeric targetPort); neither: any of its ports. */
  readonly servicePort?: number | string;
  readonly podPort?: number;
  /** The servicePort is the URL scheme's default, no port being written (http://name is port 80). */
  readonly portImplied?: true;
}

/** The port a URL of a scheme without one reaches (IANA; the defaults of the clients of each). */
const SCHEME_PORTS: Readonly<Record<string, number | undefined>> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  grpc: undefined,
  grpcs: undefined,
  tcp: undefined,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  redis: 6379,
  rediss: 6379,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
  nats: 4222,
  kafka: undefined,
};

/** A URL: scheme (a driver after `+` dropped: postgresql+psycopg2), user info skipped, host, port, and the character after (a template's `$` or `{`). */
const URL = /\b([a-z][a-z0-9.-]*)(?:\+[a-z0-9]+)?:\/\/(?:[^\s/@'"]*@)?([A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d{1,5}))?(.?)/gi;

/** A host:port written without a scheme, after a word boundary of a command line or config (not an image's repo:tag, not an address). */
const HOST_PORT = /(?:^|[\s=,;"'([])([A-Za-z][A-Za-z0-9.-]*):(\d{1,5})(?![\w.:])/g;

/** What every HOST_PORT match holds. */
const DIGIT_AFTER_COLON = /:\d/;

/** An env variable whose value is a bare host: DB_HOST, REDIS_ADDR, MLFLOW_SERVER. */
const HOST_ENV = /HOST|ADDR|SERVER|ENDPOINT/i;
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

interface NamedHost {
  readonly host: string;
  readonly port?: number;
  /** The port is the scheme's default, none being written. */
  readonly implied?: true;
}

/** The hosts a text names by URL (of a network scheme) or host:port. */
function namedHosts(value: string): NamedHost[] {
  const out: NamedHost[] = [];
  // both forms hold a colon, a URL its `://`: most texts hold neither, and the patterns cost where they cannot match
  if (!value.includes(':')) return out;
  const rest = !value.includes('://')
    ? value
    : value.replace(URL, (_all, scheme: string, host: string, port: string | undefined, after: string) => {
        const s = scheme.toLowerCase();
        if (s in SCHEME_PORTS && !['$', '{', '('].includes(after))
          out.push({ host, port: port ? Number(port) : SCHEME_PORTS[s], ...(!port && SCHEME_PORTS[s] !== undefined ? { implied: true as const } : {}) });
        return ' ';
      });
  if (DIGIT_AFTER_COLON.test(rest)) for (const [, host, port] of rest.matchAll(HOST_PORT)) out.push({ host, port: Number(port) });
  return out;
}

/** The namespaces the tree knows, which tell `name.namespace` from a domain (service-hosts.ts). */
export function treeNamespaces(graph: ObjectGraph): ReadonlySet<string> {
  return graph.once('service-connections:namespaces', () => {
    const out = new Set<string>();
    for (const o of graph.objects) {
      const ns = graph.namespaceOf(o.manifest);
      if (ns) out.add(ns);
      if (o.manifest.kind === 'Namespace' && text(mapping(o.manifest.metadata).name)) out.add(String(o.manifest.metadata.name));
    }
    return out;
  });
}

/** The tree's Service of a name in exactly a namespace. */
function treeService(graph: ObjectGraph, name: unknown, ns: string | undefined): ServiceTarget | undefined {
  const object = graph.findAll('Service', name).find((s) => graph.namespaceOf(s.manifest) === ns);
  return object ? { shown: graph.id(object), namespace: ns, object } : undefined;
}

/**
 * The Services CloudNativePG makes for a Cluster: <cluster>-rw, -ro and -r on port 5432, targeting the instances'
 * postgresql port 5432, selecting pods labelled cnpg.io/cluster=<cluster> (cloudnative-pg docs "Service management";
 * pkg/specs/services.go; pkg/utils/labels_annotations.go ClusterLabelName); EDB Postgres for Kubernetes makes the same
 * Services, its pods labelled k8s.enterprisedb.io/cluster (EDB docs "Service management", "Labels and annotations").
 */
const CNPG_SUFFIXES = ['-rw', '-ro', '-r'];
const CNPG_CLUSTER_LABEL = 'cnpg.io/cluster';
const EDB_CLUSTER_LABEL = 'k8s.enterprisedb.io/cluster';
const CNPG_PORT: PodPort = { number: 5432, name: 'postgresql', protocol: 'TCP' };

function cnpgService(graph: ObjectGraph, name: string, ns: string | undefined): ServiceTarget | undefined {
  const cluster = graph
    .ofKind('Cluster')
    .filter((c) => isCnpgCluster(c.manifest) && graph.namespaceOf(c.manifest) === ns)
    .find((c) => CNPG_SUFFIXES.some((suffix) => `${text(mapping(c.manifest.metadata).name) ?? ''}${suffix}` === name));
  if (!cluster) return undefined;
  const clusterName = String(cluster.manifest.metadata.name);
  const edb = String(cluster.manifest.apiVersion).startsWith('postgresql.k8s.enterprisedb.io/');
  return {
    shown: `Service ${ns ?? '(unset)'}/${name} (made by ${edb ? 'EDB Postgres for Kubernetes' : 'CloudNativePG'} for ${graph.id(cluster)})`,
    namespace: ns,
    pods: { labels: { [edb ? EDB_CLUSTER_LABEL : CNPG_CLUSTER_LABEL]: clusterName }, open: true },
    podPort: CNPG_PORT,
  };
}

/** The chart release of the tree in the namespace whose Services the name is one of; none where values the check does not read may rename them. */
function chartService(graph: ObjectGraph, name: string, ns: string | undefined): ServiceTarget | undefined {
  if (ns === undefined) return undefined;
  const release = chartReleases(graph).find((r) => {
    if (r.namespace !== ns || r.valuesElsewhere) return false;
    const fullname = chartFullname(r, r.values, 63);
    return [fullname, r.release].some((n) => name === n || name.startsWith(`${n}-`));
  });
  if (!release) return undefined;
  return {
    shown: `Service ${ns}/${name} (not in the tree; chart ${release.chart}, release ${release.release} of ${graph.id(release.object)}, installs in that namespace)`,
    namespace: ns,
    release,
  };
}

/** The Service a host names from a namespace: of the tree, or of a chart release of the tree, in exactly the namespace the host resolves to. */
function serviceNamed(graph: ObjectGraph, host: string, own: string | undefined): ServiceTarget | undefined {
  const target = serviceOfHost(host, own, treeNamespaces(graph));
  if (!target) return undefined;
  return (
    treeService(graph, target.name, target.namespace) ?? cnpgService(graph, target.name, target.namespace) ?? chartService(graph, target.name, target.namespace)
  );
}

/** The connections of one text of the client: each host it names that is a Service of the tree. */
function textConnections(graph: ObjectGraph, own: string | undefined, where: string, value: string, env?: string): Connection[] {
  const hosts = namedHosts(value);
  // a bare host in an address variable (DB_HOST=postgres) reaches the Service on a port said elsewhere: any of its ports
  if (!hosts.length && env && HOST_ENV.test(env) && HOST_NAME.test(value.trim())) hosts.push({ host: value.trim() });
  return hosts.flatMap(({ host, port, implied }) => {
    const service = serviceNamed(graph, host, own);
    return service
      ? [
          {
            how: `${where} names ${port !== undefined ? `${host}:${port}` : host}`,
            service,
            ...(port !== undefined ? { servicePort: port } : {}),
            ...(implied ? { portImplied: implied } : {}),
          },
        ]
      : [];
  });
}

/** The values of the ConfigMaps of the client's namespace its pod reads (env, envFrom, volumes), each with where. */
function configTexts(graph: ObjectGraph, m: Loose, ns: string | undefined): { where: string; value: string; key: string }[] {
  return podReferences(m)
    .filter((r) => r.kind === 'ConfigMap')
    .flatMap((r) => {
      const map = graph.findAll('ConfigMap', r.name).find((c) => graph.namespaceOf(c.manifest) === ns);
      const data = mapping(map?.manifest.data);
      const keys = r.keys.some((k) => k === undefined) || !r.keys.length ? Object.keys(data) : (r.keys as string[]);
      return keys.flatMap((k) => stringsIn(data[k]).map((value) => ({ where: `ConfigMap ${r.name} key ${k} (${r.where})`, value, key: k })));
    });
}

/** The strings of a chart's values, each with its key (the last key above it) and its path. */
function valueTexts(v: unknown, path: string, key?: string): { where: string; value: string; key?: string }[] {
  if (typeof v === 'string') return [{ where: path, value: v, key }];
  if (Array.isArray(v)) return v.flatMap((x, i) => valueTexts(x, `${path}[${i}]`, key));
  if (!isMapping(v)) return [];
  // an env entry {name: X, value: Y}: the variable's name is the key
  const named = text(v.name);
  return Object.entries(v).flatMap(([k, x]) => valueTexts(x, `${path}.${k}`, k === 'value' && named ? named : k));
}

/** The Services a chart release's inline values name (an env entry, an endpoint or a host value); a release's own Services are not judged. */
export function chartConnections(graph: ObjectGraph, o: GraphObject): { release: ChartRelease; connections: Connection[] }[] {
  return chartReleases(graph)
    .filter((r) => r.object === o)
    .map((release) => ({
      release,
      connections: valueTexts(release.values, 'values')
        .flatMap((t) => textConnections(graph, release.namespace, `chart ${release.chart}'s ${t.where}`, t.value, t.key))
        // a release's own Services (of any copy of the release: alternatives of one tree) are the chart's to wire
        .filter((c) => !(c.service.release && c.service.release.release === release.release && c.service.release.namespace === release.namespace)),
    }));
}

/** The Services of the tree a workload's containers name (env values, command and args words) or the ConfigMaps its pod reads. */
export function workloadConnections(graph: ObjectGraph, o: GraphObject): Connection[] {
  const ns = graph.namespaceOf(o.manifest);
  const own = containersWithLines(o.manifest).flatMap(({ where, container }) =>
    // an allow-list the program compares requests with (CORS origins, redirect URIs) names no Service it calls
    containerTexts(container, where)
      .filter((t) => !allowListText(t))
      .flatMap((t) => textConnections(graph, ns, t.where, t.value, t.env)),
  );
  const config = configTexts(graph, o.manifest, ns).flatMap((t) => textConnections(graph, ns, t.where, t.value));
  return [...own, ...config];
}

/** A host that needs no name lookup: an IPv4 address, localhost, or the any-address a server binds to. */
const UNRESOLVED_HOST = /^(\d{1,3}(\.\d{1,3}){3}|localhost|0\.0\.0\.0)$/i;

/**
 * The host names a workload's containers name (env values, command and args words, as URLs, host:port, or a bare host
 * in an address variable) or the ConfigMaps its pod reads: what its programs look up in DNS, whichever Service or
 * outside server they are. Addresses (IPv4, localhost) and allow-lists (CORS origins, redirect URIs) are not.
 */
export function namedHostsOf(graph: ObjectGraph, o: GraphObject): { how: string; host: string }[] {
  const ns = graph.namespaceOf(o.manifest);
  const hostsOf = (where: string, value: string, env?: string) => {
    const hosts = namedHosts(value).map((h) => h.host);
    if (!hosts.length && env && HOST_ENV.test(env) && HOST_NAME.test(value.trim())) hosts.push(value.trim());
    return hosts.filter((h) => /[a-z]/i.test(h) && !UNRESOLVED_HOST.test(h)).map((host) => ({ how: `${where} names ${host}`, host }));
  };
  const own = containersWithLines(o.manifest).flatMap(({ where, container }) =>
    containerTexts(container, where)
      .filter((t) => !allowListText(t))
      .flatMap((t) => hostsOf(t.where, t.value, t.env)),
  );
  // a ConfigMap key read through envFrom is the variable's name: an allow-list there is no call either
  const config = configTexts(graph, o.manifest, ns).filter((t) => !isAllowListSetting(t.key, t.value));
  return [...own, ...config.flatMap((t) => hostsOf(t.where, t.value))];
}

/** The Services of the tree an InferenceService's storage initializer downloads from (its S3 endpoint or http storage URI). */
export function storageConnections(graph: ObjectGraph, o: GraphObject): Connection[] {
  const ns = graph.namespaceOf(o.manifest);
  return storageEndpointsOf(graph, o.manifest).flatMap((e) =>
    textConnections(graph, ns, `the storage initializer (${e.from})`, e.url).map((c) => ({ ...c, how: c.how.replace(' names ', ' downloads from ') })),
  );
}

/**
 * The Services a Route (spec.to, spec.alternateBackends[]; port.targetPort: a name is the Service port's, a number the
 * pod's, route.openshift.io/v1 RoutePort) or an Ingress (defaultBackend, rules[].http.paths[].backend.service: the
 * Service's port by name or number) sends traffic to.
 */
export function ingressConnections(graph: ObjectGraph, o: GraphObject): Connection[] {
  const ns = graph.namespaceOf(o.manifest);
  const spec = mapping(o.manifest.spec);
  const service = (name: unknown) => treeService(graph, name, ns);
  if (o.manifest.kind === 'Route') {
    const target = mapping(spec.port).targetPort;
    const port = typeof target === 'number' ? { podPort: target } : typeof target === 'string' ? { servicePort: target } : {};
    return [mapping(spec.to), ...mappings(spec.alternateBackends)]
      .filter((t) => (text(t.kind) ?? 'Service') === 'Service')
      .flatMap((t) => {
        const s = service(t.name);
        return s ? [{ how: `the Route sends the router's traffic to Service ${String(t.name)}`, service: s, ...port }] : [];
      });
  }
  const backends = [spec.defaultBackend, ...mappings(spec.rules).flatMap((r) => mappings(mapping(r.http).paths).map((p) => p.backend))];
  return backends.flatMap((b) => {
    const ref = mapping(mapping(b).service);
    const s = service(ref.name);
    const port = mapping(ref.port);
    const servicePort = typeof port.number === 'number' ? port.number : text(port.name);
    return s
      ? [
          {
            how: `the Ingress sends the ingress controller's traffic to Service ${String(ref.name)}`,
            service: s,
            ...(servicePort !== undefined ? { servicePort } : {}),
          },
        ]
      : [];
  });
}

/** Whether an Ingress is served by OpenShift's router: no class, or openshift-default (the default IngressClass of OpenShift's ingress operator). */
export function servedByRouter(m: Loose): boolean {
  const cls = text(mapping(m.spec).ingressClassName) ?? stringMap(mapping(m.metadata).annotations)[INGRESS_CLASS_ANNOTATION];
  return cls === undefined || cls === 'openshift-default';
}
