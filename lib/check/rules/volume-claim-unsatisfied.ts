import { mapping, text } from '../../manifests/access';
import { boundVolume, mismatches } from '../static-volumes';
import { Problem, Rule } from '../rule';

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
