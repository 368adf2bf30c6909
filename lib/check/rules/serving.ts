import { memoryMiB } from '../../private/quantity';
import { argValue, GPU_RESOURCE, tensorParallelSizeOf } from '../graph';
import { error, Rule, RuleResult, warning } from '../rule';

const RUNTIME_DEPLOYMENT_MODES = ['RawDeployment', 'Serverless', 'ModelMesh'];

/** The runtime an InferenceService names is not in its namespace. */
export const runtimeNotFound: Rule = {
  id: 'runtime-not-found',
  title: 'an InferenceService names a ServingRuntime that is not in its namespace (OpenShift AI has no ClusterServingRuntime)',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const m = o.manifest;
      const model = m.spec?.predictor?.model;
      if (!model) continue;
      const ns = m.metadata?.namespace;
      if (model.runtime) {
        if (graph.runtimeOf(m)) continue;
        const elsewhere = graph.ofKind('ServingRuntime').find((r) => r.manifest.metadata?.name === model.runtime);
        const cluster = graph.find('ClusterServingRuntime', model.runtime);
        out.push(error(o, `spec.predictor.model.runtime '${model.runtime}': no ServingRuntime of that name in namespace '${ns}'`
          + (elsewhere ? ` (there is one in '${elsewhere.manifest.metadata?.namespace}': KServe looks only in the service's namespace)` : '')
          + (cluster ? ' (a ClusterServingRuntime does not help: OpenShift AI does not install that CRD)' : '')
          + `; add a ServingRuntime '${model.runtime}' to '${ns}'. The service stays at RuntimeNotRecognized`));
      } else {
        const format = model.modelFormat?.name;
        const candidates = graph.ofKind('ServingRuntime').filter((r) => r.manifest.metadata?.namespace === ns && !r.manifest.spec?.disabled
          && (r.manifest.spec?.supportedModelFormats ?? []).some((f: any) => f.name === format && f.autoSelect));
        if (!candidates.length) {
          out.push(error(o, `spec.predictor.model.runtime is unset and no ServingRuntime in '${ns}' auto-selects format '${format}'; set runtime explicitly (auto-selection is redone on every reconcile and can change)`));
        } else {
          out.push(warning(o, `spec.predictor.model.runtime is unset: KServe picks among ${candidates.map((c) => c.manifest.metadata.name).join(', ')} on every reconcile; set it explicitly`));
        }
      }
    }
    return out;
  },
};

/** The model format does not match, letter for letter, one the runtime supports. */
export const runtimeFormatMismatch: Rule = {
  id: 'runtime-format-mismatch',
  title: 'the model format (and version) is not one the runtime supports, compared case-sensitively as KServe does',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const rt = graph.runtimeOf(o.manifest);
      const fmt = o.manifest.spec?.predictor?.model?.modelFormat;
      if (!rt || !fmt?.name) continue;
      const supported: any[] = rt.manifest.spec?.supportedModelFormats ?? [];
      if (rt.manifest.spec?.disabled) {
        out.push(error(o, `runtime '${rt.manifest.metadata.name}' is disabled (spec.disabled: true); the service stays at RuntimeDisabled`));
        continue;
      }
      const match = supported.find((f) => f.name === fmt.name && (fmt.version === undefined || f.version === fmt.version));
      if (match) continue;
      const caseOnly = supported.find((f) => String(f.name).toLowerCase() === String(fmt.name).toLowerCase());
      const offered = supported.map((f) => (f.version ? `${f.name}:${f.version}` : f.name)).join(', ') || 'none';
      out.push(error(o, `spec.predictor.model.modelFormat ${fmt.version ? `${fmt.name}:${fmt.version}` : `'${fmt.name}'`} is not supported by runtime '${rt.manifest.metadata.name}' (it supports ${offered}); `
        + (caseOnly && caseOnly.name !== fmt.name ? `formats match case-sensitively: write '${caseOnly.name}'. ` : 'use a supported format. ')
        + 'KServe reports NoSupportingRuntime'));
    }
    return out;
  },
};

