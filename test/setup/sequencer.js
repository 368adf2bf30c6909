/**
 * Jest's order, with one change for a run without timings (a fresh clone, as CI has): the suites that take longest
 * start first instead of the largest files. Jest orders by the durations it recorded when it has them; without
 * them, by file size, which starts the packed-package and docs suites (a minute each, most of it in child
 * processes) among the last, so the run ends waiting on them while the other workers idle.
 */
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Longest first, by jest's recorded wall time of each in npm test on this 2-core machine under four workers
 * (2026-12-06): fuzzing (about 170 s), the packed package (125 s), the documented commands (90 s), the rules'
 * fixtures (87 s then, before they were checked standalone: test/rules.test.ts now takes under half that CPU), the
 * kustomize suites and the rules' own cases (about 50 s each), the S3 server and the faulty S3 endpoints (40 s each,
 * mostly deadlines), then the suites of 10–20 s. The rest keep jest's order. Since jest passes the builtins to each
 * module (sandboxInjectedGlobals in jest.config.js), fuzzing takes 88 s of CPU instead of 118 s (one worker,
 * 2026-12-07): still the longest, so the order stands.
 *
 * Except the two S3 suites, which start among the first four: most of their time is waiting (the faulty endpoints' deadlines of
 * 20 s, a listing of 1000 pages, a silent endpoint's timeout, s3rver), about 9 and 8 s of CPU in 60–110 s at one
 * worker (2026-12-07). Started first, their waits overlap the CPU-bound suites the other workers run; started among
 * the last, the run ends waiting on them with the cores idle.
 */
const LONGEST = [
  's3-hostile',
  'fuzz-check',
  's3',
  'package',
  'docs',
  'kustomize',
  'rule-cases',
  'rules',
  'precompiled-validators',
  'conformance',
  'day-two',
  'cli-input',
  'check',
  'llm-inference-service',
  'platform',
  'load-cost',
  'smoke',
  'reader-input',
  'argocd',
  'upload-job-script',
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
