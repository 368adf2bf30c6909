#!/usr/bin/env node
/**
 * `npm test`: the lint of scripts/lint.js and every jest suite, side by side. One TypeScript program
 * serves the type-check, ESLint's typed rules and, when the sources changed since the last build, build/ (which the
 * CLI and package tests run): it is written first, then jest starts while ESLint and the type-check go on here and
 * Prettier in a child process. On two cores neither keeps both busy alone (one program is one thread; jest's slowest
 * suites wait on deadlines and child processes), so the two together end sooner than one after the other.
 * Arguments go to jest (`npm test -- test/docs.test.ts`). Jest prints as it runs; the lint's verdicts follow it.
 * Coverage is a report, not a test: `npm run coverage` runs the same suites with it. Measured here, coverage's Babel
 * instrumentation about doubled the CPU of every suite that runs the library in its own process.
 */
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const { finishBuild, staleStamp, recordBuilt, forgetBuilt, ROOT } = require('./ensure-built');
const { createLintProgram, emitBuild, lintProgram, prettier, report } = require('./lint');

function jest(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (e) => resolve({ code: 1, error: e.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, error: signal ? `jest killed by ${signal}` : undefined }));
  });
}

async function main() {
  const formatting = prettier();
  const stamp = staleStamp();
  const { program, buildConfig } = createLintProgram();
  if (stamp !== undefined) {
    const emitted = emitBuild(program, buildConfig);
    if (emitted.length) throw new Error(`build/ could not be written:\n${emitted.map((d) => d.messageText).join('\n')}`);
    finishBuild();
    recordBuilt(stamp);
  }
  const tests = jest(process.argv.slice(2));
  const [eslint, tsc] = await lintProgram(program);
  const { code, error } = await tests;
  // a build from sources with type errors is not one to run later: the next ensureBuilt compiles and reports them
  // (not before jest ends: its suites call ensureBuilt too)
  if (stamp !== undefined && tsc.code !== 0) forgetBuilt();
  if (error) process.stderr.write(`${error}\n`);
  const lintCode = report([eslint, await formatting, tsc]);
  return code || lintCode;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  },
);
