#!/usr/bin/env node
/**
 * Runs the compiled app, compiling first only when a source is newer than the build.
 * `cdk8s synth` calls it (cdk8s.yaml), and so does `npm run synth`: no ts-node, no type-check on every run.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const BUILT = path.join(ROOT, 'build', 'main.js');
const SOURCES = ['main.ts', 'lib', 'imports', 'tsconfig.json', 'package.json'];

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

function stale() {
  if (!fs.existsSync(BUILT)) return true;
  const built = fs.statSync(path.join(ROOT, 'build', '.tsbuildinfo'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.some((s) => fs.existsSync(path.join(ROOT, s)) && newest(path.join(ROOT, s)) > built);
}

if (stale()) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit', cwd: ROOT });
}
process.chdir(ROOT);
require(BUILT).main();
