import { Loose, mapping, mappings, text } from '../manifests/access';
import { buildCommandLine, containerPieces } from './command-line';
import { predictorModelOf } from './runtime-selection';
import { storageLocationWritten } from './serving-model';
import { holdsTemplate } from './template-syntax';

/** Where KServe puts an InferenceService's model in the serving container (kserve pkg/constants DefaultModelLocalMountPath). */
export const MODEL_MOUNT = '/mnt/models';

/**
 * The options by which model servers take their model's folder: vLLM's --model, KServe's Python servers' --model_dir
 * (kserve python/kserve/kserve/model_server.py), and the hyphenated spelling some custom servers use.
 */
export const MODEL_PATH_FLAGS: readonly string[] = ['--model', '--model_dir', '--model-dir'];

/** A model folder a command line names: the option, its value, and where the value is written. */
export interface ModelPathWord {
  readonly flag: string;
  readonly word: string;
  readonly from: string;
}

/** The model folder a container's command line names (the last of MODEL_PATH_FLAGS given), `$(VAR)` expanded from its env. */
export function modelPathOf(container: Loose, where: string): ModelPathWord | undefined {
  const { words } = buildCommandLine(containerPieces(container, where));
  let found: ModelPathWord | undefined;
  words.forEach((w, i) => {
    for (const flag of MODEL_PATH_FLAGS) {
      if (w.word === flag && words[i + 1]) found = { flag, word: words[i + 1].word, from: words[i + 1].from };
      else if (w.word.startsWith(`${flag}=`)) found = { flag, word: w.word.slice(flag.length + 1), from: w.from };
    }
  });
  return found && !holdsTemplate(found.word) && !found.word.includes('$') ? found : undefined;
}

/** An InferenceService's storage URI split as KServe reads it: the scheme, the claim or bucket, and the path segments below it. */
export interface StorageLocation {
  readonly uri: string;
  readonly scheme: string;
  /** The claim (pvc://), bucket (s3://, gs://) or organisation (hf://). */
  readonly root: string;
  readonly segments: readonly string[];
  /** Whether the predictor's own model field writes it (KServe's runtimes read /mnt/models as a folder), not a custom container's STORAGE_URI. */
  readonly modelField: boolean;
}

/** The storage URI of an InferenceService's predictor, split; undefined for none, a template, several storageUris, or a scheme without a path. */
export function storageLocationSplit(isvc: Loose): StorageLocation | undefined {
  if (isvc.kind !== 'InferenceService') return undefined;
  const predictor = mapping(mapping(isvc.spec).predictor);
  // several storageUris each name their own mountPath: not the one-location layout read here
  if (mappings(predictor.storageUris).length || mappings(mapping(predictor.model).storageUris).length) return undefined;
  const uri = storageLocationWritten(isvc);
  const m = uri ? /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)\/?([^?#]*)/.exec(uri) : null;
  if (!uri || !m) return undefined;
  const [, scheme, root, rest] = m;
  // a claim or bucket left to be filled in (`pvc://${PVC_NAME}/model`) does not change where the path below it lands
  if (holdsTemplate(rest) || rest.includes('$')) return undefined;
  return { uri, scheme, root, segments: rest.split('/').filter(Boolean), modelField: text(predictorModelOf(isvc)?.spec.storageUri) !== undefined };
}
