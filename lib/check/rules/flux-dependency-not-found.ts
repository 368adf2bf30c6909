import { mapping, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { dependencyReferences, FluxKnown, fluxObjects, FluxReference, landingNamespaces } from '../flux-references';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** The objects of that group, kind and name the tree and its repository define. */
function namesake(graph: ObjectGraph, group: string, kind: string, name: string): FluxKnown[] {
  return fluxObjects(graph).filter((x) => x.kind === kind && x.name === name && apiGroupOf(x.manifest.apiVersion) === group);
}

function judged(ref: FluxReference, own: string[], group: string, graph: ObjectGraph): Problem | undefined {
  const looked = ref.namespace ? [ref.namespace] : own;
  if (!looked.length) return undefined;
  const namespace = looked.join("' or '");
  const found = namesake(graph, group, ref.kind, ref.name);
  // defined nowhere in the repository (made elsewhere), or one whose namespace is not known, may be the one looked for
  if (!found.length || found.some((x) => x.namespace === undefined || looked.includes(x.namespace))) return undefined;
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
    'a Flux dependsOn entry without namespace names a Kustomization or HelmRelease the repository defines only in another namespace: the dependency is never ready, and the object never reconciles',
  severity: 'error',
  appliesTo: ['Kustomization', 'HelmRelease'],
  premise:
    "a kustomize.toolkit.fluxcd.io Kustomization's or helm.toolkit.fluxcd.io HelmRelease's spec.dependsOn entry names an object of its own kind; its namespace, when left out, is the object's own (meta.NamespacedObjectReference), which is the manifest's or the one a kustomization of the repository listing its file sets; " +
    'where the tree and the git repository holding it (outside the checked folder, in the namespace its kustomizations give it) define objects of that kind and name only in other namespaces, the controller never finds the dependency and never reconciles the object: an error. ' +
    'A name defined nowhere in the repository (made elsewhere), or by a manifest whose namespace is not known, is not judged',
  example:
    'a Kustomization `dependsOn: [{name: storage-operator}]` in namespace flux-system while Kustomization storage-operator is defined in namespace storage',
  fix: 'give the dependsOn entry the namespace of the object it waits for (namespace: <its namespace>)',
  source:
    'fluxcd/pkg apis/meta reference_types.go NamespacedObjectReference ("Namespace of the referent, when not specified it acts as LocalObjectReference"); fluxcd/kustomize-controller api/v1 KustomizationSpec.DependsOn and internal/controller/kustomization_controller.go checkDependencies (an entry without namespace is looked up in the Kustomization\'s own: "dependency … not found", requeued, never reconciled); fluxcd/helm-controller api/v2 HelmReleaseSpec.DependsOn (the same for HelmReleases)',
  check(o, { graph }) {
    const own = landingNamespaces(graph, o);
    if (!text(mapping(o.manifest.metadata).name)) return [];
    const group = apiGroupOf(o.manifest.apiVersion);
    return dependencyReferences(o.manifest).flatMap((ref) => judged(ref, own, group, graph) ?? []);
  },
};
