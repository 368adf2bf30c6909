'use strict';
/** Compiles the TypeScript sources when any is newer than the last build; a no-op otherwise (a few ms). */
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const SOURCES = ['main.ts', 'lib', 'imports', 'bench', 'tsconfig.json', 'package.json'];

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

function ensureBuilt() {
  const info = path.join(ROOT, 'build', '.tsbuildinfo');
  const built = fs.existsSync(info) ? fs.statSync(info).mtimeMs : 0;
  if (SOURCES.some((s) => fs.existsSync(path.join(ROOT, s)) && newest(path.join(ROOT, s)) > built)) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit', cwd: ROOT });
    fs.utimesSync(info, new Date(), new Date());
  }
  return ROOT;
}

module.exports = { ensureBuilt, ROOT };
