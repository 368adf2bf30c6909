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
  const out: MadeApart[] = [];
  let paragraph: { line: number; lines: string[] } | undefined;
  let section: number | undefined;
  let fenced = false;
  const close = () => {
    const joined = paragraph?.lines.join(' ').replace(/\s+/g, ' ').trim();
    if (paragraph && joined && (section !== undefined || MADE_APART.test(joined))) out.push({ line: paragraph.line, text: joined });
    paragraph = undefined;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s*>\s?/, '');
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || /^\s*(```|~~~)/.test(line) || !line.trim()) return close();
    const heading = /^(#{1,6})\s/.exec(line);
    if (heading) {
      close();
      if (PREREQUISITE_HEADING.test(line)) section = heading[1].length;
      else if (section !== undefined && heading[1].length <= section) section = undefined;
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
