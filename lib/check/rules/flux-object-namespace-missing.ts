import { mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { fluxDeliverersOf } from '../flux-kustomizations';
import { GraphObject } from '../graph-object';
import { knownNamespaced } from '../namespaced-kinds';
import { ANY_KIND, Rule } from '../rule';

/**
 * A Flux Kustomization that gives namespace-less objects no namespace: no spec.targetNamespace, and no patches or
 * components of its own (either may set one on the objects it builds, which the checked tree does not show built).
 */
function withoutTargetNamespace(k: GraphObject): boolean {
  const spec = mapping(k.manifest.spec);
  return !text(spec.targetNamespace) && spec.patches === undefined && spec.components === undefined;
}

export const fluxObjectNamespaceMissing: Rule = {
  id: 'flux-object-namespace-missing',
  title: 'a namespaced object with no namespace applied by a Flux Kustomization with no spec.targetNamespace: the Kustomization fails to apply',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'a kustomize.toolkit.fluxcd.io Kustomization (not suspended) builds the object from a path of the repository the input shows (as flux-kustomization-invalid reads spec.path), ' +
    'sets no spec.targetNamespace and no spec.patches or spec.components (either may set a namespace); the object has no metadata.namespace after the kustomize build of that path; ' +
    'its kind is namespaced for sure: a Kubernetes kind that is not cluster-scoped, or a kind a CRD of the tree declares Namespaced (other custom kinds are not judged: many are cluster-scoped)',
  example: 'a Flux Kustomization with `path: ./clusters/lab` and no targetNamespace, whose kustomization lists an Ingress with no namespace',
  fix: "set metadata.namespace on the object, or `namespace:` in its kustomization, or the Flux Kustomization's spec.targetNamespace",
  source:
    'kustomize-controller applies the build with fluxcd/pkg ssa (ResourceManager.ApplyAllStaged): the server-side dry-run of a namespaced object with no namespace is NotFound, which ' +
    'fluxcd/pkg ssa/errors/errors.go DryRunErr.Error words "<Kind>/<name> namespace not specified", and the apply of the stage stops there; kustomize-controller gives objects a namespace only from spec.targetNamespace ' +
    '(fluxcd/pkg kustomize/kustomize_generator.go writes it into the kustomization as its namespace; fluxcd/flux2#3742)',
  check(o, { graph }) {
    if (isClusterScoped(String(o.manifest.kind)) || text(mapping(o.manifest.metadata).namespace)) return [];
    const deliverers = fluxDeliverersOf(o, graph).filter(withoutTargetNamespace);
    if (!deliverers.length || !knownNamespaced(o, graph)) return [];
    const names = deliverers.map((k) => `Flux Kustomization '${text(mapping(k.manifest.metadata).name) ?? ''}'`).join(', ');
    const shown = `${String(o.manifest.kind)}/${text(mapping(o.manifest.metadata).name) ?? ''}`;
    return [
      {
        message:
          `has no namespace, and ${names} that applies it sets no spec.targetNamespace: kustomize-controller's dry-run fails "${shown} namespace not specified" and the Kustomization applies none of the objects of that stage (Ready False); ` +
          "set the object's metadata.namespace, or `namespace:` in its kustomization, or the Kustomization's spec.targetNamespace",
      },
    ];
  },
};
