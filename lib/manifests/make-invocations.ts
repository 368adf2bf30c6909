import * as path from 'path';
import { MAKEFILE } from './make-recipes';
import { TreeScript } from './script-text';

/**
 * Whether anything of the tree runs a Makefile, and which target a recipe line belongs to. A Makefile whose paths name
 * another project's folders (a copy kept beside the tree's manifests) is run by no README step, CI workflow or script;
 * one the tree's delivery uses is run from one of them or by a person who reads it.
 */

/** A `make` run: make, gmake or make's own recursive `$(MAKE)`, at a command's start (GNU make manual, "Recursive Use of make"). */
const MAKE_RUN = /(?:^|[;&|(`]\s*|\bthen\s+|\bdo\s+|^\s*(?:\$|>)\s*|\bsudo\s+)(?:make|gmake|\$\(MAKE\)|\$\{MAKE\})(?=\s|$)(.*)$/;
/** The folder a make run enters: `-C dir`, `--directory=dir` (GNU make options), or the folder of `-f dir/Makefile`. */
const MAKE_DIRECTORY = /\s(?:-C\s*|--directory[=\s])(\S+)/;
const MAKE_FILE = /\s(?:-f\s*|--file[=\s]|--makefile[=\s])(\S+)/;
/** A `cd dir &&` before the make run on its line. */
const CD_BEFORE = /(?:^|[;&|(]\s*|\s)cd\s+(\S+)\s*(?:&&|;)[^;&|]*$/;
/** Where a CI workflow's steps run: the checkout's root, not the workflow file's folder. */
const CI_FILE = /(^|\/)(\.github\/workflows\/[^/]+|\.gitlab-ci\.ya?ml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|Jenkinsfile)$/;

/** The folders (relative to the tree, `.` its root) that the make runs of one script enter; undefined for one it cannot tell (a variable). */
function makeFolders(t: TreeScript): (string | undefined)[] {
  const base = CI_FILE.test(t.script) ? '.' : path.posix.dirname(t.script);
  const out: (string | undefined)[] = [];
  for (const raw of t.text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^\s*#/.test(line)) continue;
    const run = MAKE_RUN.exec(line);
    if (!run) continue;
    const args = ` ${run[1]}`;
    const before = line.slice(0, run.index + 1);
    const dir = MAKE_DIRECTORY.exec(args)?.[1] ?? (MAKE_FILE.exec(args) ? path.posix.dirname(MAKE_FILE.exec(args)![1]) : undefined);
    const cd = CD_BEFORE.exec(before)?.[1];
    const folders = [cd, dir].filter((f): f is string => f !== undefined);
    out.push(folders.some((f) => /[$`~]/.test(f)) ? undefined : path.posix.normalize(path.posix.join(base, ...folders)));
  }
  return out;
}

/**
 * Whether a script, CI workflow, README step or other Makefile of the tree runs make in the Makefile's folder (or
 * somewhere it cannot tell: a folder in a variable). The Makefile's own recursive runs do not count.
 */
export function makefileRun(makefile: string, scripts: readonly TreeScript[]): boolean {
  const folder = path.posix.dirname(makefile);
  return scripts.some((t) => t.script !== makefile && makeFolders(t).some((f) => f === undefined || f === folder));
}

/** A rule line of a Makefile (`deploy: manifests`), not an assignment (`X := y`) nor a recipe line. */
const RULE_LINE = /^([^\s#:=][^:=]*?)\s*::?(?!=)/;

/** The target whose recipe holds the line (1-based) of a Makefile's text as written: the first name of the rule line above it. */
export function recipeTarget(written: string, line: number): string | undefined {
  const lines = written.split('\n');
  for (let i = line - 2; i >= 0; i--) {
    if (lines[i].startsWith('\t')) continue;
    const rule = RULE_LINE.exec(lines[i]);
    if (rule) return rule[1].trim().split(/\s+/)[0];
    if (lines[i].trim() && !lines[i].trim().startsWith('#')) return undefined;
  }
  return undefined;
}

/** Whether the script is a Makefile. */
export const isMakefile = (script: string): boolean => MAKEFILE.test(script);
