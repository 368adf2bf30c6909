import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir } from '../private/cache-dir';
import { deferCompileCacheWrite } from '../private/compile-cache';

/** A rule of the engine as an acknowledgement needs it: its id and the kinds it judges. */
export interface RuleKinds {
  readonly id: string;
  readonly appliesTo: readonly string[];
}

let known: readonly RuleKinds[] | undefined;

/**
 * Every rule of the engine, in the engine's order, with the kinds it judges: what acknowledgeFinding checks a rule
 * against. Loaded from the library's bundle (scripts/bundle-library.js), the list is kept on disk keyed by the bundle's
 * path, size and modification time, so that a synth acknowledging a finding evaluates no rule module (evaluating the
 * engine, every rule and its data tables, was a few percent of a warm step-05 synth); otherwise, and on the first
 * run of a bundle, it is read off the engine. Read once per load of this module (watch mode loads the library afresh).
 */
export function engineRuleKinds(): readonly RuleKinds[] {
  if (known === undefined) {
    const bundle = bundleOf();
    known = bundle === undefined ? fromEngine() : cached(bundle);
  }
  return known;
}

function fromEngine(): RuleKinds[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: every rule module
  const { ALL_RULES } = require('./engine') as typeof import('./engine');
  return ALL_RULES.map((r) => ({ id: r.id, appliesTo: [...r.appliesTo] }));
}

/** The library's bundle when this module runs from it (its modules have no `module.filename` there), else undefined. */
function bundleOf(): string | undefined {
  return __filename.endsWith('.js') && typeof module.filename !== 'string' ? path.join(__dirname, '..', 'index.bundle.js') : undefined;
}

/** The list kept for `bundle` as it is now, else read off the engine and kept; a read-only or full disk only costs the next run the engine. */
function cached(bundle: string): RuleKinds[] {
  const dir = cacheDir('engine-rules');
  const st = fs.statSync(bundle, { throwIfNoEntry: false });
  if (dir === null || !st) return fromEngine();
  const key = `${bundle}\0${st.size}\0${st.mtimeMs}`;
  // one file per bundle: two projects (or checkouts) sharing a cache folder would otherwise replace each other's list
  // on every run, and each run would evaluate the engine
  const file = path.join(dir, `rules-${createHash('sha1').update(bundle).digest('hex')}.json`);
  try {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: string; rules?: RuleKinds[] };
    if (kept.key === key && Array.isArray(kept.rules)) return kept.rules;
  } catch {
    // none kept yet, or a damaged file: read off the engine
  }
  // a repeated synth reads the list back: the engine's code is left out of the library's compile cache entry
  deferCompileCacheWrite();
  const rules = fromEngine();
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify({ key, rules }));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
  return rules;
}