/** vLLM's tensor-parallel × pipeline-parallel size differs from the GPUs the pod gets. */
export const tensorParallelGpuMismatch: Rule = {
  id: 'tensor-parallel-gpu-mismatch',
  title: 'tensor-parallel × pipeline-parallel size differs from the nvidia.com/gpu the pod requests (or GPU requests differ from limits)',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const c = graph.servingContainer(o);
      if (!c) continue;
      const args: string[] = c.args ?? [];
      const tp = tensorParallelSizeOf(args);
      const pp = Number(argValue(args, '--pipeline-parallel-size', '-pp') ?? 1);
      const req = c.resources?.requests?.[GPU_RESOURCE];
      const lim = c.resources?.limits?.[GPU_RESOURCE];
      if (req !== undefined && lim !== undefined && String(req) !== String(lim)) {
        out.push(error(o, `kserve-container requests ${req} but limits ${lim} ${GPU_RESOURCE}; extended resources cannot be overcommitted: make them equal`));
      }
      const gpus = Number(lim ?? req ?? 0);
      const need = tp * pp;
      if (gpus < need) {
        out.push(error(o, `--tensor-parallel-size=${tp}${pp > 1 ? ` × --pipeline-parallel-size=${pp}` : ''} needs ${need} GPUs but resources give ${gpus} ${GPU_RESOURCE}; `
          + `set requests and limits of ${GPU_RESOURCE} to ${need}, or lower the parallelism. vLLM fails at start-up`));
      } else if (gpus > need) {
        out.push(warning(o, `${gpus} ${GPU_RESOURCE} requested but vLLM uses ${need} (--tensor-parallel-size=${tp}); ${gpus - need} GPU(s) stay idle: request ${need} or raise the parallelism`));
      }
    }
    return out;
  },
};

/** Tensor parallelism without a large enough memory-backed /dev/shm. */
export const shmMissing: Rule = {
  id: 'shm-missing',
  title: 'tensor parallelism without a memory-backed /dev/shm (or one smaller than 1 GiB per rank)',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const rt = graph.runtimeOf(o.manifest);
      const c = graph.servingContainer(o);
      if (!c) continue;
      const tp = tensorParallelSizeOf(c.args ?? []);
      if (tp <= 1) continue;
      const mount = (c.volumeMounts ?? []).find((v: any) => v.mountPath === '/dev/shm');
      const volumes = [...(rt?.manifest.spec?.volumes ?? []), ...(o.manifest.spec?.predictor?.volumes ?? [])];
      const vol = mount && volumes.find((v: any) => v.name === mount.name);
      if (!vol || vol.emptyDir?.medium !== 'Memory') {
        out.push(error(o, `--tensor-parallel-size=${tp} but no memory-backed emptyDir is mounted at /dev/shm in kserve-container${rt ? ` (runtime '${rt.manifest.metadata.name}')` : ''}; `
          + 'the container default is 64 MiB and NCCL fails with ncclSystemError or a bus error: mount an emptyDir {medium: Memory} at /dev/shm'));
        continue;
      }
      const size = vol.emptyDir.sizeLimit;
      const mib = size === undefined ? Infinity : memoryMiB(size) ?? 0;
      if (mib < 1024 * tp) {
        out.push(warning(o, `/dev/shm sizeLimit ${size} is below 1 GiB per tensor-parallel rank (${tp} ranks); give it at least ${tp}Gi (cdk8s-vllm's VllmRuntime sizes 2 GiB per rank)`));
      }
    }
    return out;
  },
};

