import { GpuModel } from '../catalog/gpu-model';
import { Cloud, GpuInstanceType } from '../catalog/instance-type';
import { PriceList } from '../catalog/prices';
import { Command, UsageError } from './command';
import { defineCommand } from './options';
import { priceFileOption, pricesOption } from './price-file-option';
import { table } from './table';

const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp'];

export const catalogCommand: Command = defineCommand({
  name: 'catalog',
  synopsis: ['catalog [options]'],
  usage: [
    {
      cloud: { type: 'string', value: '<list>', help: `only these clouds' instance types (comma-separated: ${CLOUDS.join(',')})` },
      gpu: { type: 'string', value: '<list>', help: 'only these GPUs and the instance types that carry them (comma-separated, e.g. L4,H200)' },
      ...pricesOption("show your prices beside the catalog's (the price file plan --shapes --prices takes)"),
      json: { type: 'boolean', help: 'every GPU and instance type with all figures, their sources and read dates' },
    },
    `  The table shows each instance type's shape and price with the source of the price; --json has the source of every
  figure. Exit code 0, or 2 on a usage or input error.`,
  ],
  positionals: false,
  run({ values }, io) {
    const clouds = cloudFilter(values.cloud);
    const gpus = gpuFilter(values.gpu);
    const prices = priceFileOption(values.prices);
    const gpuList = GpuModel.all().filter((g) => !gpus || gpus.includes(g));
    const types = GpuInstanceType.all().filter((t) => (!clouds || clouds.includes(t.cloud)) && (!gpus || gpus.includes(t.gpu)));
    io.out(values.json ? catalogJson(gpuList, types, prices) : catalogTables(gpuList, types, prices));
    return 0;
  },
});

/** `--cloud`: the clouds named, or every cloud when not given. */
function cloudFilter(value: string | undefined): Cloud[] | undefined {
  const clouds = list(value);
  for (const c of clouds ?? []) if (!CLOUDS.includes(c as Cloud)) throw new UsageError(`--cloud '${c}' is not one of ${CLOUDS.join(', ')}`);
  return clouds as Cloud[] | undefined;
}

/** `--gpu`: the catalog GPUs named, or every GPU when not given. */
function gpuFilter(value: string | undefined): GpuModel[] | undefined {
  return list(value)?.map((g) => {
    const found = GpuModel.tryFind(g);
    if (!found)
      throw new UsageError(
        `--gpu '${g}' is not a GPU of the catalog (${GpuModel.all()
          .map((x) => x.name)
          .join(', ')})`,
      );
    return found;
  });
}

/** Every figure of the GPUs and instance types with its source, and the team's own price where it differs. */
function catalogJson(gpuList: readonly GpuModel[], types: readonly GpuInstanceType[], prices: PriceList | undefined): string {
  return `${JSON.stringify(
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
  )}\n`;
}

/** The GPU table and the instance-type table, each price with its source (the team's where it gave one). */
function catalogTables(gpuList: readonly GpuModel[], types: readonly GpuInstanceType[], prices: PriceList | undefined): string {
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
    const shown = prices?.priceOf(t) ?? t.price;
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
  return (
    `${table(['GPU', 'PRODUCT LABEL', 'CUDA-VISIBLE', 'NAMEPLATE', 'CC', 'FP8', 'PLANNER'], gpuRows)}\n\n` +
    `${table(['INSTANCE TYPE', 'CLOUD', 'GPUS', 'VCPU', 'MEMORY', '$/H', 'PRICE SOURCE'], typeRows)}\n\n` +
    'Sources of every figure: cdk8s-vllm catalog --json\n'
  );
}

function list(v: string | undefined): string[] | undefined {
  return v
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
