#!/usr/bin/env node
/**
 * `npm run watch`: renders the apps once, then again after each change of a source, in the same process.
 *
 * cdk8s, the library and the schema verdicts stay loaded between renders, so a change costs only the render of the
 * app it touches: a configuration file re-renders the app that reads it; an app file is transpiled alone
 * (esbuild's transform, no type check: `npm run build` or the next `npm run synth` type-checks) and its
 * app re-rendered; a library file is transpiled and every app re-rendered with the library loaded afresh.
 * Each render writes its tree atomically (KustomizeTree), so a failed render leaves the last good tree; the error is
 * printed and the watch goes on. Prints one line per render: `rendered step-05 in 42 ms (config/step-05.json)`.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { ensureBuilt, ROOT } = require('./ensure-built');
const { slimBindings } = require('./slim-bindings');

/** The apps of this repository, as scripts/run-app.js renders them: the file that defines each, the files it reads, where it renders. */
const APPS = [
  {
    name: 'step-05',
    source: 'main.ts',
    inputs: ['main.ts', 'config'],
    render: (m) => {
      m.main(path.join(ROOT, 'dist'));
      m.main(path.join(ROOT, 'examples', 'dist-rhoai-3.4'), undefined, { platform: 'rhoai-3.4', pathPrefix: 'examples/dist-rhoai-3.4' });
    },
  },
  { name: 'two-teams', source: 'examples/two-teams.ts', inputs: ['examples/two-teams.ts'], render: (m) => m.main(path.join(ROOT, 'examples', 'dist')) },
  { name: 'fleet', source: 'examples/fleet.ts', inputs: ['examples/fleet.ts'], render: (m) => m.main(path.join(ROOT, 'examples', 'dist-fleet')) },
  { name: 'llm-d', source: 'examples/llm-d.ts', inputs: ['examples/llm-d.ts'], render: (m) => m.main(path.join(ROOT, 'examples', 'dist-llm-d')) },
];
/** Folders and files whose changes are followed (rendered output is not a source). */
const WATCHED = ['main.ts', 'config', 'examples', 'lib', 'imports', 'models', 'schemas'];
/** Editors save in several events (truncate, write, rename): one render after they settle. */
const SETTLE_MS = 15;

const built = (source) => path.join(ROOT, 'build', source.replace(/\.ts$/, '.js'));

/**
 * The transpiler of a changed source: esbuild's transform, a few milliseconds where TypeScript's transpileModule took
 * 50 ms and more for main.ts (both drop types without checking them). tsconfig.json's compiler options go with it, so
 * the CommonJS interop, the class-field semantics of the ES2022 target and the decorators are the ones tsc emits.
 */
function loadTranspiler() {
  const esbuild = require('esbuild');
  const compilerOptions = require('typescript').readConfigFile(path.join(ROOT, 'tsconfig.json'), (f) => fs.readFileSync(f, 'utf8')).config.compilerOptions;
  const transpileText = (text, file) => {
    try {
      return esbuild.transformSync(text, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: file, tsconfigRaw: { compilerOptions } }).code;
    } catch (e) {
      // esbuild's message is a header over several lines: one line per error, where it is and what
      const where = (m) => (m.location ? `${path.relative(ROOT, m.location.file)}:${m.location.line}:${m.location.column + 1}: ` : '');
      throw new Error(e.errors?.length ? e.errors.map((m) => `${where(m)}${m.text}`).join('; ') : e.message);
    }
  };
  // the first transform starts esbuild's service: done here, not on the first change
  transpileText('export {};', 'warm-up.ts');
  return (source) => {
    const file = path.join(ROOT, source);
    const out = transpileText(fs.readFileSync(file, 'utf8'), file);
    fs.mkdirSync(path.dirname(built(source)), { recursive: true });
    fs.writeFileSync(built(source), out);
  };
}

/** Renders `apps`, each from a fresh require of its built module; one line per app, errors included. */
function render(apps, why) {
  for (const app of apps) {
    const t0 = process.hrtime.bigint();
    try {
      delete require.cache[built(app.source)];
      app.render(require(built(app.source)));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      console.log(`rendered ${app.name} in ${Math.round(ms)} ms (${why})`);
    } catch (e) {
      console.log(`render of ${app.name} failed (${why}): ${e.message}`);
    }
  }
}

/** What a change of `file` (relative to the root) asks for: the apps to render, and whether the library reloads. */
function plan(file) {
  if (/(^|\/)(dist[^/]*|node_modules)(\/|$)/.test(file) || !/\.(ts|json)$/.test(file)) return undefined;
  if (file.startsWith('lib/') || file.startsWith('imports/')) return { apps: APPS, transpile: file.endsWith('.ts') ? [file] : [], reloadLibrary: true };
  // the model profiles and schemas the library reads: a loaded library stamps them once (its caches' keys), so a
  // change of one loads it afresh, as a change of its code does
  if (file.startsWith('models/') || file.startsWith('schemas/')) return { apps: APPS, transpile: [], reloadLibrary: true };
  const apps = APPS.filter((a) => a.inputs.some((i) => file === i || file.startsWith(`${i}/`)));
  return apps.length ? { apps, transpile: file.endsWith('.ts') ? [file] : [], reloadLibrary: false } : undefined;
}

function main() {
  ensureBuilt();
  process.chdir(ROOT);
  const transpile = loadTranspiler();
  render(APPS, 'start');
  const pending = new Map();
  let timer;
  const flush = () => {
    const plans = [...pending.values()];
    const files = [...pending.keys()];
    pending.clear();
    try {
      for (const f of plans.flatMap((p) => p.transpile)) if (fs.existsSync(path.join(ROOT, f))) transpile(f);
      // as `npm run build`: the CRD bindings keep what the library uses, and the library's entry is bundled afresh
      if (plans.some((p) => p.reloadLibrary)) {
        slimBindings();
        execFileSync(process.execPath, [path.join(__dirname, 'bundle-library.js')], { stdio: 'inherit', cwd: ROOT });
        execFileSync(process.execPath, [path.join(__dirname, 'precompile-validators.js')], { stdio: 'inherit', cwd: ROOT });
      }
    } catch (e) {
      console.log(`transpile failed: ${e.message}`);
      return;
    }
    // the library has module-level state (per-app registries): a changed library file reloads all of build/
    if (plans.some((p) => p.reloadLibrary))
      for (const k of Object.keys(require.cache)) if (k.startsWith(path.join(ROOT, 'build') + path.sep)) delete require.cache[k];
    render(
      APPS.filter((a) => plans.some((p) => p.apps.includes(a))),
      files.join(', '),
    );
  };
  for (const w of WATCHED) {
    const target = path.join(ROOT, w);
    if (!fs.existsSync(target)) continue;
    const isDir = fs.statSync(target).isDirectory();
    fs.watch(target, { recursive: isDir }, (_event, name) => {
      const file = isDir ? `${w}/${String(name).split(path.sep).join('/')}` : w;
      const p = plan(file);
      if (!p) return;
      pending.set(file, p);
      clearTimeout(timer);
      timer = setTimeout(flush, SETTLE_MS);
    });
  }
  console.log(`watching ${WATCHED.join(', ')}; Ctrl-C stops`);
}

if (require.main === module) main();

module.exports = { plan, APPS };
