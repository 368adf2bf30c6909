import { isInferenceSimulator } from '../catalog/vllm-images';
import { Loose, mappings, strings, text } from '../manifests/access';
import { buildCommandLine, commandLineOf, containerPieces } from './command-line';
import { containersOf } from './pods';
import { templateContainers } from './pod-templates';
import { VllmArgs } from './vllm-args';

/**
 * The words of a flag vLLM reads as a list (argparse nargs='+': `--served-model-name a b`, `--lora-modules x=p y=q`),
 * at its last occurrence: the attached value, else the words up to the next flag; undefined when not given.
 */
function listOf(args: VllmArgs, flag: string): string[] | undefined {
  return flagWords(
    args.words.map((w) => w.word),
    flag,
  );
}

/** The names --served-model-name gives at its last occurrence, as written (argparse nargs='+'); undefined where not given or not known. */
export function servedModelNameWords(args: VllmArgs): string[] | undefined {
  return args.unknown('--served-model-name') ? undefined : listOf(args, '--served-model-name');
}

/**
 * Where a request's model is a piece of a served name holding a comma (`--served-model-name chat,chat-7b` serves the
 * one name 'chat,chat-7b'), why vLLM does not serve it; empty otherwise. vLLM's --served-model-name takes blank-separated
 * names (nargs='+', vllm/config ModelConfig.served_model_name) and never splits one at a comma.
 */
export function commaNameNote(names: readonly string[], model: string): string {
  const joined = names.find(
    (n) =>
      n.includes(',') &&
      n
        .split(',')
        .map((p) => p.trim())
        .includes(model),
  );
  return joined
    ? ` ('${joined}' is one name: vLLM takes the names of --served-model-name separated by blanks and never splits one at a comma; write \`--served-model-name ${joined
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .join(' ')}\` to serve '${model}')`
    : '';
}

