import { editDistance } from '../private/edit-distance';

/**
 * The metric families vLLM's engine exports, all named vllm:<name> (vllm/v1/metrics/loggers.py PrometheusStatLogger,
 * vllm/v1/spec_decode/metrics.py SpecDecodingProm; vLLM 0.8 to 0.13).
 */
const ENGINE_METRICS = [
  'num_requests_running',
  'num_requests_waiting',
  'engine_sleep_state',
  'kv_cache_usage_perc',
  'corrupted_requests',
  'prefix_cache_queries',
  'prefix_cache_hits',
  'external_prefix_cache_queries',
  'external_prefix_cache_hits',
  'mm_cache_queries',
  'mm_cache_hits',
  'num_preemptions',
  'prompt_tokens',
  'generation_tokens',
  'request_success',
  'request_prompt_tokens',
  'request_generation_tokens',
  'iteration_tokens_total',
  'request_max_num_generation_tokens',
  'request_params_n',
  'request_params_max_tokens',
  'time_to_first_token_seconds',
  'inter_token_latency_seconds',
  'request_time_per_output_token_seconds',
  'e2e_request_latency_seconds',
  'request_queue_time_seconds',
  'request_inference_time_seconds',
  'request_prefill_time_seconds',
  'request_decode_time_seconds',
  'kv_block_lifetime_seconds',
  'kv_block_idle_before_evict_seconds',
  'kv_block_reuse_gap_seconds',
  'lora_requests_info',
  'cache_config_info',
  'spec_decode_num_drafts',
  'spec_decode_num_draft_tokens',
  'spec_decode_num_accepted_tokens',
  'spec_decode_num_accepted_tokens_per_pos',
  // the V0 engine's (vllm/engine/metrics.py Metrics), gone with that engine in 0.10
  'request_params_best_of',
  'spec_decode_draft_acceptance_rate',
  'spec_decode_efficiency',
  'spec_decode_num_emitted_tokens',
  'avg_prompt_throughput_toks_per_s',
  'avg_generation_throughput_toks_per_s',
];

/**
 * Names the vLLM production-stack router emits (src/vllm_router/services/metrics_service and stats), with the same
 * vllm: prefix: known names, though no engine exports them.
 */
const ROUTER_METRICS = [
  'num_incoming_requests',
  'num_prefill_requests',
  'num_decoding_requests',
  'current_qps',
  'avg_decoding_length',
  'avg_latency',
  'avg_itl',
  'healthy_pods_total',
  'request_errors_total',
  'request_latency_seconds',
  'routing_decisions',
  'input_tokens_total',
  'output_tokens_total',
  'semantic_cache_hit_ratio',
  'semantic_cache_hits',
  'semantic_cache_misses',
  'semantic_cache_latency',
  'semantic_cache_size',
];

/**
 * Metrics vLLM deprecated, hid and removed (docs usage/metrics: deprecated in X.Y, hidden in X.Y+1 unless
 * --show-hidden-metrics-for-version=X.Y, removed in X.Y+2): what replaced each and from which release it is gone.
 */
const RETIRED: Readonly<Record<string, { readonly replacement?: string; readonly hidden: string; readonly removed?: string; readonly source: string }>> = {
  gpu_cache_usage_perc: { replacement: 'kv_cache_usage_perc', hidden: '0.11', removed: '0.12', source: 'vllm#24245, vllm#29330' },
  gpu_prefix_cache_queries: { replacement: 'prefix_cache_queries', hidden: '0.11', removed: '0.12', source: 'vllm#24245, vllm#29330' },
  gpu_prefix_cache_hits: { replacement: 'prefix_cache_hits', hidden: '0.11', removed: '0.12', source: 'vllm#24245, vllm#29330' },
  time_per_output_token_seconds: { replacement: 'inter_token_latency_seconds', hidden: '0.12', source: 'vllm#24110, vllm#29330' },
  num_requests_swapped: { hidden: '0.9', removed: '0.10', source: 'vllm#15458, vllm#18837' },
  cpu_cache_usage_perc: { hidden: '0.9', removed: '0.10', source: 'vllm#15458, vllm#18837' },
  cpu_prefix_cache_hit_rate: { hidden: '0.9', removed: '0.10', source: 'vllm#15458, vllm#18837' },
  gpu_prefix_cache_hit_rate: { replacement: 'prefix_cache_hits', hidden: '0.9', removed: '0.10', source: 'vllm#15458, vllm#18837' },
  time_in_queue_requests: { replacement: 'request_queue_time_seconds', hidden: '0.9', removed: '0.10', source: 'vllm#15458, vllm#18837' },
  model_forward_time_milliseconds: { hidden: '0.9', removed: '0.10', source: 'vllm#15458, vllm#18837' },
  model_execute_time_milliseconds: { hidden: '0.9', removed: '0.10', source: 'vllm#15458, vllm#18837' },
};

