import { Loose, mapping, strings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces } from '../command-line';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { presetDependence } from '../llm-probes';
import { MergedLlmPod, mergedLlmPods, mergedPodLabel } from '../llm-merged-pods';
import { CheckContext, Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';
import { predictorModelOf } from '../runtime-selection';
import {
  agreeWords,
  kserveServiceTarget,
  ListenPort,
  missedTargets,
  missedWords,
  PortTarget,
  probeTargets,
  sidecarPorts,
  vllmDefaultPort,
  vllmListenPort,
} from '../vllm-port';

export const vllmPortMismatch: Rule = {
  id: 'vllm-port-mismatch',
  title: 'vLLM listens on another port than the one KServe routes to or the probes check: the pod never becomes Ready, or requests are refused',
  severity: 'error',
  appliesTo: ['InferenceService', 'ServingRuntime', 'LLMInferenceService'],
  premise:
    "the serving container visibly starts vLLM's OpenAI server (its command, or an image whose entrypoint is known: vllm/vllm-openai, Open Data Hub's, Red Hat AI Inference Server's) and its port is known: the last --port of the effective command line (the runtime's args then the service's, $(VAR) and sh -c expanded, the vLLM command of a script a ConfigMap of the tree shows the container where its command runs one), else vLLM's default 8000; not judged with --uds or --headless, with a --port from a variable or an unread --config file, or on an Open Data Hub image without --port. A ServingRuntime is judged alone when no InferenceService of the tree names it; an LLMInferenceService's pods with its presets merged, as KServe merges them",
  example: '`args: [--port=8000, --model=/mnt/models]` with `ports: [{containerPort: 8080}]`',
  fix: "make vLLM's --port, the container's first containerPort and the probes' ports one number; on an LLMInferenceService leave --port to KServe's preset (8000, 8001 behind the routing sidecar)",
  source:
    "vLLM listens on --port, 8000 by default (vllm/entrypoints/openai/cli_args.py); KServe's predictor Service targets the serving container's first containerPort, else 8080 (kserve pkg/controller/v1beta1/inferenceservice/reconcilers/service/service_reconciler.go createDefaultSvc, pkg/constants InferenceServiceDefaultHttpPort); an LLMInferenceService's workload Service and InferencePool target 8000, and the decode pool's routing sidecar forwards to 8001 (pkg/controller/v1alpha2/llmisvc/workload.go, config/llmisvcconfig presets)",
  check(o, ctx) {
    if (o.manifest.kind === 'LLMInferenceService') return llmProblems(o, ctx);
    if (o.manifest.kind === 'ServingRuntime') return runtimeProblems(o, ctx.graph);
    return serviceProblems(o, ctx.graph);
  },
};

/** The finding on one serving container whose vLLM port misses KServe's Service or a probe. */
function containerProblem(vllm: ListenPort | undefined, container: Loose, pods: readonly Loose[], where: string, argsPlace: string, prefix = ''): Problem[] {
  if (!vllm) return [];
  const answered = new Set(pods.flatMap((pod) => [...sidecarPorts(pod, container)]));
  const missed = missedTargets(vllm, [kserveServiceTarget(container, where), ...probeTargets(container, where)], answered);
  if (!missed.length) return [];
  return [{ message: `${prefix}vLLM listens on ${vllm.port} (${vllm.from}) but ${missedWords(missed)}; ${agreeWords(vllm, missed, argsPlace)}` }];
}

function serviceProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const container = graph.servingContainer(o);
  const args = graph.vllmCommand(o)?.args;
  if (!container || !args) return [];
  const model = predictorModelOf(o.manifest)?.field;
  const runtime = text(graph.runtimeOf(o.manifest)?.manifest.metadata?.name);
  const prefix = model && runtime ? `the serving container (ServingRuntime '${runtime}' merged with ${model}, as KServe runs it): ` : '';
  const argsPlace = !model
    ? 'spec.predictor.containers[kserve-container].args'
    : runtime
      ? `the args of ServingRuntime '${runtime}' (or ${model}.args)`
      : `${model}.args`;
  const pods = [mapping(mapping(o.manifest.spec).predictor), mapping(graph.runtimeOf(o.manifest)?.manifest.spec)];
  return containerProblem(vllmListenPort(args, vllmDefaultPort(text(container.image))), container, pods, 'kserve-container', argsPlace, prefix);
}

