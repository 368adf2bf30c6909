import { editDistance } from '../private/edit-distance';
import { TreeScript } from './script-text';
import { invocationOf, printsText, scriptCommandsOf, unwrapped } from './script-commands';

/** How a flag takes its value: in the next word or after `=` (valued), only after `=` (optional: a bool, or a flag with a default when bare). */
type FlagValue = 'valued' | 'optional';

/** One flag of a helm command: its long name, its shorthand letter, how it takes a value. */
type Flag = readonly [long: string, short: string | undefined, value: FlagValue];

/**
 * Flags every helm command takes (helm pkg/cli/environment.go EnvSettings.AddFlags, `--help` from cobra); the same
 * in helm 3 (3.20) and 4.
 */
const GLOBAL_FLAGS: readonly Flag[] = [
  ['namespace', 'n', 'valued'],
  ['kubeconfig', undefined, 'valued'],
  ['kube-context', undefined, 'valued'],
  ['kube-token', undefined, 'valued'],
  ['kube-as-user', undefined, 'valued'],
  ['kube-as-group', undefined, 'valued'],
  ['kube-apiserver', undefined, 'valued'],
  ['kube-ca-file', undefined, 'valued'],
  ['kube-tls-server-name', undefined, 'valued'],
  ['kube-insecure-skip-tls-verify', undefined, 'optional'],
  ['debug', undefined, 'optional'],
  ['registry-config', undefined, 'valued'],
  ['repository-config', undefined, 'valued'],
  ['repository-cache', undefined, 'valued'],
  ['content-cache', undefined, 'valued'],
  ['burst-limit', undefined, 'valued'],
  ['qps', undefined, 'valued'],
  ['color', undefined, 'valued'],
  ['colour', undefined, 'valued'],
  ['help', 'h', 'optional'],
];

/**
 * The values and chart flags of install, upgrade and template (helm cmd/helm/flags.go, pkg/cmd/flags.go in helm 4:
 * addValueOptionsFlags, addChartPathOptionsFlags; bindOutputFlag's -o; --wait and --dry-run take a value only after
 * `=`, bare they mean a default).
 */
const CHART_FLAGS: readonly Flag[] = [
  ['values', 'f', 'valued'],
  ...['set', 'set-string', 'set-file', 'set-json', 'set-literal'].map((f): Flag => [f, undefined, 'valued']),
  ...['version', 'keyring', 'repo', 'username', 'password', 'cert-file', 'key-file', 'ca-file'].map((f): Flag => [f, undefined, 'valued']),
  ...['verify', 'insecure-skip-tls-verify', 'plain-http', 'pass-credentials'].map((f): Flag => [f, undefined, 'optional']),
  ['output', 'o', 'valued'],
  ['timeout', undefined, 'valued'],
  ['description', undefined, 'valued'],
  ['labels', 'l', 'valued'],
  ['post-renderer', undefined, 'valued'],
  ['post-renderer-args', undefined, 'valued'],
  ...['dry-run', 'wait', 'server-side'].map((f): Flag => [f, undefined, 'optional']),
  ...[
    'create-namespace',
    'hide-secret',
    'force',
    'force-replace',
    'force-conflicts',
    'no-hooks',
    'wait-for-jobs',
    'devel',
    'dependency-update',
    'disable-openapi-validation',
    'atomic',
    'rollback-on-failure',
    'skip-crds',
    'render-subchart-notes',
    'skip-schema-validation',
    'enable-dns',
    'hide-notes',
    'take-ownership',
  ].map((f): Flag => [f, undefined, 'optional']),
];

/** helm install's own flags (cmd/helm/install.go addInstallFlags), which template shares. */
const INSTALL_FLAGS: readonly Flag[] = [
  ['generate-name', 'g', 'optional'],
  ['name-template', undefined, 'valued'],
  ['replace', undefined, 'optional'],
];

/** The flags of each helm verb check reads: helm 3.20 and helm 4 (cmd/helm/{install,upgrade,template}.go). */
const VERB_FLAGS: Readonly<Record<string, readonly Flag[]>> = {
  install: [...GLOBAL_FLAGS, ...CHART_FLAGS, ...INSTALL_FLAGS],
  upgrade: [
    ...GLOBAL_FLAGS,
    ...CHART_FLAGS,
    ['install', 'i', 'optional'],
    ['history-max', undefined, 'valued'],
    ...['recreate-pods', 'reset-values', 'reuse-values', 'reset-then-reuse-values', 'cleanup-on-fail'].map((f): Flag => [f, undefined, 'optional']),
  ],
  template: [
    ...GLOBAL_FLAGS,
    ...CHART_FLAGS,
    ...INSTALL_FLAGS,
    ['show-only', 's', 'valued'],
    ['output-dir', undefined, 'valued'],
    ['kube-version', undefined, 'valued'],
    ['api-versions', 'a', 'valued'],
    ...['validate', 'include-crds', 'skip-tests', 'is-upgrade', 'release-name'].map((f): Flag => [f, undefined, 'optional']),
  ],
};

