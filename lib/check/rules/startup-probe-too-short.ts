import { MIN_BUDGET_SECONDS } from '../../planning/startup-budget';
import { probeToleranceSeconds, startupExpectation } from '../startup-expectation';
import { Rule } from '../rule';

export const startupProbeTooShort: Rule = {
  id: 'startup-probe-too-short',
  title: 'a start-up probe that gives up before vLLM has loaded the model',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise: "the service runs vLLM and its serving container (the predictor's, merged with the runtime's) has a start-up probe",
  example: '`startupProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10, failureThreshold: 6}` on a 70B model (60 s for ~10 minutes of loading)',
  fix: 'let initialDelaySeconds + periodSeconds × failureThreshold cover twice the expected load and warm-up (cdk8s-vllm: startupBudget)',
  source:
    'the kubelet kills a container whose start-up probe fails failureThreshold times (Kubernetes docs, "Configure Liveness, Readiness and Startup Probes"); vLLM answers /health only once the weights are loaded and the engine is warm (kserve#5063)',
  check(o, ctx) {
    const e = startupExpectation(o, ctx);
    const tolerance = e && probeToleranceSeconds(e.container.startupProbe);
    if (!e || tolerance === undefined || tolerance >= e.seconds) return [];
    return [
      {
        message:
          `the start-up probe gives up after ${tolerance} s but ${e.basis}: the kubelet kills it mid-load, and again after every restart; ` +
          `allow at least ${Math.max(2 * e.seconds, MIN_BUDGET_SECONDS)} s (initialDelaySeconds + periodSeconds × failureThreshold)`,
      },
    ];
  },
};
