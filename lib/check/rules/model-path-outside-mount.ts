import { Loose, mappings, text } from '../../manifests/access';
import { containersOf } from '../pods';
import { MODEL_MOUNT, modelPathOf, StorageLocation, storageLocationSplit } from '../model-location';
import { Problem, Rule } from '../rule';

/**
 * Whether a folder name names one model rather than a shelf of them: a Hugging Face repository written with `--` for
 * its slash (`Qwen--Qwen3-4B`, as huggingface_hub names cache folders), or a parameter count (`7B`, `1.5b`, `350M`).
 */
const ONE_MODEL = /--|(?:^|[-_.])\d+(?:\.\d+)?[bBmM](?:$|[-_.])/;

/** The folder KServe puts at /mnt/models, in words: the claim's subPath, or what the initializer downloads. */
function mounted(at: StorageLocation): string {
  const path = at.segments.join('/');
  return at.scheme === 'pvc'
    ? `KServe mounts the claim's subPath ${path} there (pvc://${at.root}/${path}), not the claim's root`
    : `KServe's storage initializer downloads what ${at.uri} holds into it, not a folder named after it`;
}

/** The finding on a model path one folder below /mnt/models that is not what the storage URI puts there. */
function outside(at: StorageLocation, path: string, from: string): Problem[] {
  const below = path.slice(MODEL_MOUNT.length + 1).split('/')[0];
  const last = at.segments[at.segments.length - 1];
  if (!below || !last || at.scheme === 'oci') return [];
  const same = below === last;
  if (!same && !ONE_MODEL.test(last)) return [];
  const read =
    at.scheme === 'pvc'
      ? `${at.root}/${at.segments.join('/')}/${path.slice(MODEL_MOUNT.length + 1)}`
      : `${at.uri.replace(/\/$/, '')}/${path.slice(MODEL_MOUNT.length + 1)}`;
  const why = same
    ? `the storage URI already ends in '${last}', so the server reads ${read}, the folder named twice`
    : `the storage URI ends in the model folder '${last}', so the server reads ${read}, a folder '${below}' inside that model`;
  return [
    {
      message: `${from} names ${path}, but ${MODEL_MOUNT} is the folder of the storage URI itself: ${mounted(at)}; ${why}, which holds the model only if that folder has such a subfolder (the tree does not show it), else the server finds no model and exits: pass ${MODEL_MOUNT}${same ? '' : ` and point storageUri at the folder '${below}'`}, or name in storageUri the folder the model is in`,
    },
  ];
}

/** The serving container's own mount at /mnt/models, which replaces what KServe would put there (model-mount-conflict). */
const mountsItsOwn = (c: Loose) => mappings(c.volumeMounts).some((v) => (text(v.mountPath) ?? '').replace(/\/+$/, '') === MODEL_MOUNT);

export const modelPathOutsideMount: Rule = {
  id: 'model-path-outside-mount',
  title: "a model server's --model names a folder below /mnt/models, though KServe puts the storage URI's own folder at /mnt/models",
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    "an InferenceService with one storage URI (storageUri or a custom container's STORAGE_URI, not storageUris nor oci://) whose kserve-container (merged with its runtime's) passes --model, --model_dir or --model-dir a path one or more folders below /mnt/models (/mnt/models/<x>), while the URI's last segment is <x> itself (the folder named twice) or names one model (a Hugging Face repository written with `--`, `Qwen--Qwen3-4B`; a parameter count, `7B`): KServe mounts a pvc:// URI's subPath at /mnt/models (not the claim's root), and for other schemes its storage initializer downloads the URI's contents into /mnt/models, so the server reads <uri>/<x>. A warning: that folder holds a subfolder <x> only if it was written so, which the tree does not show; not judged where the container mounts its own volume at /mnt/models (model-mount-conflict), or the path holds a variable",
  example: '`storageUri: "pvc://llm-store/Qwen--Qwen2.5-7B-Instruct"` with `--model=/mnt/models/qwen_finetuned`',
  fix: 'pass --model=/mnt/models (the folder of the storage URI), and name in storageUri the folder the model is in',
  source:
    'kserve pkg/webhook/admission/pod/storage_initializer_injector.go CommonStorageInitialization (a pvc:// URI is mounted at /mnt/models with its path as the subPath; other URIs are downloaded into /mnt/models by the storage-initializer); kserve python/kserve/kserve/storage/storage.py (the objects under an s3/gs prefix are written relative to it; hf:// downloads the repository snapshot into the folder)',
  check(o, { graph }) {
    const at = storageLocationSplit(o.manifest);
    if (!at) return [];
    const runtime = graph.runtimeOf(o.manifest)?.manifest;
    return containersOf(o.manifest, runtime)
      .filter(({ name, init }) => name === 'kserve-container' && !init)
      .flatMap(({ container }) => {
        if (mountsItsOwn(container)) return [];
        const path = modelPathOf(container, 'kserve-container');
        return path?.word.startsWith(`${MODEL_MOUNT}/`) ? outside(at, path.word.replace(/\/+$/, ''), `${path.from} ${path.flag}`) : [];
      });
  },
};
