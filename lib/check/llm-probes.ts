import { mapping } from '../manifests/access';
import { MIN_BUDGET_SECONDS, PROBE_PERIOD_SECONDS } from '../planning/startup-budget';
import { GraphObject } from './graph-object';
import { MergedLlmPod, mergedLlmPods, mergedPodLabel } from './llm-merged-pods';
import { CheckContext } from './rule';
import { Platform, PLATFORMS } from './platform';
import { shippedLlmConfigs } from '../platform/llm-configs';
import { expectedStartup, probeToleranceSeconds } from './startup-expectation';

/** One vLLM pod template of an LLMInferenceService, judged on its merged `main` container. */
export interface LlmProbeSubject {
  readonly pod: MergedLlmPod;
  /** How messages name it: `the prefill pods (spec.prefill.template)`. */
  readonly label: string;
  /** Seconds the merged start-up probe tolerates; undefined without one. */
  readonly startup?: number;
  /** Seconds the merged liveness probe tolerates; undefined without one. */
  readonly liveness?: number;
  /** Expected seconds before vLLM serves, and why. */
  readonly seconds: number;
  readonly basis: string;
  /** The least it may take on a fast node, and what that assumes when it is not startup-budget.ts FAST_READ_WORDS. */
  readonly fastest: number;
  readonly fastestWords?: string;
  /** What the start-up probe should allow: twice the expectation, at least MIN_BUDGET_SECONDS. */
  readonly budget: number;
}

/**
 * The pods of an LLMInferenceService with the probes the controller gives them: the platform's presets, the baseRefs
 * and the service's spec merged as KServe merges them. None when a preset the service needs is neither in the tree
 * nor shipped with the platform: its probes are unknown, and nothing is judged on a guess.
 */
export function llmProbeSubjects(o: GraphObject, ctx: CheckContext): LlmProbeSubject[] {
  const kind = ctx.graph.servingKindOf(o);
  if (kind !== 'vllm-gpu' && kind !== 'vllm-cpu') return [];
  const merged = mergedLlmPods(o, ctx.graph, ctx.platform);
  if (!('pods' in merged)) return [];
  const { seconds, basis, fastest, fastestWords } = expectedStartup(o, ctx);
  // a probe that is no mapping, or whose timings are no whole numbers of 0 or more, is the schema's to report: no verdict on it
  return merged.pods
    .filter((pod) => wellFormed(pod.main.startupProbe) && wellFormed(pod.main.livenessProbe))
    .map((pod) => ({
      pod,
      label: mergedPodLabel(
        pod,
        merged.pods.some((p) => p.role === pod.role && p.node === 'worker'),
      ),
      startup: probeToleranceSeconds(pod.main.startupProbe),
      liveness: probeToleranceSeconds(pod.main.livenessProbe),
      seconds,
      basis,
      fastest,
      fastestWords,
      budget: Math.max(2 * seconds, MIN_BUDGET_SECONDS),
    }));
}

const TIMINGS = ['initialDelaySeconds', 'periodSeconds', 'failureThreshold', 'timeoutSeconds', 'successThreshold'];

function wellFormed(probe: unknown): boolean {
  if (probe === undefined) return true;
  const p = mapping(probe);
  return p === probe && TIMINGS.every((k) => p[k] === undefined || (Number.isInteger(p[k]) && (p[k] as number) >= 0));
}

/** `set by LLMInferenceServiceConfig kserve-config-llm-template, then the service's spec`. */
export function setByWords(names: readonly string[]): string {
  return `set by ${names.join(', then ')}`;
}

/** The failure threshold that makes the merged start-up probe allow `budget` seconds at its period. */
export function failureThresholdFor(probe: unknown, budget: number): { period: number; threshold: number } {
  const p = mapping(probe);
  const period = typeof p.periodSeconds === 'number' && p.periodSeconds > 0 ? p.periodSeconds : PROBE_PERIOD_SECONDS;
  const delay = typeof p.initialDelaySeconds === 'number' && p.initialDelaySeconds > 0 ? p.initialDelaySeconds : 0;
  return { period, threshold: Math.ceil(Math.max(0, budget - delay) / period) };
}

/**
 * How sure a probe verdict on an LLMInferenceService is: the platform's presets are merged under every pod, so on a
 * platform that is only assumed (nothing told it) the verdict is a warning that names the presets it rests on, unless
 * every release the tree may target that ships LLMInferenceService presets (2.x ships none) merges the same probes
 * into the service's pods: then the verdict does not rest on the choice.
 */
export function presetDependence(ctx: CheckContext, o: GraphObject): { severity?: 'warning'; note: string } {
  if (!ctx.platformAssumed || sameProbesOnEach(o, ctx)) return { note: '' };
  return {
    severity: 'warning',
    note: ` (judged with ${ctx.platform}'s presets, assumed because nothing in the tree tells the platform; another release ships other probes: give --platform, or set it in .cdk8s-vllm.json)`,
  };
}

/**
 * Whether the service's merged probes are the same with the presets of every candidate release that ships them; once
 * per service and run (three probe rules ask it, each merge a walk of the presets).
 */
function sameProbesOnEach(o: GraphObject, ctx: CheckContext): boolean {
  return ctx.graph.once(`same-probes:${ctx.graph.id(o)}:${o.file ?? ''}:${o.line ?? ''}`, () => probesAlike(o, ctx));
}

function probesAlike(o: GraphObject, ctx: CheckContext): boolean {
  const probes = (platform: Platform): string | undefined => {
    const merged = mergedLlmPods(o, ctx.graph, platform);
    if (!('pods' in merged)) return undefined;
    return JSON.stringify(merged.pods.map((p) => [p.role, p.node, p.main.startupProbe, p.main.livenessProbe, p.main.readinessProbe, p.main.ports]));
  };
  const others = (ctx.platformCandidates ?? PLATFORMS).filter((p) => p !== ctx.platform && shippedLlmConfigs(p) !== undefined);
  const mine = probes(ctx.platform);
  return mine !== undefined && others.every((p) => probes(p) === mine);
}
