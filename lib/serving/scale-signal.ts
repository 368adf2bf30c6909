import { MemoryPlan } from '../planning/memory-plan';

/**
 * OpenShift's cluster Prometheus, queried through Thanos on the tenancy port: it answers only for the namespace
 * named in the query's `namespace` parameter and needs a bearer token allowed to read that namespace's metrics
 * (OpenShift Custom Metrics Autoscaler documentation, "Understanding the Prometheus trigger").
 */
export const THANOS_QUERIER_URL = 'https://thanos-querier.openshift-monitoring.svc.cluster.local:9092';

/** The vLLM metrics a signal reads (vLLM's Prometheus exporter, `vllm/v1/metrics/loggers.py`). */
export const VLLM_METRICS = {
  /** Requests queued, not yet running. */
  waiting: 'vllm:num_requests_waiting',
  /** Share of KV-cache blocks in use, 0..1 (vLLM ≥ 0.10); `vllm:gpu_cache_usage_perc` before. */
  kvCacheUsage: 'vllm:kv_cache_usage_perc',
  kvCacheUsageBefore010: 'vllm:gpu_cache_usage_perc',
} as const;

/**
 * Requests waiting per replica beyond which a replica is saturated: more than its KV cache runs at once at
 * max-model-len (at least 1). Scaling and the VllmRequestsWaiting alert use the same figure.
 */
export function waitingThresholdOf(maxConcurrency: number): number {
  return Math.max(1, Math.ceil(maxConcurrency));
}

/**
 * KV-cache usage beyond which one more sequence of max-model-len no longer fits (1 − 1/concurrency, at least 0.5,
 * two decimals). Scaling and the VllmKvCacheNearlyFull alert use the same figure.
 */
export function kvCacheThresholdOf(maxConcurrency: number): number {
  return Math.max(0.5, Math.round((1 - 1 / maxConcurrency) * 100) / 100);
}

/** What a resolved signal gives the InferenceService and the plan report. */
export interface ResolvedScaleSignal {
  /** `keda`: KServe creates a KEDA ScaledObject on a Prometheus query; `hpa`: KServe's HPA on CPU or memory. */
  readonly autoscaler: 'keda' | 'hpa';
  /** For `hpa`: the resource and its target utilization in percent. */
  readonly resource?: { readonly name: 'cpu' | 'memory'; readonly percent: number };
  /** For `keda`: the PromQL query (a sum over the service's pods) and the threshold per replica. */
  readonly query?: string;
  readonly threshold?: number;
  /** One line for PLAN.md: what is measured, the threshold and where it comes from. */
  readonly description: string;
}

/** What scaling needs to know of the service. */
export interface ScaleContext {
  readonly service: string;
  readonly namespace: string;
  /** The service's memory plan, when its model is known. */
  readonly plan?: MemoryPlan;
}

/**
 * What a vLLM service scales on. A GPU-bound vLLM pod rarely keeps its requested cores busy, so CPU and memory
 * utilization seldom cross an HPA target while requests queue: the default is vLLM's own queue.
 */
export abstract class ScaleSignal {
  /**
   * Requests waiting in vLLM's queue, per replica (`vllm:num_requests_waiting`): a replica whose queue holds more
   * requests than its KV cache can run at once at max-model-len is saturated.
   * @param perReplica the threshold @default - the sequences of max-model-len the plan's KV cache holds (at least 1)
   */
  public static requestsWaiting(perReplica?: number): ScaleSignal {
    return new QuerySignal('waiting', perReplica);
  }

  /**
   * KV-cache usage, averaged over the replicas (`vllm:kv_cache_usage_perc`).
   * @param fraction the threshold, 0..1 @default - the share at which one more sequence of max-model-len no longer
   * fits the plan's KV cache (1 − 1 / concurrency), at least 0.5
   */
  public static kvCacheUsage(fraction?: number): ScaleSignal {
    return new QuerySignal('kv', fraction);
  }

