import { mapping, Loose } from '../manifests/access';
import { LEAST_WARM_UP_WORDS, MIN_WARM_UP_SECONDS, startupBudget, WARM_UP_SECONDS, weightOriginOf } from '../planning/startup-budget';
import { checkpointSizeOfName } from '../catalog/model-families';
import { GraphObject } from './graph-object';
import { storageLocationOf } from './serving-model';
import { CheckContext } from './rule';

/** A probe's timings as the kubelet runs them, Kubernetes' defaults filling what is unset (k8s.io/api core/v1 Probe). */
export function probeTimings(probe: unknown): { readonly initialDelaySeconds: number; readonly periodSeconds: number; readonly failureThreshold: number } {
  const p = mapping(probe);
  const n = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  // Kubernetes' defaults: periodSeconds 10, failureThreshold 3, initialDelaySeconds 0
  return { initialDelaySeconds: n(p.initialDelaySeconds, 0), periodSeconds: n(p.periodSeconds, 10), failureThreshold: n(p.failureThreshold, 3) };
}

/** Seconds a probe tolerates failing before the kubelet acts: initial delay + period × failure threshold. */
export function probeToleranceSeconds(probe: unknown): number | undefined {
  if (!Object.keys(mapping(probe)).length) return undefined;
  const t = probeTimings(probe);
  return t.initialDelaySeconds + t.periodSeconds * t.failureThreshold;
}

/** A vLLM service's serving container and how long it is expected to take to serve, with the reason in words. */
export function startupExpectation(o: GraphObject, ctx: CheckContext): ({ container: Loose } & Expected) | undefined {
  const kind = ctx.graph.servingKindOf(o);
  if (kind !== 'vllm-gpu' && kind !== 'vllm-cpu') return undefined;
  const container = ctx.graph.servingContainer(o);
  return container ? { container, ...expectedStartup(o, ctx) } : undefined;
}

/** Expected seconds before vLLM serves, why, and the least it may take on a fast node (startup-budget.ts FAST_READ_WORDS). */
export interface Expected {
  readonly seconds: number;
  readonly basis: string;
  readonly fastest: number;
  /** What `fastest` assumes, in words, when it is not FAST_READ_WORDS. */
  readonly fastestWords?: string;
}

/**
 * How long a vLLM service's pods are expected to take to serve once their containers start (the weights' load and
 * the engine's warm-up; the storage initializer's download runs before, in an init container), with the reason.
 */
export function expectedStartup(o: GraphObject, ctx: CheckContext): Expected {
  const model = ctx.modelOf(o);
  const location = storageLocationOf(o.manifest);
  // no profile: the parameter count the model's name spells, as a workload's vLLM command line is judged
  const named = !model && location ? checkpointSizeOfName(location) : undefined;
  if (named) {
    const { expectedSeconds: seconds, fastestSeconds } = startupBudget({ checkpointBytes: named.bytes, origin: weightOriginOf(location) });
    return {
      seconds,
      fastest: fastestSeconds,
      basis: `${location} (about ${Math.round(named.bytes / 1e9)} GB by its name: ${named.parameters / 1e9}B parameters at ${named.bits} bits) needs about ${seconds} s to read its weights and warm up`,
    };
  }
  if (!model) {
    return {
      seconds: WARM_UP_SECONDS,
      basis: `vLLM's warm-up alone takes about ${WARM_UP_SECONDS} s (the model is unknown, so its load time is not counted)`,
      fastest: MIN_WARM_UP_SECONDS,
      fastestWords: LEAST_WARM_UP_WORDS,
    };
  }
  const { expectedSeconds: seconds, fastestSeconds } = startupBudget({ checkpointBytes: model.weightBytes, origin: weightOriginOf(location) });
  return { seconds, basis: `${model.name} needs about ${seconds} s to read its weights and warm up`, fastest: fastestSeconds };
}
