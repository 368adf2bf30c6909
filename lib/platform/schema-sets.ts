import * as fs from 'fs';
import * as path from 'path';
import { packagePath } from '../private/package-root';

/** A description-free CRD schema file of schemas/crds/<set>/ (written by `npm run import`). */
export interface CrdSchemaFile {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly versions: readonly { readonly name: string; readonly schema: Record<string, unknown> }[];
}

/** File names by schema set, and parsed files by path: the package's files do not change in a run, and the served
 * APIs and the field schemas read the same files (parsing them twice was a tenth of a synth). */
const namesBySet = new Map<string, readonly string[]>();
const parsed = new Map<string, CrdSchemaFile>();

/** The CRD schema files of a set, sorted, as paths. */
export function schemaSetFiles(set: string): readonly string[] {
  let names = namesBySet.get(set);
  if (!names) {
    names = fs
      .readdirSync(packagePath('schemas', 'crds', set))
      .filter((f) => f.endsWith('.json'))
      .sort();
    namesBySet.set(set, names);
  }
  return names.map((n) => packagePath('schemas', 'crds', set, n));
}

/** One CRD schema file, parsed once. */
export function crdSchemaFile(file: string): CrdSchemaFile {
  let doc = parsed.get(file);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as CrdSchemaFile;
    parsed.set(file, doc);
  }
  return doc;
}

/**
 * The files of a set that hold an API group's CRDs (their names end in `.<group>.json`); given a kind, the files whose
 * plural starts with the kind's name in lower case come first (`servingruntimes` for ServingRuntime), so that a
 * lookup by kind parses the file it wants before the others of its group (a ServingRuntime parsed the 0.3 MB
 * InferenceService and LLMInferenceService schemas first).
 */
export function groupFiles(set: string, group: string, kind?: string): readonly string[] {
  const files = schemaSetFiles(set).filter((f) => path.basename(f).endsWith(`.${group}.json`));
  if (!kind) return files;
  const likely = (f: string) => path.basename(f).startsWith(kind.toLowerCase());
  return [...files.filter(likely), ...files.filter((f) => !likely(f))];
}

/** A CRD schema file's group, kind and served versions, read without parsing its schemas. */
export interface CrdHeader {
  readonly group: string;
  readonly kind: string;
  readonly versions: readonly string[];
}

/**
 * The group, kind and version names of a schema file, read off its text: scripts/import-crds.js (toSchemaFile) writes
 * `{"group":…,"kind":…,…,"versions":[{"name":…,"storage":…,…,"schema":…},…]}`, and only a version entry starts with
 * a name followed by `storage`. Knowing a group's kinds then costs no parse of its schemas (the Argo CD
 * ApplicationSet schema alone is 0.25 MB); a file whose text does not read so is parsed.
 */
export function crdHeader(file: string): CrdHeader {
  const known = parsed.get(file);
  if (known) return { group: known.group, kind: known.kind, versions: known.versions.map((v) => v.name) };
  const text = fs.readFileSync(file, 'utf8');
  const head = /^\{"group":"([^"\\]+)","kind":"([^"\\]+)",/.exec(text);
  const versions = [...text.matchAll(/\{"name":"([^"\\]+)","storage":(?:true|false)[,}]/g)].map((m) => m[1]);
  if (head && versions.length) return { group: head[1], kind: head[2], versions };
  const doc = crdSchemaFile(file);
  return { group: doc.group, kind: doc.kind, versions: doc.versions.map((v) => v.name) };
}