/** The series suffixes Prometheus' client library adds to a family's name (a counter's _total, a histogram's _bucket/_sum/_count). */
const SERIES_SUFFIX = /_(total|created|bucket|sum|count)$/;

/** The family a series name (after vllm:) belongs to, when it is one vLLM or its router exports. */
function familyOf(name: string, families: ReadonlySet<string>): string | undefined {
  if (families.has(name)) return name;
  const bare = name.replace(SERIES_SUFFIX, '');
  return bare !== name && families.has(bare) ? bare : undefined;
}

const ENGINE = new Set([...ENGINE_METRICS, ...Object.keys(RETIRED)]);
const KNOWN = new Set([...ENGINE_METRICS, ...ROUTER_METRICS, ...Object.keys(RETIRED)]);

/** What a metric name of a query is, read against vLLM's names. */
export type VllmMetricVerdict =
  /** vllm:<name> that vLLM or its router exports now. */
  | { readonly kind: 'known'; readonly name: string; readonly engine: boolean }
  /** vllm_<name> where vLLM exports vllm:<name>: Prometheus holds no series of that name. */
  | { readonly kind: 'underscore'; readonly name: string; readonly exported: string; readonly engine: boolean }
  /** vllm:<name> that vLLM hid and removed. */
  | {
      readonly kind: 'retired';
      readonly name: string;
      readonly replacement?: string;
      readonly hidden: string;
      readonly removed?: string;
      readonly source: string;
    }
  /** vllm:<name> that no vLLM release exports; the closest known name when one is near. */
  | { readonly kind: 'unknown'; readonly name: string; readonly closest?: string };

/** The verdict on one metric name; undefined for names that are not vLLM's (neither vllm: nor vllm_). */
export function vllmMetric(name: string): VllmMetricVerdict | undefined {
  const colon = /^vllm:(.+)$/.exec(name);
  if (colon) {
    const family = familyOf(colon[1], KNOWN);
    if (family && RETIRED[family]) return { kind: 'retired', name, ...RETIRED[family] };
    if (family) return { kind: 'known', name, engine: ENGINE.has(family) };
    const near = [...KNOWN].map((k) => ({ k, d: editDistance(colon[1].replace(SERIES_SUFFIX, ''), k) })).sort((a, b) => a.d - b.d)[0];
    return { kind: 'unknown', name, closest: near && near.d <= 3 ? `vllm:${near.k}` : undefined };
  }
  const underscore = /^vllm_(.+)$/.exec(name);
  const family = underscore ? familyOf(underscore[1], KNOWN) : undefined;
  if (!underscore || !family) return undefined;
  return { kind: 'underscore', name, exported: `vllm:${underscore[1]}`, engine: ENGINE.has(family) };
}

/**
 * The engine metric a query's metric name means: a vllm:<name> the production-stack router does not emit (whether
 * or not vLLM still exports it), or the vllm_<name> misspelling of an engine metric, read as vllm:<name>. Undefined
 * for any other name.
 */
export function vllmEngineMetric(name: string): string | undefined {
  const verdict = vllmMetric(name);
  if (!verdict || (verdict.kind === 'known' && !verdict.engine)) return undefined;
  if (verdict.kind === 'underscore') return verdict.engine ? verdict.exported : undefined;
  return name;
}
