import * as fs from 'fs';
import * as path from 'path';
import { codeUnitOrder } from './files';
import { gitCheckoutOf } from './git-checkout';
import { isScriptName, readScriptFiles, scriptsOf } from './render-scripts';
import { TreeScript } from './script-text';

/** Folders that hold a repository's deployment scripts by convention, read whole where they sit in a folder above the checked one. */
const SCRIPT_FOLDERS = new Set(['scripts', 'script', 'hack', 'bin', 'tools', 'ci']);

/** The scripts of a git repository above a checked folder, relative to the repository's root. */
export interface RepositoryScripts {
  readonly root: string;
  readonly scripts: readonly TreeScript[];
}

/** The entries of a folder, none when it cannot be read. */
function entriesOf(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * The scripts of the git work tree a checked folder lies in, above that folder: the scripts, Makefiles and READMEs of
 * each folder from its parent up to the work tree's root, and every script under their script folders (`scripts/`,
 * `hack/`): where a repository keeps the commands that deploy a folder of it (`./scripts/dev-env.sh` running
 * `kustomize build deploy/dev | envsubst … | kubectl apply -f -`). Undefined outside a work tree, or at its root
 * (the folder's own scripts are read with it).
 */
export function repositoryScriptsAbove(folder: string): RepositoryScripts | undefined {
  const checkout = gitCheckoutOf(folder);
  if (!checkout || checkout.within === '.') return undefined;
  const up = checkout.within.split('/').length;
  const root = path.resolve(folder, ...Array<string>(up).fill('..'));
  const files: string[] = [];
  // each folder above, as many as the folder lies deep in the work tree
  for (let i = 1, dir = path.dirname(path.resolve(folder)); i <= up; i++, dir = path.dirname(dir)) {
    for (const e of entriesOf(dir).sort((a, b) => codeUnitOrder(a.name, b.name))) {
      if (e.isFile() && isScriptName(e.name)) files.push(path.join(dir, e.name));
      else if (e.isDirectory() && SCRIPT_FOLDERS.has(e.name)) files.push(...scriptsOf(path.join(dir, e.name), undefined, false));
    }
  }
  return { root, scripts: readScriptFiles(root, [...new Set(files)]) };
}
