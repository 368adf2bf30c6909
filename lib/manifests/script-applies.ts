import * as fs from 'fs';
import * as path from 'path';
import { codeUnitOrder, walkTree } from './files';
import { asShellReads } from './heredocs';
import { logicalLines, TreeScript } from './script-text';
import { ArmPath, armPaths } from './script-branches';
import { MAKEFILE } from './make-recipes';
import { makefileRun, recipeTarget } from './make-invocations';
import { terraformWrittenFiles } from './terraform-installs';
import { GuideOffer, guideOffer } from './guide-alternatives';
import { fenceOpenings, invocationOf, printsText, ScriptCommand, scriptCommandsOf, unwrapped } from './script-commands';
import { editDistance } from '../private/edit-distance';

/** A file a script or README of the tree applies that is not where the command looks for it. */
export interface MissingApplied {
  /** The script, relative to the tree. */
  readonly script: string;
  readonly line: number;
  /** The command as written (`oc apply -f deploy/llmd-deployment.yaml`); of a Makefile, its recipe line. */
  readonly command: string;
  /** The path the command names (of a Makefile, with make's variables put in). */
  readonly file: string;
  /** Files of the tree with the same name or a close one, relative to the tree: what was likely meant. */
  readonly near: readonly string[];
  /** A file one or two edits from the path lies in the folder the path leads to (app.yml for app.yaml): the path is this tree's. */
  readonly nearBeside?: boolean;
  /**
   * The path exists in other case (`falcon-40B` for `falcon-40b`): the command fails on Linux, whose file systems tell
   * case apart, and works on the default file systems of macOS and Windows. `near` then holds that path.
   */
  readonly caseOnly: boolean;
  /**
   * The `cd` the reader could not follow before the command, as written, and the relative ones after it (joined by
   * "`, then `", to be quoted whole): the file exists nowhere in the tree.
   */
  readonly afterCd?: string;
  /**
   * Where the command runs is known, not assumed: the script names the path from its own folder (`${SCRIPT_DIR}/x.yaml`
   * with SCRIPT_DIR its folder), entered its own folder, or applies another bare name that is there. A copy of part of a
   * repository keeps the script's folder whole, so the file is missing in the repository too.
   */
  readonly placed: boolean;
  /**
   * The failure stops the delivery: a shell script under `set -e` (the command last of its && / || list), the command
   * that ends the script (or a && chain to its end), a Makefile's recipe, a CI step, a README's step. A shell script
   * with none of these goes on past it.
   */
  readonly fatal: boolean;
  /**
   * Of a Makefile nothing of the tree runs (no README step, CI workflow, script or other Makefile runs make in its
   * folder), where every path its recipe's target applies is missing: that target, most likely one of another
   * project's Makefile copied in, whose paths are that project's.
   */
  readonly unrunTarget?: string;
}

/** kubectl and oc subcommands that read the files they are given and fail when one is missing. */
const READING_SUBCOMMANDS: ReadonlySet<string> = new Set(['apply', 'create', 'replace']);

/** The programs whose commands apply files, as a wrapper function (`run_cmd kubectl …`) runs them too. */
const KUBE_PROGRAMS: ReadonlySet<string> = new Set(['kubectl', 'oc']);

/** kubectl's `--dry-run=client|server` (kubectl cmd/util GetDryRunStrategy; bare `--dry-run` is client): nothing reaches the cluster. */
const DRY_RUN = /^--dry-run(?:=(?:client|server|true))?$/;
/** The kubectl and oc subcommand that removes what its files declare (`oc delete -f uninstall/`): no delivery. */
const DELETING_SUBCOMMANDS: ReadonlySet<string> = new Set(['delete']);
/** Global options of kubectl/oc that take a value (kubectl options: `--namespace`, `--context`, …), read past before the subcommand. */
export const VALUED_GLOBALS = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token', '--as']);
/** Characters that make a path depend on the shell (variables, globs, home, substitutions): such a path is not judged. */
const SHELL_DEPENDENT = /[$*?[\]{}~<>%`]/;
/** A manifest file's name: a bare one a shell script applies is judged (a README's may be one the reader is told to write). */
const MANIFEST_NAME = /\.(ya?ml|json)$/;
/** A Markdown file's name: its commands are those of its fenced blocks. */
const MARKDOWN = /\.(md|markdown)$/i;
/** A path the command reads from elsewhere than the tree. */
const NOT_LOCAL = /^(-|\/|[a-z][a-z0-9+.-]*:\/\/|git@)/i;

/** How a script names itself: `$0`, `${BASH_SOURCE[0]}`. */
const SELF = String.raw`(?:\$0|\$\{0\}|\$\{BASH_SOURCE(?:\[0\])?\}|\$BASH_SOURCE)`;
/** A value naming the script's own folder: `$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)`, `$(dirname "$0")`. */
const OWN_FOLDER_VALUE = new RegExp(
  String.raw`^"?\$\(\s*(?:cd\s+"?\$\(\s*dirname\s+"?${SELF}"?\s*\)"?\s*(?:&&|;)\s*pwd(?:\s+-P)?|dirname\s+"?${SELF}"?)\s*\)"?$`,
);
/** A line that sets a variable (after `export`, `readonly`, `local` or `declare`): its name and its value as written. */
const ASSIGNMENT = /^\s*(?:(?:export|readonly|local|declare(?:\s+-\w+)?)\s+)?([A-Za-z_]\w*)=(\S.*?)\s*$/;
/** The keywords before an assignment the shell makes in the script's own scope. */
const DECLARING = /^(export|readonly|local|declare)$/;
/** A variable's reference in a word: `$NAME` or `${NAME}`. */
const REFERENCE = /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g;

/** Programs that return at once, whatever their arguments. */
const PROMPT_PROGRAMS: ReadonlySet<string> = new Set([
  'echo',
  'printf',
  'true',
  ':',
  'mkdir',
  'cp',
  'mv',
  'rm',
  'cat',
  'sed',
  'envsubst',
  'export',
  'set',
  'local',
  'readonly',
  'declare',
]);
/** kubectl and oc subcommands that return once the API server has answered (wait, rollout status and the like do not). */
const PROMPT_SUBCOMMANDS: ReadonlySet<string> = new Set([
  'apply',
  'create',
  'replace',
  'label',
  'annotate',
  'patch',
  'delete',
  'get',
  'describe',
  'project',
  'new-project',
  'config',
  'expose',
  'set',
]);

/**
 * Whether a command may wait for the cluster or retry: anything but an assignment without a substitution, a program
 * that returns at once, or a kubectl/oc subcommand that does (`oc wait`, `sleep`, a loop's words, a function of the
 * script may).
 */
export function mayWait(tokens: readonly string[]): boolean {
  if (tokens.length === 0) return false;
  if (tokens.every((w) => /^[A-Za-z_]\w*=/.test(w)) && !tokens.some((w) => /\$\(|`/.test(w))) return false;
  const { program, at } = invocationOf(tokens);
  if (program === undefined || PROMPT_PROGRAMS.has(program)) return false;
  if (program !== 'kubectl' && program !== 'oc') return true;
  let i = at + 1;
  while (i < tokens.length && tokens[i].startsWith('-')) i += VALUED_GLOBALS.has(tokens[i]) ? 2 : 1;
  return !PROMPT_SUBCOMMANDS.has(tokens[i] ?? '');
}

