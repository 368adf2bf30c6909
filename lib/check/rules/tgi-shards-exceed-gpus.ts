import { GPU_RESOURCE } from '../../k8s/keys';
import { gpusOf } from '../llm-pools';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { tgiShards } from '../tgi-startup';

export const tgiShardsExceedGpus: Rule = {
  id: 'tgi-shards-exceed-gpus',
  title: 'a TGI launcher is told to start more shards (--num-shard, NUM_SHARD) than the GPUs its container is given: each shard needs a GPU of its own',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise: `a container runs Hugging Face text-generation-inference's launcher (its program, or the TGI image's own entrypoint; not IBM's TGIS) with a literal shard count, --num-shard in its arguments (clap takes it over the env) or else NUM_SHARD in its env, above the ${GPU_RESOURCE} it is given (limits, else requests; one at least): the launcher starts one shard process per count and each asserts that the world size is at most the GPUs it sees ("Each process is one gpu"), which the device plugin limits to those given, so the shards fail and the launcher exits; a count that is a variable, and a container given no GPU, are not judged`,
  example: '`NUM_SHARD` set to `"4"` in the env of a TGI container whose limits give `nvidia.com/gpu: 2`',
  fix: `give the container as many ${GPU_RESOURCE} as shards, or lower --num-shard / NUM_SHARD to the GPUs it has`,
  source:
    'huggingface/text-generation-inference launcher/src/main.rs (Args num_shard: clap long and env NUM_SHARD; find_num_shards; spawn_shards starts one shard per rank with WORLD_SIZE the shard count) and server/text_generation_server/utils/dist.py initialize_torch_distributed (assert WORLD_SIZE <= torch.cuda.device_count(), "Each process is one gpu"); NVIDIA k8s-device-plugin (a container sees the GPUs it was allotted)',
  check(o) {
    return containersOf(o.manifest).flatMap(({ name, container, init }): Problem[] => {
      const told = init ? undefined : tgiShards(container);
      const gpus = gpusOf(container);
      if (!told || gpus === 0 || told.shards <= gpus) return [];
      return [
        {
          message:
            `container '${name}' runs TGI with ${told.said} but is given ${gpus} ${GPU_RESOURCE}: the launcher starts ${told.shards} shards, one GPU each, and the shards past the ${gpus} visible ` +
            `fail their start ("Each process is one gpu"), so the launcher exits and the pod crash-loops; give the container ${told.shards} GPUs, or set the shard count to ${gpus}`,
        },
      ];
    });
  },
};
