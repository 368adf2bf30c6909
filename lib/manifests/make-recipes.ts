/**
 * A Makefile's recipes as make hands them to the shell: the recipe prefixes removed and the make variables the
 * Makefile itself defines put in (GNU make manual, "Recipe Syntax", "Errors in Recipes", "How to Use Variables",
 * "The Two Flavors of Variables"). make expands a recipe line before the shell sees it: `$(VAR)` and `${VAR}` are make
 * variables, `$$` is a literal `$`; `@` (do not echo), `-` (ignore errors) and `+` lead a recipe line. A reference
 * this reader cannot resolve (a function, a variable set outside the Makefile, on make's command line or in a
 * conditional) is left as written, so a path holding it stays unjudged.
 */

/** A Makefile's name: GNU make reads GNUmakefile, makefile or Makefile; a fragment it includes ends in .mk. */
export const MAKEFILE = /(^|\/)(GNUmakefile|[Mm]akefile|[^/]+\.mk)$/;

/** A variable's definition: its value as written (expanded at each use) or already expanded (`:=`); unknown when this reader cannot tell it. */
type Definition = { readonly value: string; readonly expanded: boolean } | 'unknown';

/** How deep a recursive variable is followed: a loop (`A = $(B)`, `B = $(A)`) is make's error, not ours to chase. */
const MAX_DEPTH = 10;

