import { gpuIndependentRefusals, PlanInput } from '../planning/vllm-memory';
import { ModelProfile } from '../planning/model-profile';
import { poolTopology } from '../planning/llm-pool';
import { mappings, text } from '../manifests/access';
import { EnvEntry } from './command-line';
import { GraphObject } from './graph-object';
import { mainContainerOf, WrittenPool } from './llm-pools';
import { CheckContext } from './rule';
import { humanReadableInt, pythonInt, sizeFlag, VllmArgs } from './vllm-args';
import { dataKey, perRun } from '../private/run-memo';

/** Flags vLLM parses with human_readable_int (`32k`, `1K`); max-model-len also takes -1 or `auto` (fit what memory allows). */
const HUMAN_READABLE = new Set(['--max-model-len', '--max-num-batched-tokens']);

/**
 * A numeric vLLM flag: undefined when unset (or `auto`), an error message when set to something vLLM would not parse,
 * an empty error when its value cannot be known here (a variable, an unread config file, an uncertain env hook).
 */
function numberArg(args: VllmArgs, flag: string, integer: boolean): number | undefined | { error: string } {
  if (args.unknown(flag)) return { error: '' };
  const v = args.value(flag);
  if (v === undefined) return undefined;
  if (flag === '--max-model-len' && (v.trim() === '-1' || v.trim().toLowerCase() === 'auto')) return undefined;
  const n = HUMAN_READABLE.has(flag) ? humanReadableInt(v) : integer ? pythonInt(v) : Number(v);
  if (n === undefined || v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n <= 0) {
    return { error: `${flag} '${v}' is not a positive ${integer ? 'whole number' : 'number'}; vLLM refuses to start: write a number` };
  }
  return n;
}

/** The numeric vLLM flags that decide memory, or the first one vLLM would not parse (an empty error: one is unknown). */
export function engineNumbers(
  args: VllmArgs,
): Record<'maxModelLen' | 'gpuMemoryUtilization' | 'maxNumSeqs' | 'maxNumBatchedTokens' | 'blockSize', number | undefined> | { error: string } {
  const numbers = {
    maxModelLen: numberArg(args, '--max-model-len', true),
    gpuMemoryUtilization: numberArg(args, '--gpu-memory-utilization', false),
    maxNumSeqs: numberArg(args, '--max-num-seqs', true),
    maxNumBatchedTokens: numberArg(args, '--max-num-batched-tokens', true),
    blockSize: numberArg(args, '--block-size', true),
  };
  const bad = Object.values(numbers).filter((v): v is { error: string } => typeof v === 'object');
  if (bad.length) return bad.find((b) => b.error) ?? bad[0];
  return numbers as Record<keyof typeof numbers, number | undefined>;
}

/**
 * The runner a command line asks for: --runner, else the runner of a --task (vllm/config/model.py _RUNNER_TASKS) or of
 * a --convert (_RUNNER_CONVERTS: embed, classify and reward convert to pooling); undefined for auto or neither, where
 * vLLM picks by the architecture.
 */
export function runnerOf(args: VllmArgs): PlanInput['runner'] {
  const runner = args.value('--runner')?.trim().toLowerCase();
  if (runner === 'pooling' || runner === 'generate') return runner;
  const task = args.value('--task')?.trim().toLowerCase();
  if (task && ['embedding', 'embed', 'classify', 'score', 'reward'].includes(task)) return 'pooling';
  if (task === 'generate' || task === 'transcription') return 'generate';
  const convert = args.value('--convert')?.trim().toLowerCase();
  return convert && ['embed', 'classify', 'reward'].includes(convert) ? 'pooling' : undefined;
}

/** The planner's settings from vLLM's flags. */
export function engineSettings(args: VllmArgs, n: Record<string, number | undefined>) {
  return {
    maxModelLen: n.maxModelLen,
    gpuMemoryUtilization: n.gpuMemoryUtilization,
    maxNumSeqs: n.maxNumSeqs,
    maxNumBatchedTokens: n.maxNumBatchedTokens,
    blockSize: n.blockSize,
    kvCacheDtype: args.value('--kv-cache-dtype'),
    dtype: args.value('--dtype'),
    quantization: args.value('--quantization'),
    runner: runnerOf(args),
    disableSlidingWindow: args.enabled('--disable-sliding-window') === true,
  };
}

/** The vLLM settings of an InferenceService that decide its memory (an LLMInferenceService is planned per pool). */
export function settingsOf(o: GraphObject, ctx: CheckContext): { tp: number; args: VllmArgs } | { error: string } {
  const args = ctx.graph.vllmCommand(o)?.args;
  if (!args) return { error: '' };
  const tp = sizeFlag(args, '--tensor-parallel-size');
  // a size the kubelet, a shell or a config file not in the tree fills in is not known here: the fit cannot be judged
  if (tp === 'unknown') return { error: '' };
  if (tp === 'invalid')
    return { error: `--tensor-parallel-size '${args.value('--tensor-parallel-size')}' is not a whole number of GPUs; vLLM refuses to start` };
  return { tp, args };
}

/**
 * Whether VLLM_ALLOW_LONG_MAX_MODEL_LEN is set in the serving container's env (vllm/envs.py: "1" or "true", any case):
 * `set`, `unset`, or `unknown` where a variable sets it from a source whose value is not written (valueFrom, envFrom).
 */
