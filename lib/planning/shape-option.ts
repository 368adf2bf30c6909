import type { Cloud } from '../catalog/instance-type';

/** One way to serve a model: an instance type, how many of its GPUs one replica shards over, and what it gives. */
export interface ShapeOption {
  readonly instanceType: string;
  readonly cloud: Cloud;
  readonly gpu: string;
  /** GPUs of one node of the type. */
  readonly gpusPerNode: number;
  readonly tensorParallelSize: number;
  /** `auto` or `fp8`. */
  readonly kvCacheDtype: string;
  readonly weightsGiBPerGpu: number;
  readonly kvCacheGiBPerGpu: number;
  /** Sequences of max-model-len that fit the KV cache at once. */
  readonly concurrency: number;
  readonly maxModelLen: number;
  /** Price of the node (the user's price list, else the catalog's on-demand list price). */
  readonly usdPerHour: number;
  readonly usdPerMonth: number;
  /** Where the price comes from (`on-demand list, us-east-1`, `prices.json, 1-year committed`). */
  readonly priceSource: string;
}
