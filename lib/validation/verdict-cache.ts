import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { SchemaFinding } from './schema-validator';
import { compareText } from '../private/collate';
import { jsonOf } from '../private/run-memo';
import { PackedTextCache } from '../private/text-cache';
import { folderStamp, installedVersion, libraryCode, runsFromBundle } from '../private/derived-cache';

/**
 * Verdicts on objects kept on disk, keyed by the object's JSON and everything the verdict depends on: the schema files,
 * the validating code and the versions of ajv and the CEL evaluator. A synth that renders what an earlier synth
 * rendered reads the verdicts back and never loads ajv, the compiled validators or the CEL library (together about two
 * thirds of a step-05 synth's cost beyond cdk8s), nor parses the schemas; a changed object, schema or validator misses
 * and is judged afresh. `T` is the verdict: the schema validator's findings, or the unknown fields of an object.
 */
export class VerdictCache<T = Omit<SchemaFinding, 'file'>[]> {
  /**
   * The cache in `dir` (none when `dir` is null) for validations against `schemaFiles`, with `choice` naming which of
   * them apply (the platform, or the CRD folder).
   */
  public static open<T = Omit<SchemaFinding, 'file'>[]>(dir: string | null, schemaFiles: readonly string[], choice: string): VerdictCache<T> | undefined {
    if (dir === null) return undefined;
    const verdicts = path.join(dir, 'verdicts');
    // the code and schemas name a folder (older ones are pruned whole), the choice a file in it
    const stamp = hashOf(`${codeIdentity()}\0${schemasStamp(schemaFiles)}`);
    pruneStale(verdicts, stamp);
    return new VerdictCache<T>(path.join(verdicts, stamp, `${hashOf(choice)}.json`));
  }

  private readonly texts: PackedTextCache;

  private constructor(file: string) {
    this.texts = new PackedTextCache(file);
  }

