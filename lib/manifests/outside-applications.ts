import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping } from './access';
import type { GitCheckout } from './git-checkout';
import { isWithin } from './repository-scripts';
import { workTreeOf } from './work-tree';
import { parseDocuments } from './yaml-documents';

/** An Application file: YAML (the work tree's kustomize `Kustomization` files hold none). */
const YAML_FILE = /\.ya?ml$/i;
/** A quick test before parsing: the file names one of Argo CD's kinds that say what a folder is synced with. */
const DELIVERY_KIND = /^\s*kind:\s*["']?(Application|ApplicationSet)["']?\s*$/m;

/**
 * Whether a file's text may hold an Application or ApplicationSet that syncs the folder at `within`: it names one of
 * the kinds, and the folder's name (a path to it ends so) or, for an ApplicationSet's generator globs, its first
 * folder. The rest is not parsed.
 */
function mayName(text: string, within: string): boolean {
  const kind = DELIVERY_KIND.exec(text)?.[1];
  if (!kind) return false;
  const parts = within.split('/');
  return text.includes(parts[parts.length - 1]) || (/^\s*kind:\s*["']?ApplicationSet\b/m.test(text) && text.includes(parts[0]));
}

/** An Application or ApplicationSet read from a file of the checked folder's repository, outside the folder. */
export interface OutsideApplication {
  readonly manifest: Loose;
  /** The file, named as the checked folder is (`repo/apps/x.yaml` for the folder `repo/operators`), '/'-separated. */
  readonly file: string;
  readonly line: number;
}

/**
 * The Argo CD Applications and ApplicationSets of the git work tree a checked folder lies in, outside that folder:
 * what may sync the folder, as a user checks the folder an Application's path names while the Application lives
 * elsewhere in the repository. Taken from the work tree's files as its read holds them (WorkTree.manifestFiles); none
 * where the checked folder is no subfolder of a work tree (at its root, the folder holds them itself). Only read,
 * never judged: the caller takes those that sync the folder.
 */
export function outsideApplications(checkout: GitCheckout): OutsideApplication[] {
  const tree = workTreeOf(checkout);
  if (!tree) return [];
  const folder = checkout.folder;
  const checked = fs.realpathSync(folder);
  const out: OutsideApplication[] = [];
  for (const { file, text: source } of tree.manifestFiles()) {
    if (!YAML_FILE.test(file) || isWithin(file, checked) || !mayName(source, checkout.within)) continue;
    // named as the checked folder is: `repo/apps/x.yaml` for the folder `repo/operators`
    const named = path.join(folder, path.relative(checked, file)).split(path.sep).join('/');
    for (const o of parseDocuments(source).objects) {
      const kind = o.manifest.kind;
      if ((kind === 'Application' || kind === 'ApplicationSet') && isMapping(mapping(o.manifest).spec))
        out.push({ manifest: o.manifest, file: named, line: o.line });
    }
  }
  return out;
}
