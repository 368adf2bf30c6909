import * as fs from 'fs';
import * as path from 'path';
import { readBounded } from './files';

/** A README of a folder: the file its host shows on the folder's page. */
const README = /^readme(\.(md|markdown|rst|txt))?$/i;
/** Bound on a README: a larger file is no folder's guide. */
const MAX_README_BYTES = 256 * 1024;

/**
 * A sentence that has the reader make something before, or apart from, what the folder applies: a prerequisite, a
 * step done first or separately, a part the folder says it does not deploy.
 */
const MADE_APART =
  /\bpre-?requisites?\b|\bseparately\b|\bbeforehand\b|\b(?:deploy|install|create|apply|set up)(?:ed)?\b[^.]*\bfirst\b|\bfirst,?\s+(?:deploy|install|create|apply)|\bbefore\s+(?:you\s+)?(?:deploy|apply|install|run)|\b(?:must|should|needs? to)\s+(?:already\s+)?(?:be\s+)?(?:deploy|install|creat|appl|running|exist)|\bdoes not (?:deploy|create|install|include)\b|\bis not (?:deployed|created|installed|included)\b|\brequires?\b[^.]*\b(?:deployed|installed|running)\b/i;
/** A heading that opens a section of such steps. */
const PREREQUISITE_HEADING = /^#{1,6}\s*(?:pre-?requisites?|requirements|before you (?:begin|start))\b/i;

/** A paragraph of a README that has the reader make something apart from the folder: where it starts, and its text. */
export interface MadeApart {
  readonly line: number;
  readonly text: string;
}

/**
 * The paragraphs of a README (blank-line separated; a list item or a heading is one of its own) that have the reader
 * make something before or apart from what the folder applies (MADE_APART), and every paragraph of a Prerequisites,
 * Requirements or "Before you begin" section. Fenced code is left out: commands are not sentences.
 */
export function madeApartParagraphs(text: string): MadeApart[] {
  return proseParagraphs(text)
    .filter((p) => p.prerequisite || MADE_APART.test(p.text))
    .map(({ line, text: joined }) => ({ line, text: joined }));
}

/**
 * A paragraph of a README's prose (blank-line separated; a list item or a heading is one of its own; fenced code left
 * out) with the heading above it, and whether it sits in a Prerequisites, Requirements or "Before you begin" section.
 */
interface ProseParagraph {
  readonly line: number;
  readonly text: string;
  readonly heading: string;
  readonly prerequisite: boolean;
}

function proseParagraphs(text: string): ProseParagraph[] {
  const out: ProseParagraph[] = [];
  let paragraph: { line: number; lines: string[] } | undefined;
  let heading = '';
  // the level of the prerequisites heading whose section the lines are in: it ends at a heading of that level or above
  let section: number | undefined;
  let fenced = false;
  const close = () => {
    const joined = paragraph?.lines.join(' ').replace(/\s+/g, ' ').trim();
    if (paragraph && joined) out.push({ line: paragraph.line, text: joined, heading, prerequisite: section !== undefined });
    paragraph = undefined;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s*>\s?/, '');
    const fence = /^\s*(```|~~~)/.test(line);
    if (fence) fenced = !fenced;
    if (fenced || fence || !line.trim()) return close();
    const level = /^(#{1,6})\s/.exec(line)?.[1].length;
    if (level !== undefined) {
      close();
      heading = line.replace(/^#+\s*/, '');
      if (PREREQUISITE_HEADING.test(line)) section = level;
      else if (section !== undefined && level <= section) section = undefined;
      return;
    }
    if (/^\s*(?:[-*+]|\d+[.)])\s/.test(line)) close();
    paragraph ??= { line: i + 1, lines: [] };
    paragraph.lines.push(line);
  });
  close();
  return out;
}

/** The README of a folder and what its paragraphs have made apart, if it has one. */
export function readmeMadeApart(folder: string): { readonly readme: string; readonly paragraphs: readonly MadeApart[] } | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((n) => README.test(n));
  } catch {
    return undefined;
  }
  for (const name of names.sort()) {
    const file = path.join(folder, name);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    const read = st?.isFile() ? readBounded(file, st, MAX_README_BYTES) : undefined;
    if (read && 'text' in read) return { readme: file, paragraphs: madeApartParagraphs(read.text) };
  }
  return undefined;
}

/** A Markdown file, whose prose may have the reader make something by hand. */
const MARKDOWN_FILE = /\.(md|markdown)$/i;

/** A step that makes something: the verb, then what it makes. */
const CREATE_VERB = /\b(?:create|creating|make|add|set up)\b/gi;
/**
 * The words a step may put between its verb and the namespace it makes: articles, the names OpenShift and OpenShift AI
 * give a namespace (a project, a Data Science Project), "named", and other names of a list of them.
 */
const CREATE_GAP =
  /^(?:\s|[,:;"'`*()]|\b(?:a|an|the|new|two|three|four|following|separate|own|your|openshift|data|science|ai|project|projects|namespace|namespaces|named|called|and|or|[a-z0-9]+(?:-[a-z0-9]+)+)\b)*$/i;
/** What a namespace is called where a README has the reader make one (an OpenShift project is a namespace). */
const NAMESPACE_WORD = /\b(?:projects?|namespaces?)\b/i;

/**
 * Where a README's prose has the reader make the namespace by hand (`create a data science project named NAME`, a
 * "Create projects" section whose steps say "Create `NAME`", `oc new-project NAME` written in a sentence): the line and
 * the paragraph; undefined where it names the namespace only otherwise (a command applying into it).
 */
export function proseCreatesNamespace(text: string, ns: string): { line: number; text: string } | undefined {
  const name = ns.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const command = new RegExp(`\\b(?:new-project|create\\s+(?:namespace|ns))\\s+["'\`]?${name}(?![a-z0-9-])`);
  for (const p of proseParagraphs(text)) {
    if (command.test(p.text)) return p;
    const named = new RegExp(`(?<![a-z0-9-])${name}(?![a-z0-9-])`, 'g');
    // the paragraph and its heading, without the name itself (`team-a-project` says project of no step)
    const context = `${p.heading} ${p.text}`.replace(named, ' ');
    if (!NAMESPACE_WORD.test(context)) continue;
    for (const verb of p.text.matchAll(CREATE_VERB)) {
      const after = p.text.slice(verb.index + verb[0].length);
      const at = after.search(new RegExp(`(?<![a-z0-9-])${name}(?![a-z0-9-])`));
      if (at >= 0 && at <= 120 && CREATE_GAP.test(after.slice(0, at))) return p;
    }
  }
  return undefined;
}

/** Where the README that runs a command (`file`, a Markdown file) has the reader make the namespace in its prose. */
export function readmeCreatesNamespace(file: string, ns: string): { line: number; text: string } | undefined {
  if (!MARKDOWN_FILE.test(file)) return undefined;
  const st = fs.statSync(file, { throwIfNoEntry: false });
  const read = st?.isFile() ? readBounded(file, st, MAX_README_BYTES) : undefined;
  return read && 'text' in read ? proseCreatesNamespace(read.text, ns) : undefined;
}
