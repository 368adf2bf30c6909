import { Loose, mapping, strings, text } from '../../manifests/access';
import { parseQuantity } from '../../private/quantity';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** The class a claim or volume names: spec.storageClassName, else the beta annotation (storagehelpers.GetPersistentVolume[Claim]Class); undefined when neither says. */
function classOf(m: Loose): string | undefined {
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
function mismatches(volume: Loose, claim: Loose): string[] {
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
function boundVolume(graph: ObjectGraph, claim: GraphObject): { volume: GraphObject; by: 'volumeName' | 'claimRef' } | undefined {
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

export const volumeClaimUnsatisfied: Rule = {
  id: 'volume-claim-unsatisfied',
  title:
    'a claim is bound to a PersistentVolume of the tree that cannot satisfy it (too small, another class, mode or access mode): the claim never binds to it',
  severity: 'error',
  appliesTo: ['PersistentVolumeClaim'],
  premise:
    "a PersistentVolumeClaim names a PersistentVolume of the tree in spec.volumeName, or (naming none) a PersistentVolume of the tree pre-binds it by spec.claimRef (its name, and namespace where both say one), and the volume fails the PersistentVolume controller's checkVolumeSatisfyClaim: its capacity.storage is below the claim's requests.storage, its class (spec.storageClassName, else the beta annotation; none is '') differs from the one the claim names (a claim naming none gets the default class at admission: not judged), its volumeMode differs (unset is Filesystem), or the claim asks an access mode the volume does not list; an error for spec.volumeName (the claim waits for that volume alone and stays Pending), a warning for a claimRef only (the claim is matched like any other: it gets a volume of its class, dynamically provisioned where the class provisions, else stays Pending, and the pre-bound volume is never used)",
  example: 'a claim with `volumeName: model-store` requesting `storage: 100Gi`, and the PersistentVolume model-store of `storage: 20Gi`',
  fix: "make the volume satisfy the claim (capacity at least the request, the claim's class, volumeMode and access modes), or change the claim to match it",
  source:
    'kubernetes pkg/controller/volume/persistentvolume/pv_controller.go: syncUnboundClaim (a claim with spec.volumeName waits for that volume, checkVolumeSatisfyClaim failing: event VolumeMismatch, the claim stays Pending) and checkVolumeSatisfyClaim (capacity, class, volumeMode, access modes); findBestMatchForClaim (index.go) for a claim without volumeName skips a volume pre-bound to it that does not satisfy it',
  check(claim, { graph }) {
    const bound = boundVolume(graph, claim);
    if (!bound) return [];
    const why = mismatches(bound.volume.manifest, claim.manifest);
    if (!why.length) return [];
    const pv = text(mapping(bound.volume.manifest.metadata).name) ?? '';
    const problem: Problem =
      bound.by === 'volumeName'
        ? {
            message: `names PersistentVolume ${pv} in spec.volumeName, which cannot satisfy it: ${why.join('; ')}; the PersistentVolume controller never binds them, and the claim (with every pod using it) stays Pending: ${volumeClaimUnsatisfied.fix}`,
          }
        : {
            severity: 'warning',
            message: `is pre-bound by PersistentVolume ${pv}'s claimRef, but that volume cannot satisfy it: ${why.join('; ')}; the controller matches the claim like any other, so it gets a volume of its class (dynamically provisioned, where its class provisions) or stays Pending, and ${pv} is never used: ${volumeClaimUnsatisfied.fix}`,
          };
    return [problem];
  },
};
