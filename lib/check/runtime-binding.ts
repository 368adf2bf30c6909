import * as path from 'path';
import type { GraphObject } from './graph-object';

/**
 * The ServingRuntime a service binds to, and the runtimes of its name it might bind to. `runtime` is undefined when
 * no candidate is in reach, or when several are and they differ (`candidates` then lists them): which one KServe
 * uses depends on a namespace the tree does not tell.
 */
export interface RuntimeBinding {
  readonly runtime?: GraphObject;
  readonly candidates: readonly GraphObject[];
}

/**
 * The set of objects applied together that an object is in: its cdk8s cluster or outermost kustomization, else (a
 * loose file, applied with `kubectl apply -f <folder> -n <ns>` or synced by a directory source) its folder.
 */
export function deliveryUnitOf(o: GraphObject): string {
  const unit = o.unit ?? o.kustomizations?.[0];
  if (unit !== undefined) return `unit:${unit}`;
  return o.file === undefined ? '' : `folder:${path.dirname(o.file)}`;
}

/** Whether two runtimes are one declaration read twice, or say the same (copies of one file): binding either is the same. */
function alike(a: GraphObject, b: GraphObject): boolean {
  if (a.file !== undefined && a.file === b.file && a.line === b.line) return true;
  return JSON.stringify(a.manifest.spec ?? null) === JSON.stringify(b.manifest.spec ?? null);
}

/**
 * KServe binds a service to the ServingRuntime of its name in the service's own namespace (kserve
 * pkg/controller/v1beta1/inferenceservice/utils GetServingRuntime: the namespaced ServingRuntime, then a
 * ClusterServingRuntime). `reachable` are the runtimes of that name whose namespace may be the service's (either
 * namespace unknown matches). Among several: one in the service's known namespace; else one applied together with
 * the service (its kustomize build or folder), which lands in the same namespace; when those left still differ, none
 * is chosen, so that no rule judges the service by a guess.
 */
export function bindRuntime(
  service: GraphObject | undefined,
  reachable: readonly GraphObject[],
  namespaceOf: (o: GraphObject) => string | undefined,
  serviceNamespace: string | undefined,
): RuntimeBinding {
  if (reachable.length <= 1) return { runtime: reachable[0], candidates: reachable };
  const exact = serviceNamespace === undefined ? [] : reachable.filter((r) => namespaceOf(r) === serviceNamespace);
  const unit = service ? deliveryUnitOf(service) : undefined;
  const together = unit === undefined ? [] : reachable.filter((r) => deliveryUnitOf(r) === unit);
  const tier = exact.length ? exact : together.length ? together : reachable;
  return tier.every((r) => alike(r, tier[0])) ? { runtime: tier[0], candidates: reachable } : { candidates: tier };
}
