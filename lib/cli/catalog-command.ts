import { parseArgs } from 'util';
import { GpuModel } from '../catalog/gpu-model';
import { Cloud, GpuInstanceType } from '../catalog/instance-type';
import { Command, UsageError } from './command';
import { priceFileOption } from './price-file-option';
import { table } from './table';
import { SUMMARIES } from './summaries';

const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp'];

export const catalogCommand: Command = {
  name: 'catalog',
  summary: SUMMARIES.catalog,
  usage: `cdk8s-vllm catalog [--cloud aws,azure,gcp] [--gpu L4,H200] [--prices <file>] [--json]

  --cloud <list>    only these clouds' instance types (comma-separated)
  --gpu <list>      only these GPUs and the instance types that carry them
  --prices <file>   show your prices (a price file, as plan --shapes --prices takes) beside the catalog's
  --json            every GPU and instance type with all figures, their sources and read dates

  The table shows each instance type's shape and price with the source of the price; --json has the source of every
  figure. Exit code 0, or 2 on a usage or input error.`,
  run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { cloud: { type: 'string' }, gpu: { type: 'string' }, prices: { type: 'string' }, json: { type: 'boolean' } },
    });
    const clouds = list(values.cloud);
    for (const c of clouds ?? []) if (!CLOUDS.includes(c as Cloud)) throw new UsageError(`--cloud '${c}' is not one of ${CLOUDS.join(', ')}`);
    const gpus = list(values.gpu)?.map((g) => {
      const found = GpuModel.tryFind(g);
      if (!found)
        throw new UsageError(
          `--gpu '${g}' is not a GPU of the catalog (${GpuModel.all()
            .map((x) => x.name)
            .join(', ')})`,
        );
      return found;
    });
    const prices = priceFileOption(values.prices);
    const gpuList = GpuModel.all().filter((g) => !gpus || gpus.includes(g));
    const types = GpuInstanceType.all().filter((t) => (!clouds || clouds.includes(t.cloud)) && (!gpus || gpus.includes(t.gpu)));
    if (values.json) {
      io.out(
        `${JSON.stringify(
          {
            gpus: gpuList.map((g) => ({
              name: g.name,
              product: g.product,
              cudaVisibleGiB: g.cudaVisibleGiB,
              nameplateGB: g.nameplateGB,
              computeCapability: g.computeCapability,
              fp8Compute: g.fp8Compute,
              largeBatchDefaults: g.largeBatchDefaults,
              calibration: g.calibration,
              sources: g.sources,
            })),
            instanceTypes: types.map((t) => ({
              name: t.name,
              cloud: t.cloud,
              gpu: t.gpu.name,
              gpuCount: t.gpuCount,
              vcpu: t.vcpu,
              memoryGiB: t.memoryGiB,
              specSource: t.specSource,
              price: t.price ?? null,
              ...(t.priceNote ? { priceNote: t.priceNote } : {}),
              ...(prices ? { yourPrice: prices.priceOf(t) !== t.price ? (prices.priceOf(t) ?? null) : null } : {}),
            })),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const gpuRows = gpuList.map((g) => [
      g.name,
      g.product,
      `${g.cudaVisibleGiB.toFixed(2)} GiB`,
      `${g.nameplateGB} GB`,
      g.computeCapability,
      g.fp8Compute ? 'yes' : 'no',
      g.calibration,
    ]);
    const typeRows = types.map((t) => {
      const own = prices?.priceOf(t);
      const shown = own ?? t.price;
      return [
        t.name,
        t.cloud,
        `${t.gpuCount} × ${t.gpu.name}`,
        String(t.vcpu),
        `${t.memoryGiB} GiB`,
        shown ? `$${shown.usdPerHour}` : '-',
        shown ? `${shown.label} (${shown.read})` : (t.priceNote ?? 'no price'),
      ];
    });
    io.out(
      `${table(['GPU', 'PRODUCT LABEL', 'CUDA-VISIBLE', 'NAMEPLATE', 'CC', 'FP8', 'PLANNER'], gpuRows)}\n\n` +
        `${table(['INSTANCE TYPE', 'CLOUD', 'GPUS', 'VCPU', 'MEMORY', '$/H', 'PRICE SOURCE'], typeRows)}\n\n` +
        'Sources of every figure: cdk8s-vllm catalog --json\n',
    );
    return 0;
  },
};

function list(v: string | undefined): string[] | undefined {
  return v
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
