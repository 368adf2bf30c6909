import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { deliveryKey } from '../manifests/chart-deliveries';
import { ChartService, ChartServices, chartServices } from '../catalog/chart-services';
import { editDistance } from '../private/edit-distance';
import { TreeRelease, treeReleases } from './chart-releases';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { nearName } from './reference-targets';
import { unseenDeliveries } from './tree-namespaces';

/**
 * The Services the tree's releases of well-known charts make (lib/catalog/chart-services.ts), named as the charts'
 * fullname helpers name them, and what they say of a Service a route or an Ingress names in a namespace.
 */

/** A value at a path of a chart's values. */
function valueAt(values: Loose, field: readonly string[]): unknown {
  let v: unknown = values;
  for (const key of field) v = isMapping(v) ? v[key] : undefined;
  return v;
}

/** Helm's `trunc n | trimSuffix "-"`. */
const cut = (name: string, length: number) => name.slice(0, length).replace(/-+$/, '');

/**
 * Helm's scaffold fullname: fullnameOverride, else the release name when it contains the name (nameOverride, else the
 * chart's values default, else the chart's name), else `<release>-<name>`; cut at `length`.
 */
function fullname(release: string, values: Loose, chart: string, length: number, defaultName?: string): string {
  const override = text(values.fullnameOverride);
  if (override) return cut(override, length);
  const name = text(values.nameOverride) || defaultName || chart;
  return cut(release.includes(name) ? release : `${release}-${name}`, length);
}

function enabled(s: ChartService, values: Loose): boolean {
  if (!s.enabled) return true;
  const v = valueAt(values, s.enabled.field);
  return typeof v === 'boolean' ? v : s.enabled.default;
}

/** The name of one Service of a release of the chart. */
function serviceName(entry: ChartServices, s: ChartService, r: TreeRelease): string {
  if (s.fixed) return s.fixed;
  if (s.subchart) return fullname(r.release, mapping(r.values[s.subchart.key]), s.subchart.chart, 63);
  const override = s.override ? text(valueAt(r.values, s.override.field)) : undefined;
  if (s.override && override) return cut(override, s.override.length);
  const base = fullname(r.release, r.values, entry.chart, entry.fullnameLength, entry.defaultName);
  if (!s.suffix) return base;
  const word = (s.suffix.field ? text(valueAt(r.values, s.suffix.field)) : undefined) ?? s.suffix.word;
  const name = `${base}-${word}`;
  return s.length ? cut(name, s.length) : name;
}

/** The Services a release makes, where the table knows its chart; undefined otherwise. */
export function releaseServiceNames(r: TreeRelease): string[] | undefined {
  const entry = chartServices(r.chart);
  if (!entry) return undefined;
  return entry.services.filter((s) => enabled(s, r.values)).map((s) => serviceName(entry, s, r));
}

/** What the tree's releases say of a Service name in a namespace. */
export type ReleaseVerdict =
  /** a release of the tree makes it */
  | { readonly kind: 'made'; readonly by: TreeRelease }
  /** the known releases into the namespace make others, and nothing else unseen delivers there */
  | { readonly kind: 'not-made'; readonly releases: readonly TreeRelease[]; readonly names: readonly string[]; readonly assumed: boolean }
  /** something delivers into the namespace what the check cannot see (a chart the table does not know, a source not in the input) */
  | { readonly kind: 'unknown' };

/** Whether an Application's sources are all charts of the table (or `ref` sources that only lend value files), or a HelmRelease's chart is. */
function onlyKnownCharts(app: GraphObject): boolean {
  const spec = mapping(app.manifest.spec);
  // a Flux HelmRelease of a chart of the table: its Services are named there
  const fluxChart = app.manifest.kind === 'HelmRelease' ? text(mapping(mapping(spec.chart).spec).chart) : undefined;
  if (app.manifest.kind === 'HelmRelease') return fluxChart !== undefined && chartServices(fluxChart) !== undefined;
  const sources = [mapping(spec.source), ...mappings(spec.sources)].filter((s) => text(s.repoURL));
  return sources.length > 0 && sources.every((s) => (text(s.chart) ? chartServices(text(s.chart)!) !== undefined : text(s.ref) !== undefined && !text(s.path)));
}

/**
 * The Services of a release check rendered itself from its values (a chart it models, app-template-render.ts): the
 * graph holds them, named as the chart names them; undefined for a release it did not render so.
 */
function modelledServiceNames(graph: ObjectGraph, r: TreeRelease): string[] | undefined {
  if (!r.object) return undefined;
  const key = deliveryKey(r.object.manifest);
  const made = graph.objects.filter((o) => o.helmRendering?.model && o.helmRendering.delivery === key);
  if (!made.length) return undefined;
  return made.filter((o) => o.manifest.kind === 'Service').map((o) => text(mapping(o.manifest.metadata).name) ?? '');
}

