import { cacheDir } from '../private/cache-dir';
import { deferCompileCacheWrite } from '../private/compile-cache';
import { libraryStamp } from '../private/derived-cache';
import { PlatformId } from '../platform/platform';
import { packagePath } from '../private/package-root';
import { schemaFiles, VerdictCache } from '../validation/verdict-cache';
import type { CheckInput } from './engine';
import { Finding } from './rule';

const caches = new Map<string, VerdictCache<Finding[]> | undefined>();

/**
 * The findings of every rule on an app's objects, kept on disk as the schema verdicts are (VerdictCache), keyed by the
 * objects and everything the rules read besides them: the compiled library, the shipped model profiles and schemas
 * (libraryStamp). A synth that renders what an earlier one rendered runs no rule: running the rules for the first time
 * in a process is about half of what a small app's synth costs beyond loading cdk8s.
 * Only for the compiled library: under a TypeScript loader (tests) the rules run every time.
 */
export function appFindings(objects: readonly CheckInput[], platform: PlatformId): Finding[] {
  // the engine (every rule, its data tables) loads only when a verdict is computed: a synth that reads its verdicts
  // back evaluates none of it
  const run = () => {
    // a repeated synth reads the findings back and never runs the engine: its code is left out of the library's
    // compile cache entry (see there)
    deferCompileCacheWrite();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
    return (require('./engine') as typeof import('./engine')).runChecks(objects, { platform });
  };
  if (!__filename.endsWith('.js')) return run();
  if (!caches.has(platform)) {
    caches.set(
      platform,
      VerdictCache.open<Finding[]>(cacheDir('app-findings'), schemaFiles(packagePath('schemas')), `app-findings:${platform}:${libraryStamp()}`),
    );
  }
  const cache = caches.get(platform);
  return cache ? cache.verdict(objects, run) : run();
}
