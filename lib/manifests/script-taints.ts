import { TreeScript } from './script-text';
import { invocationOf, printsText, scriptCommandsOf, unwrapped } from './script-commands';

/** A node taint a script's `kubectl taint nodes` or `oc adm taint nodes` puts on nodes. */
export interface ScriptTaint {
  readonly script: string;
  readonly line: number;
  readonly key: string;
  /** The value written; undefined for none, `*` where the shell fills it in (`$VALUE`). */
  readonly value?: string;
  readonly effect: string;
}

/** A value the shell fills in: any value may be the one the nodes get. */
export const SHELL_FILLED_VALUE = '*';

/**
 * A taint argument as kubectl reads it (k8s.io/kubectl pkg/cmd/taint parseTaints, core/v1 taint syntax
 * `key[=value]:Effect`); undefined for a removal (`key-`, `key:Effect-`) or another word.
 */
function parsedTaint(word: string): { key: string; value?: string; effect: string } | undefined {
  if (word.endsWith('-')) return undefined;
  const m = /^([^=:\s]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(word);
  if (!m) return undefined;
  const value = m[2] === undefined ? undefined : /[$`]/.test(m[2]) ? SHELL_FILLED_VALUE : m[2];
  return { key: m[1], ...(value !== undefined ? { value } : {}), effect: m[3] };
}

/**
 * The node taints the scripts and READMEs add: `kubectl taint nodes NAME|-l SELECTOR key=value:Effect …` and
 * `oc adm taint nodes …` (k8s.io/kubectl pkg/cmd/taint: every `key[=value]:effect` argument after the node names).
 */
export function scriptTaints(scripts: readonly TreeScript[]): ScriptTaint[] {
  return scripts.flatMap((t) =>
    scriptCommandsOf(t).flatMap(({ line, tokens }): ScriptTaint[] => {
      if (printsText(tokens)) return [];
      const words = unwrapped(tokens, new Set(['kubectl', 'oc']));
      const { program, at } = invocationOf(words);
      if (program !== 'kubectl' && program !== 'oc') return [];
      const verb = words.indexOf('taint', at + 1);
      if (verb < 0 || (program === 'oc' && words[verb - 1] !== 'adm')) return [];
      return words.slice(verb + 1).flatMap((w) => {
        const taint = parsedTaint(w);
        return taint ? [{ script: t.script, line, ...taint }] : [];
      });
    }),
  );
}
