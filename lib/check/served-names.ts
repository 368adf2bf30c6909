import { Loose, mappings, text } from '../manifests/access';
import { commandLineOf } from './command-line';
import { containersOf } from './pods';
import { VllmArgs } from './vllm-args';

/**
 * The words of a flag vLLM reads as a list (argparse nargs='+': `--served-model-name a b`, `--lora-modules x=p y=q`),
 * at its last occurrence: the attached value, else the words up to the next flag; undefined when not given.
 */
function listOf(args: VllmArgs, flag: string): string[] | undefined {
  const words = args.words.map((w) => w.word);
  const at = words.map((w, i) => (w === flag || w.startsWith(`${flag}=`) ? i : -1)).filter((i) => i >= 0);
  if (!at.length) return undefined;
  const i = at[at.length - 1];
  if (words[i].includes('=')) return [words[i].slice(flag.length + 1)];
  const rest = words.slice(i + 1);
  const end = rest.findIndex((w) => w.startsWith('-'));
  return end < 0 ? rest : rest.slice(0, end);
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

/**
 * The names the vLLM servers of a workload's pod answer to, every container's; undefined where it runs no vLLM the
 * tree reads, or where the names of one are not known (a variable, an unread config file, adapters loaded at runtime).
 */
export function workloadServedNames(m: Loose): string[] | undefined {
  const vllm = containersOf(m)
    .filter((c) => !c.init)
    .map((c) => ({ container: c.container, args: VllmArgs.of(commandLineOf(c.container)) }))
    .filter((c) => c.args.invoked);
  const lines = vllm.filter((c) => !loadsAdaptersAtRuntime(c.container)).map((c) => c.args);
  if (!lines.length || lines.length < vllm.length) return undefined;
  const named = lines.map(servedNamesOf);
  return named.every((n): n is string[] => n !== undefined) ? named.flat() : undefined;
}
