import * as fs from 'fs';
import * as path from 'path';

/**
 * Replaces `outdir` with `files`: everything is written into a sibling staging folder first, then swapped
 * in by two renames (outdir → old, staging → outdir), and the old tree removed. A reader sees the old tree or the
 * new one, never a mix. (It guards against kills and failures, not power loss: files are not fsynced.)
 *
 * POSIX has no atomic exchange of two non-empty folders that Node can call, so a kill between the two renames
 * leaves `outdir` missing for the instant between them; the next run repairs that first: it puts the old tree back
 * (a staging folder is only complete once renamed), and removes staging and old folders that no live process owns.
 */
export function writeTreeAtomically(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = path.resolve(outdir);
  recoverInterruptedWrite(target);
  const staging = `${target}.staging-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  for (const [file, content] of files) {
    const full = path.join(staging, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  const existed = fs.existsSync(target);
  if (existed) fs.renameSync(target, old);
  fs.renameSync(staging, target);
  if (existed) fs.rmSync(old, { recursive: true, force: true });
}

/** Repairs what a killed write left beside `target`: restores a moved-away tree, removes stale staging and old folders. */
export function recoverInterruptedWrite(target: string): void {
  const dir = path.dirname(target);
  const base = path.basename(target);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  const leftovers = entries
    .map((e) => ({ name: e, m: new RegExp(`^${escapeRegExp(base)}\\.(staging|old)-(\\d+)$`).exec(e) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => !!x.m)
    .filter((x) => Number(x.m[2]) !== process.pid && !isAlive(Number(x.m[2])));
  const olds = leftovers.filter((x) => x.m[1] === 'old');
  if (!fs.existsSync(target) && olds.length) {
    // killed between the renames: the old tree is the last complete one
    fs.renameSync(path.join(dir, olds[0].name), target);
  }
  for (const x of leftovers) fs.rmSync(path.join(dir, x.name), { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
