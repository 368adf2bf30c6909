import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { workTreeRoot, workTreeSourceFolder } from '../manifests/work-tree';
import { chartAt, placedSources, templatedRepository } from './argocd-paths';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
import { holdsTemplate } from './template-syntax';

/** A Helm value file of an Application source that the repository it names does not hold. */
export interface MissingValueFile {
  /** The entry of helm.valueFiles as written. */
  readonly entry: string;
  /** Where the repo server looks for it, as the input shows it. */
  readonly looked: string;
  /** How that place is known, for the message. */
  readonly reading: string;
  /** The entry naming a file of the repository whose path ends with the entry's, when one is found: what was likely meant. */
  readonly meant?: string;
}

/** The root folder (absolute) of a git work tree of the input that is the repository a repoURL names, a fork or a mirror of it. */
function workTreeOf(graph: ObjectGraph, repoURL: string): string | undefined {
  if (templatedRepository(repoURL)) return undefined;
  for (const c of graph.checkouts) if (workTreeSourceFolder(c, repoURL, '.') !== undefined) return workTreeRoot(c);
  return undefined;
}

/** Folders no search for a likely file enters. */
const SKIPPED = new Set(['node_modules', 'vendor']);

/** A file below `root` whose repository path ends with `/<tail>` (a few folders deep, a bounded walk): the likely meant file. */
function fileEndingWith(root: string, tail: string): string | undefined {
  const queue: [string, number][] = [[root, 0]];
  let seen = 0;
  while (queue.length && seen < 4000) {
    const [dir, depth] = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    seen += entries.length;
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || SKIPPED.has(e.name)) continue;
      const candidate = path.join(dir, e.name, tail);
      if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return path.relative(root, candidate).split(path.sep).join('/');
      if (depth < 3) queue.push([path.join(dir, e.name), depth + 1]);
    }
  }
  return undefined;
}

/** Whether `file` lies within folder `dir` (both absolute). */
const within = (file: string, dir: string) => file === dir || file.startsWith(`${dir}${path.sep}`);

/** An entry Argo CD resolves elsewhere or expands: a URL, a glob, or one with a placeholder or an env variable. */
function unjudged(v: string): boolean {
  // a `$<ref>/` entry's first segment names the ref source; the rest is a path
  const rest = v.startsWith('$') ? v.slice(v.split('/')[0].length) : v;
  return /:\/\//.test(v) || /[*?[]/.test(rest) || holdsTemplate(rest);
}

/**
 * A `$<ref>/path` entry: the ref source's repository root joined with the path (argo-cd reposerver/repository
 * repository.go getResolvedRefValueFile: the ref source's checkout, whatever its `path`), where a git work tree of the
 * input is that repository.
 */
function refEntry(graph: ObjectGraph, refs: ReadonlyMap<string, string>, v: string): MissingValueFile | undefined {
  const refVar = v.split('/')[0];
  const repoURL = refs.get(refVar);
  const root = repoURL ? workTreeOf(graph, repoURL) : undefined;
  if (!root) return undefined;
  const rest = v.slice(refVar.length + 1);
  const file = path.resolve(root, rest.replace(/^\/+/, ''));
  if (!within(file, root) || fs.existsSync(file)) return undefined;
  const meant = fileEndingWith(root, path.posix.normalize(rest.replace(/^\/+/, '')));
  return {
    entry: v,
    looked: rest,
    reading: `the root of source ref '${refVar.slice(1)}' (${repoURL}), a git work tree of the input`,
    ...(meant ? { meant: `${refVar}/${meant}` } : {}),
  };
}

/**
 * A plain entry: relative to the source's folder, or to the repository root when it starts with `/` (argo-cd
 * util/io/path ResolveValueFilePathOrUrl), where the folder is in a git work tree of the repository or is a chart
 * folder of the input holding the file's folder.
 */
function ownEntry(graph: ObjectGraph, app: GraphObject, source: Loose, v: string): MissingValueFile | undefined {
  const repoURL = text(source.repoURL);
  const sourcePath = text(source.path);
  if (!repoURL || !sourcePath || holdsTemplate(sourcePath) || templatedRepository(repoURL)) return undefined;
  const root = workTreeOf(graph, repoURL);
  const placed = placedSources(graph, app).find((s) => s.repoURL === repoURL && s.place !== undefined && chartAt(graph, s.path));
  const base = root ? path.resolve(root, sourcePath) : placed?.place !== undefined ? path.resolve(placed.place) : undefined;
  if (!base || !fs.statSync(base, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  const file = v.startsWith('/') ? (root ? path.resolve(root, v.slice(1)) : undefined) : path.resolve(base, v);
  if (!file || !within(file, root ?? base) || fs.existsSync(file)) return undefined;
  const reading = root ? `source path '${sourcePath}' in a git work tree of ${repoURL}` : `the chart folder ${placed!.place} of the input`;
  return {
    entry: v,
    looked: path
      .relative(root ?? base, file)
      .split(path.sep)
      .join('/'),
    reading,
  };
}

/**
 * The helm.valueFiles entries of an Application's sources that name no file of the repository as the input shows it.
 * The repo server stats each local file and, unless helm.ignoreMissingValueFiles is set, passes it to helm template,
 * which fails on a missing one (argo-cd reposerver/repository/repository.go getResolvedValueFiles).
 */
export function missingValueFiles(graph: ObjectGraph, app: GraphObject): MissingValueFile[] {
  const spec = mapping(app.manifest.spec);
  const sources = [mapping(spec.source), ...mappings(spec.sources)];
  const refs = new Map(sources.flatMap((s) => (text(s.ref) && text(s.repoURL) ? [[`$${text(s.ref)}`, text(s.repoURL)!] as [string, string]] : [])));
  return sources.flatMap((s) => {
    const helm = mapping(s.helm);
    if (helm.ignoreMissingValueFiles === true) return [];
    return strings(helm.valueFiles).flatMap((v) => {
      if (unjudged(v)) return [];
      const found = v.startsWith('$') ? (refs.has(v.split('/')[0]) ? refEntry(graph, refs, v) : undefined) : ownEntry(graph, app, s, v);
      return found ? [found] : [];
    });
  });
}
