import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
import { commandLineOf } from '../command-line';
import { envSetting } from '../container-env';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { launcherFlags } from '../training-launchers';
import { containersWithLines } from '../written-containers';

/**
 * The kinds whose controller gives torchrun its node identity in PET_* env itself: the Kubeflow training operator's
 * PyTorchJob (pkg/controller.v1/pytorch envvar.go) and Kubeflow Trainer's runtimes (pkg/runtime/framework/plugins/torch:
 * PET_NNODES, PET_NODE_RANK from the completion index, PET_MASTER_ADDR).
 */
const SETS_PET_ENV = new Set(['PyTorchJob', 'TrainingRuntime', 'ClusterTrainingRuntime']);

/** torchrun's flags by argparse dest, each spelt with `_` or `-` (torch/distributed/run.py get_args_parser). */
const spellings = (dest: string) => [`--${dest}`, `--${dest.replace(/_/g, '-')}`];

/** The env variable torchrun reads a flag's default from (torch/distributed/argparse_util.py env: PET_<DEST>). */
const petName = (dest: string) => `PET_${dest.toUpperCase()}`;

/** A word's single reference to a variable ($X, ${X}, $(X)), as the whole word. */
const REFERENCE = /^\$(?:\{([A-Za-z_]\w*)\}|\(([A-Za-z_]\w*)\)|([A-Za-z_]\w*))$/;

/** A value with a variable the container's env sets literally filled in (the kubelet refuses a number there, but its author meant it). */
function filled(value: string, container: Loose): string | undefined {
  const ref = REFERENCE.exec(value);
  if (!ref) return value.includes('$') ? undefined : value;
  const name = ref[1] ?? ref[2] ?? ref[3];
  const entry = mappings(container.env).find((e) => text(e.name) === name);
  const literal = entry?.value;
  return typeof literal === 'string' || typeof literal === 'number' ? String(literal) : undefined;
}

/** The most nodes a --nnodes value allows: `N` or `MIN:MAX` (torch/distributed/run.py parse_min_max_nnodes). */
function maxNodes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(':');
  return parts.length <= 2 ? finite(parts[parts.length - 1]) : undefined;
}

/** How a torchrun invocation gets a setting: a flag, PET_* env, unknown (an envFrom the tree does not hold), or not at all. */
type Given = 'flag' | 'env' | 'unknown' | 'none';

interface Torchrun {
  readonly flags: Map<string, string>;
  readonly given: (dest: string) => Given;
  readonly value: (dest: string) => string | undefined;
}

function torchrunOf(words: readonly string[], container: Loose, envOf: (name: string) => Given): Torchrun | undefined {
  const at = words.findIndex((w, i) => /(^|\/)torchrun$/.test(w) || (w === 'torch.distributed.run' && words[i - 1] === '-m'));
  if (at < 0) return undefined;
  const flags = launcherFlags(words.slice(at + 1));
  const flagOf = (dest: string) => spellings(dest).find((f) => flags.has(f));
  return {
    flags,
    given: (dest) => (flagOf(dest) ? 'flag' : envOf(petName(dest))),
    value: (dest) => {
      const flag = flagOf(dest);
      if (flag) return filled(flags.get(flag)!, container);
      const pet = mappings(container.env).find((e) => text(e.name) === petName(dest))?.value;
      return typeof pet === 'string' || typeof pet === 'number' ? String(pet) : undefined;
    },
  };
}

/** What a multi-node torchrun lacks to know its node: by its rendezvous backend, static unless told (run.py --rdzv_backend). */
function lacking(run: Torchrun): { backend: string; missing: string[] } | undefined {
  const given = run.given('rdzv_backend');
  const named = run.value('rdzv_backend');
  // a backend from an envFrom the tree lacks, or from a variable it does not fill, is not known
  if (given === 'unknown' || (given !== 'none' && named === undefined)) return undefined;
  const backend = named ?? 'static';
  // static: each node is told its rank, and the rank-0 node's address (run.py get_rdzv_endpoint: master_addr:master_port
  // where no rdzv_endpoint is given); any other backend finds ranks through rdzv_endpoint, localhost when empty
  const needed = backend === 'static' ? [['node_rank'], ['master_addr', 'rdzv_endpoint']] : [['rdzv_endpoint']];
  const states = needed.map((dests) => dests.map((d) => run.given(d)));
  if (states.some((s) => s.includes('unknown') && !s.some((g) => g === 'flag' || g === 'env'))) return undefined;
  const missing = needed.filter((_, i) => states[i].every((g) => g === 'none')).map((dests) => dests.map((d) => `--${d}`).join(' or '));
  return missing.length ? { backend, missing } : undefined;
}

