import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from './setup/scratch';

const COMPILE_CACHE = path.join(ROOT, 'build', 'lib', 'private', 'compile-cache.js');

/**
 * Runs `script` in a fresh node process whose cache folder is `cacheHome` (no node_modules in the working folder:
 * the system temp folder, here `cacheHome`), with the package's compile cache loaded; prints JSON on its last line.
 */
function run(cacheHome: string, script: string, env: NodeJS.ProcessEnv = {}): unknown {
  const out = execFileSync('node', ['-e', `const cc = require(${JSON.stringify(COMPILE_CACHE)});\n${script}`], {
    cwd: cacheHome,
    env: { ...process.env, TMPDIR: cacheHome, CDK8S_VLLM_NO_CACHE: '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as unknown;
}

const entries = (cacheHome: string) => {
  const dir = path.join(cacheHome, 'cdk8s-vllm', 'v8-code');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin')) : [];
};

/** A package of two modules under `<root>/build`, one requiring the other, the first with a `#!` line as a CLI has. */
function fakePackage(): string {
  const root = tempDir('cc-package-');
  fs.mkdirSync(path.join(root, 'build'));
  fs.writeFileSync(
    path.join(root, 'build', 'main.js'),
    "#!/usr/bin/env node\n'use strict';\nconst dep = require('./dep');\nmodule.exports = { value: dep.value * 2, file: __filename, dir: __dirname, dep: require.resolve('./dep'), self: module.id };\n",
  );
  fs.writeFileSync(path.join(root, 'build', 'dep.js'), "'use strict';\nexports.value = 21;\n");
  return root;
}

const LOAD = (root: string) => `
  cc.installCompileCache(${JSON.stringify(root)});
  const m = require(${JSON.stringify(path.join(root, 'build', 'main.js'))});
  console.log(JSON.stringify({ m, stats: cc.compileCacheStats() }));`;

describe('V8 code cache of the compiled modules', () => {
  test("a second process compiles the package's modules from the first one's cached code, with the same results", () => {
    const home = tempDir('cc-home-');
    const root = fakePackage();
    const first = run(home, LOAD(root)) as { m: Record<string, unknown>; stats: { hits: number; misses: number } };
    expect(first.stats).toEqual({ hits: 0, misses: 2 });
    expect(first.m).toEqual({
      value: 42,
      file: path.join(root, 'build', 'main.js'),
      dir: path.join(root, 'build'),
      dep: path.join(root, 'build', 'dep.js'),
      self: path.join(root, 'build', 'main.js'),
    });
    expect(entries(home)).toHaveLength(2);
    const second = run(home, LOAD(root)) as typeof first;
    expect(second.stats).toEqual({ hits: 2, misses: 0 });
    expect(second.m).toEqual(first.m);
  });

  test('a changed module is compiled afresh and runs its new code; its entry is replaced, not added', () => {
    const home = tempDir('cc-home-');
    const root = fakePackage();
    run(home, LOAD(root));
    // same length, other content: the key (size and time) changes with the time; V8 alone would not see it
    const dep = path.join(root, 'build', 'dep.js');
    fs.writeFileSync(dep, "'use strict';\nexports.value = 12;\n");
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(dep, later, later);
    const after = run(home, LOAD(root)) as { m: { value: number }; stats: unknown };
    expect(after.m.value).toBe(24);
    expect(after.stats).toEqual({ hits: 1, misses: 1 });
    expect(entries(home)).toHaveLength(2);
    expect((run(home, LOAD(root)) as { stats: unknown }).stats).toEqual({ hits: 2, misses: 0 });
  });

  test('a damaged entry is refused by V8: the module compiles afresh and the entry is rewritten', () => {
    const home = tempDir('cc-home-');
    const root = fakePackage();
    run(home, LOAD(root));
    const dir = path.join(home, 'cdk8s-vllm', 'v8-code');
    for (const f of entries(home)) {
      const data = fs.readFileSync(path.join(dir, f));
      const keyEnd = 4 + data.readUInt32LE(0);
      fs.writeFileSync(path.join(dir, f), Buffer.concat([data.subarray(0, keyEnd), Buffer.alloc(data.length - keyEnd, 7)]));
    }
    const damaged = run(home, LOAD(root)) as { m: { value: number }; stats: unknown };
    expect(damaged.m.value).toBe(42);
    expect(damaged.stats).toEqual({ hits: 0, misses: 2 });
    expect((run(home, LOAD(root)) as { stats: unknown }).stats).toEqual({ hits: 2, misses: 0 });
  });

  test('files outside the build folder and in node_modules are left to Node; CDK8S_VLLM_NO_CACHE turns the cache off', () => {
    const home = tempDir('cc-home-');
    const root = fakePackage();
    fs.mkdirSync(path.join(root, 'build', 'node_modules', 'p'), { recursive: true });
    fs.writeFileSync(path.join(root, 'build', 'node_modules', 'p', 'index.js'), 'module.exports = 1;\n');
    fs.writeFileSync(path.join(root, 'other.js'), 'module.exports = 2;\n');
    const outside = run(
      home,
      `cc.installCompileCache(${JSON.stringify(root)});
      require(${JSON.stringify(path.join(root, 'build', 'node_modules', 'p'))}); require(${JSON.stringify(path.join(root, 'other.js'))});
      console.log(JSON.stringify(cc.compileCacheStats()));`,
    );
    expect(outside).toEqual({ hits: 0, misses: 0 });
    const off = tempDir('cc-home-');
    expect(run(off, LOAD(root), { CDK8S_VLLM_NO_CACHE: '1' })).toEqual({ m: expect.objectContaining({ value: 42 }) });
    expect(entries(off)).toEqual([]);
  });

  test('installed in an app (its folder inside node_modules), the package still loads its build from the cache', () => {
    const home = tempDir('cc-home-');
    const app = tempDir('cc-app-');
    const root = path.join(app, 'node_modules', 'the-package');
    fs.mkdirSync(root, { recursive: true });
    fs.cpSync(path.join(fakePackage(), 'build'), path.join(root, 'build'), { recursive: true });
    expect((run(home, LOAD(root)) as { stats: unknown }).stats).toEqual({ hits: 0, misses: 2 });
    expect((run(home, LOAD(root)) as { m: { value: number }; stats: unknown }).stats).toEqual({ hits: 2, misses: 0 });
  });

  test("an app's named dependencies, with the packages they bundle, load from the cache too; one not installed is left alone", () => {
    const home = tempDir('cc-home-');
    const app = tempDir('cc-app-');
    const dep = path.join(app, 'node_modules', 'dep');
    fs.mkdirSync(path.join(dep, 'node_modules', 'bundled'), { recursive: true });
    fs.writeFileSync(path.join(dep, 'package.json'), '{"name":"dep","main":"index.js"}');
    fs.writeFileSync(path.join(dep, 'index.js'), "module.exports = require('bundled') + 1;\n");
    fs.writeFileSync(path.join(dep, 'node_modules', 'bundled', 'package.json'), '{"name":"bundled","main":"index.js"}');
    fs.writeFileSync(path.join(dep, 'node_modules', 'bundled', 'index.js'), 'module.exports = 41;\n');
    fs.writeFileSync(path.join(app, 'other.js'), 'module.exports = 2;\n');
    const script = `cc.installCompileCache(${JSON.stringify(app)});
      cc.cacheDependencies(['dep', 'not-installed'], ${JSON.stringify(app)});
      const value = require(${JSON.stringify(dep)}) + require(${JSON.stringify(path.join(app, 'other.js'))});
      console.log(JSON.stringify({ value, stats: cc.compileCacheStats() }));`;
    expect(run(home, script)).toEqual({ value: 44, stats: { hits: 0, misses: 2 } });
    expect(run(home, script)).toEqual({ value: 44, stats: { hits: 2, misses: 0 } });
    expect(run(tempDir('cc-home-'), script, { CDK8S_VLLM_NO_CACHE: '1' })).toEqual({ value: 44 });
  });

  test('an error in a cached module names its file and line', () => {
    const home = tempDir('cc-home-');
    const root = fakePackage();
    fs.writeFileSync(path.join(root, 'build', 'dep.js'), "'use strict';\n\nthrow new Error('boom');\n");
    const script = `cc.installCompileCache(${JSON.stringify(root)});
      try { require(${JSON.stringify(path.join(root, 'build', 'dep.js'))}); } catch (e) { console.log(JSON.stringify(e.stack.split('\\n')[1])); }`;
    expect(run(home, script)).toContain(`${path.join(root, 'build', 'dep.js')}:3:`);
  });

  test('a run that defers its entries writes none of them; the next run writes them; a run deferring after one that deferred writes them at exit', () => {
    const home = tempDir('cc-home-');
    const root = fakePackage();
    const deferring = `${LOAD(root).replace('console.log', 'cc.deferCompileCacheWrite(); console.log')}`;
    expect(run(home, deferring)).toMatchObject({ stats: { hits: 0, misses: 2 } });
    expect(entries(home)).toEqual([]);
    // the next run compiles afresh and writes what it ran
    expect(run(home, LOAD(root))).toMatchObject({ m: { value: 42 }, stats: { hits: 0, misses: 2 } });
    expect(entries(home)).toHaveLength(2);
    expect(run(home, LOAD(root))).toMatchObject({ stats: { hits: 2, misses: 0 } });

    // every run defers (each changes what it computes): the second one writes at exit, so entries are one run late at most
    const other = tempDir('cc-home-');
    expect(run(other, deferring)).toMatchObject({ stats: { hits: 0, misses: 2 } });
    expect(entries(other)).toEqual([]);
    expect(run(other, deferring)).toMatchObject({ stats: { hits: 0, misses: 2 } });
    expect(entries(other)).toHaveLength(2);
    expect(fs.readdirSync(path.join(other, 'cdk8s-vllm', 'v8-code')).filter((f) => f.endsWith('.deferred'))).toEqual([]);
    expect(run(other, deferring)).toMatchObject({ m: { value: 42 }, stats: { hits: 2, misses: 0 } });
  });

  test('the library itself loads from the cache on its second load: one bundled module, its bindings included', () => {
    const home = tempDir('cc-home-');
    const build = path.join(ROOT, 'build') + path.sep;
    const load = `require(${JSON.stringify(path.join(ROOT, 'build', 'lib'))});
      const loaded = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(build)})).map((f) => f.slice(${build.length})).sort();
      console.log(JSON.stringify({ stats: cc.compileCacheStats(), loaded }));`;
    const first = run(home, load) as { stats: { hits: number; misses: number }; loaded: string[] };
    // the entry, the stamp that says the bundle holds what tsc last wrote, and the cache it installs first, then the
    // bundle (scripts/bundle-library.js): no other module of lib/ or imports/ on its own
    expect(first.loaded).toEqual([
      'lib/index.bundle.js',
      'lib/index.js',
      'lib/private/bundle-stamp.js',
      'lib/private/cache-dir.js',
      'lib/private/compile-cache.js',
      'lib/private/package-root.js',
    ]);
    expect(first.stats).toEqual({ hits: 0, misses: 3 });
    const second = run(home, load) as { stats: { hits: number; misses: number } };
    expect(second.stats).toEqual({ hits: 3, misses: 0 });
    expect(fs.readdirSync(path.join(home, 'cdk8s-vllm', 'v8-code'))).toHaveLength(3);
  });
});
