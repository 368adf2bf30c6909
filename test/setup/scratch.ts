import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scratchRoot } from './scratch-root';

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

/** A new empty folder in `root`, removed after the test file. */
function madeIn(root: string, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(root, prefix));
  temporary.push(dir);
  return dir;
}

/** A new empty folder in the system's temporary folder, removed after the test file. */
export function tempDir(prefix: string): string {
  return madeIn(os.tmpdir(), prefix);
}

/**
 * A new folder holding the given files (path relative to it → text), removed after the test file: in the run's scratch
 * folder in RAM where the machine has one (scratch-root.ts), since most tests write such a tree, read it once and
 * remove it. Synth refuses to write under /dev (lib/gitops/write-tree.ts): an output folder comes from tempDir.
 */
export function writeTree(prefix: string, files: Record<string, string>): string {
  const dir = madeIn(scratchRoot(), prefix);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

/**
 * A new git repository holding the given files, committed (`git init`, `git add`, `git commit`): a repository-shaped
 * tree whose folders a check reads as parts of one work tree. Removed after the test file.
 */
export function committedRepository(prefix: string, files: Record<string, string>): string {
  const dir = writeTree(prefix, files);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture');
  return dir;
}

// the scratch copies of this repository's folders, by folder: one per test file
const copies = new Map<string, string>();

/**
 * A folder of this repository (a fixture tree of test/rules) as a standalone tree: a copy made once per test file in a
 * scratch folder, outside any git work tree. `check` reads the git work tree around a folder it checks (the scripts,
 * READMEs and docs above it, the work tree's other manifests and Applications), as it does in a user's repository:
 * checked in place, a fixture would be judged with this repository's files as its context, and each read would walk
 * them. `folder` is absolute, under ROOT; the copy keeps its path below ROOT (inPlace maps a path back). Made where
 * writeTree makes its trees.
 */
export function standalone(folder: string): string {
  const rel = path.relative(ROOT, folder);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${folder} is not a folder of the repository`);
  let copy = copies.get(rel);
  if (copy === undefined) {
    copy = path.join(madeIn(scratchRoot(), 'standalone.'), rel);
    fs.cpSync(folder, copy, { recursive: true });
    copies.set(rel, copy);
  }
  return copy;
}

/** A text (a finding's message, a failure) with the paths of standalone copies written as the repository's paths they copy. */
export function inPlace(text: string): string {
  let out = text;
  for (const [rel, copy] of copies) out = out.split(copy).join(path.join(ROOT, rel));
  return out;
}
