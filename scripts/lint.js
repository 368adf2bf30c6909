#!/usr/bin/env node
/**
 * `npm run lint`: typed ESLint, Prettier and a type-check of everything jest runs (tsc on tsconfig.eslint.json, which
 * includes test/: jest only transpiles), side by side. ESLint and tsc each keep one core busy for about 20 s, so on
 * two cores running them at once halves the wait. Each tool's output is printed whole when it ends, in a fixed
 * order; the exit code is non-zero when any of them fails.
 */
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const bin = (pkg, file) => path.join(ROOT, 'node_modules', pkg, file);
const SOURCES = ['lib', 'main.ts', 'examples', 'test', 'bench'];
const STEPS = [
  { name: 'eslint', args: [bin('eslint', 'bin/eslint.js'), ...SOURCES] },
  { name: 'prettier', args: [bin('prettier', 'bin/prettier.cjs'), '--check', ...SOURCES, 'scripts'] },
  { name: 'tsc', args: [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.eslint.json'] },
];

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, step.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ step, code: 1, out: `${out}${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ step, code: code ?? 1, out: signal ? `${out}killed by ${signal}\n` : out }));
  });
}

Promise.all(STEPS.map(run)).then((results) => {
  for (const { step, code, out } of results) {
    process.stdout.write(`> ${step.name}: ${code === 0 ? 'ok' : `failed (exit ${code})`}\n${out}`);
  }
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
});
