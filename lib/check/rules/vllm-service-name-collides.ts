import * as path from 'path';
import { misspeltRepository } from '../../catalog/misspelt-images';
import { isInferenceSimulator } from '../../catalog/vllm-images';
import { mapping, strings, text } from '../../manifests/access';
import { vllmServerEntrypoint } from '../command-line';
import { envSetting } from '../container-env';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { writtenPodSpecs } from '../pod-spec-fields';
import { rawDeploymentMode } from '../kserve-mode';
import { CheckContext, Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { ContainerLine, workloadVllmLines } from '../workload-lines';
import { vllmServerEvidence } from '../vllm-server';

/**
 * Settings vLLM reads from `VLLM_*_PORT` variables with int(), which the kubelet's link variable of a Service
 * (`{NAME}_PORT=tcp://<cluster IP>:<port>`) can take: vllm-project/vllm vllm/envs.py. VLLM_PORT (get_vllm_port) is read
 * at every start, when the engine picks its ports (vllm/utils get_open_port); the connectors' ports only when that
 * connector is configured (`when`, a word of the command line). VLLM_DP_MASTER_PORT is left out: vLLM reads it only
 * under the external launcher, which a served container does not use.
 */
const PORT_SETTINGS: readonly { readonly variable: string; readonly when?: RegExp; readonly reads: string }[] = [
  { variable: 'VLLM_PORT', reads: 'get_vllm_port raises "VLLM_PORT \'tcp://…\' appears to be a URI"' },
  { variable: 'VLLM_NIXL_SIDE_CHANNEL_PORT', when: /NixlConnector/, reads: "int() of the NixlConnector's side-channel port raises ValueError" },
  { variable: 'VLLM_MOONCAKE_BOOTSTRAP_PORT', when: /MooncakeConnector/, reads: "int() of the MooncakeConnector's bootstrap port raises ValueError" },
];

/** The link variable the kubelet makes of a Service's name: upper-cased, '-' as '_' (kubernetes pkg/kubelet/envvars makeEnvVariableName). */
export function serviceLinkVariable(name: string): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_PORT`;
}

/**
 * Words of an image's repository name that say it is not vLLM's server though built around it or named after it: a
 * router, a proxy, a benchmark client, a mock or simulator of its API.
 */
const NOT_SERVER_WORDS =
  /^(router|proxy|gateway|bench|benchmark|client|exporter|ui|web|frontend|operator|controller|mock|fake|stub|sim|simulator|emulator|dummy)$/;

/**
 * Engine options only vLLM's server takes (vllm/engine/arg_utils.py; TGI, SGLang and llama.cpp name theirs otherwise:
 * --max-input-length, --mem-fraction-static, --ctx-size).
 */
const VLLM_ONLY_OPTIONS = /^--(gpu-memory-utilization|max-model-len)(=|$)/;

/**
 * How a container is known to run vLLM's server: `started` when the shared predicate says so (vllmServerEvidence: its
 * command line starts vLLM, names it, or a wrapper is given vLLM-only settings), its image is vLLM's by its known entrypoint (also misspelt by one edit), or its image is a placeholder a
 * script fills in (`${VLLM_IMAGE}`) or named after vLLM and its arguments are vLLM's own, or an image named after
 * vLLM given VLLM_* settings in env; `named` when only its image's
 * name says vLLM (a custom build started by its own script may run it, a mock of its API does not); undefined
 * otherwise, and for llm-d's inference simulator, which reads no VLLM_* setting.
 */
function runsVllm(c: ContainerLine): 'started' | 'named' | undefined {
  const image = text(c.container.image) ?? '';
  if (isInferenceSimulator(image)) return undefined;
  // an image one typo from vLLM's own (image-repository-misspelt reports the typo) runs vLLM once it is corrected
  if (vllmServerEvidence(c) || vllmServerEntrypoint(image) || vllmServerEntrypoint(misspeltRepository(image)?.meant)) return 'started';
  const repo = (image.split('/').pop() ?? '').replace(/[@:].*$/, '');
  const words = repo.toLowerCase().split(/[-_.]/);
  const named = words.includes('vllm') && !words.some((w) => NOT_SERVER_WORDS.test(w));
  if ((holdsTemplate(image) || named) && [...strings(c.container.command), ...strings(c.container.args)].some((w) => VLLM_ONLY_OPTIONS.test(w)))
    return 'started';
  // a custom build named after vLLM configured with vLLM's own settings (VLLM_GPU_MEMORY_UTILIZATION, …) that its
  // script passes on: the pattern of the fix that unset VLLM_PORT in such an entrypoint
  if (named && c.env.some((e) => e.name.startsWith('VLLM_'))) return 'started';
  return named ? 'named' : undefined;
}

/** A container that gets the Service's link variable: how it is known to run vLLM, and the envFrom sources the tree does not hold that may set the variable. */
type ExposedLine = ContainerLine & { readonly runs: 'started' | 'named'; readonly unknownSources: readonly string[] };

/** The containers of a workload that run vLLM and get the Service's link variable (none set it themselves), with how each is known to. */
function exposedContainers(w: GraphObject, variable: string, when: RegExp | undefined, ctx: CheckContext): ExposedLine[] {
  const m = w.manifest;
  // Knative turns service links off by default (knative serving config-defaults enable-service-links: "false")
  if (m.kind === 'InferenceService' && !rawDeploymentMode(m, ctx.platform, ctx.graph)) return [];
  // a pod spec that turns service links off may be the one running vLLM: any of them does, and the workload is not judged
  if (writtenPodSpecs(m).some((s) => s.spec.enableServiceLinks === false)) return [];
  const vllmService = m.kind === 'InferenceService' && ['vllm-gpu', 'vllm-cpu'].includes(ctx.graph.servingKindOf(w));
  return workloadVllmLines(m).flatMap((c) => {
    const runs = vllmService && c.name === 'kserve-container' ? 'started' : runsVllm(c);
    if (!runs) return [];
    // the container's env and envFrom win over a link variable (kubelet makeEnvironmentVariables)
    const setting = envSetting(ctx.graph, c.container, ctx.graph.namespaceOf(m), variable);
    if (setting.state === 'set') return [];
    const unknownSources = setting.state === 'unknown' ? setting.sources : [];
    return !when || c.line.words.some((x) => when.test(x.word)) ? [{ ...c, runs, unknownSources }] : [];
  });
}

/**
 * What applies an object with others: the kustomize roots that build it, the cdk8s app of its chart, or the folder of a
 * loose file (kubectl apply -f <folder>); undefined when it is not known (objects given without files).
 */
function deliveryUnits(o: GraphObject): string[] | undefined {
  if (o.unit !== undefined) return [`app:${o.unit}`];
  if (o.kustomizations?.length) return o.kustomizations.map((k) => `root:${k}`);
  return o.file ? [`folder:${path.dirname(o.file)}`] : undefined;
}

/** Whether two objects are applied by one delivery (unknown counts as one); other roots or folders may be alternatives. */
export function appliedWith(a: GraphObject, b: GraphObject): boolean {
  const x = deliveryUnits(a);
  const y = deliveryUnits(b);
  return !x || !y || x.some((u) => y.includes(u));
}

/** The workloads of a namespace (both unset count as one: the namespace they are applied to). */
function workloadsIn(graph: ObjectGraph, namespace: string | undefined): GraphObject[] {
  return WORKLOAD_KINDS.flatMap((k) => graph.ofKind(k)).filter((w) => graph.namespaceOf(w.manifest) === namespace);
}

export const vllmServiceNameCollides: Rule = {
  id: 'vllm-service-name-collides',
  title: "a Service's name makes the kubelet set a VLLM_*_PORT variable (VLLM_PORT=tcp://…) in vLLM's pods, and vLLM stops at start",
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    "the Service has a cluster IP (not headless, not ExternalName) and its name upper-cased, '-' as '_', with _PORT, is a port setting vLLM reads as a number (VLLM_PORT; the NIXL and Mooncake connectors' ports where the command line names that connector); " +
    "a container of its namespace runs vLLM (its command line starts it, a vLLM image by its entrypoint (also one misspelt by one edit, image-repository-misspelt, and an image the tree's scripts tag from one or build from a Dockerfile of the tree whose final stage is FROM one and sets no ENTRYPOINT or CMD), an image placeholder (`${VLLM_IMAGE}`) or an image named after vLLM with vLLM's own --gpu-memory-utilization or --max-model-len, an image named after vLLM given VLLM_* env settings, a raw-deployment vLLM InferenceService; an image only named after vLLM is a warning, a mock or simulator of its API (llm-d-inference-sim, `mock-vllm`) nothing) with service links on (enableServiceLinks unset), neither env nor envFrom setting the variable (the keys of envFrom ConfigMaps and Secrets of the tree, with their prefix, are read; an envFrom source the tree does not hold makes it a warning naming that source); " +
    'a Service is paired with the workloads applied with it (its kustomize roots, its cdk8s app, or its folder for a loose file), and only when none is there with the others of the namespace, as a warning (other roots may be alternatives)',
  example: '`kind: Service` named `vllm` in the namespace of a Deployment running `vllm/vllm-openai`',
  fix: 'rename the Service (vllm-server, vllm-api), or set enableServiceLinks: false in the pod spec of each vLLM workload of the namespace',
  source:
    'kubernetes pkg/kubelet/envvars FromServices (`{NAME}_PORT=tcp://<cluster IP>:<port>` for each Service with a cluster IP in the pod\'s namespace unless enableServiceLinks is false); vllm-project/vllm vllm/envs.py get_vllm_port ("VLLM_PORT … appears to be a URI"); vLLM docs serving/env_vars.md: do not name a Kubernetes Service vllm',
  check(o, ctx) {
    const spec = mapping(o.manifest.spec);
    const name = text(mapping(o.manifest.metadata).name);
    // the kubelet makes link variables only of Services with a cluster IP (v1helper.IsServiceIPSet)
    if (!name || spec.type === 'ExternalName' || spec.clusterIP === 'None') return [];
    const variable = serviceLinkVariable(name);
    const setting = PORT_SETTINGS.find((s) => s.variable === variable);
    if (!setting) return [];
    const workloads = workloadsIn(ctx.graph, ctx.graph.namespaceOf(o.manifest));
    // a Service built or applied with pods of its own is paired with those only: other roots or folders of the
    // namespace may be alternatives of its own (a mock variant beside the real one)
    const own = workloads.filter((w) => appliedWith(o, w));
    const out: Problem[] = [];
    for (const w of own.length ? own : workloads) {
      const exposed = exposedContainers(w, variable, setting.when, ctx);
      if (exposed.length) out.push(collision(o, w, exposed, own.length > 0, ctx));
    }
    return out;
  },
};