/** An assignment line: its modifiers, name, operator and value (GNU make: `=`, `:=`, `::=`, `:::=`, `?=`, `+=`, `!=`). */
const ASSIGNMENT = /^\s*(?:(?:override|export|private)\s+)*([A-Za-z_][\w.-]*)\s*(:::=|::=|:=|\?=|\+=|!=|=)\s*(.*)$/;
/** A target-specific assignment (`deploy: NAMESPACE = prod`): the variable differs by target, so it is not known. */
const TARGET_ASSIGNMENT = /^[^\s#=:][^#=]*?:\s*(?:(?:override|export|private)\s+)*([A-Za-z_][\w.-]*)\s*(?::::=|::=|:=|\?=|\+=|!=|=)/;

/**
 * A value naming the folder make runs in, which for a Makefile run where it lies is its own folder: `$(CURDIR)`,
 * `$(shell pwd)`, and the Makefile's own path cut to its folder (`$(shell dirname $(realpath $(lastword
 * $(MAKEFILE_LIST))))`, `$(dir $(abspath $(lastword $(MAKEFILE_LIST))))`, with patsubst dropping the slash): `.`.
 */
function ownFolder(value: string): boolean {
  const v = value.replace(/\s+/g, ' ').trim();
  if (/^\$[({]CURDIR[)}]$/.test(v) || /^\$\(shell pwd\)$/.test(v)) return true;
  if (!v.includes('$(MAKEFILE_LIST)')) return false;
  const rest = v.replace(/\$\(MAKEFILE_LIST\)/g, '').replace(/\$\((shell dirname|dir|realpath|abspath|lastword|firstword|patsubst %\/,%,)|\)|\s/g, '');
  return rest === '';
}

/** The definitions a Makefile makes, in order, as make holds them once it has read the file (recipes are expanded after that). */
function definitionsOf(lines: readonly string[]): Map<string, Definition> {
  const defs = new Map<string, Definition>();
  // a variable some target sets for itself (`deploy: NS = prod`) differs by target: not known for any
  const perTarget = new Set<string>();
  let conditional = 0;
  let inDefine = false;
  for (const line of lines) {
    if (inDefine) {
      inDefine = !/^\s*endef\b/.test(line);
      continue;
    }
    if (line.startsWith('\t')) continue;
    // a multi-line value (define … endef) is no path this reader follows
    const define = /^\s*(?:(?:override|export)\s+)?define\s+([A-Za-z_][\w.-]*)/.exec(line);
    if (define) {
      defs.set(define[1], 'unknown');
      inDefine = true;
    } else if (/^\s*(ifeq|ifneq|ifdef|ifndef)\b/.test(line)) conditional++;
    else if (/^\s*endif\b/.test(line)) conditional = Math.max(0, conditional - 1);
    else if (TARGET_ASSIGNMENT.test(line)) perTarget.add(TARGET_ASSIGNMENT.exec(line)![1]);
    else assign(defs, line, conditional > 0);
  }
  for (const name of perTarget) defs.set(name, 'unknown');
  return defs;
}

/** Takes in one assignment line (see definitionsOf); one inside a conditional makes the variable unknown. */
function assign(defs: Map<string, Definition>, line: string, conditional: boolean): void {
  const m = ASSIGNMENT.exec(line);
  if (!m) return;
  const [, name, op] = m;
  // make ends a value at an unescaped #
  const value = m[3].replace(/(^|[^\\])#.*$/, '$1').trim();
  const before = defs.get(name);
  if (conditional || op === '!=' || (before === 'unknown' && (op === '?=' || op === '+='))) defs.set(name, 'unknown');
  else if (op === '?=') {
    if (before === undefined) defs.set(name, { value, expanded: false });
  } else if (op === '+=' && before !== undefined && before !== 'unknown')
    defs.set(name, { value: `${before.value} ${before.expanded ? expand(value, defs) : value}`, expanded: before.expanded });
  else if (op === '=' || op === '+=') defs.set(name, { value, expanded: false });
  else defs.set(name, { value: expand(value, defs), expanded: true });
}

/** The value of a variable as a recipe sees it, or undefined when this reader cannot tell it. */
function valueOf(name: string, defs: ReadonlyMap<string, Definition>, depth: number): string | undefined {
  if (name === 'CURDIR') return '.';
  const def = defs.get(name);
  if (def === undefined || def === 'unknown' || depth > MAX_DEPTH) return undefined;
  if (ownFolder(def.value)) return '.';
  return def.expanded ? def.value : expand(def.value, defs, depth + 1);
}

/** The index of the parenthesis or brace that closes the reference opened at `open`, nesting counted; -1 when none does. */
function closing(text: string, open: number): number {
  const [o, c] = text[open] === '(' ? ['(', ')'] : ['{', '}'];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return i;
  }
  return -1;
}

/** Text with make's references put in where known: `$$` is `$`, `$(VAR)` and `${VAR}` a variable; the rest as written. */
export function expand(text: string, defs: ReadonlyMap<string, Definition>, depth = 0): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$' || i + 1 >= text.length) {
      out += text[i];
      continue;
    }
    const next = text[i + 1];
    const end = next === '(' || next === '{' ? closing(text, i + 1) : -1;
    const name = end < 0 ? undefined : text.slice(i + 2, end);
    const value = name !== undefined && /^[A-Za-z_][\w.-]*$/.test(name) ? valueOf(name, defs, depth) : undefined;
    if (next === '$') out += '$';
    else if (value !== undefined) out += value;
    else out += end < 0 ? `$${next}` : text.slice(i, end + 1);
    i = end < 0 ? i + 1 : end;
  }
  return out;
}

/**
 * A Makefile's text with each recipe line as the shell runs it (line numbers kept): the recipe prefix (a tab) kept,
 * `@`, `-` and `+` removed, the Makefile's own variables put in. `errorsIgnored`: the lines led by `-`, whose
 * failure make ignores (the rest of the recipe runs).
 */
export function makeRecipes(text: string): { text: string; errorsIgnored: ReadonlySet<number> } {
  const lines = text.split('\n');
  const defs = definitionsOf(lines);
  const errorsIgnored = new Set<number>();
  // the line before ended a recipe line with a backslash: this one goes on with it, with no prefix of its own
  let continued = false;
  const out = lines.map((line, i) => {
    const recipe = line.startsWith('\t') || continued;
    const first = recipe && !continued;
    continued = recipe && /\\\s*$/.test(line);
    if (!recipe) return line;
    const tab = line.startsWith('\t') ? '\t' : '';
    const lead = first ? /^[\s@+-]*/.exec(line.slice(tab.length))![0] : '';
    if (lead.includes('-')) errorsIgnored.add(i + 1);
    return `${tab}${expand(line.slice(tab.length + lead.length), defs)}`;
  });
  return { text: out.join('\n'), errorsIgnored };
}
