import { isMapping, Loose, mapping, text } from './access';
import { imageMissing } from './app-template-defaults';
import type { AppTemplateMajor } from './app-template-names';

/**
 * The containers of an app-template controller's pod, ported from the common library chart (bjw-s-labs/helm-charts
 * charts/library/common/templates/lib/container/**, 3.x and 4.x alike where not said). A value the port does not
 * model throws Unmodelled: the release stays a note instead of a render on a guess.
 */
export class Unmodelled extends Error {}

/**
 * A value as the chart prints it as text into YAML (`port: {{ $port.port }}` in classes/_service.tpl, the backendRef
 * and parentRef port of classes/_route.tpl, the Ingress backend number of classes/_ingress.tpl) and Helm parses the
 * output again: a string of digits (`"8080"` in the values) is read back as the integer. Fields the chart copies with
 * toYaml (probes, a container's ports list) keep the string and are not passed through this.
 */
export function printed(v: unknown): unknown {
  return typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : v;
}

/** A Go template value's truth (`if $x`): false, 0, "", nil and empty collections are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return isMapping(v) ? Object.keys(v).length > 0 : true;
}

/** The enabled entries of a map of items, in Go's key order (`enabled` defaults to true: lib/controller/_enabled_controllers.tpl and the like). */
export function enabledItems(items: unknown): [string, Loose][] {
  return Object.entries(mapping(items))
    .filter((e): e is [string, Loose] => isMapping(e[1]) && (!('enabled' in e[1]) || truthy(e[1].enabled)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** lib/chart/_kahn.tpl: a topological order of `dependsOn`, the first ready key (in key order) first. */
export function kahnOrder(graph: Record<string, string[]>): string[] {
  const left = new Map(Object.entries(graph).map(([k, v]) => [k, [...v]]));
  const out: string[] = [];
  while (left.size) {
    const ready = [...left.keys()].sort().find((k) => left.get(k)!.length === 0);
    if (ready === undefined) throw new Unmodelled('its dependsOn graph is cyclic, which the chart refuses');
    left.delete(ready);
    for (const [k, v] of left)
      left.set(
        k,
        v.filter((d) => d !== ready),
      );
    out.push(ready);
  }
  return out;
}

const dependsOn = (v: unknown): string[] => {
  const d = mapping(v).dependsOn;
  return typeof d === 'string' && d ? [d] : Array.isArray(d) ? d.map(String) : [];
};

/** lib/container/fields/_env.tpl: a list as written; a map in dependsOn order, a map value merged (without dependsOn); scalars as strings. */
export function containerEnv(env: unknown): Loose[] {
  if (!truthy(env)) return [];
  const items: Loose[] = Array.isArray(env)
    ? env.map((e) => mapping(e))
    : kahnOrder(Object.fromEntries(Object.entries(mapping(env)).map(([k, v]) => [k, isMapping(v) ? dependsOn(v) : []]))).map((name) => {
        const v = mapping(env)[name];
        if (!isMapping(v)) return { name, value: v };
        const { dependsOn: _omitted, ...rest } = v;
        return { ...rest, name };
      });
  return items.map((e) => {
    if (!text(e.name)) throw new Unmodelled('an env item has no name, which the chart refuses');
    if ('value' in e) return { name: e.name, value: typeof e.value === 'number' || typeof e.value === 'boolean' ? String(e.value) : e.value };
    if ('valueFrom' in e) return { name: e.name, valueFrom: e.valueFrom };
    const { name: _n, ...from } = e;
    return { name: e.name, valueFrom: from };
  });
}

/** lib/container/fields/_envFrom.tpl: configMap/secret (a name here: the release makes no ConfigMap or Secret the port follows), or configMapRef/secretRef by name. */
export function containerEnvFrom(envFrom: unknown): Loose[] {
  if (!Array.isArray(envFrom)) return [];
  return envFrom.flatMap((raw) => {
    const e = mapping(raw);
    const ref = (kind: 'configMap' | 'secret'): Loose | undefined => {
      if (kind in e) return { name: String(e[kind]) };
      const r = mapping(e[`${kind}Ref`]);
      if (!(`${kind}Ref` in e)) return undefined;
      if (truthy(r.identifier)) throw new Unmodelled(`an envFrom ${kind}Ref names an identifier of the chart's own ${kind}s`);
      return { name: r.name };
    };
    const cm = ref('configMap');
    const secret = cm ? undefined : ref('secret');
    const item: Loose = cm ? { configMapRef: cm } : secret ? { secretRef: secret } : {};
    if (truthy(e.prefix)) item.prefix = e.prefix;
    return Object.keys(item).length ? [item] : [];
  });
}

/** The port a controller's probes default to: its primary Service's primary port (lib/service/_primaryForController.tpl, _primary_port.tpl). */
export interface PrimaryPort {
  readonly port: unknown;
  readonly targetPort?: unknown;
  readonly protocol?: string;
}

/** lib/container/fields/_probes.tpl: enabled probes, custom ones as written, the others built on the primary port. */
export function containerProbes(probes: unknown, primary: PrimaryPort | undefined): Loose {
  const out: Loose = {};
  for (const [name, raw] of Object.entries(mapping(probes))) {
    const p = mapping(raw);
    if (!truthy(p.enabled)) continue;
    if (truthy(p.custom)) {
      out[`${name}Probe`] = mapping(p.spec);
      continue;
    }
    if (!primary) continue;
    const spec = mapping(p.spec);
    const type = text(p.type) === 'AUTO' ? (primary.protocol ?? 'TCP') : (text(p.type) ?? 'TCP');
    const keep = (v: unknown, d: number) => (v === undefined || v === null ? d : v);
    const handler: Loose =
      type === 'HTTP' || type === 'HTTPS' ? { path: p.path, scheme: type } : type === 'GRPC' ? (p.service ? { service: p.service } : {}) : {};
    handler.port = truthy(p.port) ? p.port : truthy(primary.targetPort) ? primary.targetPort : Number(primary.port);
    const header = type === 'HTTP' || type === 'HTTPS' ? 'httpGet' : type === 'GRPC' ? 'grpc' : 'tcpSocket';
    out[`${name}Probe`] = {
      initialDelaySeconds: keep(spec.initialDelaySeconds, 0),
      failureThreshold: keep(spec.failureThreshold, 3),
      timeoutSeconds: keep(spec.timeoutSeconds, 1),
      periodSeconds: keep(spec.periodSeconds, 10),
      [header]: handler,
    };
  }
  return out;
}

/** The persistence items as the volumeMounts template sees them (lib/container/fields/_volumeMounts.tpl). */
function mountItems(persistence: unknown, controller: Loose): [string, Loose][] {
  const items = enabledItems(persistence);
  const claims = mapping(controller.statefulset).volumeClaimTemplates;
  if (!Array.isArray(claims) || !claims.length) return items;
  const fromClaims = claims
    .map((c) => mapping(c))
    .filter((c) => !('enabled' in c) || truthy(c.enabled))
    .map((c): [string, Loose] => [
      String(c.name),
      { globalMounts: c.globalMounts, ...(truthy(c.advancedMounts) ? { advancedMounts: { [String(controller.identifier)]: c.advancedMounts } } : {}) },
    ]);
  const merged = new Map([...items, ...fromClaims]);
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** lib/container/fields/_volumeMounts.tpl: each item at `/<id>` (hostPath at its path) unless its globalMounts/advancedMounts say where. */
export function containerMounts(persistence: unknown, controller: Loose, container: string): Loose[] {
  const id = String(controller.identifier);
  return mountItems(persistence, controller).flatMap(([name, p]) => {
    let mountPath = text(p.type) === 'hostPath' ? text(p.hostPath) : `/${name}`;
    if (!truthy(p.globalMounts) && !truthy(p.advancedMounts)) return [{ name, mountPath }];
    const global = 'globalMounts' in p && Array.isArray(p.globalMounts) ? p.globalMounts : [];
    const advanced = mapping(mapping(p.advancedMounts)[id])[container];
    const mounts = [...global, ...(Array.isArray(advanced) ? advanced : [])].map((m) => mapping(m));
    return mounts.map((m) => {
      // the template keeps the last mount's path for the next one that sets none (its $mountPath is reassigned)
      if (truthy(m.path)) mountPath = text(m.path);
      const mount: Loose = { name, mountPath };
      for (const k of ['subPath', 'subPathExpr', 'readOnly', 'mountPropagation']) if (truthy(m[k])) mount[k] = m[k];
      return mount;
    });
  });
}

/** lib/container/_valuesToObject.tpl: the controller's defaultContainerOptions laid under the container's values (overwrite: per key; merge: deep). */
function withDefaults(values: Loose, controller: Loose, init: boolean): Loose {
  const defaults = mapping(controller.defaultContainerOptions);
  if (init && 'applyDefaultContainerOptionsToInitContainers' in controller && controller.applyDefaultContainerOptionsToInitContainers !== true) return values;
  const strategy = text(controller.defaultContainerOptionsStrategy) ?? 'overwrite';
  const out: Loose = { ...values };
  if (strategy === 'merge') return deepUnder(values, defaults);
  for (const [k, d] of Object.entries(defaults)) out[k] = truthy(values[k]) ? values[k] : d;
  return out;
}

/** sprig merge: the destination's keys win, maps merged deeply. */
export function deepUnder(dst: Loose, src: Loose): Loose {
  const out: Loose = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    if (!(k in out) || out[k] === null || out[k] === undefined) out[k] = v;
    else if (isMapping(out[k]) && isMapping(v)) out[k] = deepUnder(out[k], v);
  }
  return out;
}

/** What a container's spec is made from besides its values. */
export interface ContainerContext {
  readonly controller: Loose;
  readonly persistence: unknown;
  readonly primary: PrimaryPort | undefined;
  readonly major: AppTemplateMajor;
}

/** lib/container/_spec.tpl: one container of the pod. */
export function containerSpec(id: string, raw: Loose, ctx: ContainerContext, init: boolean): Loose {
  const v = withDefaults(raw, ctx.controller, init);
  const missing = ctx.major === 2 ? imageMissing(v) : undefined;
  if (missing) throw new Unmodelled(`container ${id} of controller ${String(ctx.controller.identifier)} has ${missing}, and the 2.x chart fails on it`);
  const image = mapping(v.image);
  const c: Loose = { name: truthy(v.nameOverride) ? v.nameOverride : id };
  const tag = typeof image.tag === 'number' ? String(image.tag) : image.tag;
  if (truthy(image.repository) && truthy(tag)) c.image = `${String(image.repository)}:${String(tag)}`;
  if (truthy(image.pullPolicy)) c.imagePullPolicy = image.pullPolicy;
  for (const k of ['command', 'args']) if (truthy(v[k])) c[k] = typeof v[k] === 'string' ? [v[k]] : v[k];
  for (const k of ['workingDir', 'securityContext', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy']) if (truthy(v[k])) c[k] = v[k];
  const env = containerEnv(v.env);
  if (env.length) c.env = env;
  const envFrom = containerEnvFrom(v.envFrom);
  if (envFrom.length) c.envFrom = envFrom;
  if (truthy(v.ports)) c.ports = v.ports;
  Object.assign(c, containerProbes(v.probes, ctx.primary));
  for (const k of ['resources', 'restartPolicy', 'stdin', 'tty']) if (truthy(v[k])) c[k] = v[k];
  const mounts = containerMounts(ctx.persistence, ctx.controller, id);
  if (mounts.length) c.volumeMounts = mounts;
  return c;
}

/** lib/pod/fields/_containers.tpl (and _initContainers.tpl): the enabled containers in dependsOn order. */
export function podContainers(containers: unknown, ctx: ContainerContext, init: boolean): Loose[] {
  const enabled = enabledItems(containers);
  const order = kahnOrder(Object.fromEntries(enabled.map(([k, v]) => [k, dependsOn(v)])));
  const byId = new Map(enabled);
  return order.map((id) => containerSpec(id, byId.get(id)!, ctx, init));
}
