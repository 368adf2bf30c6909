/**
 * Imported first by this package's apps (main.ts and the examples it runs): besides the library's own modules (which
 * compile-cache installs for this package when it loads), the packages every synth loads (cdk8s, cdk8s-plus-33,
 * constructs and what they bundle) compile from V8's cached code of an earlier run. Their compile was about a tenth
 * of a step-05 synth (CPU profile of `node build/main.js`).
 */
import { cacheDependencies } from './compile-cache';
import { PACKAGE_ROOT } from './package-root';

cacheDependencies(['cdk8s', 'cdk8s-plus-33', 'constructs'], PACKAGE_ROOT);