/** The verdict of the tree's chart releases on Service `name` in namespace `ns`; undefined where none installs into it. */
export function releaseServiceVerdict(graph: ObjectGraph, name: string, ns: string): ReleaseVerdict | undefined {
  const releases = treeReleases(graph).filter((r) => r.namespace === ns);
  const namesOf = (r: TreeRelease) => modelledServiceNames(graph, r) ?? releaseServiceNames(r);
  const made = releases.find((r) => namesOf(r)?.includes(name));
  if (made) return { kind: 'made', by: made };
  if (!releases.length) return undefined;
  const known = releases.filter((r) => namesOf(r) !== undefined);
  const unseen = unseenDeliveries(graph, ns).filter((app) => !onlyKnownCharts(app));
  if (known.length < releases.length || unseen.length) return { kind: 'unknown' };
  const names = [...new Set(known.flatMap((r) => namesOf(r) ?? []))];
  // values the check does not read (value files, valuesFrom) may rename them; a rendered release's values were read
  return { kind: 'not-made', releases: known, names, assumed: known.some((r) => r.valuesElsewhere && !modelledServiceNames(graph, r)) };
}

/** The last word of a dash-separated name: the component a chart's Service is for (grafana of kube-prometheus-stack-grafana). */
const component = (name: string) => name.split('-').pop() ?? name;

/**
 * The Service of the releases a name means: a close spelling of it (nearName), or the one for the same component
 * (`kube-prometheus-grafana` for `kube-prometheus-stack-grafana`: the release's name written otherwise); undefined where none is.
 */
export function meantService(name: string, names: readonly string[]): string | undefined {
  const sorted = [...names].sort((a, b) => editDistance(name, a) - editDistance(name, b) || a.localeCompare(b));
  return sorted.find((n) => nearName(name, n)) ?? sorted.find((n) => component(n) === component(name));
}

/**
 * What a message says of a Service the releases into its namespace do not make: who makes which Services there, the
 * hedge where values the check does not read may rename them, and the name to write instead.
 */
export function notMadeWords(
  name: string,
  v: Extract<ReleaseVerdict, { kind: 'not-made' }>,
  route?: GraphObject,
): { readonly said: string; readonly fix: string } {
  const meant = meantService(name, v.names);
  // the one meant first, so that it is among those shown
  const shown = meant ? [meant, ...v.names.filter((n) => n !== meant)] : v.names;
  const by = v.releases.map((r) => `${r.origin} (chart ${r.chart}, release '${r.release}')`).join(', ');
  return {
    said:
      `${by} ${v.releases.length > 1 ? 'make' : 'makes'} the Services there (${shown.slice(0, 6).join(', ')}${shown.length > 6 ? ', …' : ''}), named from the release name as the chart's fullname helper does, and nothing else of the tree delivers there` +
      (v.assumed ? ' (unless the values files the check does not read set fullnameOverride or nameOverride)' : ''),
    fix:
      appTemplateFix(v, meant, route) ??
      `${meant ? `name '${meant}'` : 'name one of those Services'}, or set the release's fullnameOverride to make the name written`,
  };
}

/** The keys of an app-template values map (`service`, `route`) whose entries are not turned off (enabled: false). */
const enabledKeys = (m: unknown) =>
  Object.entries(mapping(m))
    .filter(([, x]) => isMapping(x) && x.enabled !== false)
    .map(([k]) => k);

/**
 * The fix where an app-template release makes the Services: a backend by `identifier`, the key of a Service in the
 * release's values, which the chart resolves to the Service it renders (bjw-s app-template common library
 * classes/_route.tpl, and lib/service/_getByIdentifier.tpl), or one of the names it renders; its fullnameOverride would
 * rename every object of the release. The route's own key is named where the check rendered the route from that release.
 */
function appTemplateFix(v: Extract<ReleaseVerdict, { kind: 'not-made' }>, meant: string | undefined, route?: GraphObject): string | undefined {
  const release = v.releases.find((r) => r.chart === 'app-template');
  if (!release) return undefined;
  const identifiers = enabledKeys(release.values.service);
  const routeName = route ? (text(mapping(route.manifest.metadata).name) ?? '') : '';
  const rendered = route?.helmRendering?.model !== undefined && release.object && route.helmRendering.delivery === deliveryKey(release.object.manifest);
  const routes = enabledKeys(release.values.route);
  const key = routes.find((k) => routeName.endsWith(`-${k}`)) ?? (routes.length === 1 ? routes[0] : undefined);
  const field = rendered && key ? `route.${key}.rules[].backendRefs[].identifier` : "the backend's identifier";
  const names = meant ? `'${meant}'` : v.names.map((n) => `'${n}'`).join(' or ');
  return (
    `write ${field} in the release's values instead of the name: the key of one of its Services (${identifiers.join(', ')}), which the chart resolves to the Service it renders; ` +
    `or name a Service it renders (${names})`
  );
}
