import { MIN_BUDGET_SECONDS } from '../../planning/startup-budget';
import { probeToleranceSeconds, startupExpectation } from '../startup-expectation';
import { Rule } from '../rule';

export const livenessKillsLoading: Rule = {
  id: 'liveness-kills-loading',
  title: 'a liveness probe that runs while vLLM loads the model, with no start-up probe to hold it off',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise: 'the service runs vLLM; its serving container has a liveness probe and no start-up probe',
  example: '`livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10, failureThreshold: 3}` and no startupProbe',
  fix: 'add a startupProbe that covers the load (the kubelet runs liveness only after it passes), or give the liveness probe an initialDelaySeconds beyond the load',
  source:
    'without a start-up probe the kubelet runs the liveness probe from the container start and restarts the container when it fails (Kubernetes docs, "Configure Liveness, Readiness and Startup Probes"; aibrix#772 "Probes for quickstart model kill pod")',
  check(o, ctx) {
    const e = startupExpectation(o, ctx);
    if (!e || probeToleranceSeconds(e.container.startupProbe) !== undefined) return [];
    const tolerance = probeToleranceSeconds(e.container.livenessProbe);
    if (tolerance === undefined || tolerance >= e.seconds) return [];
    return [
      {
        message:
          `the liveness probe gives up after ${tolerance} s from the container start, and ${e.basis}: the kubelet restarts vLLM before it ever serves; ` +
          `add a startupProbe allowing ${Math.max(2 * e.seconds, MIN_BUDGET_SECONDS)} s`,
      },
    ];
  },
};
