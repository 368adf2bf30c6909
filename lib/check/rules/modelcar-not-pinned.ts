import { storageLocationOf } from '../serving-model';
import { pinningProblems } from '../image-pinning';
import { Rule } from '../rule';

export const modelcarNotPinned: Rule = {
  id: 'modelcar-not-pinned',
  title: 'a model is loaded from an OCI image (modelcar) by a moving tag (latest, none, a branch name); a version tag without a digest is a note',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise:
    "the storage URI is oci://, judged on the tag policy of image-not-pinned (a version tag is a note); a malformed digest (not sha256: and 64 hex digits), which nothing can pull, is image-reference-invalid's",
  example: '`storageUri: oci://quay.io/org/granite-modelcar:latest`',
  fix: 'pin a version tag, or better a digest: oci://…@sha256:…',
  source: 'KServe modelcars pull the image on every pod start; a moved tag serves other weights than the ones reviewed',
  scope: 'object',
  check(o) {
    const uri = storageLocationOf(o.manifest);
    if (!uri?.startsWith('oci://')) return [];
    return pinningProblems(uri, {
      subject: 'the storage URI names the model image',
      digestForm: 'oci://…@sha256:…',
      moved: 'serve other weights',
      summary: 'modelcars pinned by a version tag, not a digest',
    });
  },
};
