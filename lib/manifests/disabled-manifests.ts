import * as fs from 'fs';
import * as path from 'path';
import { codeUnitOrder, readBounded, walkTree } from './files';
import { Loose } from './access';
import { parseDocuments } from './yaml-documents';

/**
 * A manifest switched off by renaming its file: `ks.dis`, `app.yaml.disabled`, `ks.yaml.off`. Neither kustomize nor
 * Flux's generated kustomization (fluxcd/pkg kustomize generator: *.yaml, *.yml and *.json files) reads such a file,
 * so what it defines is never applied.
 */
const DISABLED_FILE = /\.(dis|disable|disabled|off|bak|old|skip|ignore)$/i;

/** Folders that hold no manifest of the repository (git's store, installed and vendored code). */
const SKIPPED = new Set(['.git', 'node_modules', 'vendor', '.terraform', 'third_party']);

/** The budget of the walk: a repository's layout, not a monorepo's every file. */
const MAX_FILES = 200;
const MAX_ENTRIES = 30_000;
const MAX_FILE_BYTES = 64 * 1024;

/** One object of a switched-off file: its manifest and its file, relative to the walked root. */
export interface DisabledManifest {
  readonly file: string;
  readonly manifest: Loose;
}

/** The objects of the switched-off manifest files under `root` (DISABLED_FILE) that parse as YAML objects with a kind. */
export function disabledManifests(root: string): DisabledManifest[] {
  const files = walkTree(root, {
    skipFolder: (name) => SKIPPED.has(name),
    keep: (name) => DISABLED_FILE.test(name),
    order: codeUnitOrder,
    maxFiles: MAX_FILES,
    maxEntries: MAX_ENTRIES,
  });
  return files.flatMap((rel) => {
    const file = path.join(root, rel);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) return [];
    const read = readBounded(file, st, MAX_FILE_BYTES);
    if (!('text' in read)) return [];
    try {
      return parseDocuments(read.text)
        .objects.filter((o) => typeof o.manifest.kind === 'string')
        .map((o) => ({ file: rel, manifest: o.manifest }));
    } catch {
      return [];
    }
  });
}
