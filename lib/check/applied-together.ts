import * as path from 'path';
import { deliverersOf } from './argocd/application';
import { GraphObject, unitOf } from './graph-object';
import { ObjectGraph } from './graph';
import { Applied, appliesObject } from './script-delivery';

/**
 * The command of the tree's scripts that applies the object's folder whole (`kubectl apply -f dir/`, `-R`), else its
 * file: kubectl applies every document it reads, so two declarations of one object there are both applied.
 */
export function scriptApplying(o: GraphObject, graph: ObjectGraph): Applied | undefined {
  const by = graph.scriptApplied.filter((a) => !a.kustomize && appliesObject(a, o));
  const file = o.file ? path.resolve(o.file) : undefined;
  return by.find((a) => a.target !== file) ?? by[0];
}

/**
 * The set of objects applied together that the object is in: its kustomize build or cdk8s cluster, else the Argo CD
 * Applications of the input that sync its folder (what they sync is applied together, whatever the files), else the
 * folder (or file) a script of the tree applies; undefined for a loose file nothing delivers (loose files are often
 * alternatives: examples, variants).
 */
export function deliveryOf(o: GraphObject, graph: ObjectGraph): string | undefined {
  if (unitOf(o)) return unitOf(o);
  const apps = deliverersOf(o, graph).map((a) => graph.id(a));
  if (apps.length) return `argocd:${[...new Set(apps)].sort().join(',')}`;
  const script = scriptApplying(o, graph);
  return script ? `script:${script.target}` : undefined;
}
