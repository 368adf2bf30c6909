/**
 * What a shell line's sed commands replace, read as GNU sed reads its script (sed manual, "sed scripts", "The s
 * Command", "BRE syntax" and "ERE syntax"; BSD sed's `-i ''` as FreeBSD sed(1) writes an in-place edit without a
 * backup): the literal tokens of its substitutions, and whether those are all it does to the text.
 */

/**
 * One `s` command as it edits the text: its pattern as the literal text it matches, its replacement as the literal text
 * it writes (`&` put back as the pattern; a `$` left for the script's variables to fill), each undefined where it cannot
 * be read so (a regular expression's operators, a back-reference, a case conversion); the g and i/I flags.
 */
export interface SedEdit {
  readonly pattern?: string;
  readonly replacement?: string;
  readonly global: boolean;
  readonly ignoreCase: boolean;
}

/** The sed commands of one pipeline: the literal tokens they replace, and whether nothing else changes the text. */
export interface SedReplacements {
  readonly tokens: readonly string[];
  /** Each substitution in the order sed runs them; one with no pattern stands for a command not read (a script in a file). */
  readonly edits?: readonly SedEdit[];
  /**
   * Every command of every sed of the pipeline was read, and each is a substitution of a literal pattern or a command
   * that changes no text of the lines it keeps (d, p, q, =, n): what no token matches reaches the output as written.
   */
  readonly exact: boolean;
}

/** The shell words of a command, quotes removed (`'…'` literal, `"…"` with `\` escapes), or undefined when a word is made at run time. */
function shellWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let part = '';
      for (; j < command.length && command[j] !== '"'; j++) {
        if (command[j] === '\\' && /["\\$`]/.test(command[j + 1] ?? '')) part += command[++j];
        else part += command[j];
      }
      word = (word ?? '') + part;
      i = j;
    } else if (c === '\\') word = (word ?? '') + (command[++i] ?? '');
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The pipelines of a shell line: split at `;`, `&&`, `||`, `&` and line breaks outside quotes, each a list of its
 * commands (split at `|`).
 */
export function pipelinesOf(line: string): string[][] {
  const lists: string[][] = [[]];
  let start = 0;
  let quote: string | undefined;
  const cut = (end: number, newList: boolean) => {
    lists[lists.length - 1].push(line.slice(start, end));
    if (newList) lists.push([]);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if ((c === '&' && line[i + 1] === '&') || (c === '|' && line[i + 1] === '|')) {
      cut(i, true);
      start = ++i + 1;
    } else if (c === ';' || c === '\n' || (c === '&' && line[i - 1] !== '>' && line[i + 1] !== '>')) {
      cut(i, true);
      start = i + 1;
    } else if (c === '|') {
      cut(i, false);
      start = i + 1;
    }
  }
  cut(line.length, false);
  return lists.map((l) => l.filter((c) => c.trim())).filter((l) => l.length);
}

/** The options of sed that take the next word as their argument (GNU and BSD). */
const WITH_ARGUMENT = new Set(['-e', '-f', '-l', '--expression', '--file', '--line-length']);

/** The scripts a sed command runs and whether its patterns are extended (-E, -r); undefined where one is not in the line (-f file). */
function sedScripts(words: readonly string[]): { scripts: string[]; extended: boolean } | undefined {
  const scripts: string[] = [];
  const operands: string[] = [];
  let extended = false;
  let given = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    const script =
      w === '-e' || w === '--expression' ? (words[++i] ?? '') : w.startsWith('--expression=') ? w.slice(13) : /^-e./.test(w) ? w.slice(2) : undefined;
    if (script !== undefined) {
      scripts.push(script);
      given = true;
    } else if (w === '-f' || w === '--file' || /^-f./.test(w) || w.startsWith('--file=')) return undefined;
    else if (w === '-E' || w === '-r' || w === '--regexp-extended') extended = true;
    // BSD's `-i ''` (or `-i .bak`): the suffix is a word of its own
    else if (w === '-i' && (words[i + 1] === '' || /^\.\w+$/.test(words[i + 1] ?? ''))) i++;
    else if (WITH_ARGUMENT.has(w)) i++;
    else if (w.startsWith('-') && w !== '-') extended ||= /^-[a-zA-Z]*[Er]/.test(w) && !w.startsWith('--');
    else operands.push(w);
  }
  if (!given && operands.length) scripts.push(operands[0]);
  return { scripts, extended };
}

