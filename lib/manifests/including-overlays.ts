import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, strings } from './access';
import type { GitCheckout } from './git-checkout';
import { isRemote, KUSTOMIZATION_FILES } from './kustomization';
import { applyPatches } from './patches';
import { isWithin } from './repository-scripts';
import { workTreeOf } from './work-tree';
import { parsePatchDocuments } from './yaml-documents';

/** A kustomization of the work tree: its folder and its document. */
interface Layer {
  readonly dir: string;
  readonly doc: Loose;
}

/**
 * An outermost kustomization of the repository whose build includes the checked folder (through `resources`, the
 * older `bases`, or `components`), with the kustomizations between them, innermost first: the order kustomize applies
 * their patches to what the folder builds.
 */
export interface IncludingOverlay {
  /** The outermost kustomization's folder, named as the checked folder is ('/'-separated). */
  readonly name: string;
  readonly layers: readonly Layer[];
}

/** The work tree's kustomizations, by each folder or file they list (absolute). */
function listedByOf(checkout: GitCheckout): Map<string, Layer[]> {
  const listedBy = new Map<string, Layer[]>();
  for (const { file, text } of workTreeOf(checkout)?.manifestFiles() ?? []) {
    if (!KUSTOMIZATION_FILES.includes(path.basename(file))) continue;
    const parsed = parsePatchDocuments(text);
    const doc = 'values' in parsed ? parsed.values[0] : undefined;
    if (!isMapping(doc)) continue;
    const dir = path.dirname(file);
    for (const entry of [...strings(doc.resources), ...strings(doc.bases), ...strings(doc.components)]) {
      if (isRemote(entry)) continue;
      const listed = path.resolve(dir, entry);
      listedBy.set(listed, [...(listedBy.get(listed) ?? []), { dir, doc }]);
    }
  }
  return listedBy;
}

/**
 * The outermost kustomizations of the checked folder's work tree that include it, each with the chain of layers
 * down to it; none where no kustomization of the repository includes the folder (it is a root itself).
 */
export function includingOverlays(checkout: GitCheckout): IncludingOverlay[] {
  const listedBy = listedByOf(checkout);
  const checked = fs.realpathSync(checkout.folder);
  const out: IncludingOverlay[] = [];
  const walk = (target: string, below: readonly Layer[], seen: ReadonlySet<string>) => {
    const listers = (listedBy.get(target) ?? []).filter((k) => !seen.has(k.dir));
    if (!listers.length) {
      if (below.length) out.push({ name: path.join(checkout.folder, path.relative(checked, target)).split(path.sep).join('/'), layers: below });
      return;
    }
    for (const k of listers) walk(k.dir, [...below, k], new Set([...seen, k.dir]));
  };
  walk(checked, [], new Set([checked]));
  return out;
}

/**
 * An object of the checked folder's build as an overlay delivers it: the patches of each layer applied in turn
 * (./patches, as kustomize applies them); the patch files are read within the work tree only.
 */
export function deliveredThrough(overlay: IncludingOverlay, manifest: Loose, root: string): unknown {
  let objects: unknown[] = [structuredClone(manifest)];
  for (const { dir, doc } of overlay.layers) {
    const readFile = (p: string) => {
      const file = path.resolve(dir, p);
      if (!isWithin(file, root)) return undefined;
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    };
    objects = applyPatches(doc, objects, readFile).objects;
  }
  return objects[0];
}
