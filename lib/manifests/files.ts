import * as fs from 'fs';
import * as path from 'path';

/** Real manifests are kilobytes; the largest CRDs a few MiB. Larger files are almost always mistakes (logs, dumps). */
export const DEFAULT_MAX_FILE_BYTES = 16 * 2 ** 20;

/** A text read within the byte budget, or why it was not. */
export type Bounded = { readonly text: string } | { readonly problem: string };

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** A regular file's text, or the reason it is not read (too large, binary, unreadable). */
export function readBounded(file: string, st: fs.Stats, maxBytes: number): Bounded {
  if (st.size > maxBytes) {
    return {
      problem: `is ${(st.size / 2 ** 20).toFixed(1)} MiB, more than the ${mib(maxBytes)} a manifest file may have: not read (split it, or raise the limit)`,
    };
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return decodeText(buf, maxBytes);
}

/** Bytes as text: UTF-16 (with or without BOM) and UTF-8 (BOM dropped); binary data and oversized input refused. */
export function decodeText(buf: Buffer, maxBytes: number): Bounded {
  if (buf.length > maxBytes) return { problem: `is more than the ${mib(maxBytes)} a manifest input may have: reading stopped there, nothing of it is read` };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le') };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: swap16(buf.subarray(2)).toString('utf16le') };
  // UTF-16 without a BOM: every other byte is zero in ASCII text
  if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0 && buf[0] !== 0) return { text: buf.toString('utf16le') };
  if (buf.length >= 4 && buf[0] === 0 && buf[2] === 0 && buf[1] !== 0) return { text: swap16(buf).toString('utf16le') };
  if (buf.includes(0)) return { problem: 'is binary (it holds NUL bytes), not YAML: not read' };
  let s: string;
  try {
    // kubectl and kustomize refuse invalid UTF-8 (Go's yaml decoders); Buffer.toString would replace it silently
    s = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return { problem: `is not valid UTF-8 (${describeBadUtf8(buf)}): not read; save it as UTF-8` };
  }
  return { text: s.charCodeAt(0) === 0xfeff ? s.slice(1) : s };
}

/** Where the first byte that is not UTF-8 sits, as line and byte offset. */
function describeBadUtf8(buf: Buffer): string {
  let lo = 0;
  let hi = buf.length;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // the longest valid prefix, by bisection (a prefix may also end inside a character: allow 3 bytes of slack)
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(buf.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  const line = buf.subarray(0, lo).toString('latin1').split('\n').length;
  return `line ${line}, near byte ${lo}`;
}

function swap16(buf: Buffer): Buffer {
  const out = Buffer.from(buf.subarray(0, buf.length - (buf.length % 2)));
  return out.swap16();
}

/** Whether a path is a folder (following links); false when it cannot be read. */
export function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a folder holds a YAML file at any depth, looking at `budget` entries at most (a dependency tree is large). */
export function holdsYamlFile(dir: string, budget = 2000): boolean {
  const pending = [dir];
  while (pending.length && budget > 0) {
    const folder = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (--budget < 0) return false;
      if (e.isDirectory()) pending.push(path.join(folder, e.name));
      else if (/\.ya?ml$/.test(e.name)) return true;
    }
  }
  return false;
}

/** How a breadth-first walk of a tree goes: the folders it leaves out, the files it keeps, the order of a folder's entries, where it stops. */
export interface TreeWalk {
  /** Folders not entered, by name. */
  readonly skipFolder: (name: string) => boolean;
  /** The files kept, by name and by their folder relative to the tree ('/'-separated, '' for the tree itself). */
  readonly keep: (name: string, folder: string) => boolean;
  /** The order a folder's entries are visited in, by name: which of two files found at one depth comes first. */
  readonly order: (a: string, b: string) => number;
  /** The walk enters no further folder once it has kept this many files, or seen this many entries (a huge tree is read in part). */
  readonly maxFiles?: number;
  readonly maxEntries?: number;
}

/** Names in UTF-16 code unit order (`B` before `a`). */
export const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Names in the locale's order (`a` before `B`). */
export const localeOrder = (a: string, b: string): number => a.localeCompare(b);

/**
 * The files of a tree a walk keeps, relative to it ('/'-separated), breadth-first, a folder's entries in the walk's
 * order; symbolic links are not followed (a link may lead out of the tree), an unreadable folder is passed over.
 */
export function walkTree(root: string, walk: TreeWalk): string[] {
  const kept: string[] = [];
  const pending = [''];
  const maxFiles = walk.maxFiles ?? Infinity;
  const maxEntries = walk.maxEntries ?? Infinity;
  let entries = 0;
  while (pending.length && kept.length < maxFiles && entries < maxEntries) {
    const folder = pending.shift() as string;
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(path.join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of list.sort((a, b) => walk.order(a.name, b.name))) {
      entries++;
      const child = folder ? `${folder}/${e.name}` : e.name;
      if (e.isDirectory() && !walk.skipFolder(e.name)) pending.push(child);
      else if (e.isFile() && walk.keep(e.name, folder)) kept.push(child);
    }
  }
  return kept;
}

/** Whether a path is a symbolic link (a dangling one does not exist, yet is reported as a link). */
export function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Standard input, read in chunks up to one byte more than the cap and no further (a larger stream, `yes | check -`,
 * is cut there and reported by decodeText): memory stays bounded however long the stream runs.
 */
export function readStdin(cap: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // a non-blocking descriptor with nothing yet: wait a little instead of spinning
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    const kept = Math.min(n, cap + 1 - total);
    chunks.push(Buffer.from(chunk.subarray(0, kept)));
    total += kept;
    if (total > cap) break;
  }
  return Buffer.concat(chunks);
}

/** A path with its symlinks resolved, or made absolute when it cannot be. */
export function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
