import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';

/**
 * Where a kind's validator sits among the precompiled ones: a module (a file name without `.js`, derived from the
 * schema's content, the converter's and ajv's versions) and its export; `default` for a module of one validator.
 */
export interface PrecompiledPlace {
  readonly module: string;
  readonly name: string;
}

/** The modules required in this process, by file; null for one that is absent or does not load. */
const loaded = new Map<string, Record<string, unknown> | null>();

/**
 * The precompiled validator at `place` under `dir`, undefined when there is none (a schema not shipped, such as a
 * CRD of the user's folder, or a build without them): the module is required on the first validation of one of its
 * kinds, never before.
 */
export function precompiledValidator(dir: string | null, place: PrecompiledPlace): ValidateFunction | undefined {
  if (dir === null) return undefined;
  const file = path.join(dir, `${place.module}.js`);
  let exports = loaded.get(file);
  if (exports === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: one module per schema
      exports = fs.existsSync(file) ? (require(file) as Record<string, unknown>) : null;
    } catch {
      exports = null; // a damaged module: the validator is compiled instead
    }
    loaded.set(file, exports);
  }
  const validate = exports?.[place.name];
  return typeof validate === 'function' ? (validate as ValidateFunction) : undefined;
}
