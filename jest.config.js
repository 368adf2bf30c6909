/** Jest runs the TypeScript sources directly; `tsc` (npm run build) type-checks them. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120000,
  // the slowest suites mostly wait (S3 deadlines against hostile endpoints, child processes, kubectl): four workers
  // overlap those waits with the CPU-bound suites on a 2-core machine, where jest's default would be one worker
  maxWorkers: 4,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  // coverage of the library (npm test passes --coverage): per file and folder, the CLI included
  collectCoverageFrom: ['lib/**/*.ts', '!lib/**/index.ts'],
  coverageReporters: ['text-summary', ['text', { skipFull: true }], 'json-summary'],
};
