import * as fs from 'fs';
import * as path from 'path';

/**
 * The package's root folder (the one holding package.json, schemas/, models/ and lib/jobs/scripts/), whether this
 * code runs from the TypeScript sources (lib/private) or from the compiled build (build/lib/private).
 */
export const PACKAGE_ROOT: string = (() => {
  const candidates = [path.join(__dirname, '..', '..'), path.join(__dirname, '..', '..', '..')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'package.json')));
  if (!found) throw new Error(`cdk8s-vllm's package.json not found in ${candidates.join(' or ')}`);
  return found;
})();

/** A path inside the package. */
export function packagePath(...segments: string[]): string {
  return path.join(PACKAGE_ROOT, ...segments);
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}
