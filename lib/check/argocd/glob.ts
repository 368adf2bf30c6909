/**
 * The two pattern languages Argo CD's AppProject uses, ported so that `check` decides as Argo CD does:
 * - `globMatch` — destinations and source repositories: `util/glob` Match (github.com/gobwas/glob), with the
 *   `!` deny prefix of `pkg/apis/application/v1alpha1/app_project_types.go` globMatch;
 * - `pathMatch` — group and kind (and cluster resource name) of the resource lists: Go's `path/filepath.Match`
 *   (`types.go` isResourceInList, isNamedResourceInList).
 * A pattern that does not compile matches nothing, as both return false on a compile error.
 */

/**
 * A compiled pattern: a nondeterministic automaton run over the value one character at a time, so that matching costs
 * characters × states and never backtracks (a pattern such as `*a*a*a*a*b` would make a regular expression run for
 * ages on a long value).
 */
interface State {
  readonly edges: { readonly accepts: (c: string) => boolean; readonly to: State }[];
  readonly empty: State[];
}
interface Automaton {
  readonly start: State;
  readonly end: State;
}

const newState = (): State => ({ edges: [], empty: [] });

/** The pieces a pattern is made of. */
type Piece =
  | { readonly type: 'char'; readonly accepts: (c: string) => boolean }
  | { readonly type: 'run'; readonly accepts: (c: string) => boolean }
  | { readonly type: 'any'; readonly alternatives: Piece[][] };

/** Links the pieces from `from`, returning the state after the last one. */
function link(pieces: Piece[], from: State): State {
  let at = from;
  for (const p of pieces) {
    const next = newState();
    if (p.type === 'char') at.edges.push({ accepts: p.accepts, to: next });
    else if (p.type === 'run') {
      at.empty.push(next);
      next.edges.push({ accepts: p.accepts, to: next });
    } else {
      for (const alt of p.alternatives) {
        const begin = newState();
        at.empty.push(begin);
        link(alt, begin).empty.push(next);
      }
    }
    at = next;
  }
  return at;
}

function automatonOf(pieces: Piece[]): Automaton {
  const start = newState();
  return { start, end: link(pieces, start) };
}

function closure(states: Iterable<State>): Set<State> {
  const out = new Set<State>();
  const stack = [...states];
  while (stack.length) {
    const s = stack.pop()!;
    if (out.has(s)) continue;
    out.add(s);
    stack.push(...s.empty);
  }
  return out;
}

function run(a: Automaton, value: string): boolean {
  let current = closure([a.start]);
  for (const c of value) {
    const next: State[] = [];
    for (const s of current) for (const e of s.edges) if (e.accepts(c)) next.push(e.to);
    if (!next.length) return false;
    current = closure(next);
  }
  return current.has(a.end);
}

const compiled = new Map<string, Automaton | null>();

const anyChar = () => true;
const notIn = (separators: string) => (c: string) => !separators.includes(c);
const classOf = (ranges: [string, string][], negate: boolean) => (c: string) => ranges.some(([lo, hi]) => c >= lo && c <= hi) !== negate;

/**
 * gobwas/glob syntax: `*` any run of non-separator characters, `**` any run, `?` one non-separator character,
 * `[abc]` `[a-z]` `[!abc]` classes, `{a,b}` alternatives (nested patterns), `\` escapes the next character.
 */
