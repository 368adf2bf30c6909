import { APP_COMPONENT_LABEL, APP_INSTANCE_LABEL, APP_NAME_LABEL } from '../k8s/keys';
import { isMapping, Loose, mapping, text } from './access';

/**
 * The names and labels the bjw-s app-template chart gives its objects, ported from the common library chart it wraps
 * (bjw-s-labs/helm-charts charts/library/common, same version as app-template; app-template's templates/common.yaml sets
 * global.nameOverride to the release name when none is set). Majors 2 to 5 are modelled; their rules differ as said.
 */
export type AppTemplateMajor = 2 | 3 | 4 | 5;

/** The majors whose templates are ported here. */
export const APP_TEMPLATE_MAJORS: readonly AppTemplateMajor[] = [2, 3, 4, 5];

/** The majors that name objects by lib/common/_determineResourceNameFromValues.tpl (4.x; 5.x keeps it). */
export const namesByIdentifierCount = (major: AppTemplateMajor): boolean => major >= 4;

/** What a name is derived from: the release, the values and the major. */
export interface NameContext {
  readonly release: string;
  readonly values: Loose;
  readonly major: AppTemplateMajor;
}

/** Helm's `trunc 63 | trimSuffix "-"`. */
const trunc63 = (s: string) => s.slice(0, 63).replace(/-$/, '');

/**
 * lib/chart/_names.tpl "names.name": global.nameOverride, else nameOverride, else the chart's name; app-template
 * (templates/common.yaml, 3.x and 4.x) sets global.nameOverride to the release name when it is empty.
 */
export function chartName(c: NameContext): string {
  const global = mapping(c.values.global);
  return trunc63(text(global.nameOverride) || text(c.values.nameOverride) || c.release);
}

/** lib/chart/_names.tpl "names.fullname": an override, else the release when it contains the name, else `<release>-<name>`. */
export function fullname(c: NameContext): string {
  const override = text(mapping(c.values.global).fullnameOverride) || text(c.values.fullnameOverride);
  if (override) return trunc63(override);
  const name = chartName(c);
  return trunc63(c.release.includes(name) ? c.release : `${c.release}-${name}`);
}

/**
 * The name of a controller, Service or PVC of identifier `id` among `count` enabled ones of its kind (4.x
 * lib/common/_determineResourceNameFromValues.tpl): forceRename; else the fullname with prefix, then `-<id>` when
 * more than one is enabled (or global.alwaysAppendIdentifierToResourceName) unless the name already ends with it or
 * is it, then suffix; lower-cased. A templated value is evaluated first (app-template-tpl.ts).
 */
export function name4(c: NameContext, id: string, v: Loose, count: number): string {
  const base = fullname(c);
  if (text(v.forceRename)) return text(v.forceRename)!.toLowerCase();
  let name = base;
  const prefix = text(v.prefix);
  if (prefix && prefix !== name) name = `${prefix}-${name}`;
  if (count > 1 || mapping(c.values.global).alwaysAppendIdentifierToResourceName === true) if (!name.endsWith(`-${id}`) && name !== id) name = `${name}-${id}`;
  const suffix = text(v.suffix);
  if (suffix && !name.endsWith(`-${suffix}`)) name = `${name}-${suffix}`;
  return name.toLowerCase();
}

/** 3.x lib/controller/_valuesToObject.tpl and lib/service/_valuesToObject.tpl: nameOverride appended, else `-<id>` when more than one (a primary Service never). */
function name3(c: NameContext, id: string, v: Loose, count: number, primaryKept: boolean): string {
  const base = fullname(c);
  const override = text(v.nameOverride);
  if (override) return override === base ? base : `${base}-${override}`;
  if (count > 1 && !(primaryKept && v.primary === true) && base !== id) return `${base}-${id}`;
  return base;
}

/**
 * 2.x lib/controller/_valuesToObject.tpl (and ingress, serviceMonitor): nameOverride appended, else `-<id>` unless the
 * item is the one the chart treats as main (`keep`: the identifier `main`, a primary Service, the primary route).
 */
