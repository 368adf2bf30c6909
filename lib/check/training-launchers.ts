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
  '--use_fsdp',
  '--cpu',
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
    if (value !== undefined) return { launcher: shown, processes: value, from: flag ? `${flag}=${value}` : `its default, ${value}` };
    return undefined;
  }
  return undefined;
}
