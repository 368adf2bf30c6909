/**
 * What envsubst fills when a script pipes a manifest through it into an apply, read from the command line (GNU
 * gettext envsubst: `envsubst [SHELL-FORMAT]`; with a SHELL-FORMAT argument only the variables it references are
 * substituted, without one every `$VARIABLE` and `${VARIABLE}` of the input is).
 */

/**
 * Python's os.path.expandvars as a renderer: it replaces `$name` and `${name}` of the variables the process's
 * environment holds and leaves any other as written (Python docs, os.path.expandvars: "references to non-existing
 * variables are left unchanged"; Lib/posixpath.py expandvars), so what it fills is what the script exports. A script
 * running it is read as one running envsubst with those variables named.
 */
export const EXPANDVARS = 'os.path.expandvars';

/** The variables envsubst fills in its input: all of them, or those its SHELL-FORMAT argument names. */
export type EnvsubstFills = 'all' | readonly string[];

/** Where a line runs envsubst as a command (after a pipe, `;`, `&&`, `(` or at its start, a path prefix allowed). */
const ENVSUBST_COMMAND = /(?:^|[\s|;&(])(?:[\w./-]*\/)?envsubst(?=$|[\s|;&)<>])/;

/** A variable reference as envsubst's SHELL-FORMAT reads it: `$NAME` or `${NAME}` (gettext envsubst.c find_variables). */
const FORMAT_REFERENCE = /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g;

/** A `$` the shell expands before envsubst sees the word: a variable, `${…}` or `$(…)`. */
const EXPANDED = /^\$[A-Za-z_{(]/;

/** An operator that ends a command's words. */
const WORD_END = /[|;&<>)]/;

/** The words of a command up to its end (a pipe, `;`, `&`, a redirection), quotes removed; `dynamic` when the shell makes one of them at run time. */
function commandWords(text: string): { words: string[]; dynamic: boolean } {
  const words: string[] = [];
  let word: string | undefined;
  let dynamic = false;
  const push = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word = (word ?? '') + text.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? text.length : end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) word = (word ?? '') + text[++j];
        else {
          if (EXPANDED.test(text.slice(j))) dynamic = true;
          word = (word ?? '') + text[j];
        }
      }
      word ??= '';
      i = j;
    } else if (c === '\\') {
      // a backslash before a blank is what is left of a line continued with `\`
      if (/\s/.test(text[i + 1] ?? ' ')) push();
      else word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) push();
    else if (WORD_END.test(c)) break;
    else {
      if (c === '$' && EXPANDED.test(text.slice(i))) dynamic = true;
      word = (word ?? '') + c;
    }
  }
  push();
  return { words, dynamic };
}

/**
 * What the envsubst a shell line runs fills: every variable (no SHELL-FORMAT argument) or the names its SHELL-FORMAT
 * references (`envsubst '${POOL_NAME} ${VLLM_IMAGE}'`, `envsubst \${POOL_NAME}`, a Makefile's `'$$NAME $$TAG'`).
 * Undefined where the line runs no envsubst, where envsubst only lists variables (-v, --variables), and where the
 * shell makes the argument when it runs (`"$VARS"`, `$(…)`, an unescaped `${A}` outside single quotes, which the
 * shell expands before envsubst reads it): what it fills is then not known.
 */
export function envsubstFills(line: string): EnvsubstFills | undefined {
  const at = ENVSUBST_COMMAND.exec(line);
  if (!at) return undefined;
  // each envsubst of the pipeline passes on what it does not fill, so the pipeline fills the union of what each does
  const pipeline = line.slice(at.index, at.index + pipelineEnd(line.slice(at.index)));
  const stages = [...pipeline.matchAll(new RegExp(ENVSUBST_COMMAND.source, 'g'))].map((m) => stageFills(pipeline.slice(m.index + m[0].length)));
  if (stages.some((f) => f === undefined)) return undefined;
  if (stages.some((f) => f === 'all')) return 'all';
  return [...new Set(stages.flatMap((f) => (f === 'all' || f === undefined ? [] : f)))];
}

/**
 * Where the pipeline a text starts with ends: at the first `;`, `&&`, `||`, `&` (not a redirection's `>&`, `&>`) or
 * line break outside quotes, or at the text's end; a line continued with `\` goes on.
 */
function pipelineEnd(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === ';' || c === '\n' || (c === '|' && text[i + 1] === '|')) return i;
    else if (c === '&' && text[i - 1] !== '>' && text[i + 1] !== '>') return i;
  }
  return text.length;
}

/** What one envsubst command fills, from the text after its name (envsubstFills). */
function stageFills(after: string): EnvsubstFills | undefined {
  const { words, dynamic } = commandWords(after);
  if (words.some((w) => w === '-v' || w.startsWith('--variables'))) return undefined;
  const format = words.filter((w) => w !== '--' && !/^-/.test(w));
  if (!format.length) return 'all';
  if (dynamic) return undefined;
  const names = [...format.join(' ').matchAll(FORMAT_REFERENCE)].map((m) => m[1] ?? m[2]);
  return [...new Set(names)];
}

/** A stage of a pipeline that applies what it reads (`| kubectl apply -f -`, `| oc create -f -`, a wrapper: `| $KUBECTL apply -f -`). */
const APPLY_STAGE = /\|(?!\|)[^|;&]*\b(?:apply|create)\b[^|;&]*?\s(?:-f\s*-|--filename[=\s]-)(?=$|[\s|;&)])/;

/**
 * What the envsubst of a line fills in what the line applies: its fills (envsubstFills) where a later stage of the
 * pipeline applies the output as it comes out (`kustomize build . | envsubst | kubectl apply -f -`, another filter
 * between them allowed); undefined otherwise (the output written to a file, or not applied).
 */
export function envsubstApplied(line: string): EnvsubstFills | undefined {
  const at = ENVSUBST_COMMAND.exec(line);
  if (!at || !APPLY_STAGE.test(line.slice(at.index))) return undefined;
  return envsubstFills(line);
}

/** Whether envsubst fills a variable. */
export function fillsVariable(fills: EnvsubstFills, name: string): boolean {
  return fills === 'all' || fills.includes(name);
}
