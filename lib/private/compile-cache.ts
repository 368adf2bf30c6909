import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { cacheDir } from './cache-dir';
import { PACKAGE_ROOT } from './package-root';

/**
 * A V8 code cache for this package's own compiled modules (build/lib, build/imports): V8's compiled code of each
 * module, kept on disk after a run (`vm.Script#createCachedData`, the technique of v8-compile-cache) and handed back to
 * V8 by the next run, which then neither parses nor compiles what it ran before. Loading the library is most of what a
 * synth costs beyond cdk8s (the KServe and Argo CD bindings alone are 3.5 MB of JavaScript); Node 20 has no
 * `module.enableCompileCache` (Node 22.1).
 *
 * Only this package's `.js` files are cached: other packages load as Node loads them. An entry is keyed by the file's
 * path, size and modification time and Node's version; V8 refuses data made with other flags (the file is then
 * compiled afresh and its entry rewritten). CDK8S_VLLM_NO_CACHE turns it off, as it does the other caches. Run from
 * the TypeScript sources (ts-jest, ts-node), nothing is installed: their loaders compile the sources themselves.
 */

type Compile = (this: Module, content: string, filename: string) => unknown;

interface Pending {
  readonly script: vm.Script;
  readonly file: string;
  readonly key: string;
}

/**
 * The process's one cache, kept on the global object: the library loaded twice in a process (watch mode reloads it)
 * finds it there instead of wrapping the compiler a second time.
 */
interface CompileCache {
  readonly dir: string;
  /**
   * Folders (ending in a separator) whose `.js` files are cached, each with whether the packages installed below it
   * are too: a dependency's bundled packages load with it, this package's own build has none.
   */
  readonly scopes: Map<string, { readonly nested: boolean }>;
  /** What to write at exit, by entry file: a module loaded again (watch mode) keeps only its last compile. */
  readonly pending: Map<string, Pending>;
  /** Modules compiled from cached code, and compiled afresh, in this process. */
  readonly stats: { hits: number; misses: number };
}
const STATE = Symbol.for('cdk8s-vllm.compile-cache');
const registry = globalThis as { [STATE]?: CompileCache };

/**
 * Compiles the `.js` files under `packageRoot/build` with cached code from then on (outside node_modules); a no-op
 * when caching is off, or when this code runs from its TypeScript sources.
 */
export function installCompileCache(packageRoot: string): void {
  if (path.extname(__filename) !== '.js') return;
  const cache = (registry[STATE] ??= startCache());
  cache?.scopes.set(path.join(packageRoot, 'build') + path.sep, { nested: false });
}

/**
 * Compiles the modules of the named packages with cached code too (with the packages they bundle), as resolved from
 * `from`: an app's entry calls it before it loads them (cdk8s and cdk8s-plus-33 cost a synth as much as this
 * library). A package that cannot be resolved, or a cache that is off, is left alone.
 */
export function cacheDependencies(names: readonly string[], from: string): void {
  const cache = registry[STATE];
  if (!cache) return;
  for (const name of names) {
    try {
      cache.scopes.set(path.dirname(require.resolve(`${name}/package.json`, { paths: [from] })) + path.sep, { nested: true });
    } catch {
      // not installed where the app runs, or its package.json is not exported: Node loads it as usual
    }
  }
}

/** How many modules this process compiled from cached code (hits) and afresh (misses); undefined when off. */
export function compileCacheStats(): { readonly hits: number; readonly misses: number } | undefined {
  const stats = registry[STATE]?.stats;
  return stats && { ...stats };
}

/**
 * Called before work that a repeated run skips (the rule engine, the schema validator, a report computed afresh): the
 * entries of the modules compiled afresh so far are then not written at exit, once. V8 keeps in a module's cached data
 * every function compiled by the time it is made, so an entry written by the first run after a build (which runs every
 * rule, as no finding is kept yet) also holds that work's code, and every later run reads it in without running it:
 * the library's bundle loaded in about half the CPU time from an entry written by a run that found its findings kept
 * (step-05 synth). The next run compiles those modules afresh and writes them with what it runs; a run that defers
 * them again (every run changes the app's objects) writes them at exit as before, so that they are written at most one
 * run late.
 */
