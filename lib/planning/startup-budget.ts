/**
 * How long a vLLM pod needs before it serves: the storage initializer's download (an init container, before any
 * probe runs), then in the serving container the weight load and the engine's warm-up. The start-up probe must
 * allow the second part, or the kubelet kills a model that is still loading and the pod restarts in a loop.
 */

/** Where the weights come from, as far as start-up time is concerned. */
export type WeightOrigin = 's3' | 'hf' | 'pvc' | 'oci' | 'other';

/** The origin of weights from their storage URI's scheme (`s3://`, `hf://`, `pvc://`, `oci://`; anything else is 'other'). */
export function weightOriginOf(location: string | undefined): WeightOrigin {
  const scheme = /^([a-z0-9+.-]+):\/\//.exec(location ?? '')?.[1];
  return scheme === 's3' || scheme === 'hf' || scheme === 'pvc' || scheme === 'oci' ? scheme : 'other';
}

/** What the budget is computed from. */
export interface StartupInput {
  /** Bytes of the checkpoint. */
  readonly checkpointBytes: number;
  /** Where the weights come from. */
  readonly origin: WeightOrigin;
  /** Reading the weights in the container, MiB/s. @default - by origin (see READ_MIB_PER_S) */
  readonly readMiBps?: number;
  /** Downloading by the storage initializer, MiB/s. @default - by origin (see DOWNLOAD_MIB_PER_S) */
  readonly downloadMiBps?: number;
}

/** The budget and its parts, in seconds. */
export interface StartupBudget {
  /** Download by KServe's storage initializer (init container; no probe covers it); 0 when nothing is downloaded. */
  readonly downloadSeconds: number;
  /** Reading the weights into GPU memory. */
  readonly loadSeconds: number;
  /** Memory profiling, CUDA-graph capture and compilation. */
  readonly warmUpSeconds: number;
  /** What the serving container is expected to take: load plus warm-up. */
  readonly expectedSeconds: number;
  /** What the start-up probe allows: twice the expected time, at least MIN_BUDGET_SECONDS, in whole probe periods. */
  readonly budgetSeconds: number;
  /** The probe's failure threshold at PROBE_PERIOD_SECONDS. */
  readonly failureThreshold: number;
  /** The bandwidths assumed, MiB/s. */
  readonly readMiBps: number;
  readonly downloadMiBps: number;
  /**
   * The least the serving container may take on a fast node: the weights read at FAST_READ_MIB_PER_S, the least
   * warm-up; a probe shorter than this fails on any plausible node, one in between may fail.
   */
  readonly fastestSeconds: number;
  /** The least a download may take, at FAST_DOWNLOAD_MIB_PER_S; 0 when nothing is downloaded. */
  readonly fastestDownloadSeconds: number;
}

/**
 * Read bandwidth into the container, MiB/s: weights on the node's disk (downloaded into an emptyDir, or a modelcar
 * image layer) read at what a cloud block volume sustains (AWS gp3 default 125 MiB/s per volume is the floor; NVMe
 * instance storage is faster); a PVC is network storage and is assumed slower. Conservative on purpose: the budget
 * only bounds how long a hung start goes unnoticed, while a low estimate kills working pods.
 */
export const READ_MIB_PER_S: Record<WeightOrigin, number> = { s3: 250, hf: 250, oci: 250, pvc: 150, other: 150 };
/** Download bandwidth of the storage initializer, MiB/s: in-cluster object storage (MinIO, S3 in-region) vs the Hugging Face hub. */
export const DOWNLOAD_MIB_PER_S: Record<WeightOrigin, number> = { s3: 100, hf: 40, oci: 0, pvc: 0, other: 0 };
/**
 * Memory profiling, CUDA-graph capture and torch.compile of vLLM's V1 engine: vLLM logs "Graph capturing finished in
 * 20–40 secs" and torch.compile 30–60 s on first start (no compile cache in a fresh pod); 120 s covers both.
 */
export const WARM_UP_SECONDS = 120;
/**
 * How far the estimate of vLLM's start may be off by its own sources: the warm-up it counts (WARM_UP_SECONDS) is
 * logged as 20–40 s of graph capture and 30–60 s of torch.compile, a spread of (40 - 20) + (60 - 30) = 50 s. A probe
 * the estimate outlasts by no more than this is short only within the estimate's own error: no verdict.
 */