function name2(c: NameContext, id: string, v: Loose, keep: boolean): string {
  const base = fullname(c);
  const override = text(v.nameOverride);
  if (override) return `${base}-${override}`;
  return keep ? base : `${base}-${id}`;
}

/** A controller's name (4.x and 5.x determineResourceNameFromValues; 3.x and 2.x controller/_valuesToObject.tpl). */
export function controllerName(c: NameContext, id: string, v: Loose, count: number): string {
  if (namesByIdentifierCount(c.major)) return name4(c, id, v, count);
  return c.major === 3 ? name3(c, id, v, count, false) : name2(c, id, v, id === 'main');
}

/** A Service's name (4.x and 5.x determineResourceNameFromValues; 3.x and 2.x service/_valuesToObject.tpl: a primary Service keeps the fullname). */
export function serviceName(c: NameContext, id: string, v: Loose, count: number): string {
  if (namesByIdentifierCount(c.major)) return name4(c, id, v, count);
  return c.major === 3 ? name3(c, id, v, count, true) : name2(c, id, v, v.primary === true);
}

/**
 * The name of an Ingress, route or ServiceMonitor (4.x and 5.x determineResourceNameFromValues; 3.x
 * ingress/route/serviceMonitor _valuesToObject.tpl: an override unless it is the fullname, else `-<id>` when more than
 * one is enabled, a primary route never; 2.x: `-<id>` unless it is `main`, or the primary route). `primary` says
 * whether the item is the one 2.x and 3.x keep at the fullname.
 */
export function exposureName(c: NameContext, id: string, v: Loose, count: number, primary: boolean): string {
  if (namesByIdentifierCount(c.major)) return name4(c, id, v, count);
  if (c.major === 2) return name2(c, id, v, primary);
  const base = fullname(c);
  const override = text(v.nameOverride);
  if (override) return override === base ? base : `${base}-${override}`;
  return count > 1 && !primary && base !== id ? `${base}-${id}` : base;
}

/** A PVC's name (4.x and 5.x determineResourceNameFromValues; 3.x and 2.x pvc/_valuesToObject.tpl: `-<id>` unless 3.x finds it is the fullname, nameOverride `-` keeps the fullname). */
export function pvcName(c: NameContext, id: string, v: Loose, count: number): string {
  if (namesByIdentifierCount(c.major)) return name4(c, id, v, count);
  const base = fullname(c);
  const override = text(v.nameOverride);
  if (override) return override === '-' ? base : `${base}-${override}`;
  return base === id && c.major === 3 ? base : `${base}-${id}`;
}

/** The label naming the controller of a pod: `app.kubernetes.io/controller` from 4.x, `app.kubernetes.io/component` in 3.x and 2.x (classes/_deployment.tpl). */
export function controllerLabel(major: AppTemplateMajor): string {
  return major >= 4 ? 'app.kubernetes.io/controller' : APP_COMPONENT_LABEL;
}

/** lib/metadata/_selectorLabels.tpl: the chart's name and the release. */
export function selectorLabels(c: NameContext): Record<string, string> {
  return { [APP_NAME_LABEL]: chartName(c), [APP_INSTANCE_LABEL]: c.release };
}

/** lib/metadata/_allLabels.tpl with lib/metadata/_globalLabels.tpl: the selector labels, the chart's, the manager's and global.labels. */
export function allLabels(c: NameContext, version: string | undefined): Record<string, string> {
  const global = mapping(mapping(c.values.global).labels);
  const extra = Object.fromEntries(
    Object.entries(global)
      .filter(([, v]) => !isMapping(v))
      .map(([k, v]) => [k, String(v)]),
  );
  return { ...(version ? { 'helm.sh/chart': `app-template-${version}` } : {}), ...selectorLabels(c), 'app.kubernetes.io/managed-by': 'Helm', ...extra };
}
