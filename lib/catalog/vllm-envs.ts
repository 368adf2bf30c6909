import data from './data/vllm-envs.json';
import { nearWithin } from '../private/edit-distance';

/** Where the catalogue of vLLM's environment variables comes from (scripts/derive-vllm-envs.js writes it). */
export const VLLM_ENV_TABLE_SOURCE: string = data.source;

/**
 * Variables vLLM's main added to vllm/envs.py after the table's head (data.head, 2026-05-29), each with the pull
 * request that added it (or the month it reached vllm/envs.py): the derived table stops at the clone it was made from,
 * and a variable a later release reads is no unknown one. Listed here until the table is derived again from a later
 * clone (scripts/derive-vllm-envs.js).
 */
const ADDED_AFTER_TABLE: Readonly<Record<string, string>> = {
  // vllm/platforms/cuda.py: pinned memory (and so UVA, which the V2 model runner needs) stays off on WSL2 unless the
  // kernel supports it and this is set ("Enable it via VLLM_WSL2_ENABLE_PIN_MEMORY=1"); in vllm/envs.py from 2026-06
  VLLM_WSL2_ENABLE_PIN_MEMORY: 'vllm/platforms/cuda.py, vllm/envs.py (2026-06)',
  VLLM_MAX_AUDIO_DECODE_DURATION_S: 'vllm/envs.py (2026-06)',
  VLLM_MAX_AUDIO_PREPROCESS_WORKERS: 'vllm/envs.py (2026-06)',
  VLLM_REGEX_COMPILATION_TIMEOUT_S: 'vllm/envs.py (2026-06)',
  VLLM_WORKER_SHUTDOWN_TIMEOUT_SECONDS: 'vllm/envs.py (2026-06)',
  VLLM_FASTSAFETENSORS_QUEUE_SIZE: 'vllm/envs.py (2026-06)',
  VLLM_TRITON_FORCE_FIRST_CONFIG: 'vllm/envs.py (2026-06)',
  VLLM_DEEPEP_V2_ALLOW_HYBRID_MODE: 'vllm/envs.py (2026-06)',
  VLLM_DEEPEP_V2_PREFER_OVERLAP: 'vllm/envs.py (2026-06)',
  VLLM_DEEPEP_V2_ALLOW_MULTIPLE_REDUCTION: 'vllm/envs.py (2026-06)',
  VLLM_MXFP8_EMULATION_DEQUANT_AT_LOAD: 'vllm/envs.py (2026-06)',
  VLLM_ROCM_USE_AITER_CUSTOM_AR: 'vllm-project/vllm#46065',
  VLLM_MAX_IMAGE_PIXELS: 'vllm-project/vllm#47010',
  VLLM_GPU_SYNC_CHECK: 'vllm-project/vllm#44800',
  VLLM_MOONCAKE_LOAD_RECV_THREADS: 'vllm-project/vllm#45971',
  VLLM_MOE_SKIP_PADDING: 'vllm-project/vllm#46428',
  VLLM_MAX_COMPLETION_PROMPTS: 'vllm-project/vllm#47845',
  VLLM_ENABLE_STARTUP_PLAN: 'vllm-project/vllm#47388',
  VLLM_BUILD_COMMIT: 'vllm-project/vllm#45313',
  VLLM_BUILD_PIPELINE: 'vllm-project/vllm#45313',
  VLLM_BUILD_URL: 'vllm-project/vllm#45313',
  VLLM_IMAGE_TAG: 'vllm-project/vllm#45313',
  VLLM_FLASHINFER_AUTOTUNE_SKIP_OPS: 'vllm-project/vllm#48268',
  VLLM_EC_SIDE_CHANNEL_HOST: 'vllm-project/vllm#42433',
  VLLM_EC_SIDE_CHANNEL_PORT: 'vllm-project/vllm#42433',
  VLLM_P2P_SIDE_CHANNEL_HOST: 'vllm-project/vllm#47636',
  VLLM_P2P_SIDE_CHANNEL_PORT: 'vllm-project/vllm#47636',
  VLLM_DCP_Q_REPLICATE: 'vllm-project/vllm#45964',
  // VLLM_TRITON_ATTN_USE_TD renamed (#45781)
  VLLM_TRITON_USE_TD: 'vllm-project/vllm#45781',
  VLLM_ROCM_USE_AITER_MOE_SITUV2_A8W4: 'vllm-project/vllm#50582',
  VLLM_USE_RUST_BENCH: 'vllm-project/vllm#50081',
  VLLM_KIMI_K3_SHARD_SP_SHARED_EXPERT: 'vllm-project/vllm#50656',
  VLLM_RAISE_ON_LOGIT_NANS: 'vllm-project/vllm#50323',
  VLLM_ENABLE_COHERE_API: 'vllm-project/vllm#47189',
  VLLM_ROCM_AITER_MLA_ASM_PADDING: 'vllm-project/vllm#50578',
};

/** Every VLLM_* variable some vLLM version reads: vllm/envs.py's environment_variables over main's history, direct reads, and ADDED_AFTER_TABLE. */
const KNOWN: ReadonlySet<string> = new Set([...data.names, ...Object.keys(ADDED_AFTER_TABLE)]);
const KNOWN_NAMES: readonly string[] = [...KNOWN].sort();

/** Whether some vLLM version reads the variable. */
export function isKnownVllmEnv(name: string): boolean {
  return KNOWN.has(name);
}

/** The known variable nearest a name, within one edit in four characters past the VLLM_ prefix (two at least). */
export function nearestVllmEnv(name: string): string | undefined {
  return nearWithin(name, KNOWN_NAMES, { charactersPerEdit: 4, of: 'word', atLeast: 2, uncounted: 'VLLM_'.length })[0]?.candidate;
}
