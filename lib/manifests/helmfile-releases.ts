import * as fs from 'fs';
import * as path from 'path';
import { readRegularFile } from '../private/regular-file';
import { isMapping, Loose, mapping, mappings, text } from './access';
import { parseOne, yamlLib } from './yaml-documents';

/** A release a helmfile of the tree installs (helmfile's state file: releases[]). */
export interface HelmfileRelease {
  /** The helmfile, absolute, and the line of the release's entry. */
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** The chart's name: the last part of `repo/chart` or of a local path. */
  readonly chart: string;
  readonly namespace?: string;
  /** The values it gives: inline mappings and the files of the tree it names, merged in order. */
  readonly values: Loose;
  /** Values come from what the check does not read (a missing or templated file, `set`, `setString`). */
  readonly valuesElsewhere: boolean;
}

/** The names helmfile looks for in a folder (helmfile's default state files), the plain YAML ones. */
const HELMFILE_NAMES = ['helmfile.yaml', 'helmfile.yml'];

/** The bound on a helmfile or values file read. */
const MAX_BYTES = 4 * 1024 * 1024;

function readText(file: string): string | undefined {
  try {
    return readRegularFile(file, MAX_BYTES, 'check').toString('utf8');
  } catch {
    return undefined;
  }
}

/** Helm's merge of values: mappings merged key by key, anything else replaced (helm pkg/chartutil coalesce). */
function merged(into: Loose, from: Loose): Loose {
  const out: Loose = { ...into };
  for (const [k, v] of Object.entries(from)) out[k] = isMapping(v) && isMapping(out[k]) ? merged(out[k], v) : v;
  return out;
}

/** A values file a release names, relative to the helmfile's folder; undefined where it is templated, missing or no mapping. */
function valuesFile(dir: string, name: string): Loose | undefined {
  if (name.includes('{{') || name.endsWith('.gotmpl')) return undefined;
  const read = readText(path.resolve(dir, name));
  const parsed = read !== undefined && !read.includes('{{') ? parseOne(read) : undefined;
  if (!parsed || !('value' in parsed)) return undefined;
  // an empty file gives no values
  return isMapping(parsed.value) ? parsed.value : parsed.value == null ? {} : undefined;
}

/** The values of a release: its `values:` items in order, inline or from files of the tree. */
function releaseValues(dir: string, r: Loose): { values: Loose; elsewhere: boolean } {
  let values: Loose = {};
  let elsewhere = r.set !== undefined || r.setString !== undefined;
  for (const item of Array.isArray(r.values) ? r.values : []) {
    const from = typeof item === 'string' ? valuesFile(dir, item) : isMapping(item) ? item : undefined;
    if (from) values = merged(values, from);
    else elsewhere = true;
  }
  return { values, elsewhere };
}

/** The releases of one helmfile's documents, each with the line of its `name:`. */
function releasesOf(file: string, source: string): HelmfileRelease[] {
  const dir = path.dirname(file);
  const lines = source.split('\n');
  const lineOf = (name: string) =>
    lines.findIndex((l) => new RegExp(`^\\s*-?\\s*name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*(#.*)?$`).test(l)) + 1;
  let documents: unknown[];
  try {
    documents = yamlLib()
      .parseAllDocuments(source)
      .map((d) => ('toJS' in d ? d.toJS() : undefined));
  } catch {
    return [];
  }
  return documents.flatMap((d) =>
    mappings(mapping(d).releases).flatMap((r): HelmfileRelease[] => {
      const name = text(r.name);
      const chart = text(r.chart)?.replace(/\/+$/, '').split('/').pop();
      if (!name || !chart || name.includes('{{') || chart.includes('{{')) return [];
      const { values, elsewhere } = releaseValues(dir, r);
      const ns = text(r.namespace);
      return [{ file, line: lineOf(name), name, chart, ...(ns && !ns.includes('{{') ? { namespace: ns } : {}), values, valuesElsewhere: elsewhere }];
    }),
  );
}

/** The releases the helmfile of a folder installs (helmfile.yaml, helmfile.yml), none where it has none or it does not parse. */
export function helmfileReleases(folder: string): HelmfileRelease[] {
  for (const name of HELMFILE_NAMES) {
    const file = path.join(folder, name);
    if (!fs.existsSync(file)) continue;
    const source = readText(file);
    return source === undefined ? [] : releasesOf(file, source);
  }
  return [];
}
