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
 * Whether the tree's scripts apply each declaration only to clusters they name (`kubectl config use-context`,
 * `--context`, `--kubeconfig`, `KUBECONFIG=`, `oc login`: ScriptApplied.context), and never both to the same one: a
 * manager's and a worker's copy of one object, which never meet.
 */
export function appliedToOtherClusters(a: GraphObject, b: GraphObject, graph: ObjectGraph): boolean {
  const clusters = (x: GraphObject) => graph.scriptApplied.filter((s) => appliesObject(s, x)).map((s) => s.context);
  const [ca, cb] = [clusters(a), clusters(b)];
  return ca.length > 0 && cb.length > 0 && [...ca, ...cb].every((c) => c !== undefined) && !ca.some((c) => cb.includes(c));
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

/**
 * Whether two objects are applied in one step by the same deliverer: one file, or one build, Application or script
 * (deliveryOf). Narrower than deliveredTogether, which also counts a script's reach into the folders it applies from.
 */
export function sameDelivery(a: GraphObject, b: GraphObject, graph: ObjectGraph): boolean {
  if (a.file !== undefined && a.file === b.file) return true;
  const delivery = deliveryOf(a, graph);
  return delivery !== undefined && delivery === deliveryOf(b, graph);
}

/**
 * Whether two objects are applied as one build: sameDelivery, or, where nothing of the tree delivers either, one
 * folder (`kubectl apply -f <folder>` applies its files together).
 */
export function sameBuildOrFolder(a: GraphObject, b: GraphObject, graph: ObjectGraph): boolean {
  if (a.file !== undefined && a.file === b.file) return true;
  const [da, db] = [deliveryOf(a, graph), deliveryOf(b, graph)];
  if (da !== undefined || db !== undefined) return da === db;
  return a.file !== undefined && b.file !== undefined && path.dirname(a.file) === path.dirname(b.file);
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
 * object does not happen. Those `kept` stay as they are (what committing the file does, whoever applies it).
 */
export function asUndeliveredExample(problems: readonly Problem[], file: string, kept: (p: Problem) => boolean = () => false): Problem[] {
  return problems.map((p) =>
    kept(p)
      ? p
      : {
          ...p,
          severity: 'info',
          message: `${p.message} (${file} looks like an example: no kustomization, Argo CD Application, script or README command of the tree applies it)`,
        },
  );
}

/**
 * One delivery as the reader knows it, what one step applies to a cluster together: a file, a kustomize build
 * (`kustomize:` its outermost root), a cdk8s app's unit, an Argo CD Application (its sources), a script or one fenced
 * block of a README (the objects its kubectl/oc commands apply, with the other files of the folders they apply from:
 * the variants and add-ons of the example it sets up), or the objects given without a file (`input:`, read together).
 */
export type DeliveryUnit = `${'file' | 'kustomize' | 'cdk8s' | 'argocd' | 'script' | 'input'}:${string}`;

/** A manifest file's name: a command applying one reaches its folder's other files, applying a folder reaches that folder. */
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Whether a command applying files (`-f`) reaches the object: it applies it, or the object's file is in a folder, or under one, that the command applies from. */
function reaches(a: Applied, o: GraphObject): boolean {
  if (a.kustomize || !o.file || o.file === '-') return appliesObject(a, o);
  const from = MANIFEST_FILE.test(a.target) ? path.dirname(a.target) : a.target;
  return appliesObject(a, o) || path.resolve(o.file).startsWith(`${from}${path.sep}`);
}

/** The deliveries of the object other than scripts: its file, its builds, its cdk8s unit, the Applications that sync it. */
function ownDeliveries(o: GraphObject, graph: ObjectGraph): DeliveryUnit[] {
  const units: DeliveryUnit[] = [];
  if (o.file) units.push(`file:${o.file === '-' ? '-' : path.resolve(o.file)}`);
  if (o.unit) units.push(`cdk8s:${o.unit}`);
  for (const root of [...(o.kustomizations ?? []).slice(0, 1), ...(o.alsoBuiltBy ?? [])]) units.push(`kustomize:${path.resolve(root)}`);
  if (!units.length) units.push('input:');
  for (const app of deliverersOf(o, graph)) units.push(`argocd:${graph.id(app)}`);
  return units;
}

/**
 * The deliveries that bring the object (DeliveryUnit), computed once for the graph: two objects are applied together
 * as the reader knows it when they share one. Two example files of a folder that nothing applies share none.
 */
export function deliveryUnitsOf(o: GraphObject, graph: ObjectGraph): readonly DeliveryUnit[] {
  const index = graph.once('delivery-units', () => {
    const by = new Map<GraphObject, DeliveryUnit[]>();
    for (const x of graph.objects) {
      const scripts = graph.scriptApplied.filter((a) => reaches(a, x)).map((a): DeliveryUnit => `script:${(a as Applied).file ?? a.script}#${a.block ?? ''}`);
      by.set(x, [...new Set([...ownDeliveries(x, graph), ...scripts])]);
    }
    return by;
  });
  return index.get(o) ?? ownDeliveries(o, graph);
}

/** Whether two objects come in one delivery as the reader knows it (deliveryUnitsOf): a file, a build, an Application, a script or README block. */
export function deliveredTogether(a: GraphObject, b: GraphObject, graph: ObjectGraph): boolean {
  const units = deliveryUnitsOf(b, graph);
  return deliveryUnitsOf(a, graph).some((u) => units.includes(u));
}