/** A --lora-modules entry's adapter name: `name=path`, or the JSON form's "name" (vllm/entrypoints/openai/cli_args.py LoRAParserAction). */
function adapterName(entry: string): string | undefined {
  if (!entry.trim().startsWith('{')) return entry.includes('=') ? entry.slice(0, entry.indexOf('=')) : undefined;
  try {
    const parsed = JSON.parse(entry) as { name?: unknown };
    return typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The model names vLLM's OpenAI server answers to: --served-model-name (every name of the list), else the model, and
 * the LoRA adapters of --lora-modules (vllm/entrypoints/openai/serving_models.py: base model paths and LoRA requests
 * are the names a request's `model` may take). Undefined when the tree does not tell them (a variable, an unread
 * config file, a list entry not read).
 */
export function servedNamesOf(args: VllmArgs): string[] | undefined {
  const named = args.unknown('--served-model-name') ? undefined : listOf(args, '--served-model-name');
  const base = named ?? (args.unknown('--model') ? undefined : [args.model()].filter((m): m is string => m !== undefined));
  if (!base?.length || args.unknown('--served-model-name')) return undefined;
  if (args.unknown('--lora-modules')) return undefined;
  const adapters = (listOf(args, '--lora-modules') ?? []).map(adapterName);
  if (adapters.some((a) => a === undefined)) return undefined;
  const names = [...base, ...(adapters as string[])];
  return names.some((n) => n.includes('$')) ? undefined : names;
}

/**
 * Whether the container lets adapters be loaded while it runs (vllm/envs.py VLLM_ALLOW_RUNTIME_LORA_UPDATING, read as
 * "1" or "true"; POST /v1/load_lora_adapter, as the inference extension's lora-syncer sidecar does): its names are not all on its command line.
 */
function loadsAdaptersAtRuntime(container: Loose): boolean {
  const set = mappings(container.env).find((e) => e.name === 'VLLM_ALLOW_RUNTIME_LORA_UPDATING');
  return ['1', 'true'].includes((text(set?.value) ?? '').trim().toLowerCase());
}

/** The simulator's program (llm-d/llm-d-inference-sim Dockerfile ENTRYPOINT /app/llm-d-inference-sim). */
const SIMULATOR_PROGRAM = /(^|\/)llm-d-inference-sim$/;

/**
 * The environment variable the simulator takes its model from when no --model is given (llm-d-inference-sim
 * pkg/common/parser.go ModelEnv, from v0.9: flag over SIM_MODEL over the --config file).
 */
const SIMULATOR_MODEL_ENV = 'SIM_MODEL';

/** Whether a container runs llm-d's vLLM simulator: its image left to its entrypoint, or a command naming its program. */
export function runsSimulator(c: Loose): boolean {
  const command = strings(c.command);
  return command.length ? SIMULATOR_PROGRAM.test(command[0]) : isInferenceSimulator(text(c.image));
}

/** The words after a flag at its last occurrence: the attached value, else those up to the next flag (argparse nargs='+' and pflag list flags take several). */
function flagWords(words: readonly string[], flag: string): string[] | undefined {
  const at = words.map((w, i) => (w === flag || w.startsWith(`${flag}=`) ? i : -1)).filter((i) => i >= 0);
  if (!at.length) return undefined;
  const i = at[at.length - 1];
  if (words[i].includes('=')) return [words[i].slice(flag.length + 1)];
  const rest = words.slice(i + 1);
  const end = rest.findIndex((w) => w.startsWith('-'));
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The model names llm-d's vLLM simulator answers to (llm-d-inference-sim pkg/common/parser.go and config.go,
 * isValidModel in pkg/llm-d-inference-sim/helpers.go; any other name gets vLLM's 404 "The model `…` does not exist."):
 * --served-model-name, else --model, else SIM_MODEL; and its LoRA adapters, --lora-modules (JSON strings with a "name")
 * or, in the first releases, --lora (comma-separated). Undefined when a --config file may set them or a word is a
 * variable.
 */
export function simulatorServedNames(c: Loose, where: string): string[] | undefined {
  const pieces = containerPieces(c, where);
  const line = buildCommandLine(pieces);
  if (line.words.some((w) => w.uncertain)) return undefined;
  const words = line.words.map((w) => w.word);
  if (flagWords(words, '--config') !== undefined) return undefined;
  const model = flagWords(words, '--model')?.[0] ?? pieces.env.find((e) => e.name === SIMULATOR_MODEL_ENV)?.value;
  const base = flagWords(words, '--served-model-name') ?? (model ? [model] : undefined);
  if (!base?.length) return undefined;
  const modules = (flagWords(words, '--lora-modules') ?? []).map(adapterName);
  if (modules.some((a) => a === undefined)) return undefined;
  const loras = (flagWords(words, '--lora')?.[0] ?? '').split(',').filter(Boolean);
  const names = [...base, ...(modules as string[]), ...loras];
  return names.some((n) => n.includes('$')) ? undefined : names;
}

/**
 * The names the model servers of a workload's pod answer to, every container's: vLLM's and llm-d's vLLM simulator's;
 * undefined where it runs none the tree reads, or where the names of one are not known (a variable, an unread config
 * file, adapters loaded at runtime).
 */
export function workloadServedNames(m: Loose): string[] | undefined {
  // a kind of several pod templates (a LeaderWorkerSet's leader and workers) runs the containers of each
  const containers = [...containersOf(m), ...templateContainers(m)].filter((c) => !c.init);
  const vllm = containers.map((c) => ({ container: c.container, args: VllmArgs.of(commandLineOf(c.container)) })).filter((c) => c.args.invoked);
  const sims = containers.filter((c) => !VllmArgs.of(commandLineOf(c.container)).invoked && runsSimulator(c.container));
  const lines = vllm.filter((c) => !loadsAdaptersAtRuntime(c.container)).map((c) => c.args);
  if (!lines.length && !sims.length) return undefined;
  if (lines.length < vllm.length) return undefined;
  const named = [...lines.map(servedNamesOf), ...sims.map((c) => simulatorServedNames(c.container, `container '${c.name}'`))];
  return named.every((n): n is string[] => n !== undefined) ? named.flat() : undefined;
}

/** Whether a workload's pod runs llm-d's vLLM simulator, which also loads LoRA adapters whenever asked (POST /v1/load_lora_adapter, always routed). */
export function workloadSimulates(m: Loose): boolean {
  return [...containersOf(m), ...templateContainers(m)].some((c) => !c.init && runsSimulator(c.container));
}
