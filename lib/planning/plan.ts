import { Cloud, GpuInstanceType } from '../catalog/instance-type';
import { GpuModel } from '../catalog/gpu-model';
import { PriceList, priceOf } from '../catalog/prices';
import { ModelProfile } from './model-profile';
import { MemoryPlan, PlanInput } from './memory-plan';
import { evaluatePlan, localSuggestions } from './vllm-memory';
import type { ShapeOption } from './shape-option';
import { compareText } from '../private/collate';
import { derivedFromJson } from '../private/derived-cache';

export type { ShapeOption } from './shape-option';

/** What a model must do, and where it may run. */
export interface ShapeTarget {
  readonly model: ModelProfile;
  /** Longest sequence one request may have. */
  readonly maxModelLen: number;
  /**
   * Sequences of max-model-len the KV cache must hold at once.
   * @default 1
   */
  readonly minConcurrency?: number;
  /**
   * GPU names to consider (`L4`, `L40S`).
   * @default - every GPU of the catalog
   */
  readonly gpus?: readonly string[];
  /**
   * Clouds to consider.
   * @default - every cloud of the catalog
   */
  readonly clouds?: readonly Cloud[];
  /**
   * Instance types to consider.
   * @default - the whole catalog
   */
  readonly instanceTypes?: readonly GpuInstanceType[];
  /** @default 0.9 */
  readonly gpuMemoryUtilization?: number;
  /** `--dtype`. @default 'auto' */
  readonly dtype?: string;
  /** `--quantization`. @default - what the checkpoint says */
  readonly quantization?: string;
  /**
   * KV-cache dtypes to try, in order of preference.
   * @default ['auto', 'fp8']
   */
  readonly kvCacheDtypes?: readonly string[];
  /**
   * The team's own prices; types it does not price keep the catalog's.
   * @default - the catalog's on-demand list prices
   */
  readonly prices?: PriceList;
}

/** Tensor-parallel sizes vLLM is run with on one node. */
const TENSOR_PARALLEL_SIZES = [1, 2, 4, 8];

/**
 * Every catalog shape that starts the model and meets the target, cheapest first (then the most concurrency, then
 * the fewest GPUs): each instance type × tensor-parallel size that fits on one node × KV-cache dtype, planned with
 * vLLM's memory accounting and start-up refusals. One option per instance type and parallel size: the first
 * KV-cache dtype (in preference order) that meets the target.
 */
export function searchShapes(target: ShapeTarget): ShapeOption[] {
  const minConcurrency = target.minConcurrency ?? 1;
  if (!(Number.isFinite(minConcurrency) && minConcurrency > 0)) throw new Error(`min-concurrency must be a positive number, got ${minConcurrency}`);
  const options: ShapeOption[] = [];
  // a plan depends on the GPU, not on the instance type around it: many types share one GPU (planned once each)
  const plans = new Map<GpuModel, Map<string, MemoryPlan | undefined>>();
  const planFor = (gpu: GpuModel, tp: number, kv: string) => {
    const ofGpu = plans.get(gpu) ?? new Map<string, MemoryPlan | undefined>();
    plans.set(gpu, ofGpu);
    const key = `${tp}/${kv}`;
    if (!ofGpu.has(key))
      ofGpu.set(
        key,
        tryPlan({
          model: target.model,
          gpu,
          tensorParallelSize: tp,
          maxModelLen: target.maxModelLen,
          gpuMemoryUtilization: target.gpuMemoryUtilization,
          dtype: target.dtype,
          quantization: target.quantization,
          kvCacheDtype: kv,
        }),
      );
    return ofGpu.get(key);
  };
  for (const t of candidateTypes(target)) {
    const price = priceOf(t, target.prices);
    if (!price) continue; // ranked by price: listed apart by unpricedTypes()
    for (const tp of TENSOR_PARALLEL_SIZES.filter((n) => n <= t.gpuCount)) {
      for (const kv of target.kvCacheDtypes ?? ['auto', 'fp8']) {
        const plan = planFor(t.gpu, tp, kv);
        if (plan?.outcome !== 'ok' || plan.maxConcurrency < minConcurrency) continue;
        options.push({
          instanceType: t.name,
          cloud: t.cloud,
          gpu: t.gpu.name,
          gpusPerNode: t.gpuCount,
          tensorParallelSize: tp,
          kvCacheDtype: kv,
          weightsGiBPerGpu: plan.weightsGiBPerGpu,
          kvCacheGiBPerGpu: plan.kvCacheGiBPerGpu,
          concurrency: plan.maxConcurrency,
          maxModelLen: plan.maxModelLen,
          usdPerHour: price.usdPerHour,
          usdPerMonth: Math.round(price.usdPerHour * GpuInstanceType.HOURS_PER_MONTH * 100) / 100,
          priceSource: price.label,
        });
        break;
      }
    }
  }
  return options.sort(
    (a, b) =>
      a.usdPerHour - b.usdPerHour ||
      b.concurrency - a.concurrency ||
      a.tensorParallelSize - b.tensorParallelSize ||
      compareText(a.instanceType, b.instanceType),
  );
}

