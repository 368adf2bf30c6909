import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir } from './cache-dir';
import { deferCompileCacheWrite } from './compile-cache';
import { packagePath } from './package-root';
import { TextCache } from './text-cache';

/**
 * Values the library computes from a value alone (a list of rendered objects, a planning target), kept on disk between
 * runs and keyed by that value and by everything else the computation reads: the library's compiled code, its model
 * profiles and schemas (each file by path, size and modification time, as scripts/ensure-built.js judges sources) and
 * the cdk8s it renders YAML with (its version). A synth that renders what an earlier one rendered reads its reports,
 * the memory planner's catalog search and its YAML texts back instead of computing them.
 * Only for the compiled library: under a TypeScript loader (tests) everything is computed every time.
 */

let stamp: string | undefined;

/**
 * The library's files as they are at this load: its code (libraryCode), the model profiles and the schemas, and the
 * cdk8s it renders YAML with. Taken once per load of the library: the package's files do not change under a loaded
 * library (watch mode loads it afresh after a change of the library).
 */
export function libraryStamp(): string {
  if (stamp !== undefined) return stamp;
  const hash = createHash('sha256');
  for (const root of [...libraryCode(), packagePath('models'), packagePath('schemas')]) hash.update(`${folderStamp(root)}\0`);
  hash.update(`cdk8s@${installedVersion('cdk8s')}\0`);
  stamp = hash.digest('hex');
  return stamp;
}

/**
 * The files and folders of the library's code that a process runs. Loaded from the library's bundle
 * (scripts/bundle-library.js: its modules have no file of their own), the bundle, the CEL evaluator's bundle and the
 * Helm template modules the bundle requires by path; else every compiled module of the library.
 */
export function libraryCode(): readonly string[] {
  const lib = path.join(__dirname, '..');
  if (typeof module.filename === 'string') return [lib];
  return [path.join(lib, 'index.bundle.js'), path.join(lib, 'validation', 'cel.bundle.js'), path.join(lib, 'helm')];
}

/** Whether this load of the library runs from its bundle (libraryCode). */
export function runsFromBundle(): boolean {
  return typeof module.filename !== 'string';
}

/** The stamps of the package's files and folders, taken once per load (libraryStamp). */
const folderStamps = new Map<string, string>();

/**
 * A file, or every file under a folder, by path, size and modification time, in name order (declaration files left
 * out); once per load of the library, for the package's own files only.
 */
export function folderStamp(root: string): string {
  let known = folderStamps.get(root);
  if (known === undefined) {
    const hash = createHash('sha256');
    stampFiles(root, hash);
    folderStamps.set(root, (known = hash.digest('hex')));
  }
  return known;
}

function stampFiles(root: string, hash: ReturnType<typeof createHash>): void {
  const st = fs.statSync(root, { throwIfNoEntry: false });
  if (!st) return;
  if (!st.isDirectory()) {
    if (!root.endsWith('.d.ts')) hash.update(`${root}\0${st.size}\0${st.mtimeMs}\0`);
    return;
  }
  // the entries' types come with the folder's listing: only files are looked at one by one
  const entries = fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = `${root}${path.sep}${e.name}`;
    if (e.isDirectory()) stampFiles(p, hash);
    else if (!e.name.endsWith('.d.ts')) {
      const f = fs.statSync(p, { throwIfNoEntry: false });
      if (f) hash.update(`${p}\0${f.size}\0${f.mtimeMs}\0`);
    }
  }
}

/**
 * The installed version of `pkg`, read from its package.json without loading the package, or 'absent' (found along
 * the folders require would search: a package whose exports hide its package.json, as CEL's do, still has one).
 */
export function installedVersion(pkg: string): string {
  const file = (require.resolve.paths(pkg) ?? []).map((d) => path.join(d, pkg, 'package.json')).find((f) => fs.existsSync(f));
  return file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : 'absent';
}

const caches = new Map<string, TextCache | undefined>();

/** The on-disk cache of the derivation `name` (undefined when caching is off or the library runs from its sources). */
function cacheOf(name: string): TextCache | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  if (!caches.has(name)) {
    const dir = cacheDir('derived');
    caches.set(name, dir === null ? undefined : new TextCache(path.join(dir, name), `${name}\0${libraryStamp()}`));
  }
  return caches.get(name);
}

/**
 * `compute(value)` for the value `key` is the JSON of, read back when an earlier run of the same library computed it.
 * `compute` receives the value parsed from `key`, so that what is kept is a function of the key alone (whatever JSON
 * cannot write, such as an undefined field, is absent in every run alike); its answer must be JSON too, and the answer
 * returned is always as a later run reads it back.
 */
export function derivedFromJson<T>(name: string, key: string, compute: (value: unknown) => T): T {
  const cache = cacheOf(name);
  const known = cache?.get(key);
  if (known !== undefined) {
    try {
      return JSON.parse(known) as T;
    } catch {
      // a damaged file: computed afresh
    }
  }
  // a repeated run reads it back: what computes it is left out of the library's compile cache entry
  if (cache) deferCompileCacheWrite();
  const text = JSON.stringify(compute(JSON.parse(key)));
  cache?.put(key, text);
  return JSON.parse(text) as T;
}

/**
 * `compute()`, a text determined by `key` alone (with the library's files), read back when an earlier run of the same
 * library computed it.
 */
export function derivedText(name: string, key: string, compute: () => string): string {
  const cache = cacheOf(name);
  const known = cache?.get(key);
  if (known !== undefined) {
    // kept as a JSON string: a damaged file does not parse to one, and is computed afresh
    try {
      const text: unknown = JSON.parse(known);
      if (typeof text === 'string') return text;
    } catch {
      // computed afresh
    }
  }
  if (cache) deferCompileCacheWrite();
  const text = compute();
  cache?.put(key, JSON.stringify(text));
  return text;
}
