import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { REPOSITORY_PREMISE, repositoryObjectsOf, unlessRepositoryMakes } from '../found-elsewhere';
import { meantCandidate } from '../near-names';
import { containersWithLines } from '../written-containers';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';
import { makesServiceNamed, serviceExplained } from '../service-explained';
import { serviceOfHost } from '../service-hosts';
import { workloadConnections } from '../service-connections';
import { allowListText } from '../allow-lists';
import { knativeRefusal } from './knative-service-invalid';
import { unseenHedged, UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';
import { litellmApiBases } from '../litellm-config';
import { endsInPublicSuffix } from '../../k8s/public-suffixes';
import { collectorExporterEndpoints } from '../otel-collector';

/**
 * A URL's scheme and host (past any user:password@), and the character after the host (a `$` or `{` there means the
 * host is still a template): the web schemes, and those of the data stores and brokers pods reach by Service name
 * (redis, amqp, postgres, mysql, mongodb, nats URLs as their clients take them).
 */
const URL = /\b(https?|grpcs?|wss?|rediss?|amqps?|postgres(?:ql)?|mysql|mongodb|nats):\/\/(?:[^@/\s]*@)?([A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d+))?(.?)/g;

/** A URL's scheme, host and the port written after it (none where the scheme's default applies). */
interface Address {
  readonly scheme: string;
  readonly host: string;
  readonly port?: number;
}

/** The schemes whose connections TLS protects: a public endpoint's, not a Service's plain port, as a rule. */
const TLS_SCHEMES = new Set(['https', 'wss', 'grpcs', 'rediss', 'amqps']);

/** The web's default ports (RFC 9110 4.2.1, 4.2.2): written or not, a public endpoint's. */
const WEB_PORTS = new Set([80, 443]);

/**
 * Whether a two-label host (no .svc) may be the public name it reads as: its last label is a common public TLD and
 * no port but the web's is written. The pod's resolver (ndots 5) tries `<a>.<b>` with each search domain, then as
 * given, so where no Service `<a>` is in namespace `<b>` the public name answers: `https://opencode.ai/v1` in a tree
 * with a namespace `ai` reaches the public host. A port such as 8000 or 11434 is a Service's port, not a website's.
 */
function mayBePublic(a: Address): boolean {
  const labels = a.host.toLowerCase().replace(/\.$/, '').split('.');
  return labels.length === 2 && endsInPublicSuffix(a.host) && (a.port === undefined || WEB_PORTS.has(a.port));
}

/** A host written as in-cluster for sure: <service>.<namespace>.svc or .svc.cluster.local, or a pod's <pod>.<service>.<namespace>.svc[.cluster.local]. */
const SVC_HOST = /^(?:([a-z0-9-]+)\.)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?\.?$/;

/** The Services the tree defines, by namespace (for a near name), and the namespaces it knows (to tell `name.namespace` from a domain). */
interface Known {
  readonly services: Map<string | undefined, string[]>;
  readonly namespaces: Set<string>;
}

function knownServices(graph: ObjectGraph): Known {
  return graph.once('service-url-known', () => {
    const services = new Map<string | undefined, string[]>();
    const namespaces = new Set<string>();
    for (const o of graph.objects) {
      const name = text(mapping(o.manifest.metadata).name)?.toLowerCase();
      const ns = graph.namespaceOf(o.manifest);
      if (ns) namespaces.add(ns);
      if (o.manifest.kind === 'Namespace' && name) namespaces.add(name);
      if (name && o.manifest.kind === 'Service') services.set(ns, [...(services.get(ns) ?? []), name]);
    }
    return { services, namespaces };
  });
}

/**
 * The texts of a container where a URL names a peer: env values, command and args; not an allow-list the program
 * compares requests with (CORS origins, redirect URIs: allowListText), which names no peer it calls.
 */
function urlTexts(c: Loose): { field: string; value: string }[] {
  const words = (key: 'command' | 'args') => strings(c[key]).map((value, i, all) => ({ field: key, value, ...(i > 0 ? { previous: all[i - 1] } : {}) }));
  return [
    ...mappings(c.env).flatMap((e) =>
      typeof e.value === 'string' && typeof e.name === 'string' ? [{ field: `env ${e.name}`, value: e.value, env: e.name }] : [],
    ),
    ...words('command'),
    ...words('args'),
  ]
    .filter((t) => !allowListText(t))
    .map(({ field, value }) => ({ field, value }));
}

/**
 * The tree's Service a missing name most likely meant: one whose name it extends or shortens by a word
 * (`<model>-rhaiis` for `rhaiis`), or one a small edit away. Without one the URL may name a Service another install
 * provides (a monitoring stack, a sibling sample), so it is not judged.
 */
function nearest(name: string, names: readonly string[]): string | undefined {
  return (
    names.find((n) => name.endsWith(`-${n}`) || name.startsWith(`${n}-`) || n.startsWith(`${name}-`) || n.endsWith(`-${name}`)) ??
    meantCandidate(
      name,
      names.map((n) => ({ name: n })),
    )?.name
  );
}

/** The finding on a URL host of a container: a Service of a near name in that namespace (error), else a qualified host's miss (warning). */
function hostProblem(graph: ObjectGraph, own: string | undefined, at: string, address: Address): Problem | undefined {
  const { host } = address;
  // a public name over TLS with the web's port is meant as written; over plain http only a near Service's name says otherwise
  if (mayBePublic(address) && TLS_SCHEMES.has(address.scheme)) return undefined;
  const known = knownServices(graph);
  const target = serviceOfHost(host, own, known.namespaces);
  const names = target ? (known.services.get(target.namespace) ?? []) : [];
  // a near name only where the tree holds that namespace's Services, and no Service or operator's object of the tree explains the name
  const near = target && names.length && !serviceExplained(graph, target.name, target.namespace) ? nearest(target.name, names) : undefined;
  if (target && near) {
    const problem: Problem = {
      message:
        `${at}: the URL host '${host}' names Service '${target.name}'${target.namespace ? ` in namespace '${target.namespace}'` : ''}, which the tree does not define (it defines that namespace's Services): ` +
        `the name does not resolve and every request fails; did you mean '${near}'?`,
    };
    return unlessRepositoryMakes(graph, unseenHedged(graph, target.namespace ?? own, problem), 'Service', target.name, target.namespace ?? own);
  }
  return mayBePublic(address) ? undefined : qualifiedMiss(graph, at, `the URL host '${host}'`, host);
}

/**
 * A host written in-cluster for sure (<service>.<namespace>.svc[.cluster.local], a pod's name before it, or
 * <service>.<namespace> for a namespace of the tree) whose namespace the tree delivers objects into, while no Service of
 * that name is in the tree and no operator's object of it explains the name: a warning, since another install may
 * create the Service in that namespace.
 */
function qualifiedMiss(graph: ObjectGraph, at: string, what: string, host: string): Problem | undefined {
  const known = knownServices(graph);
  const h = host.toLowerCase();
  const svc = SVC_HOST.exec(h);
  const labels = h.split('.');
  const target = svc
    ? { name: svc[2], namespace: svc[3], pod: svc[1] }
    : labels.length === 2
      ? { name: labels[0], namespace: labels[1], pod: undefined }
      : undefined;
  if (target && !known.namespaces.has(target.namespace)) return namespaceElsewhere(graph, at, what, target);
  if (!target || serviceExplained(graph, target.name, target.namespace)) return undefined;
  // an object the tree gives no namespace lands where it is applied (kubectl -n, else the context's): that may be this one
  if (serviceExplained(graph, target.name, undefined)) return undefined;
  // an operator's object the repository deploys outside the checked folder (an InferenceService's <name>-predictor)
  if (repositoryObjectsOf(graph).some((r) => makesServiceNamed(r.manifest, r.name.toLowerCase(), target.name))) return undefined;
  const pod = target.pod ? ` (the address of pod '${target.pod}' through it)` : '';
  const problem: Problem = {
    severity: 'warning',
    message:
      `${at}: ${what} names Service '${target.name}' in namespace '${target.namespace}'${pod}, a namespace the tree delivers objects into, while the tree has no Service of that name: ` +
      `unless another install creates it there, the name does not resolve and every connection fails; point it at a Service the tree defines, or add the Service`,
  };
  return unlessRepositoryMakes(graph, unseenHedged(graph, target.namespace, problem), 'Service', target.name, target.namespace);
}

/** The namespaces Argo CD Applications of the tree (written or generated) deliver into: their destinations. */
function destinationNamespaces(graph: ObjectGraph): Set<string> {
  return graph.once('service-url-destinations', () => {
    const out = new Set<string>();
    for (const app of graph.ofKind('Application')) {
      const ns = text(mapping(mapping(app.manifest.spec).destination).namespace);
      if (ns) out.add(ns);
    }
    return out;
  });
}

/**
 * A qualified host whose namespace nothing of the tree creates or delivers into (no object there, no Namespace, no
 * Argo CD destination), while the tree defines a Service of that very name in other namespaces: most likely the
 * namespace is wrong (a Service resolves only as <name>.<its own namespace>). A warning: another install may make
 * the namespace and the Service; without a Service of that name in the tree, nothing is said.
 */
function namespaceElsewhere(graph: ObjectGraph, at: string, what: string, target: { name: string; namespace: string; pod?: string }): Problem | undefined {
  if (destinationNamespaces(graph).has(target.namespace) || serviceExplained(graph, target.name, target.namespace)) return undefined;
  const homes = [...knownServices(graph).services.entries()].filter(([ns, names]) => ns && names.includes(target.name)).map(([ns]) => ns!);
  if (!homes.length) return undefined;
  const where = homes.map((ns) => `'${ns}'`).join(', ');
  const problem: Problem = {
    severity: 'warning',
    message:
      `${at}: ${what} names Service '${target.name}' in namespace '${target.namespace}', which nothing of the tree creates or delivers into (no object, Namespace or Argo CD destination there), ` +
      `while the tree defines Service '${target.name}' in namespace${homes.length > 1 ? 's' : ''} ${where}: a Service resolves only in its own namespace, so unless another install creates '${target.name}' in '${target.namespace}', ` +
      `the name does not resolve and every connection fails; write ${target.name}.${homes[0]}.svc.cluster.local${homes.length > 1 ? ' (or another of those namespaces)' : ''}`,
  };
  return unlessRepositoryMakes(graph, unseenHedged(graph, target.namespace, problem), 'Service', target.name, target.namespace);
}

/** The URL hosts of a text that are not templates still (`http://${HOST}`, `{{ .host }}`). */
function urlAddresses(value: string): Address[] {
  return [...value.matchAll(URL)]
    .filter(([, , , , after]) => after !== '$' && after !== '{' && after !== '(')
    .map(([, scheme, host, port]) => ({ scheme: scheme.toLowerCase(), host, ...(port ? { port: Number(port) } : {}) }));
}

function urlHosts(value: string): string[] {
  return urlAddresses(value).map((a) => a.host);
}

/**
 * Open WebUI's Ollama address variables (open-webui backend/open_webui/config.py: OLLAMA_BASE_URLS, when set and not
 * empty, is the list of Ollama backends it calls, split on `;`; OLLAMA_BASE_URL is read only when it is not): the one
 * whose value is not read where a container sets both.
 */
const OLLAMA_SINGLE = 'OLLAMA_BASE_URL';
const OLLAMA_LIST = 'OLLAMA_BASE_URLS';

/** Whether a container sets Open WebUI's OLLAMA_BASE_URLS to something (a literal that is not empty, or a reference). */
function setsOllamaList(c: Loose): boolean {
  return mappings(c.env).some((e) => e.name === OLLAMA_LIST && ((typeof e.value === 'string' && e.value.trim() !== '') || e.valueFrom !== undefined));
}

/**
 * A missing Service in OLLAMA_BASE_URL of a container that sets OLLAMA_BASE_URLS too: Open WebUI calls the list and
 * never reads this variable, so no request fails on it; a warning that it is not read, in place of the finding.
 */
function unreadOllamaUrl(at: string, host: string): Problem {
  return {
    severity: 'warning',
    message:
      `${at}: the URL host '${host}' names no Service of the tree, but the container also sets ${OLLAMA_LIST}, which Open WebUI reads in its place whenever it is set: ` +
      `${OLLAMA_SINGLE} is not read, so no request goes to this address; remove ${OLLAMA_SINGLE}, or point it at a Service the tree defines should ${OLLAMA_LIST} be dropped`,
  };
}

function urlProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const own = graph.namespaceOf(o.manifest);
  return containersWithLines(o.manifest).flatMap(({ where, container }) =>
    urlTexts(container).flatMap(({ field, value }) =>
      urlAddresses(value).flatMap((address) => {
        const { host } = address;
        const p = hostProblem(graph, own, `${where} ${field}`, address);
        if (p && field === `env ${OLLAMA_SINGLE}` && setsOllamaList(container) && p.severity !== 'info') return [unreadOllamaUrl(`${where} ${field}`, host)];
        return p ?? [];
      }),
    ),
  );
}