/**
 * What a shell keeps while it runs a script, as far as a reader can follow: the variables it sets, in order (one set
 * to the script's own folder holds `.` and is marked own; one set to a literal, or to words of known variables, holds
 * it; any other value makes it unknown), and whether `set -e` is on (bash: `set -e`, `set -o errexit`, `#!/bin/bash -e`;
 * `set +e` turns it off).
 */
class ShellState {
  private readonly values = new Map<string, { readonly text: string; readonly own: boolean }>();
  private readonly lines: Map<number, string>;
  private readonly commands: readonly ScriptCommand[];
  private readonly shellScript: boolean;
  private readonly makefile: boolean;
  private errexit: boolean;
  /** The line of the last command that may wait (mayWait), through the command followed last; and before it. */
  private waitedThrough = 0;
  public waitedBefore = 0;

  constructor(t: TreeScript) {
    this.lines = new Map(logicalLines(t.text).map((l) => [l.line, l.text]));
    this.commands = scriptCommandsOf(t);
    this.shellScript = /\.(sh|bash)$/.test(t.script);
    this.makefile = MAKEFILE.test(t.script);
    this.errexit = /^#!.*\s-[a-z]*e/.test(t.text.split('\n', 1)[0]);
  }

  /** Takes in what the command sets; its words with the known variables put in, and those that start from the script's own folder. */
  follow(command: ScriptCommand): { words: readonly string[]; ownWords: ReadonlySet<string> } {
    const { tokens } = command;
    if (tokens[0] === 'set') this.errexit = setsErrexit(tokens) ?? this.errexit;
    this.waitedBefore = this.waitedThrough;
    if (mayWait(tokens)) this.waitedThrough = command.line;
    const resolved = tokens.map((w) => this.resolve(w));
    this.assign(
      command,
      resolved.map((r) => r.text),
    );
    return { words: resolved.map((r) => r.text), ownWords: new Set(resolved.filter((r) => r.own).map((r) => r.text)) };
  }

  /**
   * Whether the command's failure stops the delivery (MissingApplied.fatal). make stops at a recipe line that fails
   * (unless it is led by `-`), and the line fails with its last command: a command before a `;`, `||` or `|` of its
   * line does not stop it.
   */
  fatal(command: ScriptCommand): boolean {
    if (command.errorsIgnored) return false;
    if (this.makefile) {
      const line = this.commands.slice(this.commands.indexOf(command)).filter((c) => c.line === command.line);
      return line.slice(0, -1).every((c) => c.separator === '&&');
    }
    if (!this.shellScript) return true;
    // blank lines (the newline that ends the file among them) are no commands: the last command is the last with words
    const after = this.commands.slice(this.commands.indexOf(command)).filter((c) => c === command || c.tokens.length > 0);
    const endsScript = after.slice(0, -1).every((c) => c.separator === '&&') && command.separator !== '||';
    return endsScript || (this.errexit && !['&&', '||', '|'].includes(command.separator));
  }

  private assign(command: ScriptCommand, words: readonly string[]): void {
    const written = ASSIGNMENT.exec(this.lines.get(command.line) ?? '');
    const own = this.shellScript && written !== null && OWN_FOLDER_VALUE.test(written[2]);
    const at = DECLARING.test(words[0] ?? '') ? 1 : 0;
    const set = /^([A-Za-z_]\w*)=(.*)$/.exec(words[at] ?? '');
    if (own && written && command.text.trim().startsWith(written[1])) this.values.set(written[1], { text: '.', own: true });
    else if (set && words.length === at + 1) this.setLiteral(set[1], set[2], command.tokens[at]);
  }

  private setLiteral(name: string, text: string, written: string): void {
    if (SHELL_DEPENDENT.test(text) || !text) this.values.delete(name);
    else this.values.set(name, { text, own: this.ownStart(written) });
  }

