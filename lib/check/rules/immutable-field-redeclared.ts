import * as path from 'path';
import { apiGroupOf } from '../../k8s/api-version';
import { mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { generatedFrom } from '../application-sets';
import { deliverersOf } from '../argocd/application';
import { appliedToOtherClusters, deliveredTogether } from '../applied-together';
import { GraphObject, locationOf, sameDeclaration, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ImmutableField, immutableFields, valueAt } from '../immutable-fields';
import { CheckContext, Problem, Rule } from '../rule';
import { deletedOnly } from '../script-delivery';
import { sharedDestination } from './cluster-object-conflict';

/** group/kind/namespace/name: what makes two declarations one object. */
function identity(o: GraphObject, graph: ObjectGraph): string {
  return `${apiGroupOf(o.manifest.apiVersion)}/${String(o.manifest.kind)}/${graph.namespaceOf(o.manifest) ?? ''}/${text(mapping(o.manifest.metadata).name) ?? ''}`;
}

const shown = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/** The immutable fields both declarations set, to different values (an unset one is no change: the rule is not run). */
function changed(a: GraphObject, b: GraphObject, fields: readonly ImmutableField[]): { field: ImmutableField; was: unknown; now: unknown }[] {
  return fields.flatMap((field) => {
    const was = valueAt(a.manifest, field.path);
    const now = valueAt(b.manifest, field.path);
    return was !== undefined && now !== undefined && JSON.stringify(was) !== JSON.stringify(now) ? [{ field, was, now }] : [];
  });
}

/** Loose files (no kustomization, no cdk8s unit) of one folder: kubectl apply -f <folder> applies them together, in name order. */
const looseFolder = (x: GraphObject) => (x.file && x.file !== '-' && unitOf(x) === '' ? path.dirname(path.resolve(x.file)) : undefined);

/**
 * How surely both declarations reach one cluster, one after the other: `together` (one file, one script or README
 * step, one folder of loose files, Argo CD Applications one delivery applies to one cluster), `apart` (other
 * deliveries, which may be alternatives or go to other clusters), or undefined where the second is never applied over
 * the first (one kustomize build, which kustomize refuses, or one Application, which keeps one copy: duplicate-object's).
 */
function reach(graph: ObjectGraph, a: GraphObject, b: GraphObject): { how: 'together' | 'apart'; why: string } | undefined {
  if (unitOf(a) !== '' && unitOf(a) === unitOf(b)) return undefined;
  const appsA = deliverersOf(a, graph);
  if (appsA.length && deliverersOf(b, graph).some((app) => appsA.includes(app))) return undefined;
  if (appliedToOtherClusters(a, b, graph)) return undefined;
  const shared = sharedDestination(graph, a, b);
  if (shared?.together)
    return { how: 'together', why: `Argo CD delivers both to cluster ${shared.cluster} (${shared.apps.join(', ')}), and each sync of the other fails` };
  if (a.file !== undefined && a.file === b.file) return { how: 'together', why: 'both are documents of one file, which kubectl apply -f applies in order' };
  if (deliveredTogether(a, b, graph)) return { how: 'together', why: 'the same script or README step applies both' };
  if (looseFolder(a) !== undefined && looseFolder(a) === looseFolder(b))
    return { how: 'together', why: 'both are in one folder, which kubectl apply -f applies together' };
  const apps = shared
    ? `; Argo CD Applications ${shared.apps.join(' and ')} deliver them to cluster ${shared.cluster}, but nothing in the input applies both`
    : '';
  return { how: 'apart', why: `they are in different deliveries, which may be alternatives or go to different clusters${apps}` };
}

/** The earlier declarations of each object, grouped once per run and kind. */
function declarations(graph: ObjectGraph, kind: string): ReadonlyMap<string, GraphObject[]> {
  return graph.once(`immutable-field-redeclared:${kind}`, () => {
    const by = new Map<string, GraphObject[]>();
    for (const x of graph.ofKind(kind)) {
      if (!text(mapping(x.manifest.metadata).name) || generatedFrom(x) || deletedOnly(graph, x)) continue;
      const id = identity(x, graph);
      by.set(id, [...(by.get(id) ?? []), x]);
    }
    return by;
  });
}

function redeclared(o: GraphObject, ctx: CheckContext): Problem[] {
  const { graph } = ctx;
  const kind = String(o.manifest.kind);
  if (isClusterScoped(kind) || !text(mapping(o.manifest.metadata).name) || generatedFrom(o) || deletedOnly(graph, o)) return [];
  const fields = immutableFields(o.manifest, ctx);
  if (!fields.length) return [];
  const same = declarations(graph, kind).get(identity(o, graph)) ?? [];
  for (const x of same.slice(0, same.indexOf(o)).filter((e) => !sameDeclaration(e, o))) {
    const diff = changed(x, o, fields);
    const how = diff.length ? reach(graph, x, o) : undefined;
    if (!how) continue;
    const { field, was, now } = diff[0];
    const name = field.path.join('.');
    const effect =
      `${name} is immutable (its CRD's x-kubernetes-validations rule \`self == oldSelf\`), so whichever is applied second is refused ` +
      `("${name}: Invalid value: …: ${field.message}")`;
    const what = `${kind} '${text(mapping(o.manifest.metadata).name)}' sets ${name} ${shown(now)} here and ${shown(was)} at ${locationOf(x) ?? 'another declaration'}`;
    const fix = 'keep one declaration, or give each its own name (or delete the object before applying the other)';
    return [
      how.how === 'together'
        ? { message: `${what}; ${how.why}: ${effect}: ${fix}` }
        : { severity: 'warning', message: `${what}; ${how.why}; if both are applied to one cluster, ${effect}: ${fix}` },
    ];
  }
  return [];
}

export const immutableFieldRedeclared: Rule = {
  id: 'immutable-field-redeclared',
  title: 'a namespaced object declared twice with different values of a field its CRD makes immutable: the second apply is refused',
  severity: 'error',
  appliesTo: ['LocalQueue', 'JobSet', 'RayCluster', 'RayJob', 'RayService', 'InferenceModel', 'PyTorchJob', 'TFJob', 'PaddleJob', 'JAXJob', 'XGBoostJob'],
  premise:
    "the object (group, kind, namespace, name) is declared twice in the input, both declarations set a field that the CRD of its apiVersion (the shipped schema set that judges it; Kueue's by the judged release) makes immutable with the x-kubernetes-validations rule `self == oldSelf` (Kueue's LocalQueue spec.clusterQueue, JobSet's spec.network, KubeRay's spec.managedBy; fields inside lists are not compared), and the values differ; " +
    'an error where both reach one cluster one after the other: documents of one file, loose files of one folder (kubectl apply -f), one script or README step, Argo CD Applications one delivery applies to one cluster; a warning where they are in other deliveries (other kustomize roots, other folders, Applications nothing applies together), which may be alternatives or go to different clusters; ' +
    "silent within one kustomize build or one Application (kustomize refuses the build, Argo CD keeps one copy: duplicate-object's), where the scripts apply each only to a cluster they name and not the same one, and for a file that is only deleted",
  example:
    'LocalQueue `name: user-queue` in `namespace: kueue-demo` with `clusterQueue: cluster-queue` in one file and `clusterQueue: cq-preempt` in another file of the same folder',
  fix: 'keep one declaration, give each its own name, or delete the object before applying the other',
  source:
    'kubernetes-sigs/kueue config/components/crd/bases/kueue.x-k8s.io_localqueues.yaml (spec.clusterQueue: x-kubernetes-validations `self == oldSelf`, "field is immutable"; v0.14 and v0.16); kubernetes apiextensions-apiserver pkg/apiserver/schema/cel (transition rules run on update where the old object holds the field)',
  check: redeclared,
};
