import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping } from './access';
import { codeUnitOrder, readBounded, walkTree } from './files';
import { gitCheckoutOf } from './git-checkout';
import { isWithin } from './repository-scripts';
import { parseDocuments } from './yaml-documents';

/**
 * Bounds on what is read of a repository outside the checked folder to find the Argo CD Applications that may sync it:
 * a repository keeps its Application files near its top, few and small; a larger tree is walked only as far as these go.
 */
const MAX_FILES_SCANNED = 1000;
const MAX_ENTRIES = 10_000;
const MAX_FILE_BYTES = 256 * 1024;
const MAX_TOTAL_BYTES = 4 * 1024 * 1024;
/** Folders no Application file lives in. */
const SKIPPED = new Set(['.git', 'node_modules', 'vendor', '.terraform']);
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

/** The repository's files that may hold an Application or ApplicationSet: YAML, outside the checked folder, within the bounds. */
function candidateFiles(root: string, checked: string): string[] {
  return walkTree(root, {
    skipFolder: (name) => SKIPPED.has(name),
    keep: (name) => YAML_FILE.test(name),
    order: codeUnitOrder,
    maxFiles: MAX_FILES_SCANNED,
    maxEntries: MAX_ENTRIES,
  })
    .map((rel) => path.join(root, rel))
    .filter((f) => !isWithin(f, checked));
}

/**
 * The Argo CD Applications and ApplicationSets of the git work tree a checked folder lies in, outside that folder:
 * what may sync the folder, as a user checks the folder an Application's path names while the Application lives
 * elsewhere in the repository. Read within bounds on files and bytes; none where the folder is no subfolder of a work
 * tree (at its root, the folder holds them itself). Only read, never judged: the caller takes those that sync the folder.
 */
export function outsideApplications(folder: string): OutsideApplication[] {
  const checkout = gitCheckoutOf(folder);
  if (!checkout || checkout.within === '.') return [];
  const checked = fs.realpathSync(folder);
  const root = path.resolve(checked, ...checkout.within.split('/').map(() => '..'));
  const out: OutsideApplication[] = [];
  let bytes = 0;
  for (const file of candidateFiles(root, checked)) {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > MAX_FILE_BYTES) continue;
    if (bytes + st.size > MAX_TOTAL_BYTES) break;
    bytes += st.size;
    const read = readBounded(file, st, MAX_FILE_BYTES);
    if (!('text' in read) || !mayName(read.text, checkout.within)) continue;
    // named as the checked folder is: `repo/apps/x.yaml` for the folder `repo/operators`
    const named = path.join(folder, path.relative(checked, file)).split(path.sep).join('/');
    for (const o of parseDocuments(read.text).objects) {
      const kind = o.manifest.kind;
      if ((kind === 'Application' || kind === 'ApplicationSet') && isMapping(mapping(o.manifest).spec))
        out.push({ manifest: o.manifest, file: named, line: o.line });
    }
  }
  return out;
}
