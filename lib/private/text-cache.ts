import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** How many texts a cache keeps in memory: a tree of thousands of objects, at most some tens of megabytes of JSON. */
const RECENT_TEXTS = 4096;

/**
 * Texts kept on disk in `dir`, one file per key, named by the hash of `identity` (what the texts depend on besides the
 * key) and the key; the texts this process read or wrote are kept in memory too. A read-only or full disk only costs
 * the next run a recomputation.
 */
export class TextCache {
  private readonly recent = new Map<string, string>();

  constructor(
    private readonly dir: string,
    private readonly identity: string,
  ) {}

  /** The text kept for `key`, if any. */
  public get(key: string): string | undefined {
    const known = this.recent.get(key);
    if (known !== undefined) return known;
    const file = this.fileOf(key);
    // a miss asked first: a read of a missing file throws, which costs ten times the look (a check of a new tree misses on every object)
    if (!fs.existsSync(file)) return undefined;
    try {
      const text = fs.readFileSync(file, 'utf8');
      this.remember(key, text);
      return text;
    } catch {
      return undefined;
    }
  }

  /** Keeps `text` for `key`, written whole or not at all (a temporary file renamed). */
  public put(key: string, text: string): void {
    this.remember(key, text);
    const file = this.fileOf(key);
    const tmp = `${file}.${process.pid}.tmp`;
    const write = () => {
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
    };
    try {
      // the folder made only when a write finds it missing: made once, not looked for on every text
      try {
        write();
      } catch {
        fs.mkdirSync(this.dir, { recursive: true });
        write();
      }
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }

  private remember(key: string, text: string): void {
    if (this.recent.size >= RECENT_TEXTS) this.recent.clear();
    this.recent.set(key, text);
  }

  private fileOf(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(`${this.identity}\0${key}`).digest('hex').slice(0, 40)}.json`);
  }
}

/** How many texts one packed file keeps: the objects of several trees of hundreds of services. */
const PACKED_TEXTS = 16384;

/** A packed file as this process knows it: its texts, those it has not written yet, and its stat when last read or written. */
interface PackedFile {
  texts: Map<string, string>;
  /** The keys read or written by this process: kept first when the file is full. */
  used: Set<string>;
  dirty: boolean;
  stat: string;
}

/** The packed files this process opened, by path: every cache of one file shares what it read and wrote. */
const packedFiles = new Map<string, PackedFile>();
let flushScheduled = false;
let exitHooked = false;

function statOf(file: string): string {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? `${st.size} ${st.mtimeMs}` : 'none';
}

/** The texts of `file`, or none when it is missing or damaged (a damaged file is written afresh). */
function readPacked(file: string): Map<string, string> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return new Map();
    return new Map(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map();
  }
}

/**
 * Writes every packed file this process changed, each whole or not at all (a temporary file renamed): a run writes
 * its new texts once, after it, not one file per text. Texts another process wrote meanwhile are kept (the file is
 * read again when its stat changed); when two write at once, the last one's texts stay and the other's are computed
 * again by a later run.
 */
export function flushPackedTexts(): void {
  flushScheduled = false;
  for (const [file, packed] of packedFiles) {
    if (!packed.dirty) continue;
    packed.dirty = false;
    if (statOf(file) !== packed.stat) for (const [k, t] of readPacked(file)) if (!packed.texts.has(k)) packed.texts.set(k, t);
    // a full file keeps this process's texts first, then the most recent of the others
    const keys = [...packed.used, ...[...packed.texts.keys()].reverse().filter((k) => !packed.used.has(k))].slice(0, PACKED_TEXTS);
    const out: Record<string, string> = {};
    for (const k of keys) out[k] = packed.texts.get(k)!;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      try {
        fs.writeFileSync(tmp, JSON.stringify(out));
      } catch {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(tmp, JSON.stringify(out));
      }
      fs.renameSync(tmp, file);
      packed.stat = statOf(file);
    } catch {
      // a read-only or full disk only costs the next run a recomputation
      fs.rmSync(tmp, { force: true });
    }
  }
}

/**
 * Texts kept on disk in one file, `file`, keyed by a hash of the key: a run that reads a thousand verdicts opens one
 * file instead of a thousand. The file is looked at (one stat) when a cache opens it; it is read when its stat
 * differs from what this process last read or wrote, as TextCache asks for a file before reading it. New texts are
 * written after the run (flushPackedTexts: when the process has nothing left to do, and at its exit).
 */
export class PackedTextCache {
  private packed: PackedFile | undefined;

  constructor(private readonly file: string) {}

  /** The text kept for `key`, if any. */
  public get(key: string): string | undefined {
    const packed = this.open();
    const k = keyHash(key);
    const text = packed.texts.get(k);
    if (text !== undefined) packed.used.add(k);
    return text;
  }

  /** Keeps `text` for `key`, written with the others after the run. */
  public put(key: string, text: string): void {
    const packed = this.open();
    const k = keyHash(key);
    packed.texts.set(k, text);
    packed.used.add(k);
    packed.dirty = true;
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushPackedTexts).unref();
      if (!exitHooked) process.once('exit', flushPackedTexts);
      exitHooked = true;
    }
  }

  private open(): PackedFile {
    if (this.packed) return this.packed;
    let packed = packedFiles.get(this.file);
    const stat = statOf(this.file);
    if (!packed) packedFiles.set(this.file, (packed = { texts: new Map(), used: new Set(), dirty: false, stat: 'none' }));
    if (stat !== packed.stat) {
      // changed on disk since this process knew it (or never read): read again, this process's unwritten texts kept
      const texts = stat === 'none' ? new Map<string, string>() : readPacked(this.file);
      if (packed.dirty) for (const k of packed.used) if (packed.texts.has(k)) texts.set(k, packed.texts.get(k)!);
      packed.texts = texts;
      packed.stat = stat;
    }
    this.packed = packed;
    return packed;
  }
}

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 27);
}
