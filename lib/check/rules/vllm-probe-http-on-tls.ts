import { Loose, mapping, strings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces } from '../command-line';
import { GraphObject } from '../graph-object';
import { mergedLlmPods, mergedPodLabel } from '../llm-merged-pods';
import { presetDependence, setByWords } from '../llm-probes';
import { isLoopbackHost } from '../loopback';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { CheckContext, Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';
import { resolvePort, vllmDefaultPort, vllmListenPort } from '../vllm-port';
import { workloadVllmLines } from '../workload-lines';
import { CONSEQUENCE, PROBES } from './vllm-probe-path-not-served';

/**
 * The certificate flag that makes vLLM's server speak TLS on its port: vLLM hands --ssl-certfile (and --ssl-keyfile)
 * to uvicorn (vllm/entrypoints/openai/cli_args.py; vllm/entrypoints/launcher.py serve_http), which serves HTTPS only
 * once a certificate is given (uvicorn Config.is_ssl).
 */
const CERT_FLAG = '--ssl-certfile';

/** The probes of a container that send plain HTTP to vLLM's TLS port: httpGet on that port, at the pod's own address, without scheme HTTPS. */
function plainProbes(container: Loose, port: number): (typeof PROBES)[number][] {
  return PROBES.filter((field) => {
    const get = mapping(mapping(container[field]).httpGet);
    if (!Object.keys(get).length || resolvePort(get.port, container) !== port) return false;
    const host = text(get.host);
    if (host && !isLoopbackHost(host)) return false;
    return (text(get.scheme) ?? 'HTTP').toUpperCase() !== 'HTTPS';
  });
}

/** The finding on one container whose vLLM serves HTTPS while probes of it speak HTTP; none where that is not so. */
function judged(container: Loose, args: VllmArgs, where: string, setBy?: (field: string) => string | undefined): Problem[] {
  const cert = args.value(CERT_FLAG);
  if (cert === undefined) return [];
  const port = vllmListenPort(args, vllmDefaultPort(text(container.image)));
  if (!port) return [];
  const probes = plainProbes(container, port.port);
  if (!probes.length) return [];
  const fields = probes
    .map((f) => {
      const by = setBy?.(f);
      return `${f}.httpGet${by ? ` (${by})` : ''}`;
    })
    .join(', ');
  const outcome = probes.map((f) => CONSEQUENCE[f]).join('; ');
  return [
    {
      message:
        `${where} ${fields}: no scheme: HTTPS on port ${port.port}, where vLLM serves HTTPS (${CERT_FLAG} ${cert}): the kubelet speaks plain HTTP to a TLS listener and the probe never succeeds, so ${outcome}; ` +
        `set scheme: HTTPS on the probe (the kubelet does not verify the certificate), or probe over tcpSocket`,
    },
  ];
}

/** An LLMInferenceService: each pod's main container as KServe merges it with the presets and baseRefs. */
function llmProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const merged = mergedLlmPods(o, ctx.graph, ctx.platform);
  if (!('pods' in merged)) return [];
  const { severity, note } = presetDependence(ctx, o);
  return merged.pods.flatMap((pod) => {
    const where = `${pod.path}.containers[main]`;
    const args = VllmArgs.of(buildCommandLine(containerPieces(pod.main, where, !strings(pod.main.command).length)).words);
    // the merge records who set the start-up and liveness probes (and the command), not the readiness probe
    const setBy = (f: string) => {
      const by = f === 'startupProbe' || f === 'livenessProbe' ? pod.setBy[f] : [];
      return by.length ? setByWords(by) : undefined;
    };
    const label = mergedPodLabel(
      pod,
      merged.pods.some((p) => p.role === pod.role && p.node === 'worker'),
    );
    return judged(pod.main, args, `${label}: ${where}`, setBy).map((p) => ({ ...p, message: p.message + note, ...(severity ? { severity } : {}) }));
  });
}

export const vllmProbeHttpOnTls: Rule = {
  id: 'vllm-probe-http-on-tls',
  title: 'an HTTP probe without scheme: HTTPS on the port where vLLM serves HTTPS (--ssl-certfile): the probe never succeeds',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'ClusterServingRuntime', 'InferenceService', 'LLMInferenceService'],
  premise:
    "a container that visibly starts vLLM's OpenAI server with --ssl-certfile (vLLM then serves HTTPS on its port: the last --port, else 8000) has an httpGet start-up, readiness or liveness probe on that port, at the pod's address, whose scheme is not HTTPS (HTTP is the default); " +
    "in a workload, a ServingRuntime's containers, an InferenceService's runtime merged with its model container, and an LLMInferenceService's main container with the platform's presets and baseRefs merged under it as KServe merges them (a warning where the platform is assumed and another release ships other probes); " +
    'not judged: probes on another port (a plain sidecar or metrics port), tcpSocket, grpc and exec probes, a probe to another host',
  example: '`--ssl-certfile` and `/etc/tls/tls.crt` in the vLLM args and `readinessProbe: {httpGet: {path: /health, port: 8000}}`',
  fix: 'set scheme: HTTPS on the probe (the kubelet skips certificate verification), or probe the port over tcpSocket',
  source:
    'vLLM vllm/entrypoints/openai/cli_args.py (--ssl-keyfile, --ssl-certfile) and vllm/entrypoints/launcher.py (passed to uvicorn, which then serves only TLS on the port); Kubernetes "Configure Liveness, Readiness and Startup Probes" (httpGet scheme: "Scheme to use for connecting to the host. Defaults to HTTP"; for HTTPS the kubelet skips certificate verification) and pkg/probe/http/http.go',
  check(o, ctx) {
    if (o.manifest.kind === 'LLMInferenceService') return llmProblems(o, ctx);
    if (o.manifest.kind === 'InferenceService') {
      const container = ctx.graph.servingContainer(o);
      const args = ctx.graph.vllmCommand(o)?.args;
      return container && args?.invoked ? judged(container, args, 'the serving container') : [];
    }
    return workloadVllmLines(o.manifest)
      .filter((c) => c.args.invoked)
      .flatMap((c) => judged(c.container, c.args, c.where));
  },
};