  /** CPU utilization (KServe's HPA): rarely the bottleneck of a GPU service, kept for CPU-bound runtimes. @param percent @default 80 */
  public static cpu(percent?: number): ScaleSignal {
    return new ResourceSignal('cpu', percent);
  }

  /** Memory utilization (KServe's HPA). @param percent @default 80 */
  public static memory(percent?: number): ScaleSignal {
    return new ResourceSignal('memory', percent);
  }

  /** @internal */
  public abstract resolve(where: string, ctx: ScaleContext): ResolvedScaleSignal;
}

/** KServe's default HPA target for RawDeployment services, in percent. */
const DEFAULT_RESOURCE_TARGET_PERCENT = 80;

class ResourceSignal extends ScaleSignal {
  constructor(
    private readonly name: 'cpu' | 'memory',
    private readonly percent?: number,
  ) {
    super();
  }

  public resolve(where: string): ResolvedScaleSignal {
    const percent = this.percent ?? DEFAULT_RESOURCE_TARGET_PERCENT;
    if (!(Number.isInteger(percent) && percent > 0 && percent <= 100)) {
      throw new Error(`${where}: autoscaling ${this.name} target must be a whole percentage from 1 to 100, got ${String(percent)}`);
    }
    return { autoscaler: 'hpa', resource: { name: this.name, percent }, description: `${this.name} utilization above ${percent} % (KServe HPA)` };
  }
}

class QuerySignal extends ScaleSignal {
  constructor(
    private readonly kind: 'waiting' | 'kv',
    private readonly threshold?: number,
  ) {
    super();
  }

  public resolve(where: string, ctx: ScaleContext): ResolvedScaleSignal {
    // vLLM labels its metrics with the served model name, which the runtime sets to the service name
    const selector = `{namespace="${ctx.namespace}",model_name="${ctx.service}"}`;
    const concurrency = ctx.plan && ctx.plan.outcome === 'ok' ? ctx.plan.maxConcurrency : undefined;
    if (this.threshold === undefined && concurrency === undefined) {
      throw new Error(
        `${where}: autoscaling on ${this.kind === 'waiting' ? 'requestsWaiting' : 'kvCacheUsage'} takes its threshold from the GPU plan, and the service has none ` +
          '(no model profile, or a model that does not start): give the service its model, or the threshold explicitly',
      );
    }
    if (this.kind === 'waiting') {
      const t = this.threshold ?? waitingThresholdOf(concurrency!);
      if (!(Number.isFinite(t) && t > 0)) throw new Error(`${where}: requestsWaiting threshold must be a positive number, got ${String(t)}`);
      return {
        autoscaler: 'keda',
        query: `sum(${VLLM_METRICS.waiting}${selector})`,
        threshold: t,
        description:
          `requests waiting in vLLM's queue above ${t} per replica` +
          (this.threshold === undefined ? ` (the KV cache holds ${concurrency!.toFixed(2)} sequences of ${ctx.plan!.maxModelLen} tokens)` : ''),
      };
    }
    const t = this.threshold ?? kvCacheThresholdOf(concurrency!);
    if (!(Number.isFinite(t) && t > 0 && t <= 1)) throw new Error(`${where}: kvCacheUsage threshold must be a fraction in (0, 1], got ${String(t)}`);
    return {
      autoscaler: 'keda',
      // the metric's name changed in vLLM 0.10: either name, whichever the image exports
      query: `sum(${VLLM_METRICS.kvCacheUsage}${selector}) or sum(${VLLM_METRICS.kvCacheUsageBefore010}${selector})`,
      threshold: t,
      description:
        `KV-cache usage above ${Math.round(t * 100)} % on average` +
        (this.threshold === undefined
          ? ` (beyond it one more sequence of ${ctx.plan!.maxModelLen} tokens no longer fits: ${concurrency!.toFixed(2)} fit)`
          : ''),
    };
  }
}
