import { groupVersionOf } from '../../k8s/api-version';
import { SYNC_OPTIONS_ANNOTATION } from '../../k8s/keys';
import { finite, isMapping, Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { operatorInstalling } from '../../platform/operator-apis';
import { chartInstalling, OperatorChart } from '../../platform/operator-charts';
import { outsideSources } from '../argocd-outside-sources';
import { argoValues } from '../chart-releases';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { deliveredBy } from './application';
import { perRun } from '../../private/run-memo';

/** The sync option that lets a resource of a kind not yet served pass the dry run (gitops-engine pkg/sync/common/types.go). */
export const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

/** Whether an object's own argocd.argoproj.io/sync-options annotation names the option (comma-separated, as Argo CD splits it). */
export function annotationSkips(metadata: unknown): boolean {
  const options = stringMap(mapping(metadata).annotations)[SYNC_OPTIONS_ANNOTATION] ?? '';
  return options.split(',').some((x) => x.trim() === SKIP_DRY_RUN);
}

/** The `group/Kind` of an object. */
export const groupKindOf = (o: GraphObject) => `${groupVersionOf(o.manifest.apiVersion).group}/${String(o.manifest.kind)}`;

/** The `group/Kind` pairs the CustomResourceDefinitions among the objects declare. */
export function crdKinds(objects: readonly GraphObject[]): ReadonlySet<string> {
  // asked for each object of a sync with the same list (a build's objects, sync-units.ts): once per list and run
  return perRun('crd-kinds', [objects], () => crdKindsNow(objects));
}

function crdKindsNow(objects: readonly GraphObject[]): Set<string> {
  const out = new Set<string>();
  for (const crd of objects.filter((x) => x.manifest.kind === 'CustomResourceDefinition')) {
    const spec = mapping(crd.manifest.spec);
    out.add(`${text(spec.group) ?? ''}/${text(mapping(spec.names).kind) ?? ''}`);
  }
  return out;
}

/** The OLM Subscription among the objects whose operator's bundle installs the kind. */
export function subscriptionInstalling(objects: readonly GraphObject[], group: string, kind: string): GraphObject | undefined {
  return objects.find(
    (x) =>
      x.manifest.kind === 'Subscription' &&
      groupVersionOf(x.manifest.apiVersion).group === 'operators.coreos.com' &&
      !!operatorInstalling(text(mapping(x.manifest.spec).name) ?? '', group, kind),
  );
}

/** The value at a path of nested mappings. */
const at = (values: Loose, path: readonly string[]): unknown => path.reduce<unknown>((v, k) => mapping(v)[k], values);

/**
 * The catalogued chart an Argo CD source installs whose CRDs declare the group: a crds/ folder is rendered unless
 * helm.skipCrds; CRDs in templates are rendered unless their switch is false in the inline values or a parameter, and
 * values files (which the check does not read) are taken to leave a switched chart's CRDs out.
 */
function chartSourceInstalling(source: Loose, group: string): OperatorChart | undefined {
  const chart = chartInstalling(text(source.chart) ?? '', text(source.repoURL) ?? '', group);
  if (!chart) return undefined;
  const helm = mapping(source.helm);
  if (chart.placed === 'crds-folder') return helm.skipCrds === true ? undefined : chart;
  const key = chart.switch;
  if (!key) return chart;
  const off =
    strings(helm.valueFiles).length > 0 ||
    at(argoValues(helm), key) === false ||
    mappings(helm.parameters).some((p) => text(p.name) === key.join('.') && text(p.value) === 'false');
  return off ? undefined : chart;
}

/**
 * The objects one sync of an Application applies: what its paths deliver of the checked input, and what it renders from
 * folders of the checked folder's work tree outside the input (a generated Application's path beside the checked one).
 */
export function syncedBy(app: GraphObject, graph: ObjectGraph): GraphObject[] {
  return graph.once(`argocd-synced-by:${graph.id(app)}:${graph.objects.indexOf(app)}`, () => [
    ...new Set([...deliveredBy(app, graph), ...outsideSources(graph, app).flatMap((s) => s.objects)]),
  ]);
}

/**
 * How an Application's own sync installs a kind, as a message says it: a source of a catalogued operator chart, a
 * CustomResourceDefinition of the kind it delivers, or an OLM Subscription it delivers whose operator installs it.
 */
export function applicationInstalling(app: GraphObject, graph: ObjectGraph, group: string, kind: string): string | undefined {
  const spec = mapping(app.manifest.spec);
  for (const source of [mapping(spec.source), ...mappings(spec.sources)]) {
    const chart = chartSourceInstalling(source, group);
    if (chart) return `chart ${chart.chart}, which installs ${chart.operator} and its CRDs`;
  }
  const objects = syncedBy(app, graph);
  if (crdKinds(objects).has(`${group}/${kind}`)) return `the CustomResourceDefinition of ${kind}`;
  const subscription = subscriptionInstalling(objects, group, kind);
  return subscription ? graph.id(subscription) : undefined;
}

/** Whether Argo CD syncs the Application on its own (syncPolicy.automated, not `enabled: false`: types.go IsAutomatedSyncEnabled). */
export function automated(app: GraphObject): boolean {
  const auto = mapping(mapping(app.manifest.spec).syncPolicy).automated;
  return isMapping(auto) && auto.enabled !== false;
}

/** Whether a failed sync of the Application is retried: syncPolicy.retry with a limit other than 0 (types.go RetryStrategy.Limit). */
export function retried(app: GraphObject): boolean {
  const retry = mapping(mapping(app.manifest.spec).syncPolicy).retry;
  return isMapping(retry) && (finite(retry.limit) ?? 0) !== 0;
}
