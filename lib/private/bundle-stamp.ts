import * as fs from 'fs';
import * as path from 'path';

/**
 * Where the bundling (scripts/bundle-library.js) records the state of tsc's record the bundles were made after
 * (bundleStamp), in the build folder. One stamp for every bundle of a build: they are made together, after tsc.
 */
export const BUNDLE_STAMP = '.bundle-stamp';

/**
 * tsc's record of an incremental build (tsconfig.json tsBuildInfoFile, build/.tsbuildinfo) as a stamp: its size and
 * modification time, or `none`. tsc rewrites it whenever it writes a module, so a stamp that changed since a bundle
 * was made says modules changed after it (`npx tsc` alone does not bundle); one stat where the modules' own would be
 * hundreds.
 */
export function bundleStamp(buildDir: string): string {
  try {
    const st = fs.statSync(path.join(buildDir, '.tsbuildinfo'));
    return `${st.size} ${st.mtimeMs}`;
  } catch {
    return 'none';
  }
}

/**
 * Whether the bundles of the build in `buildDir` (the library's entry, build/lib/index.bundle.js, and the check
 * command's) hold what tsc last wrote: the stamp recorded when they were made (BUNDLE_STAMP) is tsc's record as it is
 * now. With no stamp recorded (a published package ships build/lib alone, and no tsc runs there) a bundle is taken as
 * it is.
 */
export function bundleIsFresh(buildDir: string): boolean {
  let recorded: string;
  try {
    recorded = fs.readFileSync(path.join(buildDir, BUNDLE_STAMP), 'utf8');
  } catch {
    return true;
  }
  return recorded === bundleStamp(buildDir);
}
