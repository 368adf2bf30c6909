import { storageLocationSplit, MODEL_MOUNT } from '../model-location';
import { Rule } from '../rule';

/**
 * File names of serialised models, by extension: scikit-learn and XGBoost (joblib, pkl, pickle, bst, ubj), ONNX,
 * PyTorch (pt, pth, mar), Keras and TensorFlow (h5, keras, pb), safetensors and GGUF weights. A folder is rarely named so.
 */
const MODEL_FILE = /\.(joblib|pkl|pickle|bst|ubj|onnx|pt|pth|mar|h5|keras|pb|safetensors|gguf)$/i;

export const storageUriNamesFile: Rule = {
  id: 'storage-uri-names-file',
  title: 'a pvc:// storageUri ends in a model file: KServe mounts that file itself at /mnt/models, where the model server looks for a folder',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "an InferenceService's storageUri (its predictor's model field, or a custom container's STORAGE_URI) is pvc://<claim>/<path> and the last segment of <path> has a model file's extension (.joblib, .pkl, .pickle, .bst, .ubj, .onnx, .pt, .pth, .mar, .h5, .keras, .pb, .safetensors, .gguf): KServe's pod webhook mounts the claim in the serving container at /mnt/models with <path> as the subPath, and does not download; a subPath naming a file makes /mnt/models that file, not a folder holding it. An error for the predictor's model field: KServe's runtimes are given /mnt/models as the model folder (--model_dir, vLLM's --model) and list or open it as a folder (the sklearn and xgboost servers list its files; from_pretrained reads its config.json), which fails. A warning for a custom container, which may open /mnt/models as the file. Other schemes are not judged: the storage initializer downloads a file URI into /mnt/models (storage.py), so the folder holds it",
  example: '`storageUri: pvc://model-store/iris/model.joblib` on an sklearn predictor',
  fix: 'name the folder that holds the file (pvc://model-store/iris); the server finds the file in /mnt/models',
  source:
    'kserve pkg/webhook/admission/pod/storage_initializer_injector.go CommonStorageInitialization ("Pvc will be mount to /mnt/models rather than /mnt/pvc. PvcPath will be injected via SubPath, pvcPath must be a root or Dir. It is user responsibility to ensure it is a root or Dir"); kserve python/sklearnserver/sklearnserver/model.py load (lists the files of the model folder); kserve python/kserve/kserve/storage/storage.py (a file URI of a downloading scheme is written into the folder)',
  scope: 'object',
  check(o) {
    const at = storageLocationSplit(o.manifest);
    const last = at?.segments[at.segments.length - 1];
    if (!at || at.scheme !== 'pvc' || !last || !MODEL_FILE.test(last)) return [];
    const folder = `pvc://${[at.root, ...at.segments.slice(0, -1)].join('/')}`;
    const effect = at.modelField
      ? `KServe's model server is given ${MODEL_MOUNT} as the model folder and reads it as one (listing its files, or opening its config.json), which fails on a file, so the model never loads`
      : `the container finds a file at ${MODEL_MOUNT}, not a folder holding it: a server that reads ${MODEL_MOUNT} as its model folder fails (unless it opens ${MODEL_MOUNT} as the file itself)`;
    return [
      {
        ...(at.modelField ? {} : { severity: 'warning' as const }),
        message: `storageUri '${at.uri}' ends in the file '${last}': KServe mounts the claim's subPath ${at.segments.join('/')} at ${MODEL_MOUNT} and downloads nothing, so ${MODEL_MOUNT} is that file; ${effect}; write storageUri: ${folder}, the folder that holds it`,
      },
    ];
  },
};
