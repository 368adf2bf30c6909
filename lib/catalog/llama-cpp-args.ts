/**
 * The options of llama.cpp's server (`llama-server`) that take a value, as ggml-org/llama.cpp common/arg.cpp
 * common_params_parser_init declares them for LLAMA_EXAMPLE_SERVER (options of every example and those set for the
 * server; not those set_excludes takes from it). An option whose handler reads the parameters alone, or a bool
 * handler (`--jinja`/`--no-jinja`), takes none and is not listed. Each listed option reads what its handler does with
 * its value: `number` (an int handler's std::stoi, or std::stof/std::stoul in a string handler: another option as its
 * value throws), `choice` (a string handler that throws on any value outside its list: --flash-attn's on|off|auto,
 * --split-mode, --cache-type-k, a device list), or `text` (any string, a path, a name, JSON read later).
 */
export type LlamaValueKind = 'number' | 'choice' | 'text';

/** Where the table comes from, for rule sources. */
export const LLAMA_CPP_ARGS_SOURCE =
  'ggml-org/llama.cpp common/arg.cpp (common_params_parser_init: the options of LLAMA_EXAMPLE_SERVER and their handlers; common_params_parse_ex: "expected value for argument")';

const NUMBER = [
  '-t --threads',
  '-tb --threads-batch',
  '--cpu-strict',
  '--prio',
  '--poll',
  '--cpu-strict-batch',
  '--prio-batch',
  '--poll-batch',
  '-c --ctx-size',
  '-n --predict --n-predict',
  '-b --batch-size',
  '-ub --ubatch-size',
  '--keep',
  '--ctx-checkpoints --swa-checkpoints',
  '--cache-ram -cram',
  '-s --seed',
  '--temp',
  '--top-k',
  '--top-p',
  '--min-p',
  '--top-nsigma',
  '--xtc-probability',
  '--xtc-threshold',
  '--typical',
  '--repeat-last-n',
  '--repeat-penalty',
  '--presence-penalty',
  '--frequency-penalty',
  '--dry-multiplier',
  '--dry-base',
  '--dry-allowed-length',
  '--dry-penalty-last-n',
  '--dynatemp-range',
  '--dynatemp-exp',
  '--mirostat',
  '--mirostat-lr',
  '--mirostat-ent',
  '--rope-scale',
  '--rope-freq-base',
  '--rope-freq-scale',
  '--yarn-orig-ctx',
  '--yarn-ext-factor',
  '--yarn-attn-factor',
  '--yarn-beta-slow',
  '--yarn-beta-fast',
  '-np --parallel',
  '--image-min-tokens',
  '--image-max-tokens',
  '--n-cpu-moe -ncmoe',
  '--n-cpu-moe-draft -ncmoed',
  '-ngl --gpu-layers --n-gpu-layers',
  '-mg --main-gpu',
  '-fitt --fit-target',
  '-fitc --fit-ctx',
  '--port',
  '-to --timeout',
  '--threads-http',
  '--cache-reuse',
  '--models-max',
  '--reasoning-budget',
  '-sps --slot-prompt-similarity',
  '-lv --verbosity --log-verbosity',
  '-td --threads-draft',
  '-tbd --threads-batch-draft',
  '--draft-max --draft --draft-n',
  '--draft-min --draft-n-min',
  '--draft-p-min',
  '-cd --ctx-size-draft',
  '-ngld --gpu-layers-draft --n-gpu-layers-draft',
];

const CHOICE = [
  '-fa --flash-attn',
  '--pooling',
  '--rope-scaling',
  '-ctk --cache-type-k',
  '-ctv --cache-type-v',
  '-ctkd --cache-type-k-draft',
  '-ctvd --cache-type-v-draft',
  '-sm --split-mode',
  '-fit --fit',
  '--numa',
  '--log-colors',
  '--reasoning-format',
  '-dev --device',
  '-devd --device-draft',
];

const TEXT = [
  '-C --cpu-mask',
  '-Cr --cpu-range',
  '-Cb --cpu-mask-batch',
  '-Crb --cpu-range-batch',
  '--samplers',
  '--sampling-seq --sampler-seq',
  '-l --logit-bias',
  '--grammar',
  '--grammar-file',
  '-j --json-schema',
  '-jf --json-schema-file',
  '-r --reverse-prompt',
  '--dry-sequence-breaker',
  '-dt --defrag-thold',
  '-mm --mmproj',
  '-mmu --mmproj-url',
  '--rpc',
  '--override-tensor -ot',
  '--override-tensor-draft -otd',
  '--override-kv',
  '--lora',
  '--control-vector',
  '-a --alias',
  '-m --model',
  '-mu --model-url',
  '-dr --docker-repo',
  '-hf -hfr --hf-repo',
  '-hfd -hfrd --hf-repo-draft',
  '-hff --hf-file',
  '-hfv -hfrv --hf-repo-v',
  '-hffv --hf-file-v',
  '-hft --hf-token',
  '--host',
  '--path',
  '--api-prefix',
  '--api-key',
  '--api-key-file',
  '--ssl-key-file',
  '--ssl-cert-file',
  '--chat-template-kwargs',
  '--slot-save-path',
  '--media-path',
  '--models-dir',
  '--models-preset',
  '--chat-template',
  '--chat-template-file',
  '--log-file',
  '-md --model-draft',
  '-mv --model-vocoder',
];

/** Options that take two values (a handler of two strings). */
const TWO = ['--lora-scaled', '--control-vector-scaled', '--control-vector-layer-range', '--spec-replace'];

/** An option that takes values: how many, what it reads, and its longest name (for messages). */
export interface LlamaValueOption {
  readonly values: 1 | 2;
  readonly kind: LlamaValueKind;
  readonly name: string;
}

const TABLE: ReadonlyMap<string, LlamaValueOption> = new Map(
  [
    ...NUMBER.map((n) => [n, 'number', 1] as const),
    ...CHOICE.map((n) => [n, 'choice', 1] as const),
    ...TEXT.map((n) => [n, 'text', 1] as const),
    ...TWO.map((n) => [n, 'text', 2] as const),
  ].flatMap(([names, kind, values]) => {
    const all = names.split(' ');
    const name = all.reduce((a, b) => (b.length > a.length ? b : a));
    return all.map((n) => [n, { values, kind, name }] as const);
  }),
);

/**
 * The option a word names, as the server's parser looks it up: a word starting with `--` has its underscores read as
 * dashes (common_params_parse_ex), a word of one dash is looked up as written.
 */
export function llamaValueOption(word: string): LlamaValueOption | undefined {
  return TABLE.get(word.startsWith('--') ? word.replace(/_/g, '-') : word);
}

/**
 * A build of llama.cpp whose --flash-attn takes a value (on|off|auto, flash_attn_type; b6327 of 2025-08-31 has it):
 * earlier builds had -fa/--flash-attn as a switch, so a server image of an older build (server-b6000) is not judged
 * for it.
 */
export const FLASH_ATTN_VALUE_BUILD = 6327;