function parseGobwas(pattern: string, separators: string): Piece[] | null {
  const chars = [...pattern];
  const other = separators ? notIn(separators) : anyChar;
  let i = 0;
  const parse = (inTerms: boolean): Piece[] | null => {
    const out: Piece[] = [];
    while (i < chars.length) {
      const c = chars[i];
      if (inTerms && (c === ',' || c === '}')) return out;
      i++;
      if (c === '\\') {
        if (i >= chars.length) return null;
        const x = chars[i++];
        out.push({ type: 'char', accepts: (v) => v === x });
      } else if (c === '*') {
        if (chars[i] === '*') {
          while (chars[i] === '*') i++;
          out.push({ type: 'run', accepts: anyChar });
        } else out.push({ type: 'run', accepts: other });
      } else if (c === '?') {
        out.push({ type: 'char', accepts: other });
      } else if (c === '[') {
        const negate = chars[i] === '!';
        if (negate) i++;
        const ranges: [string, string][] = [];
        let closed = false;
        while (i < chars.length) {
          const x = chars[i++];
          if (x === ']') {
            closed = true;
            break;
          }
          if (chars[i] === '-' && i + 1 < chars.length && chars[i + 1] !== ']') {
            const hi = chars[i + 1];
            if (hi < x) return null;
            ranges.push([x, hi]);
            i += 2;
          } else ranges.push([x, x]);
        }
        if (!closed || !ranges.length) return null;
        out.push({ type: 'char', accepts: classOf(ranges, negate) });
      } else if (c === '{') {
        const alternatives: Piece[][] = [];
        for (;;) {
          const alt = parse(true);
          if (alt === null || i >= chars.length) return null;
          alternatives.push(alt);
          if (chars[i++] === '}') break;
        }
        out.push({ type: 'any', alternatives });
      } else out.push({ type: 'char', accepts: (v) => v === c });
    }
    return inTerms ? null : out;
  };
  return parse(false);
}

/** `util/glob` Match: false when the pattern does not compile. */
export function globPatternMatch(pattern: string, value: string, separators = ''): boolean {
  const key = `g\0${separators}\0${pattern}`;
  if (!compiled.has(key)) {
    const pieces = parseGobwas(pattern, separators);
    compiled.set(key, pieces && automatonOf(pieces));
  }
  const a = compiled.get(key);
  return a ? run(a, value) : false;
}

/** `app_project_types.go` isDenyPattern. */
export const isDenyPattern = (pattern: string) => pattern.startsWith('!');

/** `app_project_types.go` globMatch: a `!` pattern (when negation is allowed) matches what its rest does not. */
export function globMatch(pattern: string, value: string, allowNegation: boolean, separators = ''): boolean {
  if (allowNegation && isDenyPattern(pattern)) return !globPatternMatch(pattern.slice(1), value, separators);
  if (pattern === '*') return true;
  return globPatternMatch(pattern, value, separators);
}

/** Go's filepath.Match syntax: `*` any run of non-`/` characters, `?` one, `[…]` / `[^…]` classes, `\` escapes. */
function parseFilepath(pattern: string): Piece[] | null {
  const chars = [...pattern];
  const other = notIn('/');
  const out: Piece[] = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i++];
    if (c === '\\') {
      if (i >= chars.length) return null;
      const x = chars[i++];
      out.push({ type: 'char', accepts: (v) => v === x });
    } else if (c === '*') out.push({ type: 'run', accepts: other });
    else if (c === '?') out.push({ type: 'char', accepts: other });
    else if (c === '[') {
      const negate = chars[i] === '^';
      if (negate) i++;
      const ranges: [string, string][] = [];
      let closed = false;
      const one = (): string | null => {
        let x = chars[i++];
        if (x === undefined || x === '-' || x === ']') return null;
        if (x === '\\') {
          x = chars[i++];
          if (x === undefined) return null;
        }
        return x;
      };
      while (i < chars.length) {
        if (chars[i] === ']' && ranges.length) {
          i++;
          closed = true;
          break;
        }
        const lo = one();
        if (lo === null) return null;
        if (chars[i] === '-') {
          i++;
          const hi = one();
          if (hi === null || hi < lo) return null;
          ranges.push([lo, hi]);
        } else ranges.push([lo, lo]);
      }
      if (!closed) return null;
      out.push({ type: 'char', accepts: classOf(ranges, negate) });
    } else out.push({ type: 'char', accepts: (v) => v === c });
  }
  return out;
}

/** Go's filepath.Match: false when the pattern is malformed (ErrBadPattern). */
export function pathMatch(pattern: string, value: string): boolean {
  const key = `f\0${pattern}`;
  if (!compiled.has(key)) {
    const pieces = parseFilepath(pattern);
    compiled.set(key, pieces && automatonOf(pieces));
  }
  const a = compiled.get(key);
  return a ? run(a, value) : false;
}
