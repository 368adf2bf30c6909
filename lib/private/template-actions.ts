/**
 * The actions of a template text, found as the template engines' lexers find them, and the text with them set aside
 * so that what is left can be read as YAML or JSON. Go's text/template (Helm's charts; src/text/template/parse/lex.go):
 * an action runs from `{{` to `}}`, either delimiter with a trim marker (`{{- `, ` -}}`), across lines (Go 1.16 on);
 * a `}}` inside a quoted string ("…", '…' or a raw `…`) ends nothing; a comment is `{{/* … *\/}}`. Jinja (Ansible,
 * Python templating; jinja2/lexer.py): `{{ … }}` expressions, `{% … %}` statements and `{# … #}` comments, each
 * delimiter with a `-` or `+` marker, strings in single or double quotes.
 */

export type TemplateSyntax = 'go' | 'jinja';

/** One action: where it starts and ends (exclusive) in the text, and what it is. */
export interface TemplateAction {
  readonly start: number;
  readonly end: number;
  /** A Jinja `{% … %}` is a statement; a Go or Jinja comment a comment; every other an expression. */
  readonly kind: 'expression' | 'statement' | 'comment';
}

/** Where a quoted run that starts at `at` ends (after its closing quote), or -1 where it is not closed. */
function quoteEnd(text: string, at: number, raw: boolean): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return i + 1;
    if (raw) continue;
    if (c === '\\') i++;
    else if (c === '\n') return -1; // text/template: unterminated quoted string
  }
  return -1;
}

/** The end of an action whose opening delimiter ends at `from` and whose closing one is `close`, or -1 where it does not close. */
function actionEnd(text: string, from: number, close: string, syntaxes: readonly TemplateSyntax[]): number {
  const go = syntaxes.includes('go');
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (text.startsWith(close, i)) return i + close.length;
    if (c === '"' || c === "'" || (go && c === '`')) {
      const end = quoteEnd(text, i, c === '`');
      if (end < 0) return -1;
      i = end - 1;
    }
  }
  return -1;
}

/** A Go comment `{{/* … *\/}}` (with trim markers) opening at `at`: its end, or -1 where there is none. */
function goCommentEnd(text: string, at: number): number {
  const m = /^\{\{(?:-[ \t\r\n])?\/\*/.exec(text.slice(at, at + 6));
  if (!m) return -1;
  const close = /\*\/(?: -)?\}\}/g;
  close.lastIndex = at + m[0].length;
  const found = close.exec(text);
  return found ? found.index + found[0].length : -1;
}

/** The action opening at `at`, if one does. */
function actionAt(text: string, at: number, syntaxes: readonly TemplateSyntax[]): TemplateAction | undefined {
  const jinja = syntaxes.includes('jinja');
  const open = text.slice(at, at + 2);
  if (open === '{{') {
    const comment = syntaxes.includes('go') ? goCommentEnd(text, at) : -1;
    if (comment > 0) return { start: at, end: comment, kind: 'comment' };
    const end = actionEnd(text, at + 2, '}}', syntaxes);
    return end > 0 ? { start: at, end, kind: 'expression' } : undefined;
  }
  if (jinja && open === '{%') {
    const end = actionEnd(text, at + 2, '%}', syntaxes);
    return end > 0 ? { start: at, end, kind: 'statement' } : undefined;
  }
  if (jinja && open === '{#') {
    const end = text.indexOf('#}', at + 2);
    return end > 0 ? { start: at, end: end + 2, kind: 'comment' } : undefined;
  }
  return undefined;
}

/** The actions of a text in the given template syntaxes, in order. */
export function templateActions(text: string, syntaxes: readonly TemplateSyntax[]): TemplateAction[] {
  const out: TemplateAction[] = [];
  for (let at = text.indexOf('{'); at >= 0 && at < text.length; at = text.indexOf('{', at)) {
    const action = actionAt(text, at, syntaxes);
    out.push(...(action ? [action] : []));
    at = action ? action.end : at + 1;
  }
  return out;
}

/** How a text's actions are set aside. */
export interface SetAside {
  readonly syntaxes: readonly TemplateSyntax[];
  /** What an action within a line stands as (a value the reader does not judge). */
  readonly replacement: string;
  /** A line holding nothing but actions (control flow, a comment, an include that writes structure): removed, or left blank (line numbers kept). */
  readonly wholeLines: 'remove' | 'blank';
  /** The kinds of action that set their line aside when alone on it (every kind where not given); the others are replaced. */
  readonly lineKinds?: readonly TemplateAction['kind'][];
}

const BLANK = /^[ \t\r]*$/;

/** The last action (index) of the run of actions from `i` that fills its lines alone, or -1 where the run shares a line with text. */
function aloneUntil(text: string, actions: readonly TemplateAction[], i: number, from: number, how: SetAside): number {
  const lineStart = text.lastIndexOf('\n', actions[i].start - 1) + 1;
  if (lineStart < from || !BLANK.test(text.slice(lineStart, actions[i].start))) return -1;
  let j = i;
  while (j + 1 < actions.length && BLANK.test(text.slice(actions[j].end, actions[j + 1].start))) j++;
  const lineEnd = text.indexOf('\n', actions[j].end);
  if (!BLANK.test(text.slice(actions[j].end, lineEnd < 0 ? text.length : lineEnd))) return -1;
  const kinds = how.lineKinds;
  return !kinds || actions.slice(i, j + 1).every((a) => kinds.includes(a.kind)) ? j : -1;
}

/** The text with its actions set aside: lines of actions alone removed or blanked, every other action replaced. */
export function setAsideActions(text: string, how: SetAside): string {
  const actions = templateActions(text, how.syntaxes);
  let out = '';
  let at = 0;
  for (let i = 0; i < actions.length; i++) {
    const j = aloneUntil(text, actions, i, at, how);
    if (j < 0) {
      out += text.slice(at, actions[i].start) + how.replacement;
      at = actions[i].end;
      continue;
    }
    const lineStart = text.lastIndexOf('\n', actions[i].start - 1) + 1;
    const lineEnd = text.indexOf('\n', actions[j].end);
    const end = lineEnd < 0 ? text.length : lineEnd;
    // a blanked run keeps the line breaks of actions that span lines, so that the lines after stay where they were
    out += text.slice(at, lineStart) + (how.wholeLines === 'blank' ? text.slice(lineStart, end).replace(/[^\n]/g, '') : '');
    at = how.wholeLines === 'remove' && lineEnd >= 0 ? lineEnd + 1 : end;
    i = j;
  }
  return out + text.slice(at);
}
