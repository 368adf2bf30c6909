import { text, mapping } from '../../manifests/access';
import { ANY_KIND, Rule } from '../rule';
import { PLATFORM_NAMESPACE } from '../platform-namespaces';

export const namespaceMovedFromPlatform: Rule = {
  id: 'namespace-moved-from-platform',
  title:
    "a kustomization's namespace: moves an object written for a platform namespace (openshift-*, kube-*, redhat-ods-*) into another, where the component that reads it never looks",
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "the object's own file names a namespace that platform components own (kube-*, openshift-*, redhat-ods-*, opendatahub, the GPU operators'), and a kustomization that builds it sets namespace:, which kustomize's namespace transformer writes over every namespaced object",
  example: 'a ConfigMap `rook-ceph-operator-config` written with `namespace: openshift-storage`, built by a kustomization with `namespace: ic-shared-llm`',
  fix: 'deliver the object from a kustomization without namespace: (a sibling folder the Application or a parent kustomization includes), or drop namespace: and give each object its namespace',
  source:
    "kustomize api/filters/namespace (NamespaceTransformer, builtin namespace.go): the kustomization's namespace replaces every namespaced object's, whatever its file gave (unsetOnly only in a NamespaceTransformer of transformers:)",
  check(o) {
    const from = o.movedFrom;
    if (!from || !PLATFORM_NAMESPACE.test(from)) return [];
    const to = text(mapping(o.manifest.metadata).namespace) ?? '';
    return [
      {
        message: `its file puts it in namespace '${from}', but a kustomization's namespace: moves it to '${to}': whatever reads it in '${from}' (the platform component that owns that namespace) never sees it; deliver it from a kustomization without namespace:`,
      },
    ];
  },
};
