import { finite, isMapping, mapping, strings, text } from '../../manifests/access';
import { generatedFrom } from '../application-sets';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { deliveredBy, deliverersOf, waveOf } from './application';
import { ApplicationHealth, applicationHealth } from './application-health';
import { annotationSkips, applicationInstalling, automated, crdKinds, groupKindOf, SKIP_DRY_RUN, subscriptionInstalling, syncedBy } from './kind-installers';

/** A child Application of an app-of-apps whose objects need a kind that a child of an earlier wave installs. */
export interface WaveDependency {
  readonly parent: GraphObject;
  /** The child of the earlier wave whose own sync installs the kind. */
  readonly earlier: GraphObject;
  /** How it installs it, in words (kind-installers.ts applicationInstalling). */
  readonly how: string;
  /** Whether it installs it through an OLM Subscription: OLM installs the CRDs minutes after the Subscription is applied. */
  readonly olm: boolean;
  /** The objects of the later child's sync of that kind. */
  readonly objects: readonly GraphObject[];
}

/** Argo CD's own kinds: served wherever an Application syncs. */
const ARGO_CD_KINDS = new Set(['argoproj.io/Application', 'argoproj.io/ApplicationSet', 'argoproj.io/AppProject']);

/** The custom resources of an Application's sync whose kind that sync does not install itself (no CRD, Subscription or operator chart of its own). */
function neededKinds(app: GraphObject, graph: ObjectGraph): Map<string, GraphObject[]> {
  const objects = syncedBy(app, graph);
  const crds = crdKinds(objects);
  const out = new Map<string, GraphObject[]>();
  for (const o of objects) {
    const groupKind = groupKindOf(o);
    const [group, kind] = groupKind.split('/');
    if (!group.includes('.') || ARGO_CD_KINDS.has(groupKind) || crds.has(groupKind)) continue;
    if (subscriptionInstalling(objects, group, kind) || applicationInstalling(app, graph, group, kind)) continue;
    out.set(groupKind, [...(out.get(groupKind) ?? []), o]);
  }
  return out;
}

/**
 * The children of the parents of `later` (the Applications of the input that deliver it) with a lower sync wave whose
 * own sync installs a kind `later` syncs: one per earlier child and parent, with the objects of those kinds.
 */
export function waveDependencies(later: GraphObject, graph: ObjectGraph): WaveDependency[] {
  if (generatedFrom(later)) return [];
  const own = waveOf(later) ?? 0;
  const out: WaveDependency[] = [];
  for (const parent of deliverersOf(later, graph)) {
    const earlier = deliveredBy(parent, graph).filter(
      (x) => x !== later && x !== parent && x.manifest.kind === 'Application' && !generatedFrom(x) && (waveOf(x) ?? 0) < own,
    );
    if (!earlier.length) continue;
    const needed = neededKinds(later, graph);
    for (const child of earlier) {
      let found: { how: string; olm: boolean; objects: GraphObject[] } | undefined;
      for (const [groupKind, objects] of needed) {
        const [group, kind] = groupKind.split('/');
        const how = applicationInstalling(child, graph, group, kind);
        if (!how) continue;
        const olm = !!subscriptionInstalling(syncedBy(child, graph), group, kind);
        found = found ? { ...found, objects: [...found.objects, ...objects] } : { how, olm, objects };
      }
      if (found) out.push({ parent, earlier: child, ...found });
    }
  }
  return out;
}

/** Whether the sync skips the dry run of a missing kind for the object: the Application's syncOptions, or the object's own annotation. */
export function dryRunSkipped(app: GraphObject, o: GraphObject): boolean {
  return strings(mapping(mapping(app.manifest.spec).syncPolicy).syncOptions).includes(SKIP_DRY_RUN) || annotationSkips(o.manifest.metadata);
}

/** A Go duration as Argo CD reads a backoff (a bare number is seconds: types.go parseStringToDuration), in seconds. */
function seconds(value: unknown, fallback: number): number | undefined {
  const raw = text(value);
  if (raw === undefined || raw === '') return fallback;
  if (/^\d+$/.test(raw)) return Number(raw);
  const parts = [...raw.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== raw) return undefined;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]], 0);
}

/** An Application's syncPolicy.retry: its limit (negative: without end) and how long its retries last in all, where known. */
export interface Retry {
  readonly limit: number;
  /** Seconds from the first failure to the last retry (types.go NextRetryAt: duration × factor^n, capped at maxDuration). */
  readonly span?: number;
}

/** Argo CD's defaults of a retry's backoff (pkg/apis/application/v1alpha1/application_defaults.go). */
const DEFAULT_BACKOFF = { duration: 5, factor: 2, maxDuration: 180 };

/** The Application's retry, where it retries at all (a limit other than 0: controller/appcontroller.go). */
export function retryOf(app: GraphObject): Retry | undefined {
  const retry = mapping(mapping(app.manifest.spec).syncPolicy).retry;
  const limit = isMapping(retry) ? finite(retry.limit) : undefined;
  if (limit === undefined || limit === 0) return undefined;
  if (limit < 0) return { limit };
  const backoff = mapping(mapping(retry).backoff);
  const duration = seconds(backoff.duration, DEFAULT_BACKOFF.duration);
  const max = seconds(backoff.maxDuration, DEFAULT_BACKOFF.maxDuration);
  const factor = finite(backoff.factor) ?? DEFAULT_BACKOFF.factor;
  if (duration === undefined || max === undefined) return { limit };
  let span = 0;
  for (let n = 0; n < limit; n++) span += max > 0 ? Math.min(max, duration * factor ** n) : duration * factor ** n;
  return { limit, span };
}

/** A later child that Argo CD does not hold back for the earlier one it needs, and how its sync fails. */
export interface UnawaitedWave {
  readonly dependency: WaveDependency;
  readonly health: ApplicationHealth;
  /** `apply`: the dry run skipped, the apply fails and nothing retries it; `dry-run`: the dry run fails, retried within a limit. */
  readonly failure: { readonly how: 'apply' } | { readonly how: 'dry-run'; readonly retry: Retry };
}

/**
 * The first earlier child `later` depends on, where its parent's sync does not wait for it (no Application health
 * check in the tree) and `later`'s own sync does not converge by itself. Not where `later` does not sync
 * automatically (a person syncs it); nor where it skips the dry run and retries, or retries without limit (the sync is
 * attempted until the CRDs exist); nor where neither is set: its dry run fails and the failed sync is never retried,
 * argocd-dry-run-missing-kind's error.
 */
export function unawaitedWave(later: GraphObject, graph: ObjectGraph): UnawaitedWave | undefined {
  if (!automated(later)) return undefined;
  const health = applicationHealth(graph);
  if (health.state === 'configured') return undefined;
  // asked by this rule on the child and by argocd-wave-ignored on its parent
  return graph.once(`argocd-unawaited-wave:${graph.objects.indexOf(later)}`, (): UnawaitedWave | undefined => {
    const dependency = waveDependencies(later, graph)[0];
    if (!dependency) return undefined;
    const skipped = dependency.objects.every((o) => dryRunSkipped(later, o));
    const retry = retryOf(later);
    if (skipped) return retry ? undefined : { dependency, health, failure: { how: 'apply' } };
    return retry && retry.limit > 0 ? { dependency, health, failure: { how: 'dry-run', retry } } : undefined;
  });
}