  /** Whether an assignment's value starts with a variable holding the script's own folder. */
  private ownStart(written: string): boolean {
    const first = /=\$\{?([A-Za-z_]\w*)/.exec(written)?.[1];
    return first !== undefined && this.values.get(first)?.own === true;
  }

  private resolve(word: string): { text: string; own: boolean } {
    if (!word.includes('$')) return { text: word, own: false };
    const first = /^\$\{?([A-Za-z_]\w*)/.exec(word)?.[1];
    const text = word.replace(REFERENCE, (ref, a?: string, b?: string) => this.values.get(a ?? b ?? '')?.text ?? ref);
    return { text, own: first !== undefined && this.values.get(first)?.own === true && !SHELL_DEPENDENT.test(text) };
  }
}

/** What a `set` command does to errexit: true for `-e` (or a flag group with e, `-o errexit`), false for `+e`; undefined otherwise. */
function setsErrexit(words: readonly string[]): boolean | undefined {
  let on: boolean | undefined;
  words.forEach((w, i) => {
    if (/^-[a-z]*e[a-z]*$/.test(w) || (w === '-o' && words[i + 1] === 'errexit')) on = true;
    if (/^\+[a-z]*e[a-z]*$/.test(w) || (w === '+o' && words[i + 1] === 'errexit')) on = false;
  });
  return on;
}

/** One path a command of a script applies, with the folders the command may run in. */
interface ApplyCommand extends ScriptCommand {
  readonly script: string;
  /** The path as the command names it. */
  readonly file: string;
  /** The folders the command may run in: beside the script, the tree's root, the repository's root, or where a `cd` led. */
  readonly bases: readonly string[];
  /** The relative `cd` before it that the reader could not follow: where the command runs is unknown (bases is empty). */
  readonly lostAt?: ScriptCommand;
  /** The relative `cd`s that led where the command runs, from lostAt or the last `cd` down on (see cdsSaid). */
  readonly lostCds?: readonly string[];
  /** The cluster the command talks to, as the script names it (kubeContext), when it names one. */
  readonly context?: string;
  /** The paths the command names from the script's own folder, or after a cd into it (MissingApplied.placed). */
  readonly placed: ReadonlySet<string>;
  /** Its failure stops the delivery (MissingApplied.fatal). */
  readonly fatal: boolean;
  /** The line of the last command before it that may wait (ScriptApplied.waitedAt); 0 when none. */
  readonly waitedAt: number;
}

/** The value of a command's option `--name X` / `--name=X` (or one of its short forms), when given. */
function optionValue(tokens: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const [flag, attached] = tokens[i].split(/=(.*)/s);
    if (names.includes(flag)) return attached ?? tokens[i + 1];
  }
  return undefined;
}

/** A kubeconfig file as a cluster: `--kubeconfig F`, `KUBECONFIG=F` and `export KUBECONFIG=F` name the same one. */
const kubeconfigFile = (file: string): string => `kubeconfig ${file}`;

/**
 * The cluster a kubectl/oc command talks to, as the script names it: its own `--context`, `--kubeconfig`, `--server`,
 * a `KUBECONFIG=` before it, else the script's current one (contextAfter, kept in `current`). Words are compared as
 * written: `$MANAGER_CONTEXT` and `$WORKER_CONTEXT` are two clusters.
 */
function kubeContext(tokens: readonly string[], current: string | undefined): string | undefined {
  const context = optionValue(tokens, ['--context']);
  if (context) return context;
  const file = optionValue(tokens, ['--kubeconfig']) ?? tokens.find((t) => /^KUBECONFIG=./.test(t))?.slice('KUBECONFIG='.length);
  if (file) return kubeconfigFile(file);
  const server = optionValue(tokens, ['--server', '-s']);
  return server ? `server ${server}` : current;
}

/**
 * The current context a command switches to, named as a later `use-context` names it where the tool decides the name:
 * `kubectl|oc config use-context X`, `kubectx X`, `oc login [--server] URL`, `kind create cluster [--name X]` (kind
 * pkg/cluster/internal/kubeconfig: `kind-X`, default cluster `kind`), `k3d cluster create [X]` (k3d pkg/client/kubeconfig.go:
 * `k3d-X`, default `k3s-default`, switched to by default), `minikube start [-p X]` (profile `minikube`).
 */
function clusterSwitchedTo(tokens: readonly string[]): string | undefined {
  const { program, at } = invocationOf(tokens);
  const [a, b, c] = [tokens[at + 1], tokens[at + 2], tokens[at + 3]];
  const positional = (from: number) => tokens.slice(from).find((t) => !t.startsWith('-'));
  if ((program === 'kubectl' || program === 'oc') && a === 'config' && b === 'use-context' && c) return c;
  if (program === 'kubectx' && a && !a.startsWith('-') && a !== '-') return a;
  if (program === 'oc' && a === 'login') {
    const server = optionValue(tokens, ['--server', '-s']) ?? positional(at + 2);
    return server ? `server ${server}` : undefined;
  }
  if (program === 'kind' && a === 'create' && b === 'cluster') return `kind-${optionValue(tokens, ['--name']) ?? 'kind'}`;
  if (program === 'k3d' && a === 'cluster' && b === 'create') return `k3d-${c && !c.startsWith('-') ? c : 'k3s-default'}`;
  if (program === 'minikube' && a === 'start') return optionValue(tokens, ['--profile', '-p']) ?? 'minikube';
  return undefined;
}

/** The script's current cluster after a command: clusterSwitchedTo, `export KUBECONFIG=X`, else unchanged. */
function contextAfter(tokens: readonly string[], current: string | undefined): string | undefined {
  const switched = clusterSwitchedTo(tokens);
  if (switched) return switched;
  if (tokens.length === 2 && tokens[0] === 'export' && /^KUBECONFIG=./.test(tokens[1])) return kubeconfigFile(tokens[1].slice('KUBECONFIG='.length));
  if (tokens.length === 1 && /^KUBECONFIG=./.test(tokens[0])) return kubeconfigFile(tokens[0].slice('KUBECONFIG='.length));
  return current;
}

/** A `cd` or `pushd` to a literal relative folder: one that leads somewhere in or beside the tree, were it there. */
function relativeCd(tokens: readonly string[]): boolean {
  const to = tokens[1];
  return (tokens[0] === 'cd' || tokens[0] === 'pushd') && to !== undefined && to !== '-' && !SHELL_DEPENDENT.test(to) && !to.startsWith('/');
}

/**
 * The paths the commands of a tree's scripts and READMEs apply (`kubectl|oc apply|create|replace -f|-k PATH`), in
 * order, with the folders each command may run in; a README's commands are those of its fenced blocks. Commands after
 * a `cd` the reader cannot follow are left out. `withFolder` keeps only paths that lead into a folder (`deploy/x.yaml`).
 */
function applyCommandsOf(
  root: string,
  scripts: readonly TreeScript[],
  repositoryRoot: string | undefined,
  { withFolder, pastLostCd = false, subcommands = READING_SUBCOMMANDS }: { withFolder: boolean; pastLostCd?: boolean; subcommands?: ReadonlySet<string> },
): ApplyCommand[] {
  const top = [...new Set([root, ...(repositoryRoot ? [repositoryRoot] : [])])];
  const out: ApplyCommand[] = [];
  for (const t of scripts) {
    const { script } = t;
    const folder = path.join(root, path.dirname(script));
    const start = [...new Set([folder, ...top])];
    let bases: string[] | undefined = start;
    let lostAt: ScriptCommand | undefined;
    let lostCds: string[] = [];
    let context: string | undefined;
    // the folders `git clone` makes
    const clones = new Set<string>();
    // whether the commands run in the script's own folder, or one a literal cd leads to from there
    let inOwnFolder = false;
    const shell = new ShellState(t);
    const makefile = MAKEFILE.test(script);
    let line: number | undefined;
    for (const command of scriptCommandsOf(t)) {
      // each recipe line of a Makefile runs in a shell of its own, where make runs: a cd ends with its line
      if (makefile && command.line !== line) [bases, lostAt, lostCds, inOwnFolder] = [start, undefined, [], false];
      line = command.line;
      if (!bases && !makefile) break;
      if (!bases) continue;
      const { words: followed, ownWords } = shell.follow(command);
      const tokens = unwrapped(followed, KUBE_PROGRAMS);
      context = contextAfter(tokens, context);
      const cloned = cloneFolder(tokens);
      if (cloned) clones.add(cloned);
      if (tokens[0] === 'cd' || tokens[0] === 'pushd' || tokens[0] === 'popd') {
        // a README at the tree's root that clones a repository and enters it is the tree's own "clone this
        // repository" step; a clone entered anywhere else may be another repository's: nothing more is judged
        const clone = clones.has(tokens[1]?.replace(/\/$/, '') ?? '');
        const own = ownFolderCd(command.text, folder) ?? (ownWords.has(tokens[1] ?? '') ? folderAt(folder, tokens[1]) : undefined);
        inOwnFolder = own !== undefined || (inOwnFolder && !clone && !lostAt && relativeCd(tokens));
        bases = clone ? (script.includes('/') ? undefined : top) : own ? [own] : lostAt ? bases : movedTo(bases, tokens);
        // past a relative cd the reader cannot follow, the folder is unknown, but still this tree's or beside it
        if (!clone && pastLostCd && relativeCd(tokens) && (lostAt || !bases)) {
          [bases, lostAt] = [[], lostAt ?? command];
          // a cd up (`cd ../nodepools`) moves from where the one before led; one down (`cd repo/app`), as a guide
          // writes each step from the repository's root, starts over
          lostCds = /^(\.\/)*\.\.(\/|$)/.test(tokens[1]) ? [...lostCds, command.text] : [command.text];
        } else if (lostAt && !relativeCd(tokens)) bases = undefined;
        continue;
      }
      const on = kubeContext(tokens, context);
      const placed = new Set(inOwnFolder && bases.length ? appliedPaths(tokens, { withFolder: false, subcommands }) : [...ownWords].map(normalPath));
      const state = { fatal: shell.fatal(command), waitedAt: shell.waitedBefore, ...(lostAt ? { lostAt, lostCds } : {}), ...(on ? { context: on } : {}) };
      for (const file of appliedPaths(tokens, { withFolder: withFolder && !lostAt, subcommands })) {
        out.push({ ...command, tokens, script, file, bases: placed.has(file) && !inOwnFolder ? [folder] : bases, placed, ...state });
      }
    }
  }
  return out;
}

/**
 * The files a tree's scripts and READMEs apply (`kubectl|oc apply|create|replace -f|-k PATH`) that exist neither beside
 * the script, nor at the tree's root, nor at `repositoryRoot`, where the path leads into a folder of the tree: the
 * command fails ("the path … does not exist"), and under `set -e` the script stops there. A README's commands are
 * those of its fenced blocks. Paths built from variables, globs, URLs and absolute paths are not judged, nor a file a
 * script line names otherwise (one a script writes or tests for before applying it), nor commands after a `cd` the
 * reader cannot follow.
 */
export function missingAppliedFiles(root: string, scripts: readonly TreeScript[], repositoryRoot?: string): MissingApplied[] {
  if (!scripts.length) return [];
  const mentions = mentionedOtherwise(scripts.flatMap((t) => scriptCommandsOf(t)));
  // the tree's files are listed only when a script names a path that is not there
  let listed: string[] | undefined;
  const files = () => (listed ??= treeFiles(root));
  const out: MissingApplied[] = [];
  const commands = applyCommandsOf(root, scripts, repositoryRoot, { withFolder: false, pastLostCd: true });
  const anchored = anchoredBareNames(commands, scripts);
  const texts = new Map(scripts.map((t) => [t.script, t.text]));
  const written = new Map(scripts.flatMap((t) => (t.written === undefined ? [] : [[t.script, t.written] as const])));
  // a script whose other bare names are elsewhere in the tree runs from there: its bare names are not judged alone
  const runsElsewhere = (script: string) =>
    commands.some(
      (c) => c.script === script && !c.lostAt && !c.file.includes('/') && !existsIn(c.bases, c.file) && files().some((f) => f.endsWith(`/${c.file}`)),
    );
  const terraformWrites = terraformWriter(root, repositoryRoot, texts);
  for (const { script, line, text: expanded, file, bases, lostAt, lostCds, placed: own, fatal } of commands) {
    // a Makefile's recipe line is quoted as written, its variables (put in to judge the path) as the reader sees them
    const command = written.has(script) ? (written.get(script)!.split('\n')[line - 1]?.trim() ?? expanded) : expanded;
    const isAnchored = anchored.has(`${script}\0${line}\0${file}`);
    // a README's steps may be the reader's to complete (a file they are told to write): only a script is placed so
    const placed = (isAnchored && !MARKDOWN.test(script)) || own.has(file);
    // a guide's bare name placed by another of its steps is read there, as its reader runs it: the same name elsewhere
    // in the tree is a file the guide does not name where it says (a path to give it), not the one it applies
    const guideStep = isAnchored && MARKDOWN.test(script) && !file.includes('/');
    if (!lostAt && !file.includes('/') && !placed && !isAnchored && !(MANIFEST_NAME.test(file) && !MARKDOWN.test(script) && !runsElsewhere(script))) continue;
    if (terraformWrites(script, line, lostAt ? [] : bases, file)) continue;
    if (lostAt) {
      const lost = lostFile(file, mentions, files());
      if (lost && !out.some((o) => o.script === script && o.file === file))
        out.push({ script, line, command, file, caseOnly: false, ...lost, afterCd: cdsSaid(lostCds ?? [lostAt.text]), placed: false, fatal });
      continue;
    }
    if (
      mentions.has(path.posix.basename(file)) ||
      existsIn(bases, file) ||
      !intoTree(bases, file) ||
      files().some((f) => f === file || (!guideStep && f.endsWith(`/${file}`))) ||
      writtenByProgram(texts.get(script) ?? '', bases, file, path.resolve(root, script))
    )
      continue;
    if (out.some((o) => o.script === script && o.file === file)) continue;
    const other = bases.map((b) => otherCase(b, file)).find((f) => f !== undefined);
    const resolved = [file, ...bases.map((b) => path.relative(root, path.resolve(b, file)).split(path.sep).join('/'))];
    const near = other ? [other] : nearFiles(files(), resolved);
    const nearBeside = near.some((n) => resolved.some((r) => path.posix.dirname(r) === path.posix.dirname(n)));
    out.push({ script, line, command, file, near, nearBeside, caseOnly: other !== undefined, placed, fatal });
  }
  return withUnrunTargets(out, commands, scripts);
}

/** A line before the command that runs `terraform apply` (`terraform -chdir=infra apply`, `terraform apply -auto-approve`). */
const TERRAFORM_APPLY = /\bterraform\b(?:\s+-chdir=\S+)?\s+apply\b/;

/**
 * Whether a step of the script before the command runs `terraform apply` on a configuration that writes the file
 * (a local_file's filename, of the tree's or the repository's Terraform): at the path the command reads (`bases`), or
 * where the command runs from a folder check cannot follow (no bases), under the file's name. Terraform writes it
 * when applied (hashicorp/local local_file), so it is there when the command runs.
 */
function terraformWriter(root: string, repositoryRoot: string | undefined, texts: ReadonlyMap<string, string>) {
  let written: string[] | undefined;
  return (script: string, line: number, bases: readonly string[], file: string): boolean => {
    const before = (texts.get(script) ?? '').split('\n').slice(0, line - 1);
    if (!before.some((l) => TERRAFORM_APPLY.test(l) && !/^\s*#/.test(l))) return false;
    written ??= [...new Set([root, repositoryRoot ?? root])].flatMap((r) => terraformWrittenFiles(r));
    if (!bases.length) return written.some((w) => path.basename(w) === path.posix.basename(file));
    return bases.some((b) => written!.includes(path.resolve(b, file)));
  };
}

/**
 * The missing paths of Makefiles nothing of the tree runs, marked with their target where every path that target
 * applies is missing (MissingApplied.unrunTarget); the others as they are.
 */
function withUnrunTargets(out: readonly MissingApplied[], commands: readonly ApplyCommand[], scripts: readonly TreeScript[]): MissingApplied[] {
  const written = new Map(scripts.map((t) => [t.script, t.written ?? t.text]));
  const unrun = new Map<string, boolean>();
  return out.map((m) => {
    // a file one or two edits from the path where it leads (app.yml for app.yaml) shows the Makefile is this tree's
    if (!MAKEFILE.test(m.script) || m.caseOnly || m.nearBeside) return m;
    if (!unrun.has(m.script)) unrun.set(m.script, !makefileRun(m.script, scripts));
    if (!unrun.get(m.script)) return m;
    const text = written.get(m.script) ?? '';
    const target = recipeTarget(text, m.line);
    if (target === undefined) return m;
    const ofTarget = commands.filter((c) => c.script === m.script && recipeTarget(text, c.line) === target);
    return ofTarget.every((c) => out.some((o) => o.script === m.script && o.file === c.file)) ? { ...m, unrunTarget: target } : m;
  });
}

/** A program file a script runs (`python3 generate-jobs.py`, `./render.sh`): it may write the files the script applies. */
const PROGRAM_FILE = /[\w.-]+\.(?:py|sh|bash|js|mjs|ts|go|rb|pl)\b/g;
/** How much of a program is read for the names it writes: the head of a generator is where its output names are. */
const PROGRAM_BYTES = 200_000;

/**
 * Whether a program the script names, beside where the command runs, names the file: a generator that writes it. The
 * script itself is no such program (its usage text names it, and it names the file only to apply it).
 */
function writtenByProgram(text: string, bases: readonly string[], file: string, self: string): boolean {
  const name = path.posix.basename(file);
  return [...new Set([...text.matchAll(PROGRAM_FILE)].map((m) => m[0]))].some((program) =>
    bases.some((b) => {
      const at = path.resolve(b, program);
      if (at === self) return false;
      const st = fs.statSync(at, { throwIfNoEntry: false });
      return st?.isFile() === true && st.size <= PROGRAM_BYTES && fs.readFileSync(at, 'utf8').includes(name);
    }),
  );
}

/**
 * The file names (no folder) a script applies that are judged as paths are: a YAML or JSON name where the same script
 * applies another file name that is there, from the same folder (`kubectl apply -f 01-ns.yaml`, then `-f 03-secret.yaml`
 * beside the files it applies): that file places the command, so a name missing there is missing. Alone, a name may
 * be one the reader is told to write (a README's "save this as x.yaml"), so it is left out, as it is in a README whose
 * prose or blocks name it elsewhere. Keys are `script\0line\0file`.
 */
function anchoredBareNames(commands: readonly ApplyCommand[], scripts: readonly TreeScript[]): Set<string> {
  const bare = commands.filter((c) => !c.lostAt && !c.file.includes('/') && c.file !== '.');
  const placing = bare.filter((c) => existsIn(c.bases, c.file));
  const texts = new Map(scripts.map((t) => [t.script, t.text]));
  const out = new Set<string>();
  for (const c of bare) {
    if (!/\.(ya?ml|json)$/.test(c.file) || existsIn(c.bases, c.file)) continue;
    const here = placing.some((p) => p.script === c.script && p.bases.some((b) => c.bases.includes(b) && fs.existsSync(path.resolve(b, p.file))));
    if (here && !namedOutsideCommands(c.script, texts.get(c.script) ?? '', c.file)) out.add(`${c.script}\0${c.line}\0${c.file}`);
  }
  return out;
}

/** Whether a README names the file on a line that runs no kubectl or oc (prose, a block to save as that file). */
function namedOutsideCommands(script: string, text: string, file: string): boolean {
  return MARKDOWN.test(script) && text.split('\n').some((l) => l.includes(file) && !/\b(kubectl|oc)\s/.test(l));
}

/**
 * After a `cd` the reader cannot follow, a file name (no folder) the command applies that no file of the tree bears,
 * that no script line writes or tests for: missing wherever the command runs, as far as the tree tells (a warning: the
 * folder may be outside it). With the tree's files of a name one or two edits away, the likely intent.
 */
function lostFile(file: string, mentions: ReadonlySet<string>, tree: readonly string[]): { near: string[] } | undefined {
  if (file.includes('/') || !/\.(ya?ml|json)$/.test(file) || mentions.has(file) || tree.some((f) => path.posix.basename(f) === file)) return undefined;
  return { near: tree.filter((f) => editDistance(path.posix.basename(f), file) <= 2).slice(0, 3) };
}

/**
 * The one folder of the tree where `file` (a file name, or a relative path of files or folders) is found, among the
 * tree's files and their folders; undefined when none or several are.
 */
function onlyPathEndingIn(tree: readonly string[], file: string): string | undefined {
  const wanted = path.posix.normalize(file).replace(/\/+$/, '');
  if (!wanted || wanted.startsWith('.')) return undefined;
  const paths = new Set<string>();
  for (const f of tree) for (let p = f; p !== '.' && p !== ''; p = path.posix.dirname(p)) paths.add(p);
  const found = [...paths].filter((p) => p === wanted || p.endsWith(`/${wanted}`));
  return found.length === 1 ? found[0].slice(0, found[0].length - wanted.length).replace(/\/+$/, '') : undefined;
}

/** A file or folder of the tree a script applies, as the command reads it (in a Markdown guide, with what the prose around its step offers). */
export interface ScriptApplied extends GuideOffer {
  /** The script, relative to the tree. */
  readonly script: string;
  readonly line: number;
  /** The command as written. */
  readonly command: string;
  /** The path applied, absolute. */
  readonly target: string;
  /** Applied as a kustomization (`-k`), not as files. */
  readonly kustomize: boolean;
  /** The kubectl/oc subcommand that reads it (`apply`, `create`, `replace`; `delete` for a removal), when the command is kubectl's or oc's own. */
  readonly subcommand?: string;
  /** Read recursively (`-R`, `--recursive`): a folder's subfolders too. */
  readonly recursive: boolean;
  /** The command's `-n`/`--namespace`: where objects without their own namespace go. */
  readonly namespace?: string;
  /**
   * The `cd` before the command that the reader could not follow, and the relative ones after it (as MissingApplied's):
   * the file is the one file of the tree of that name, as assumed.
   */
  readonly afterCd?: string;
  /** The cluster the command talks to as the script names it (`--context`, `use-context`, KUBECONFIG), when it names one. */
  readonly context?: string;
  /** In a Markdown file, the line of the fence that opens the command's block: a README's blocks are steps the reader runs apart. */
  readonly block?: number;
  /** In a script, the arms of the if and case constructs the command is in (script-branches.ts), when it is in one. */
  readonly arms?: ArmPath;
  /** Its failure stops the delivery (MissingApplied.fatal). Unknown when unset. */
  readonly fatal?: boolean;
  /**
   * The line of the last command before it in its file that may wait or retry (mayWait): a `wait`, a `sleep`, a loop
   * or condition, a function or program not known to return at once; 0 when none does. Unknown when unset.
   */
  readonly waitedAt?: number;
}

/** Whether an apply with -f reaches a file (absolute): the file itself, its folder, or a folder above it with `-R`. */
export function appliesFile(a: Pick<ScriptApplied, 'target' | 'recursive'>, file: string): boolean {
  return file === a.target || path.dirname(file) === a.target || (a.recursive && file.startsWith(`${a.target}${path.sep}`));
}

/** The files and folders of the tree its scripts and READMEs apply, where they exist, in the order the commands run. */
export function scriptAppliedPaths(root: string, scripts: readonly TreeScript[], repositoryRoot?: string): ScriptApplied[] {
  return scriptPathsOf(root, scripts, repositoryRoot, READING_SUBCOMMANDS);
}

/**
 * The files and folders of the tree its scripts and READMEs delete (`kubectl|oc delete -f|-k PATH`, a clean-up step):
 * read as scriptAppliedPaths reads applies.
 */
export function scriptDeletedPaths(root: string, scripts: readonly TreeScript[], repositoryRoot?: string): ScriptApplied[] {
  return scriptPathsOf(root, scripts, repositoryRoot, DELETING_SUBCOMMANDS);
}

/** The files and folders of the tree that the scripts' kubectl/oc `subcommands` read, where they exist, in order. */
function scriptPathsOf(root: string, scripts: readonly TreeScript[], repositoryRoot: string | undefined, subcommands: ReadonlySet<string>): ScriptApplied[] {
  let listed: string[] | undefined;
  const files = () => (listed ??= treeFiles(root));
  const fences = new Map(scripts.filter((t) => MARKDOWN.test(t.script)).map((t) => [t.script, fenceOpenings(t.text)]));
  const guides = new Map(scripts.filter((t) => MARKDOWN.test(t.script)).map((t) => [t.script, t.text]));
  const arms = new Map<string, ArmPath[]>();
  const armsOf = (script: string, line: number): ArmPath | undefined => {
    const text = MARKDOWN.test(script) ? undefined : scripts.find((t) => t.script === script)?.text;
    if (text === undefined) return undefined;
    if (!arms.has(script)) arms.set(script, armPaths(asShellReads(script, text)));
    const at = arms.get(script)?.[line];
    return at?.length ? at : undefined;
  };
  return applyCommandsOf(root, scripts, repositoryRoot, { withFolder: false, pastLostCd: true, subcommands }).flatMap(
    ({ script, line, text: command, tokens, file, bases, lostAt, lostCds, context, fatal, waitedAt }) => {
      // past a cd the reader cannot follow, a file name only one file of the tree bears is taken for that file, and a
      // path with folders (`kubernetes/`) for the one file or folder of the tree that path ends in
      const only = lostAt ? onlyPathEndingIn(files(), file) : undefined;
      const base = lostAt ? (only !== undefined ? path.join(root, only) : undefined) : bases.find((b) => fs.existsSync(path.resolve(b, file)));
      if (base === undefined) return [];
      const flag = tokens.findIndex((t) => /^(-n|--namespace)(=|$)/.test(t));
      const namespace = flag < 0 ? undefined : (/^--namespace=(.*)$/.exec(tokens[flag])?.[1] ?? tokens[flag + 1]);
      return [
        {
          script,
          line,
          command,
          target: path.resolve(base, file),
          kustomize: tokens.some((t) => /^(-k|--kustomize)(=|$)|^-k\S/.test(t)),
          ...withSubcommand(subcommandOf(tokens)),
          recursive: tokens.some((t) => t === '-R' || t === '--recursive'),
          fatal,
          waitedAt,
          ...(lostAt ? { afterCd: cdsSaid(lostCds ?? [lostAt.text]) } : {}),
          ...(context ? { context } : {}),
          ...(namespace && /^[a-z0-9][a-z0-9-]*$/.test(namespace) ? { namespace } : {}),
          ...blockOf(fences.get(script), line),
          ...(guides.has(script) ? guideOffer(guides.get(script) ?? '', line) : {}),
          ...withArms(armsOf(script, line)),
        },
      ];
    },
  );
}

const withArms = (arms: ArmPath | undefined): { arms?: ArmPath } => (arms ? { arms } : {});
const withSubcommand = (subcommand: string | undefined): { subcommand?: string } => (subcommand ? { subcommand } : {});

/** Files the tree removes rather than delivers: those a script's or README's `kubectl|oc delete` reads, or a tear-down folder's. */
export interface ScriptDeleted extends Pick<ScriptApplied, 'target' | 'kustomize' | 'recursive'> {
  /** What says so, for a message: the command and where it is, or the folder's name. */
  readonly why: string;
  /** Only the folder's name says so: then a script that applies the files, or an Argo CD Application, still delivers them. */
  readonly byFolderName?: boolean;
}

/**
 * Folder names that hold a tear-down list (`oc delete -f uninstall/`): manifests kept to remove what the install
 * made, e.g. the namespaces of an operator. A convention, not a fact: taken where no script of the tree applies them.
 */
const TEARDOWN_FOLDER = /^(un-?install|clean-?up|tear-?down)$/i;

/** The delete commands of a tree's scripts and READMEs, and its tear-down folders among `files` (absolute), as ScriptDeleted. */
export function scriptDeletions(root: string, scripts: readonly TreeScript[], files: readonly string[], repositoryRoot?: string): ScriptDeleted[] {
  const commands = scriptDeletedPaths(root, scripts, repositoryRoot).map((d): ScriptDeleted => ({
    target: d.target,
    kustomize: d.kustomize,
    recursive: d.recursive,
    why: `${d.script} (line ${d.line}) runs \`${d.command}\``,
  }));
  const folders = new Set<string>();
  for (const f of files) {
    const parts = path.relative(path.resolve(root), path.dirname(f)).split(path.sep);
    const at = parts.findIndex((p) => TEARDOWN_FOLDER.test(p));
    if (!parts[0].startsWith('..') && at >= 0) folders.add(parts.slice(0, at + 1).join(path.sep));
  }
  const named = [...folders].map((f): ScriptDeleted => ({
    target: path.resolve(root, f),
    kustomize: false,
    recursive: true,
    why: `its folder is named ${path.basename(f)}/, a tear-down list`,
    byFolderName: true,
  }));
  return [...commands, ...named];
}

/** The block of a Markdown file's command at `line`: the last fence opening before it (fenceOpenings). */
function blockOf(openings: readonly number[] | undefined, line: number): { block?: number } {
  const block = openings?.filter((o) => o < line).pop();
  return block === undefined ? {} : { block };
}

/**
 * The `cd`s that led where a command runs, said between backquotes by the caller: the last one down and each up after
 * it, since each of those moves from where the one before led (`cd repo/terraform`, then `cd ../nodepools`); the first
 * and the last two of a longer run.
 */
function cdsSaid(cds: readonly string[]): string {
  return (cds.length > 3 ? [cds[0], '…', ...cds.slice(-2)] : cds).join('`, then `');
}

/** The folder `git clone URL [DIR]` makes: DIR, or the URL's last segment without `.git`. */
function cloneFolder(tokens: readonly string[]): string | undefined {
  if (tokens[0] !== 'git' || tokens[1] !== 'clone') return undefined;
  const args = tokens.slice(2).filter((t) => !t.startsWith('-'));
  return args[1] ?? (args[0] ? path.posix.basename(args[0]).replace(/\.git$/, '') : undefined);
}

/**
 * `cd "$(dirname "$0")/.."`: a script entering a folder named from its own place (`$0`, `${BASH_SOURCE[0]}`), the
 * usual first line of a script run from anywhere; the folder, when it is one, else undefined.
 */
const OWN_FOLDER_CD = /^\s*(?:cd|pushd)\s+"?\$\(\s*dirname\s+"?(?:\$0|\$\{0\}|\$\{BASH_SOURCE(?:\[0\])?\}|\$BASH_SOURCE)"?\s*\)((?:\/[^"\s;&|]*)?)"?\s*$/;
function ownFolderCd(text: string, scriptDir: string): string | undefined {
  const m = OWN_FOLDER_CD.exec(text);
  if (!m) return undefined;
  const to = path.resolve(scriptDir, `.${m[1]}`);
  return fs.statSync(to, { throwIfNoEntry: false })?.isDirectory() ? to : undefined;
}