/** The end of a delimited part of a sed command (a pattern or replacement), from `at` after its opening delimiter; -1 if open. */
function partEnd(script: string, at: number, delimiter: string): number {
  for (let i = at; i < script.length; i++) {
    if (script[i] === '\\') i++;
    else if (script[i] === delimiter) return i;
  }
  return -1;
}

/**
 * A sed pattern as the literal text it matches, or undefined where it holds an operator: in a BRE `*`, `[`, an anchor
 * (`^` first, `$` last), a backslash before a letter or digit, and the `\(`, `\{`, `\+`, `\?`, `\|` GNU operators; in an
 * ERE `( ) { } + ? |` and `^ $` anywhere instead of those escapes. Any other escaped character matches itself (the command's delimiter too); `.` is kept (it matches itself, among others).
 */
export function literalPattern(pattern: string, extended: boolean, delimiter = '/'): string | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[++i];
      // the delimiter escaped is the character itself (`s|a\|b|c|`)
      if (next === undefined || /[\w<>`']/.test(next) || (!extended && next !== delimiter && /[(){}+?|]/.test(next))) return undefined;
      out += next;
    } else if (c === '*' || c === '[' || (c === '^' && i === 0) || (c === '$' && i === pattern.length - 1)) return undefined;
    else if (extended && /[(){}+?|^$]/.test(c)) return undefined;
    else out += c;
  }
  return out || undefined;
}

/** Commands that change no text of the lines they leave (delete, print, quit, line number, next line) or group others. */
const TEXT_KEPT = /^[dDpPqQ=nN{}]$/;

/**
 * A sed replacement as the literal text it writes (sed manual, "The s Command": `&` is the whole match, `\\n` a
 * newline, `\\1`…`\\9` a group, `\\L`, `\\U`, `\\E` case conversions; any other escaped character itself), or
 * undefined where it holds a group or conversion.
 */
export function literalReplacement(replacement: string, pattern: string): string | undefined {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '&') out += pattern;
    else if (c !== '\\') out += c;
    else {
      const next = replacement[++i] ?? '';
      if (next === 'n') out += '\n';
      else if (/[\w]/.test(next)) return undefined;
      else out += next;
    }
  }
  return out;
}

/** The flags of an `s` command that change which matches it replaces: g (every one), i/I (any case); another (a number, m) is not read. */
function editFlags(flags: string): { global: boolean; ignoreCase: boolean; read: boolean } {
  return { global: flags.includes('g'), ignoreCase: /[iI]/.test(flags), read: /^[giIp]*$/.test(flags) };
}

/** One sed script's substitutions: the literal tokens, and whether every command was read and is one such or TEXT_KEPT. */
function scriptReplacements(script: string, extended: boolean): SedReplacements {
  const tokens: string[] = [];
  const edits: SedEdit[] = [];
  let exact = true;
  let i = 0;
  while (i < script.length) {
    while (i < script.length && /[\s;}]/.test(script[i])) i++;
    if (i >= script.length) break;
    // an address: a line number, `$`, a /regex/ or \cregexc, a range of two, then `!`
    for (let k = 0; k < 2; k++) {
      const address = /^(?:\d+(?:~\d+)?|\$)/.exec(script.slice(i));
      if (address) i += address[0].length;
      else if (script[i] === '/' || script[i] === '\\') {
        const d = script[i] === '/' ? '/' : script[i + 1];
        const end = partEnd(script, i + (script[i] === '/' ? 1 : 2), d);
        if (end < 0) return { tokens, exact: false };
        i = end + 1;
        while (/[IM]/.test(script[i] ?? '')) i++;
      }
      if (k === 0 && script[i] === ',') i++;
      else break;
    }
    while (/[\s!]/.test(script[i] ?? '')) i++;
    const command = script[i];
    if (command === 's' && script[i + 1] && !/[\s\\\n]/.test(script[i + 1])) {
      const d = script[i + 1];
      const patternEnd = partEnd(script, i + 2, d);
      const replacementEnd = patternEnd < 0 ? -1 : partEnd(script, patternEnd + 1, d);
      if (replacementEnd < 0) return { tokens, exact: false };
      const flags = /^[\w]*/.exec(script.slice(replacementEnd + 1))?.[0] ?? '';
      const token = literalPattern(script.slice(i + 2, patternEnd), extended, d);
      if (token === undefined || /[iIwe]/.test(flags)) exact = false;
      if (token !== undefined && !tokens.includes(token)) tokens.push(token);
      const { read, ...how } = editFlags(flags);
      const pattern = read ? token : undefined;
      const replacement = pattern === undefined ? undefined : literalReplacement(script.slice(patternEnd + 1, replacementEnd), pattern);
      edits.push({ ...(pattern !== undefined ? { pattern } : {}), ...(replacement !== undefined ? { replacement } : {}), ...how });
      i = replacementEnd + 1 + flags.length;
    } else if (command !== undefined && TEXT_KEPT.test(command)) i++;
    else return { tokens, edits: [...edits, UNREAD], exact: false };
  }
  return { tokens, edits, exact };
}

/** A sed command that was not read: what it does to the text is unknown. */
const UNREAD: SedEdit = { global: true, ignoreCase: false };

/**
 * The words of the sed command a pipeline's stage runs, from `sed` on (after `sudo`, `xargs`, a variable assignment,
 * or a Markdown code span's opening backtick, which also ends it); undefined where the stage runs no sed or a word is
 * made at run time.
 */
function sedWords(stage: string): string[] | undefined {
  const at = /(?:^|[\s`(])sed(?=\s)/.exec(stage);
  if (!at) return undefined;
  const from = stage.slice(at.index + at[0].length - 3);
  const span = from.indexOf('`');
  return shellWords(span < 0 ? from : from.slice(0, span));
}

