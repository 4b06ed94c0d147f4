// Jest's test order: the suites known to take longest start first, so on a fresh clone (CI: no timing cache, where
// jest falls back to file size) a 90 s suite is not the last one started and the run does not end on it alone.
// With a timing cache jest's own order already does this; the list only decides where it has none.
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first, as measured in CI (seconds on 2 cores with 3 workers). */
const SLOW = [
  'test/integration/incremental-change.test.ts', // 70
  'test/integration/fault-matrix.test.ts', // 66
  'test/destination/sync.test.ts', // 43
  'test/integration/v2.test.ts', // 37
  'test/integration/incremental.test.ts', // 35
  'test/integration/demo.test.ts', // 34
  'test/integration/resume-checkpoints.test.ts', // 32
  'test/destination/signals.test.ts', // 32
  'test/integration/paging-lies.test.ts', // 30
  'test/integration/lifecycle.test.ts', // 30
  'test/integration/child-streams.test.ts', // 28
  'test/destination/crafted.test.ts', // 20
  'test/hostile/bounds.test.ts', // 20
  'test/unit/slices.test.ts', // 18
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