/** The instance types a search considers: the target's, of its GPUs and clouds. */
function candidateTypes(target: ShapeTarget): GpuInstanceType[] {
  const gpus = target.gpus?.map((g) => g.toLowerCase());
  return (target.instanceTypes ?? GpuInstanceType.all()).filter(
    (t) => (!gpus || gpus.includes(t.gpu.name.toLowerCase())) && (!target.clouds || target.clouds.includes(t.cloud)),
  );
}

/** The instance types a search would consider but cannot rank, having no price (give one in a price file). */
export function unpricedTypes(target: Pick<ShapeTarget, 'gpus' | 'clouds' | 'instanceTypes' | 'prices'>): GpuInstanceType[] {
  return candidateTypes(target as ShapeTarget).filter((t) => !priceOf(t, target.prices));
}

/** The longest max-model-len any catalog shape serves at the target's other settings, and on which shape. */
export function longestServedContext(target: Omit<ShapeTarget, 'maxModelLen'>): { maxModelLen: number; option?: ShapeOption } {
  let lo = 0;
  let hi = target.model.maxPositionEmbeddings;
  let best: ShapeOption | undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    const found = searchShapes({ ...target, maxModelLen: mid })[0];
    if (found) {
      lo = mid;
      best = found;
    } else {
      hi = mid - 1;
    }
  }
  return { maxModelLen: lo, option: best };
}

function tryPlan(input: PlanInput): MemoryPlan | undefined {
  try {
    return evaluatePlan(input);
  } catch {
    return undefined; // settings this GPU or size cannot take at all
  }
}

/** One line for reports: `g6e.12xlarge: 2 × L40S (TP 2), 3.1 × 32768 tokens, $10.49/h`. */
export function describeShape(o: ShapeOption): string {
  return (
    `${o.instanceType}: ${o.tensorParallelSize} × ${o.gpu} (TP ${o.tensorParallelSize}${o.kvCacheDtype !== 'auto' ? `, --kv-cache-dtype ${o.kvCacheDtype}` : ''}), ` +
    `${o.concurrency.toFixed(2)} × ${o.maxModelLen} tokens, $${o.usdPerHour.toFixed(2)}/h`
  );
}

/** How many alternatives a failing plan names. */
const ALTERNATIVES = 3;

/**
 * Plans one deployment with vLLM's memory accounting (see `evaluatePlan`). A plan that does not start names what
 * would: the cheapest catalog shapes that serve the model at the requested settings (`alternatives`, as data), the
 * longest max-model-len the requested shape supports, and other changes (an FP8 KV cache, a 4-bit checkpoint); when
 * no catalog shape serves the requested context, it says so and names the longest context one does.
 */
export function planMemory(input: PlanInput): MemoryPlan {
  const plan = evaluatePlan(input);
  if (plan.outcome === 'ok') return plan;
  const target: ShapeTarget = {
    model: input.model,
    maxModelLen: plan.maxModelLen,
    gpuMemoryUtilization: input.gpuMemoryUtilization,
    dtype: input.dtype,
    quantization: input.quantization,
    kvCacheDtypes: input.kvCacheDtype && input.kvCacheDtype !== 'auto' ? [input.kvCacheDtype] : ['auto', 'fp8'],
  };
  const refusedContext = plan.refusals.some((r) => r.includes('max_position_embeddings'));
  const { alternatives, elsewhere } = refusedContext ? { alternatives: [], elsewhere: [] } : catalogAnswer(target);
  const suggestions = plan.outcome === 'refused' ? [] : localSuggestions(input, plan);
  suggestions.push(...alternatives.map(describeShape), ...elsewhere);
  return { ...plan, alternatives: [...alternatives], suggestions };
}

interface CatalogAnswer {
  /** The cheapest catalog shapes that serve the target. */
  readonly alternatives: readonly ShapeOption[];
  /** When none does: the longest context one serves, or that none starts the model. */
  readonly elsewhere: readonly string[];
}

/**
 * What the catalog offers a failing plan's target, by target: a synth plans each failing service when it is built
 * and again when the checks judge its rendered form, and the search (every catalog shape, and a bisection of the
 * context when none serves) is most of a plan's cost. planMemory's target holds only values (the model by its
 * annotation), covers the whole catalog at its list prices, and the catalog is the library's: an answer is a function
 * of the target and the library, kept between runs (derivedFromJson) and in memory by the process.
 */
function catalogAnswer(target: ShapeTarget): CatalogAnswer {
  const key = JSON.stringify([
    target.model.toAnnotation(),
    target.maxModelLen,
    target.gpuMemoryUtilization,
    target.dtype,
    target.quantization,
    target.kvCacheDtypes,
  ]);
  return derivedFromJson('catalog-answer', key, () => {
    const alternatives = searchShapes(target).slice(0, ALTERNATIVES);
    const elsewhere: string[] = [];
    if (!alternatives.length) {
      const longest = longestServedContext(target);
      elsewhere.push(
        longest.option
          ? `no catalog shape serves max-model-len ${target.maxModelLen} at these settings; the longest context one serves is ${longest.maxModelLen} tokens (${describeShape(longest.option)})`
          : 'no catalog shape starts this model at these settings',
      );
    }
    return { alternatives, elsewhere };
  });
}
