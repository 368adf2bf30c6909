import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type * as Library from '../../lib';
import { mutator } from './mutation';
import { PROMPTLY_MS } from './promptly';
import { ROOT } from './scratch';

/**
 * What the suites fuzzing the reader and the checks share (test/fuzz-check*.test.ts): the compiled library, the
 * corpus, the seeded mutations and the single-field mutation runs. The 1,200 single-field mutations are one seeded
 * sequence run in slices by several suites, so that jest's workers run them side by side: each suite draws the
 * mutations before its slice from the same seed without running the checks on them, so slice k holds exactly the
 * mutations k of the sequence always held.
 *
 * It runs the compiled library (build/, brought up to date first), as the CLI and an installed app run it: the
 * coverage instrumentation of the sources made the same iterations about four times as slow, and these suites assert
 * robustness, which the other suites' coverage does not depend on.
 */
execFileSync('node', ['-e', "require('./scripts/ensure-built').ensureBuilt()"], { cwd: ROOT, stdio: 'pipe' });
export const library = require('../../build/lib') as typeof Library;
const { readManifests, runChecks, SchemaValidator } = library;

/** The seed of the single-field mutations and of the byte-level and kustomization mutations drawn after them. */
const SEED = 20261127;
/** The number of single-field mutations, run in slices by the fuzz-check-mutations suites. */
export const MUTATIONS = 1200;

/** What a finding's object or message must never show: a value that is no value. */
const NOT_A_VALUE = /\bundefined\b|\bNaN\b|\[object Object\]/;

/**
 * The findings whose object or message is not text, or shows a value that is no value (`also` names more): the loops
 * assert that none is, once per run of the checks rather than once per finding (jest's expect costs some 50 µs a
 * call, and the runs make about 100,000 findings).
 */
export function broken(findings: readonly { object: unknown; message: unknown }[], also?: RegExp): unknown[] {
  return findings.filter(
    (f) =>
      typeof f.message !== 'string' || typeof f.object !== 'string' || NOT_A_VALUE.test(`${f.object} ${f.message}`) || !!also?.test(`${f.object} ${f.message}`),
  );
}

/** The rendered step-05 tree and the reference manifests, as objects. */
export function corpus(): Record<string, unknown>[] {
  const dirs = [path.join(ROOT, 'dist'), path.join(ROOT, '..', 'shared', 'reference')].filter((d) => fs.existsSync(d));
  return readManifests(dirs).manifests.map((m) => m.manifest as Record<string, unknown>);
}

/**
 * The seeded mutator after the first `skip` single-field mutations of the sequence were drawn (not run): the draws
 * of every later mutation, and of the byte-level and kustomization mutations after the sequence, are those a single
 * run through the sequence makes.
 */
export function mutationsFrom(
  objects: readonly Record<string, unknown>[],
  skip: number,
): ReturnType<typeof mutator> & { next(): { target: number; mutated: Record<string, unknown>[] } } {
  const m = mutator(SEED);
  const next = () => {
    const target = Math.floor(m.random() * objects.length);
    return { target, mutated: objects.map((o, j) => (j === target ? m.mutate(o) : o)) };
  };
  for (let i = 0; i < skip; i++) next();
  return { ...m, next };
}

/** The single-field mutations `from` to `to` (exclusive) of the sequence: check and validate each. */
export function describeMutations(from: number, to: number): void {
  describe('fuzzing', () => {
    const objects = corpus();
    const validator = new SchemaValidator({ cacheDir: null });
    const mutations = mutationsFrom(objects, from);

    test(`single-field mutations ${from + 1}–${to} of ${MUTATIONS.toLocaleString('en')}: check and validate end with findings, no exception, no undefined`, () => {
      expect(objects.length).toBeGreaterThan(10);
      let slowest = 0;
      const heapBefore = process.memoryUsage().heapUsed;
      for (let i = from; i < to; i++) {
        const { target, mutated } = mutations.next();
        const started = Date.now();
        const findings = runChecks(mutated.map((manifest) => ({ manifest })));
        const schema = validator.validate(mutated[target]);
        slowest = Math.max(slowest, Date.now() - started);
        expect(broken(findings)).toEqual([]);
        expect(Array.isArray(schema)).toBe(true);
      }
      // a guard against a hang or a blow-up (an iteration takes milliseconds), not a speed target: speed lives in the
      // bench, and a loaded CI machine must not fail this
      expect(slowest).toBeLessThan(PROMPTLY_MS);
      // a guard against memory kept per run: 512 MiB over the whole sequence, its share over a slice
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(((512 * 2 ** 20) / MUTATIONS) * (to - from));
    });
  });
}
