import type { Loose } from '../../manifests/access';
import { modelFieldOf, modelSpecOf, storageLocationOf } from '../serving-model';
import { renderedByConstructs } from '../construct-rendered';
import { Rule } from '../rule';

/** `hf://<org>/<model>[:<revision>]`, as KServe's storage initializer reads it (kserve/storage/storage.py, _download_hf). */
const HF_URI = /^hf:\/\/([^/:\s]+\/[^/:\s]+)(?::(\S*))?$/;

/** The field that holds the storage URI: an LLMInferenceService's spec.model.uri, a predictor's storageUri, else the custom container's STORAGE_URI. */
function uriField(m: Loose): string {
  if (m.kind === 'LLMInferenceService') return 'spec.model.uri';
  return modelSpecOf(m).storageUri !== undefined ? `${modelFieldOf(m)}.storageUri` : "the STORAGE_URI env of spec.predictor's kserve-container";
}

export const hfRevisionNotPinned: Rule = {
  id: 'hf-revision-not-pinned',
  title: 'a model is downloaded from Hugging Face without a revision: each pod start loads whatever the default branch holds then',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise: 'the storage URI is hf://<org>/<model> with no :<revision>',
  example: '`storageUri: hf://meta-llama/Llama-3.1-8B-Instruct`',
  fix: "pin the commit in the storage URI: hf://<org>/<model>:<commit sha> (for a service the constructs render, ModelSource.huggingFace's revision)",
  source: "KServe's storage initializer downloads hf:// URIs with huggingface_hub's snapshot_download, at the revision after ':' or else the default branch",
  scope: 'object',
  check(o) {
    const uri = storageLocationOf(o.manifest);
    const m = uri ? HF_URI.exec(uri) : null;
    if (!m || m[2]) return [];
    // the constructs write the URI from ModelSource.huggingFace: its revision is what to change there
    const pin = renderedByConstructs(o)
      ? `give ModelSource.huggingFace('${m[1]}', { revision: '<commit sha>' })`
      : `write ${uriField(o.manifest)} hf://${m[1]}:<commit sha>`;
    return [
      {
        message:
          `the model ${uri} names no revision, so every pod start downloads what the default branch of ${m[1]} holds at that moment: replicas may serve different weights than the ones reviewed; ` +
          `pin the commit: ${pin}`,
      },
    ];
  },
};
