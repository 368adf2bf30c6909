/**
 * Jest runs the TypeScript sources directly, transpiled by SWC without type information: `npm run lint` type-checks
 * everything jest runs (tsc on tsconfig.eslint.json, which includes test/), so jest does not type-check again.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the tsconfig.json targets: ES2022, CommonJS with esModuleInterop (SWC's CommonJS interop is the same)
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  // the library's CRD bindings (imports/, 6 MB of TypeScript) as the build ships them: compiled and slimmed to what the
  // library uses (scripts/slim-bindings.js, 0.8 MB), which global setup brings up to date. Each suite that loads the
  // constructs otherwise read and compiled the whole generated sources again (about 0.15 s of CPU per suite). Only
  // the library's own imports (lib/<folder>/*.ts): a test that imports a binding itself gets the generated source.
  moduleNameMapper: { '^\\.\\./\\.\\./imports/([a-z0-9.-]+)$': '<rootDir>/build/imports/$1.js' },
  // jest's runtime with V8's code cache for the modules each suite compiles again (test/setup/runtime.js)
  runtime: '<rootDir>/test/setup/runtime.js',
  // the builtins as parameters of each module's wrapper (jest's own option), so module code reads them as locals. In
  // jest's vm context every global the code names is looked up through the context's interceptor and jest's Proxy
  // global: about 200 ns a read, against a few ns under plain node, and the checks read Array.isArray, Object.keys
  // and Number.isFinite millions of times a run (isMapping, mappings, finite in lib/manifests/access.ts). Measured
  // on this 2-core machine, 100 iterations of the fuzz loop's checks: 7.9 → 5.3 s of CPU on build/lib (plain node:
  // 5.6 s), 8.0 → 6.6 s on the sources. The values are the suite's own global's, read when each module runs, so
  // every suite keeps its own realm. Only builtins nothing replaces (fake timers replace Date and the timers) and no
  // module loaded in a suite declares at its top level (a `const Map` or `class Map` there is a SyntaxError: Map stays out).
  sandboxInjectedGlobals: [
    'Array',
    'Object',
    'Number',
    'String',
    'Boolean',
    'Math',
    'JSON',
    'Symbol',
    'Set',
    'WeakMap',
    'RegExp',
    'Reflect',
    'Error',
    'TypeError',
    'parseInt',
    'parseFloat',
    'isNaN',
    'isFinite',
  ],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120000,
  // the slowest suites mostly wait (S3 deadlines against hostile endpoints, child processes, kubectl): four workers
  // overlap those waits with the CPU-bound suites on a 2-core machine, where jest's default would be one worker
  maxWorkers: 4,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  testSequencer: '<rootDir>/test/setup/sequencer.js',
  // coverage of the library (`npm run coverage` passes --coverage; npm test runs without it): per file and folder,
  // the CLI included. Babel's instrumentation, not V8's: V8 counts every line of a loaded file as a statement, which
  // lifts the figures (95 % against 87.5 % for the same run) and hides untested branches; it was not cheaper either.
  collectCoverageFrom: ['lib/**/*.ts', '!lib/**/index.ts'],
  coverageReporters: ['text-summary', ['text', { skipFull: true }], 'json-summary'],
};