/**
 * What the sed commands of one pipeline replace: the literal tokens of their substitutions, and whether they were all
 * read (exact). A pipeline without sed replaces nothing, exactly.
 */
export function sedReplacements(pipeline: readonly string[]): SedReplacements {
  const tokens: string[] = [];
  const edits: SedEdit[] = [];
  let exact = true;
  for (const stage of pipeline) {
    if (!/\bsed\b/.test(stage)) continue;
    const words = sedWords(stage);
    const read = words && sedScripts(words);
    // a sed run some other way (`$(…)`), or whose script is in a file (-f): not read
    if (!read) {
      exact = false;
      edits.push(UNREAD);
      continue;
    }
    for (const script of read.scripts) {
      const r = scriptReplacements(script, read.extended);
      r.tokens.forEach((t) => tokens.includes(t) || tokens.push(t));
      edits.push(...(r.edits ?? []));
      exact &&= r.exact;
    }
  }
  return { tokens, edits, exact };
}

/** A text as the edits leave it, and whether an edit not read, or one whose replacement is unknown, touches a namespace line. */
export interface SedEdited {
  readonly text: string;
  readonly namespaceUnknown: boolean;
}

/** A namespace a manifest's line states (`namespace: x`, `  namespace: x`, `{namespace: x}`). */
const NAMESPACE_LINE = /(^|[\s{,])namespace:/;

/**
 * A manifest's text as the edits of a sed that renders it leave it, line by line as sed reads it: each edit replaces
 * the first match of its pattern on the line, or every one with g, in any case with i; an edit whose replacement is
 * unknown (a variable the script does not set) leaves the line as written, and an edit not read may change any line:
 * either makes the namespace unknown where it could touch a namespace line.
 */
export function sedEdited(text: string, edits: readonly SedEdit[]): SedEdited {
  let namespaceUnknown = false;
  const lines = text.split('\n').map((line) => {
    let out = line;
    for (const e of edits) {
      if (e.pattern === undefined) {
        namespaceUnknown ||= NAMESPACE_LINE.test(out);
        continue;
      }
      // a `.` of the pattern matches any character, as sed's does (literalPattern keeps it)
      const re = new RegExp(e.pattern.replace(/[*+?^${}()|[\]\\]/g, '\\$&'), `${e.global ? 'g' : ''}${e.ignoreCase ? 'i' : ''}`);
      if (!re.test(out)) continue;
      re.lastIndex = 0;
      if (e.replacement === undefined) namespaceUnknown ||= NAMESPACE_LINE.test(out);
      else out = out.replace(re, () => e.replacement!);
    }
    return out;
  });
  return { text: lines.join('\n'), namespaceUnknown };
}

/** The literal tokens every sed of a line replaces (sedReplacements of each of its pipelines). */
export function sedTokens(line: string): string[] {
  if (!/\bsed\b/.test(line)) return [];
  return [...new Set(pipelinesOf(line).flatMap((p) => sedReplacements(p).tokens))];
}

/** Whether a sed token replaces text in a placeholder: one holds the other, or the token (its `.` any character) matches in it. */
export function sedReplaces(token: string, placeholder: string): boolean {
  if (placeholder.includes(token) || token.includes(placeholder)) return true;
  if (!token.includes('.')) return false;
  const body = token.replace(/[+^${}()|[\]\\*?]/g, '\\$&');
  return new RegExp(body).test(placeholder);
}