export function allowLongMaxModelLen(env: readonly EnvEntry[]): 'set' | 'unset' | 'unknown' {
  const entry = [...env].reverse().find((e) => e.name === 'VLLM_ALLOW_LONG_MAX_MODEL_LEN');
  if (!entry) return 'unset';
  if (entry.value === undefined) return 'unknown';
  return ['1', 'true'].includes(entry.value.trim().toLowerCase()) ? 'set' : 'unset';
}

/** The planner's input for one vLLM server, all but the GPU, and whether it is let exceed the derived max-model-len. */
export interface ServerEngine {
  readonly settings: Omit<PlanInput, 'gpu' | 'allowLongMaxModelLen'>;
  readonly allowLong: 'set' | 'unset' | 'unknown';
}

/** The planner's input for an InferenceService's vLLM, or why it cannot be had (an empty error: a value is not known here). */
export function serviceEngine(o: GraphObject, ctx: CheckContext, model: ModelProfile): ServerEngine | { error: string } {
  const settings = settingsOf(o, ctx);
  if ('error' in settings) return settings;
  const n = engineNumbers(settings.args);
  if ('error' in n) return n;
  const env = ctx.graph.vllmCommand(o)?.env ?? [];
  return { settings: { model, tensorParallelSize: settings.tp, ...engineSettings(settings.args, n) }, allowLong: allowLongMaxModelLen(env) };
}

/** The env of a pool's main container, as written (a value from elsewhere is undefined). */
function poolEnv(pool: WrittenPool): EnvEntry[] {
  const main = mainContainerOf(pool.spec.template) ?? mainContainerOf(pool.spec.worker);
  return mappings(main?.env).map((e) => ({ name: String(e.name), value: text(e.value), from: "container 'main'" }));
}

/** vLLM's LoRA defaults when --enable-lora is given alone (vllm/config/lora.py: max_lora_rank 16, max_loras 1). */
const LORA_DEFAULTS = { maxRank: 16, maxAdapters: 1 };

/** The LoRA slots vLLM reserves memory for, or the flag it would not parse (a rank of 'abc' is no verdict to plan on). */
function loraSlots(args: VllmArgs): { maxRank: number; maxAdapters: number } | { error: string } {
  const rank = numberArg(args, '--max-lora-rank', true);
  const adapters = numberArg(args, '--max-loras', true);
  for (const v of [rank, adapters]) if (typeof v === 'object') return v;
  return { maxRank: (rank as number | undefined) ?? LORA_DEFAULTS.maxRank, maxAdapters: (adapters as number | undefined) ?? LORA_DEFAULTS.maxAdapters };
}

/** The planner's input for one pool of an LLMInferenceService: its parallelism, LoRA slots and vLLM flags. */
export function poolEngine(pool: WrittenPool, model: ModelProfile): ServerEngine | { error: string } {
  const n = engineNumbers(pool.vllm);
  if ('error' in n) return n;
  const topology = poolTopology(pool.parallelism, pool.multiNode);
  const lora = pool.vllm.enabled('--enable-lora') ? loraSlots(pool.vllm) : undefined;
  if (lora && 'error' in lora) return lora;
  return {
    settings: {
      ...engineSettings(pool.vllm, n),
      model,
      tensorParallelSize: topology.tensor,
      pipelineParallelSize: topology.pipeline,
      expertParallelSize: topology.expertParallelSize,
      lora,
    },
    allowLong: allowLongMaxModelLen(poolEnv(pool)),
  };
}

/** The planner's input with VLLM_ALLOW_LONG_MAX_MODEL_LEN as the memory plan reads it: a value not written is taken as set. */
export function planSettings(e: ServerEngine): Omit<PlanInput, 'gpu'> {
  return { ...e.settings, allowLongMaxModelLen: e.allowLong !== 'unset' };
}

/**
 * What vLLM refuses on any hardware for these settings (vllm-memory gpuIndependentRefusals): `refused`, and `unsure`
 * those it refuses only if the VLLM_ALLOW_LONG_MAX_MODEL_LEN the env sets from elsewhere is not 1. Undefined when a
 * setting is no value vLLM parses (gpu-memory-fit says which).
 */
export function startupRefusals(e: ServerEngine): { refused: string[]; unsure: string[] } | undefined {
  // once per run for the same settings (services that share a model and settings are common); each caller its own lists
  const r = perRun('startup-refusals', [dataKey([e.settings, e.allowLong])], () => startupRefusalsNow(e));
  return r && { refused: [...r.refused], unsure: [...r.unsure] };
}

function startupRefusalsNow(e: ServerEngine): { refused: string[]; unsure: string[] } | undefined {
  try {
    const allowed = gpuIndependentRefusals({ ...e.settings, allowLongMaxModelLen: true });
    if (e.allowLong === 'set') return { refused: allowed, unsure: [] };
    const strict = gpuIndependentRefusals({ ...e.settings, allowLongMaxModelLen: false });
    return e.allowLong === 'unset' ? { refused: strict, unsure: [] } : { refused: allowed, unsure: strict.filter((r) => !allowed.includes(r)) };
  } catch {
    return undefined;
  }
}
