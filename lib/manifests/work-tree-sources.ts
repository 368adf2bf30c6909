import * as fs from 'fs';
import * as path from 'path';
import { isMapping, mapping, mappings, text } from './access';
import { gitCheckoutOf } from './git-checkout';
import { LoadedManifest } from './loaded';
import { isClusterScoped } from './scope';

/** A source folder of an Application of the checked folder that lies elsewhere in the same git work tree. */
export interface WorkTreeSourceFolder {
  readonly repoURL: string;
  /** The source's path, as the Application writes it. */
  readonly path: string;
  /** The folder, absolute. */
  readonly folder: string;
}

/** What such a source folder delivers, as far as a namespace is concerned. */
export interface WorkTreeSource extends WorkTreeSourceFolder {
  /** The Namespaces (and OpenShift Projects) it delivers, by name. */
  readonly namespaces: readonly string[];
  /** Its namespaced objects that name no namespace of their own (they go to the destination's). */
  readonly unplaced: number;
  /** The namespaces its namespaced objects name themselves. */
  readonly named: readonly string[];
  readonly objects: number;
  /** Read whole: no remote kustomize base, no Helm chart, no build that failed. */
  readonly complete: boolean;
}

/** A repository URL's path segments, lower-case, without `.git`: `github.com/owner/name`. */
const segments = (url: string) =>
  url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, '')
    .replace(/^[^@/]*@/, '')
    .replace(':', '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split(/[/+]/)
    .filter(Boolean);

/**
 * Whether a repoURL names the work tree's repository or a fork of it: a remote of the work tree is that URL, or names
 * a repository of the same name (a fork keeps its upstream's name under another owner; a mirror's folder may join
 * owner and name with `+`).
 */
export function ownRepositoryOrFork(repoURL: string, remotes: readonly string[]): boolean {
  const wanted = segments(repoURL);
  const name = wanted[wanted.length - 1];
  if (!name || wanted.length < 2) return false;
  return remotes.some((r) => {
    const s = segments(r);
    return s.join('/') === wanted.join('/') || s[s.length - 1] === name || s.slice(0, -1).includes(name);
  });
}

/** The git sources (repoURL and path, no template) of an Application. */
function gitSources(m: Record<string, unknown>): { repoURL: string; path: string }[] {
  const spec = mapping(m.spec);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
    const repoURL = text(s.repoURL);
    const p = text(s.path);
    return repoURL && p && !/[{$<]/.test(repoURL + p) && !text(s.chart) ? [{ repoURL, path: p }] : [];
  });
}

/**
 * The source folders of the checked folder's Argo CD Applications that lie elsewhere in the git work tree it is in,
 * where the Application's repoURL is that repository or a fork of it: Argo CD syncs the folder of that path, which
 * the work tree holds at the same place (argo-cd reposerver: appPath = repository root + source.path).
 */
export function workTreeSourceFolders(checked: string, manifests: readonly LoadedManifest[]): WorkTreeSourceFolder[] {
  const checkout = gitCheckoutOf(checked);
  if (!checkout || checkout.within === '.') return [];
  const real = fs.realpathSync(checked);
  const root = path.resolve(real, ...checkout.within.split('/').map(() => '..'));
  const out: WorkTreeSourceFolder[] = [];
  for (const m of manifests) {
    if (!isMapping(m.manifest) || m.manifest.kind !== 'Application' || !String(m.manifest.apiVersion ?? '').startsWith('argoproj.io/')) continue;
    for (const s of gitSources(m.manifest)) {
      const folder = path.resolve(root, s.path);
      const inside = folder.startsWith(`${root}${path.sep}`) && folder !== real && !folder.startsWith(`${real}${path.sep}`);
      if (!inside || !ownRepositoryOrFork(s.repoURL, checkout.remotes) || out.some((o) => o.folder === folder && o.repoURL === s.repoURL)) continue;
      if (fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) out.push({ ...s, folder });
    }
  }
  return out;
}

/** What a source folder's objects tell of namespaces. */
export function workTreeSource(s: WorkTreeSourceFolder, objects: readonly LoadedManifest[], complete: boolean): WorkTreeSource {
  const kinds = objects.map((o) => mapping(o.manifest));
  const namespaces = kinds.filter((m) => m.kind === 'Namespace' || m.kind === 'Project').flatMap((m) => text(mapping(m.metadata).name) ?? []);
  const namespaced = kinds.filter((m) => typeof m.kind === 'string' && !isClusterScoped(m.kind));
  const named = [...new Set(namespaced.flatMap((m) => text(mapping(m.metadata).namespace) ?? []))];
  const unplaced = namespaced.filter((m) => !text(mapping(m.metadata).namespace)).length;
  return { ...s, namespaces, unplaced, named, objects: objects.length, complete };
}