/** The folders a `cd`/`pushd` moves to, from each candidate; undefined when the reader cannot follow (a variable, `-`, popd). */
function movedTo(bases: readonly string[], tokens: readonly string[]): string[] | undefined {
  const to = tokens[1];
  if (tokens[0] === 'popd' || to === undefined || to === '-' || SHELL_DEPENDENT.test(to) || to.startsWith('/')) return undefined;
  const moved = bases.map((b) => path.resolve(b, to)).filter((d) => fs.statSync(d, { throwIfNoEntry: false })?.isDirectory());
  return moved.length ? moved : undefined;
}

/**
 * The local paths a kubectl/oc apply, create or replace (or the other `subcommands`: delete) reads (`-f`, `--filename`,
 * `-k`, `--kustomize`); with `withFolder`, only those that lead into a folder (`deploy/x.yaml`, not `x.yaml` or `.`).
 */
function appliedPaths(tokens: readonly string[], { withFolder = true, subcommands = READING_SUBCOMMANDS } = {}): string[] {
  const { program, at } = invocationOf(tokens);
  if ((program !== 'kubectl' && program !== 'oc') || tokens.some((t) => DRY_RUN.test(t))) return [];
  let i = at + 1;
  while (i < tokens.length && tokens[i].startsWith('-')) i += VALUED_GLOBALS.has(tokens[i]) ? 2 : 1;
  if (!subcommands.has(tokens[i] ?? '')) return [];
  const out: string[] = [];
  for (let j = i + 1; j < tokens.length; j++) {
    const option = /^(-f|--filename|-k|--kustomize)(?:=(.*))?$/.exec(tokens[j]);
    const attached = /^-[fk](\S+)$/.exec(tokens[j]);
    const value = option ? (option[2] ?? tokens[++j]) : attached?.[1];
    if (
      value !== undefined &&
      !SHELL_DEPENDENT.test(value) &&
      !NOT_LOCAL.test(value) &&
      (!withFolder || value.replace(/^\.\//, '').replace(/\/+$/, '').includes('/'))
    )
      out.push(normalPath(value));
  }
  return out;
}

/** The kubectl/oc subcommand of a command's tokens (after the global flags), when the program is kubectl or oc. */
function subcommandOf(tokens: readonly string[]): string | undefined {
  const { program, at } = invocationOf(tokens);
  if (program !== 'kubectl' && program !== 'oc') return undefined;
  let i = at + 1;
  while (i < tokens.length && tokens[i].startsWith('-')) i += VALUED_GLOBALS.has(tokens[i]) ? 2 : 1;
  return tokens[i];
}

/** A path as the commands' paths are compared: normalised, without a trailing slash. */
const normalPath = (value: string): string => path.posix.normalize(value).replace(/\/$/, '');

/** The folder a path from the script's own folder leads to, when it is one. */
function folderAt(folder: string, to: string): string | undefined {
  const at = path.resolve(folder, to);
  return fs.statSync(at, { throwIfNoEntry: false })?.isDirectory() ? at : undefined;
}

/** The path as it exists under `base` in other case, relative to `base`; undefined when it does not. */
function otherCase(base: string, file: string): string | undefined {
  let dir = base;
  const found: string[] = [];
  for (const segment of file.split('/')) {
    if (segment === '.' || segment === '..') {
      dir = path.resolve(dir, segment);
      found.push(segment);
      continue;
    }
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      return undefined;
    }
    const entry = entries.find((e) => e.toLowerCase() === segment.toLowerCase());
    if (entry === undefined) return undefined;
    dir = path.join(dir, entry);
    found.push(entry);
  }
  return found.join('/');
}

function existsIn(bases: readonly string[], file: string): boolean {
  return bases.some((b) => fs.existsSync(path.resolve(b, file)));
}

/** Whether the path leads into the tree: its folder exists from one of the places the command may run in. */
function intoTree(bases: readonly string[], file: string): boolean {
  const folder = path.posix.dirname(file);
  return bases.some((b) => fs.statSync(path.resolve(b, folder), { throwIfNoEntry: false })?.isDirectory());
}

/**
 * Whether the command is kubectl or oc given a file with -f/--filename (delete, get, describe, diff, wait…) and
 * writing nothing (no redirection, no tee): it reads the file, makes none.
 */
function kubeReadsFile(tokens: readonly string[]): boolean {
  const { program, at } = invocationOf(tokens);
  if ((program !== 'kubectl' && program !== 'oc') || tokens.some((t) => /^\d?>|^\||^tee$/.test(t))) return false;
  return tokens.slice(at + 1).some((t) => /^(-f|--filename)(=|$)|^-f\S/.test(t));
}

/** The box-drawing characters (Unicode U+2500–U+257F) that `tree` and hand-drawn folder listings are made of. */
const BOX_DRAWING = /[\u2500-\u257f]/;

/**
 * Names a script line gives other than as a file to apply: a file it writes (`> x.yaml`, `tee`, `cp`, `envsubst`),
 * downloads or tests for is no missing file.
 */
function mentionedOtherwise(commands: readonly ScriptCommand[]): Set<string> {
  const names = new Set<string>();
  // a kubectl/oc command that reads the file as well (`oc delete -f llm-d/gateway.yaml`, a README's clean-up step)
  // neither writes nor tests for it
  const others = commands.filter(({ tokens }) => !appliedPaths(tokens).length && !kubeReadsFile(tokens));
  // a variable set to the name (`SPEC_FILE=…/x.yaml`) mentions it where another command uses the variable, other
  // than to print it to the terminal
  const shown = ({ tokens }: ScriptCommand) => printsText(tokens) && !tokens.some((t) => /^\d?>/.test(t));
  const used = new Set(others.filter((c) => !shown(c)).flatMap(({ tokens }) => tokens.flatMap((t) => [...t.matchAll(REFERENCE)].map((m) => m[1] ?? m[2]))));
  for (const { tokens } of others) {
    // a line of a drawn folder listing (`│   └── app.yaml`, a README's tree block) shows a file, it makes none
    if (tokens.some((t) => BOX_DRAWING.test(t))) continue;
    const assigned = assignedName(tokens);
    if (assigned !== undefined && !used.has(assigned)) continue;
    for (const t of tokens) for (const m of t.matchAll(/[\w.-]+\.(?:ya?ml|json)\b/g)) names.add(m[0]);
  }
  return names;
}

/** The variable a command only sets (`NAME=value`, `export NAME=value`), else undefined. */
function assignedName(words: readonly string[]): string | undefined {
  const at = DECLARING.test(words[0] ?? '') ? 1 : 0;
  return words.length === at + 1 ? /^([A-Za-z_]\w*)=/.exec(words[at])?.[1] : undefined;
}

/** The YAML and JSON files of a tree, relative to it ('/'-separated), within bounds; dot folders and node_modules left out. */
export function treeFiles(root: string): string[] {
  return walkTree(root, {
    skipFolder: (name) => name.startsWith('.') || name === 'node_modules',
    keep: (name) => /\.(ya?ml|json)$/.test(name),
    order: codeUnitOrder,
    maxFiles: MAX_TREE_FILES,
  });
}

/** How many files of a tree are listed to suggest a near name: a bound on the walk of a huge tree. */
const MAX_TREE_FILES = 20000;

/**
 * Files of the tree named like `file`: the same name elsewhere, or a name one or two edits away in the same folder,
 * the folder read as written (from the tree's root) and as resolved from each place the command may run in.
 */
function nearFiles(tree: readonly string[], paths: readonly string[]): string[] {
  const name = path.posix.basename(paths[0]);
  const folders = new Set(paths.map((p) => path.posix.dirname(p)));
  const same = tree.filter((f) => path.posix.basename(f) === name);
  const close = tree.filter((f) => folders.has(path.posix.dirname(f)) && editDistance(path.posix.basename(f), name) <= 2);
  return [...new Set([...close, ...same])].slice(0, 3);
}
