import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, text } from '../../manifests/access';
import { DisabledManifest, disabledManifests } from '../../manifests/disabled-manifests';
import { workTreeRoot } from '../../manifests/work-tree';
import { repositoryObjectsOf } from '../found-elsewhere';
import { apiGroupOf } from '../../k8s/api-version';
import { dependencyReferences, FluxKnown, fluxObjects, FluxReference, landingNamespaces } from '../flux-references';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** The objects of that group, kind and name the tree and its repository define. */
function namesake(graph: ObjectGraph, group: string, kind: string, name: string): FluxKnown[] {
  return fluxObjects(graph).filter((x) => x.kind === kind && x.name === name && apiGroupOf(x.manifest.apiVersion) === group);
}

/** The Flux objects of switched-off files (ks.dis) in the checked folders and the repositories holding them, read once per check. */
function disabledFlux(graph: ObjectGraph): DisabledManifest[] {
  return graph.once('flux-dependency-not-found:disabled', () => {
    // each root walked once, its files named from the checked folder as the user gave it
    const roots = new Map<string, (file: string) => string>();
    for (const c of graph.checkouts) {
      const root = workTreeRoot(c, fs.realpathSync(c.folder));
      if (!roots.has(root)) roots.set(root, (file) => path.join(c.folder, path.relative(fs.realpathSync(c.folder), path.join(root, file))));
    }
    if (!graph.checkouts.length) for (const folder of graph.folders ?? []) roots.set(fs.realpathSync(folder), (file) => path.join(folder, file));
    return [...roots].flatMap(([root, named]) => disabledManifests(root).map((d) => ({ ...d, file: named(d.file).split(path.sep).join('/') })));
  });
}

/** Whether a Flux Operator ResourceSet of the tree or its repository may generate objects of any name. */
const generatesFlux = (graph: ObjectGraph) =>
  [...graph.objects.map((o) => o.manifest), ...repositoryObjectsOf(graph).map((r) => r.manifest)].some((m) => m.kind === 'ResourceSet');

/** Whether the tree or its repository defines the flux-system source that flux bootstrap or a FluxInstance syncs the cluster from. */
const fluxRoot = (graph: ObjectGraph) =>
  fluxObjects(graph).some((x) => ['GitRepository', 'OCIRepository', 'Bucket'].includes(x.kind) && x.name === 'flux-system');

/**
 * A dependency no applied file defines: an error where a file Flux never reads defines it (a switched-off `ks.dis`, or
 * a file no kustomization lists); a warning where nothing of the repository defines it while the repository is the cluster's Flux
 * root and defines other objects of that kind in that namespace (another repository's sync may still make it).
 */
function undefinedDependency(ref: FluxReference, looked: string[], group: string, graph: ObjectGraph, self: Loose): Problem | undefined {
  // an object in a file nothing applies waits for nothing
  const selfMeta = mapping(self.metadata);
  if (graph.leftOutFile(String(self.kind), text(selfMeta.name) ?? '', text(selfMeta.namespace))) return undefined;
  const at = `${looked[0]}/${ref.name}`;
  const named = `${ref.field} names ${ref.kind} '${ref.name}' in namespace '${looked.join("' or '")}'`;
  const never = `the controller never finds it ("dependency '${at}' not found"), and never reconciles this object`;
  const off = disabledFlux(graph).find(
    (d) =>
      d.manifest.kind === ref.kind &&
      apiGroupOf(d.manifest.apiVersion) === group &&
      text(mapping(d.manifest.metadata).name) === ref.name &&
      [undefined, ...looked].includes(text(mapping(d.manifest.metadata).namespace)),
  );
  const leftOut = off ? undefined : looked.map((ns) => graph.leftOutFile(ref.kind, ref.name, ns)).find((f) => f !== undefined);
  if (off || leftOut)
    return {
      message:
        `${named}, which only ${off ? `${off.file} defines, a file Flux never applies (kustomize and Flux read *.yaml, *.yml and *.json files)` : `${leftOut} defines, a file no kustomization lists`}: ` +
        `${never}; restore the file (rename it to .yaml and list it in its kustomization), or remove the dependsOn entry`,
    };
  // only where the repository is the cluster's Flux root (its own flux-system source: flux bootstrap's gotk-sync, a
  // FluxInstance's sync), so that what it does not define no other repository of the cluster is likely to
  if (generatesFlux(graph) || !fluxRoot(graph)) return undefined;
  const siblings = fluxObjects(graph).filter(
    (x) =>
      x.kind === ref.kind && apiGroupOf(x.manifest.apiVersion) === group && x.manifest !== self && x.namespace !== undefined && looked.includes(x.namespace),
  );
  if (!siblings.length) return undefined;
  return {
    severity: 'warning',
    message:
      `${named}, which no file of the tree or its repository defines (it defines ${siblings.length} other ${ref.kind}${siblings.length > 1 ? 's' : ''} there): ` +
      `unless another repository's sync creates it, ${never}; add the ${ref.kind}, or remove the dependsOn entry`,
  };
}

