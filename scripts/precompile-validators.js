'use strict';
/**
 * Writes the JSON Schema validators of every shipped schema (the Kubernetes kinds and the CRDs of every platform's
 * schema sets) as ajv standalone modules into build/lib/validation/precompiled (and those of the project's
 * config/*.schema.json into build/lib/private/precompiled), which the schema validator requires
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
const LIB = path.join(ROOT, 'build', 'lib');
const VALIDATION = path.join(LIB, 'validation');
const PRIVATE = path.join(LIB, 'private');

/** The code `files` hold and ajv's version: what the modules depend on besides their schema. */
function codeStamp(files) {
  const hash = crypto.createHash('sha256');
  for (const f of files)
    hash
      .update(`${path.relative(LIB, f)}\0`)
      .update(fs.readFileSync(f))
      .update('\0');
  hash.update(require('ajv/package.json').version);
  return hash.digest('hex');
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Writes into `outDir` the modules `produce(wanted)` gives for the names `wanted` accepts (those not written yet), each
 * minified; a changed `stamp` empties the folder first, and `prune` removes the modules no longer produced.
 */
function writeModules(outDir, stamp, produce, prune) {
  const esbuild = require('esbuild');
  const stampFile = path.join(outDir, 'STAMP');
  if (fs.existsSync(outDir) && (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== stamp)) fs.rmSync(outDir, { recursive: true });
  fs.mkdirSync(outDir, { recursive: true });
  const kept = new Set(['STAMP']);
  let written = 0;
  const wanted = (module) => {
    const name = `${module}.js`;
    const fresh = !kept.has(name) && !fs.existsSync(path.join(outDir, name));
    kept.add(name);
    return fresh;
  };
  for (const [module, code] of produce(wanted)) {
    const { code: minified } = esbuild.transformSync(code, { minify: true, format: 'cjs', platform: 'node', target: 'node20' });
    writeAtomic(path.join(outDir, `${module}.js`), minified);
    written++;
  }
  if (prune) for (const f of fs.readdirSync(outDir)) if (!kept.has(f)) fs.rmSync(path.join(outDir, f), { force: true });
  writeAtomic(stampFile, stamp);
  return { written, modules: kept.size - 1 };
}

/** The validators of the shipped schemas, for every platform, into `outDir`. */
function precompileValidators(outDir = path.join(VALIDATION, 'precompiled'), { prune = true } = {}) {
  const { SchemaValidator } = require(path.join(VALIDATION, 'schema-validator.js'));
  const { PLATFORM_IDS } = require(path.join(LIB, 'platform', 'platform.js'));
  const code = fs
    .readdirSync(VALIDATION)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => path.join(VALIDATION, f));
  const formats = path.relative(outDir, path.join(VALIDATION, 'formats')).split(path.sep).join('/');
  const formatsModule = formats.startsWith('.') ? formats : `./${formats}`;
  function* produce(wanted) {
    for (const platform of PLATFORM_IDS)
      yield* new SchemaValidator({ platform, cacheDir: null, precompiledDir: null }).standaloneModules(formatsModule, wanted);
  }
  return writeModules(outDir, codeStamp(code), produce, prune);
}

/** The validators of the project's configuration schemas (config/*.schema.json), which lib/private/json-config.ts checks. */
function precompileConfigValidators(outDir = path.join(PRIVATE, 'precompiled')) {
  const configs = path.join(ROOT, 'config');
  const files = fs.existsSync(configs)
    ? fs
        .readdirSync(configs)
        .filter((f) => f.endsWith('.schema.json'))
        .sort()
    : [];
  const { newConfigAjv, configValidatorModule } = require(path.join(PRIVATE, 'json-config.js'));
  const standalone = require('ajv/dist/standalone').default;
  function* produce(wanted) {
    for (const f of files) {
      const schema = JSON.parse(fs.readFileSync(path.join(configs, f), 'utf8'));
      const module = configValidatorModule(schema);
      if (!wanted(module)) continue;
      const ajv = newConfigAjv();
      yield [module, standalone(ajv, ajv.compile(schema))];
    }
  }
  return writeModules(outDir, codeStamp([path.join(PRIVATE, 'json-config.js')]), produce, true);
}

module.exports = { precompileValidators, precompileConfigValidators };

if (require.main === module) {
  const t0 = Date.now();
  const { written, modules } = [precompileValidators(), precompileConfigValidators()].reduce((a, b) => ({
    written: a.written + b.written,
    modules: a.modules + b.modules,
  }));
  if (written) console.log(`precompiled ${written} of ${modules} validator modules in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
