import { HOOK_ANNOTATION } from '../../k8s/keys';
import { finite, mapping, stringMap } from '../../manifests/access';
import { GraphObject, inUnit, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { createsNamespace } from '../tree-namespaces';
import { deliveredBy, deliverersOf, destinationOf } from './application';
import { HELM_HOOK } from './hooks';

/** Objects synced together: one Application's, or, where no Application of the input delivers the object, those built with it (its kustomization root or cdk8s app), which one Application would sync. */
export interface SyncUnit {
  readonly objects: readonly GraphObject[];
  /** The destination namespace, for objects that give none. */
  readonly destination?: string;
  readonly createNamespace: boolean;
  readonly what: string;
  /** Where no Application of the input syncs it: the build, as a message names it. */
  readonly place?: string;
  /** Whether a failed sync is retried (syncPolicy.retry with a limit other than 0); undefined when no Application of the input syncs it. */
  readonly retries?: boolean;
}

/** Argo CD retries a failed sync when syncPolicy.retry.limit is not 0 (negative: without end; controller/appcontroller.go). */
function retries(app: GraphObject): boolean {
  const limit = finite(mapping(mapping(mapping(app.manifest.spec).syncPolicy).retry).limit);
  return limit !== undefined && limit !== 0;
}

/** The syncs an object is part of: each Application of the input that delivers it, else its own build. */
export function unitsOf(hook: GraphObject, graph: ObjectGraph): SyncUnit[] {
  const apps = deliverersOf(hook, graph);
  if (apps.length) {
    return apps.map((app) => ({
      objects: deliveredBy(app, graph),
      destination: destinationOf(app).namespace || undefined,
      createNamespace: createsNamespace(app.manifest),
      what: `${graph.id(app)} creates`,
      retries: retries(app),
    }));
  }
  const unit = unitOf(hook);
  if (!unit) return renderUnit(hook, graph);
  // with what an earlier root built alike, which the reader keeps once; listed once per build and graph (shared,
  // read-only), where each object of a build listing the whole graph again grew with the square of the build
  const objects = graph.once(`unit-objects\0${unit}`, () => graph.objects.filter((x) => inUnit(x, unit)));
  return [{ objects, createNamespace: false, what: `its own build (${unit}), synced as one Application, creates`, place: `its build (${unit})` }];
}

/** The chart a `helm template` output names in the comment before a document: `# Source: <chart>/templates/<file>`. */
const RENDERED_SOURCE = /^\s*#?\s*Source: ([^/\s]+)\/templates\//m;
const renderedChart = (o: GraphObject): string | undefined => (o.comment !== undefined ? RENDERED_SOURCE.exec(o.comment)?.[1] : undefined);

/**
 * A file of `helm template` output (Helm writes `# Source: <chart>/templates/<file>` before each document,
 * pkg/releaseutil manifest.go): one chart's render, which one Application syncs; none for other loose files.
 */
function renderUnit(o: GraphObject, graph: ObjectGraph): SyncUnit[] {
  const chart = renderedChart(o);
  if (chart === undefined || o.file === undefined) return [];
  const objects = graph.objects.filter((x) => x.file === o.file && renderedChart(x) === chart);
  return [
    {
      objects,
      createNamespace: false,
      what: `the render of chart ${chart} (${o.file}), synced as one Application, creates`,
      place: `the render of chart ${chart} (${o.file})`,
    },
  ];
}

/** How Helm itself installs a hook's chart (helmInstallOf): in words, for messages, and whether with its default values alone. */
export interface HelmInstall {
  readonly by: string;
  readonly defaults: boolean;
}

/**
 * How Helm itself installs the hook's chart, where no Argo CD Application of the input syncs it and the hook is Helm's
 * pre-install hook (Helm ignores Argo CD's annotations): a script's or CI's `helm install`/`upgrade --install`, a Flux
 * HelmRelease (helm-controller runs Helm's install), or the chart checked alone with its default values. `no
 * pre-install` where Helm installs it and the hook is not one (it runs once the release's resources exist); undefined
 * where Argo CD's order holds (an Application syncs it, or it is no Helm chart's).
 */
export function helmInstallOf(hook: GraphObject, unit: SyncUnit): HelmInstall | 'no pre-install' | undefined {
  const annotations = stringMap(mapping(hook.manifest.metadata).annotations);
  const delivery = hook.helmRendering?.delivery;
  if (unit.place === undefined || delivery === undefined || annotations[HOOK_ANNOTATION] !== undefined) return undefined;
  const defaults = delivery.startsWith('check/');
  // a pre-upgrade (or post-) hook runs once the release's resources exist; a chart checked alone may still be synced by Argo CD
  if (!(annotations[HELM_HOOK] ?? '').split(',').some((h) => h.trim() === 'pre-install')) return defaults ? undefined : 'no pre-install';
  return { by: defaults ? '`helm install` of the chart with its default values' : `the first install (${delivery})`, defaults };
}