/** One `helm install|upgrade|template` command of a script: what it sets and the first flag helm refuses. */
export interface HelmCommand {
  readonly script: string;
  readonly line: number;
  readonly verb: string;
  /** The command as written, for messages. */
  readonly text: string;
  /** The positional words after the verb: the release and the chart (install's release is absent with --generate-name). */
  readonly positionals: readonly string[];
  /** The values of its `--set` flags, each `key=value` of a comma-separated list. */
  readonly sets: readonly { readonly key: string; readonly value: string }[];
  /** The first word helm refuses as a flag, with helm's own words for it. */
  readonly refused?: { readonly word: string; readonly error: string };
  /** Every flag read, in order, by its long name (a bool flag's value undefined when bare). */
  readonly options: readonly { readonly name: string; readonly value?: string }[];
}

/** The helm install, upgrade and template commands of the scripts, each read as helm's flag parser (spf13/pflag) reads it. */
export function helmCommandsOf(scripts: readonly TreeScript[]): HelmCommand[] {
  return scripts.flatMap((t) =>
    scriptCommandsOf(t).flatMap(({ line, text, tokens }) => {
      if (printsText(tokens)) return [];
      const words = unwrapped(tokens, new Set(['helm']));
      const { program, at } = invocationOf(words);
      if (program !== 'helm') return [];
      const parsed = parsedHelm(words.slice(at + 1));
      return parsed ? [{ script: t.script, line, text, ...parsed }] : [];
    }),
  );
}

/** The verb, positionals, sets and first refused flag of helm's words (after `helm`); undefined for other verbs. */
function parsedHelm(words: readonly string[]): Omit<HelmCommand, 'script' | 'line' | 'text'> | undefined {
  // global flags may come before the verb (`helm -n ns install …`)
  const verbAt = words.findIndex((w, i) => !w.startsWith('-') && !(i > 0 && /^(-n|--namespace|--kube-context|--kubeconfig)$/.test(words[i - 1])));
  const verb = words[verbAt];
  const flags = VERB_FLAGS[verb ?? ''];
  if (!flags) return undefined;
  const positionals: string[] = [];
  const sets: { key: string; value: string }[] = [];
  const options: { name: string; value?: string }[] = [];
  let refused: HelmCommand['refused'];
  const rest = [...words.slice(0, verbAt), ...words.slice(verbAt + 1)];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      positionals.push(w);
      continue;
    }
    const read = readFlag(w, rest[i + 1], flags);
    if ('error' in read) {
      // a word the shell fills may expand to anything
      if (!/[$`]/.test(w)) refused ??= { word: w, error: read.error };
      continue;
    }
    if (read.usesNext) i++;
    options.push({ name: read.name, ...(read.value !== undefined ? { value: read.value } : {}) });
    if (read.name === 'set' && read.value !== undefined) sets.push(...setPairs(read.value));
  }
  return { verb, positionals, sets, options, ...(refused ? { refused } : {}) };
}

/**
 * One flag word as pflag parses it (spf13/pflag flag.go parseLongArg, parseSingleShortArg): `--name`, `--name=value`,
 * `--name value`; `-x`, `-xvalue`, `-x value`, and bool shorthands run together (`-ig`). pflag's errors are quoted.
 */
function readFlag(word: string, next: string | undefined, flags: readonly Flag[]): { name: string; value?: string; usesNext: boolean } | { error: string } {
  if (word.startsWith('--')) {
    const [name, ...value] = word.slice(2).split('=');
    const flag = flags.find((f) => f[0] === name);
    if (!flag) return { error: `unknown flag: --${name}` };
    if (value.length) return { name, value: value.join('='), usesNext: false };
    return flag[2] === 'valued' ? { name, value: next, usesNext: true } : { name, usesNext: false };
  }
  let letters = word.slice(1);
  while (letters.length) {
    const letter = letters[0];
    const flag = flags.find((f) => f[1] === letter);
    if (!flag) return { error: `unknown shorthand flag: '${letter}' in ${word}` };
    if (flag[2] === 'valued') {
      const value = letters.slice(1).replace(/^=/, '');
      return value ? { name: flag[0], value, usesNext: false } : { name: flag[0], value: next, usesNext: true };
    }
    letters = letters.slice(1);
    if (letters.startsWith('=')) return { name: flag[0], usesNext: false };
  }
  return { name: 'shorthands', usesNext: false };
}

/** The `key=value` pairs of one --set (helm pkg/strvals: pairs split at commas not escaped with a backslash). */
function setPairs(value: string): { key: string; value: string }[] {
  return value.split(/(?<!\\),/).flatMap((pair) => {
    const at = pair.indexOf('=');
    return at > 0 ? [{ key: pair.slice(0, at), value: pair.slice(at + 1) }] : [];
  });
}

/**
 * What the author meant by a flag helm refuses: `-set` is `--set` written with one dash; an unknown long flag, a
 * flag of the verb one or two edits away. Undefined when none is near.
 */
export function meantFlag(c: HelmCommand): string | undefined {
  const word = c.refused?.word.split('=')[0];
  if (!word) return undefined;
  const flags = VERB_FLAGS[c.verb] ?? [];
  const name = word.replace(/^-+/, '');
  if (!word.startsWith('--') && flags.some((f) => f[0] === name)) return `--${name}`;
  const near = flags
    .map((f) => ({ f: f[0], d: editDistance(name, f[0]) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return near ? `--${near.f}` : undefined;
}
