import * as fs from 'fs';
import * as path from 'path';

/** A .gitignore larger than this is no hand-written ignore list: not read. */
const MAX_GITIGNORE_BYTES = 256 * 1024;

/** One pattern line of a .gitignore, as gitignore(5) reads it. */
interface IgnoreRule {
  readonly test: RegExp;
  readonly negated: boolean;
  /** A pattern ending in `/` matches folders only. */
  readonly folderOnly: boolean;
  readonly line: number;
  readonly text: string;
}

/**
 * A gitignore(5) pattern as a test on a path relative to the .gitignore's folder: a pattern with a `/` before its end is
 * anchored to that folder, one without matches a name at any depth; `*` and `?` stay within a segment, `**` spans
 * folders, `[...]` is a class, `\` escapes.
 */
function patternRegExp(pattern: string): RegExp {
  const anchored = pattern.slice(0, -1).includes('/') || pattern.startsWith('/');
  const body = pattern.replace(/^\//, '');
  let re = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '*' && body[i + 1] === '*') {
      const slash = body[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = body.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${body
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < body.length) re += body[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}$`);
}

/** The pattern lines of a .gitignore text: blank lines and `#` comments skipped, trailing unescaped spaces dropped. */
export function ignoreRules(text: string): IgnoreRule[] {
  const out: IgnoreRule[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) return;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/^\\([#!])/, '$1');
    const folderOnly = pattern.endsWith('/');
    out.push({ test: patternRegExp(folderOnly ? pattern.slice(0, -1) : pattern), negated, folderOnly, line: i + 1, text: line });
  });
  return out;
}

/**
 * The rule of one .gitignore that decides a file (relative to the .gitignore's folder), if one does: the last matching
 * line wins (a `!` line re-includes), and a folder the file is in that a line ignores ignores the file too (git does not
 * look inside an ignored folder, so no `!` line brings the file back).
 */
export function decidingRule(rules: readonly IgnoreRule[], relPath: string): IgnoreRule | undefined {
  const segments = relPath.split('/');
  for (let n = 1; n < segments.length; n++) {
    const folder = segments.slice(0, n).join('/');
    const hit = [...rules].reverse().find((r) => r.test.test(folder));
    if (hit && !hit.negated) return hit;
  }
  return [...rules].reverse().find((r) => !r.folderOnly && r.test.test(relPath));
}

/**
 * The .gitignore line that makes git ignore a file, said as `<.gitignore path> (line N, '<pattern>')`, read from the
 * file's folder up to the work tree's root (the folder holding .git), or up to `root` (the checked folder) when no work
 * tree encloses it; undefined when none ignores it. A file git ignores is one each user makes for themselves (a
 * credentials file), not one the repository lost.
 */
export function gitIgnoredBy(file: string, root: string | undefined): string | undefined {
  const folders: string[] = [];
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    folders.push(dir);
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }
  const top = fs.existsSync(path.join(folders[folders.length - 1], '.git')) ? folders.length : root ? folders.indexOf(path.resolve(root)) + 1 : 1;
  // the deeper .gitignore decides over the shallower one (gitignore(5): patterns of lower levels override higher ones)
  for (const dir of folders.slice(0, Math.max(top, 1))) {
    const ignore = path.join(dir, '.gitignore');
    const st = fs.statSync(ignore, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > MAX_GITIGNORE_BYTES) continue;
    const rule = decidingRule(ignoreRules(fs.readFileSync(ignore, 'utf8')), path.relative(dir, path.resolve(file)).split(path.sep).join('/'));
    if (rule) return rule.negated ? undefined : `${ignore} (line ${rule.line}, '${rule.text}')`;
  }
  return undefined;
}
