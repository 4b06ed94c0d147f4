// Jest's test order: the suites known to take longest start first, so on a fresh clone (CI: no timing cache, where
// jest falls back to file size) a 90 s suite is not the last one started and the run does not end on it alone.
// With a timing cache jest's own order already does this; the list only decides where it has none.
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first, as measured in CI (seconds on 2 cores with 3 workers). */
const SLOW = [
  'test/integration/fault-matrix.test.ts', // 90
  'test/integration/incremental-change.test.ts', // 65
  'test/integration/paging-lies.test.ts', // 44
  'test/destination/sync.test.ts', // 37
  'test/integration/v2.test.ts', // 35
  'test/integration/incremental.test.ts', // 33
  'test/destination/crafted.test.ts', // 33
  'test/integration/lifecycle.test.ts', // 30
  'test/destination/signals.test.ts', // 26
  'test/integration/resume-checkpoints.test.ts', // 25
  'test/integration/demo.test.ts', // 24
  'test/hostile/bounds.test.ts', // 22
  'test/unit/slices.test.ts', // 22
];

class SlowFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const i = SLOW.findIndex((suffix) => test.path.endsWith(suffix));
      return i === -1 ? SLOW.length : i;
    };
    return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirst;
