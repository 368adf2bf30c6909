import * as fs from 'fs';
import * as path from 'path';
import { readBounded } from './files';
import { gitCheckoutOf } from './git-checkout';
import { logicalLines } from './script-text';
import { workTreeRoot } from './work-tree';

/** How much of a sourced library is read: a helpers file is small. */
const MAX_LIBRARY_BYTES = 256 * 1024;
/** A line that loads another file into the shell: `source FILE` or `. FILE` (bash builtins). */
const SOURCE_LINE = /^\s*(?:source|\.)\s+("[^"]*"|'[^']*'|[^\s;&|]+)/;
/** How a script names itself: `$0`, `${BASH_SOURCE[0]}`. */
const SELF = String.raw`(?:\$0|\$\{0\}|\$\{BASH_SOURCE(?:\[0\])?\}|\$BASH_SOURCE)`;
/** A value naming the script's own folder: `$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)`, `$(dirname "$0")`. */
const OWN_FOLDER = new RegExp(String.raw`^"?\$\(\s*(?:cd\s+"?\$\(\s*dirname\s+"?${SELF}"?\s*\)"?\s*(?:&&|;)\s*pwd(?:\s+-P)?|dirname\s+"?${SELF}"?)\s*\)"?$`);
/** The same, written inside a word: `"$(dirname "$0")/lib.sh"`. */
const OWN_FOLDER_INLINE = new RegExp(String.raw`\$\(\s*dirname\s+"?${SELF}"?\s*\)`, 'g');

/** The variables a script sets to its own folder (`SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"`). */
function ownFolderVariables(text: string): Set<string> {
  const out = new Set<string>();
  for (const { text: t } of logicalLines(text)) {
    const m = /^\s*(?:(?:export|readonly|local|declare(?:\s+-\w+)?)\s+)?([A-Za-z_]\w*)=(\S.*?)\s*$/.exec(t);
    if (m && OWN_FOLDER.test(m[2])) out.add(m[1]);
  }
  return out;
}

/** The file a `source` word names, from the script's folder; undefined when it rests on anything else the shell sets. */
function sourcedPath(word: string, own: ReadonlySet<string>, folder: string): string | undefined {
  let w = word.replace(/^["']|["']$/g, '').replace(OWN_FOLDER_INLINE, '.');
  for (const v of own) w = w.replace(new RegExp(String.raw`\$\{${v}\}|\$${v}(?!\w)`, 'g'), '.');
  if (/[$`*?~]/.test(w)) return undefined;
  return path.resolve(folder, w);
}

/**
 * The files the shell scripts of a tree load with `source` or `.` (a helpers library: `source "$SCRIPT_DIR/../../lib/common.sh"`,
 * `. ./lib.sh`), read for the functions they define: the script runs them as its own. A path is taken from the
 * script's folder (through a variable set to it, or as written: a script run from its folder), and read only where
 * it lies within the git work tree the tree is in (within the tree itself when it is in none); the tree's own
 * scripts are not repeated.
 */
export function sourcedLibraryTexts(root: string, scripts: readonly { script: string; text: string }[]): string[] {
  const checkout = gitCheckoutOf(root);
  const real = fs.realpathSync(root);
  const bound = checkout ? workTreeRoot(checkout, real) : real;
  const own = new Set(scripts.map((s) => path.resolve(real, s.script)));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of scripts) {
    if (/\.(md|markdown)$/i.test(s.script)) continue;
    const vars = ownFolderVariables(s.text);
    for (const { text: t } of logicalLines(s.text)) {
      const m = SOURCE_LINE.exec(t);
      const file = m ? sourcedPath(m[1], vars, path.resolve(real, path.dirname(s.script))) : undefined;
      if (!file || own.has(file) || seen.has(file) || !(file === bound || file.startsWith(`${bound}${path.sep}`))) continue;
      seen.add(file);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      const read = st?.isFile() ? readBounded(file, st, MAX_LIBRARY_BYTES) : undefined;
      if (read && 'text' in read) out.push(read.text);
    }
  }
  return out;
}
