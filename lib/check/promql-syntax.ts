/**
 * The delimiter errors of Prometheus's PromQL lexer (prometheus promql/parser/lex.go: lexStatements,
 * lexInsideBraces, lexString, lexRawString), which refuse a query before any grammar is read: parentheses, braces
 * and brackets out of balance, and strings left open. Ported for those errors only, with Prometheus's wording; a
 * query they pass may still fail the grammar, which is not judged here.
 */

/** Where the lexer stops and what it says (ParseErr: `<line>:<column>: parse error: <message>`). */
export interface PromqlSyntaxError {
  readonly message: string;
  /** 1-based, as Prometheus's ParseErr gives its position. */
  readonly line: number;
  readonly column: number;
}

/** A query holding a template's syntax (Go or Argo `{{ }}`, prometheus-adapter's `<<.Series>>`, a `$VAR`): its text is not PromQL until rendered. */
export const TEMPLATED_QUERY = /\{\{|<<|\$/;

/** The lexer's state between characters: open strings and comments are consumed whole where they start. */
interface State {
  depth: number;
  brace: boolean;
  bracket: boolean;
}

function positionOf(query: string, offset: number): { line: number; column: number } {
  const before = query.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The end of a quoted string starting at `start` (its closing quote's index), or the lexer's error: a newline or the end in a quoted string, the end in a raw one. */
function stringEnd(query: string, start: number): number | string {
  const quote = query[start];
  for (let i = start + 1; i < query.length; i++) {
    const c = query[i];
    if (quote !== '`' && c === '\\') i++;
    else if (c === quote) return i;
    else if (quote !== '`' && c === '\n') return 'unterminated quoted string';
  }
  return quote === '`' ? 'unterminated raw string' : 'unterminated quoted string';
}

/** The lexer's error at one delimiter character, or undefined; updates the state. */
function delimiter(c: string, s: State): string | undefined {
  if (s.brace) {
    if (c === '{') return "unexpected left brace '{'";
    if (c === '}') s.brace = false;
    return undefined;
  }
  switch (c) {
    case '(':
      s.depth++;
      return undefined;
    case ')':
      return --s.depth < 0 ? "unexpected right parenthesis ')'" : undefined;
    case '{':
      s.brace = true;
      return undefined;
    case '}':
      return "unexpected character: '}'";
    case '[':
      if (s.bracket) return "unexpected left bracket '['";
      s.bracket = true;
      return undefined;
    case ']':
      if (!s.bracket) return "unexpected right bracket ']'";
      s.bracket = false;
      return undefined;
    default:
      return undefined;
  }
}

/**
 * The syntax of a template a query that Grafana has already interpolated may still hold: Go or Helm `{{ }}` and
 * prometheus-adapter's `<<.Series>>` (a `$` left is no variable: a regex anchor, a label_replace `$1` in a string).
 */
export const TEMPLATED_AFTER_GRAFANA = /\{\{|<</;

/**
 * The first delimiter error Prometheus's lexer reports in the query, or undefined where none does (or the query is a
 * template: `templated` tells one, TEMPLATED_QUERY unless the caller replaced the variables).
 */
export function promqlSyntaxError(query: string, templated: RegExp = TEMPLATED_QUERY): PromqlSyntaxError | undefined {
  if (templated.test(query)) return undefined;
  const s: State = { depth: 0, brace: false, bracket: false };
  const at = (offset: number, message: string) => ({ message, ...positionOf(query, offset) });
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '#') {
      // a line comment, in statements and inside braces alike
      const end = query.indexOf('\n', i);
      i = end < 0 ? query.length : end;
    } else if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(query, i);
      if (typeof end === 'string') return at(i, end);
      i = end;
    } else {
      const error = delimiter(c, s);
      if (error) return at(i, error);
    }
  }
  if (s.brace) return at(query.length, 'unexpected end of input inside braces');
  if (s.depth > 0) return at(query.length, 'unclosed left parenthesis');
  if (s.bracket) return at(query.length, 'unclosed left bracket');
  return undefined;
}

/** The fix the lexer's message points to. */
export function syntaxFix(message: string): string {
  if (message.startsWith('unexpected right')) return 'remove the extra closing delimiter, or open the one it closes';
  if (message.startsWith('unclosed') || message.includes('end of input')) return 'close what is left open';
  if (message.startsWith('unterminated')) return 'close the string';
  return 'balance the delimiters';
}
