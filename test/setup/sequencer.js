/**
 * Jest's order, with one change: the suites that take longest start first, whether or not jest recorded timings.
 * Without timings (a fresh clone, as CI has) jest orders by file size, which starts the packed-package and docs suites
 * (minutes under load, most of it in child processes) among the last, so the run ends waiting on them while the other
 * workers idle. With timings it orders by the last durations it recorded, which a filtered or single-suite run
 * rewrites: after `jest -t …` had recorded near-zero times, a full run at load 25 started the packed package 557 s in
 * and ended on it and the docs (1,475 s of wall time). The suites not listed keep jest's order after them.
 */
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Longest first, by wall time of each in a full jest run on this 2-core machine under four workers (2026-12-08, 46
 * suites, at load 22 to 29 from other work: every figure about four times what a quiet machine gives): the packed
 * package (840 s, nearly all npm, the two compilers and the app's runs), fuzzing (513 s), the rules' own cases (496 s),
 * kustomize (362 s), the rules' fixtures (288 s), the cli area (275 s), the documented commands (244 s), the
 * precompiled validators (206 s), then the areas and suites of 80 to 175 s.
 *
 * Except the two S3 suites, which start among the first four: most of their time is waiting (the faulty endpoints' deadlines of
 * 20 s, a listing of 1000 pages, a silent endpoint's timeout, s3rver), about 12 and 4 s of CPU in 68 and 30 s of wall
 * time (2026-12-08, at load 3 to 14). Started first, their waits overlap the CPU-bound suites the other workers run;
 * started among the last, the run ends waiting on them with the cores idle.
 */
const LONGEST = [
  's3-hostile',
  'package',
  's3',
  'fuzz-check',
  'rule-cases',
  'kustomize',
  'rules',
  'cli',
  'docs',
  'precompiled-validators',
  'platforms',
  'argocd',
  'load-cost',
  'apps',
  'serving',
  'reader',
  'check',
  'fuzz',
  'charts',
  'conformance',
  'trees',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (t) => {
      const i = LONGEST.indexOf(path.basename(t.path, '.test.ts'));
      return i < 0 ? LONGEST.length : i;
    };
    // a stable sort: the rest keep jest's order (by recorded duration, else by file size)
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