export function deferCompileCacheWrite(): void {
  const cache = registry[STATE];
  if (!cache?.pending.size) return;
  for (const [file, entry] of cache.pending) {
    const marker = `${file}.deferred`;
    if (fs.existsSync(marker)) continue; // deferred by the run before: written at exit
    try {
      fs.mkdirSync(cache.dir, { recursive: true });
      fs.writeFileSync(marker, entry.key);
      cache.pending.delete(file);
    } catch {
      // a read-only or full disk: written at exit (or not at all) as before
    }
  }
}

function startCache(): CompileCache | undefined {
  const dir = cacheDir('v8-code');
  if (dir === null) return undefined;
  const cache: CompileCache = { dir, scopes: new Map(), pending: new Map(), stats: { hits: 0, misses: 0 } };
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  proto._compile = function (this: Module, content, filename) {
    return inScope(cache, filename) ? runCached(this, content, filename, cache) : original.call(this, content, filename);
  };
  process.once('exit', () => writeEntries(dir, [...cache.pending.values()]));
  return cache;
}

/**
 * Whether `filename` is a `.js` file of a cached folder (and, unless the folder's nested packages are cached too, not
 * of a package installed below it). The folder itself may lie in a node_modules (this package installed in an app):
 * only the part of the path under it is looked at.
 */
function inScope(cache: CompileCache, filename: string): boolean {
  if (!filename.endsWith('.js')) return false;
  for (const [scope, { nested }] of cache.scopes) {
    if (filename.startsWith(scope)) return nested || !filename.slice(scope.length).includes(`node_modules${path.sep}`);
  }
  return false;
}

/** What an entry must match: the file as it is now, and the Node (V8) that compiles it. */
function keyOf(filename: string): string | undefined {
  try {
    const st = fs.statSync(filename);
    return `${filename}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`;
  } catch {
    return undefined;
  }
}

function entryFile(dir: string, filename: string): string {
  return path.join(dir, `${createHash('sha1').update(filename).digest('hex')}.bin`);
}

/** The cached code of `filename` when its entry matches `key`: an entry is the key's length, the key, then V8's data. */
function readEntry(file: string, key: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length < 4) return undefined;
  const keyLength = data.readUInt32LE(0);
  if (data.toString('utf8', 4, 4 + keyLength) !== key) return undefined;
  return data.subarray(4 + keyLength);
}

/** Compiles and runs a module as Node's loader does (same wrapper, same arguments), with cached code when there is some. */
function runCached(mod: Module, content: string, filename: string, cache: CompileCache): unknown {
  const key = keyOf(filename);
  const file = entryFile(cache.dir, filename);
  const cachedData = key === undefined ? undefined : readEntry(file, key);
  const script = new vm.Script(Module.wrap(stripShebang(content)), { filename, cachedData });
  const hit = cachedData !== undefined && !script.cachedDataRejected;
  cache.stats[hit ? 'hits' : 'misses']++;
  if (key !== undefined && !hit) cache.pending.set(file, { script, file, key });
  const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  return fn.call(mod.exports, mod.exports, requireFor(mod), mod, filename, path.dirname(filename));
}

/** The `require` a module receives, as Node builds it (lib/internal/modules/helpers.js makeRequireFunction). */
function requireFor(mod: Module): NodeJS.Require {
  const internal = Module as unknown as {
    _resolveFilename(request: string, parent: Module, isMain: boolean, options?: { paths?: string[] }): string;
    _resolveLookupPaths(request: string, parent: Module): string[] | null;
    _extensions: NodeJS.RequireExtensions;
    _cache: NodeJS.Dict<NodeJS.Module>;
  };
  const req = ((id: string): unknown => mod.require(id) as unknown) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => internal._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internal._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  req.main = require.main;
  req.extensions = internal._extensions;
  req.cache = internal._cache;
  return req;
}

/** Node strips a `#!` line before compiling (the CLI's entry has one); a script compiled by hand must too. */
function stripShebang(content: string): string {
  return content.startsWith('#!') ? `//${content.slice(2)}` : content;
}

/** Writes the entries of the modules compiled afresh; each atomically, and a read-only or full disk only costs the next run a compile. */
function writeEntries(dir: string, pending: readonly Pending[]): void {
  if (!pending.length) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return;
  }
  for (const { script, file, key } of pending) {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.rmSync(`${file}.deferred`, { force: true });
      const keyBytes = Buffer.from(key, 'utf8');
      const header = Buffer.alloc(4);
      header.writeUInt32LE(keyBytes.length, 0);
      fs.writeFileSync(tmp, Buffer.concat([header, keyBytes, script.createCachedData()]));
      fs.renameSync(tmp, file);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
}

installCompileCache(PACKAGE_ROOT);
