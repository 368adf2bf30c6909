import { keptOfObject, perRun, readingContext } from '../private/run-memo';
import type { GraphObject } from './graph-object';
import type { CheckContext, Problem, Rule } from './rule';

/**
 * The check of a rule that declares `scope: 'object'`: it reads the object it reports on, the platform and the Kueue
 * release, nothing else. Such a rule is passed a context whose graph and modelOf cannot be reached (reading either is
 * an error naming the rule, which the engine does not soften into a finding: a wrong declaration fails its tests
 * instead of giving a verdict kept from another tree), and its problems are kept past the run per object, while the
 * object keeps its JSON and the run judges it for the same platform and Kueue (a watch, a test that changes one object
 * of a tree at a time). A check that reads what the run knows beyond its arguments (the tree's mounted files: run-memo's
 * readsRunContext) is judged afresh each run.
 */
export function objectScopedProblems(rule: Rule, o: GraphObject, ctx: CheckContext): Problem[] {
  // one lookup per object and context for each of the run's rules of one object (some 15,000 asks on a 500-service tree)
  const kept = perRun('object-scope-kept', [o, ctx], () => keptOfObject(o.manifest, viewKey(o, ctx)));
  const known = kept.get(rule.id) as Problem[] | undefined;
  if (known) return known;
  const view = objectView(ctx);
  const breach = view.breach;
  const before = breach.reads;
  const broken = () => breach.reads !== before && new ScopeBreach(rule.id, breach.read);
  let judged: { value: Problem[]; readContext: boolean };
  try {
    judged = readingContext(() => rule.check(o, view.ctx));
  } catch (e) {
    throw broken() || e;
  }
  // a rule that caught the error itself broke its declaration all the same
  const breached = broken();
  if (breached) throw breached;
  const { value, readContext } = judged;
  // a problem said on another object (Problem.on) names an object of this run
  if (!readContext && !value.some((p) => p.on)) kept.set(rule.id, value);
  return value;
}

/** A rule of scope 'object' read what its scope leaves out. */
export class ScopeBreach extends Error {
  constructor(rule: string, read: string) {
    super(`rule ${rule} declares scope 'object' but its check read ctx.${read}: declare it 'graph' (the default), or read the object alone`);
  }
}

/** The parts of the context out of reach of a rule of one object: the other objects, and the models they tell. */
const OUT_OF_REACH: ReadonlySet<string> = new Set(['graph', 'modelOf']);

/** The rest of the context (the platform and Kueue the run judges for), as data a key can hold. */
function judgedFor(ctx: CheckContext): Omit<CheckContext, 'graph' | 'modelOf'> {
  return perRun('object-scope-judged', [ctx], () => {
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ctx)) {
      if (OUT_OF_REACH.has(k)) continue;
      // a part of the context that is no data would be left out of the key: it must be out of reach, or data
      if (typeof v === 'function') throw new Error(`ctx.${k} is a function: add it to the parts out of reach of a rule of scope 'object', or make it data`);
      rest[k] = v;
    }
    return rest as Omit<CheckContext, 'graph' | 'modelOf'>;
  });
}

/** What a rule of one object may read besides it: the context but the graph, and the object's place (file, builds). */
function viewKey(o: GraphObject, ctx: CheckContext): string {
  const judged = perRun('object-scope-key', [ctx], () => JSON.stringify(judgedFor(ctx)));
  return perRun('object-scope-place', [o, judged], () => `${judged}\n${JSON.stringify({ ...o, manifest: undefined })}`);
}

/** The context a rule of one object is passed: the run's, with graph and modelOf out of reach. */
function objectView(ctx: CheckContext): { ctx: CheckContext; breach: { reads: number; read: string } } {
  return perRun('object-scope-view', [ctx], () => {
    const breach = { reads: 0, read: '' };
    const refuse = (read: string): never => {
      breach.reads++;
      breach.read = read;
      throw new Error(`ctx.${read} is out of reach of a rule of scope 'object'`);
    };
    const view: CheckContext = {
      ...judgedFor(ctx),
      get graph() {
        return refuse('graph');
      },
      modelOf: () => refuse('modelOf'),
    };
    return { ctx: view, breach };
  });
}
