/**
 * Jest's order, with one change for a run without timings (a fresh clone, as CI has): the suites that take longest
 * start first instead of the largest files. Jest orders by the durations it recorded when it has them; without
 * them, by file size, which starts the packed-package and docs suites (a minute each, most of it in child
 * processes) among the last, so the run ends waiting on them while the other workers idle.
 */
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Longest first, by CPU and wall time of each in a full jest run on this 2-core machine under four workers
 * (2026-12-08, 46 suites, at load 3 to 14): the packed package (52 s of CPU, nearly all in npm and the compilers;
 * 64 s of wall time alone), fuzzing (31 s), the rules' own cases (21 s) and fixtures (22 s), the documented commands
 * (35 s), the kustomize suites (31 s, 24 of them kubectl), the precompiled validators (18 s), then the areas of 8 to
 * 12 s (cli, platforms, serving, load-cost, conformance, check, apps). The rest keep jest's order.
 *
 * Except the two S3 suites, which start among the first four: most of their time is waiting (the faulty endpoints' deadlines of
 * 20 s, a listing of 1000 pages, a silent endpoint's timeout, s3rver), about 12 and 4 s of CPU in 68 and 30 s of wall
 * time (2026-12-08). Started first, their waits overlap the CPU-bound suites the other workers run; started among the
 * last, the run ends waiting on them with the cores idle.
 */
const LONGEST = [
  's3-hostile',
  'package',
  's3',
  'fuzz-check',
  'rule-cases',
  'docs',
  'kustomize',
  'rules',
  'precompiled-validators',
  'cli',
  'platforms',
  'serving',
  'load-cost',
  'conformance',
  'check',
  'apps',
  'reader',
  'trees',
  'charts',
  'argocd',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((t) => t.duration != null)) return sorted;
    const rank = (t) => {
      const i = LONGEST.indexOf(path.basename(t.path, '.test.ts'));
      return i < 0 ? LONGEST.length : i;
    };
    // a stable sort: the rest keep jest's order by file size
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
