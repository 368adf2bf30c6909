import { mapping, text } from '../manifests/access';
import { GPU_RESOURCE } from '../k8s/keys';
import { parseQuantity } from '../private/quantity';
import { flagValue, runningServer } from './model-servers';
import { Problem } from './rule';
import { workloadVllmLines } from './workload-lines';

/**
 * SGLang's parallel sizes as its ServerArgs reads them (sgl-project/sglang python/sglang/srt/server_args.py: tp_size
 * `--tp-size`/`--tensor-parallel-size`, `--tp` by argparse's prefix match; pp_size `--pp-size`/`--pipeline-parallel-size`;
 * dp_size `--dp-size`/`--data-parallel-size`; each 1 by default).
 */
const SIZES = {
  tp: ['--tp-size', '--tensor-parallel-size', '--tp'],
  pp: ['--pp-size', '--pipeline-parallel-size'],
  dp: ['--dp-size', '--data-parallel-size', '--dp'],
} as const;

/** A size flag's value: 1 when absent, undefined when it is not a literal whole number. */
function size(words: Parameters<typeof flagValue>[0], flags: readonly string[]): number | undefined {
  const given = flagValue(words, flags);
  if (!given) return 1;
  return /^[1-9]\d*$/.test(given.word) ? Number(given.word) : undefined;
}

/**
 * A container starting SGLang on one node whose tensor × pipeline × data parallel size (data parallel inside the
 * tensor group with --enable-dp-attention) is above the nvidia.com/gpu it is given: each rank takes a GPU of its own,
 * and the ranks past those the device plugin shows fail to find a device. Several nodes (--nnodes) are not judged.
 */
export function sglangGpuShortfall(m: Record<string, unknown>): Problem[] {
  return workloadVllmLines(m).flatMap((c): Problem[] => {
    if (c.args.invoked) return [];
    const running = runningServer(c.line, c.env, text(c.container.image));
    if (running?.server.name !== 'SGLang' || running.words.some((w) => w.uncertain || w.opaque)) return [];
    if (flagValue(running.words, ['--nnodes']) || flagValue(running.words, ['--dist-init-addr'])) return [];
    const [tp, pp, dp] = [size(running.words, SIZES.tp), size(running.words, SIZES.pp), size(running.words, SIZES.dp)];
    const resources = mapping(c.container.resources);
    const gpus = parseQuantity(mapping(resources.limits)[GPU_RESOURCE] ?? mapping(resources.requests)[GPU_RESOURCE] ?? 0);
    if (!tp || !pp || !dp || !gpus) return [];
    const attention = running.words.some((w) => w.word === '--enable-dp-attention');
    const need = tp * pp * (attention ? 1 : dp);
    if (need <= gpus) return [];
    const said = [`tensor parallel ${tp}`, pp > 1 ? `pipeline parallel ${pp}` : '', dp > 1 && !attention ? `data parallel ${dp}` : '']
      .filter(Boolean)
      .join(' × ');
    return [
      {
        message:
          `${c.where}: SGLang runs ${said} = ${need} GPU ranks but the container is given ${gpus} ${GPU_RESOURCE}; each rank takes a GPU of its own, so the ranks past ${gpus} find no device and the server fails at start; ` +
          `set requests and limits of ${GPU_RESOURCE} to ${need}, or lower the parallelism`,
      },
    ];
  });
}
