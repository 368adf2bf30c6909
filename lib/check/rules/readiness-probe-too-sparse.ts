import { Loose, mapping } from '../../manifests/access';
import { runningServer } from '../model-servers';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { workloadVllmLines } from '../workload-lines';

/** The kubelet's defaults for a probe that does not set them (k8s.io/api core/v1 Probe: periodSeconds 10, failureThreshold 3). */
const DEFAULT_PERIOD_SECONDS = 10;
const DEFAULT_FAILURE_THRESHOLD = 3;

/** Five minutes, thirty times the kubelet's default period: longer than a client retries or a rollout waits for one pod. */
const SPARSE_SECONDS = 300;

const seconds = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
const minutes = (s: number) => (s >= 120 ? `${Math.round(s / 60)} minutes` : `${s} s`);

function probeProblem(container: Loose, where: string, server: string): Problem[] {
  const probe = mapping(container.readinessProbe);
  if (!Object.keys(probe).length) return [];
  const period = seconds(probe.periodSeconds, DEFAULT_PERIOD_SECONDS);
  const threshold = seconds(probe.failureThreshold, DEFAULT_FAILURE_THRESHOLD);
  const at = `${where} readinessProbe`;
  if (period >= SPARSE_SECONDS) {
    return [
      {
        message: `${at} runs every ${period} s (periodSeconds): the pod is Ready only after a check passes, so a check that fails while ${server} still loads the model leaves it out of its Service for ${minutes(period)} more, and a server that stops answering gets traffic for up to ${minutes(period * threshold)} (× failureThreshold ${threshold}); check every 5 to 30 s, and let a startupProbe cover the load`,
      },
    ];
  }
  return [];
}

export const readinessProbeTooSparse: Rule = {
  id: 'readiness-probe-too-sparse',
  title: "a model server's readiness probe checks so rarely (every 5 minutes or more) that a failed check keeps the pod out of its Service for that long",
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "a container that visibly starts vLLM's server or another model server of lib/check/model-servers.ts has a readinessProbe whose periodSeconds (default 10) is 300 or more; a warning, with the figure: the probe works, its rhythm is the fault. A high failureThreshold with a short period is not judged: it is the common way to tolerate a model load, and the pod becomes Ready at the first check that passes",
  example: '`readinessProbe: {httpGet: {path: /health, port: 8000}, initialDelaySeconds: 60, periodSeconds: 1800}`',
  fix: 'check readiness every 5 to 30 s and cover the model load with a startupProbe; keep failureThreshold × periodSeconds within a minute or two',
  source:
    'the kubelet marks a container Ready only after a readiness check passes and runs the next check periodSeconds later; it marks it unready after failureThreshold consecutive failures (Kubernetes docs, "Configure Liveness, Readiness and Startup Probes"; pkg/kubelet/prober/worker.go); the endpoints controller routes only to Ready pods (pkg/controller/endpointslice)',
  check(o) {
    return workloadVllmLines(o.manifest).flatMap((c) => {
      const server = c.args.invoked ? 'vLLM' : runningServer(c.line, c.env, typeof c.container.image === 'string' ? c.container.image : undefined)?.server.name;
      return server ? probeProblem(c.container, c.where, server) : [];
    });
  },
};
