import { APP_NAME_LABEL } from '../k8s/keys';
import { isMapping, Loose, mapping, mappings, text } from './access';
import { enabledItems, printed, truthy, Unmodelled } from './app-template-containers';
import { allLabels, AppTemplateMajor, exposureName, NameContext, namesByIdentifierCount, selectorLabels } from './app-template-names';
import { portNumberByName, ServiceItem, servicePrimaryPort } from './app-template-services';

/**
 * The Ingresses, Gateway API routes and ServiceMonitors app-template renders from `ingress`, `route` and
 * `serviceMonitor` values, ported from the common library chart (bjw-s-labs/helm-charts charts/library/common
 * templates/classes/_ingress.tpl, _route.tpl, _serviceMonitor.tpl and lib/ingress, lib/routes, lib/serviceMonitor;
 * common 2.6.0, 3.7.3, 4.1.1 and 5.x), so that the rules judging those kinds judge what the chart makes: a backend
 * named by a Service name the release does not render, a monitor selecting no Service. Where the chart fails on the
 * values (an identifier of no enabled Service, a route whose Service cannot be detected) the release is not modelled.
 */

/** Where the objects go, and the chart version of their labels. */
export interface ExposureRelease {
  readonly namespace: string;
  readonly version?: string;
}

/** The route kinds lib/routes/_validate.tpl accepts. */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

/**
 * The API version of a route: the class picks the newest the cluster serves (Capabilities.APIVersions); releases that
 * set routes run where Gateway API v1 is served, the version Flux's helm-controller finds there.
 */
const ROUTE_API = 'gateway.networking.k8s.io/v1';

/** The metadata every such object carries: its name, the release's namespace, the chart's labels under its own. */
function metadata(r: ExposureRelease, c: NameContext, name: string, v: Loose): Loose {
  const labels = { ...allLabels(c, r.version), ...mapping(v.labels) };
  return { name, namespace: r.namespace, labels, ...(isMapping(v.annotations) && Object.keys(v.annotations).length ? { annotations: v.annotations } : {}) };
}

/** A Service of the release by identifier (lib/service/_getByIdentifier.tpl); the chart fails on one not enabled. */
function byIdentifier(list: readonly ServiceItem[], id: string, where: string): ServiceItem {
  const found = list.find((s) => s.id === id);
  if (!found) throw new Unmodelled(`${where} names the Service identifier '${id}', which the values do not enable, and the chart fails on it`);
  return found;
}

/**
 * A backend as 2.x and 3.x resolve it: the name is looked up as a Service identifier first (its rendered name and
 * primary port), else taken as the name of a Service of the cluster.
 */
function byNameOrIdentifier(list: readonly ServiceItem[], name: string, where: string): { name: string; service?: ServiceItem } {
  if (!name) throw new Unmodelled(`${where} names no Service, and the chart renders a backend without one`);
  const service = list.find((s) => s.id === name);
  return service ? { name: service.name, service } : { name };
}

/** A port written as a number stays; a port name is resolved among the Service's ports (lib/service/_getPortNumberByName.tpl). */
function resolvedPort(port: unknown, service: ServiceItem | undefined, where: string): unknown {
  if (typeof port !== 'string') return port;
  const number = portNumberByName(service, port);
  if (number === undefined) throw new Unmodelled(`${where} names the port '${port}', which no port of its Service has, and the chart fails on it`);
  return number;
}

/** 4.x and 5.x lib/*\/_autoDetectService.tpl: with exactly one enabled Service, a backend naming none is that Service. */
function onlyService(list: readonly ServiceItem[]): string | undefined {
  return list.length === 1 ? list[0].id : undefined;
}

/** One backendRef of a route rule (classes/_route.tpl), by major. */
function backendRef(c: NameContext, ns: string, list: readonly ServiceItem[], ref: Loose, where: string): Loose {
  let target: { name: string; service?: ServiceItem };
  if (!namesByIdentifierCount(c.major)) target = byNameOrIdentifier(list, text(ref.name) ?? '', where);
  else if (text(ref.name)) target = { name: text(ref.name)! };
  else {
    const id = text(ref.identifier) ?? onlyService(list);
    if (!id) throw new Unmodelled(`${where} names no Service and the release has ${list.length} Services, so the chart cannot detect one and fails`);
    const service = byIdentifier(list, id, where);
    target = { name: service.name, service };
  }
  const primary = target.service ? servicePrimaryPort(target.service)?.port : undefined;
  const port = truthy(ref.port) ? (c.major === 5 ? resolvedPort(ref.port, target.service, where) : ref.port) : primary;
  return {
    group: text(ref.group) ?? '',
    kind: text(ref.kind) ?? 'Service',
    name: target.name,
    namespace: text(ref.namespace) ?? ns,
    ...(port !== undefined && port !== null ? { port: printed(port) } : {}),
    weight: ref.weight === undefined || ref.weight === null ? 1 : ref.weight,
  };
}

