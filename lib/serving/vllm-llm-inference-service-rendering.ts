import { queueMetadata } from '../cluster/workload-queue';
import { Loose, mapping } from '../manifests/access';
import { shippedLlmConfigs } from '../platform/llm-configs';
import { Platform } from '../platform/platform';
import { PoolTopology } from '../planning/llm-pool';
import { ModelProfile } from '../planning/model-profile';
import { PROBE_PERIOD_SECONDS, StartupBudget } from '../planning/startup-budget';
import { formatMiB } from '../private/quantity';
import { ModelSourceBinding } from '../sources/model-source';
import { composeLlmSpec } from '../check/llm-config-merge';
import { mainContainerOf } from '../check/llm-pools';
import { probeToleranceSeconds } from '../check/startup-expectation';
import { ENABLE_AUTH_ANNOTATION, EXTERNAL_SECRETS_ANNOTATION, GPU_RESOURCE, SYNC_WAVE_ANNOTATION } from '../k8s/keys';
import { containerEnv, externalSecretsOf, tolerationsFor } from './pod-spec';
import { renderArgs } from './vllm-engine-options';
import { DerivedPool, LlmLoraOptions, LlmPoolOptions, VllmLlmInferenceServiceProps } from './vllm-llm-inference-service-props';
import { VllmRuntime } from './vllm-runtime';

/** The parts of an LLMInferenceService's rendering: each pool's spec, the start-up probes, the metadata. */

/**
 * `spec` (or `spec.prefill`) of one pool: replicas, parallelism, the pod template and the worker template. `o` is the
 * pool's options (the service's own props for the decode pool), `service` the service's props.
 */
export function renderPool(
  p: DerivedPool,
  o: LlmPoolOptions,
  service: VllmLlmInferenceServiceProps,
  serviceAccountName: string | undefined,
): Record<string, unknown> {
  const t = p.pool.topology;
  const parallelism: Record<string, unknown> = {};
  if (o.parallelism?.tensor !== undefined) parallelism.tensor = t.tensor;
  if (o.parallelism?.pipeline !== undefined) parallelism.pipeline = t.pipeline;
  if (o.parallelism?.data !== undefined) parallelism.data = t.data;
  if (o.parallelism?.dataLocal !== undefined) parallelism.dataLocal = t.dataLocal;
  if (t.expert) parallelism.expert = true;
  const gpus = String(t.gpusPerPod);
  // on one node KServe's config-llm-template passes no parallelism to vLLM (kserve#5773): the flags go in the args
  const args = [...(t.multiNode ? [] : singleNodeFlags(t)), ...renderArgs(o, 1), ...loraFlags(service.lora)];
  const env = containerEnv(o.env, service.secretEnv);
  // KServe's presets mount a 1Gi memory-backed /dev/shm; NCCL needs more with several ranks in the pod (the presets'
  // volumes and mounts merge by name and mount path, so only the size changes)
  const ranks = t.tensor * t.dataLocal * (t.multiNode ? 1 : t.pipeline);
  const shm = ranks > 1 ? formatMiB(VllmRuntime.shmMiBFor(ranks)) : undefined;
  const container = {
    name: 'main',
    ...(args.length ? { args } : {}),
    ...(env.length ? { env } : {}),
    ...(shm ? { volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }] } : {}),
    resources: {
      requests: { cpu: p.resources.cpuRequest, memory: formatMiB(p.resources.memoryRequestMiB), [GPU_RESOURCE]: gpus },
      limits: { cpu: p.resources.cpuLimit, memory: formatMiB(p.resources.memoryLimitMiB), [GPU_RESOURCE]: gpus },
    },
  };
  const serviceAccount = serviceAccountName ? { serviceAccountName } : {};
  const pod = {
    ...serviceAccount,
    nodeSelector: { ...p.placement.nodeSelector },
    tolerations: tolerationsFor(p.placement.taints),
    containers: [container],
    ...(shm ? { volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: shm } }] } : {}),
  };
  return {
    replicas: p.pool.replicas,
    ...(Object.keys(parallelism).length ? { parallelism } : {}),
    template: pod,
    ...(t.multiNode ? { worker: pod } : {}),
  };
}

