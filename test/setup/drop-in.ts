import * as fs from 'fs';
import * as path from 'path';
// the scratch folders' clean-up is registered here, at the suite's top level: loaded first inside a file's describe
// block, it would remove after that block the folders the next files made while jest collected their tests
import './scratch';

/**
 * The test files of a folder (`<folder>/<name>.ts`) run as one suite, each in a describe block of its own named by
 * the file, so its hooks stay its own. Jest gives every suite a fresh module registry, and loading the library again
 * for each small file cost more CPU than many files' tests (about 0.4 s a file): one suite per area loads it once.
 * A new test of the area is a new file in its folder: nothing lists them. `each` registers the suite's hooks for a file.
 */
export function runEachFile(folder: string, each?: (file: string, name: string) => void): void {
  for (const file of fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    describe(path.basename(file, '.ts'), () => {
      // the suite's own hooks for the file (registered first, so its beforeAll runs before the file's own)
      each?.(path.join(folder, file), path.basename(file, '.ts'));
      require(path.join(folder, file));
    });
  }
}
