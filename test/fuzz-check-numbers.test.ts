import { broken, corpus, library } from './setup/fuzz-check';
import { paths } from './setup/mutation';
import { PROMPTLY_MS } from './setup/promptly';

/** The numbers of the corpus pushed to the largest values a field takes (the other fuzzing suites: test/setup/fuzz-check.ts). */
const { runChecks } = library;

describe('fuzzing', () => {
  const objects = corpus();

  test('every number of the corpus at the int32 maximum, then at 1e308: check ends at once, with no verdict on a non-number', () => {
    // counts drive loops (replicas, parallelism, GPUs, quotas): the largest a field takes must cost no more than 1
    const numeric = objects.flatMap((o, target) =>
      paths(o)
        .filter((p) => typeof p.reduce<any>((v, k) => v?.[k], o) === 'number')
        .map((p) => ({ target, p })),
    );
    expect(numeric.length).toBeGreaterThan(50);
    let slowest = 0;
    for (const huge of [2 ** 31 - 1, 1e308]) {
      for (const { target, p } of numeric) {
        const copy = structuredClone(objects[target]);
        let parent: any = copy;
        for (const k of p.slice(0, -1)) parent = parent[k];
        parent[p[p.length - 1]] = huge;
        const started = Date.now();
        const findings = runChecks(objects.map((o, j) => ({ manifest: j === target ? copy : o })));
        slowest = Math.max(slowest, Date.now() - started);
        expect(broken(findings, /\bInfinity\b/)).toEqual([]);
      }
    }
    // a guard against work that grows with the number (two billion charges took minutes), not a speed target
    expect(slowest).toBeLessThan(PROMPTLY_MS);
  });
});
