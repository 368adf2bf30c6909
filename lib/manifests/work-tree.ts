import * as fs from 'fs';
import * as path from 'path';
import { codeUnitOrder, readBounded, walkTree } from './files';
import type { GitCheckout, WorkTree, WorkTreeFile } from './git-checkout';
import type { ReadOptions } from './read-options';

export type { WorkTree, WorkTreeFile } from './git-checkout';

/**
 * The one reader of the git work tree around a checked folder: its root, its manifest files (read once, within one
 * budget) and the folder of it an Argo CD Application's source names.
 */

/**
 * The root folder of a work tree: the checked folder (`folder`, as the caller names it: as given, or its real path),
 * up as many folders as its path in the repository has.
 */
export function workTreeRoot(c: GitCheckout, folder: string = c.folder): string {
  const up = c.within.split('/').filter((p) => p !== '.');
  return path.resolve(folder, ...up.map(() => '..'));
}

/**
 * Folders of a work tree whose files no reader of it takes, each with why: git's own and installed or vendored code
 * hold no manifest of the repository; a vendored Helm chart's templates are no manifests until rendered; test data
 * stands alone (a fixture's objects, or an Application of a test, deploy nothing).
 */
const SKIPPED_FOLDERS: ReadonlyMap<string, string> = new Map([
  ['.git', "git's own store"],
  ['node_modules', 'installed npm packages'],
  ['vendor', 'vendored dependencies'],
  ['.terraform', "Terraform's downloaded providers and modules"],
  ['charts', 'vendored Helm charts: templates, no manifests until rendered'],
  ['third_party', 'vendored code of other projects'],
  ['test', 'test data'],
  ['tests', 'test data'],
  ['testdata', 'test data'],
  ['e2e', 'end-to-end test data'],
  ['fixtures', 'test fixtures'],
]);

/** Whether a '/'-separated path of the work tree lies in a folder its readers skip (a checked folder of test data). */
export function inSkippedFolder(within: string): boolean {
  return within.split('/').some((p) => SKIPPED_FOLDERS.has(p));
}

/**
 * The budget of one read of a work tree: enough for the manifests and Application files of a project's deploy/,
 * config/ and argocd/ folders, not for a monorepo's every file; a larger tree is read in part, breadth-first. Counts
 * and bytes only, no clock: what is read must not depend on how busy the machine is (the same tree, the same verdict).
 */
const MAX_FILES = 3000;
const MAX_ENTRIES = 30_000;
const MAX_FILE_BYTES = 256 * 1024;
const MAX_TOTAL_BYTES = 16 * 1024 * 1024;
/** A manifest file: YAML, or kustomize's extensionless `Kustomization`. */
const MANIFEST_FILE = (name: string) => /\.ya?ml$/i.test(name) || name === 'Kustomization';

/**
 * The manifest files of the work tree at `root` with their texts: one breadth-first walk (the skipped folders left
 * out, symbolic links not followed), read within the budget on files, entries and bytes.
 */
export function workTreeFiles(root: string): WorkTreeFile[] {
  const files = walkTree(root, {
    skipFolder: (name) => SKIPPED_FOLDERS.has(name),
    keep: MANIFEST_FILE,
    order: codeUnitOrder,
    maxFiles: MAX_FILES,
    maxEntries: MAX_ENTRIES,
  });
  const out: WorkTreeFile[] = [];
  let bytes = 0;
  for (const file of files.map((rel) => path.join(root, rel))) {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > MAX_FILE_BYTES) continue;
    if (bytes + st.size > MAX_TOTAL_BYTES) break;
    bytes += st.size;
    const read = readBounded(file, st, MAX_FILE_BYTES);
    if ('text' in read) out.push({ file, text: read.text });
  }
  return out;
}

/**
 * The work tree at `root` (its real path) as one read reads it: its manifest files walked once, on the first call
 * (workTreeFiles), and its folders rendered with the read's options (the standard input left out).
 */
export function workTreeAt(root: string, readOptions: ReadOptions = {}): WorkTree {
  let files: readonly WorkTreeFile[] | undefined;
  const { stdin: _stdin, ...options } = readOptions;
  return {
    root,
    manifestFiles: () => (files ??= workTreeFiles(root)),
    readOptions: options,
  };
}

/**
 * The work tree of a checkout of a subfolder: the one its read made (GitCheckout.workTree), else one walked on demand
 * from its root (a checkout written by hand); undefined where the folder is the work tree's root.
 */
export function workTreeOf(c: GitCheckout): WorkTree | undefined {
  if (c.within === '.') return undefined;
  return c.workTree ?? workTreeAt(workTreeRoot(c, fs.realpathSync(c.folder)));
}

/** A remote that names a repository by URL (https://, ssh://, git@host:), not a local path: one a repoURL can be compared with. */
const URL_REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|[^/@\s]+@[^:\s]+:)/i;

/** A repository URL as Argo CD compares them: no scheme, user, `.git` suffix, trailing slash or case (util/git NormalizeGitURL). */
export const normalGitUrl = (url: string): string =>
  url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, '')
    .replace(/^[^@/]*@/, '')
    .replace(':', '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');

/** A repository URL's path segments as Argo CD compares URLs (normalGitUrl), `owner+name` mirror folders split too. */
const segments = (url: string) => normalGitUrl(url).split(/[/+]/).filter(Boolean);

/**
 * Whether a remote names the repository of a repoURL or a fork of it: the same URL, or a repository of the same name
 * (a fork keeps its upstream's name under another owner; a mirror's folder may join owner and name with `+`).
 */
function namesRepository(remote: string, repoURL: string): boolean {
  const wanted = segments(repoURL);
  const name = wanted[wanted.length - 1];
  if (!name || wanted.length < 2) return false;
  const s = segments(remote);
  return s.join('/') === wanted.join('/') || s[s.length - 1] === name || s.slice(0, -1).includes(name);
}

/**
 * Whether a work tree without URL remotes, cloned from a local path (a mirror's folder), is the repository a repoURL
 * names: the local remote's last segments name it (namesRepository). False where any remote is a URL, which then says.
 */
export function localRemoteNames(c: GitCheckout, repoURL: string): boolean {
  return c.remotes.length > 0 && !c.remotes.some((r) => URL_REMOTE.test(r)) && c.remotes.some((r) => namesRepository(r, repoURL));
}

/**
 * The folder of a work tree an Application source (repoURL and path) names, absolute from `root`, as Argo CD finds
 * it (argo-cd reposerver: appPath = repository root + source.path): where a URL remote of the work tree is that
 * repository or a fork of it, or, in a work tree without URL remotes, a local remote (a mirror's path) names it; and
 * the path is a folder of the work tree. Undefined for any other repository or a path the work tree lacks.
 */
export function workTreeSourceFolder(c: GitCheckout, repoURL: string, sourcePath: string, root: string = workTreeRoot(c)): string | undefined {
  const byUrl = c.remotes.filter((r) => URL_REMOTE.test(r));
  if (!(byUrl.length ? byUrl : c.remotes).some((r) => namesRepository(r, repoURL))) return undefined;
  const folder = path.resolve(root, sourcePath);
  if (folder !== root && !folder.startsWith(`${root}${path.sep}`)) return undefined;
  return fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory() ? folder : undefined;
}
