import data from './data/vllm-envs.json';
import { nearWithin } from '../private/edit-distance';

/** Where the catalogue of vLLM's environment variables comes from (scripts/derive-vllm-envs.js writes it). */
export const VLLM_ENV_TABLE_SOURCE: string = data.source;

/** Every VLLM_* variable some vLLM version reads: vllm/envs.py's environment_variables over main's history, and direct reads. */
const KNOWN: ReadonlySet<string> = new Set(data.names);

/** Whether some vLLM version reads the variable. */
export function isKnownVllmEnv(name: string): boolean {
  return KNOWN.has(name);
}

/** The known variable nearest a name, within one edit in four characters past the VLLM_ prefix (two at least). */
export function nearestVllmEnv(name: string): string | undefined {
  return nearWithin(name, data.names, { charactersPerEdit: 4, of: 'word', atLeast: 2, uncounted: 'VLLM_'.length })[0]?.candidate;
}
