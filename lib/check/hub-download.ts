import { Loose, strings } from '../manifests/access';
import { EnvEntry } from './command-line';

/** A Hugging Face repository id (`org/name`), which vLLM downloads unless a folder of that path exists. */
export const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** Variables that keep huggingface_hub from the network: the weights must already be there, no token is asked for. */
export const OFFLINE_ENV: readonly string[] = ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'];

/** Whether a container's env turns huggingface_hub offline (any value but `0`). */
export function hubOffline(env: readonly EnvEntry[]): boolean {
  return env.some((e) => OFFLINE_ENV.includes(e.name) && e.value !== '0');
}

/**
 * Hugging Face's servers that download the model their MODEL_ID (or --model-id) names at start: text-generation-inference
 * (launcher/src/main.rs, Args model_id, env MODEL_ID) and text-embeddings-inference (router/src/main.rs, the same).
 */
export const HF_SERVER_IMAGE = /(^|\/)huggingface\/(text-generation-inference|text-embeddings-inference)(:|@|$)/;

/** A container's model of a TGI or TEI image: --model-id in its args, else MODEL_ID in its env. */
export function hfServerModel(container: Loose, env: readonly EnvEntry[]): string | undefined {
  const words = [...strings(container.command), ...strings(container.args)];
  const at = words.findIndex((w) => w === '--model-id' || w.startsWith('--model-id='));
  if (at >= 0) return words[at].includes('=') ? words[at].slice('--model-id='.length) : words[at + 1];
  return env.find((e) => e.name === 'MODEL_ID')?.value;
}
