import { isMapping, Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/**
 * An address a Service's cluster IP may be: a private IPv4 address (RFC 1918), where every distribution's default
 * service range lies (kubeadm 10.96.0.0/12, OpenShift 172.30.0.0/16, EKS 10.100.0.0/16 or 172.20.0.0/16, AKS 10.0.0.0/16).
 */
const PRIVATE_IPV4 = /^(10\.\d{1,3}|172\.(1[6-9]|2\d|3[01])|192\.168)\.\d{1,3}\.\d{1,3}$/;
/** `IP:port`, bare or in a URL, in a word of a command line or an env value. */
const ADDRESS_IN_TEXT = /(?:^|[/@=\s"'])((?:\d{1,3}\.){3}\d{1,3}):(\d{1,5})(?=$|[/\s"'?#,])/g;

/** A literal address written for an upstream, with the name it is written under (an Envoy cluster, a flag, a variable). */
interface Literal {
  readonly where: string;
  readonly name: string;
  readonly ip: string;
  readonly port: number;
}

const tokens = (name: string) =>
  name
    .toLowerCase()
    .split(/[-_.|:]+/)
    .filter(Boolean);

/** Whether a name holds a Service's name as a run of its words (`vllm_service_cluster` holds `vllm-service`). */
function names(name: string, service: string): boolean {
  const have = tokens(name);
  const want = tokens(service);
  return want.length > 0 && have.some((_, i) => want.every((w, j) => have[i + j] === w));
}

/** The socket addresses of an Envoy cluster's endpoints (v3 load_assignment, v2 hosts). */
function clusterAddresses(cluster: Loose): { ip: string; port: number }[] {
  const sockets = [
    ...mappings(mapping(cluster.load_assignment).endpoints)
      .flatMap((e) => mappings(e.lb_endpoints))
      .map((l) => mapping(mapping(mapping(l.endpoint).address).socket_address)),
    ...mappings(cluster.hosts).map((h) => mapping(h.socket_address)),
  ];
  return sockets.flatMap((s) => {
    const ip = text(s.address);
    const port = typeof s.port_value === 'number' ? s.port_value : Number(s.port_value);
    return ip && PRIVATE_IPV4.test(ip) && Number.isInteger(port) ? [{ ip, port }] : [];
  });
}

/** The literal upstream addresses of the Envoy configurations a ConfigMap holds (a key whose YAML or JSON has static_resources.clusters). */
function envoyLiterals(cm: GraphObject): Literal[] {
  return Object.entries(mapping(cm.manifest.data)).flatMap(([key, value]) => {
    if (typeof value !== 'string' || !/socket_address/.test(value)) return [];
    const parsed = parseOne(value);
    const root = 'value' in parsed && isMapping(parsed.value) ? parsed.value : undefined;
    const clusters = mappings(mapping(root?.static_resources).clusters ?? root?.clusters);
    return clusters.flatMap((c) => {
      const name = text(c.name) ?? text(mapping(c.load_assignment).cluster_name) ?? '';
      return clusterAddresses(c).map((a) => ({ where: `key ${key}: Envoy cluster '${name}'`, name, ...a }));
    });
  });
}

/** The literal addresses of a workload's containers: in an env value (named by the variable) or a flag's value (named by the flag). */
function containerLiterals(m: Loose): Literal[] {
  return containersOf(m).flatMap(({ name: container, container: c }) => {
    const lead = `container '${container}'`;
    const found = (value: string, name: string, where: string): Literal[] =>
      [...value.matchAll(ADDRESS_IN_TEXT)].filter((x) => PRIVATE_IPV4.test(x[1])).map((x) => ({ where, name, ip: x[1], port: Number(x[2]) }));
    const env = mappings(c.env).flatMap((e) =>
      typeof e.value === 'string' && text(e.name) ? found(e.value, text(e.name)!, `${lead} env ${text(e.name)}`) : [],
    );
    const words = [...strings(c.command), ...strings(c.args)];
    const args = words.flatMap((w, i) => {
      const flag = /^--?([\w.-]+)=/.exec(w)?.[1] ?? (/^--?[\w.-]+$/.test(words[i - 1] ?? '') ? words[i - 1].replace(/^-+/, '') : undefined);
      return flag ? found(w, flag, `${lead} flag --${flag}`) : [];
    });
    return [...env, ...args];
  });
}

/** The Service of the namespace a literal is written for: the one its name names, with the literal's port among its ports (none where several fit). */
function serviceOf(graph: ObjectGraph, ns: string | undefined, l: Literal): GraphObject | undefined {
  const fits = graph
    .ofKind('Service')
    .filter((s) => s.manifest.apiVersion === 'v1' && graph.namespaceOf(s.manifest) === ns)
    .filter((s) => names(l.name, text(mapping(s.manifest.metadata).name) ?? '') && mappings(mapping(s.manifest.spec).ports).some((p) => p.port === l.port));
  return fits.length === 1 ? fits[0] : undefined;
}

function problemOf(graph: ObjectGraph, l: Literal, service: GraphObject): Problem | undefined {
  const spec = mapping(service.manifest.spec);
  const pinned = text(spec.clusterIP);
  const svc = text(mapping(service.manifest.metadata).name) ?? '';
  const ns = graph.namespaceOf(service.manifest);
  const dns = `${svc}.${ns ?? '<namespace>'}.svc.cluster.local`;
  const lead = `${l.where} sends to ${l.ip}:${l.port}, a literal address for ${graph.id(service)} (port ${l.port})`;
  const fix = `name the Service instead (${dns}:${l.port}; for Envoy a STRICT_DNS cluster with that address)`;
  if (pinned === l.ip) return undefined;
  if (pinned === 'None')
    return {
      message: `${lead}, which is headless (clusterIP: None): the address is a pod's, which changes each time the pod is re-created, and then nothing answers there; ${fix}`,
    };
  if (pinned && pinned !== '')
    return {
      message: `${lead}, but the Service pins spec.clusterIP: ${pinned}, so ${l.ip} is not its address and the connections reach something else (an address outside the cluster, or nothing); ${fix}, or write ${pinned}`,
    };
  return {
    message:
      `${lead}, which does not pin spec.clusterIP: the API server allocates its cluster IP from the service range when the Service is created, so a re-created Service (a new cluster, ` +
      `a delete and apply, a restore) gets another address and ${l.ip} reaches nothing, or another Service; ${fix}, or pin spec.clusterIP: ${l.ip} in the Service (an address of the cluster's service range)`,
  };
}

export const serviceAddressLiteral: Rule = {
  id: 'service-address-literal',
  title:
    "an Envoy bootstrap ConfigMap or a container's flag or env value sends to a literal cluster IP meant for a Service of the tree that does not pin spec.clusterIP: the address changes when the Service is re-created",
  severity: 'warning',
  appliesTo: ['ConfigMap', ...WORKLOAD_KINDS],
  premise:
    "a private IPv4 address with a port (RFC 1918, where the service ranges of Kubernetes distributions lie) written as an upstream: an endpoint socket_address of a cluster of an Envoy configuration a ConfigMap key holds (static_resources.clusters, load_assignment or v2 hosts), or host:port, bare or in a URL, in a container's env value or a flag's value; and exactly one Service of the same namespace that it names (the cluster's, the variable's or the flag's name holds the Service's name as a run of words: `vllm_cluster`, `VLLM_SERVICE_URL`, `--vllm-endpoint`) with that port: where the Service does not pin spec.clusterIP, is headless (the address is then a pod's) or pins another address; silent where a Service of the tree pins this one, or where no Service, or several, fit; a warning, as a private address may also be a machine outside the cluster that the name shares",
  example:
    'an Envoy cluster `name: granite` with `address: 10.96.41.7` and `port_value: 8000` in a ConfigMap, beside Service `granite` (port 8000) without a clusterIP',
  fix: "address the Service by name (<service>.<namespace>.svc.cluster.local; for Envoy a STRICT_DNS or LOGICAL_DNS cluster), or pin the address in the Service's spec.clusterIP",
  source:
    'Kubernetes docs, Service "Choosing your own IP address" and "Virtual IPs and Service Proxies" (IP address allocation: the control plane assigns each Service a cluster IP from its service-cluster-ip-range unless spec.clusterIP is set; the address is released when the Service is deleted; a headless Service has none and its DNS names the pods); Envoy docs, cluster discovery types (STATIC clusters use the addresses as written; STRICT_DNS resolves a name)',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    const literals = o.manifest.kind === 'ConfigMap' ? envoyLiterals(o) : containerLiterals(o.manifest);
    const seen = new Set<string>();
    return literals.flatMap((l) => {
      // an address a Service of the tree pins is that Service's, whatever the name says
      if (graph.ofKind('Service').some((s) => text(mapping(s.manifest.spec).clusterIP) === l.ip)) return [];
      const service = serviceOf(graph, ns, l);
      const key = `${l.where}|${l.ip}|${l.port}`;
      if (!service || seen.has(key)) return [];
      seen.add(key);
      return problemOf(graph, l, service) ?? [];
    });
  },
};