export const torchrunNodeIdentityMissing: Rule = {
  id: 'torchrun-node-identity-missing',
  title: 'torchrun runs on several nodes without being told its node rank and the rank-0 address (static) or a rendezvous endpoint',
  severity: 'error',
  appliesTo: [...new Set([...WORKLOAD_KINDS, ...MULTI_POD_KINDS])].filter((k) => !SETS_PET_ENV.has(k)),
  premise:
    'a container (of any workload but a PyTorchJob or a Kubeflow Trainer runtime, whose controllers set PET_* env) runs torchrun or python -m torch.distributed.run with --nnodes (or PET_NNODES) above 1, or a range whose maximum is above 1, and with the static rendezvous (the default) neither --node_rank nor PET_NODE_RANK, or neither --master_addr/--rdzv_endpoint nor PET_MASTER_ADDR/PET_RDZV_ENDPOINT; with another --rdzv_backend no --rdzv_endpoint nor PET_RDZV_ENDPOINT. MASTER_ADDR, RANK or NODE_RANK in env do not count: torchrun reads only its flags and PET_* env',
  example: '`torchrun --nproc_per_node=1 --nnodes=2 train.py` in a JobSet whose env sets MASTER_ADDR and RANK',
  fix: 'pass --node_rank=$(JOB_COMPLETION_INDEX) (an env from the completion-index annotation) and --master_addr=<rank-0 pod host> --master_port=…, or --rdzv_backend=c10d --rdzv_endpoint=<rank-0 pod host>:29400 (or set the matching PET_* env)',
  source:
    'pytorch torch/distributed/run.py: --node_rank defaults to 0, --master_addr to 127.0.0.1, --rdzv_backend to static, --rdzv_endpoint to "" (localhost); each flag reads its default from PET_<DEST> only (torch/distributed/argparse_util.py env), and torchrun overwrites MASTER_ADDR, RANK and WORLD_SIZE for the processes it starts. Every pod then acts as node 0 on its own localhost and waits for the others until the rendezvous times out',
  check(o, ctx) {
    const out: Problem[] = [];
    const ns = text(mapping(o.manifest.metadata).namespace);
    for (const { where, container } of containersWithLines(o.manifest)) {
      const envOf = (name: string): Given => {
        const s = envSetting(ctx.graph, container, ns, name);
        return s.state === 'set' ? 'env' : s.state === 'unknown' ? 'unknown' : 'none';
      };
      const run = torchrunOf(commandLineOf(container), container, envOf);
      if (!run || run.flags.has('--standalone')) continue;
      const nodes = maxNodes(run.value('nnodes'));
      if (nodes === undefined || nodes < 2) continue;
      const lacks = lacking(run);
      if (!lacks) continue;
      const plain = ['MASTER_ADDR', 'RANK', 'NODE_RANK'].filter((n) => mappings(container.env).some((e) => text(e.name) === n));
      const ignored = plain.length ? ` (its env ${plain.join(', ')} is not read by torchrun, only its flags and PET_* env)` : '';
      out.push({
        message:
          `${where}: torchrun runs on up to ${nodes} nodes with the ${lacks.backend} rendezvous and is given no ${lacks.missing.join(', no ')}${ignored}: ` +
          `every pod acts as node 0 on its own localhost (127.0.0.1) and waits for the others until the rendezvous times out; ` +
          `pass --node_rank (e.g. $(JOB_COMPLETION_INDEX)) and --master_addr=<rank-0 pod host>, or --rdzv_backend=c10d --rdzv_endpoint=<rank-0 pod host>:<port>, or set PET_NODE_RANK and PET_MASTER_ADDR`,
      });
    }
    return out;
  },
};
