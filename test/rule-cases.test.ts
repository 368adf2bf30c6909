import * as fs from 'fs';
import * as path from 'path';

/**
 * The cases of one rule each, test/rule-cases/<rule-id>.ts, run as one suite: jest gives every suite file a fresh
 * module registry, and loading the library again for each of these small files cost more CPU than their cases (about
 * 0.6 s a file). Each file runs in a describe block of its own, named by the file, so its hooks stay its own. A new
 * rule's cases go in a new file of that folder: nothing here lists them.
 */
const CASES = path.join(__dirname, 'rule-cases');

for (const file of fs
  .readdirSync(CASES)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  describe(path.basename(file, '.ts'), () => {
    require(path.join(CASES, file));
  });
}
