import { Loose, mapping, mappings, text } from '../manifests/access';
import { modelFieldOf, modelSpecOf, storageLocationOf } from './serving-model';
import { ObjectGraph } from './graph';
import { podSpecOf, WORKLOAD_KINDS } from './pods';
import { podSpecPath } from './pod-spec-fields';
import { holdsRendererSyntax } from './template-syntax';

/** A PersistentVolumeClaim a pod mounts, with the field that names it. */
export interface PodClaim {
  readonly name: string;
  readonly field: string;
}

/**
 * The claim of a `pvc://<claim>/<path>` model URI: KServe mounts that claim in the predictor pod (pkg/webhook/admission/pod
 * storage_initializer_injector.go and utils.ParsePvcURI: the first segment after pvc:// is the claim; the LLMInferenceService
 * controller's attachPVCModelArtifact does the same for spec.model.uri).
 */
export function pvcOfUri(uri: string | undefined): string | undefined {
  if (!uri?.startsWith('pvc://')) return undefined;
  return uri.slice('pvc://'.length).split('/')[0] || undefined;
}

/** The field an InferenceService's (or LLMInferenceService's) model URI is written at. */
function uriField(m: Loose): string {
  if (m.kind === 'LLMInferenceService') return 'spec.model.uri';
  return text(modelSpecOf(m).storageUri) ? `${modelFieldOf(m)}.storageUri` : 'spec.predictor.containers[kserve-container] env STORAGE_URI';
}

/**
 * The claims a pod-bearing object's pods mount: persistentVolumeClaim volumes and a pvc:// model URI; a name holding a
 * renderer's syntax (`pvc://${PVC_NAME}/model`) names what only the rendering decides, and is left to unrendered-placeholder.
 */
export function podClaims(m: Loose): PodClaim[] {
  return writtenClaims(m).filter((c) => !holdsRendererSyntax(c.name));
}

/** The claims an object's pods mount as written, template syntax and all. */
export function writtenClaims(m: Loose): PodClaim[] {
  const pod = podSpecOf(m);
  const path = podSpecPath(m);
  const out: PodClaim[] = mappings(pod?.volumes).flatMap((v) => {
    const claim = text(mapping(v.persistentVolumeClaim).claimName);
    return claim ? [{ name: claim, field: `${path}.volumes[${String(v.name)}].persistentVolumeClaim.claimName` }] : [];
  });
  const fromUri = m.kind === 'InferenceService' || m.kind === 'LLMInferenceService' ? pvcOfUri(storageLocationOf(m)) : undefined;
  if (fromUri && !out.some((c) => c.name === fromUri)) out.push({ name: fromUri, field: uriField(m) });
  return out;
}

/**
 * Whether a controller makes the claim of that name in the namespace from an object of the tree: a StatefulSet's
 * volumeClaimTemplates give claims `<template>-<statefulset>-<ordinal>` (kubernetes pkg/controller/statefulset
 * stateful_set_utils.go getPersistentVolumeClaimName), a generic ephemeral volume gives `<pod>-<volume>`
 * (pkg/controller/volume/ephemeral, ephemeral.VolumeClaimName), the pod's name starting with its workload's.
 */
export function claimMadeByController(graph: ObjectGraph, name: string, ns: string): boolean {
  const here = (kind: string) => graph.ofKind(kind).filter((o) => graph.namespaceOf(o.manifest) === ns);
  const fromTemplate = here('StatefulSet').some((s) => {
    const set = text(mapping(s.manifest.metadata).name);
    return mappings(mapping(s.manifest.spec).volumeClaimTemplates).some((t) =>
      new RegExp(`^${escape(`${text(mapping(t.metadata).name)}-${set}`)}-\\d+$`).test(name),
    );
  });
  if (fromTemplate) return true;
  return WORKLOAD_KINDS.flatMap(here).some((w) => {
    const owner = text(mapping(w.manifest.metadata).name) ?? '';
    return mappings(podSpecOf(w.manifest)?.volumes).some(
      (v) => v.ephemeral !== undefined && name.startsWith(`${owner}-`) && name.endsWith(`-${String(v.name)}`),
    );
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
