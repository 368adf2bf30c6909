import * as fs from 'fs';
import * as path from 'path';
import type { ReadOptions } from './read-options';

/** A manifest file of a work tree and its text. */
export interface WorkTreeFile {
  /** The file, absolute (under the root as the caller named it). */
  readonly file: string;
  readonly text: string;
}

/**
 * The git work tree around a checked folder as one read reads it: its manifest files walked and read once, when first
 * asked, and shared by every reader of the repository outside the folder (its Applications, the objects it deploys);
 * its folders rendered with the options of that read. Made per read, never kept across reads (a watch sees changes).
 */
export interface WorkTree {
  /** The root folder, absolute (the real path). */
  readonly root: string;
  /** The manifest files with their texts, within the work tree's budget (workTreeFiles); walked on the first call. */
  manifestFiles(): readonly WorkTreeFile[];
  /** The options of the read that made it (how kustomizations are built): a folder of the work tree is rendered alike. */
  readonly readOptions: ReadOptions;
}

/** Where a checked folder sits in a git work tree, and where the repository came from. */
export interface GitCheckout {
  /** The checked folder, as given (as the reader names its folders). */
  readonly folder: string;
  /** The folder's path from the work tree's root ('/'-separated); `.` when it is the root (it holds `.git`). */
  readonly within: string;
  /** The URLs of the repository's remotes (`[remote "…"] url` of its config), in the order written. */
  readonly remotes: readonly string[];
  /**
   * The work tree as the read that found the checkout reads it, where the folder is a subfolder of one: read once and
   * shared by its readers. @default - walked again by each reader that asks
   */
  readonly workTree?: WorkTree;
}

/** A file's text, or undefined when it cannot be read. */
function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The git directory a `.git` entry stands for: itself when a folder; the `gitdir:` a `.git` file names (a linked work
 * tree or a submodule), and its `commondir` (where a linked work tree's config lives), as git reads them.
 */
function configFileOf(dotGit: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(dotGit);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return path.join(dotGit, 'config');
  const gitdir = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '')?.[1];
  if (!gitdir) return undefined;
  const dir = path.resolve(path.dirname(dotGit), gitdir);
  const common = readText(path.join(dir, 'commondir'))?.trim();
  return path.join(common ? path.resolve(dir, common) : dir, 'config');
}

/** The remote URLs of a git config file: `url` keys of its `[remote "<name>"]` sections. */
export function remoteUrls(config: string): string[] {
  const urls: string[] = [];
  let inRemote = false;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) inRemote = /^\[remote\s+"[^"]*"\]/.test(line);
    else if (inRemote) {
      const url = /^url\s*=\s*(.+)$/i
        .exec(line)?.[1]
        ?.replace(/^"(.*)"$/, '$1')
        .trim();
      if (url) urls.push(url);
    }
  }
  return urls;
}

/**
 * The git work tree a folder belongs to: the nearest folder at or above it that holds `.git` (a folder or, in a linked
 * work tree, a file), with the folder's path from there and the remotes of its config. Undefined outside any.
 */
export function gitCheckoutOf(folder: string): GitCheckout | undefined {
  let real: string;
  try {
    real = fs.realpathSync(folder);
  } catch {
    return undefined;
  }
  for (let dir = real; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    if (fs.existsSync(dotGit)) {
      const config = configFileOf(dotGit);
      const within = path.relative(dir, real).split(path.sep).join('/') || '.';
      return { folder, within, remotes: config ? remoteUrls(readText(config) ?? '') : [] };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Whether a branch is one of the repository's at the work tree root: a local branch or a remote-tracking one, loose
 * (refs/heads/B, refs/remotes/R/B) or packed (packed-refs), in the common git directory a linked work tree shares.
 */
export function hasBranch(root: string, branch: string): boolean {
  const config = configFileOf(path.join(root, '.git'));
  if (!config || !/^[\w./-]+$/.test(branch) || branch.includes('..')) return false;
  const gitDir = path.dirname(config);
  if (fs.existsSync(path.join(gitDir, 'refs', 'heads', branch))) return true;
  let remotes: string[] = [];
  try {
    remotes = fs.readdirSync(path.join(gitDir, 'refs', 'remotes'));
  } catch {
    remotes = [];
  }
  if (remotes.some((r) => fs.existsSync(path.join(gitDir, 'refs', 'remotes', r, branch)))) return true;
  const packed = readText(path.join(gitDir, 'packed-refs')) ?? '';
  return packed.split('\n').some((l) => l.endsWith(` refs/heads/${branch}`) || new RegExp(` refs/remotes/[^/]+/${branch.replace(/[.]/g, '\\.')}$`).test(l));
}
