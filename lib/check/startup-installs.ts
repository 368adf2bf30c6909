/**
 * The software a container's start-up command installs before it runs its program: a package manager's install
 * (pip, uv, apt-get, dnf, apk, npm, conda…) or a `git clone` followed by a build, read from its shell line's words.
 */

/** Words after which a shell's next word is a program (a word ending in `;` ends a command too). */
const BEFORE_PROGRAM = new Set([';', '&&', '||', '|', '&', 'then', 'do', 'else', '(', '{']);

/** Programs that run the next word as the command: `sudo apt-get install`, `exec pip install`. */
const PREFIXES = new Set(['sudo', 'exec', 'nohup', 'time', 'command']);

/** Package managers and the subcommands that fetch and install packages (pip's, uv's, the distributions', npm's, conda's). */
const INSTALLS: readonly { readonly program: RegExp; readonly sub: readonly string[][] }[] = [
  { program: /^pip[0-9.]*$/, sub: [['install']] },
  {
    program: /^python[0-9.]*$/,
    sub: [
      ['-m', 'pip', 'install'],
      ['-m', 'pip3', 'install'],
    ],
  },
  { program: /^uv$/, sub: [['pip', 'install'], ['sync'], ['add']] },
  { program: /^(apt-get|apt|yum|dnf|microdnf|zypper)$/, sub: [['install']] },
  { program: /^apk$/, sub: [['add']] },
  { program: /^(npm|pnpm|yarn)$/, sub: [['install'], ['i'], ['ci'], ['add']] },
  { program: /^(conda|mamba|micromamba)$/, sub: [['install'], ['env', 'create'], ['create']] },
];

/** Builds that follow a clone: make, cmake, cargo, go, a setup.py, an autotools configure. */
const BUILDS: readonly { readonly program: RegExp; readonly sub: readonly string[][] }[] = [
  { program: /^(make|cmake|ninja|\.\/configure)$/, sub: [[]] },
  { program: /^(cargo|go)$/, sub: [['build'], ['install']] },
  { program: /^python[0-9.]*$/, sub: [['setup.py']] },
];

const basename = (word: string) => word.replace(/^.*\//, '');
const bare = (word: string) => word.replace(/;+$/, '');

/** A shell and its option running the next word as a script: `sh -c`, `bash -lc`, `bash -ec`. */
const shellScript = (words: readonly string[], i: number) => i >= 2 && /^-[a-z]*c$/.test(words[i - 1]) && /^(ba|da|z|a)?sh$/.test(basename(words[i - 2]));

/** Whether word i is in a program's place: the first, after a separator, a prefix or a shell's -c. */
const programPlace = (words: readonly string[], i: number) =>
  i === 0 || BEFORE_PROGRAM.has(words[i - 1]) || words[i - 1].endsWith(';') || PREFIXES.has(words[i - 1]) || shellScript(words, i);

/** The index of each word in a program's place, past sudo/exec prefixes. */
function programIndexes(words: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!programPlace(words, i)) continue;
    if (!PREFIXES.has(words[i])) out.push(i);
  }
  return out;
}

/** The command a program word starts, where it is one of the table's: its words up to the subcommand. */
function matching(words: readonly string[], i: number, table: typeof INSTALLS): string | undefined {
  const program = basename(bare(words[i]));
  for (const { program: p, sub } of table) {
    if (!p.test(program)) continue;
    const found = sub.find((s) => s.every((w, k) => bare(words[i + 1 + k] ?? '') === w));
    if (found) return [program, ...found].join(' ');
  }
  return undefined;
}

/** The whole command from word i to the end of its command (the next separator), as written. */
function commandAt(words: readonly string[], i: number): string {
  const out: string[] = [];
  for (let k = i; k < words.length && !BEFORE_PROGRAM.has(words[k]); k++) {
    out.push(bare(words[k]));
    if (words[k].endsWith(';')) break;
  }
  return out.join(' ');
}

/**
 * The first install a shell line runs: a package manager's (`pip install -r requirements.txt`), or a `git clone`
 * that a build follows (`git clone … then make`). Undefined where it runs none.
 */
export function startupInstall(words: readonly string[]): string | undefined {
  const programs = programIndexes(words);
  let clone: string | undefined;
  for (const i of programs) {
    if (matching(words, i, INSTALLS)) return commandAt(words, i);
    if (basename(words[i]) === 'git' && bare(words[i + 1] ?? '') === 'clone') clone ??= commandAt(words, i);
    else if (clone && matching(words, i, BUILDS)) return `${clone}, then ${commandAt(words, i)}`;
  }
  return undefined;
}
