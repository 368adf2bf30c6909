import { Heredoc } from './heredocs';
import { logicalLines } from './script-text';

/**
 * Objects a script computes and applies: a jq or yq filter that selects one kind from a document it reads (an
 * operator's example from its ClusterServiceVersion's alm-examples annotation: `jq '… select(.kind ==
 * "NodeFeatureDiscovery") …'`), handed to `oc|kubectl apply|create -f -` through a pipe, an echo of the variable that
 * holds it, or a heredoc that only expands that variable. The kind is known from the filter; the name and fields are
 * not (the cluster's CSV holds them), so only the kind is told.
 */
export interface ComputedApply {
  readonly kind: string;
  /** The variable or filter that holds the object, as the script writes it: no name of the object. */
  readonly source: string;
  readonly line: number;
  readonly command: string;
}

/** A jq or yq filter's test of a document's kind: `.kind == "X"` (either quote, escaped inside a double-quoted word). */
const KIND_TEST = /\.kind\s*==\s*\\?["']([A-Z][A-Za-z0-9]*)\\?["']/g;
/** A jq or yq command in a line. */
const FILTER = /(?:^|[\s|(;&])(?:jq|yq)\s/;
/** A variable assigned a command substitution: `NAME=$(…)` (export, local, readonly first). */
const SUBSTITUTED = /^[ \t]*(?:(?:export|local|readonly)[ \t]+)?([A-Za-z_]\w*)=["']?\$\(/;
/** A command that applies or creates what it reads on its standard input. */
const APPLIES_STDIN = /\b(?:oc|kubectl)\b[^|;&\n]*\b(?:apply|create)\b[^|;&\n]*-f\s*-(?=\s|$)/;
/** A variable reference alone (`$X`, `${X}`, quoted). */
const REFERENCE = /^["']?\$\{?([A-Za-z_]\w*)\}?["']?$/;
/** The commands that print a variable into a pipe (`echo "$X"`, `printf '%s' "$X"`). */
const PRINTS = /^(?:echo(?:\s+-[neE]+)?|printf\s+(?:'%s(?:\\n)?'|"%s(?:\\n)?"))\s+(\S+)\s*$/;

/** A read of a ClusterServiceVersion's example instances: the alm-examples annotation, by jsonpath, jq or yq. */
const ALM_EXAMPLES = /alm-examples/;
/**
 * The operators whose ClusterServiceVersion's first example is their instance, by what a command reading it names (the
 * CSV's name or namespace): the OpenShift NFD operator's CSV (nfd.vX, namespace openshift-nfd) lists a
 * NodeFeatureDiscovery `nfd-instance` first (openshift/cluster-nfd-operator bundle/manifests
 * nfd.clusterserviceversion.yaml alm-examples), so a filter that selects no kind (`.[0]`, `.[]`, none) applies it.
 */
const FIRST_EXAMPLES: readonly { readonly names: RegExp; readonly kind: string }[] = [
  { names: /\bnfd\b|openshift-nfd|node-feature-discovery/, kind: 'NodeFeatureDiscovery' },
];

/** The kinds a line's jq or yq filter selects, when the line runs one; where it selects none from an operator's alm-examples, that operator's instance. */
function kindsSelected(line: string): string[] {
  const selected = FILTER.test(line) ? [...line.matchAll(KIND_TEST)].map((m) => m[1]) : [];
  if (selected.length || !ALM_EXAMPLES.test(line)) return selected;
  return FIRST_EXAMPLES.filter((e) => e.names.test(line)).map((e) => e.kind);
}

/** The variables a text references (`$X`, `${X}`). */
function referenced(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)].map((m) => m[1]);
}

/** The variables a script assigns a filter's selection of a kind, with those kinds. */
function selectingVariables(lines: readonly { text: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { text } of lines) {
    const name = SUBSTITUTED.exec(text)?.[1];
    const kinds = name ? kindsSelected(text) : [];
    if (name && kinds.length) out.set(name, kinds);
  }
  return out;
}

/** The objects a script computes with a filter and applies, by a pipe or an echo of the variable holding them. */
function pipedApplies(lines: readonly { line: number; text: string }[], vars: Map<string, string[]>): ComputedApply[] {
  return lines.flatMap(({ line, text }) => {
    const stages = text.split(/(?<!\|)\|(?!\|)/);
    const at = stages.findIndex((s, i) => i > 0 && APPLIES_STDIN.test(s));
    if (at < 1) return [];
    // a filter's own `|` splits it too: the whole text before the apply is what feeds it
    const before = stages.slice(0, at).join('|').trim();
    const command = text.replace(/\s+/g, ' ').trim();
    const printed = PRINTS.exec(stages[at - 1].trim())?.[1];
    const variable = printed !== undefined ? REFERENCE.exec(printed)?.[1] : undefined;
    if (variable && vars.has(variable)) return vars.get(variable)!.map((kind) => ({ kind, source: `$${variable}`, line, command }));
    const own = kindsSelected(before);
    if (own.length || FILTER.test(before) === false) return own.map((kind) => ({ kind, source: before, line, command }));
    // a filter taking no kind of its own from a variable that holds an operator's examples (`echo "$EX" | jq '.[0]'`)
    const held = referenced(before).find((v) => vars.has(v));
    return held ? vars.get(held)!.map((kind) => ({ kind, source: `$${held}`, line, command })) : [];
  });
}

/** The objects of applied heredocs whose whole body is one variable a filter filled (`oc apply -f - <<EOF` / `$NFD_INSTANCE` / `EOF`). */
function heredocApplies(source: string, applied: readonly { heredoc: Heredoc; at: number; command: string }[], vars: Map<string, string[]>): ComputedApply[] {
  return applied.flatMap(({ heredoc, at, command }) => {
    const variable = heredoc.quote ? undefined : REFERENCE.exec(heredoc.body.trim())?.[1];
    if (!variable || !vars.has(variable)) return [];
    const line = source.slice(0, at).split('\n').length;
    return vars.get(variable)!.map((kind) => ({ kind, source: `$${variable}`, line, command: command.trim() }));
  });
}

/** The objects a script computes with a jq or yq filter and applies (the heredocs it applies given: script-creations appliedHeredocs). */
export function computedApplies(source: string, applied: readonly { heredoc: Heredoc; at: number; command: string }[]): ComputedApply[] {
  const lines = logicalLines(source);
  const vars = selectingVariables(lines);
  return [...pipedApplies(lines, vars), ...heredocApplies(source, applied, vars)];
}
