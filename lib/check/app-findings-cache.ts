import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir } from '../private/cache-dir';
import { compareText } from '../private/collate';
import { PlatformId } from '../platform/platform';
import { packagePath } from '../private/package-root';
import { schemaFiles, VerdictCache } from '../validation/verdict-cache';
import type { CheckInput } from './engine';
import { Finding } from './rule';

const caches = new Map<string, VerdictCache<Finding[]> | undefined>();

/**
 * The findings of every rule on an app's objects, kept on disk as the schema verdicts are (VerdictCache), keyed by the
 * objects and everything the rules read besides them: the compiled library (each file's size and modification time),
 * the shipped model profiles and schemas. A synth that renders what an earlier one rendered runs no rule: running the
 * rules for the first time in a process is about half of what a small app's synth costs beyond loading cdk8s.
 * Only for the compiled library: under a TypeScript loader (tests) the rules run every time.
 */
export function appFindings(objects: readonly CheckInput[], platform: PlatformId): Finding[] {
  // the engine (every rule, its data tables) loads only when a verdict is computed: a synth that reads its verdicts
  // back evaluates none of it
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  const run = () => (require('./engine') as typeof import('./engine')).runChecks(objects, { platform });
  if (!__filename.endsWith('.js')) return run();
  if (!caches.has(platform)) {
    // loaded from the library's bundle (scripts/bundle-library.js: its modules have no file of their own), the rules'
    // code is that one file; else every compiled module of the library
    const code = typeof module.filename === 'string' ? [path.join(__dirname, '..')] : [path.join(__dirname, '..', 'index.bundle.js')];
    const stamp = filesStamp([...code, packagePath('models')]);
    caches.set(platform, VerdictCache.open<Finding[]>(cacheDir('app-findings'), schemaFiles(packagePath('schemas')), `app-findings:${platform}:${stamp}`));
  }
  const cache = caches.get(platform);
  return cache ? cache.verdict(objects, run) : run();
}

/** The files, and every file under the folders, by path, size and modification time (as scripts/ensure-built.js judges sources). */
function filesStamp(roots: readonly string[]): string {
  const hash = createHash('sha256');
  const walk = (file: string): void => {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      if (st && !file.endsWith('.d.ts')) hash.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
      return;
    }
    for (const name of fs.readdirSync(file).sort(compareText)) walk(path.join(file, name));
  };
  for (const root of roots) walk(root);
  return hash.digest('hex');
}