/** The finding for one workload: an error when it is applied with the Service and visibly starts vLLM, else a warning. */
function collision(service: GraphObject, w: GraphObject, exposed: readonly ExposedLine[], together: boolean, ctx: CheckContext): Problem {
  const name = text(mapping(service.manifest.metadata).name) ?? '';
  const variable = serviceLinkVariable(name);
  const setting = PORT_SETTINGS.find((s) => s.variable === variable)!;
  const started = exposed.some((c) => c.runs === 'started');
  // a container known as surely as the best one whose envFrom sources are all in the tree is surely exposed; else an
  // envFrom source the tree does not hold may spare each
  const sure = exposed.some((c) => (c.runs === 'started' || !started) && !c.unknownSources.length);
  const unknown = sure ? [] : [...new Set(exposed.flatMap((c) => c.unknownSources))];
  const doubt = [
    ...(started ? [] : [`only the image's name says it runs vLLM (${exposed.map((c) => text(c.container.image)).join(', ')})`]),
    ...(together ? [] : [`the Service is applied apart from it (${describeUnits(service)}), so only if both are applied`]),
    ...(unknown.length ? [`unless ${unknown.join(', ')}, which envFrom reads and the tree does not hold, sets ${variable}`] : []),
  ];
  return {
    ...(doubt.length ? { severity: 'warning' as const } : {}),
    // the pods that stop are the workload's: the engine judges whether any of them runs (replicas: 0 that nothing scales)
    failsIn: [w],
    message:
      `the kubelet sets ${variable}=tcp://<cluster IP>:<port> in the pods of ${ctx.graph.id(w)} (${exposed.map((c) => c.where).join(', ')}), which run vLLM with service links on` +
      `${doubt.length ? ` (${doubt.join('; ')})` : ''}: vLLM reads ${variable} as a port number and stops at start (${setting.reads}); ` +
      `rename the Service (e.g. ${name}-server) or set enableServiceLinks: false in the pod spec of ${ctx.graph.id(w)}`,
  };
}

/** Where a Service is applied from, for messages. */
function describeUnits(o: GraphObject): string {
  const units = deliveryUnits(o) ?? [];
  return units
    .map((u) =>
      u
        .replace(/^root:/, 'kustomization ')
        .replace(/^folder:/, 'folder ')
        .replace(/^app:/, 'cdk8s app '),
    )
    .join(', ');
}
