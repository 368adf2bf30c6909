/**
 * Jest's order, with one change for a run without timings (a fresh clone, as CI has): the suites that take longest
 * start first instead of the largest files. Jest orders by the durations it recorded when it has them; without
 * them, by file size, which starts the packed-package and docs suites (a minute each, most of it in child
 * processes) among the last, so the run ends waiting on them while the other workers idle.
 */
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Longest first, by their wall time in npm test on this 2-core machine (2026-12-03): the packed package, the
 * documented commands and fuzzing (45–60 s each), then the S3 server, the KServe conformance, the faulty S3 endpoints and
 * the suites that mostly wait on deadlines and child processes.
 */
const LONGEST = [
  'package',
  'docs',
  'fuzz-check',
  's3',
  'conformance',
  's3-hostile',
  'llm-inference-service',
  'cli-input',
  'day-two',
  'smoke',
  'upload-job-script',
  'load-cost',
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