function judged(ref: FluxReference, own: string[], group: string, graph: ObjectGraph, self: Loose): Problem | undefined {
  const looked = ref.namespace ? [ref.namespace] : own;
  if (!looked.length) return undefined;
  const namespace = looked.join("' or '");
  const found = namesake(graph, group, ref.kind, ref.name);
  if (!found.length) return undefinedDependency(ref, looked, group, graph, self);
  // one whose namespace is not known may be the one looked for
  if (found.some((x) => x.namespace === undefined || looked.includes(x.namespace))) return undefined;
  const elsewhere = found.map((x) => `'${x.namespace}' (${x.where})`).join(', ');
  const fix = found.length === 1 ? `write namespace: ${found[0].namespace}` : 'write the namespace of the one meant';
  return {
    message:
      `${ref.field} names ${ref.kind} '${ref.name}'${ref.namespace ? ` in namespace '${namespace}'` : `, with no namespace, so in the object's own, '${namespace}'${looked.length > 1 ? " (the manifest's, or the one a kustomization of the repository listing it sets)" : ''}`}, but the tree and its repository define ${ref.kind} '${ref.name}' only in ${elsewhere}: ` +
      `the controller looks for '${looked[0]}/${ref.name}', never finds it ("dependency '${looked[0]}/${ref.name}' not found"), and never reconciles this object; ${fix}`,
  };
}

export const fluxDependencyNotFound: Rule = {
  id: 'flux-dependency-not-found',
  title:
    'a Flux dependsOn entry names a Kustomization or HelmRelease the repository defines only in another namespace, or only in a file nothing applies (ks.dis, a file no kustomization lists): the dependency is never found, and the object never reconciles',
  severity: 'error',
  appliesTo: ['Kustomization', 'HelmRelease'],
  premise:
    "a kustomize.toolkit.fluxcd.io Kustomization's or helm.toolkit.fluxcd.io HelmRelease's spec.dependsOn entry names an object of its own kind; its namespace, when left out, is the object's own (meta.NamespacedObjectReference), which is the manifest's or the one a kustomization of the repository listing its file sets; " +
    'where the tree and the git repository holding it (outside the checked folder, in the namespace its kustomizations give it) define objects of that kind and name only in other namespaces, the controller never finds the dependency and never reconciles the object: an error. ' +
    'Where no applied file defines the name: an error where a file Flux never reads defines it in the namespace looked in (a file renamed off YAML, *.dis, *.disabled, *.off, *.bak and the like, in the checked folders or their repository; or a file no kustomization lists), unless the waiting object is itself in a file nothing applies; ' +
    "a warning where nothing in the repository defines it, the repository is the cluster's Flux root (it defines the flux-system GitRepository, OCIRepository or Bucket, or a FluxInstance's sync) and defines other objects of that kind in that namespace, and no Flux Operator ResourceSet may generate it (another repository's sync may still make it). " +
    'A name defined nowhere in a repository that is not the Flux root (made elsewhere), or by a manifest whose namespace is not known, is not judged',
  example:
    'a Kustomization `dependsOn: [{name: storage-operator}]` in namespace flux-system while Kustomization storage-operator is defined in namespace storage',
  fix: 'give the dependsOn entry the namespace of the object it waits for (namespace: <its namespace>)',
  source:
    'fluxcd/pkg apis/meta reference_types.go NamespacedObjectReference ("Namespace of the referent, when not specified it acts as LocalObjectReference"); fluxcd/kustomize-controller api/v1 KustomizationSpec.DependsOn and internal/controller/kustomization_controller.go checkDependencies (an entry without namespace is looked up in the Kustomization\'s own: "dependency … not found", requeued, never reconciled); fluxcd/helm-controller api/v2 HelmReleaseSpec.DependsOn (the same for HelmReleases); fluxcd/pkg kustomize kustomize_generator.go (a path without kustomization.yaml: the *.yaml, *.yml and *.json files are its resources) and the kustomization resources list (a file it does not list is not built)',
  check(o, { graph }) {
    const own = landingNamespaces(graph, o);
    if (!text(mapping(o.manifest.metadata).name)) return [];
    const group = apiGroupOf(o.manifest.apiVersion);
    return dependencyReferences(o.manifest).flatMap((ref) => judged(ref, own, group, graph, o.manifest) ?? []);
  },
};
