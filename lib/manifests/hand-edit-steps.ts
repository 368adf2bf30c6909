import * as fs from 'fs';
import * as path from 'path';
import { readBounded } from './files';
import { CAPITAL_IMAGE_LINE, CAPITAL_SLOT_LINE, PLACEHOLDER_WORD } from './placeholder-word';

/**
 * Where a tree tells its reader to set a placeholder of a manifest by hand before applying it: the file's own comment
 * beside the value (`image: ${IMAGE_REGISTRY}/server # change for your registry`), or a step of a Markdown document
 * above it ("Edit the InferenceService to set:" followed by a block that shows the placeholder, or "Replace
 * IMAGE_NAME with the image you built"). Such a file is a template its reader fills, not a manifest applied as it is.
 */

/** Words of a step that has the reader write a value: edit, replace, change, set (not "set up"), update, fill in. */
const EDIT_VERB = /\b(?:edit|replace|change|set(?!\s*up\b)|update|modify|adjust|fill\s+in|customi[sz]e)\b/i;
/**
 * Placeholders a reader fills by hand or a renderer fills: `${VAR}`, `{{ … }}`, and a `<NAME>` a guide has its reader
 * replace (`<YOUR-ACR-NAME>`: a capital, `-` or `_` in it, unlike a chat model's `<think>` or an HTML tag).
 */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{[^{}\n]*\}\}|<(?=[\w.-]*[A-Z_-])[A-Za-z][\w.-]*>/g;
/** PLACEHOLDER, for one test of a line. */
const PLACEHOLDER_IN = new RegExp(PLACEHOLDER.source);
/** How many lines after a step's sentence its code block may start (blank lines, a short note). */
const STEP_GAP = 3;
/** A list item of a Markdown document (`- x`, `* x`, `1. x`). */
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;
/** How many lines of a heading's section a step reads: a guide's preamble, not the whole document. */
const SECTION_LINES = 40;
/** Documents larger than this are no deployment guide. */
const MAX_DOC_BYTES = 512 * 1024;

/**
 * The placeholders a file holds outside its comments, in the order written: those of PLACEHOLDER, an image written
 * as one upper-case identifier (`image: IMAGE_NAME`, CAPITAL_IMAGE_LINE), the slot a guide has its reader fill, a
 * volume source's capital slot (`bucketName: GCS_BUCKET`, CAPITAL_SLOT_LINE) and a placeholder word (PLACEHOLDER_WORD).
 */