/** lib/routes/_autoDetectService.tpl (4.x and 5.x): a route with no rules gets one whose single backend is the only Service. */
function routeRules(c: NameContext, v: Loose, list: readonly ServiceItem[]): Loose[] {
  const rules = mappings(v.rules);
  if (namesByIdentifierCount(c.major) && !rules.length && onlyService(list)) return [{ backendRefs: [{}] }];
  return rules;
}

/** classes/_route.tpl parentRefs: group and kind defaulted; name required, and before 5.x the namespace too. */
function parentRefs(major: AppTemplateMajor, v: Loose, where: string): Loose[] {
  return mappings(v.parentRefs).map((p) => {
    if (text(p.identifier)) throw new Unmodelled(`${where} names a parent by a ListenerSet identifier of the chart's own, which this check does not model`);
    if (!text(p.name) || (major < 5 && !text(p.namespace)))
      throw new Unmodelled(`${where} has a parentRef without name or namespace, and the chart fails on it`);
    return {
      group: text(p.group) ?? 'gateway.networking.k8s.io',
      kind: text(p.kind) ?? 'Gateway',
      name: p.name,
      ...(text(p.namespace) ? { namespace: p.namespace } : {}),
      ...(truthy(p.sectionName) ? { sectionName: String(p.sectionName) } : {}),
      ...(truthy(p.port) && major >= 4 ? { port: printed(p.port) } : {}),
    };
  });
}

/** One route (classes/_route.tpl): its kind, parents, hostnames and rules with their backends resolved. */
function routeObject(r: ExposureRelease, c: NameContext, list: readonly ServiceItem[], id: string, v: Loose, name: string): Loose {
  const kind = text(v.kind) ?? 'HTTPRoute';
  const where = `route.${id}`;
  if (!ROUTE_KINDS.includes(kind)) throw new Unmodelled(`${where} has kind ${kind}, which the chart refuses ("Not a valid route kind")`);
  const http = kind === 'HTTPRoute' || kind === 'GRPCRoute';
  const rules = routeRules(c, v, list).map((rule) => ({
    ...(truthy(rule.name) ? { name: rule.name } : {}),
    backendRefs: mappings(rule.backendRefs).map((ref) => backendRef(c, r.namespace, list, ref, where)),
    ...(http && truthy(rule.matches) ? { matches: rule.matches } : {}),
    ...(http && truthy(rule.filters) ? { filters: rule.filters } : {}),
    ...(kind === 'HTTPRoute' && truthy(rule.timeouts) ? { timeouts: rule.timeouts } : {}),
  }));
  const hostnames = kind !== 'TCPRoute' && kind !== 'UDPRoute' && truthy(v.hostnames) ? { hostnames: v.hostnames } : {};
  return {
    apiVersion: ROUTE_API,
    kind,
    metadata: metadata(r, c, name, v),
    spec: { parentRefs: parentRefs(c.major, v, where), ...hostnames, rules },
  };
}

/** render/_routes.tpl: each enabled route; the primary one (2.x: marked, else the first; 3.x: marked) keeps the fullname. */
function routes(r: ExposureRelease, c: NameContext, list: readonly ServiceItem[]): Loose[] {
  const enabled = enabledItems(c.values.route);
  const marked = enabled.find(([, v]) => v.primary === true)?.[0];
  const primary = c.major === 2 ? (marked ?? enabled[0]?.[0]) : marked;
  return enabled.map(([id, v]) => routeObject(r, c, list, id, v, exposureName(c, id, v, enabled.length, id === primary)));
}

/** The Service of an Ingress path (classes/_ingress.tpl): 2.x by name-or-identifier; 3.x and later a name, or an identifier (4.x and 5.x: detected when there is one Service). */
function ingressService(c: NameContext, list: readonly ServiceItem[], svc: Loose, where: string): { name: string; service?: ServiceItem } {
  if (c.major === 2) return byNameOrIdentifier(list, text(svc.name) ?? '', where);
  if (text(svc.name)) return { name: text(svc.name)! };
  const id = text(svc.identifier) ?? (namesByIdentifierCount(c.major) ? onlyService(list) : undefined);
  if (!id) throw new Unmodelled(`${where} names no Service, so the chart cannot detect one and fails`);
  const service = byIdentifier(list, id, where);
  return { name: service.name, service };
}

