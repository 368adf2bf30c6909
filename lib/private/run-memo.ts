/**
 * Facts of objects computed once per check run: several rules ask for the same object's containers or requests, and
 * each answer walks (and for a service, merges) the containers again. The memo lives only while `runChecks` runs, so
 * a caller that changes an object between two runs gets fresh answers; outside a run every call computes.
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
  if (known !== undefined || level.has(last)) return known as T;
  const value = compute();
  level.set(last, value);
  return value;
}
