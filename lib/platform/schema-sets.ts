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

/** The files of a set that hold an API group's CRDs (their names end in `.<group>.json`). */
export function groupFiles(set: string, group: string): readonly string[] {
  return schemaSetFiles(set).filter((f) => path.basename(f).endsWith(`.${group}.json`));
}
