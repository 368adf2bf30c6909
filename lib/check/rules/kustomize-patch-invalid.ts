import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader while it builds a kustomization (lib/manifests/patches.ts), not on an object: a patch
 * that fails the build leaves the whole root undeployed, whatever its objects say.
 */
export const kustomizePatchInvalid: RuleMetadata = {
  id: 'kustomize-patch-invalid',
  title: 'a kustomization patch that does not parse, is not a valid JSON 6902 patch, cannot be applied, or whose target selects no object',
  severity: 'error',
  appliesTo: ['(kustomizations)'],
  premise:
    "a kustomization has patches, patchesStrategicMerge or patchesJson6902 (inline or in a file); patches selected by labels or name patterns are not judged; an operation without a value, which kustomize applies as null, is a warning; a target that selects no object of the build (kustomize then applies the patch to nothing and builds without an error, so the sync succeeds without the patch's effect) is an error where it was meant for an object of the build the reader followed whole (a version written as group/version, another group, a namespace the object does not have yet, a kind in other case), a warning where it names nothing of the build (a patch kept for an optional component is common), in a Component or after a remote base",
  example: "`op: ad` in a JSON 6902 patch of a kustomization's `patches:` (no such op)",
  fix: 'make the patch valid YAML; write a target as group, version, kind and name apart (`version: v1`, not `version: apps/v1`); give each JSON 6902 operation an op of add, remove, replace, move, copy or test, a path, and a value (add, replace, test) or a from (move, copy); point it at an object of the build',
  source:
    "kustomize v5 refuses the build (api/filters/patchjson6902, evanphx/json-patch: 'Unexpected kind', 'missing value'; PatchTransformer: 'no resource matches strategic merge patch'), so Argo CD syncs nothing of the root; PatchTransformer and PatchJson6902Transformer apply a targeted patch to m.Select(target) and return no error when it is empty, kyaml resid Gvk.IsSelected comparing group, version and kind apart",
};
