import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { shownValue } from './argocd';
import { cacheDir } from './cache-dir';
import { editDistance, NearBound, nearWithin } from './edit-distance';
import { precompiledValidator } from './precompiled';

/** A JSON Schema (draft-07) as parsed from its file. */
export type JsonSchema = Record<string, unknown>;

/** Compiling a schema takes tens of milliseconds: once per schema object. */
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Checks a parsed configuration file against its JSON Schema and returns one sentence per problem, naming the key
 * by its dotted path (`gitops.repoURL`): unknown keys (with the closest known key when one is near), missing keys,
 * wrong types and lengths. Values are shown cut to 80 characters, never whole.
 */
export function configProblems(value: unknown, schema: JsonSchema): string[] {
  // a configuration found valid before is valid again: ajv (and compiling the schema) is loaded only for a new one
  const known = validMarker(value, schema);
  if (known && fs.existsSync(known)) return [];
  let validate = compiled.get(schema) ?? precompiledConfigValidator(schema);
  if (!validate) {
    validate = newConfigAjv().compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) {
    if (known) mark(known);
    return [];
  }
  const problems = (validate.errors ?? []).map(describe);
  return [...new Set(problems)];
}

/** ajv as configurations are checked: every error, with the offending value and schema (`describe` reads them). */
export function newConfigAjv(): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: most runs read a known configuration
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  return new AjvClass({ allErrors: true, verbose: true, strict: true, code: { source: true } });
}

/** The name of the module scripts/precompile-validators.js writes for `schema` (the project's config/*.schema.json). */
export function configValidatorModule(schema: JsonSchema): string {
  return `config-${createHash('sha256')
    .update(`${ajvVersion()}\0${JSON.stringify(schema)}`)
    .digest('hex')
    .slice(0, 24)}`;
}

/** The validator of `schema` the build precompiled, if it did: neither ajv nor the schema's compilation is loaded then. */
function precompiledConfigValidator(schema: JsonSchema): ValidateFunction | undefined {
  const validate = precompiledValidator(path.join(__dirname, 'precompiled'), { module: configValidatorModule(schema), name: 'default' });
  if (validate) compiled.set(schema, validate);
  return validate;
}

/** ajv's package.json (its version and more), read without loading ajv. */
function ajvVersion(): string {
  const file = (require.resolve.paths('ajv') ?? []).map((d) => path.join(d, 'ajv', 'package.json')).find((f) => fs.existsSync(f));
  return file ? fs.readFileSync(file, 'utf8') : '';
}

/** The file that records `value` as valid against `schema` (and this ajv), or undefined without a cache folder. */
function validMarker(value: unknown, schema: JsonSchema): string | undefined {
  const dir = cacheDir('valid-configurations');
  if (!dir) return undefined;
  const key = createHash('sha256')
    .update(`${ajvVersion()}\0${JSON.stringify(schema)}\0${JSON.stringify(value)}`)
    .digest('hex');
  return path.join(dir, key.slice(0, 40));
}

function mark(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
  } catch {
    // a read-only or full disk only costs the next run a validation
  }
}

function describe(e: ErrorObject): string {
  const at = e.instancePath
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const key = (k: string) => (at ? `${at}.${k}` : k);
  const name = at ? `'${at}'` : 'the configuration';
  const parent = (e.parentSchema ?? {}) as { properties?: Record<string, { type?: string }> };
  switch (e.keyword) {
    case 'additionalProperties': {
      const unknown = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(parent.properties ?? {}).filter((k) => !k.startsWith('$'));
      const near = closest(unknown, known);
      return (
        `unknown key '${shownValue(key(unknown))}'${near ? ` (did you mean '${key(near)}'?)` : ''}; ` +
        `the keys of ${at ? `'${at}'` : 'the file'} are ${known.join(', ')}`
      );
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const type = parent.properties?.[missing]?.type;
      return `'${key(missing)}' must be ${type === 'object' ? 'an object' : 'a non-empty string'} (it is missing)`;
    }
    case 'type':
      return `${name} must be ${article(String((e.params as { type: string }).type))}, got ${e.data === null ? 'null' : `${typeName(e.data)} ${shownValue(e.data)}`}`;
    case 'minLength':
    case 'pattern':
      return `${name} must be a non-empty string, got '${shownValue(e.data)}'`;
    case 'maxLength':
      return `${name} is ${String(e.data).length} characters long, more than the ${(e.params as { limit: number }).limit} allowed (starts '${shownValue(e.data)}')`;
    default:
      return `${name} ${e.message ?? 'is not valid'}`;
  }
}

function article(type: string): string {
  return type === 'object' ? 'an object' : type === 'array' ? 'a list' : `a ${type}`;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v}`;
}

/** A configuration key is taken for a known one at most a third of the known key's length away (at least one edit), case aside. */
const KEY_TYPO: NearBound = { charactersPerEdit: 3, of: 'candidate', atLeast: 1 };

/** The known key nearest to `word` by edit distance, when it is a plausible typo (KEY_TYPO). */
export function closest(word: string, known: readonly string[]): string | undefined {
  if (word.length > 100) return undefined;
  return nearWithin(word, known, KEY_TYPO, (a, b) => editDistance(a.toLowerCase(), b.toLowerCase()))[0]?.candidate;
}