function placeholdersOf(source: string): string[] {
  const uncommented = source.replace(/(^|\s)#.*$/gm, '$1');
  const slots = uncommented
    .split('\n')
    .flatMap((l) => [CAPITAL_IMAGE_LINE.exec(l)?.[2], CAPITAL_SLOT_LINE.exec(l)?.[2], PLACEHOLDER_WORD.exec(l)?.[0]].filter((t) => t !== undefined));
  return [...new Set([...(uncommented.match(PLACEHOLDER) ?? []), ...slots])];
}

/**
 * Whether a file line, its comment cut off, holds a placeholder: PLACEHOLDER, a capital image (CAPITAL_IMAGE_LINE), a
 * capital slot of a volume source (CAPITAL_SLOT_LINE), or a placeholder word (`YOUR_NFS_SERVER_IP`, PLACEHOLDER_WORD).
 */
const holdsPlaceholder = (value: string) =>
  PLACEHOLDER_IN.test(value) || CAPITAL_IMAGE_LINE.test(value) || CAPITAL_SLOT_LINE.test(value) || PLACEHOLDER_WORD.test(value);

/**
 * Whether a step's text shows a placeholder: as written; an upper-case identifier (`IMAGE_NAME`) as a whole word only,
 * so that `IMAGE` is not read inside `IMAGE_TAG` or `MY_IMAGE`.
 */
function shows(text: string, token: string): boolean {
  if (!/^[A-Z][A-Z0-9_]*$/.test(token)) return text.includes(token);
  return new RegExp(`(?<![A-Za-z0-9_])${token}(?![A-Za-z0-9_])`).test(text);
}

/**
 * A comment beside a placeholder that has the reader set it: trailing on its line, or the comment line just above it.
 * fillInComment (render-scripts.ts) reads a comment that names the variable itself, anywhere in the file.
 */
export function editCommentBeside(source: string): string | undefined {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*#/.test(lines[i])) continue;
    const [value, ...comment] = lines[i].split(/\s#/);
    if (!holdsPlaceholder(value)) continue;
    const trailing = comment.join(' #').trim();
    if (trailing && EDIT_VERB.test(trailing)) return `# ${trailing}`.slice(0, 120);
    const above = i > 0 ? /^\s*#\s*(.*)$/.exec(lines[i - 1]) : null;
    if (above && EDIT_VERB.test(above[1])) return `# ${above[1].trim()}`.slice(0, 120);
  }
  return undefined;
}

/** A step of a document: the sentence with the edit verb, its line, and the code block that follows it. */
interface Step {
  readonly line: number;
  readonly text: string;
  readonly block: string;
}

/**
 * What a step shows after its sentence: the code block that follows it, the list that follows it ("replace these:"
 * then `- <YOUR-ACR-NAME>: …`), or, for a heading ("## Before you run anything (replace placeholders)"), its section.
 */
function stepBlock(lines: readonly string[], i: number): string {
  const fence = (x: string) => /^\s*(```|~~~)/.test(x);
  if (/^\s*#{1,6}\s/.test(lines[i])) {
    const next = lines.findIndex((x, j) => j > i && /^\s*#{1,6}\s/.test(x));
    return lines.slice(i + 1, next < 0 ? Math.min(lines.length, i + 1 + SECTION_LINES) : Math.min(next, i + 1 + SECTION_LINES)).join('\n');
  }
  const start = lines.findIndex((x, j) => j > i && j <= i + STEP_GAP + 1 && (fence(x) || LIST_ITEM.test(x)));
  if (start < 0) return '';
  if (!fence(lines[start])) {
    const end = lines.findIndex((x, j) => j > start && !LIST_ITEM.test(x));
    return lines.slice(start, end < 0 ? undefined : end).join('\n');
  }
  const end = lines.findIndex((x, j) => j > start && fence(x));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The steps of a Markdown document that have the reader edit something, each with what it shows (stepBlock). */
function editSteps(text: string): Step[] {
  const lines = text.split('\n');
  const steps: Step[] = [];
  let fenced = false;
  lines.forEach((l, i) => {
    if (/^\s*(```|~~~)/.test(l)) fenced = !fenced;
    if (fenced || !EDIT_VERB.test(l)) return;
    steps.push({ line: i + 1, text: l.trim(), block: stepBlock(lines, i) });
  });
  return steps;
}

/**
 * The Markdown documents of a folder, read once per folder: their edit steps.
 */
export class EditSteps {
  private readonly byFolder = new Map<string, { doc: string; steps: Step[] }[]>();

  /**
   * The document step, in the file's folder or one above it up to `root`, that has the reader set a placeholder of
   * the file by hand: its sentence or the block after it shows the placeholder, or its sentence names the file.
   */
  public stepFor(file: string, source: string, root: string): string | undefined {
    const tokens = placeholdersOf(source);
    if (!tokens.length) return undefined;
    const name = path.basename(file);
    for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
      for (const { doc, steps } of this.docsOf(dir)) {
        const step = steps.find((s) => s.text.includes(name) || tokens.some((t) => shows(s.text, t) || shows(s.block, t)));
        if (step) return `${path.relative(root, doc) || path.basename(doc)} (line ${step.line}) has the reader edit it ('${step.text.slice(0, 100)}')`;
      }
      const rel = path.relative(path.resolve(root), dir);
      if (!rel || rel.startsWith('..') || path.dirname(dir) === dir) return undefined;
    }
  }

  private docsOf(dir: string): { doc: string; steps: Step[] }[] {
    const known = this.byFolder.get(dir);
    if (known) return known;
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(dir).filter((e) => /\.(md|markdown)$/i.test(e));
    } catch {
      // a folder that cannot be listed holds no document to read
    }
    const docs = entries.sort().flatMap((e) => {
      const full = path.join(dir, e);
      const st = fs.statSync(full, { throwIfNoEntry: false });
      const read = st?.isFile() ? readBounded(full, st, MAX_DOC_BYTES) : undefined;
      return read && 'text' in read ? [{ doc: full, steps: editSteps(read.text) }] : [];
    });
    this.byFolder.set(dir, docs);
    return docs;
  }
}
