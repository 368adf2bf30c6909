import { isMapping, Loose, mapping, mappings, text } from './access';
import { matchesSelector } from './selector-text';
import { parsePatchDocuments } from './yaml-documents';

/**
 * A parent Flux Kustomization's spec.patches that target the Flux Kustomizations it builds (the cluster-apps
 * Kustomization of a flux-cluster-template repository adds decryption and postBuild.substituteFrom to every child
 * this way): kustomize-controller hands spec.patches to kustomize, which applies each to the objects its target
 * selects (fluxcd/kustomize-controller internal/controller/kustomization_controller.go build; fluxcd/pkg kustomize
 * generator.go, patches as kustomize `patches:` entries). For a custom resource kustomize merges a patch as a JSON
 * merge patch (RFC 7386: maps merged, lists and scalars replaced, null removes), the patch's own metadata.name set to
 * the target's. JSON 6902 operations are not read: the child stays as written.
 */

const FLUX_GROUP = 'kustomize.toolkit.fluxcd.io';

/** Whether a kustomize selector's regex field (name, namespace) admits the value: anchored, as kustomize's selector compiles it. */
function admits(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value ?? '');
  } catch {
    return false;
  }
}

/** Whether a patch's target selects the child Flux Kustomization (group, version, kind, name and namespace regexes, label and annotation selectors). */
function selects(target: Loose, child: Loose): boolean {
  const [group, version] = String(child.apiVersion ?? '').split('/');
  const meta = mapping(child.metadata);
  return (
    matchesSelector(text(target.labelSelector), mapping(meta.labels)) &&
    matchesSelector(text(target.annotationSelector), mapping(meta.annotations)) &&
    (text(target.group) === undefined || text(target.group) === group) &&
    (text(target.version) === undefined || text(target.version) === version) &&
    text(target.kind) === 'Kustomization' &&
    (text(target.group) === FLUX_GROUP || text(target.group) === undefined) &&
    admits(text(target.name), text(meta.name)) &&
    admits(text(target.namespace), text(meta.namespace))
  );
}

/** RFC 7386 JSON merge patch of `patch` onto `value`. */
function mergePatch(value: unknown, patch: unknown): unknown {
  if (!isMapping(patch)) return patch;
  const out: Loose = isMapping(value) ? { ...value } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The merge patches (as objects) of one spec.patches entry: its inline `patch` text, each document a mapping (no JSON 6902 list). */
function mergePatchesOf(entry: Loose): Loose[] {
  const written = text(entry.patch);
  if (!written) return [];
  const parsed = parsePatchDocuments(written);
  return 'values' in parsed ? parsed.values.filter(isMapping) : [];
}

/**
 * The child Flux Kustomization as its parent's spec.patches leave it (undefined where none applies): each patch whose
 * target selects it merged in order, all but the patch's metadata (kustomize gives it the target's name).
 */
export function patchedByParent(parent: Loose, child: Loose): Loose | undefined {
  let out: Loose | undefined;
  for (const entry of mappings(mapping(parent.spec).patches)) {
    if (!selects(mapping(entry.target), child)) continue;
    for (const p of mergePatchesOf(entry)) {
      const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = p;
      out = mergePatch(out ?? child, rest) as Loose;
    }
  }
  return out;
}

/** Whether a Flux Kustomization patches the Flux Kustomizations it builds (a quick test before resolving its folder). */
export function patchesChildren(ks: Loose): boolean {
  return mappings(mapping(ks.spec).patches).some((p) => text(mapping(p.target).kind) === 'Kustomization');
}
