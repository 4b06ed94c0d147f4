/** @type {import('jest').Config} */
export default {
  testEnvironment: '<rootDir>/test/helpers/fastGlobalsEnvironment.cjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // A real full disk needs a mount: npm run test:faults (FAULT_MATRIX=full) runs it, npm test does not list it.
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.FAULT_MATRIX === 'full' ? [] : ['/test/hostile/destinationDiskFull']),
  ],
  extensionsToTreatAsEsm: ['.ts'],
  // NodeNext-style '.js' specifiers in TS sources resolve to the .ts file under jest.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': '<rootDir>/test/helpers/esbuildTransform.cjs',
  },
  setupFiles: ['<rootDir>/test/helpers/processZone.ts'],
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
  testSequencer: '<rootDir>/test/helpers/slowFirst.cjs',
  testTimeout: 60000,
  // Most integration time is spent waiting on child processes, HTTP and rate windows: three workers overlap it on
  // 2 cores (measured: 333 s against 396 s with two, the same tests).
  maxWorkers: 3,
};
