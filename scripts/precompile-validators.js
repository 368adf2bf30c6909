'use strict';
/**
 * Writes the JSON Schema validators of every shipped schema (the Kubernetes kinds and the CRDs of every platform's
 * schema sets) as ajv standalone modules into build/lib/validation/precompiled, which the schema validator requires
 * on the first validation of a kind instead of compiling it (compiling the InferenceService schema alone takes about
 * half a second). Runs after tsc, in `npm run build`, prepack and every other build (scripts/ensure-built.js).
 *
 * A module's name is derived from its schema's content and the converter's and ajv's versions, so a module already
 * written is kept; a change to the validating code (the compiled files of lib/validation, recorded in STAMP) writes
 * them all afresh. The code is minified with esbuild (whitespace and local names; what it checks and reports is
 * ajv's, as test/precompiled-validators.test.ts compares).
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const VALIDATION = path.join(ROOT, 'build', 'lib', 'validation');
const OUT = path.join(VALIDATION, 'precompiled');
const STAMP = path.join(OUT, 'STAMP');

/** The validating code and ajv's version: what the modules depend on besides their schema. */
function codeStamp() {
  const hash = crypto.createHash('sha256');
  for (const f of fs
    .readdirSync(VALIDATION)
    .filter((f) => f.endsWith('.js'))
    .sort())
    hash
      .update(`${f}\0`)
      .update(fs.readFileSync(path.join(VALIDATION, f)))
      .update('\0');
  hash.update(require('ajv/package.json').version);
  return hash.digest('hex');
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Writes the modules `outDir` lacks; with `prune`, removes those no platform's schemas name any more. */
function precompileValidators(outDir = OUT, { prune = true } = {}) {
  const { SchemaValidator } = require(path.join(VALIDATION, 'schema-validator.js'));
  const { PLATFORM_IDS } = require(path.join(ROOT, 'build', 'lib', 'platform', 'platform.js'));
  const esbuild = require('esbuild');
  const stamp = codeStamp();
  const stampFile = path.join(outDir, 'STAMP');
  if (fs.existsSync(outDir) && (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== stamp)) fs.rmSync(outDir, { recursive: true });
  fs.mkdirSync(outDir, { recursive: true });
  const formatsModule = path.relative(outDir, path.join(VALIDATION, 'formats')).split(path.sep).join('/');
  const kept = new Set(['STAMP']);
  let written = 0;
  for (const platform of PLATFORM_IDS) {
    const validator = new SchemaValidator({ platform, cacheDir: null, precompiledDir: null });
    const wanted = (module) => {
      const name = `${module}.js`;
      const fresh = !kept.has(name) && !fs.existsSync(path.join(outDir, name));
      kept.add(name);
      return fresh;
    };
    const modules = validator.standaloneModules(formatsModule.startsWith('.') ? formatsModule : `./${formatsModule}`, wanted);
    for (const [module, code] of modules) {
      const { code: minified } = esbuild.transformSync(code, { minify: true, format: 'cjs', platform: 'node', target: 'node20' });
      writeAtomic(path.join(outDir, `${module}.js`), minified);
      written++;
    }
  }
  if (prune) for (const f of fs.readdirSync(outDir)) if (!kept.has(f)) fs.rmSync(path.join(outDir, f), { force: true });
  writeAtomic(stampFile, stamp);
  return { written, modules: kept.size - 1 };
}

module.exports = { precompileValidators };

if (require.main === module) {
  const t0 = Date.now();
  const { written, modules } = precompileValidators();
  if (written) console.log(`precompiled ${written} of ${modules} validator modules in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
