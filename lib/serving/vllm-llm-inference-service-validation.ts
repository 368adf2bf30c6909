import { GpuMachineSetScale } from '../cluster/gpu-machine-set-scale';
import { nodesNeeded, WorkloadDemand } from '../placement/gpu-demand';
import { IGpuPlacement } from '../placement/gpu-placement';
import { parallelismProblems, PoolTopology, poolTopology } from '../planning/llm-pool';
import { LORA_RANKS } from '../planning/vllm-startup-checks';
import { isDnsLabel, requireDnsSubdomain, requireEnv, requirePositiveInteger, requireSecretEnv } from '../private/names';
import { requireModelSource, requireQuantizationMatches, requireQueueInNamespace } from './service-validation';
import { checkEngineOptions } from './vllm-engine-options';
import { LlmLoraOptions, PoolOptions, VllmLlmInferenceServiceProps } from './vllm-llm-inference-service-props';

/** What the props say on their own, as KServe's webhook and vLLM judge it. */
export function validateService(self: string, name: string, namespace: string, props: VllmLlmInferenceServiceProps): void {
  requireModelSource(self, props.source);
  // the name clients send to the OpenAI API (vLLM's --served-model-name): an empty one names nothing
  if (props.modelName !== undefined && (typeof props.modelName !== 'string' || props.modelName.trim() === '')) {
    throw new Error(`${self}: modelName must be a non-empty name clients send as "model", or be left out for the service name '${name}'`);
  }
  requireQueueInNamespace(self, props.queue, namespace);
  for (const ref of props.baseRefs ?? []) requireDnsSubdomain(self, 'baseRefs', ref);
  requireEnv(self, 'env', props.env);
  requireEnv(self, 'prefill.env', props.prefill?.env);
  requireSecretEnv(self, props.secretEnv);
  if (props.lora) validateLora(self, props.lora, props.modelName ?? name);
}

/** Static LoRA adapters as vLLM and KServe's webhook judge them. */
function validateLora(self: string, lora: LlmLoraOptions, modelName: string): void {
  requirePositiveInteger(self, 'lora.maxRank', lora.maxRank);
  if (!LORA_RANKS.includes(lora.maxRank)) {
    throw new Error(`${self}: lora.maxRank ${lora.maxRank} is not a rank vLLM accepts (${LORA_RANKS.join(', ')}); use the next larger one`);
  }
  if (lora.maxAdapters !== undefined) requirePositiveInteger(self, 'lora.maxAdapters', lora.maxAdapters);
  if (!lora.adapters.length) throw new Error(`${self}: lora.adapters is empty; list at least one adapter, or drop lora`);
  // the adapter rules of KServe's ValidateLoRAAdapters (pkg/apis/serving/v1alpha2/llm_inference_service_validation.go)
  const seen = new Map<string, number>();
  lora.adapters.forEach((a, i) => {
    const at = `lora.adapters[${i}].name`;
    if (!a.name) throw new Error(`${self}: ${at}: adapter name is required`);
    if (a.name === '.' || a.name === '..') throw new Error(`${self}: ${at}: adapter name must not be "." or ".." (path traversal)`);
    if (seen.has(a.name)) throw new Error(`${self}: ${at}: duplicate name '${a.name}' (same as adapters[${seen.get(a.name)}]); give each adapter its own name`);
    seen.set(a.name, i);
    if (a.name === modelName) throw new Error(`${self}: ${at}: adapter name must differ from the base model name '${modelName}'`);
    if (!isDnsLabel(a.name) && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(a.name))
      throw new Error(`${self}: ${at}: '${a.name}' is not a model name clients can send`);
    // KServe (odh-v3.4) records adapters but downloads none; vLLM fetches a Hugging Face repository itself
    if (!/^hf:\/\/[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(a.uri)) {
      throw new Error(
        `${self}: lora.adapters[${i}].uri '${a.uri}' is not hf://<org>/<repo>: the controller downloads no adapters, and vLLM fetches only Hugging Face repositories itself`,
      );
    }
  });
}

/** A pool's parallelism, replicas and engine options as KServe's controller and vLLM judge them; the pod's GPUs fit a node. */
export function validatePool(self: string, role: 'decode' | 'prefill', o: PoolOptions, props: VllmLlmInferenceServiceProps) {
  const field = role === 'prefill' ? 'prefill.' : '';
  const multiNode = o.multiNode === true;
  const problems = parallelismProblems(o.parallelism, multiNode);
  if (problems.length) throw new Error(`${self}: ${problems.map((p) => `${field}${p.field}: ${p.message}`).join('; ')}`);
  const topology = poolTopology(o.parallelism, multiNode);
  if (multiNode && (o.parallelism?.pipeline ?? 0) > 0) {
    // pkg/controller/v1alpha2/llmisvc/config_merge.go looks these presets up; OpenShift AI (odh-v3.4) does not ship them
    throw new Error(
      `${self}: ${field}parallelism.pipeline with a worker makes the controller look up the preset kserve-config-llm-${role === 'prefill' ? 'prefill-' : props.prefill ? 'decode-' : ''}worker-pipeline-parallel, ` +
        'which OpenShift AI does not ship, so the service never reconciles: shard across the group with data parallelism (data, dataLocal) and tensor, or use pipeline on one node',
    );
  }
  const replicas = o.replicas ?? 1;
  requirePositiveInteger(self, `${field}replicas`, replicas);
  checkEngineOptions(self, o);
  requireQuantizationMatches(self, props.model, o.quantization);
  const type = o.placement!.instanceType;
  if (topology.gpusPerPod > type.gpuCount) {
    throw new Error(
      `${self}: ${field}parallelism gives ${describeTopology(topology)} = ${topology.gpusPerPod} GPUs per pod but a ${type.name} node has ${type.gpuCount}; ` +
        `lower tensor${multiNode ? ' or dataLocal' : ', pipeline or dataLocal'}${multiNode ? '' : ', spread the pool over a worker group (multiNode)'}, or place the pool on an instance type with ${topology.gpusPerPod} GPUs`,
    );
  }
  return { topology, replicas };
}

/** A group's pods start together: a fixed set of nodes must hold a whole group at once (a MachineSet scales to it). */
export function requireGroupFits(self: string, field: string, topology: PoolTopology, placement: IGpuPlacement, demand: WorkloadDemand): void {
  if (topology.podsPerGroup <= 1 || placement instanceof GpuMachineSetScale) return;
  const type = placement.instanceType;
  const groupNodes = nodesNeeded(type, [{ ...demand, pods: topology.podsPerGroup }]);
  if (groupNodes > placement.nodeCount) {
    throw new Error(
      `${self}: ${field}one LeaderWorkerSet group is ${topology.podsPerGroup} pods of ${topology.gpusPerPod} GPUs, which need ${groupNodes} ${type.name} nodes at once, ` +
        `but ${placement.description} has ${placement.nodeCount}; add nodes, or lower data / dataLocal (fewer pods per group)`,
    );
  }
}

function describeTopology(t: PoolTopology): string {
  const parts = [`tensor ${t.tensor}`];
  if (t.dataLocal > 1) parts.push(`dataLocal ${t.dataLocal}`);
  if (!t.multiNode && t.pipeline > 1) parts.push(`pipeline ${t.pipeline}`);
  return parts.join(' × ');
}
