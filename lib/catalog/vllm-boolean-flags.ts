/**
 * vLLM's switches: the flags its server's parser declares with `action='store_true'` or argparse's
 * BooleanOptionalAction. Both take no value, so argparse refuses `--flag=value` ("argument --flag: ignored explicit
 * argument 'value'") and the server exits before it loads anything; FlexibleArgumentParser.parse_args
 * (vllm/utils/argparse_utils.py) only rewrites underscores and dotted keys, it reads no `=true`/`=false`.
 *
 * Read from EngineArgs.add_cli_args (vllm/engine/arg_utils.py: every `bool` field of a config dataclass gets
 * BooleanOptionalAction through _compute_kwargs, a few are plain store_true) and FrontendArgs / make_arg_parser
 * (vllm/entrypoints/openai/cli_args.py), v0.7 to v0.11. Left out on purpose: flags that took an optional value in
 * some release (vLLM's old StoreBoolean with nargs='?': --enable-chunked-prefill, --multi-step-stream-outputs,
 * --disable-logprobs-during-spec-decoding), KServe's and vLLM's `type=bool` flags (--guided-decoding-disable-*), and
 * --hf-token (a token or nothing).
 */
export interface VllmSwitch {
  /**
   * vLLM may turn it on without the flag (a default of True, or None that the V1 engine reads as on): `=false` means
   * `--no-<flag>`, which BooleanOptionalAction declares. Otherwise off is the default and `=false` means dropping it.
   */
  readonly onByDefault?: string;
}

const OFF: VllmSwitch = {};

export const VLLM_SWITCHES: Readonly<Record<string, VllmSwitch>> = {
  // ModelConfig
  '--trust-remote-code': OFF,
  '--enforce-eager': OFF,
  '--skip-tokenizer-init': OFF,
  '--disable-sliding-window': OFF,
  '--disable-cascade-attn': OFF,
  '--enable-prompt-embeds': OFF,
  '--enable-sleep-mode': OFF,
  // LoadConfig
  '--use-tqdm-on-load': { onByDefault: 'on by default: LoadConfig.use_tqdm_on_load' },
  // ParallelConfig
  '--data-parallel-hybrid-lb': OFF,
  '--enable-expert-parallel': OFF,
  '--enable-dbo': OFF,
  '--enable-eplb': OFF,
  '--ray-workers-use-nsight': OFF,
  '--disable-custom-all-reduce': OFF,
  '--enable-multimodal-encoder-data-parallel': OFF,
  // CacheConfig
  '--enable-prefix-caching': { onByDefault: 'the V1 engine turns prefix caching on when no flag says otherwise: CacheConfig.enable_prefix_caching' },
  '--calculate-kv-scales': OFF,
  '--kv-sharing-fast-prefill': OFF,
  // MultiModalConfig
  '--enable-mm-embeds': OFF,
  '--disable-mm-preprocessor-cache': OFF,
  '--interleave-mm-strings': OFF,
  '--skip-mm-profiling': OFF,
  // LoRAConfig
  '--enable-lora': OFF,
  '--enable-lora-bias': OFF,
  '--fully-sharded-loras': OFF,
  '--enable-prompt-adapter': OFF,
  // SchedulerConfig
  '--disable-chunked-mm-input': OFF,
  '--disable-hybrid-kv-cache-manager': OFF,
  '--async-scheduling': OFF,
  '--disable-async-output-proc': OFF,
  // engine logging
  '--disable-log-stats': OFF,
  '--disable-log-requests': OFF,
  '--aggregate-engine-logging': OFF,
  // FrontendArgs and make_arg_parser
  '--headless': OFF,
  '--disable-uvicorn-access-log': OFF,
  '--allow-credentials': OFF,
  '--trust-request-chat-template': OFF,
  '--enable-ssl-refresh': OFF,
  '--return-tokens-as-token-ids': OFF,
  '--disable-frontend-multiprocessing': OFF,
  '--enable-request-id-headers': OFF,
  '--enable-auto-tool-choice': OFF,
  '--exclude-tools-when-tool-choice-none': OFF,
  '--disable-fastapi-docs': OFF,
  '--enable-prompt-tokens-details': OFF,
  '--enable-server-load-tracking': OFF,
  '--enable-force-include-usage': OFF,
  '--enable-tokenizer-info-endpoint': OFF,
  '--enable-log-outputs': OFF,
};

/** The switch a long flag names (its dashed form), undefined for a flag that takes a value or is not known. */
export function vllmSwitch(flag: string): VllmSwitch | undefined {
  return Object.prototype.hasOwnProperty.call(VLLM_SWITCHES, flag) ? VLLM_SWITCHES[flag] : undefined;
}
