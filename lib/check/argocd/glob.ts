/**
 * The two pattern languages Argo CD's AppProject uses, ported so that `check` decides as Argo CD does:
 * - `globMatch` — destinations and source repositories: `util/glob` Match (github.com/gobwas/glob), with the
 *   `!` deny prefix of `pkg/apis/application/v1alpha1/app_project_types.go` globMatch;
 * - `pathMatch` — group and kind (and cluster resource name) of the resource lists: Go's `path/filepath.Match`
 *   (`types.go` isResourceInList, isNamedResourceInList).
 * A pattern that does not compile matches nothing, as both return false on a compile error.
 */

const compiled = new Map<string, RegExp | null>();

/** Every character as a `\u{…}` escape: safe in and out of a character class of a `u` regular expression. */
const lit = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/**
 * gobwas/glob syntax: `*` any run of non-separator characters, `**` any run, `?` one non-separator character,
 * `[abc]` `[a-z]` `[!abc]` classes, `{a,b}` alternatives (nested patterns), `\` escapes the next character.
 */
function gobwasToRegExp(pattern: string, separators: string): RegExp | null {
  const chars = [...pattern];
  const other = separators ? `[^${[...separators].map(lit).join('')}]` : '[\\s\\S]';
  let i = 0;
  const parse = (inTerms: boolean): string | null => {
    let out = '';
    while (i < chars.length) {
      const c = chars[i];
      if (inTerms && (c === ',' || c === '}')) return out;
      i++;
      if (c === '\\') {
        if (i >= chars.length) return null;
        out += lit(chars[i++]);
      } else if (c === '*') {
        if (chars[i] === '*') {
          while (chars[i] === '*') i++;
          out += '[\\s\\S]*';
        } else out += `${other}*`;
      } else if (c === '?') {
        out += other;
      } else if (c === '[') {
        const negate = chars[i] === '!';
        if (negate) i++;
        let cls = '';
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
            cls += `${lit(x)}-${lit(hi)}`;
            i += 2;
          } else cls += lit(x);
        }
        if (!closed || !cls) return null;
        out += negate ? `[^${cls}]` : `[${cls}]`;
      } else if (c === '{') {
        const alternatives: string[] = [];
        for (;;) {
          const alt = parse(true);
          if (alt === null || i >= chars.length) return null;
          alternatives.push(alt);
          if (chars[i++] === '}') break;
        }
        out += `(?:${alternatives.join('|')})`;
      } else out += lit(c);
    }
    return inTerms ? null : out;
  };
  const body = parse(false);
  return body === null ? null : new RegExp(`^${body}$`, 'u');
}

/** `util/glob` Match: false when the pattern does not compile. */
export function globPatternMatch(pattern: string, value: string, separators = ''): boolean {
  const key = `g\0${separators}\0${pattern}`;
  if (!compiled.has(key)) compiled.set(key, gobwasToRegExp(pattern, separators));
  return compiled.get(key)?.test(value) ?? false;
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
function filepathToRegExp(pattern: string): RegExp | null {
  const chars = [...pattern];
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i++];
    if (c === '\\') {
      if (i >= chars.length) return null;
      out += lit(chars[i++]);
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const negate = chars[i] === '^';
      if (negate) i++;
      let cls = '';
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
        if (chars[i] === ']' && cls) {
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
          cls += `${lit(lo)}-${lit(hi)}`;
        } else cls += lit(lo);
      }
      if (!closed) return null;
      out += negate ? `[^${cls}]` : `[${cls}]`;
    } else out += lit(c);
  }
  return new RegExp(`^${out}$`, 'u');
}

/** Go's filepath.Match: false when the pattern is malformed (ErrBadPattern). */
export function pathMatch(pattern: string, value: string): boolean {
  const key = `f\0${pattern}`;
  if (!compiled.has(key)) compiled.set(key, filepathToRegExp(pattern));
  return compiled.get(key)?.test(value) ?? false;
}
