import { EnvEntry } from './command-line';

/** A Hugging Face repository id (`org/name`), which vLLM downloads unless a folder of that path exists. */
export const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** Variables that keep huggingface_hub from the network: the weights must already be there, no token is asked for. */
export const OFFLINE_ENV: readonly string[] = ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'];

/** Whether a container's env turns huggingface_hub offline (any value but `0`). */
export function hubOffline(env: readonly EnvEntry[]): boolean {
  return env.some((e) => OFFLINE_ENV.includes(e.name) && e.value !== '0');
}
