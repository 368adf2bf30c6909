import * as path from 'path';
import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import type { GitCheckout } from '../manifests/git-checkout';
import { localRemoteNames } from '../manifests/work-tree';
import type { OutsideApplication } from '../manifests/outside-applications';
import { generatedApplications } from './application-sets';
import { setGeneratedApplications } from './appset-git';
import { deliverersOf } from './argocd/application';
import { fillsTo, named, normalPath, objectsAt, sameRepository, templatedRepository, tidy } from './argocd-paths';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** The Applications taken as the delivery of the checked folders, and what the output says of each. */
export interface OutsideDelivery {
  readonly apps: readonly GraphObject[];
  readonly notes: readonly string[];
}

/** A source of an outside Application that names a checked folder (or a folder in it), and that folder. */
interface Synced {
  readonly app: GraphObject;
  readonly place: string;
  readonly checkout: GitCheckout;
}

/**
 * Whether a source's repository is the work tree's: a remote of it, a local remote (a mirror's folder) that names it,
 * a placeholder one of its remotes can fill, or
 * (a work tree with no remote) the one repository all outside Applications with a path name, nothing saying it is another.
 */
function sameRepositoryAs(checkout: GitCheckout, repoURL: string | undefined, only: string | undefined): boolean {
  if (!repoURL) return false;
  if (templatedRepository(repoURL)) return !checkout.remotes.length || checkout.remotes.some((r) => fillsTo(repoURL, r));
  if (localRemoteNames(checkout, repoURL)) return true;
  if (checkout.remotes.length) return checkout.remotes.some((r) => sameRepository(r, repoURL));
  return only !== undefined && sameRepository(only, repoURL);
}

/** The path-bearing sources of an Application manifest: `source` and every `sources[]`. */
const pathSources = (m: Loose) => [mapping(mapping(m.spec).source), ...mappings(mapping(m.spec).sources)].filter((s) => text(s.path) && !text(s.chart));

/** The input folder a repository path names in a checked folder's work tree: the folder itself, or a folder of the input below it. */
function placeIn(graph: ObjectGraph, checkout: GitCheckout, repoPath: string): string | undefined {
  const p = normalPath(repoPath);
  const folder = tidy(checkout.folder);
  if (p === checkout.within) return folder;
  if (!p.startsWith(`${checkout.within}/`)) return undefined;
  const below = path.posix.join(folder, p.slice(checkout.within.length + 1));
  return (graph.folders ?? []).some((f) => tidy(f) === below) ? below : undefined;
}

/** Where each outside Application syncs a checked folder (a subfolder of a git work tree), with objects there to judge. */
function syncedPlaces(graph: ObjectGraph, apps: readonly GraphObject[]): Synced[] {
  const repos = [...new Set(apps.flatMap((a) => pathSources(a.manifest).map((s) => text(s.repoURL) ?? '')))].filter((r) => r && !templatedRepository(r));
  const only = repos.every((r) => sameRepository(r, repos[0])) ? repos[0] : undefined;
  const out: Synced[] = [];
  for (const checkout of graph.checkouts.filter((c) => c.within !== '.')) {
    for (const app of apps) {
      for (const s of pathSources(app.manifest)) {
        const place = sameRepositoryAs(checkout, text(s.repoURL), only) ? placeIn(graph, checkout, text(s.path)!) : undefined;
        if (place !== undefined && objectsAt(graph, place).length) out.push({ app, place, checkout });
      }
    }
  }
  return out;
}

/** The outside files read as objects: Applications as they are, ApplicationSets as the Applications they generate for what the input shows. */
function candidates(graph: ObjectGraph, read: readonly OutsideApplication[]): GraphObject[] {
  return read.flatMap((r) => {
    const o: GraphObject = { manifest: r.manifest, outside: { file: r.file, line: r.line } };
    if (r.manifest.kind === 'Application') return [o];
    const set = `ApplicationSet/${text(mapping(r.manifest.metadata).namespace) ?? ''}/${text(mapping(r.manifest.metadata).name) ?? ''}`;
    return [...generatedApplications(o), ...setGeneratedApplications(graph, o)].map((a) => ({
      manifest: a.manifest,
      outside: { file: r.file, line: r.line, set },
    }));
  });
}

/** What of an Application decides how its objects are synced: its sync policy (options, retry, automation) and destination. */
const deliveryKey = (app: GraphObject) => JSON.stringify([mapping(app.manifest.spec).syncPolicy ?? null, mapping(app.manifest.spec).destination ?? null]);

/** The words of the output for the Application taken as a folder's delivery. */
function takenNote(s: Synced, more: number): string {
  const meta = mapping(s.app.manifest.metadata);
  const policy = mapping(mapping(s.app.manifest.spec).syncPolicy);
  const automated = mapping(policy.automated);
  const options = strings(policy.syncOptions);
  const ns = text(mapping(mapping(s.app.manifest.spec).destination).namespace);
  const from = s.app.outside!;
  return (
    `${named(s.place)} is synced by Application ${text(meta.namespace) ?? ''}/${text(meta.name) ?? ''} (${from.file}:${from.line}${from.set ? `, generated by ${from.set}` : ''}), ` +
    `outside the checked folder: judged as its delivery (syncOptions ${options.length ? options.join(', ') : 'none'}; retry ${policy.retry ? 'set' : 'none'}; ` +
    `destination namespace ${ns ?? 'none'}; ${policy.automated ? `automated${automated.selfHeal === true ? ' with selfHeal' : ''}` : 'manual sync'})` +
    (more ? `; ${more} more Application${more > 1 ? 's' : ''} sync${more > 1 ? '' : 's'} it alike` : '')
  );
}

/**
 * The Applications of the checked folders' repository, read outside them, that sync a checked folder (or a kustomization
 * root in it) by its path from the repository's root: taken as its delivery, so that the Argo CD rules judge the folder
 * with their options. A folder an Application of the input already syncs keeps that one; where several sync one folder
 * with different sync policies or destinations, none is taken (what holds for one does not for the others), and the
 * note says so.
 */
export function outsideDelivery(graph: ObjectGraph, read: readonly OutsideApplication[]): OutsideDelivery {
  if (!read.length) return { apps: [], notes: [] };
  const synced = syncedPlaces(graph, candidates(graph, read)).filter((s) => !objectsAt(graph, s.place).some((o) => deliverersOf(o, graph).length));
  const apps: GraphObject[] = [];
  const notes: string[] = [];
  for (const place of [...new Set(synced.map((s) => s.place))]) {
    const here = synced.filter((s) => s.place === place);
    const unique = [...new Map(here.map((s) => [s.app, s])).values()];
    if (new Set(unique.map((s) => deliveryKey(s.app))).size > 1) {
      notes.push(
        `${named(place)} is synced by ${unique.length} Applications outside the checked folder with different sync policies or destinations: none is judged as its delivery`,
      );
      continue;
    }
    const first = unique[0];
    const root = first.checkout.remotes.length ? undefined : { folder: first.checkout.folder, within: first.checkout.within };
    apps.push({ ...first.app, outside: { ...first.app.outside!, ...(root ? { root } : {}) } });
    notes.push(takenNote(first, unique.length - 1));
  }
  return { apps, notes };
}
