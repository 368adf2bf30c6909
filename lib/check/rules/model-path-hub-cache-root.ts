import { strings } from '../../manifests/access';
import { modelPathOf } from '../model-location';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { containersWithLines } from '../written-containers';
import { Problem, Rule } from '../rule';

/**
 * A folder of the Hugging Face hub cache named for one repository (huggingface_hub file_download.py repo_folder_name:
 * `models--<org>--<name>`), and what follows it in the path: its files are under snapshots/<revision>/, beside blobs/
 * and refs/, never in the folder itself.
 */
const CACHE_ENTRY = /(^|\/)((?:models|datasets|spaces)--[^/]+?--[^/]+)(?:\/(.*))?$/;

/** The finding on a model path at a hub cache entry's root (or its blobs/refs/snapshots folder), not a snapshot of it. */
function cacheRoot(flag: string, path: string, from: string): Problem[] {
  const m = CACHE_ENTRY.exec(path.replace(/\/+$/, ''));
  if (!m) return [];
  const [, , entry, rest = ''] = m;
  // snapshots/<revision> (and a file or folder below it) is the model's folder as the cache lays it out
  if (/^snapshots\/[^/]+/.test(rest)) return [];
  const repo = entry.replace(/^(models|datasets|spaces)--/, '').replace('--', '/');
  const base = path.replace(/\/+$/, '').slice(0, path.replace(/\/+$/, '').length - (rest ? rest.length + 1 : 0));
  return [
    {
      message: `${from} ${flag} names ${path}, ${rest ? `the ${rest.split('/')[0]} folder of` : 'the root of'} the Hugging Face hub cache's entry for ${repo}: the cache keeps that repository's files under ${base}/snapshots/<revision>/ (beside blobs/ and refs/), so the folder given holds no config.json and the server fails to load the model; pass ${base}/snapshots/<revision> (the commit hash refs/main names), or the hub id ${repo} with HF_HUB_CACHE set to the cache folder`,
    },
  ];
}

export const modelPathHubCacheRoot: Rule = {
  id: 'model-path-hub-cache-root',
  title: "a model server's --model names a Hugging Face hub cache entry (models--org--name), whose files are only under snapshots/<revision>",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    "a container (of any pod template the check knows, an InferenceService's own containers and a ServingRuntime's included) passes --model, --model_dir or --model-dir a path whose folder is named as huggingface_hub names a repository's cache entry (`models--<org>--<name>`, `datasets--…`, `spaces--…`) and does not go on to snapshots/<revision>: the entry holds blobs/, refs/ and snapshots/ only, so a server reading it as a model folder (vLLM, transformers' from_pretrained: config.json) finds no model and exits. Not judged: a path holding a variable",
  example: '`--model` given `/mnt/models/hub/models--TinyLlama--TinyLlama-1.1B-Chat-v1.0`',
  fix: 'pass the snapshot folder (…/models--org--name/snapshots/<revision>), or the hub id with HF_HUB_CACHE (or HF_HOME) pointing at the cache so the library resolves it',
  source:
    'huggingface_hub src/huggingface_hub/file_download.py repo_folder_name (`models--{org}--{name}`) and the cache layout of docs "Understand caching" (blobs/, refs/, snapshots/<revision>/); transformers utils/hub.py cached_file (a local folder must hold config.json: "does not appear to have a file named config.json")',
  check(o) {
    return containersWithLines(o.manifest).flatMap(({ where, container }) => {
      if (!strings(container.args).length && !strings(container.command).length) return [];
      const path = modelPathOf(container, where);
      return path ? cacheRoot(path.flag, path.word, path.from) : [];
    });
  },
};
