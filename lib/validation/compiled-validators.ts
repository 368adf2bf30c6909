import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import { formats, LENIENT_FORMATS } from './formats';

/** Where compiled validators are kept: the modules the build precompiles and the on-disk cache of later compiles, and the ajv that compiles them. */

/** Bump when the conversion from CRD schema to ajv schema changes, so cached validators are recompiled. */
export const CONVERTER_VERSION = 5;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const AJV_VERSION: string = require('ajv/package.json').version;

/** The name of a precompiled module: what it validates against, and the converter and ajv that wrote it. */
export function precompiledModule(prefix: string, schemaKey: string): string {
  return `${prefix}-${sha256(`${CONVERTER_VERSION}:${AJV_VERSION}:${schemaKey}`).slice(0, 24)}`;
}

/** ajv as the validators are compiled: every error, formats checked, compiled code kept for the standalone modules. */
export function newAjv(formatsModule: string): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  const { default: AjvClass, _ } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({
    allErrors: true,
    strict: false,
    validateFormats: true,
    logger: false,
    code: { source: true, formats: _`require(${formatsModule}).formats` },
  });
  for (const [name, def] of Object.entries(formats)) ajv.addFormat(name, def);
  for (const f of LENIENT_FORMATS) ajv.addFormat(f, true);
  return ajv;
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export { defaultCacheDir } from './validator-cache-dir';

export function writeCache(file: string, code: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only or full disk only costs the next run a recompile
  }
}