/** One path of an Ingress rule, its backend resolved (port: as written, a name resolved, else the Service's primary port, else 0). */
function ingressPath(c: NameContext, list: readonly ServiceItem[], p: Loose, where: string): Loose {
  const svc = mapping(p.service);
  const target = ingressService(c, list, svc, where);
  const lookup = c.major === 2 ? target.service : (target.service ?? list.find((s) => s.id === text(svc.identifier)));
  const number = truthy(svc.port) ? resolvedPort(svc.port, lookup, where) : target.service ? (servicePrimaryPort(target.service)?.port ?? 0) : 0;
  return { path: p.path, pathType: text(p.pathType) ?? 'Prefix', backend: { service: { name: target.name, port: { number: printed(number) } } } };
}

/** One Ingress (classes/_ingress.tpl): class, TLS, a default backend or the hosts' rules. */
function ingressObject(r: ExposureRelease, c: NameContext, list: readonly ServiceItem[], id: string, v: Loose, name: string): Loose {
  const where = `ingress.${id}`;
  const spec: Loose = {};
  if (truthy(v.className)) spec.ingressClassName = v.className;
  if (truthy(v.tls))
    spec.tls = mappings(v.tls).map((t) => ({ hosts: Array.isArray(t.hosts) ? t.hosts : [], ...(truthy(t.secretName) ? { secretName: t.secretName } : {}) }));
  if (truthy(v.defaultBackend)) spec.defaultBackend = v.defaultBackend;
  else
    spec.rules = mappings(v.hosts).map((h) => ({
      host: h.host,
      http: { paths: mappings(h.paths).map((p) => ingressPath(c, list, p, where)) },
    }));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: metadata(r, c, name, v), spec };
}

/** render/_ingresses.tpl: each enabled Ingress (2.x keeps `main` at the fullname). */
function ingresses(r: ExposureRelease, c: NameContext, list: readonly ServiceItem[]): Loose[] {
  const enabled = enabledItems(c.values.ingress);
  return enabled.map(([id, v]) => ingressObject(r, c, list, id, v, exposureName(c, id, v, enabled.length, c.major === 2 && id === 'main')));
}

/** The Service a ServiceMonitor selects (classes/_serviceMonitor.tpl): serviceName; from 4.x service.name or service.identifier, or the only Service; 2.x defaults to the fullname. */
function monitoredService(c: NameContext, list: readonly ServiceItem[], v: Loose, where: string, base: string): string {
  if (text(v.serviceName)) return text(v.serviceName)!;
  if (c.major === 2) return base;
  if (c.major === 3) throw new Unmodelled(`${where} sets neither serviceName nor a selector, and the chart fails on it`);
  const svc = mapping(v.service);
  if (text(svc.name)) return text(svc.name)!;
  const id = text(svc.identifier) ?? onlyService(list);
  if (!id) throw new Unmodelled(`${where} names no Service and the release has ${list.length} Services, so the chart cannot detect one and fails`);
  return byIdentifier(list, id, where).name;
}

/** One ServiceMonitor (classes/_serviceMonitor.tpl): its selector (written, else the Service's labels), endpoints as written. */
function monitorObject(r: ExposureRelease, c: NameContext, list: readonly ServiceItem[], id: string, v: Loose, name: string, base: string): Loose {
  const where = `serviceMonitor.${id}`;
  if (!truthy(v.endpoints)) throw new Unmodelled(`${where} has no endpoints, and the chart fails on it`);
  const selector = truthy(v.selector)
    ? v.selector
    : { matchLabels: { 'app.kubernetes.io/service': monitoredService(c, list, v, where, base), ...selectorLabels(c) } };
  // 5.x labels jobs by the chart's name label (common 5.0.0); 3.x and 4.x by the monitor's name; 2.x sets none
  const job = c.major === 5 ? { jobLabel: APP_NAME_LABEL } : c.major >= 3 ? { jobLabel: name } : {};
  const scope = c.major >= 3 ? { namespaceSelector: { matchNames: [r.namespace] } } : {};
  const spec = { ...job, ...scope, selector, endpoints: v.endpoints, ...(truthy(v.targetLabels) ? { targetLabels: v.targetLabels } : {}) };
  return { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: metadata(r, c, name, v), spec };
}

/** render/_serviceMonitors.tpl: each enabled ServiceMonitor (2.x keeps `main` at the fullname). */
function monitors(r: ExposureRelease, c: NameContext, list: readonly ServiceItem[], base: string): Loose[] {
  const enabled = enabledItems(c.values.serviceMonitor);
  return enabled.map(([id, v]) => monitorObject(r, c, list, id, v, exposureName(c, id, v, enabled.length, c.major === 2 && id === 'main'), base));
}

/** The release's Ingresses, routes and ServiceMonitors (loader/_generate.tpl renders them after the Services). */
export function exposureObjects(r: ExposureRelease, c: NameContext, list: readonly ServiceItem[], base: string): Loose[] {
  return [...ingresses(r, c, list), ...routes(r, c, list), ...monitors(r, c, list, base)];
}
