import { TreeScript, variablesOf } from './script-text';
import { invocationOf, printsText, scriptCommandsOf, unwrapped } from './script-commands';
import { isDnsLabel } from '../private/names';

/** A label a script's `kubectl|oc label namespace NAME … key=value` puts on a namespace. */
export interface ScriptNamespaceLabel {
  readonly script: string;
  readonly line: number;
  readonly namespace: string;
  readonly key: string;
  readonly value: string;
}

/** The resource words `kubectl label` takes for namespaces (k8s.io/kubectl pkg/cmd/label: a kind or its short name). */
const NAMESPACE_WORDS = new Set(['namespace', 'namespaces', 'ns', 'project', 'projects']);

/** A namespace word as the script gives it, its loop or assigned variable filled in (`"${NS}"` of `for NS in a b`). */
function namesOf(word: string, vars: ReadonlyMap<string, readonly string[]>): string[] {
  const variable = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(word);
  return (variable ? [...(vars.get(variable[1]) ?? [])] : [word]).filter(isDnsLabel);
}

/**
 * The namespace labels the scripts and READMEs add: `kubectl|oc label namespace|ns NAME… key=value …`, also
 * `namespace/NAME`, each name a literal or a variable the script sets (a loop's words); a removal (`key-`) sets none
 * (k8s.io/kubectl pkg/cmd/label: the resource, then its names, then `key=value` or `key-` arguments).
 */
export function scriptNamespaceLabels(scripts: readonly TreeScript[]): ScriptNamespaceLabel[] {
  return scripts.flatMap((t) => {
    const vars = variablesOf(t.text);
    return scriptCommandsOf(t).flatMap(({ line, tokens }): ScriptNamespaceLabel[] => {
      if (printsText(tokens)) return [];
      const words = unwrapped(tokens, new Set(['kubectl', 'oc']));
      const { program, at } = invocationOf(words);
      if (program !== 'kubectl' && program !== 'oc') return [];
      const verb = words.indexOf('label', at + 1);
      if (verb < 0) return [];
      const args = words.slice(verb + 1).filter((w) => !w.startsWith('-') && !/^\d?>/.test(w));
      const slashed = args.filter((w) => /^(namespace|namespaces|ns|project)\//.test(w)).map((w) => w.slice(w.indexOf('/') + 1));
      const names = NAMESPACE_WORDS.has(args[0] ?? '') ? args.slice(1).filter((w) => !w.includes('=')) : slashed;
      const labels = args.flatMap((w) => {
        const m = /^([^=\s]+)=(\S*)$/.exec(w);
        return m ? [{ key: m[1], value: m[2] }] : [];
      });
      return names.flatMap((n) => namesOf(n, vars)).flatMap((namespace) => labels.map((l) => ({ script: t.script, line, namespace, ...l })));
    });
  });
}
