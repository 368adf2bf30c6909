/**
 * Facts of objects computed once per check run: several rules ask for the same object's containers or requests, and
 * each answer walks (and for a service, merges) the containers again. The memo lives only while `runChecks` runs, so
 * a caller that changes an object between two runs gets fresh answers; outside a run every call computes.
 *
 * Two kinds of fact outlive a run, for a caller that checks the same objects again (a watch, an editor, a test that
 * changes one object of a tree at a time): those of a text (`perText`: a string cannot change), and those of one
 * object that read nothing but it (`perObject`), kept while the object's JSON stays what it was.
 */
let current: Map<string, Map<unknown, unknown>> | undefined;

/** Runs `run` with a memo of its own, dropped when it returns (a nested run gets its own, the outer one is restored). */
export function withRunMemo<T>(run: () => T): T {
  const outer = current;
  current = new Map();
  try {
    return run();
  } finally {
    current = outer;
  }
}

/**
 * How many times a fact read what a run knows beyond its arguments (the tree's mounted files, base ConfigMaps,
 * derived images: `readsRunContext`). A fact of one object that read any is not kept past its run.
 */
let contextReads = 0;
/** The answers of this run whose computation read the run's context, by the memo level that holds them. */
const contextual = new WeakMap<Map<unknown, unknown>, Set<unknown>>();

/** Says that the caller reads what the run knows beyond its arguments (the readers of `withMountedFiles` and the like call it). */
export function readsRunContext(): void {
  contextReads++;
}

/**
 * `compute()`, once per run for the same `fact` of the same objects (compared by identity: `undefined` is a key too).
 * The answer is shared between callers: they must not change it.
 */
export function perRun<T>(fact: string, keys: readonly unknown[], compute: () => T): T {
  if (!current) return compute();
  let level = current.get(fact);
  if (!level) current.set(fact, (level = new Map()));
  // an index loop and one lookup for a known answer: a check run asks some thousand times
  const end = keys.length - 1;
  for (let i = 0; i < end; i++) {
    let next = level.get(keys[i]) as Map<unknown, unknown> | undefined;
    if (!next) level.set(keys[i], (next = new Map()));
    level = next;
  }
  const last = keys[end];
  const known = level.get(last);
  if (known !== undefined || level.has(last)) {
    // an answer that read the run's context passes that on to the fact that asks for it
    if (contextual.get(level)?.has(last)) contextReads++;
    return known as T;
  }
  const before = contextReads;
  const value = compute();
  level.set(last, value);
  if (contextReads !== before) {
    let keys = contextual.get(level);
    if (!keys) contextual.set(level, (keys = new Set()));
    keys.add(last);
  }
  return value;
}

/** The facts kept past their run, per object, with the JSON the object had when they were computed. */
const objectFacts = new WeakMap<object, { json: string; facts: Map<string, unknown> }>();

/**
 * `compute(m)`, a fact of `m` alone (it reads no other object and nothing the caller holds): once per run, and kept
 * for the next runs while `m` is the same object with the same JSON. An answer that read the run's context
 * (`readsRunContext`) is kept for its run only. JSON equal is taken for unchanged, as the schema verdicts of
 * verdict-cache.ts take it: a caller that swaps a number for NaN or Infinity in place between runs gets the old answer.
 */
export function perObject<M extends object, T>(fact: string, m: M, compute: (m: M) => T): T {
  if (!current) return compute(m);
  return perRun(fact, [m], () => {
    const json = jsonOf(m);
    // an object JSON cannot write (a cycle a YAML alias made) is judged afresh each run
    if (json === undefined) return compute(m);
    let kept = objectFacts.get(m);
    if (!kept || kept.json !== json) objectFacts.set(m, (kept = { json, facts: new Map() }));
    if (kept.facts.has(fact)) return kept.facts.get(fact) as T;
    const before = contextReads;
    const value = compute(m);
    if (contextReads === before) kept.facts.set(fact, value);
    return value;
  });
}

/**
 * The JSON of an object, once per run (the facts kept past a run and the verdict caches key the same objects by it);
 * undefined for one JSON cannot write.
 */
export function jsonOf(m: object): string | undefined {
  return perRun('object-json', [m], () => {
    try {
      return JSON.stringify(m);
    } catch {
      return undefined;
    }
  });
}

/** The facts kept past their run, per text: a bounded number of texts per fact, forgotten together when full. */
const textFacts = new Map<string, Map<string, unknown>>();
const TEXTS_PER_FACT = 4096;

/**
 * `compute(text)`, a fact of the text alone (it reads nothing else), computed once for the same text and kept past
 * the run. The answer is shared between callers: they must not change it.
 */
export function perText<T>(fact: string, text: string, compute: (text: string) => T): T {
  let known = textFacts.get(fact);
  if (!known) textFacts.set(fact, (known = new Map<string, unknown>()));
  const value = known.get(text);
  if (value !== undefined || known.has(text)) return value as T;
  const computed = compute(text);
  if (known.size >= TEXTS_PER_FACT) known.clear();
  known.set(text, computed);
  return computed;
}

/** How many views of one object keep their answers past a run (a run judges each object under one platform and Kueue). */
const VIEWS_PER_OBJECT = 4;

/** The answers kept past their run per object and view (`keptOfObject`), with the JSON the object had. */
const viewFacts = new WeakMap<object, { json: string; views: Map<string, Map<string, unknown>> }>();

/**
 * The answers of `m` under `view` kept past their run: a map the caller fills with answers that read nothing but `m`
 * and what `view` names (a rule of one object, judged for a platform and Kueue release), kept while `m` is the same
 * object with the same JSON (as `perObject` keeps its facts). Outside a run, or for an object JSON cannot write, a
 * map of this call alone. The last few views of an object are kept.
 */
export function keptOfObject(m: object, view: string): Map<string, unknown> {
  if (!current) return new Map();
  return perRun('kept-of-object', [m, view], () => {
    const json = jsonOf(m);
    if (json === undefined) return new Map<string, unknown>();
    let kept = viewFacts.get(m);
    if (!kept || kept.json !== json) viewFacts.set(m, (kept = { json, views: new Map<string, Map<string, unknown>>() }));
    let answers = kept.views.get(view);
    if (!answers) {
      if (kept.views.size >= VIEWS_PER_OBJECT) kept.views.delete(kept.views.keys().next().value!);
      kept.views.set(view, (answers = new Map<string, unknown>()));
    }
    return answers;
  });
}

/** `compute()`, and whether it read the run's context (`readsRunContext`): such an answer is not kept past the run. */
export function readingContext<T>(compute: () => T): { value: T; readContext: boolean } {
  const before = contextReads;
  const value = compute();
  return { value, readContext: contextReads !== before };
}

/**
 * A memo key for plain data (numbers, strings, arrays, objects of them): its JSON, with the numbers JSON cannot write
 * (NaN, ±Infinity) kept apart from null and from each other.
 */
export function dataKey(value: unknown): string {
  // JSON without a replacer is several times faster; a number it cannot write comes out as null, so only a text
  // holding null needs the replacer's pass (the same key either way where there is none)
  const plain = JSON.stringify(value);
  if (plain === undefined || !plain.includes('null')) return plain;
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `#${String(v)}` : v));
}