/**
 * The data key Knative's ConfigMaps (and others built on knative.dev/pkg) keep their documented example under
 * (knative.dev/pkg configmap/example.go ExampleKey): text for the reader, which no component reads as settings.
 */
const EXAMPLE_KEY = '_example';

/**
 * A ConfigMap's data values that hold a qualified in-cluster URL host naming a Service the tree lacks (qualifiedMiss);
 * bare names are config of any kind, not judged. A LiteLLM proxy config's api_base is the URL the proxy calls for that
 * model (docs.litellm.ai/docs/proxy/configs, litellm_params.api_base), judged as a container's env URL is (hostProblem)
 * from the ConfigMap's namespace, where the proxy that mounts it runs.
 */
function configMapProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (o.manifest.kind !== 'ConfigMap' || o.manifest.apiVersion !== 'v1') return [];
  const own = graph.namespaceOf(o.manifest);
  return Object.entries(stringMap(o.manifest.data)).flatMap(([key, value]) => {
    if (key === EXAMPLE_KEY) return [];
    const bases = litellmApiBases(key, value);
    const called = bases.flatMap(({ field, url }) => urlAddresses(url).flatMap((a) => hostProblem(graph, own, `data.${key} ${field}`, a) ?? []));
    const judged = new Set(bases.flatMap(({ url }) => urlHosts(url)));
    const rest = urlAddresses(value).filter((a) => !judged.has(a.host) && !mayBePublic(a));
    return [...called, ...rest.flatMap(({ host }) => qualifiedMiss(graph, `data.${key}`, `the URL host '${host}'`, host) ?? [])];
  });
}

