import { Loose, mapping, strings, text } from '../manifests/access';
import { parseQuantity } from '../private/quantity';
import { selectorMatches } from './argocd/label-selector';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** The class a claim or volume names: spec.storageClassName, else the beta annotation (storagehelpers.GetPersistentVolume[Claim]Class); undefined when neither says. */
export function classOf(m: Loose): string | undefined {
  const beta = mapping(mapping(m.metadata).annotations)['volume.beta.kubernetes.io/storage-class'];
  const spec = mapping(m.spec);
  return typeof spec.storageClassName === 'string' ? spec.storageClassName : typeof beta === 'string' ? beta : undefined;
}

/** Filesystem unless the spec says Block (storagehelpers.CheckVolumeModeMismatches reads an unset mode as Filesystem). */
const modeOf = (m: Loose) => text(mapping(m.spec).volumeMode) ?? 'Filesystem';

/**
 * Why a volume cannot satisfy a claim, as the PersistentVolume controller's checkVolumeSatisfyClaim tells it (kubernetes
 * pkg/controller/volume/persistentvolume/pv_controller.go): capacity below the request ("requested PV is too small"),
 * another class ("storageClassName does not match"; a claim that names none is given the default class at admission,
 * not judged), another volumeMode, or an access mode of the claim the volume lacks (CheckAccessModes).
 */
export function mismatches(volume: Loose, claim: Loose): string[] {
  const out: string[] = [];
  const capacity = mapping(mapping(volume.spec).capacity).storage;
  const request = mapping(mapping(mapping(claim.spec).resources).requests).storage;
  const [has, wants] = [parseQuantity(capacity), parseQuantity(request)];
  if (has !== undefined && wants !== undefined && has < wants)
    out.push(`its capacity ${String(capacity)} is below the claim's request ${String(request)} ("requested PV is too small")`);
  const [volumeClass, claimClass] = [classOf(volume) ?? '', classOf(claim)];
  if (claimClass !== undefined && !claimClass.includes('$') && volumeClass !== claimClass)
    out.push(`its storageClassName '${volumeClass}' is not the claim's '${claimClass}' ("storageClassName does not match")`);
  if (modeOf(volume) !== modeOf(claim)) out.push(`its volumeMode ${modeOf(volume)} is not the claim's ${modeOf(claim)} ("incompatible volumeMode")`);
  const offered = strings(mapping(volume.spec).accessModes);
  const lacking = strings(mapping(claim.spec).accessModes).filter((m) => !offered.includes(m));
  if (offered.length && lacking.length) out.push(`it offers ${offered.join(', ')}, not the claim's ${lacking.join(', ')} ("incompatible accessMode")`);
  return out;
}

/** The PersistentVolume of the tree a claim is bound to: by its spec.volumeName, else one whose claimRef names it; and which way. */
export function boundVolume(graph: ObjectGraph, claim: GraphObject): { volume: GraphObject; by: 'volumeName' | 'claimRef' } | undefined {
  const name = text(mapping(claim.manifest.spec).volumeName);
  if (name) {
    const volume = graph.find('PersistentVolume', name);
    return volume ? { volume, by: 'volumeName' } : undefined;
  }
  const claimName = text(mapping(claim.manifest.metadata).name);
  const ns = graph.namespaceOf(claim.manifest);
  const volume = graph.ofKind('PersistentVolume').find((v) => {
    const ref = mapping(mapping(v.manifest.spec).claimRef);
    const refNs = text(ref.namespace);
    return text(ref.name) === claimName && (refNs === undefined || ns === undefined || refNs === ns);
  });
  return volume ? { volume, by: 'claimRef' } : undefined;
}

/**
 * Whether a claim binds a pre-provisioned volume rather than one provisioned for it: it names one (spec.volumeName), a
 * PersistentVolume of the tree pre-binds it (claimRef), it asks class '' (only static volumes bind it: pv_controller.go
 * syncUnboundClaim provisions nothing for an empty class), or a PersistentVolume of the tree of its stated class, not
 * bound to another claim, satisfies it and its selector (findBestMatchForClaim binds an existing volume before any
 * provisioning).
 */
export function bindsStaticVolume(graph: ObjectGraph, claim: GraphObject): boolean {
  if (text(mapping(claim.manifest.spec).volumeName) || boundVolume(graph, claim)) return true;
  const claimClass = classOf(claim.manifest);
  if (claimClass === '') return true;
  if (claimClass === undefined) return false;
  const selector = mapping(claim.manifest.spec).selector;
  return graph.ofKind('PersistentVolume').some((v) => {
    const labels = Object.fromEntries(Object.entries(mapping(mapping(v.manifest.metadata).labels)).map(([k, x]) => [k, String(x)]));
    return (
      !text(mapping(mapping(v.manifest.spec).claimRef).name) && !mismatches(v.manifest, claim.manifest).length && selectorMatches(selector, labels) === true
    );
  });
}