export const WARM_UP_SPREAD_SECONDS = 40 - 20 + (60 - 30);
/**
 * The fast end of what a node sees, for verdicts that must hold on any plausible node: a download over a fast link
 * (huggingface_hub's snapshot_download fetches 8 files at once; cloud nodes reach 200 MiB/s and more from the hub's
 * CDN), weights read from local NVMe or the page cache, and the least warm-up: vLLM started with --enforce-eager
 * (-O0: no torch.compile, no CUDA-graph capture; vllm/config/vllm.py "Enforce eager set, overriding optimization level
 * to -O0") still imports torch and vLLM, spawns its EngineCore process and initialises the device before any weight is
 * read (logged at 15-19 s from the process start for 0.5B-1.5B models, vllm#15225 and vllm#24162), then profiles memory
 * with a forward pass, allocates the KV cache and starts the API server.
 */
export const FAST_DOWNLOAD_MIB_PER_S = 200;
export const FAST_READ_MIB_PER_S = 1000;
export const MIN_WARM_UP_SECONDS = 30;
/** The fast rates in words, for messages. */
export const FAST_RATES_WORDS = `a download at ${FAST_DOWNLOAD_MIB_PER_S} MiB/s, a read at ${FAST_READ_MIB_PER_S} MiB/s and ${MIN_WARM_UP_SECONDS} s of warm-up`;
/** The fast read and the least warm-up in words, for a start that downloads nothing. */
export const FAST_READ_WORDS = `the weights read at ${FAST_READ_MIB_PER_S} MiB/s and ${MIN_WARM_UP_SECONDS} s of warm-up`;
/** The least warm-up in words, for a model whose load is not counted. */
export const LEAST_WARM_UP_WORDS = `${MIN_WARM_UP_SECONDS} s of warm-up, the least vLLM takes`;

/** The start-up probe's period. */
export const PROBE_PERIOD_SECONDS = 10;
/** The least budget given: KServe's own LLMInferenceService templates allow 60 × 10 s (kserve#5063). */
export const MIN_BUDGET_SECONDS = 600;

const MIB = 1024 * 1024;

/** The start-up budget of a vLLM pod; every input finite and positive, or an error naming it. */
export function startupBudget(input: StartupInput): StartupBudget {
  const readMiBps = input.readMiBps ?? READ_MIB_PER_S[input.origin];
  const downloadMiBps = input.downloadMiBps ?? DOWNLOAD_MIB_PER_S[input.origin];
  for (const [k, v] of Object.entries({ checkpointBytes: input.checkpointBytes, readMiBps })) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`start-up budget: ${k} must be a positive number, got ${String(v)}`);
  }
  if (!(typeof downloadMiBps === 'number' && Number.isFinite(downloadMiBps) && downloadMiBps >= 0)) {
    throw new Error(`start-up budget: downloadMiBps must be 0 or more, got ${String(downloadMiBps)}`);
  }
  const mib = input.checkpointBytes / MIB;
  const downloadSeconds = downloadMiBps > 0 ? Math.ceil(mib / downloadMiBps) : 0;
  const loadSeconds = Math.ceil(mib / readMiBps);
  const expectedSeconds = loadSeconds + WARM_UP_SECONDS;
  const failureThreshold = Math.ceil(Math.max(MIN_BUDGET_SECONDS, 2 * expectedSeconds) / PROBE_PERIOD_SECONDS);
  return {
    downloadSeconds,
    loadSeconds,
    warmUpSeconds: WARM_UP_SECONDS,
    expectedSeconds,
    budgetSeconds: failureThreshold * PROBE_PERIOD_SECONDS,
    failureThreshold,
    readMiBps,
    downloadMiBps,
    fastestSeconds: Math.ceil(mib / FAST_READ_MIB_PER_S) + MIN_WARM_UP_SECONDS,
    fastestDownloadSeconds: downloadMiBps > 0 ? Math.ceil(mib / FAST_DOWNLOAD_MIB_PER_S) : 0,
  };
}

/** `4 min 10 s`. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}
