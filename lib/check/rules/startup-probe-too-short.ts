import { FAST_RATES_WORDS, MIN_BUDGET_SECONDS } from '../../planning/startup-budget';
import { failureThresholdFor, llmProbeSubjects, presetDependence, setByWords } from '../llm-probes';
import { probeToleranceSeconds } from '../startup-expectation';
import { servingStartups } from '../workload-startup';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { renderedByConstructs } from '../construct-rendered';

export const startupProbeTooShort: Rule = {
  id: 'startup-probe-too-short',
  title: 'a start-up probe that gives up before vLLM has loaded the model',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'LeaderWorkerSet'],
  premise:
    "the service runs vLLM and its serving container has a start-up probe: an InferenceService's predictor merged with the runtime's; each pod of an LLMInferenceService with the platform's LLMInferenceServiceConfig presets and its baseRefs merged under it, as KServe merges them (presets neither in the tree nor shipped with the platform: not judged); in any other workload (Deployment, StatefulSet, Job, a LeaderWorkerSet's leader and workers, …) each container whose command line visibly starts vLLM's server, the model's size known from a recorded profile or the parameter count its name spells, and a hub model's download counted when no volume holds the Hugging Face cache; a service's model sized by its recorded profile, else by the parameter count its storage URI spells (an oci modelcar's repository or tag); a hub cache on a claim (persistentVolumeClaim, ephemeral, a volumeClaimTemplate) read at a network volume's bandwidth; the expectation rests on assumed rates (a hub download at 40 MiB/s, weights read at 250 MiB/s, 150 from a claim, 120 s of warm-up), so it is an error only when the probe is too short even on a fast node (a download at 200 MiB/s, a read at 1000 MiB/s, 30 s of warm-up), a warning naming both when a fast node's start fits",
  example: '`startupProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10, failureThreshold: 6}` on a 70B model (60 s for ~10 minutes of loading)',
  fix: "let the container's startupProbe initialDelaySeconds + periodSeconds × failureThreshold cover twice the expected load and warm-up; on an LLMInferenceService, a failureThreshold in the main container of spec.template replaces the preset's",
  source:
    'the kubelet kills a container whose start-up probe fails failureThreshold times (Kubernetes docs, "Configure Liveness, Readiness and Startup Probes"); vLLM answers /health only once the weights are loaded and the engine is warm (kserve#5063); KServe merges the service over its presets field by field (pkg/controller/v1alpha2/llmisvc/config_merge.go); vLLM fetches a hub model into the Hugging Face cache itself at start (vllm/model_executor/model_loader/weight_utils.py, download_weights_from_hf: huggingface_hub snapshot_download), and a restarted container keeps its volumes but not its own writable layer (Kubernetes docs, "Volumes")',
  check(o, ctx) {
    if (o.manifest.kind === 'LLMInferenceService') return llmProblems(o, ctx);
    return servingStartups(o, ctx).flatMap((e): Problem[] => {
      const tolerance = probeToleranceSeconds(e.container.startupProbe);
      if (tolerance === undefined || tolerance >= e.seconds) return [];
      return [
        {
          message:
            `${e.where ? `${e.where}: ` : ''}the start-up probe gives up after ${tolerance} s but ${e.basis}${certainty(tolerance, e.fastest)}` +
            `allow at least ${Math.max(2 * e.seconds, MIN_BUDGET_SECONDS)} s (${
              renderedByConstructs(o)
                ? "set it through VllmInferenceService's startupBudget, which sizes the probe from the model"
                : 'raise the startupProbe initialDelaySeconds + periodSeconds × failureThreshold'
            })`,
          ...(tolerance >= e.fastest ? { severity: 'warning' as const } : {}),
        },
      ];
    });
  },
};

/**
 * The expectation rests on assumed rates: a probe too short even on a fast node (FAST_RATES_WORDS) fails on any, an
 * error; one that a fast node's start fits may fail on a slower one, a warning that says so.
 */
function certainty(tolerance: number, fastest: number): string {
  if (tolerance < fastest)
    return `, and even on a fast node (${FAST_RATES_WORDS}) about ${fastest} s: the kubelet kills it mid-load, and again after every restart; `;
  return `; on a fast node (${FAST_RATES_WORDS}) it needs about ${fastest} s and may start in time, on a slower one the kubelet kills it mid-load, again after every restart; `;
}

function llmProblems(...[o, ctx]: Parameters<Rule['check']>): Problem[] {
  const { severity, note } = presetDependence(ctx, o);
  return llmProbeSubjects(o, ctx).flatMap((s): Problem[] => {
    if (s.startup === undefined || s.startup >= s.seconds) return [];
    const { period, threshold } = failureThresholdFor(s.pod.main.startupProbe, s.budget);
    return [
      {
        message:
          `${s.label}: the start-up probe of container 'main' (${setByWords(s.pod.setBy.startupProbe)}) gives up after ${s.startup} s but ${s.basis}` +
          `${certainty(s.startup, s.fastest)}allow at least ${s.budget} s: set ${s.pod.path}.containers[main].startupProbe.failureThreshold ` +
          `to ${threshold} (at periodSeconds ${period}; the service's fields replace the preset's one by one)${note}`,
        ...(severity || s.startup >= s.fastest ? { severity: severity ?? 'warning' } : {}),
      },
    ];
  });
}
