#!/usr/bin/env node
/**
 * `npm run lint`: typed ESLint, Prettier and a type-check of everything jest runs (tsconfig.eslint.json, which
 * includes test/: jest only transpiles). ESLint's typed rules and the type-check read one TypeScript program, built
 * once here and handed to typescript-eslint (`parserOptions.programs`): run as two tools, each built its own, and
 * building it (parsing, binding, checking some 1,400 files) is most of what either costs. Prettier runs beside it in a
 * child process. Each tool's output is printed whole when it ends, in a fixed order; the exit code is non-zero when
 * any of them fails.
 *
 * `npm test` (scripts/test.js) reuses the same program to write build/ when the sources changed, before jest starts.
 */
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');
const SOURCES = ['lib', 'main.ts', 'examples', 'test', 'bench'];
const PRETTIER = [path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', ...SOURCES, 'scripts'];

/** A tsconfig file read as tsc reads it (`extends` followed); errors in the file itself are thrown. */
function readConfig(file) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, file),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  return parsed;
}

/**
 * The program of everything jest runs: tsconfig.eslint.json's files, with tsconfig.json's compiler options (the two
 * differ only in noEmit, incremental and the file list), so that the same program can also write build/.
 */
function createLintProgram() {
  const lintConfig = readConfig('tsconfig.eslint.json');
  const buildConfig = readConfig('tsconfig.json');
  const { incremental: _incremental, tsBuildInfoFile: _buildInfo, ...options } = buildConfig.options;
  const program = ts.createProgram({ rootNames: lintConfig.fileNames, options, configFileParsingDiagnostics: lintConfig.errors });
  return { program, buildConfig };
}

/**
 * Writes build/ from the program, as `tsc -p tsconfig.json` does: everything but what only the tests compile (their
 * output would land under build/test/). Returns the emit's diagnostics (none when the type-check is clean).
 */
function emitBuild(program, buildConfig) {
  const tests = path.join(path.resolve(buildConfig.options.outDir), 'test') + path.sep;
  return program.emit(undefined, (file, text, bom) => {
    if (!path.resolve(file).startsWith(tests)) ts.sys.writeFile(file, text, bom);
  }).diagnostics;
}

const FORMAT_HOST = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };

/** ESLint (typed rules on the given program) then the program's own diagnostics, as tsc reports them. */
async function lintProgram(program) {
  const { ESLint } = require('eslint');
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: { languageOptions: { parserOptions: { programs: [program] } } } });
  const results = await eslint.lintFiles(SOURCES);
  const formatter = await eslint.loadFormatter('stylish');
  const eslintOut = await formatter.format(results);
  const eslintCode = results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0) ? 1 : 0;
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const tscOut = ts.formatDiagnostics(diagnostics, FORMAT_HOST);
  return [
    { name: 'eslint', code: eslintCode, out: eslintOut },
    { name: 'tsc', code: diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error) ? 1 : 0, out: tscOut },
  ];
}

/** Prettier in a child process, its output kept for the end. */
function prettier() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, PRETTIER, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ name: 'prettier', code: 1, out: `${out}${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ name: 'prettier', code: code ?? 1, out: signal ? `${out}killed by ${signal}\n` : out }));
  });
}

/** Prints each tool's verdict and output; returns the exit code (1 when any failed). */
function report(results) {
  for (const { name, code, out } of results) process.stdout.write(`> ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`}\n${out}`);
  return results.some((r) => r.code !== 0) ? 1 : 0;
}

module.exports = { createLintProgram, emitBuild, lintProgram, prettier, report };

if (require.main === module) {
  const formatting = prettier();
  const { program } = createLintProgram();
  lintProgram(program)
    .then(async (results) => {
      process.exitCode = report([results[0], await formatting, results[1]]);
    })
    .catch((e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exitCode = 1;
    });
}
