import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';

/**
 * A Kyverno validate.pattern judged against a resource, for the simple forms only (kyverno pkg/engine/validate
 * validate.go MatchPattern, pkg/engine/pattern): a mapping requires each key (missing: the resource fails), a list of
 * one mapping requires every item to match it, a string is a wildcard (`*` any run, `?` one character: `?*` is
 * "non-empty") compared with the value's text, a number or boolean equals. Anchors (`=(key)`, `X(key)`, `(key)`,
 * `^(key)`, `<(key)`, `+(key)`), operators (`!`, `>`, `<`, `|`, `&`, ranges), variables (`{{ }}`) and lists of
 * several patterns are not: `unknown`, and nothing is said.
 */
export type PatternVerdict = { readonly pass: true } | { readonly pass: false; readonly path: string; readonly wanted: string } | { readonly unknown: true };

const UNKNOWN: PatternVerdict = { unknown: true };
const PASS: PatternVerdict = { pass: true };

/** Whether a pattern key is an anchor, which this reading does not implement. */
const anchored = (key: string) => /^[=X^<+]?\(.*\)$/.test(key);

/** Whether a string pattern uses more than wildcards: operators, alternatives, variables. */
const operatorString = (p: string) => /^[!<>]|\||&|\{\{|^-?\d+(\.\d+)?-/.test(p) || /^[<>]=?/.test(p);

/** A wildcard pattern as a regular expression (kyverno ext/wildcard Match: `*` and `?`). */
function wildcard(p: string): RegExp {
  return new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
}

function scalarVerdict(pattern: unknown, value: unknown, at: string): PatternVerdict {
  const fail = { pass: false, path: at, wanted: JSON.stringify(pattern) } as const;
  if (typeof pattern === 'string') {
    if (operatorString(pattern)) return UNKNOWN;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return fail;
    return wildcard(pattern).test(String(value)) ? PASS : fail;
  }
  if (typeof pattern === 'number' || typeof pattern === 'boolean') return value === pattern ? PASS : fail;
  return UNKNOWN;
}

function listVerdict(pattern: unknown[], value: unknown, at: string): PatternVerdict {
  if (pattern.length !== 1 || !isMapping(pattern[0])) return UNKNOWN;
  if (!Array.isArray(value)) return { pass: false, path: at, wanted: 'a list' };
  for (let i = 0; i < value.length; i++) {
    const v = patternVerdict(pattern[0], value[i], `${at}[${i}]`);
    if (!('pass' in v) || !v.pass) return v;
  }
  return PASS;
}

/** The verdict of a pattern on a value, at a path for messages. */
export function patternVerdict(pattern: unknown, value: unknown, at = ''): PatternVerdict {
  if (Array.isArray(pattern)) return listVerdict(pattern, value, at);
  if (!isMapping(pattern)) return scalarVerdict(pattern, value, at);
  if (Object.keys(pattern).some(anchored)) return UNKNOWN;
  if (!isMapping(value)) return { pass: false, path: at || '.', wanted: 'a mapping' };
  let verdict: PatternVerdict = PASS;
  for (const [key, sub] of Object.entries(pattern)) {
    const v = patternVerdict(sub, value[key], at ? `${at}.${key}` : key);
    if ('unknown' in v) return UNKNOWN;
    if (!v.pass && 'pass' in verdict && verdict.pass) verdict = v;
  }
  return verdict;
}

/** Kyverno's default resource filters keep these namespaces out of admission (the chart's config.resourceFilters). */
export const KYVERNO_FILTERED_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'kyverno'];

/** A Kyverno namespace pattern: a name, or a wildcard (`*`, `?`). */
export const namespaceIn = (ns: string, patterns: readonly string[]) => patterns.some((p) => wildcard(p).test(ns));

/** The resource descriptions of a match or exclude block: `any`, `all` (each a `resources`), or the legacy `resources`. */
export function resourceBlocks(block: Loose): { blocks: Loose[]; all: boolean } {
  const any = mappings(block.any).map((f) => mapping(f.resources));
  const all = mappings(block.all).map((f) => mapping(f.resources));
  const legacy = isMapping(block.resources) ? [block.resources] : [];
  return { blocks: [...any, ...all, ...legacy], all: all.length > 0 };
}

/** Whether a resource description names Pods among its kinds (`Pod`, `v1/Pod`, `*`). */
export const namesPods = (r: Loose) => strings(r.kinds).some((k) => k === 'Pod' || k === '*' || /(^|\/)Pod$/.test(k));

/** Whether a resource description narrows by what is not judged here: selectors, names, operations, subjects. */
export const narrowsUnjudged = (r: Loose) => ['selector', 'namespaceSelector', 'name', 'names', 'annotations', 'operations'].some((k) => r[k] !== undefined);

/** The kinds of a resource description without their group and version (`apps/v1/Deployment` is Deployment). */
export const kindsOf = (r: Loose) => strings(r.kinds).map((k) => k.split('/').pop() ?? k);

/** Whether a Kyverno rule or policy denies what fails it: failureAction (rule-level, Kyverno 1.13+) else validationFailureAction, Audit by default. */
export function enforces(policySpec: Loose, validate: Loose): boolean {
  const action = text(validate.failureAction) ?? text(policySpec.validationFailureAction) ?? 'Audit';
  return action.toLowerCase() === 'enforce';
}
