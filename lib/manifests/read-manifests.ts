import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** A manifest read from disk, with where it came from. */
export interface LoadedManifest {
  /** File path as given (relative paths stay relative). */
  readonly file: string;
  /** Index of the document in a multi-document file. */
  readonly index: number;
  /** The object as parsed (a mapping for a Kubernetes object, anything else for a stray document). */
  readonly manifest: unknown;
}

/** A file that could not be parsed. */
export interface ManifestReadError {
  readonly file: string;
  readonly message: string;
}

/**
 * Reads every `*.yaml`/`*.yml` below the given files or folders, multi-document files included. Kustomization
 * files and empty documents are skipped; files are read in sorted order so results are stable.
 */
export function readManifests(paths: readonly string[]): { manifests: LoadedManifest[]; errors: ManifestReadError[] } {
  const files: string[] = [];
  const errors: ManifestReadError[] = [];
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      errors.push({ file: p, message: 'no such file or folder' });
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        if (e === 'node_modules' || e.startsWith('.')) continue;
        walk(path.join(p, e));
      }
    } else if (/\.ya?ml$/.test(p) && !/^kustomization\.ya?ml$/.test(path.basename(p))) {
      files.push(p);
    }
  };
  paths.forEach(walk);
  const manifests: LoadedManifest[] = [];
  for (const file of files) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
    docs.forEach((doc, index) => {
      if (doc.errors.length) {
        errors.push({ file, message: `document ${index + 1}: ${doc.errors[0].message}` });
        return;
      }
      const manifest = doc.toJS({ maxAliasCount: 100 });
      if (manifest === null || manifest === undefined) return;
      if (manifest.kind === 'List' && Array.isArray(manifest.items)) {
        manifest.items.forEach((item: any) => manifests.push({ file, index, manifest: item }));
      } else {
        manifests.push({ file, index, manifest });
      }
    });
  }
  return { manifests, errors };
}
