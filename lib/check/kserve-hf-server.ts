import { Loose, mapping, mappings, text } from '../manifests/access';
import { modelSpecOf } from './serving-model';
import type { SourcedWord } from './vllm-args';

/**
 * KServe's huggingfaceserver image (kserve python/huggingfaceserver): its own parser (--model_name, --model_id,
 * --backend, … and the model server's options of kserve/model_server.py), read with parse_known_args, to which it
 * adds vLLM's server options (maybe_add_vllm_cli_parser: vLLM's make_arg_parser) when it serves the model with vLLM.
 */
export const KSERVE_HF_SERVER = /(^|\/)kserve\/huggingfaceserver([:@]|$)/;

/** The InferenceService's model as KServe binds it: the runtime in the tree, a ClusterServingRuntime's images, its written runtime name and format. */
export interface HfServiceView {
  readonly manifest: Loose;
  /** The ServingRuntime of the tree the service binds, if any. */
  readonly runtime?: Loose;
  /** The ClusterServingRuntime of the tree of the runtime name, where no ServingRuntime of that name is bound. */
  readonly clusterRuntime?: Loose;
  /** Upstream KServe, whose installed ClusterServingRuntimes serve the `huggingface` format with kserve-huggingfaceserver (OpenShift AI installs none). */
  readonly upstream: boolean;
}

function imagesOf(runtime: Loose | undefined): string[] {
  return mappings(mapping(runtime?.spec).containers).flatMap((c) => text(c.image) ?? []);
}

/**
 * Whether an InferenceService runs KServe's huggingfaceserver: the runtime (or ClusterServingRuntime) of the tree it
 * binds runs that image; or, no runtime of the tree bound, its runtime name says so (kserve-huggingfaceserver and the
 * copies named after it), or, on upstream KServe, it names none and its model format is `huggingface`, which KServe's
 * installed ClusterServingRuntimes serve only with kserve-huggingfaceserver (config/runtimes: supportedModelFormats
 * huggingface, autoSelect), or its arguments hold the server's own options (--backend, --model_name: huggingfaceserver __main__.py).
 */
export function runsHuggingfaceServer(s: HfServiceView, words: readonly SourcedWord[]): boolean {
  if (s.manifest.kind !== 'InferenceService') return false;
  const bound = s.runtime ?? s.clusterRuntime;
  if (bound) return imagesOf(bound).some((i) => KSERVE_HF_SERVER.test(i));
  const model = modelSpecOf(s.manifest);
  if (text(model.image) !== undefined) return KSERVE_HF_SERVER.test(text(model.image) ?? '');
  const name = text(model.runtime) ?? '';
  if (/huggingfaceserver/i.test(name)) return true;
  if (!name && s.upstream && /^huggingface$/i.test(text(mapping(model.modelFormat).name) ?? '')) return true;
  return words.some((w) => /^--(backend|model_name)(=|$)/.test(w.word));
}

/**
 * The backend huggingfaceserver is told to use (--backend, its Backend enum: auto, vllm, huggingface; auto when not
 * given), as written on its command line: the last one counts (argparse).
 */
export function huggingfaceServerBackend(words: readonly SourcedWord[]): string {
  let backend = 'auto';
  words.forEach((w, i) => {
    if (w.word.startsWith('--backend=')) backend = w.word.slice('--backend='.length);
    else if (w.word === '--backend' && words[i + 1]) backend = words[i + 1].word;
  });
  return backend.toLowerCase();
}
