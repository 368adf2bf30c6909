import { unlessRepositoryMakes } from './found-elsewhere';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { didYouMean, objectCandidates } from './near-names';
import { madeOutsideTree } from './reference-targets';
import type { Problem } from './rule';
import { namespacesCreated, unseenHedged } from './tree-namespaces';

/** An object a custom resource names by kind and name, which its operator looks up (and stops at when it is absent). */
export interface NamedReference {
  /** The field that names it, as the message says it (`spec.strategy.canary.canaryService`). */
  readonly field: string;
  readonly kind: string;
  readonly name: string;
  /** The namespace the operator looks in; undefined for a cluster-scoped kind. */
  readonly ns: string | undefined;
  /** The objects of the tree the reference may name (the kind, of its group, in that namespace). */
  readonly candidates: readonly GraphObject[];
  /** What the operator does when the object is absent. */
  readonly effect: string;
  /** How to fix it, after "name one the tree holds, or add it". */
  readonly fix: string;
}

/** "in namespace 'ml'", or nothing for a cluster-scoped kind. */
/** A kind in the plural (LiteLLMProxies, Services). */
const plural = (kind: string) => (/[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : `${kind}s`);

const where = (ns: string | undefined) => (ns === undefined ? '' : ` in namespace '${ns}'`);

/**
 * The finding of a reference to an object the tree does not hold, or none. Silent where the object exists, or where
 * the tree shows what else may make it (a template, a controller, a chart: madeOutsideTree); a warning where an
 * install the input does not show delivers into the namespace (unseenHedged). An error only where the tree holds
 * objects of the kind there or creates the namespace (nothing else is expected to put one there); else a warning, as
 * another delivery may make it. A note where the repository around the checked folder deploys it.
 */
export function absentReference(graph: ObjectGraph, from: GraphObject, ref: NamedReference): Problem[] {
  const named = (o: GraphObject) => o.manifest.metadata?.name === ref.name;
  if (ref.candidates.some(named)) return [];
  const outside = madeOutsideTree(graph, ref.kind, ref.name, ref.ns, [from, ...ref.candidates]);
  if (outside !== undefined && outside !== 'an unseen delivery') return [];
  const meant = didYouMean(ref.name, objectCandidates(ref.candidates));
  const held = ref.candidates.length > 0;
  const created = ref.ns !== undefined && namespacesCreated(graph).has(ref.ns);
  const subject = `${ref.field} names ${ref.kind} '${ref.name}', which the tree does not hold${where(ref.ns)}`;
  const why = held ? `the tree holds other ${plural(ref.kind)}${where(ref.ns)}` : `the tree creates namespace '${ref.ns ?? ''}'`;
  const said = [held || created ? why : [], meant ?? []].flat();
  const aside = said.length ? ` (${said.join('; ')})` : '';
  const problem: Problem =
    held || created
      ? { message: `${subject}${aside}: ${ref.effect}; ${ref.fix}` }
      : { severity: 'warning', message: `${subject}${aside}: unless something outside the tree makes it, ${ref.effect}; ${ref.fix}` };
  return [unseenHedged(graph, ref.ns, unlessRepositoryMakes(graph, problem, ref.kind, ref.name, ref.ns), from)];
}