/**
 * The exporter endpoints of an OpenTelemetry Collector configuration (a ConfigMap's, an OpenTelemetryCollector's
 * spec.config) that name a Service of the cluster (qualifiedMiss): the otlp exporter takes `host:port` with no scheme,
 * which no URL reading sees. A ConfigMap's schemed endpoints are its URLs, judged with them.
 */
function collectorProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  return collectorExporterEndpoints(o)
    .filter((e) => o.manifest.kind !== 'ConfigMap' || !e.schemed)
    .flatMap((e) => qualifiedMiss(graph, e.field, `the exporter endpoint host '${e.host}'`, e.host) ?? []);
}

/** An Envoy Gateway Backend's FQDN endpoints (spec.endpoints[].fqdn.hostname) that name a Service of the cluster (qualifiedMiss). */
function backendProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (o.manifest.kind !== 'Backend' || apiGroupOf(o.manifest.apiVersion) !== 'gateway.envoyproxy.io') return [];
  return mappings(mapping(o.manifest.spec).endpoints).flatMap((e, i) => {
    const host = text(mapping(e.fqdn).hostname);
    return host ? (qualifiedMiss(graph, `spec.endpoints[${i}].fqdn.hostname`, `'${host}'`, host) ?? []) : [];
  });
}

/** The InferenceService components that carry a request logger (kserve pkg/apis/serving/v1beta1 component.go ComponentExtensionSpec.Logger). */
const LOGGING_COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;

