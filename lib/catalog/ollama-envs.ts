import { nearWithin } from '../private/edit-distance';

/**
 * Where the table of Ollama's environment variables comes from: every `"OLLAMA_…"` string literal of the non-test Go
 * files (envconfig/config.go's Var table and the direct os.Getenv reads of cmd/, discover/, llm/, server/ and app/) at
 * each release tag of ollama/ollama from v0.0.1 to v0.32.15, release candidates left out.
 */
export const OLLAMA_ENV_SOURCE =
  'ollama/ollama envconfig/config.go (AsMap, the "OLLAMA_…" variables the server reads) and the OLLAMA_* literals of its Go sources, releases v0.0.1 to v0.32.15';

/** The newest release the table was taken from: a name whose last release is this one is still read. */
export const OLLAMA_NEWEST = '0.32.15';

/** Each OLLAMA_* variable some release reads: the first and the last release that reads it. */
const RELEASES: Readonly<Record<string, readonly [string, string]>> = {
  OLLAMA_AGENT_DISABLE_BASH: ['0.14.0', '0.31.1'],
  OLLAMA_AGENT_DISABLE_SHELL: ['0.32.0', '0.32.15'],
  OLLAMA_AGENT_DISABLE_WEBSEARCH: ['0.14.0', '0.32.15'],
  OLLAMA_API_KEY: ['0.23.0', '0.32.15'],
  OLLAMA_APP_DB_PATH: ['0.32.15', '0.32.15'],
  OLLAMA_AUTH: ['0.8.0', '0.32.15'],
  OLLAMA_BACKEND: ['0.14.0', '0.15.5'],
  OLLAMA_CLOUD_BASE_URL: ['0.18.0', '0.32.15'],
  OLLAMA_CONTEXT_LENGTH: ['0.5.13', '0.32.15'],
  OLLAMA_CORS: ['0.12.10', '0.32.15'],
  OLLAMA_DEBUG: ['0.1.21', '0.32.15'],
  OLLAMA_DEBUG_LOG_REQUESTS: ['0.18.3', '0.32.15'],
  OLLAMA_DOT_COM_URL: ['0.12.10', '0.32.15'],
  OLLAMA_EDITOR: ['0.16.0', '0.32.15'],
  OLLAMA_EXPERIMENT: ['0.6.0', '0.32.15'],
  OLLAMA_FLASH_ATTENTION: ['0.1.39', '0.32.15'],
  OLLAMA_GO_TEMPLATE: ['0.30.0', '0.32.15'],
  OLLAMA_GPU_OVERHEAD: ['0.3.10', '0.32.15'],
  OLLAMA_HOST: ['0.0.1', '0.32.15'],
  OLLAMA_IGPU_ENABLE: ['0.30.0', '0.32.15'],
  OLLAMA_INTEL_GPU: ['0.1.45', '0.12.10'],
  OLLAMA_KEEP_ALIVE: ['0.1.29', '0.32.15'],
  OLLAMA_KV_CACHE_TYPE: ['0.5.0', '0.32.15'],
  OLLAMA_LAUNCH_DSH_API_KEY: ['0.32.11', '0.32.15'],
  OLLAMA_LIBRARY_PATH: ['0.6.7', '0.32.15'],
  OLLAMA_LLAMA_CPP_COMPAT: ['0.30.0', '0.32.15'],
  OLLAMA_LLM_LIBRARY: ['0.1.21', '0.32.15'],
  OLLAMA_LOAD_TIMEOUT: ['0.3.10', '0.32.15'],
  OLLAMA_MAX_LOADED_MODELS: ['0.1.33', '0.32.15'],
  OLLAMA_MAX_QUEUE: ['0.1.34', '0.32.15'],
  OLLAMA_MAX_TRANSFER_STREAMS: ['0.23.3', '0.32.15'],
  OLLAMA_MAX_VRAM: ['0.1.29', '0.6.8'],
  OLLAMA_MLX_MTP_COMPARE_SERIAL_VALIDATE: ['0.23.1', '0.30.7'],
  OLLAMA_MLX_MTP_DRAFT_SCHEDULE: ['0.23.1', '0.30.10'],
  OLLAMA_MLX_MTP_INITIAL_DRAFT_TOKENS: ['0.23.1', '0.30.10'],
  OLLAMA_MLX_MTP_MAX_DRAFT_TOKENS: ['0.23.1', '0.30.10'],
  OLLAMA_MLX_MTP_SERIAL_VALIDATE: ['0.23.1', '0.30.10'],
  OLLAMA_MODELS: ['0.1.6', '0.32.15'],
  OLLAMA_MULTIUSER_CACHE: ['0.3.13', '0.24.0'],
  OLLAMA_NEW_ENGINE: ['0.5.12', '0.24.0'],
  OLLAMA_NEW_ESTIMATES: ['0.11.5', '0.11.10'],
  OLLAMA_NOHISTORY: ['0.1.39', '0.32.15'],
  OLLAMA_NOPRUNE: ['0.0.19', '0.32.15'],
  OLLAMA_NO_CLOUD: ['0.16.2', '0.32.15'],
  OLLAMA_NUM_PARALLEL: ['0.1.33', '0.32.15'],
  OLLAMA_ORIGINS: ['0.0.14', '0.32.15'],
  OLLAMA_PORT: ['0.0.1', '0.0.19'],
  OLLAMA_REGISTRY_MAXSTREAMS: ['0.5.13', '0.31.1'],
  OLLAMA_REMOTES: ['0.12.0', '0.32.15'],
  OLLAMA_RUNNERS_DIR: ['0.1.33', '0.3.10'],
  OLLAMA_SCHED_SPREAD: ['0.1.45', '0.32.15'],
  OLLAMA_SKILLS: ['0.32.2', '0.32.15'],
  OLLAMA_TMPDIR: ['0.1.32', '0.6.5'],
  OLLAMA_UPDATE_URL: ['0.12.10', '0.22.1'],
  OLLAMA_VULKAN: ['0.12.11', '0.32.15'],
};

