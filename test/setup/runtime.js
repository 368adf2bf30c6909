'use strict';
/**
 * Jest's runtime, with V8's code cache for the modules a worker compiles again in each suite. Jest gives every suite
 * a fresh module registry and compiles each module it loads with vm.compileFunction, which V8's own compilation cache
 * does not serve: a suite that imports the library compiles some 700 modules (about 17 MB of transpiled code, cdk8s-plus
 * and the CRD bindings included) that the worker compiled for the suite before. Here the first compile of a module in
 * a worker keeps V8's cached data, and a later compile of the same code (same file, same text) starts from it: the
 * same function, without parsing the text again. Measured on this 2-core machine: about 0.13 s of CPU less for each
 * suite that loads the library. Changed code (another transform, an edited file) misses and is compiled afresh.
 */
const vm = require('vm');

const PATCHED = Symbol.for('cdk8s-vllm.jest.codeCache');

if (!vm.compileFunction[PATCHED]) {
  const compileFunction = vm.compileFunction;
  /** filename → the code compiled and V8's cached data of it */
  const cached = new Map();
  const withCache = function compileFunctionWithCodeCache(code, params, options) {
    const filename = options?.filename;
    if (typeof filename !== 'string' || options.cachedData || options.produceCachedData) return compileFunction.call(this, code, params, options);
    const known = cached.get(filename);
    if (known && known.code === code) {
      const fn = compileFunction.call(this, code, params, { ...options, cachedData: known.data });
      if (!fn.cachedDataRejected) return fn;
    }
    const fn = compileFunction.call(this, code, params, { ...options, produceCachedData: true });
    if (fn.cachedData) cached.set(filename, { code, data: fn.cachedData });
    return fn;
  };
  withCache[PATCHED] = true;
  vm.compileFunction = withCache;
}

module.exports = require('jest-runtime');
