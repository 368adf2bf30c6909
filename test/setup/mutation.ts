/**
 * Mutations for the fuzzing suites: values of every awkward type and shape, and a mutator that breaks one field of an
 * object at a time, drawing from a seeded PRNG so that every run breaks the same fields.
 */
import { prng } from './prng';

export const VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  3.7,
  1e308,
  Infinity,
  -Infinity,
  '',
  'x',
  '1e400',
  '-5',
  '0x10',
  'ünï名前🚀',
  [],
  {},
  [null],
  [4],
  { a: 'b' },
  'x'.repeat(10_000),
  [[[[[]]]]],
  { spec: { containers: 0 } },
];

/** A seeded mutator: its own PRNG, a pick from a list, and one field of an object broken (replaced or deleted). */
export function mutator(seed: number) {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const mutate = (o: Record<string, unknown>): Record<string, unknown> => {
    const copy = structuredClone(o);
    const all = paths(copy);
    if (!all.length) return copy;
    const p = pick(all);
    let parent: any = copy;
    for (const k of p.slice(0, -1)) parent = parent[k];
    const last = p[p.length - 1];
    if (random() < 0.15 && !Array.isArray(parent)) delete parent[last];
    else parent[last] = structuredClone(pick(VALUES));
    return copy;
  };
  return { random, pick, mutate };
}

export /** Every path to a value inside an object (objects and arrays included). */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(x, p, out);
    }
  }
  return out;
}
