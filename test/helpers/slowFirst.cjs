// Jest's test order: the suites known to take longest start first, so on a fresh clone (CI: no timing cache, where
// jest falls back to file size) a 90 s suite is not the last one started and the run does not end on it alone.
// With a timing cache jest's own order already does this; the list only decides where it has none.
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first, as measured in a fresh clone's CI run (seconds on 2 cores with 3 workers, af92c56). */
const SLOW = [
  'test/integration/demo.test.ts', // 66
  'test/integration/fault-matrix.test.ts', // 65
  'test/integration/incremental-change.test.ts', // 53
  'test/destination/signals.test.ts', // 47
  'test/destination/sync.test.ts', // 40
  'test/integration/resume-checkpoints.test.ts', // 39
  'test/integration/v2.test.ts', // 32
  'test/integration/incremental.test.ts', // 31
  'test/integration/lifecycle.test.ts', // 29
  'test/integration/paging-lies.test.ts', // 25
  'test/integration/cli-errors.test.ts', // 25
  'test/integration/package.test.ts', // 24
  'test/integration/child-streams.test.ts', // 24
  'test/hostile/bounds.test.ts', // 23
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
