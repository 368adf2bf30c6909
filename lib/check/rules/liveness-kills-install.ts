import { Loose, mapping, mappings, text } from '../../manifests/access';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { postStartWaitsForServer } from '../post-start-wait';
import { Problem, Rule } from '../rule';
import { startupInstall } from '../startup-installs';
import { probeTimings, probeToleranceSeconds } from '../startup-expectation';
import { tgiStartups } from '../tgi-startup';
import { vllmServerEvidence } from '../vllm-server';
import { ContainerLine, podSpecHolding, workloadVllmLines } from '../workload-lines';

/** The port a network probe asks (httpGet, tcpSocket, grpc), or undefined for an exec probe or one sent to another host. */
function probedPort(probe: Loose): string | undefined {
  const action = mapping(probe.httpGet ?? probe.tcpSocket ?? probe.grpc);
  if (!Object.keys(action).length || text(action.host)) return undefined;
  return action.port === undefined ? undefined : String(action.port);
}

/** Whether another container of the pod declares the probed port (by number or name): its server may answer during the install. */
function answeredByOther(pod: Loose | undefined, container: Loose, port: string): boolean {
  return mappings(pod?.containers)
    .filter((c) => c !== container)
    .some((c) => mappings(c.ports).some((p) => String(p.containerPort) === port || text(p.name) === port));
}

/** How the kubelet's budget is made up, in the probe's fields. */
function budgetWords(probe: Loose): string {
  const t = probeTimings(probe);
  return `initialDelaySeconds ${t.initialDelaySeconds} + failureThreshold ${t.failureThreshold} × periodSeconds ${t.periodSeconds}`;
}

/** A container that installs at start under a network liveness probe no start-up probe or postStart wait holds off. */
function judged(line: ContainerLine, pod: Loose | undefined): Problem | undefined {
  const c = line.container;
  const liveness = mapping(c.livenessProbe);
  const budget = probeToleranceSeconds(c.livenessProbe);
  if (budget === undefined || probeToleranceSeconds(c.startupProbe) !== undefined || postStartWaitsForServer(c)) return undefined;
  const port = probedPort(liveness);
  if (port === undefined || answeredByOther(pod, c, port)) return undefined;
  const install = startupInstall(line.line.words.map((w) => w.word));
  if (!install) return undefined;
  return {
    message:
      `${line.where}: its start-up command runs \`${install}\` before its server listens, under a livenessProbe on port ${port} that gives up ${budget} s after the container starts (${budgetWords(liveness)}) with no startupProbe: ` +
      `the tree does not tell how long the install takes (the package index, the packages' size, a build), and if it and the server's start outlast ${budget} s the kubelet kills the container, whose next start installs again, so it may never serve (CrashLoopBackOff); ` +
      'add a startupProbe on the same port whose failureThreshold × periodSeconds covers the install (the kubelet runs the liveness probe only once it passes), or install the packages into the image at build time',
  };
}

export const livenessKillsInstall: Rule = {
  id: 'liveness-kills-install',
  title:
    'a container whose start-up command installs software (pip, uv, apt-get, npm, a clone and build) before serving, under a liveness probe with no start-up probe: the kubelet may kill it mid-install',
  severity: 'warning',
  appliesTo: [...new Set([...WORKLOAD_KINDS, ...MULTI_POD_KINDS])],
  premise:
    "a container of a workload's pods whose command line (its shell script included) runs, at a program's place, a package install (pip install, python -m pip install, uv pip install, uv sync or add, apt-get/apt/yum/dnf/microdnf/zypper install, apk add, npm/pnpm/yarn install or ci, conda or mamba install) or a git clone followed by a build (make, cmake, cargo or go build, setup.py), " +
    'with a livenessProbe that asks a port (httpGet, tcpSocket, grpc) no other container of the pod declares, no startupProbe and no postStart hook that waits for the server; ' +
    "a warning, since how long the install takes is not known from the tree; containers running vLLM's server or TGI are liveness-kills-loading's and startup-probe-too-short's, an exec probe (which may answer during the install) is not judged",
  example:
    'a Deployment container with `pip install -r /app/requirements.txt && python /app/serve.py`, `livenessProbe: {httpGet: {path: /healthz, port: 8000}, periodSeconds: 10, failureThreshold: 3}` and no startupProbe',
  fix: 'add a startupProbe that allows the install and the start (failureThreshold × periodSeconds), or build an image with the packages already installed',
  source:
    'kubelet: without a startupProbe the liveness probe runs from the container start and a failing one restarts the container (Kubernetes docs, "Configure Liveness, Readiness and Startup Probes": "protect slow starting containers with startup probes"; a restart starts the command again in a fresh writable layer, so the install runs again); the budget initialDelaySeconds + failureThreshold × periodSeconds with the defaults 0, 3 and 10 (k8s.io/api core/v1 Probe); the kubelet runs no probe before postStart returns (pkg/kubelet/prober/worker.go doProbe)',
  check(o, ctx) {
    const tgi = new Set(tgiStartups(o, ctx).map((t) => t.container));
    return workloadVllmLines(o.manifest)
      .filter((l) => !tgi.has(l.container) && !vllmServerEvidence(l))
      .flatMap((l) => judged(l, podSpecHolding(o.manifest, l.container)) ?? []);
  },
};
