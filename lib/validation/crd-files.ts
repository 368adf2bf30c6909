import * as fs from 'fs';
import * as path from 'path';
import { Loose } from '../manifests/access';
import { compareText } from '../private/collate';
import { sha256 } from './compiled-validators';

/** The CRD schemas a validator knows: the shipped description-free files, and a folder of CustomResourceDefinitions. */

export interface CrdSchemaFile {
  readonly hash: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: string;
  readonly versions: { readonly name: string; readonly schema: Loose }[];
}

export function readShippedCrds(dir: string): CrdSchemaFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      return { ...JSON.parse(text), hash: sha256(text) };
    });
}

/** The description-free form scripts/import-crds.js writes to schemas/crds: group, kind, plural, scope, versions with their schema. */
function isShippedForm(doc: unknown): doc is Omit<CrdSchemaFile, 'hash'> {
  const d = doc as Loose;
  return (
    !!d &&
    typeof d === 'object' &&
    d.kind !== 'CustomResourceDefinition' &&
    typeof d.group === 'string' &&
    typeof d.kind === 'string' &&
    typeof d.scope === 'string' &&
    Array.isArray(d.versions) &&
    d.versions.every((v: Loose) => typeof v?.name === 'string' && v.schema && typeof v.schema === 'object')
  );
}

/**
 * The documents of a CRD file as plain data. A cluster's or an operator's CRDs run to megabytes of generated YAML
 * (14 MB for the OpenShift AI, Kueue and Argo CD sets), where js-yaml builds the data about eight times as fast as
 * yaml's document API, which keeps every node's position; both read YAML 1.2's core schema, so a file both accept
 * gives the same data (test/reader/crd-files.ts compares them). A file js-yaml refuses (a duplicate key, a syntax error)
 * is read as before by yaml, whose reading of a broken file the rest of the tool shares.
 */
function crdDocuments(text: string): Loose[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fast = require('js-yaml') as typeof import('js-yaml');
  try {
    return fast.loadAll(text, null, { schema: fast.CORE_SCHEMA }) as Loose[];
  } catch {
    const YAML = require('yaml') as typeof import('yaml');
    return YAML.parseAllDocuments(text).map((d) => d.toJS());
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Reads CustomResourceDefinitions from YAML files (the upstream CRD files, or any cluster's export). */
export function readCrdDir(dir: string): CrdSchemaFile[] {
  const out: CrdSchemaFile[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$|\.json$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        for (const crd of crdDocuments(text)) {
          if (isShippedForm(crd)) {
            out.push({ ...crd, hash: sha256(`${p}:${text}`) });
            continue;
          }
          if (crd?.kind !== 'CustomResourceDefinition') continue;
          out.push({
            hash: sha256(`${p}:${text}`),
            group: crd.spec.group,
            kind: crd.spec.names.kind,
            plural: crd.spec.names.plural,
            scope: crd.spec.scope,
            versions: crd.spec.versions.filter((v: Loose) => v.served).map((v: Loose) => ({ name: v.name, schema: v.schema?.openAPIV3Schema ?? {} })),
          });
        }
      }
    }
  };
  walk(dir);
  if (!out.length) throw new Error(`no CustomResourceDefinition found under ${dir}`);
  return out;
}
