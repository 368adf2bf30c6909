import * as fs from 'fs';
import * as path from 'path';

/** Where a checked folder sits in a git work tree, and where the repository came from. */
export interface GitCheckout {
  /** The checked folder, as given (as the reader names its folders). */
  readonly folder: string;
  /** The folder's path from the work tree's root ('/'-separated); `.` when it is the root (it holds `.git`). */
  readonly within: string;
  /** The URLs of the repository's remotes (`[remote "…"] url` of its config), in the order written. */
  readonly remotes: readonly string[];
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