  /**
   * The verdict recorded for `manifest`, else `judge`'s, recorded in turn. The verdicts this process read or recorded
   * are kept in memory too (PackedTextCache): a process that judges the same objects again (a watch re-render, a second
   * check of one tree) reads no file.
   */
  public verdict(manifest: unknown, judge: () => T): T {
    // the field, value and schema caches and the facts kept past a run (run-memo.ts) key the same object: its JSON is
    // made once per check run (JSON.stringify again for one it cannot write, which throws as it did)
    const json = typeof manifest === 'object' && manifest !== null ? (jsonOf(manifest) ?? JSON.stringify(manifest)) : JSON.stringify(manifest);
    const known = this.texts.get(json);
    if (known !== undefined) {
      try {
        return JSON.parse(known) as T;
      } catch {
        // a damaged file: judged afresh
      }
    }
    const verdict = judge();
    const text = JSON.stringify(verdict);
    this.texts.put(json, text);
    // as a later run reads it back (a value JSON cannot write, Infinity, is null there too): a verdict does not depend
    // on whether the cache knew it, and a caller that keeps it past the run keeps the form every other run sees
    return text === undefined ? verdict : (JSON.parse(text) as T);
  }
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** How often the verdicts of other code and schemas are removed: the marker file's age says when it last was. */
const PRUNE_EVERY_MS = 24 * 60 * 60 * 1000;
const PRUNED_MARK = '.pruned';

/**
 * Removes from `verdicts` what other code or schemas recorded (every entry but the folder `keep`), at most once a day:
 * a folder shared by every build of a project otherwise keeps the verdicts of every version it ran (hundreds of
 * thousands of files). One stat per run; the removal runs in a process of its own, detached, so that no run waits on
 * it. Two runs that prune at once remove the same entries.
 */
function pruneStale(verdicts: string, keep: string): void {
  if (pruneLooked.has(verdicts)) return;
  pruneLooked.add(verdicts);
  const mark = path.join(verdicts, PRUNED_MARK);
  const st = fs.statSync(mark, { throwIfNoEntry: false });
  if (st && Date.now() - st.mtimeMs < PRUNE_EVERY_MS) return;
  try {
    // a new folder has nothing to prune
    const fresh = !st && !fs.existsSync(verdicts);
    fs.mkdirSync(verdicts, { recursive: true });
    fs.writeFileSync(mark, '');
    if (fresh) return;
    const remove = `const fs = require('fs'), path = require('path'); const [dir, keep, mark] = process.argv.slice(1);
      for (const e of fs.readdirSync(dir)) if (e !== keep && e !== mark) fs.rmSync(path.join(dir, e), { recursive: true, force: true });`;
    spawn(process.execPath, ['-e', remove, verdicts, keep, PRUNED_MARK], { detached: true, stdio: 'ignore' }).unref();
  } catch {
    // a read-only disk: nothing was written there to prune
  }
}
const pruneLooked = new Set<string>();

/**
 * The schemas (megabytes) by size and modification time, as scripts/ensure-built.js judges sources: cheap per run. The
 * shipped ones are the package's folder, stamped once per load (folderStamp, shared with the library's stamp); a
 * user's CRD folder is walked afresh on every call (a new list), and stamped afresh with it.
 */
function schemasStamp(files: readonly string[]): string {
  const shipped = shippedWalks.get(files);
  if (shipped !== undefined) return folderStamp(shipped);
  const hash = createHash('sha256');
  for (const f of files) {
    const st = fs.statSync(f);
    hash.update(`${f}\0${st.size}\0${st.mtimeMs}\0`);
  }
  return hash.digest('hex');
}

let code: string | undefined;

/**
 * The validating code and ajv's and CEL's versions, read once per load of this module: a run opens a cache per
 * choice of schemas, and the code does not change under a loaded module (watch mode loads the library afresh). The
 * code's files count by size and modification time, as the schemas do (their text, 1.1 MB with the CEL bundle, was
 * read and hashed on every synth).
 */
function codeIdentity(): string {
  if (code !== undefined) return code;
  const hash = createHash('sha256');
  if (runsFromBundle()) {
    // the code that runs: the library's bundle, the CEL evaluator's (the compiled modules beside it are not loaded)
    for (const f of libraryCode()) hash.update(`${folderStamp(f)}\0`);
  } else {
    const ext = path.extname(__filename);
    // the validator's code: this folder and what it calls (the platform table, names, quantities, object access)
    const files = [__dirname, path.join(__dirname, '..', 'platform'), path.join(__dirname, '..', 'private')].flatMap((d) => filesIn(d, ext));
    files.push(path.join(__dirname, '..', 'manifests', `access${ext}`));
    for (const f of files) {
      const st = fs.statSync(f);
      hash.update(`${f}\0${st.size}\0${st.mtimeMs}\0`);
    }
  }
  for (const pkg of ['ajv', '@bufbuild/cel']) hash.update(`${pkg}@${installedVersion(pkg)}\0`);
  code = hash.digest('hex');
  return code;
}

function filesIn(dir: string, ext: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The walks of folders of schemas, by folder: the package's files do not change in a run. */
const walked = new Map<string, readonly string[]>();
/** Those walks themselves, with the folder each walked. */
const shippedWalks = new WeakMap<readonly string[], string>();

/** The files a validator may read its schemas from: every shipped one (all platforms), or those under `crdDir`. */
export function schemaFiles(shippedRoot: string, crdDir?: string): readonly string[] {
  const root = crdDir ?? shippedRoot;
  // a user's CRD folder may change between two runs of one process (watch mode): walked afresh
  if (crdDir !== undefined) return walkSchemas(root);
  const known = walked.get(root);
  if (known) return known;
  const files = walkSchemas(root);
  walked.set(root, files);
  shippedWalks.set(files, root);
  return files;
}

function walkSchemas(root: string): string[] {
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => compareText(a.name, b.name))
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.ya?ml$|\.json$/.test(e.name) ? [path.join(d, e.name)] : []));
  return walk(root);
}
