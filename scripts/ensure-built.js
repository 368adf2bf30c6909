'use strict';
/**
 * Compiles the TypeScript sources when any changed since the last build; a no-op otherwise (a few ms).
 * A change is any difference in the sources' paths, sizes or modification times, recorded in build/.source-stamp:
 * comparing stamps instead of "newer than the build" also catches files restored with older times (git checkout).
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const SOURCES = ['main.ts', 'lib', 'imports', 'bench', 'examples', 'tsconfig.json', 'package.json'];
const STAMP = path.join(ROOT, 'build', '.source-stamp');

function stampOf() {
  const hash = crypto.createHash('sha256');
  const visit = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      // rendered output (examples/dist) is not a source: synth writes it
      for (const e of fs.readdirSync(p).sort()) if (e !== 'dist' && e !== 'node_modules') visit(path.join(p, e));
    } else if (/\.(ts|json)$/.test(p)) {
      hash.update(`${path.relative(ROOT, p)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  for (const s of SOURCES) if (fs.existsSync(path.join(ROOT, s))) visit(path.join(ROOT, s));
  return hash.digest('hex');
}

/** The sources' stamp when build/ is older than them (it must be compiled), else undefined. */
function staleStamp() {
  const stamp = stampOf();
  const built = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8') : '';
  return stamp === built ? undefined : stamp;
}

/**
 * Records that build/ was compiled from the sources of `stamp` by another program than tsc's incremental build
 * (scripts/test.js): that build's record (.tsbuildinfo) no longer describes build/, so it goes.
 */
function recordBuilt(stamp) {
  fs.rmSync(path.join(ROOT, 'build', '.tsbuildinfo'), { force: true });
  // the bundles were stamped with the record just removed: they still hold what was compiled
  require('./bundle-library').stampBundles();
  fs.writeFileSync(STAMP, stamp);
}

/** Forgets the record: the next ensureBuilt compiles again (and reports the type errors). */
function forgetBuilt() {
  fs.rmSync(STAMP, { force: true });
}

/**
 * What `npm run build` does after tsc's emit, for every other way build/ is written (ensureBuilt, scripts/test.js):
 * the CRD bindings (modules and typings) keep what the library uses, the library's entry loads as one module, and the shipped schemas'
 * validators are precompiled.
 */
function finishBuild() {
  const { slimBindings, slimDeclarations } = require('./slim-bindings');
  slimBindings();
  slimDeclarations();
  execFileSync(process.execPath, [path.join(__dirname, 'bundle-library.js')], { stdio: 'inherit', cwd: ROOT });
  execFileSync(process.execPath, [path.join(__dirname, 'precompile-validators.js')], { stdio: 'inherit', cwd: ROOT });
}

/**
 * Compiles the sources and finishes the build, then records their stamp (`npm run build`, and ensureBuilt when they
 * changed). The stamp is taken before tsc reads them: a source edited while tsc runs differs from it, and the next
 * ensureBuilt compiles again. A failed compile throws before recording, so the build counts as stale.
 */
function build(stamp = stampOf()) {
  forgetBuilt();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', path.join(ROOT, 'tsconfig.json')], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  finishBuild();
  fs.writeFileSync(STAMP, stamp);
}

function ensureBuilt() {
  const stamp = staleStamp();
  if (stamp !== undefined) build(stamp);
  return ROOT;
}

module.exports = { build, ensureBuilt, finishBuild, staleStamp, stampOf, recordBuilt, forgetBuilt, ROOT };

if (require.main === module && process.argv[2] === 'build') {
  try {
    build();
  } catch (e) {
    // tsc printed its errors; the exit code says the build failed
    process.exitCode = typeof e.status === 'number' ? e.status : 1;
  }
}
