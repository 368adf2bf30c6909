import * as fs from 'fs';
import * as path from 'path';
import { logicalLines, TreeScript } from './script-text';
import { isMapping } from './access';
import { invocationOf, printsText, ScriptCommand, scriptCommandsOf, tokensOf, unwrapped } from './script-commands';
import { parseOne } from './yaml-documents';

/** A file of the tree a script or README hands to `kubectl patch` (or `oc patch`): a patch, not an object to create. */
export interface ScriptPatchFile {
  /** The file, absolute. */
  readonly target: string;
  /** The script, relative to the tree. */
  readonly script: string;
  readonly line: number;
}

/** `kubectl patch … --patch-file F`, `--patch-file=F` (kubectl patch's flag, kubectl 1.26+). */
const PATCH_FILE_FLAG = /^--patch-file(?:=(.*))?$/;
/** A patch read from a file in a command substitution: `-p "$(cat F)"`, `--patch="$(< F)"`. */
const READ_IN_SUBSTITUTION = /\$\(\s*(?:cat\s+|<\s*)["']?([^"')\s]+)["']?\s*\)/g;

/**
 * The files named as patches by a `kubectl|oc patch` command of a line: its `--patch-file` values and the files its
 * `-p`/`--patch` value reads in a command substitution.
 */
