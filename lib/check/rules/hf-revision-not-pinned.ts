import { storageLocationOf } from '../serving-model';
import { Rule } from '../rule';

/** `hf://<org>/<model>[:<revision>]`, as KServe's storage initializer reads it (kserve/storage/storage.py, _download_hf). */
const HF_URI = /^hf:\/\/([^/:\s]+\/[^/:\s]+)(?::(\S*))?$/;

export const hfRevisionNotPinned: Rule = {
  id: 'hf-revision-not-pinned',
  title: 'a model is downloaded from Hugging Face without a revision: each pod start loads whatever the default branch holds then',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise: 'the storage URI is hf://<org>/<model> with no :<revision>',
  example: '`storageUri: hf://meta-llama/Llama-3.1-8B-Instruct`',
  fix: 'pin the commit: hf://<org>/<model>:<commit sha> (ModelSource.huggingFace(repo, { revision }))',
  source: "KServe's storage initializer downloads hf:// URIs with huggingface_hub's snapshot_download, at the revision after ':' or else the default branch",
  check(o) {
    const uri = storageLocationOf(o.manifest);
    const m = uri ? HF_URI.exec(uri) : null;
    if (!m || m[2]) return [];
    return [
      {
        message:
          `the model ${uri} names no revision, so every pod start downloads what the default branch of ${m[1]} holds at that moment: replicas may serve different weights than the ones reviewed; ` +
          `pin the commit (hf://${m[1]}:<commit sha>, or revision in ModelSource.huggingFace)`,
      },
    ];
  },
};
