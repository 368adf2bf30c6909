import { finite } from '../manifests/access';

/** A distributed launcher a command line runs, and how many processes it starts on the node. */
export interface LauncherRun {
  /** As the command line names it: `torchrun`, `python -m torch.distributed.run`, `accelerate launch`, `deepspeed`. */
  readonly launcher: string;
  readonly processes: number;
  /** Where the count comes from: the flag as written, or the GPUs the container requests. */
  readonly from: string;
}

/** Flags of the launchers that take no value, so the word after them is the script (or the next flag). */
const SWITCHES = new Set([
  '--standalone',
  '--no-python',
  '--no_python',
  '-m',
  '--module',
  '--run-path',
  '--run_path',
  '--multi_gpu',
  '--multi-gpu',
  '--use_deepspeed',
  '--use-deepspeed',
  '--use_fsdp',
  '--use-fsdp',
  '--cpu',
  // accelerate launch's other store_true flags (accelerate/commands/launch.py), each also spelt with `-` (commands/utils.py _StoreAction)
  ...[
    '--quiet',
    '--tpu',
    '--enable_cpu_affinity',
    '--dynamo_use_fullgraph',
    '--dynamo_use_dynamic',
    '--dynamo_use_regional_compilation',
    '--use_parallelism_config',
    '--use_megatron_lm',
    '--same_network',
    '--tpu_cluster',
    '--tpu_use_sudo',
    '--downcast_bf16',
    '--fp8_use_autocast_during_eval',
    '--debug',
  ].flatMap((f) => [f, `--${f.slice(2).replace(/_/g, '-')}`]),
  '-q',
]);

/**
 * The process-count flag of each launcher and the count when it is absent: torchrun's --nproc_per_node defaults to 1
 * (torch/distributed/run.py; `gpu` and `auto` mean one per visible GPU); deepspeed's --num_gpus defaults to every GPU
 * it sees (deepspeed/launcher/runner.py, -1: all); accelerate's --num_processes comes from its config file unless
 * --multi_gpu is given without it (accelerate/commands/launch.py: one per GPU).
 */
const LAUNCHERS: readonly {
  readonly names: RegExp;
  readonly flags: readonly string[];
  readonly unset: (words: readonly string[]) => 'gpus' | number | undefined;
}[] = [
  { names: /^(torchrun|torch\.distributed\.(run|launch))$/, flags: ['--nproc_per_node', '--nproc-per-node'], unset: () => 1 },
  { names: /^deepspeed$/, flags: ['--num_gpus', '--num-gpus'], unset: () => 'gpus' },
  {
    names: /^accelerate launch$/,
    flags: ['--num_processes', '--num-processes'],
    unset: (w) => (w.includes('--multi_gpu') || w.includes('--multi-gpu') ? 'gpus' : undefined),
  },
];

/** The launcher's own flags: the words after it up to its script (the first word that is no flag and no flag's value). */
export function launcherFlags(words: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-')) break;
    const eq = w.indexOf('=');
    if (eq > 0) flags.set(w.slice(0, eq), w.slice(eq + 1));
    else if (SWITCHES.has(w)) flags.set(w, '');
    else flags.set(w, words[++i] ?? '');
  }
  return flags;
}

/** The launcher a command line (as words) runs and its process count on this node; undefined when none or unknown. */
export function launcherRun(words: readonly string[], gpus: number): LauncherRun | undefined {
  for (let i = 0; i < words.length; i++) {
    const name = words[i] === 'accelerate' && words[i + 1] === 'launch' ? 'accelerate launch' : (words[i].split('/').pop() ?? '');
    const launcher = LAUNCHERS.find((l) => l.names.test(name));
    // torch.distributed.run is a module: it launches only as `python -m torch.distributed.run`
    if (!launcher || (name.startsWith('torch.') && words[i - 1] !== '-m')) continue;
    const rest = words.slice(i + (name === 'accelerate launch' ? 2 : 1));
    const flags = launcherFlags(rest);
    const flag = launcher.flags.find((f) => flags.has(f));
    const value = flag === undefined ? launcher.unset(rest) : /^(gpu|auto)$/.test(flags.get(flag)!) ? 'gpus' : finite(flags.get(flag));
    const shown = words[i - 1] === '-m' ? `python -m ${name}` : name;
    if (value === 'gpus') return { launcher: shown, processes: gpus, from: `one per requested GPU (${gpus})` };
    if (value === undefined) return undefined;
    if (name !== 'accelerate launch') return { launcher: shown, processes: value, from: flag ? `${flag}=${value}` : `its default, ${value}` };
    // accelerate's --num_processes is the total over --num_machines (accelerate/utils/launch.py prepare_multi_gpu_env: nproc_per_node)
    const machines = machinesOf(flags);
    if (machines === undefined) return undefined;
    return {
      launcher: shown,
      processes: Math.floor(value / machines),
      from: machines > 1 ? `${flag}=${value} over --num_machines=${machines}` : `${flag}=${value}`,
    };
  }
  return undefined;
}

/** accelerate launch's --num_machines: 1 unless given (accelerate/commands/launch.py _validate_launch_command); undefined when not a number. */
function machinesOf(flags: ReadonlyMap<string, string>): number | undefined {
  const given = flags.get('--num_machines') ?? flags.get('--num-machines');
  if (given === undefined) return 1;
  const n = finite(given);
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The flags that make accelerate launch start several processes on each machine, whatever GPUs it sees (accelerate/commands/launch.py launch_command). */
const MULTI_PROCESS = ['--multi_gpu', '--use_fsdp', '--use_deepspeed', '--use_megatron_lm'].flatMap((f) => [f, `--${f.slice(2).replace(/_/g, '-')}`]);

/** An `accelerate launch` with its process count and machines as written, and what decides that it starts several processes per machine. */
export interface AccelerateLaunch {
  readonly total: number;
  readonly machines: number;
  /** num_processes // num_machines: the processes each machine starts (accelerate/utils/launch.py prepare_multi_gpu_env). */
  readonly perMachine: number;
  /**
   * What makes the launch start perMachine processes: a flag (`--multi_gpu`, `--use_fsdp`, …), the config file it names
   * (whose distributed type decides), or `gpus`: with neither, accelerate turns multi-GPU on only where it sees more than one GPU.
   */
  readonly multi: { readonly flag: string } | { readonly config: string } | 'gpus';
  /** --cpu: a CPU launch, no GPU per process. */
  readonly cpu: boolean;
}

/**
 * The `accelerate launch` of a command line, where its --num_processes is a number and its machines are known: given
 * by --num_machines, or 1 where no --config_file may set them (a config file's num_machines is not read).
 */
export function accelerateLaunch(words: readonly string[]): AccelerateLaunch | undefined {
  const at = words.findIndex((w, i) => w === 'accelerate' && words[i + 1] === 'launch');
  if (at < 0) return undefined;
  const flags = launcherFlags(words.slice(at + 2));
  const total = finite(flags.get('--num_processes') ?? flags.get('--num-processes'));
  const config = flags.get('--config_file') ?? flags.get('--config-file');
  if (total === undefined || !Number.isInteger(total)) return undefined;
  if (config !== undefined && !flags.has('--num_machines') && !flags.has('--num-machines')) return undefined;
  const machines = machinesOf(flags);
  if (machines === undefined) return undefined;
  const flag = MULTI_PROCESS.find((f) => flags.has(f));
  return {
    total,
    machines,
    perMachine: Math.floor(total / machines),
    multi: flag ? { flag } : config !== undefined ? { config } : 'gpus',
    cpu: flags.has('--cpu'),
  };
}
