import { yamlLib } from './yaml-documents';
import { isMapping, Loose } from './access';
import { Slot } from './field-specs';

/**
 * kustomize's dotted field paths (`spec.template.spec.containers.[name=vllm].args.0`), as its replacements read and
 * write them: kyaml/utils/pathsplitter.go (SmarterPathSplitter) splits them, kyaml/yaml/match.go (PathMatcher) walks
 * them — a field, a list index, `[field=value]` (the list items whose field matches the value as a regular
 * expression), `*` (every item or field) — creating what is missing when asked (the `create` option).
 */

/** kyaml's SmarterPathSplitter on '.': '\.' keeps a dot in a key, and a bracketed `[a=b.c]` stays one segment. */
export function splitFieldPath(p: string): string[] {
  let parts = p.split('.');
  if (parts.length > 1 && parts[0] === '') parts = parts.slice(1);
  const joined: string[] = [];
  for (const part of parts) {
    const last = joined.length - 1;
    if (last >= 0 && joined[last].endsWith('\\')) joined[last] = `${joined[last].slice(0, -1)}.${part}`;
    else joined.push(part);
  }
  const out: string[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (!joined[i].startsWith('[') || joined[i].endsWith(']')) {
      out.push(joined[i]);
      continue;
    }
    const bracketed = [joined[i]];
    while (i < joined.length - 1) {
      bracketed.push(joined[++i]);
      if (joined[i].endsWith(']')) break;
    }
    const s = bracketed.join('.');
    out.push(s.includes('=') ? s : s.replace(/^\[+|\]+$/g, ''));
  }
  return out;
}

const isIndex = (s: string) => /^\d+$/.test(s);
const isListMatch = (s: string) => s.startsWith('[') && s.endsWith(']') && s.includes('=');
const isWildcard = (s: string) => s === '*' || s === '[*]';

/** What a created node starts as, given the next segment (getPathPartKind): a list, a mapping, or the value's kind. */
function emptyFor(next: string | undefined, leaf: () => unknown): unknown {
  if (next === undefined) return leaf();
  return isIndex(next) || isListMatch(next) ? [] : {};
}

/** A scalar as kyaml prints it (yaml.RNode.String, trimmed): what `[field=value]` matches against. */
function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return v.toString();
  return yamlLib().stringify(v).trim();
}

/**
 * The slots a field path reaches in `node` (PathMatcher.filter). With `create`, missing fields, the next item of a
 * list and `[field=value]` items are made (`leaf` makes a missing last value); an error string when the path
 * cannot be walked as kyaml walks it.
 */
export function matchPath(node: unknown, segments: readonly string[], create?: () => unknown): Slot[] | string {
  const [head, ...rest] = segments;
  if (head === undefined) return [];
  const next = (child: unknown, slot: Slot): Slot[] | string => (rest.length ? matchPath(child, rest, create) : [slot]);
  if (isIndex(head)) return indexSeq(node, Number(head), rest, create, next);
  if (isListMatch(head)) return listMatch(node, head, create, next);
  if (isWildcard(head)) {
    const items: [unknown, Slot][] = Array.isArray(node)
      ? node.map((x, i) => [x, { holder: node, key: i }])
      : isMapping(node)
        ? Object.entries(node).map(([k, x]) => [x, { holder: node, key: k }])
        : [];
    return collect(items.map(([x, s]) => next(x, s)));
  }
  if (!isMapping(node)) return [];
  if (!(head in node)) {
    if (!create) return [];
    node[head] = emptyFor(rest[0], create);
  }
  return next(node[head], { holder: node, key: head });
}

function collect(results: (Slot[] | string)[]): Slot[] | string {
  const error = results.find((r): r is string => typeof r === 'string');
  return error ?? (results as Slot[][]).flat();
}

type Next = (child: unknown, slot: Slot) => Slot[] | string;

function indexSeq(node: unknown, i: number, rest: readonly string[], create: (() => unknown) | undefined, next: Next): Slot[] | string {
  if (!Array.isArray(node)) return [];
  if (node.length === i && create) node.push(emptyFor(rest[0], create));
  if (node.length < i + 1) return `index ${i} specified but only ${node.length} elements found`;
  return next(node[i], { holder: node, key: i });
}

function listMatch(node: unknown, head: string, create: (() => unknown) | undefined, next: Next): Slot[] | string {
  if (!Array.isArray(node)) return [];
  const inner = head.slice(1, -1);
  const eq = inner.indexOf('=');
  const [field, value] = [inner.slice(0, eq), inner.slice(eq + 1)];
  let re: RegExp;
  try {
    re = new RegExp(value);
  } catch {
    return `'${head}' is not a valid regular expression`;
  }
  const hits = node
    .map((item, i) => [item, i] as const)
    .filter(([item]) =>
      field === '' ? item !== null && re.test(scalarText(item)) : isMapping(item) && item[field] !== undefined && re.test(scalarText(item[field])),
    );
  if (hits.length) return collect(hits.map(([item, i]) => next(item, { holder: node, key: i })));
  if (!create) return [];
  const made: unknown = field === '' ? value : ({ [field]: value } satisfies Loose);
  node.push(made);
  return next(made, { holder: node, key: node.length - 1 });
}