/** A ServingRuntime no InferenceService of the tree uses: its kserve-container as it would run with no args added. */
function runtimeProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (graph.servicesOf(o).length) return []; // judged on each service, merged
  const container = (Array.isArray(o.manifest.spec?.containers) ? (o.manifest.spec.containers as unknown[]) : [])
    .map(mapping)
    .find((c) => c.name === 'kserve-container');
  if (!container) return [];
  const name = text(o.manifest.metadata?.name) ?? '';
  const args = VllmArgs.of(buildCommandLine(containerPieces(container, `ServingRuntime '${name}'`)).words);
  return containerProblem(
    vllmListenPort(args, vllmDefaultPort(text(container.image))),
    container,
    [mapping(o.manifest.spec)],
    'containers[kserve-container]',
    'containers[kserve-container].args',
  );
}

/** The routing sidecar's own port in a decode pod and the vLLM port it forwards to (--port=8000 --vllm-port=8001 in KServe's decode presets). */
const ROUTING_SIDECAR_PORT = 8000;
const DECODE_VLLM_PORT = 8001;

/**
 * The port KServe sends an LLMInferenceService pod's traffic to: 8000 (the workload Service and the InferencePool,
 * kserve pkg/controller/v1alpha2/llmisvc/workload.go: "The presets we bundle assume 8000 for the main receiver"),
 * which in the decode pool is the routing sidecar, forwarding to vLLM on 8001 (its --vllm-port in the decode presets).
 */
function llmReceiver(pod: MergedLlmPod): PortTarget {
  return pod.role === 'decode'
    ? {
        port: DECODE_VLLM_PORT,
        what: 'the routing sidecar',
        verb: 'forwards to',
        from: "--vllm-port=8001 in KServe's decode preset",
        consequence: 'requests are refused',
        lever: '',
      }
    : {
        port: 8000,
        what: "KServe's workload Service and InferencePool",
        verb: 'target',
        from: "fixed by KServe's controller",
        consequence: 'requests are refused',
        lever: '',
      };
}

/** vLLM's port in an LLMInferenceService pod: the service's own command, else the preset's script (`vllm serve … --port <receiver> … $@`, the service's args last). */
function llmListenPort(pod: MergedLlmPod, receiver: number): ListenPort | undefined {
  const own = strings(pod.main.command).length > 0;
  const line = buildCommandLine(containerPieces(pod.main, `${pod.path}.containers[main]`, !own));
  const unset = own ? vllmDefaultPort(text(pod.main.image)) : { port: receiver, from: "the preset's --port" };
  return vllmListenPort(VllmArgs.of(line.words), unset);
}

/** The ports other containers of the pod answer probes on: those the pod declares, and in a decode pod the preset's routing sidecar. */
function llmAnswered(pod: MergedLlmPod): Set<number> {
  const ports = sidecarPorts(pod.pod, pod.main);
  if (pod.role === 'decode') ports.add(ROUTING_SIDECAR_PORT);
  return ports;
}

function llmProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const merged = mergedLlmPods(o, ctx.graph, ctx.platform);
  if (!('pods' in merged)) return []; // a preset neither in the tree nor shipped: the pods are not known
  const { severity, note } = presetDependence(ctx, o);
  return merged.pods
    .filter((pod) => pod.node === 'leader')
    .flatMap((pod): Problem[] => {
      const receiver = llmReceiver(pod);
      const vllm = llmListenPort(pod, receiver.port);
      if (!vllm) return [];
      const missed = missedTargets(vllm, [receiver, ...probeTargets(pod.main, `${pod.path}.containers[main]`)], llmAnswered(pod));
      if (!missed.length) return [];
      const fix = vllm.given
        ? `remove --port from ${vllm.from.replace(/^--port=\S+ in /, '')}: KServe's preset runs vLLM on ${receiver.port}, where its Service and probes expect it`
        : `add --port=${receiver.port} to the command of ${pod.path}.containers[main]`;
      const label = mergedPodLabel(
        pod,
        merged.pods.some((p) => p.role === pod.role && p.node === 'worker'),
      );
      return [
        { message: `${label}: vLLM listens on ${vllm.port} (${vllm.from}) but ${missedWords(missed)}; ${fix}${note}`, ...(severity ? { severity } : {}) },
      ];
    });
}
