import * as fs from 'fs';
import * as path from 'path';
import { logicalLines, TreeScript } from './render-scripts';
import { tokensOf } from './script-commands';

/** A file of the tree a script or README hands to `kubectl patch` (or `oc patch`): a patch, not an object to create. */
export interface ScriptPatchFile {
  /** The file, absolute. */
  readonly target: string;
  /** The script, relative to the tree. */
  readonly script: string;
  readonly line: number;
}

/** `kubectl patch … --patch-file F`, `--patch-file=F` (kubectl patch's flag, kubectl 1.26+). */
const PATCH_FILE_FLAG = /^--patch-file(?:=(.*))?$/;
/** A patch read from a file in a command substitution: `-p "$(cat F)"`, `--patch="$(< F)"`. */
const READ_IN_SUBSTITUTION = /\$\(\s*(?:cat\s+|<\s*)["']?([^"')\s]+)["']?\s*\)/g;

/**
 * The files named as patches by a `kubectl|oc patch` command of a line: its `--patch-file` values and the files its
 * `-p`/`--patch` value reads in a command substitution.
 */
function patchedFilesOf(text: string): string[] {
  const tokens = tokensOf(text);
  const at = tokens.findIndex((t, i) => t === 'patch' && tokens.slice(0, i).some((w) => /(^|\/)(kubectl|oc)$/.test(w)));
  if (at < 0) return [];
  const out: string[] = [];
  for (let i = at + 1; i < tokens.length; i++) {
    const flag = PATCH_FILE_FLAG.exec(tokens[i]);
    if (flag) out.push(flag[1] ?? tokens[++i] ?? '');
  }
  for (const m of text.matchAll(READ_IN_SUBSTITUTION)) out.push(m[1]);
  return out.filter((f) => f !== '' && !/[$*?`]/.test(f));
}

/**
 * The files of a tree its scripts and READMEs hand to `kubectl patch` (`--patch-file F`, `-p "$(cat F)"`), in commented
 * lines too (a step left for the reader to run by hand): a strategic-merge or JSON patch against an object that exists,
 * never created on its own (kubectl patch reads the file as the patch body). Paths are looked for beside the script,
 * then at the tree's root.
 */
export function scriptPatchFiles(root: string, scripts: readonly TreeScript[]): ScriptPatchFile[] {
  const out: ScriptPatchFile[] = [];
  for (const { script, text } of scripts) {
    for (const l of logicalLines(text)) {
      const line = l.text.replace(/^\s*#+\s*/, '').replace(/^\s*\$\s+/, '');
      if (!/\bpatch\b/.test(line)) continue;
      for (const file of patchedFilesOf(line)) {
        const target = [path.join(root, path.dirname(script)), root].map((b) => path.resolve(b, file)).find((f) => fs.existsSync(f));
        if (target && !out.some((o) => o.target === target)) out.push({ target, script, line: l.line });
      }
    }
  }
  return out;
}
