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
