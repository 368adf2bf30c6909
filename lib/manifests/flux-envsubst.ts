/**
 * Flux's post-build variable substitution on one string, ported from fluxcd/pkg envsubst (parse/scan.go, parse/parse.go,
 * template.go, funcs.go; a fork of drone/envsubst) as kustomize-controller runs it (fluxcd/pkg kustomize/kustomize_varsub.go
 * varSubstitution, strict mode off): only `${…}` is a variable (a bare `$VAR` is text), `$$` is an escaped `$` (so
 * `$${VAR}` stays `${VAR}`), a variable no substitution gives is the empty string, and every default operator (`:=`,
 * `:-`, `=`, `:+`, `:?`) gives the variable's value where it is not empty, else its argument.
 */

/** What a substitution knows of one variable: its value, that a ConfigMap or Secret of the cluster gives it (unknown here), or unset. */
export type FluxVariable = { readonly value: string } | 'unknown' | 'unset';

/** A string after substitution, with the variables it could not fill. */
export interface FluxSubstituted {
  /** The text: filled where the value is known, each token of an unknown or unset variable left as written. */
  readonly text: string;
  /** Whether every token was filled (the text is what Flux applies). */
  readonly complete: boolean;
  /** Variables written without a default that nothing gives: Flux renders them as the empty string. */
  readonly empty: readonly string[];
  /** Variables a substituteFrom ConfigMap or Secret may give: rendered by Flux, their value unknown here. */
  readonly unknown: readonly string[];
  /** Why Flux's parser refuses the text ("variable substitution failed"), if it does. */
  readonly error?: string;
}

/** A variable name as the scanner accepts it (acceptIdent: letters, digits and `_`). */
const IDENT = /^[\p{L}\p{N}_]+/u;

/** The operators after a name that supply a value where the variable is empty (template.go isDefaultOp; funcs.go toDefault). */
const DEFAULT_OPS = [':=', ':-', ':+', ':?', '='];

interface Token {
  readonly end: number;
  readonly out: string;
  readonly filled: boolean;
  readonly empty: string[];
  readonly unknown: string[];
}

class SubstitutionError extends Error {}

/** The index of the `}` that closes the `${` at `start`, nested `${…}` skipped (parseParam reads them as functions). */
function closing(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0) return i;
  }
  throw new SubstitutionError('missing closing brace');
}

/** A default operator's argument: text up to the closing brace, nested `${…}` substituted (parseDefaultFunc, parseParam). */
function argument(s: string, from: number, to: number, lookup: (name: string) => FluxVariable): Omit<Token, 'end'> {
  const inner = substitute(s.slice(from, to), lookup, false);
  return { out: inner.text, filled: inner.complete, empty: [...inner.empty], unknown: [...inner.unknown] };
}

/** One `${…}` at `start` (s[start] is `$`, s[start + 1] is `{`). */
function token(s: string, start: number, lookup: (name: string) => FluxVariable): Token {
  const end = closing(s, start);
  const written = s.slice(start, end + 1);
  const body = s.slice(start + 2, end);
  const name = IDENT.exec(body)?.[0];
  // `${#VAR}` (its length) needs a name after the `#`; anything else must start with one (ErrParseVariableName)
  if (!name) {
    if (!/^#[\p{L}\p{N}_]+$/u.test(body)) throw new SubstitutionError('unable to parse variable name');
    const v = lookup(body.slice(1));
    return typeof v === 'object'
      ? { end, out: String(v.value.length), filled: true, empty: [], unknown: [] }
      : { end, out: written, filled: false, empty: [], unknown: v === 'unknown' ? [body.slice(1)] : [] };
  }
  const rest = body.slice(name.length);
  const v = lookup(name);
  const op = DEFAULT_OPS.find((o) => rest.startsWith(o));
  if (rest === '' || op) {
    const arg = op ? argument(s, start + 2 + name.length + op.length, end, lookup) : undefined;
    if (v === 'unknown') return { end, out: written, filled: false, empty: [], unknown: [name, ...(arg?.unknown ?? [])] };
    // unset and without a default: Flux writes the empty string; the token is kept so that what reads it sees the slot
    if (v === 'unset' && !arg) return { end, out: op ? '' : written, filled: !!op, empty: op ? [] : [name], unknown: [] };
    const value = typeof v === 'object' ? v.value : '';
    return value !== '' || !arg ? { end, out: value, filled: true, empty: [], unknown: [] } : { end, ...arg };
  }
  // the other operators (`,`, `^`, `/`, `#`, `%`, `:offset`) Flux parses; a `-`, `+` or `?` without `:` it refuses
  if (/^[-+?]/.test(rest)) throw new SubstitutionError('missing closing brace');
  if (typeof v === 'object' && /^(,,?|\^\^?)$/.test(rest)) return { end, out: cased(v.value, rest), filled: true, empty: [], unknown: [] };
  // the rest are not ported: what they give is unknown here
  return { end, out: written, filled: false, empty: [], unknown: [name] };
}

/** funcs.go toLowerFirst, toLower, toUpperFirst, toUpper. */
function cased(v: string, op: string): string {
  if (op === ',,') return v.toLowerCase();
  if (op === '^^') return v.toUpperCase();
  const first = op === ',' ? v.charAt(0).toLowerCase() : v.charAt(0).toUpperCase();
  return first + v.slice(1);
}

/**
 * Substitutes the `${…}` of a string as Flux does; `escapes` false inside an operator's argument, where the scanner reads
 * no `$$` escape (parseParam's mode).
 */
export function substitute(s: string, lookup: (name: string) => FluxVariable, escapes = true): FluxSubstituted {
  let text = '';
  let complete = true;
  const empty: string[] = [];
  const unknown: string[] = [];
  try {
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '$' && s[i + 1] === '{') {
        const t = token(s, i, lookup);
        text += t.out;
        complete &&= t.filled;
        empty.push(...t.empty);
        unknown.push(...t.unknown);
        i = t.end;
      } else if (escapes && s[i] === '$' && s[i + 1] === '$') {
        // scan.go scanEscaped: the first `$` of `$$` is dropped, the second read as text (`$${X}` is `${X}`)
        text += '$';
        i++;
        if (s[i + 1] === '{') text += s[++i];
      } else text += s[i];
    }
  } catch (e) {
    if (!(e instanceof SubstitutionError)) throw e;
    return { text: s, complete: false, empty: [], unknown: [], error: e.message };
  }
  return { text, complete, empty: [...new Set(empty)], unknown: [...new Set(unknown)] };
}
