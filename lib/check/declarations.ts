import { isMapping } from '../manifests/access';
import { perRun } from '../private/run-memo';
import type { GraphObject } from './graph-object';
import { sameDeclaration } from './graph-object';

/**
 * The object without what the API server or tools add, for comparing two declarations of one object. Across builds
 * labels and annotations are left out: roots decorate what they share (commonLabels, sync waves) without changing it.
 */
export function declared(o: GraphObject, withMetadata = true): string {
  // once per run and object: the rules comparing declarations compare each object with every other of its name
  return perRun('declared', [o.manifest, withMetadata], () => declaredJson(o, withMetadata));
}

function declaredJson(o: GraphObject, withMetadata: boolean): string {
  const { metadata, status: _status, spec, ...rest } = o.manifest as { metadata?: Record<string, unknown>; status?: unknown; spec?: unknown };
  const { annotations, labels, name } = metadata ?? {};
  return stableJson({
    ...rest,
    spec: unlessEmpty(spec),
    metadata: withMetadata ? { name, labels: unlessEmpty(labels), annotations: unlessEmpty(annotations) } : { name },
  });
}

/**
 * An empty or null spec, labels or annotations is what the API server stores for an absent one (omitempty): the same
 * object. Only these: deeper down an empty mapping can mean something (a ClusterQueue's namespaceSelector {} selects all).
 */
function unlessEmpty(v: unknown): unknown {
  if (v === null || (isMapping(v) && Object.keys(v).length === 0)) return undefined;
  return v;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The declarations of a cluster-scoped object's name that differ from each other (the same file read by two builds is
 * one declaration; identical copies are one): more than one means the tree does not say which the cluster holds.
 */
export function differentDeclarations(all: readonly GraphObject[], name: string): GraphObject[] {
  const kept: GraphObject[] = [];
  for (const x of all.filter((o) => o.manifest.metadata?.name === name)) {
    if (!kept.some((k) => sameDeclaration(k, x) || declared(k, false) === declared(x, false))) kept.push(x);
  }
  return kept;
}