/**
 * Names taken for variables that are model options (ollama api/types.go Options: num_ctx, num_gpu, …), which Ollama
 * reads from a request's options or a Modelfile's PARAMETER, never from its environment; where a server variable does
 * what the option does, it is named.
 */
const MODEL_OPTIONS: Readonly<Record<string, string | undefined>> = {
  OLLAMA_NUM_CTX: 'OLLAMA_CONTEXT_LENGTH',
  OLLAMA_CTX_SIZE: 'OLLAMA_CONTEXT_LENGTH',
  OLLAMA_CONTEXT_SIZE: 'OLLAMA_CONTEXT_LENGTH',
  OLLAMA_NUM_GPU: undefined,
  OLLAMA_NUM_THREAD: undefined,
  OLLAMA_NUM_BATCH: undefined,
  OLLAMA_NUM_PREDICT: undefined,
  OLLAMA_NUM_KEEP: undefined,
  OLLAMA_USE_MMAP: undefined,
  OLLAMA_TEMPERATURE: undefined,
};

/** What Ollama makes of a variable: read (by which releases), or not read at all, with the name it reads for it. */
export type OllamaEnvVerdict =
  { readonly known: true; readonly first: string; readonly last: string } | { readonly known: false; readonly option?: string; readonly near?: string };

/** The verdict on one OLLAMA_* name. */
export function ollamaEnv(name: string): OllamaEnvVerdict {
  const releases = RELEASES[name];
  if (releases) return { known: true, first: releases[0], last: releases[1] };
  if (name in MODEL_OPTIONS) return { known: false, option: name.slice('OLLAMA_'.length).toLowerCase(), near: MODEL_OPTIONS[name] };
  const near = nearWithin(name, Object.keys(RELEASES), { charactersPerEdit: 4, of: 'word', atLeast: 2, uncounted: 'OLLAMA_'.length })[0]?.candidate;
  return { known: false, ...(near ? { near } : {}) };
}

/** Release numbers compared part by part (0.5.13 after 0.5.9); -1, 0 or 1. */
export function compareOllamaReleases(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}
