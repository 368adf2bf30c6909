import { describeUnpinned, imagePinning } from '../../private/names';
import { storageLocationOf } from '../graph';
import { Rule } from '../rule';

export const modelcarNotPinned: Rule = {
  id: 'modelcar-not-pinned',
  title: 'a model is loaded from an OCI image (modelcar) by a mutable tag instead of a digest',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise: 'the storage URI is oci://; a malformed digest (not sha256: and 64 hex digits) is an error, since nothing can pull it',
  example: '`storageUri: oci://quay.io/org/granite-modelcar:latest`',
  fix: 'pin the modelcar by digest: oci://…@sha256:…',
  source: 'KServe modelcars pull the image on every pod start; a moved tag serves other weights than the ones reviewed',
  check(o) {
    const uri = storageLocationOf(o.manifest);
    if (!uri?.startsWith('oci://')) return [];
    const pinning = imagePinning(uri);
    if (pinning.pinned) return [];
    if (pinning.problem === 'malformed-digest') {
      return [
        { severity: 'error', message: `the model image ${describeUnpinned(uri, pinning)}: the pod cannot pull it; write oci://…@sha256:<64 hex digits>` },
      ];
    }
    return [
      {
        message: `the model image ${uri} is referenced by a tag that can move; pin it by digest (oci://…@sha256:…) so that every replica serves the weights that were reviewed`,
      },
    ];
  },
};