function patchedFilesOf(text: string): string[] {
  const tokens = tokensOf(text);
  const at = tokens.findIndex((t, i) => t === 'patch' && tokens.slice(0, i).some((w) => /(^|\/)(kubectl|oc)$/.test(w)));
  if (at < 0) return [];
  const out: string[] = [];
  for (let i = at + 1; i < tokens.length; i++) {
    const flag = PATCH_FILE_FLAG.exec(tokens[i]);
    if (flag) out.push(flag[1] ?? tokens[++i] ?? '');
  }
  for (const m of text.matchAll(READ_IN_SUBSTITUTION)) out.push(m[1]);
  return out.filter((f) => f !== '' && !/[$*?`]/.test(f));
}

/**
 * The files of a tree its scripts and READMEs hand to `kubectl patch` (`--patch-file F`, `-p "$(cat F)"`), in commented
 * lines too (a step left for the reader to run by hand): a strategic-merge or JSON patch against an object that exists,
 * never created on its own (kubectl patch reads the file as the patch body). Paths are looked for beside the script,
 * then at the tree's root.
 */
export function scriptPatchFiles(root: string, scripts: readonly TreeScript[]): ScriptPatchFile[] {
  const out: ScriptPatchFile[] = [];
  for (const { script, text } of scripts) {
    for (const l of logicalLines(text)) {
      const line = l.text.replace(/^\s*#+\s*/, '').replace(/^\s*\$\s+/, '');
      if (!/\bpatch\b/.test(line)) continue;
      for (const file of patchedFilesOf(line)) {
        const target = [path.join(root, path.dirname(script)), root].map((b) => path.resolve(b, file)).find((f) => fs.existsSync(f));
        if (target && !out.some((o) => o.target === target)) out.push({ target, script, line: l.line });
      }
    }
  }
  return out;
}

/** One `kubectl|oc patch` command of a script with an inline patch: the resource it names and the fields it sets. */
export interface ScriptPatch {
  readonly script: string;
  readonly line: number;
  /** The resource as written, lower-cased: `clusterpolicies.nvidia.com/cluster-policy`, or `clusterpolicy cluster-policy` joined by '/'. */
  readonly resource: string;
  /** The command's -n/--namespace, where it gives one. */
  readonly namespace?: string;
  /** Each value the patch sets, by its dotted path (`spec.mig.strategy`): a JSON patch's add and replace, a merge patch's leaves. */
  readonly fields: readonly { readonly path: string; readonly value: unknown }[];
  /** The command's --type: `strategic` (kubectl patch's default), `merge` or `json`. */
  readonly type: string;
}

/** The leaves of a merge patch, by dotted path. */
function leaves(value: unknown, at: string): { path: string; value: unknown }[] {
  if (!isMapping(value)) return at ? [{ path: at, value }] : [];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
}

/** The fields an inline patch sets: JSON patch (`--type json`) add/replace ops by their path, else a merge patch's leaves. */
function patchedFields(body: string): { path: string; value: unknown }[] {
  const parsed = parseOne(body);
  if (!('value' in parsed)) return [];
  if (Array.isArray(parsed.value))
    return parsed.value.flatMap((op) =>
      isMapping(op) && (op.op === 'add' || op.op === 'replace') && typeof op.path === 'string'
        ? [{ path: op.path.replace(/^\//, '').split('/').join('.'), value: op.value }]
        : [],
    );
  return leaves(parsed.value, '');
}

/** The index of the word that closes the command substitution opened at `from` (its parentheses balanced), or the last word. */
function substitutionEnd(words: readonly string[], from: number): number {
  let depth = 0;
  for (let i = from; i < words.length; i++) {
    depth += (words[i].match(/\(/g) ?? []).length - (words[i].match(/\)/g) ?? []).length;
    if (depth <= 0) return i;
  }
  return words.length - 1;
}

/** How many more parentheses the words open than close. */
const openParentheses = (words: readonly string[]) => words.reduce((n, w) => n + (w.match(/\(/g) ?? []).length - (w.match(/\)/g) ?? []).length, 0);

/**
 * The commands with a command substitution holding a pipe joined again (`oc patch $(oc get ip -o name | head -1) -p …`,
 * which the command reader cuts at the pipe): a command left with a parenthesis open takes the next commands of its
 * line until it closes.
 */
function substitutionsRejoined(commands: readonly ScriptCommand[]): { line: number; tokens: readonly string[] }[] {
  const out: { line: number; tokens: readonly string[] }[] = [];
  for (let i = 0; i < commands.length; i++) {
    let tokens = commands[i].tokens;
    while (openParentheses(tokens) > 0 && commands[i].separator === '|' && commands[i + 1]?.line === commands[i].line)
      tokens = [...tokens, '|', ...commands[++i].tokens];
    out.push({ line: commands[i].line, tokens });
  }
  return out;
}

/**
 * The `kubectl|oc patch` commands of the scripts and READMEs with an inline patch (`-p '{…}'`, `--patch=…`): what
 * they set on which resource (`kubectl patch clusterpolicies.nvidia.com/cluster-policy --type json -p
 * '[{"op":"replace","path":"/spec/mig/strategy","value":"mixed"}]'`).
 */
export function scriptPatches(scripts: readonly TreeScript[]): ScriptPatch[] {
  return scripts.flatMap((t) =>
    substitutionsRejoined(scriptCommandsOf(t)).flatMap(({ line, tokens }): ScriptPatch[] => {
      if (printsText(tokens)) return [];
      const words = unwrapped(tokens, new Set(['kubectl', 'oc']));
      const { program, at } = invocationOf(words);
      const verb = words.indexOf('patch', at + 1);
      if ((program !== 'kubectl' && program !== 'oc') || verb < 0) return [];
      const positionals: string[] = [];
      let body: string | undefined;
      let namespace: string | undefined;
      let type = 'strategic';
      for (let i = verb + 1; i < words.length; i++) {
        const w = words[i];
        const joined = /^(?:-p|--patch)=(.*)$/s.exec(w)?.[1];
        if (joined !== undefined) body = joined;
        else if (w === '-p' || w === '--patch') body = words[++i];
        else if (w === '-n' || w === '--namespace') namespace = words[++i];
        else if (/^--namespace=/.test(w)) namespace = w.slice('--namespace='.length);
        else if (w === '--type') type = words[++i] ?? type;
        else if (w.startsWith('--type=')) type = w.slice('--type='.length);
        else if (/^(--context|--kubeconfig|--subresource|--field-manager)$/.test(w)) i++;
        else if (w.startsWith('$(')) {
          // a command substitution naming the object (`$(oc get installplan -n ns -o name)`): one word, as bash reads it
          const end = substitutionEnd(words, i);
          positionals.push(
            words
              .slice(i, end + 1)
              .join(' ')
              .toLowerCase(),
          );
          i = end;
        } else if (!w.startsWith('-')) positionals.push(w.toLowerCase());
      }
      if (body === undefined || !positionals.length || /[$`]/.test(body)) return [];
      const fields = patchedFields(body);
      const resource = positionals.slice(0, 2).join('/');
      return fields.length ? [{ script: t.script, line, resource, ...(namespace && !/[$`]/.test(namespace) ? { namespace } : {}), fields, type }] : [];
    }),
  );
}
