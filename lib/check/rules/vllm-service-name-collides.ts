import { mapping, strings, text } from '../../manifests/access';
import { vllmServerEntrypoint } from '../command-line';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { writtenPodSpecs } from '../pod-spec-fields';
import { rawDeploymentMode } from '../raw-mode';
import { CheckContext, Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

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
 * Words of an image's repository name that say it is not vLLM's server though built around it: a router, a proxy,
 * a benchmark client.
 */
const NOT_SERVER_WORDS = /^(router|proxy|gateway|bench|benchmark|client|exporter|ui|web|frontend|operator|controller)$/;

/**
 * Engine options only vLLM's server takes (vllm/engine/arg_utils.py; TGI, SGLang and llama.cpp name theirs otherwise:
 * --max-input-length, --mem-fraction-static, --ctx-size).
 */
const VLLM_ONLY_OPTIONS = /^--(gpu-memory-utilization|max-model-len)(=|$)/;

/**
 * Whether a container runs vLLM's server: its command line starts it, or its image is vLLM's (by its known entrypoint
 * or its name), or its image is a placeholder a script fills in (`${VLLM_IMAGE}`) and its arguments are vLLM's own.
 */
function runsVllm(c: ContainerLine): boolean {
  if (c.args.invoked) return true;
  const image = text(c.container.image) ?? '';
  if (vllmServerEntrypoint(image)) return true;
  if (holdsTemplate(image) && [...strings(c.container.command), ...strings(c.container.args)].some((w) => VLLM_ONLY_OPTIONS.test(w))) return true;
  const repo = (image.split('/').pop() ?? '').replace(/[@:].*$/, '');
  const words = repo.toLowerCase().split(/[-_.]/);
  return words.includes('vllm') && !words.some((w) => NOT_SERVER_WORDS.test(w));
}

/** The containers of a workload that run vLLM and get the Service's link variable (none set it themselves). */
function exposedContainers(w: GraphObject, variable: string, when: RegExp | undefined, ctx: CheckContext): ContainerLine[] {
  const m = w.manifest;
  // Knative turns service links off by default (knative serving config-defaults enable-service-links: "false")
  if (m.kind === 'InferenceService' && !rawDeploymentMode(m, ctx.platform)) return [];
  // a pod spec that turns service links off may be the one running vLLM: any of them does, and the workload is not judged
  if (writtenPodSpecs(m).some((s) => s.spec.enableServiceLinks === false)) return [];
  const vllmService = m.kind === 'InferenceService' && ['vllm-gpu', 'vllm-cpu'].includes(ctx.graph.servingKindOf(w));
  return workloadVllmLines(m).filter((c) => {
    if (!(runsVllm(c) || (vllmService && c.name === 'kserve-container'))) return false;
    // the container's own env wins over a link variable; envFrom may hold it
    if (c.env.some((e) => e.name === variable) || c.container.envFrom !== undefined) return false;
    return !when || c.line.words.some((x) => when.test(x.word));
  });
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
    "a container of its namespace runs vLLM (its command line starts it, a vLLM image by its entrypoint or by name, an image placeholder (`${VLLM_IMAGE}`) with vLLM's own --gpu-memory-utilization or --max-model-len, a raw-deployment vLLM InferenceService) with service links on (enableServiceLinks unset), neither env nor envFrom setting the variable",
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
    const namespace = ctx.graph.namespaceOf(o.manifest);
    const out: Problem[] = [];
    for (const w of workloadsIn(ctx.graph, namespace)) {
      const exposed = exposedContainers(w, variable, setting.when, ctx);
      if (!exposed.length) continue;
      out.push({
        message:
          `the kubelet sets ${variable}=tcp://<cluster IP>:<port> in the pods of ${ctx.graph.id(w)} (${exposed.map((c) => c.where).join(', ')}), which run vLLM with service links on: ` +
          `vLLM reads ${variable} as a port number and stops at start (${setting.reads}); rename the Service (e.g. ${name}-server) or set enableServiceLinks: false in the pod spec of ${ctx.graph.id(w)}`,
      });
    }
    return out;
  },
};
