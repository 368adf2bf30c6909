import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader (lib/manifests/unlisted-files.ts), on a file rather than an object: a file beside those
 * a delivered kustomization lists one by one, or in that kustomization's own folder, left off its list.
 */
export const fileNotDelivered: RuleMetadata = {
  id: 'file-not-delivered',
  title: 'a manifest file sits beside the files a delivered kustomization lists, but the kustomization does not list it: it is never applied',
  severity: 'warning',
  appliesTo: ['(files)'],
  premise:
    "a file met walking a folder that has no kustomization of its own, in a folder some of whose files a kustomization lists (`../namespaces.yaml` from a Flux entry's flux-system/kustomization.yaml), where that kustomization's build is delivered by something of the tree (a Flux Kustomization's path, an Argo CD Application's path, a script's or README's `kubectl apply -k`/`kustomize build`), and the kustomization does not list the file, directly or through a listed folder; and a file in the folder of such a delivered kustomization itself (a built folder: `kubectl apply -k`, an Application's or Flux Kustomization's path reads it, or a root that includes it) that no kustomization reads, holding objects with an apiVersion and kind (not a Flux Kustomization or Argo CD Application kept beside the folder it delivers, not a kustomize Kustomization or Component, not a file named as an example or sample, not a file of Namespaces only, which the namespace rules judge where something needs it; not a folder an Argo CD Application reads as a directory source, which applies its files); a file a kustomization reads as a patch, generator or replacement file is its input, not a resource; a file applied another way (a delivery naming its folder itself, such as an Argo CD directory source or a Flux path, or a script's `kubectl apply -f` of the file or its folder) is delivered; a file the kustomization names in a comment (`# - ../old.yaml`) or whose Flux Kustomizations are all `suspend: true` is left out on purpose and not reported",
  example:
    'a clusters/<name>/ folder whose flux-system/kustomization.yaml lists `../storage.yaml` and `../serving.yaml` but not the `gpu` Kustomization beside them',
  fix: "add the file to the kustomization's resources, or remove it if it is retired",
  source:
    'kustomize builds only the resources a kustomization lists (api/krusty, kustomization resources); Flux kustomize-controller and Argo CD build that kustomization as it is, so a file left off the list is never applied',
};