/** What a logger URL that reaches nothing costs: KServe's agent sends each log from a queue, apart from the inference. */
const LOGGER_EFFECT = "every request and response log KServe's agent sends there as a CloudEvent fails (the agent logs the error; inference is still served)";

/**
 * The finding on an InferenceService's logger URL (spec.<component>.logger.url): a warning where it names a Knative
 * Service of the tree that Knative's webhook refuses, or a Service the tree does not define where it defines one of a
 * near name in that namespace (as for a container's URL). `default` is a namespace of every cluster.
 */
function loggerProblem(o: GraphObject, graph: ObjectGraph, component: string, url: string): Problem | undefined {
  const known = knownServices(graph);
  const own = graph.namespaceOf(o.manifest);
  // the URL's first host, unless a template still (urlHosts)
  const address = urlAddresses(url.match(URL)?.[0] ?? '')[0];
  const host = address && !(mayBePublic(address) && TLS_SCHEMES.has(address.scheme)) ? address.host : undefined;
  const target = host === undefined ? undefined : serviceOfHost(host, own, new Set([...known.namespaces, 'default']));
  if (!target) return undefined;
  const where = `spec.${component}.logger.url '${url}'`;
  const defined = graph.findAll('Service', target.name, target.namespace);
  if (defined.length) {
    const refused = defined.every((s) => knativeRefusal(s).length > 0);
    if (!refused) return undefined;
    return {
      severity: 'warning',
      message: `${where} names Knative Service '${target.name}', which Knative's webhook refuses (knative-service-invalid): the sink never exists and ${LOGGER_EFFECT}; fix that Service, or point the URL at a sink that runs`,
    };
  }
  const names = known.services.get(target.namespace) ?? (target.namespace === 'default' ? (known.services.get(undefined) ?? []) : []);
  // namespace-less objects land in `default` where applied without one
  const explained =
    serviceExplained(graph, target.name, target.namespace) || (target.namespace === 'default' && serviceExplained(graph, target.name, undefined));
  if (!names.length || explained) return undefined;
  const near = nearest(target.name, names);
  if (!near) return undefined;
  const problem: Problem = {
    severity: 'warning',
    message: `${where} names Service '${target.name}', which the tree does not define (it defines that namespace's Services): the name does not resolve and ${LOGGER_EFFECT}; did you mean '${near}'?`,
  };
  return unlessRepositoryMakes(graph, problem, 'Service', target.name, target.namespace ?? own);
}

function loggerProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (o.manifest.kind !== 'InferenceService') return [];
  const spec = mapping(o.manifest.spec);
  return LOGGING_COMPONENTS.flatMap((c) => {
    const url = text(mapping(mapping(spec[c]).logger).url);
    const problem = url ? loggerProblem(o, graph, c, url) : undefined;
    return problem ? [problem] : [];
  });
}

/**
 * The URLs (and host:port words) of a workload's containers and the ConfigMaps its pod reads that reach a Service of
 * the tree at a port it does not expose: the port written, else the scheme's (http:// is 80, https:// 443). A Service
 * with a cluster IP forwards only its own ports (kube-proxy programs a rule per Service port), so the connection is
 * refused; a headless Service (clusterIP None) resolves to the pods, whose ports it does not limit, and an ExternalName
 * one to another host: neither judged.
 */
function portProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const seen = new Set<string>();
  return workloadConnections(graph, o).flatMap((c): Problem[] => {
    const service = c.service.object;
    const port = c.servicePort;
    if (!service || service.manifest.kind !== 'Service' || typeof port !== 'number' || seen.has(c.how)) return [];
    const spec = mapping(service.manifest.spec);
    if (spec.clusterIP === 'None' || text(spec.type) === 'ExternalName') return [];
    const ports = mappings(spec.ports)
      .map((p) => p.port)
      .filter((p): p is number => typeof p === 'number');
    if (!ports.length || ports.includes(port)) return [];
    seen.add(c.how);
    const implied = c.portImplied ? ` (no port written: the scheme's default, ${port})` : '';
    return [
      {
        severity: 'warning',
        message:
          `${c.how}, which reaches ${graph.id(service)} at port ${port}${implied}, a port the Service does not expose (its ports: ${ports.join(', ')}): ` +
          `the Service forwards only its own ports, so the connection is refused; write the Service's port in the URL (:${ports[0]}${ports.length > 1 ? ', or another of its ports' : ''}), or add port ${port} to the Service`,
      },
    ];
  });
}

