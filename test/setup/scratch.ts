import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The checkout and scratch folders, without the library: suites that run the CLI, the compiled build or other tools
 * in child processes import these from here, and so skip loading (and, under --coverage, instrumenting) the library's
 * sources in their own process, which test/util.ts does (about 1.3 s of CPU per suite with coverage).
 */
export const ROOT = path.resolve(__dirname, '..', '..');
export const CONFIG = path.join(ROOT, 'config', 'step-05.json');

// every temporary folder a test file makes is removed when the file's tests end
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder in the system's temporary folder, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** A new folder holding the given files (path relative to it → text), removed after the test file. */
export function writeTree(prefix: string, files: Record<string, string>): string {
  const dir = tempDir(prefix);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}
