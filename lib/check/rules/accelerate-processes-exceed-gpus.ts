import { mappings, text } from '../../manifests/access';
import { commandLineOf } from '../command-line';
import { containerGpus } from '../gpu-supply';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { AccelerateLaunch, accelerateLaunch } from '../training-launchers';
import { containersWithLines } from '../written-containers';

/** NCCL 2.30's switch that lets several ranks of a node share one GPU (src/init.cc: NCCL_MULTI_RANK_GPU_ENABLE, off by default). */
const MULTI_RANK_GPU = 'NCCL_MULTI_RANK_GPU_ENABLE';

/** What makes the launch start several processes on the machine, for a message. */
function why(launch: AccelerateLaunch, gpus: number): string {
  if (launch.multi === 'gpus') return `with no --multi_gpu nor config file accelerate turns multi-GPU on where it sees more than one GPU (${gpus})`;
  if ('flag' in launch.multi) return `${launch.multi.flag} starts them`;
  return `the config file ${launch.multi.config} decides the launcher: a multi-GPU, FSDP or DeepSpeed one, as --num_processes above --num_machines asks, starts them`;
}

export const accelerateProcessesExceedGpus: Rule = {
  id: 'accelerate-processes-exceed-gpus',
  title: "accelerate launch starts more processes per pod (--num_processes over --num_machines) than the pod's GPUs",
  severity: 'error',
  appliesTo: [...new Set([...WORKLOAD_KINDS, ...MULTI_POD_KINDS])],
  premise:
    "a container that requests GPUs (nvidia.com/gpu or amd.com/gpu, a number) and runs `accelerate launch` with a literal --num_processes N and --num_machines M (1 when neither it nor --config_file is given; not judged when a config file may set it), not --cpu, where N // M, the processes each machine starts, is above the GPUs the container requests, and the launch starts several processes per machine: --multi_gpu, --use_fsdp, --use_deepspeed or --use_megatron_lm, a --config_file (its distributed type decides; one for several processes, as N above M asks), or with neither more than one GPU requested (accelerate turns multi-GPU on where it sees more than one); not where the container's env sets NCCL_MULTI_RANK_GPU_ENABLE=1",
  example: '`accelerate launch --multi_gpu --num_processes 4 --num_machines 2` in an Indexed Job of 2 pods that each request `nvidia.com/gpu: 1`',
  fix: 'request N/M GPUs per pod, or pass --num_processes M × (GPUs per pod): --num_processes is the total over all machines',
  source:
    'huggingface/accelerate: commands/launch.py (--num_processes "the total number of processes", --num_machines; multi-GPU turned on where more than one GPU is seen), utils/launch.py prepare_multi_gpu_env (nproc_per_node = num_processes // num_machines), state.py PartialState.set_device (the device of local rank i: cuda:i before 0.33, cuda:(i % device_count) since); NVIDIA/nccl src/init.cc: ranks of one node on one GPU fail the communicator\'s init ("Duplicate GPU detected"; from 2.30 "Multiple ranks detected using the same GPU" unless NCCL_MULTI_RANK_GPU_ENABLE=1)',
  check(o) {
    const out: Problem[] = [];
    for (const { where, container } of containersWithLines(o.manifest)) {
      const gpus = containerGpus(container);
      if (!(gpus > 0)) continue;
      const launch = accelerateLaunch(commandLineOf(container));
      if (!launch || launch.cpu || launch.perMachine <= gpus || (launch.multi === 'gpus' && gpus < 2)) continue;
      if (mappings(container.env).some((e) => text(e.name) === MULTI_RANK_GPU && String(e.value) === '1')) continue;
      out.push({
        message:
          `${where}: accelerate launch --num_processes ${launch.total} --num_machines ${launch.machines} starts ${launch.perMachine} processes on each machine (--num_processes is the total over the machines; ${why(launch, gpus)}), ` +
          `each on a GPU of its own, and the container requests ${gpus} GPU${gpus === 1 ? '' : 's'}: the extra local ranks have no GPU of their own, so the launch fails at start ` +
          `(NCCL refuses two ranks on one GPU, "Duplicate GPU detected" or "Multiple ranks detected using the same GPU"; before accelerate 0.33 the rank's cuda:<local rank> does not exist, "invalid device ordinal"): ` +
          `request ${launch.perMachine} GPUs per pod, or pass --num_processes ${gpus * launch.machines}`,
      });
    }
    return out;
  },
};
