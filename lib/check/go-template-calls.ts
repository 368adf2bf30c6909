/**
 * The names a Go text/template calls as functions, read the way text/template/parse lexes an action: between `{{` and
 * `}}` (trim markers `{{-`, `-}}` too), comments (`/* … *\/`), quoted and raw strings and character constants left
 * out, an identifier (a letter or `_`, then letters, digits or `_`) that is neither a field (`.Name`, `$x.Name`) nor a
 * variable (`$x`) nor a keyword is a function the template calls (parse.go: NodeIdentifier, checked by the parser's
 * function lookup: "function %q not defined").
 */

/** The actions of a template, as written between its delimiters; an action without its closing `}}` ends the text. */
function actions(template: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    if (open < 0) return out;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) return out;
    out.push(template.slice(open + 2, close));
    at = close + 2;
  }
}

/** The action's text without comments, strings and character constants, each replaced by a space. */
function code(action: string): string {
  return action
    .replace(/^-\s/, ' ')
    .replace(/\s-$/, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'/g, ' ');
}

/** The identifiers an action calls as functions (keywords among them; the caller leaves those out). */
function calledIn(action: string): string[] {
  const out: string[] = [];
  const plain = code(action);
  for (const m of plain.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const before = m.index > 0 ? plain[m.index - 1] : '';
    // a field (.Name, $x.Name, (…).Name), a variable ($x), or the tail of a number (1e3, 0x1F)
    if (before === '.' || before === '$' || /[A-Za-z0-9_]/.test(before)) continue;
    out.push(m[0]);
  }
  return out;
}

/** The names the template calls as functions that are not among `known` nor `keywords`, each once, in order. */
export function undefinedFunctions(template: string, known: ReadonlySet<string>, keywords: ReadonlySet<string>): string[] {
  const names = actions(template).flatMap(calledIn);
  return [...new Set(names.filter((n) => !known.has(n) && !keywords.has(n)))];
}
