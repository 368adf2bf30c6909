import * as path from 'path';
import { deliverersOf } from './argocd/application';
import { GraphObject, unitOf } from './graph-object';
import { ObjectGraph } from './graph';
import { Applied, appliesObject } from './script-delivery';
import type { Problem } from './rule';

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

/** A file named as an example to copy and fill in: `secrets.example.yaml`, `config.sample.yml`, `hf-token-example.yaml`. */
const EXAMPLE_FILE = /[.-](?:example|sample)\.ya?ml$/i;

/**
 * The name of an object's file when it looks like an example and nothing of the tree delivers it (deliveryOf: no
 * kustomization, Argo CD Application, script or README command applies it): a reader's copy to fill in, not applied.
 */
export function undeliveredExample(o: GraphObject, graph: ObjectGraph): string | undefined {
  if (!o.file || !EXAMPLE_FILE.test(path.basename(o.file)) || deliveryOf(o, graph)) return undefined;
  return path.basename(o.file);
}

/**
 * The findings on an object of an example file nothing applies, as info saying so: what they say of the applied
 * object does not happen. Errors stay where `keepErrors` (what committing the file does, whoever applies it).
 */
export function asUndeliveredExample(problems: readonly Problem[], file: string, keepErrors = false): Problem[] {
  return problems.map((p) =>
    keepErrors && p.severity === 'error'
      ? p
      : {
          ...p,
          severity: 'info',
          message: `${p.message} (${file} looks like an example: no kustomization, Argo CD Application, script or README command of the tree applies it)`,
        },
  );
}
