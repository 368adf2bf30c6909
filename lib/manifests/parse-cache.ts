import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir } from '../private/cache-dir';
import { TextCache } from '../private/text-cache';

let texts: TextCache | null | undefined;

/**
 * What parsing a YAML text gave, kept on disk by the text (TextCache): a check of a tree read before parses only the
 * files that changed (the YAML library is about half of what checking a tree of generated manifests costs). The
 * cache's identity is the YAML library's version and the reader's own modules, so a changed parser misses. Only
 * results that JSON gives back exactly are kept: numbers that JSON cannot write (.inf, .nan, -0), absent values and
 * objects reached twice (YAML aliases, one object to the reader) are parsed again each time. `reading` names a way of
 * reading the text other than as documents of objects (a kustomization's first document).
 */
export function parsedOnce<T>(source: string, parse: () => T, reading = ''): T {
  texts ??= openCache();
  // a reading other than the documents' (a kustomization's first document) is kept apart from theirs
  const key = reading ? `${reading}\0${source}` : source;
  const known = texts?.get(key);
  if (known !== undefined) {
    try {
      return JSON.parse(known) as T;
    } catch {
      // a damaged file: parsed afresh
    }
  }
  const parsed = parse();
  if (texts && jsonExact(parsed)) texts.put(key, JSON.stringify(parsed));
  return parsed;
}

function openCache(): TextCache | null {
  const dir = cacheDir('parsed-yaml');
  if (dir === null) return null;
  const hash = createHash('sha256');
  const ext = path.extname(__filename);
  // the reader's modules and those it asks (object access, the closest-key suggestion of json-config)
  for (const file of ['yaml-documents', 'duplicate-keys', 'go-yaml-indent', 'access', 'parse-cache', path.join('..', 'private', 'json-config')])
    hash.update(fs.readFileSync(path.join(__dirname, `${file}${ext}`)));
  // the YAML library's version, from its package.json (its exports hide the file from require)
  const pkg = (require.resolve.paths('yaml') ?? []).map((d) => path.join(d, 'yaml', 'package.json')).find((f) => fs.existsSync(f));
  hash.update(pkg ? fs.readFileSync(pkg) : 'absent');
  return new TextCache(dir, hash.digest('hex'));
}

/** Whether JSON.parse(JSON.stringify(value)) gives the value back: plain data, finite numbers, each object once. */
function jsonExact(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.length === Object.keys(value).length && value.every((v) => jsonExact(v, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((v) => jsonExact(v, seen));
}
