import * as fs from 'fs';
import * as path from 'path';
import { expansions, rendererOf, sharedFolders } from './render-scripts';
import { logicalLines, TreeScript, variablesOf } from './script-text';
import { invocationOf, tokensOf } from './script-commands';

/** A file a script of the tree writes: the script (relative to the tree), the line, and how (`envsubst | sponge`, `cp`). */
export interface WrittenBy {
  readonly script: string;
  readonly line: number;
  readonly how: string;
}

/** Commands that write the file named by their last word (`cp src dst`), or by each word after their options (`tee a b`). */
const LAST_WORD_WRITERS = new Set(['cp', 'mv', 'install']);
const ALL_WORD_WRITERS = new Set(['sponge', 'tee']);
/** A redirect to a file (`> x`, `>> x`, `2> x`), not to a descriptor (`>&2`) nor a here-document (`<<`). */
const REDIRECT = /(?<![<>])>>?[ \t]*("[^"]*"|'[^']*'|[^\s;&|<>()]+)/g;

/**
 * A path as a script writes it, reduced to what can be matched in the tree: its trailing segments after the last one
 * that holds a variable (`${MY_PATH}/base/vllm.env` is `base/vllm.env`); undefined for a device, a URL or a folder
 * held whole in a variable.
 */
function writtenPattern(word: string): string | undefined {
  if (word.includes('://') || word.startsWith('/dev/') || word.startsWith('&') || word.startsWith('-')) return undefined;
  const kept: string[] = [];
  for (const s of word.split('/').reverse()) {
    // one `*` in the file name comes of a loop over a glob (`for t in *.yaml.template … > "${t%.template}.local"`)
    const glob = kept.length === 0 && /^[^*?`]*\*[^*?`]*$/.test(s) && s !== '*';
    if (s.includes('$') || s === '' || s === '.' || s === '..' || s === '~' || (/[*?`]/.test(s) && !glob)) break;
    kept.unshift(s);
  }
  return kept.length ? kept.join('/') : undefined;
}

/** The words a command of a line writes to: its redirects, and the targets of cp/mv/install, sponge and tee. */
function writtenWords(segment: string): string[] {
  const out = [...segment.matchAll(REDIRECT)].map((m) => m[1].replace(/^["']|["']$/g, ''));
  const words = tokensOf(segment.replace(REDIRECT, ' '));
  const { program = '', at } = invocationOf(words);
  const args = words.slice(at + 1).filter((w) => !w.startsWith('-'));
  if (LAST_WORD_WRITERS.has(program) && args.length >= 2) out.push(args[args.length - 1]);
  if (ALL_WORD_WRITERS.has(program)) out.push(...args);
  return out;
}

/** The files a script writes, as patterns of trailing path segments, with the line and how. */
export function writeTargets(text: string, markdown = false): { pattern: string; line: number; how: string }[] {
  const vars = variablesOf(text);
  const out: { pattern: string; line: number; how: string }[] = [];
  let fenced = false;
  for (const { line, text: t } of logicalLines(text)) {
    // of a Markdown file, only the commands of its fenced blocks (prose says "Settings > Secrets")
    if (markdown && /^\s*(`{3,}|~{3,})/.test(t)) fenced = !fenced;
    if ((markdown && !fenced) || /^\s*(#|`{3,}|~{3,})/.test(t)) continue;
    for (const segment of t.split(/&&|\|\||[;|]/)) {
      const command = invocationOf(tokensOf(segment)).program;
      const how = [rendererOf(t), segment.search(REDIRECT) >= 0 ? 'a redirect' : command].filter(Boolean).join(' and ');
      for (const w of writtenWords(segment)) {
        for (const candidate of expansions(w, vars)) {
          const pattern = writtenPattern(candidate);
          if (pattern && !out.some((o) => o.pattern === pattern && o.line === line)) out.push({ pattern, line, how });
        }
      }
    }
  }
  return out;
}

/**
 * The files the scripts of a tree write (`envsubst < x.tpl.env | sponge base/x.env`, `cat > x.env`, `cp a b`): a file a
 * kustomization lists that is not in the tree but that a script writes before the build is no missing file.
 */
export class WriteIndex {
  private readonly targets: (WrittenBy & { readonly test: RegExp })[] = [];

  constructor(
    private readonly root: string,
    scripts: readonly TreeScript[],
  ) {
    for (const { script, text } of scripts) {
      for (const t of writeTargets(text, /\.(md|markdown)$/i.test(script))) this.targets.push({ script, line: t.line, how: t.how, test: trailing(t.pattern) });
    }
  }

  /**
   * The script that writes a file of the tree (the nearest of several), if one does. A file a loop over a glob writes
   * (`*.yaml.local`) counts only with its source beside it: a file whose name is what the `*` stood for followed by a
   * dot (`pvc.yaml.template` for `pvc.yaml.local`).
   */
  public writtenBy(file: string): WrittenBy | undefined {
    const relative = path.relative(this.root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) return undefined;
    const hit = this.targets
      .filter((t) => {
        const m = t.test.exec(relative);
        return m && (m[2] === undefined || hasSource(file, m[2]));
      })
      .sort((x, y) => sharedFolders(y.script, relative) - sharedFolders(x.script, relative))[0];
    return hit && { script: hit.script, line: hit.line, how: hit.how };
  }
}

/** A pattern of trailing segments as a test on a path relative to the tree. */
function trailing(pattern: string): RegExp {
  const [before, after] = pattern.split('*').map((p) => p.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'));
  return new RegExp(`(^|/)${before}${after === undefined ? '' : `([^/]+)${after}`}$`);
}

/** Whether the folder of a file written from a glob holds another file named `<stem>.…`: the source it is rendered from. */
function hasSource(file: string, stem: string): boolean {
  const name = path.basename(file);
  try {
    return fs.readdirSync(path.dirname(file)).some((e) => e !== name && e.startsWith(`${stem}.`));
  } catch {
    return false;
  }
}