export const serviceUrlNotFound: Rule = {
  id: 'service-url-not-found',
  title:
    "a container's env or args, a ConfigMap's data, an Envoy Gateway Backend's FQDN or an InferenceService's logger URL names an in-cluster Service the tree does not define (or a Knative Service Knative refuses), or a port the Service does not expose",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "the host of an http(s)/grpc/ws/redis/amqp/postgres/mysql/mongodb/nats URL (past any user:password@) in a container's env value, command or args (not a setting that lists addresses the program compares requests with: CORS or allowed origins, allowed hosts, redirect or callback URIs, lib/check/allow-lists.ts) is an in-cluster Service name (a bare name, name.<namespace> for a namespace the tree knows, name.<namespace>.svc or .svc.cluster.local), not a template, and the tree defines Services in that namespace, none of that name there, and one whose name the host extends or shortens by a hyphenated word or a small edit (without such a near name the URL may name a Service another install provides); names an operator derives from an object of the tree in that namespace (an InferenceService's own name and its components' <name>-predictor, -transformer, -explainer, a named predictor's <name>-<predictor>-predictor, their Knative revisions and a multi-node predictor's <name>-head-<generation> and -workers-<generation>, a RayCluster's <name>-head-svc, a ModelRegistry's <name> and <name>-postgres where it deploys the database, a Feast FeatureStore's feast-<name>-online, feast-<name>-registry (unless its registry is remote) and feast-<name>-offline and feast-<name>-ui where its spec.services asks for them, a Gateway's <gateway>-<class>, any other custom resource's <name> and <name>-… but an OpenShift Route's, an Argo Rollout's, a DeploymentConfig's, Istio's or prometheus-operator's configuration's, Kueue's queues' and an InferencePool's, which make none; an object of another namespace explains nothing, as a name resolves only to a Service of its own namespace) and headless pod names (pod.service) are not judged, nor are localhost and kubernetes in default (the API server's Service); a two-label host whose last label is a common public TLD (ai, io, com, dev, app, …: lib/k8s/public-suffixes.ts) with no port but 80 or 443 may be the public name it reads as (the resolver tries the search path, then the name as given, so a missing Service falls through to public DNS): over TLS (https, wss, grpcs) it is not judged, over plain http only a near name of that namespace's Services (an error) says it meant a Service. An InferenceService's logger URL (spec.predictor, transformer or explainer .logger.url) is judged the same way, a warning since only the logs are lost, and also where it names a Knative Service of the tree that Knative's webhook refuses (knative-service-invalid); `default` counts as a namespace (every cluster has it), and namespace-less objects as in it; " +
    "a host written in-cluster for sure (<service>.<namespace>.svc or .svc.cluster.local, a pod's <pod>.<service>.<namespace>.svc, or <service>.<namespace> for a namespace of the tree) in a container's URL, a v1 ConfigMap's data value's URL (not the `_example` key, the documentation Knative's ConfigMaps carry) or an Envoy Gateway Backend's spec.endpoints[].fqdn.hostname, " +
    "whose namespace the tree delivers objects into (or creates) while no Service of that name is in that namespace of the tree and no operator's object there, of the tree without a namespace (applied with -n, it may land there) or of the repository outside the checked folder explains it, is a warning without a near name (another install may create the Service there); " +
    "such a host whose namespace nothing of the tree creates or delivers into (no object there, no Namespace, no Argo CD Application's destination) while the tree defines a Service of that very name in other namespaces is a warning naming them (a Service resolves only in its own namespace; another install may still make that namespace and Service); " +
    "a URL (or host:port) of a workload's containers or of the ConfigMaps its pod reads that names a Service of the tree with a cluster IP (not headless, not ExternalName) at a port that Service does not list in spec.ports (the port written, else the scheme's default: 80 for http://, 443 for https://) is a warning: the Service forwards only its own ports and the connection is refused" +
    REPOSITORY_PREMISE +
    UNSEEN_INSTALLS_PREMISE +
    "; an OpenTelemetry Collector configuration (a ConfigMap data value, or an OpenTelemetryCollector's spec.config, whose top level holds exporters beside receivers or service) has each exporter's endpoint judged as a ConfigMap's qualified hosts are, the scheme-less host:port of the otlp exporter included (a value left to ${env:…} is not read)" +
    "; a LiteLLM proxy config in a ConfigMap (a YAML key whose model_list entries carry litellm_params) is read as a configuration file: each api_base is judged as a container's env URL is, from the ConfigMap's namespace (a near name of that namespace's Services an error, a qualified host the namespace lacks a warning), and its other URLs as any ConfigMap value's; OLLAMA_BASE_URL in a container that also sets OLLAMA_BASE_URLS (not empty) is not read by Open WebUI, which calls the list whenever it is set: a warning saying so, in place of the finding",
  example: 'a Job with `value: "http://granite-vllm:8000/v1"` in a namespace whose only Service is `name: granite`',
  fix: 'point the URL at a Service the tree defines (the message suggests the nearest name), or add the Service it names',
  source:
    "Kubernetes DNS for Services and Pods (kubernetes.io/docs/concepts/services-networking/dns-pod-service): a Service resolves as <service>, <service>.<namespace> and <service>.<namespace>.svc.cluster.local from the pods' search path; a name no Service has does not resolve (NXDOMAIN), so the client fails to connect; a name of fewer dots than ndots (5 in a pod's resolv.conf) is tried with each search domain, then as given (resolv.conf(5) ndots; kubernetes pkg/kubelet/network/dns/dns.go), so a two-label name ending in a public TLD reaches the public host where no Service has it (IANA Root Zone Database, data.iana.org/TLD/tlds-alpha-by-domain.txt); kserve pkg/apis/serving/v1beta1 component.go LoggerSpec (url: where the agent sends the logs) and pkg/logger/worker.go sendCloudEvent (each log sent from a work queue, its error only logged); envoyproxy/gateway api/v1alpha1 backend_types.go FQDNEndpoint (the hostname Envoy resolves by DNS to reach the backend); knative.dev/pkg configmap/example.go (ExampleKey _example: documentation, not read as settings); a Service's virtual IP answers only on its spec.ports (kubernetes.io/docs/reference/networking/virtual-ips: kube-proxy programs one rule per Service port); RFC 9110 4.2.1 and 4.2.2 (http's default port 80, https's 443)" +
    "; opentelemetry-collector docs (configuration: exporters.<name>.endpoint; the otlp exporter's endpoint is host:port for gRPC, configgrpc ClientConfig.Endpoint; otlphttp, prometheusremotewrite and loki take a URL, confighttp ClientConfig.Endpoint)" +
    '; LiteLLM proxy docs (docs.litellm.ai/docs/proxy/configs: model_list[].litellm_params.api_base, the URL the proxy calls for that model); open-webui backend/open_webui/config.py (OLLAMA_BASE_URLS, when not empty, replaces OLLAMA_BASE_URL and is split on ";"); feast-dev/feast infra/feast-operator/internal/controller/services services.go GetFeastServiceName (feast-<name>-<online|registry|offline|ui>) and util.go ApplyDefaultsToStatus (which services a FeatureStore gets by default)',
  check(o, { graph }) {
    return [
      ...urlProblems(o, graph),
      ...portProblems(o, graph),
      ...loggerProblems(o, graph),
      ...configMapProblems(o, graph),
      ...collectorProblems(o, graph),
      ...backendProblems(o, graph),
    ];
  },
};