/** Deployment-mode annotation values that RHOAI 3.0 (KServe 0.15) silently ignores or does not support. */
export const deploymentMode: Rule = {
  id: 'deployment-mode',
  title: "serving.kserve.io/deploymentMode is not 'RawDeployment' (unknown values are silently ignored; OpenShift AI 3.0 has no Serverless)",
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const mode = o.manifest.metadata?.annotations?.['serving.kserve.io/deploymentMode'];
      if (mode === undefined || mode === 'RawDeployment') continue;
      if (!RUNTIME_DEPLOYMENT_MODES.includes(mode)) {
        out.push(error(o, `annotation serving.kserve.io/deploymentMode '${mode}' is not a mode KServe 0.15 knows (RawDeployment, Serverless, ModelMesh): it is ignored silently and the cluster default applies; write 'RawDeployment'`));
      } else {
        out.push(error(o, `annotation serving.kserve.io/deploymentMode '${mode}' is not available on OpenShift AI 3.0, which serves single models only as RawDeployment; write 'RawDeployment'`));
      }
    }
    return out;
  },
};

/** The OpenShift AI webhooks deny services whose hardware profile they cannot find. */
export const hardwareProfileNamespace: Rule = {
  id: 'hardware-profile-namespace',
  title: 'a hardware profile is named without its namespace (the webhook then looks in the service namespace and denies the service)',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.objects) {
      const a = o.manifest.metadata?.annotations ?? {};
      const name = a['opendatahub.io/hardware-profile-name'];
      if (!name || a['opendatahub.io/hardware-profile-namespace']) continue;
      if (graph.find('HardwareProfile', name, o.manifest.metadata?.namespace)) continue;
      out.push(warning(o, `annotation opendatahub.io/hardware-profile-name '${name}' has no opendatahub.io/hardware-profile-namespace; the webhook looks in '${o.manifest.metadata?.namespace}' and denies the object if the profile is not there: add the namespace of the profile (global ones: redhat-ods-applications)`));
    }
    return out;
  },
};

/** Argo CD applies lower waves first; a service in an earlier wave than its runtime is created before it. */
export const syncWaveOrder: Rule = {
  id: 'sync-wave-order',
  title: 'an InferenceService syncs in an earlier Argo CD wave than its ServingRuntime, or a LocalQueue before its ClusterQueue',
  check({ graph }) {
    const wave = (m: any) => Number(m.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const rt = graph.runtimeOf(o.manifest);
      if (rt && wave(o.manifest) < wave(rt.manifest)) {
        out.push(warning(o, `sync wave ${wave(o.manifest)} comes before its runtime's (${wave(rt.manifest)}); the service is reconciled without a runtime first: give it a later wave`));
      }
    }
    for (const o of graph.ofKind('LocalQueue')) {
      const cq = graph.find('ClusterQueue', o.manifest.spec?.clusterQueue);
      if (cq && wave(o.manifest) < wave(cq.manifest)) {
        out.push(warning(o, `sync wave ${wave(o.manifest)} comes before its ClusterQueue's (${wave(cq.manifest)}): give it a later wave`));
      }
    }
    return out;
  },
};

/** Runtime containers that KServe's injectors do not recognise. */
export const runtimeContainerName: Rule = {
  id: 'runtime-container-name',
  title: "a ServingRuntime's first container is not named kserve-container (storage-initializer and merging look for that name)",
  check({ graph }) {
    return graph.ofKind('ServingRuntime').filter((o) => {
      const cs = o.manifest.spec?.containers ?? [];
      return cs.length && !cs.some((c: any) => c.name === 'kserve-container');
    }).map((o) => error(o, `spec.containers has no container named 'kserve-container'; KServe merges the service's model spec into that container and mounts /mnt/models there: rename it`));
  },
};

/** ClusterServingRuntimes do nothing on OpenShift AI. */
export const clusterServingRuntime: Rule = {
  id: 'cluster-serving-runtime',
  title: 'a ClusterServingRuntime: OpenShift AI removes that CRD, so the object cannot be applied',
  check({ graph }) {
    return graph.ofKind('ClusterServingRuntime').map((o) => error(o, 'OpenShift AI does not install the ClusterServingRuntime CRD (and KServe there never looks one up); use a namespaced ServingRuntime next to each InferenceService'));
  },
};

export const SERVING_RULES = [runtimeNotFound, runtimeFormatMismatch, tensorParallelGpuMismatch, shmMissing, deploymentMode, hardwareProfileNamespace, syncWaveOrder, runtimeContainerName, clusterServingRuntime];

