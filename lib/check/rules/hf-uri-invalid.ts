import { mapping } from '../../manifests/access';
import { storageLocationOf } from '../serving-model';
import { Rule } from '../rule';

/**
 * Why KServe's storage initializer refuses an hf:// URI, in its words, or undefined when it parses it. Ported from
 * kserve python/storage/kserve_storage/kserve_storage.py Storage._download_hf (python/kserve/kserve/storage/storage.py
 * before the package moved; the same split since v0.14): the text after hf:// is split on '/' and must give exactly two
 * parts, owner and name, both non-empty; ':' in the second part starts the revision, and the name before it must not be
 * empty. A Hub id without an owner (gpt2) is read by the Hub, not by this parser, which refuses it.
 */
export function hfUriRefusal(uri: string): string | undefined {
  const parts = uri.slice('hf://'.length).split('/');
  if (parts.length !== 2) return `Invalid Hugging Face URI format. Expected 'hf://owner/model[:revision]'`;
  if (!parts[0]) return 'Hugging Face repository owner cannot be empty';
  if (!parts[1] || !parts[1].split(':')[0]) return 'Hugging Face model name cannot be empty';
  return undefined;
}

/** A URI with a variable or a template in it: what it becomes is not known here. */
const UNRENDERED = /[$<>{}]/;

export const hfUriInvalid: Rule = {
  id: 'hf-uri-invalid',
  title: "an hf:// model URI KServe's storage initializer cannot parse (no owner, or more than one '/'): the init container fails and the pod never starts",
  severity: 'error',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise:
    "the storage URI (an InferenceService's storageUri or STORAGE_URI, an LLMInferenceService's spec.model.uri) starts with hf:// and, split on '/', is not owner/name with both parts non-empty (a name before any ':revision'); URIs with variables or template markers are not judged, nor an LLMInferenceService whose storage initializer is turned off (storageInitializer.enabled: false)",
  example: '`storageUri: hf://gpt-oss-20b`',
  fix: "write hf://<owner>/<name>[:<revision>], the model's full Hub id (hf://openai/gpt-oss-20b)",
  source:
    "kserve python/storage/kserve_storage/kserve_storage.py Storage._download_hf (before: python/kserve/kserve/storage/storage.py): components = uri[len('hf://'):].split('/'), exactly two required (\"Invalid Hugging Face URI format. Expected 'hf://owner/model[:revision]'\"), owner and model non-empty; tests in python/storage/test/test_hf_storage.py",
  scope: 'object',
  check(o) {
    const uri = storageLocationOf(o.manifest);
    if (!uri?.startsWith('hf://') || UNRENDERED.test(uri)) return [];
    if (o.manifest.kind === 'LLMInferenceService' && mapping(mapping(o.manifest.spec).storageInitializer).enabled === false) return [];
    const why = hfUriRefusal(uri);
    if (!why) return [];
    const field = o.manifest.kind === 'LLMInferenceService' ? 'spec.model.uri' : 'the storage URI';
    return [
      {
        message:
          `${field} ${uri} is not hf://<owner>/<name>[:<revision>]: KServe's storage initializer splits it on '/' and stops ("${why}"), ` +
          `so the init container fails and the model server never starts; write the model's full Hub id with its owner (hf://<owner>/<name>)`,
      },
    ];
  },
};