/**
 * Gives the main container of each pool's leader pods a start-up probe of the whole budget where the platform's
 * presets, merged under the spec as KServe merges them (lib/check/llm-config-merge.ts), allow less. The probe takes its
 * handler from the preset's own start-up or liveness probe: port 8001 behind the decode pool's routing sidecar, HTTPS
 * on OpenShift AI 3.0–3.3, and no scheme where the preset renders it from the controller's TLS setting (the merge keeps
 * the preset's). Workers get none: the presets probe no worker, and a headless data-parallel worker serves no /health.
 */
export function withStartupProbes(spec: Loose, platform: Platform['id'], budget: StartupBudget): void {
  const shipped = shippedLlmConfigs(platform);
  // presets the platform does not ship (a baseRef of the cluster's own) are unknown here and count for nothing
  const merged = composeLlmSpec(spec, (name) => (shipped?.presets[name] ? { name, spec: shipped.presets[name] } : undefined)).spec;
  for (const holder of [spec, spec.prefill as Loose | undefined]) {
    if (!holder?.template) continue;
    const main = mainContainerOf(mapping(holder === spec ? merged : merged.prefill).template);
    const tolerance = probeToleranceSeconds(main?.startupProbe);
    if (tolerance !== undefined && tolerance >= budget.budgetSeconds) continue;
    const handler = probeHandlerOf(main?.startupProbe) ?? probeHandlerOf(main?.livenessProbe);
    if (!handler) continue;
    const pod = holder.template as { containers: Record<string, unknown>[] };
    const startupProbe = { ...handler, periodSeconds: PROBE_PERIOD_SECONDS, failureThreshold: budget.failureThreshold };
    // a new template object: a multi-node pool renders the same pod object as its worker, which keeps no probe
    holder.template = { ...pod, containers: pod.containers.map((c) => (c.name === 'main' ? { ...c, startupProbe } : c)) };
  }
}

/** A probe's handler (httpGet, tcpSocket, exec or grpc) as the preset gives it. */
function probeHandlerOf(probe: unknown): Record<string, unknown> | undefined {
  const p = mapping(probe);
  const key = ['httpGet', 'tcpSocket', 'exec', 'grpc'].find((k) => p[k] !== undefined);
  return key ? { [key]: p[key] as unknown } : undefined;
}

/** vLLM flags a single-node pool passes itself: KServe's config-llm-template runs `vllm serve` without them. */
function singleNodeFlags(t: PoolTopology): string[] {
  const out: string[] = [];
  if (t.tensor > 1) out.push(`--tensor-parallel-size=${t.tensor}`);
  if (t.pipeline > 1) out.push(`--pipeline-parallel-size=${t.pipeline}`);
  if (t.dataLocal > 1) out.push(`--data-parallel-size=${t.dataLocal}`);
  if (t.expert) out.push('--enable-expert-parallel');
  return out;
}

function loraFlags(lora: LlmLoraOptions | undefined): string[] {
  if (!lora) return [];
  return [
    '--enable-lora',
    `--max-lora-rank=${lora.maxRank}`,
    `--max-loras=${lora.maxAdapters ?? lora.adapters.length}`,
    // name=repository: the presets run `eval "vllm serve … $@"`, which would strip the quotes of the JSON form
    '--lora-modules',
    ...lora.adapters.map((a) => `${a.name}=${a.uri.replace(/^hf:\/\//, '')}`),
  ];
}

export function annotationsFor(props: VllmLlmInferenceServiceProps, source: ModelSourceBinding): Record<string, string> {
  const external = externalSecretsOf(source, props.secretEnv);
  return {
    [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? 10),
    [ENABLE_AUTH_ANNOTATION]: String(props.enableAuth ?? true),
    ...(props.model ? { [ModelProfile.ANNOTATION]: props.model.toAnnotation() } : {}),
    ...(external.length ? { [EXTERNAL_SECRETS_ANNOTATION]: external.join(',') } : {}),
    ...queueMetadata(props.queue).annotations,
  };
}
