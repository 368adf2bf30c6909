import { GpuInstanceType } from '../catalog/instance-type';
import { architectureVerdict, compareVllmVersions, TRANSFORMERS_FALLBACK_SINCE } from '../catalog/vllm-architectures';
import { vllmVersionOfImageReference } from '../catalog/vllm-images';
import { ModelProfile } from '../planning/model-profile';
import { requireBoolean, requireDnsLabel, requireDnsSubdomain, requireEnv, requirePositiveInteger, requireSecretEnv } from '../private/names';
import { ModelSourceBinding } from '../sources/model-source';
import { ScaleSignal } from './scale-signal';
import { requireModelSource, requireQuantizationMatches, requireQueueInNamespace, shown } from './service-validation';
import { checkEngineOptions } from './vllm-engine-options';
import { VllmInferenceServiceProps } from './vllm-inference-service-props';
import { VllmRuntime } from './vllm-runtime';

/** Checks what the props say on their own; errors name the service, the field and the fix. */
export function validateProps(self: string, namespace: string, props: VllmInferenceServiceProps): void {
  const scaling = props.autoscaling;
  if (scaling && props.replicas !== undefined) throw new Error(`${self}: set replicas or autoscaling, not both`);
  const min = scaling?.minReplicas ?? props.replicas ?? 1;
  const max = scaling?.maxReplicas ?? props.replicas ?? 1;
  requirePositiveInteger(self, scaling ? 'autoscaling.minReplicas' : 'replicas', min);
  requirePositiveInteger(self, scaling ? 'autoscaling.maxReplicas' : 'replicas', max);
  if (min > max) throw new Error(`${self}: autoscaling.minReplicas ${min} is above maxReplicas ${max}`);
  if (scaling?.target !== undefined && !(Number.isInteger(scaling.target) && scaling.target > 0 && scaling.target <= 100)) {
    throw new Error(`${self}: autoscaling.target must be a whole percentage from 1 to 100, got ${scaling.target}`);
  }
  if (scaling && scaling.signal !== undefined && !(scaling.signal instanceof ScaleSignal)) {
    throw new Error(`${self}: autoscaling.signal must be a ScaleSignal (ScaleSignal.requestsWaiting(), .kvCacheUsage(), .cpu(), .memory())`);
  }
  if (scaling?.signal && (scaling.metric !== undefined || scaling.target !== undefined)) {
    throw new Error(`${self}: autoscaling: give signal, or the deprecated metric/target, not both`);
  }
  if (scaling?.metric !== undefined && scaling.metric !== 'cpu' && scaling.metric !== 'memory') {
    throw new Error(
      `${self}: autoscaling.metric must be 'cpu' or 'memory', got ${shown(scaling.metric)}; for vLLM's own signals use signal: ScaleSignal.requestsWaiting()`,
    );
  }
  requireModelSource(self, props.source);
  if (!(props.runtime instanceof VllmRuntime)) throw new Error(`${self}: runtime must be a VllmRuntime, got ${shown(props.runtime)}`);
  if (props.envFromConfigMaps !== undefined) {
    if (!Array.isArray(props.envFromConfigMaps))
      throw new Error(`${self}: envFromConfigMaps must be a list of ConfigMap names, got ${shown(props.envFromConfigMaps)}`);
    props.envFromConfigMaps.forEach((name, i) => requireDnsSubdomain(self, `envFromConfigMaps[${i}]`, name));
  }
  // OpenShift AI's webhook looks the profile up by name and namespace: a name no object can have is never found
  if (props.hardwareProfileName !== undefined) requireDnsSubdomain(self, 'hardwareProfileName', props.hardwareProfileName);
  if (props.hardwareProfileNamespace !== undefined) requireDnsLabel(self, 'hardwareProfileNamespace', props.hardwareProfileNamespace);
  for (const field of ['enableAuth', 'externalRoute'] as const) requireBoolean(self, field, props[field]);
  requireEnv(self, 'env', props.env);
  requireSecretEnv(self, props.secretEnv);
  checkEngineOptions(self, props);
  requireQueueInNamespace(self, props.queue, namespace);
  requireQuantizationMatches(self, props.model, props.quantization);
  requireArchitectureInImage(self, props.runtime, props.model);
}

/**
 * The runtime's vLLM registers the model's architecture, where both are known and vLLM has no Transformers fallback
 * to try (releases before it stop at start); the other cases are the check vllm-architecture-unsupported's, at synth.
 */
function requireArchitectureInImage(self: string, runtime: VllmRuntime, model: ModelProfile | undefined): void {
  const known = model ? vllmVersionOfImageReference(runtime.image) : undefined;
  if (!model || !known || compareVllmVersions(known.version, TRANSFORMERS_FALLBACK_SINCE) >= 0) return;
  const verdict = architectureVerdict(known.version, model.architecture);
  if (verdict.status !== 'not-yet') return;
  throw new Error(
    `${self}: model ${model.name} is a ${model.architecture}, which vLLM registers from ${verdict.since} on, but runtime '${runtime.name}' runs vLLM ${known.version} ` +
      `(its image ${runtime.image}): the engine would stop with "Model architectures ['${model.architecture}'] are not supported for now"; ` +
      `give the VllmRuntime an image of vLLM ${verdict.since} or later`,
  );
}

/** GPUs of one replica: the tensor-parallel size unless set, and no more than a node has. */
export function gpuCountOf(self: string, props: VllmInferenceServiceProps, tensorParallelSize: number, type: GpuInstanceType): number {
  const gpus = props.gpuCount ?? tensorParallelSize;
  requirePositiveInteger(self, 'gpuCount', gpus);
  if (gpus < tensorParallelSize) {
    throw new Error(
      `${self}: gpuCount ${props.gpuCount} is less than tensorParallelSize ${tensorParallelSize}; ` +
        'vLLM needs one GPU per tensor-parallel rank: raise gpuCount or lower tensorParallelSize',
    );
  }
  if (gpus > type.gpuCount) {
    throw new Error(
      `${self}: needs ${gpus} GPUs per replica but a ${type.name} node has ${type.gpuCount}; ` +
        `place it on nodes of an instance type with at least ${gpus} GPUs (e.g. ${largerShapes(type, gpus)})`,
    );
  }
  return gpus;
}

function largerShapes(current: GpuInstanceType, gpus: number): string {
  const same = GpuInstanceType.all()
    .filter((t) => t.gpu === current.gpu && t.gpuCount >= gpus)
    .map((t) => t.name);
  return same.length ? same.join(', ') : 'a multi-GPU shape';
}

/** The source's binding; a source with download Secrets sets the predictor's account, so `serviceAccountName` cannot too. */
export function bindSource(self: string, props: VllmInferenceServiceProps): ModelSourceBinding {
  const source = props.source.bind();
  if (props.serviceAccountName === undefined) return source;
  requireDnsSubdomain(self, 'serviceAccountName', props.serviceAccountName);
  if (source.downloadSecrets.length) {
    throw new Error(
      `${self}: serviceAccountName '${props.serviceAccountName}' and a source with a token Secret (${source.downloadSecrets.join(', ')}) both set the predictor's account; ` +
        `list the Secret on ServiceAccount ${props.serviceAccountName} yourself (key HF_TOKEN) and drop tokenSecret, or drop serviceAccountName`,
    );
  }
  return source;
}
