import { TreeScript } from './script-text';
import { invocationOf, printsText, scriptCommandsOf, unwrapped } from './script-commands';

/** A subject an `oc adm policy add-scc-to-user|group` command binds, as the RoleBinding it writes names it. */
export interface SccGrantSubject {
  readonly kind: 'ServiceAccount' | 'User' | 'Group';
  readonly name: string;
  /** A ServiceAccount's namespace: the command's `-n`; unknown (the script's current project) when unset. */
  readonly namespace?: string;
}

/** An SCC a script's or README's `oc adm policy add-scc-to-user|add-scc-to-group` grants. */
export interface ScriptSccGrant {
  readonly script: string;
  readonly line: number;
  readonly scc: string;
  readonly subjects: readonly SccGrantSubject[];
}

/** oc's flags that take a value as the next word (the command's own and oc's global ones a script sets). */
const VALUE_FLAGS = new Set([
  '-z',
  '--serviceaccount',
  '-n',
  '--namespace',
  '-o',
  '--output',
  '--context',
  '--kubeconfig',
  '--as',
  '--server',
  '--token',
  '--cluster',
  '--user',
]);

/** A word the shell fills in (`$SA`, `$(oc project -q)`): no name the reader can match. */
const SHELL_FILLED = /[$`]/;

/** The value of each occurrence of a flag: `-z a`, `-z=a`, `-za`, `--serviceaccount a`, `--serviceaccount=a`. */
function flagValues(words: readonly string[], short: string, long: string): string[] {
  return words.flatMap((w, i) => {
    if (w === short || w === long) return words[i + 1] !== undefined ? [words[i + 1]] : [];
    if (w.startsWith(`${long}=`)) return [w.slice(long.length + 1)];
    if (w.startsWith(short) && !w.startsWith('--')) return [w.slice(short.length).replace(/^=/, '')];
    return [];
  });
}

/** The command's arguments: the words after the verb that are no flag nor a flag's value. */
function argumentsAfter(words: readonly string[], verb: number): string[] {
  const out: string[] = [];
  for (let i = verb + 1; i < words.length; i++) {
    if (VALUE_FLAGS.has(words[i])) i++;
    else if (!words[i].startsWith('-')) out.push(words[i]);
  }
  return out;
}

/**
 * The subjects of the command as oc builds them (openshift/oc pkg/cli/admin/policy/modify_scc.go CompleteUsers,
 * CompleteGroups; buildSubjects reads `system:serviceaccount:NS:NAME` as that ServiceAccount): each `-z` account
 * (comma-separated, a string slice) in the `-n` namespace, each user, or each group. A name the shell fills in is none.
 */
function subjectsOf(words: readonly string[], verb: number, group: boolean): SccGrantSubject[] {
  const [, ...names] = argumentsAfter(words, verb);
  const namespace = flagValues(words, '-n', '--namespace').find((n) => !SHELL_FILLED.test(n));
  const known = (n: string) => n !== '' && !SHELL_FILLED.test(n);
  if (group) return names.filter(known).map((name) => ({ kind: 'Group', name }));
  const accounts = flagValues(words, '-z', '--serviceaccount').flatMap((v) => v.split(','));
  return [
    ...accounts.filter(known).map((name): SccGrantSubject => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) })),
    ...names.filter(known).map((name): SccGrantSubject => {
      const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
      return sa ? { kind: 'ServiceAccount', name: sa[2], namespace: sa[1] } : { kind: 'User', name };
    }),
  ];
}

/**
 * The SCCs the scripts and READMEs grant: `oc adm policy add-scc-to-user SCC (USER | -z SERVICEACCOUNT) …` and
 * `oc adm policy add-scc-to-group SCC GROUP …`, which bind the subjects to ClusterRole system:openshift:scc:<SCC>
 * (openshift/oc modify_scc.go AddSCC). A command split over lines with `\` is one command (scriptCommandsOf).
 */
export function scriptSccGrants(scripts: readonly TreeScript[]): ScriptSccGrant[] {
  return scripts.flatMap((t) =>
    scriptCommandsOf(t).flatMap(({ line, tokens }): ScriptSccGrant[] => {
      if (printsText(tokens) || tokens.some((w) => w.startsWith('--dry-run'))) return [];
      const words = unwrapped(tokens, new Set(['oc']));
      const { program, at } = invocationOf(words);
      if (program !== 'oc' || words[at + 1] !== 'adm' || words[at + 2] !== 'policy') return [];
      const verb = words.findIndex((w, i) => i > at + 2 && (w === 'add-scc-to-user' || w === 'add-scc-to-group'));
      const scc = verb < 0 ? undefined : argumentsAfter(words, verb)[0];
      if (!scc || SHELL_FILLED.test(scc)) return [];
      const subjects = subjectsOf(words, verb, words[verb] === 'add-scc-to-group');
      return subjects.length ? [{ script: t.script, line, scc, subjects }] : [];
    }),
  );
}
