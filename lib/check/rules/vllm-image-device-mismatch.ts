import { DeviceVendor, deviceVendorOf } from '../../catalog/device-resources';
import { AcceleratorBuild, acceleratorBuildOf } from '../../catalog/vllm-images';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { AMD_GPU_RESOURCE, GPU_RESOURCE } from '../../k8s/keys';
import { commandLineOf, cpuIntent } from '../command-line';
import { gpuPathOf, requestsAccelerator } from '../gpu-supply';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS, templatePods } from '../pod-templates';
import { VllmArgs } from '../vllm-args';
import { Problem, Rule } from '../rule';

/** The problems of a pod's containers: an accelerator build of vLLM told to run on CPUs, or given no GPU at all. */
function mismatches(m: Loose, containers: readonly { name: string; container: Loose }[], noGpu: boolean, runtime?: Loose): Problem[] {
  if (requestsAccelerator(containers.map((c) => c.container))) return [];
  const path = gpuPathOf(
    m,
    containers.map((c) => c.container),
    runtime,
  );
  return containers.flatMap(({ name, container }) => {
    const image = text(container.image);
    const build = image ? acceleratorBuildOf(image) : undefined;
    if (!build) return [];
    const intent = cpuIntent(container);
    if (intent) {
      return [
        {
          message:
            `container '${name}' runs ${image}, vLLM's ${build.build} build, on CPUs (${intent}, no accelerator requested): that build has no CPU backend and stops at start ("Failed to infer device type"); ` +
            `use the CPU build ${build.cpuImage}`,
        },
      ];
    }
    if (!noGpu || path?.kind === 'supplied' || !servesVllm(container)) return [];
    return [noGpuProblem(name, image ?? '', build, container, path?.how)];
  });
}

/**
 * Runtimes that may be a node's default and hand a container the GPUs its NVIDIA_VISIBLE_DEVICES names, which the CUDA
 * base images set to all: NVIDIA Container Toolkit's accept-nvidia-visible-devices-envvar-when-unprivileged is true by
 * default (nvidia-container-toolkit internal/config/config.go GetDefault), and these setups make its runtime the default.
 */
const NVIDIA_DEFAULT_RUNTIMES =
  "Docker Desktop or WSL2, EKS's GPU AMIs, the GPU Operator's toolkit with CONTAINERD_SET_AS_DEFAULT, k3s with its nvidia runtime as the default";

/** Whether the container's own NVIDIA_VISIBLE_DEVICES hides every GPU (void, none, empty: the toolkit mounts none). */
function hidesGpus(container: Loose): boolean {
  const visible = mappings(container.env).find((e) => e.name === 'NVIDIA_VISIBLE_DEVICES');
  return visible !== undefined && /^(void|none|)$/.test(text(visible.value) ?? '');
}

/**
 * The accelerator build given no GPU. A CUDA build is a warning: on a GPU node whose default container runtime is
 * NVIDIA's the image's NVIDIA_VISIBLE_DEVICES=all exposes every GPU with no request, and the tree does not say which
 * runtime its nodes default to. ROCm's images set no such variable: there only the steering to GPU nodes warns.
 */
function noGpuProblem(name: string, image: string, build: AcceleratorBuild, container: Loose, steeredBy?: string): Problem {
  const gpu = build.build === 'CUDA' ? GPU_RESOURCE : AMD_GPU_RESOURCE;
  const head =
    `container '${name}' runs ${image}, vLLM's ${build.build} build, and the pod requests no GPU (no ${gpu} in resources, no DRA claim, runtime class or hardware profile): ` +
    `the device plugin hands it no GPU, vLLM finds no device and stops at start ("Failed to infer device type")`;
  const fix = `; request one (resources.limits ${gpu}: 1) or run the CPU build ${build.cpuImage}`;
  if (build.build === 'CUDA' && !hidesGpus(container)) {
    const placed = steeredBy ? `${steeredBy} puts it on GPU nodes, and ` : '';
    return {
      severity: 'warning',
      message:
        `${head}, unless the node's default container runtime is NVIDIA's: assumed here it is not, which the tree does not say; ` +
        `${placed}where it is (${NVIDIA_DEFAULT_RUNTIMES}), the image's NVIDIA_VISIBLE_DEVICES=all hands the container every GPU of a GPU node, uncounted by the scheduler${fix}`,
    };
  }
  const onGpuNodes = steeredBy ? `; ${steeredBy} may put it on a GPU node whose container runtime exposes every GPU, which nothing guarantees` : '';
  return { ...(steeredBy ? { severity: 'warning' as const } : {}), message: `${head}${onGpuNodes}${fix}` };
}

/** The device family each build of vLLM runs on (vllm/platforms: CUDA on NVIDIA's GPUs, ROCm on AMD's). */
const BUILD_FAMILY: Readonly<Record<AcceleratorBuild['build'], DeviceVendor['family']>> = { CUDA: 'nvidia-gpu', ROCm: 'amd-gpu' };

/** The vLLM build to run on each device family, for the fix. */
const BUILD_FOR_FAMILY: Readonly<Record<DeviceVendor['family'], string>> = {
  'nvidia-gpu': 'the CUDA build vllm/vllm-openai',
  'amd-gpu': 'the ROCm build vllm/vllm-openai-rocm (or rocm/vllm)',
  tpu: 'the TPU build vllm/vllm-tpu',
  gaudi: "a Gaudi build of vLLM (the vllm-gaudi plugin's images)",
  'intel-gpu': 'an XPU build of vLLM',
  neuron: "a Neuron build of vLLM (AWS Neuron's containers)",
};

/** The accelerator resources a container requests or limits, with their vendor. */
function requestedDevices(container: Loose): { resource: string; vendor: DeviceVendor }[] {
  const resources = mapping(container.resources);
  const names = new Set([...Object.keys(mapping(resources.requests)), ...Object.keys(mapping(resources.limits))]);
  return [...names].flatMap((resource) => {
    const vendor = deviceVendorOf(resource);
    return vendor ? [{ resource, vendor }] : [];
  });
}

/**
 * Containers that serve vLLM's CUDA or ROCm build on another vendor's devices only (amd.com/gpu for the CUDA image,
 * nvidia.com/gpu for the ROCm one, a TPU or Gaudi for either): the device plugin mounts devices the build has no
 * backend for, and vLLM finds no platform.
 */
function vendorMismatches(containers: readonly { name: string; container: Loose }[]): Problem[] {
  return containers.flatMap(({ name, container }) => {
    const image = text(container.image);
    const build = image ? acceleratorBuildOf(image) : undefined;
    const devices = requestedDevices(container);
    if (!build || !devices.length || devices.some((d) => d.vendor.family === BUILD_FAMILY[build.build]) || !servesVllm(container)) return [];
    const given = devices.map((d) => `${d.resource} (${d.vendor.vendor})`).join(', ');
    return [
      {
        message:
          `container '${name}' runs ${image}, vLLM's ${build.build} build, on ${given}: the device plugin hands it devices its ${build.build} runtime cannot use, ` +
          `so vLLM finds no platform it was built for and stops at start ("Failed to infer device type"); run ${BUILD_FOR_FAMILY[devices[0].vendor.family]}, or request the devices of its own build`,
      },
    ];
  });
}

/** Whether the container visibly starts vLLM's server (its command line or its image's entrypoint), not a helper command. */
function servesVllm(container: Loose): boolean {
  return VllmArgs.of(commandLineOf(container)).invoked;
}

/**
 * The problems of each pod template of a kind of several pods (a Ray cluster's head and worker groups, a JobSet's or
 * LeaderWorkerSet's roles), named by the template: a vLLM build told to run on CPUs or given another vendor's devices.
 * A group given no GPU is not judged: a Ray head commonly runs none, and Ray Serve places vLLM on the groups that have.
 */
function templateMismatches(m: Loose): Problem[] {
  return templatePods(m).flatMap(({ manifest, prefix }) => {
    const containers = containersOf(manifest);
    return [...vendorMismatches(containers), ...mismatches(manifest, containers, false)].map((p) => ({
      ...p,
      message: `${prefix.replace(/\.$/, '')} ${p.message}`,
    }));
  });
}

export const vllmImageDeviceMismatch: Rule = {
  id: 'vllm-image-device-mismatch',
  title:
    "vLLM's CUDA or ROCm image told to serve on CPUs (--device cpu, VLLM_TARGET_DEVICE=cpu, VLLM_CPU_* settings), given no GPU, or given another vendor's devices (the CUDA image on amd.com/gpu): it cannot start",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ServingRuntime', ...MULTI_POD_KINDS],
  premise:
    "the image is one the tool knows as a CUDA or ROCm build of vLLM (vllm/vllm-openai, -rocm, Red Hat AI Inference Server's and OpenShift AI's -cuda/-rocm images, quay.io/modh/vllm *-cuda/*-rocm, NVIDIA's NGC build nvcr.io/nvidia/vllm), no container of the pod requests any resource beyond CPU, memory, storage and huge pages, and either the container's arguments or env say CPU, " +
    "or it visibly starts vLLM's server and nothing else gives the pod a GPU: no DRA resource claim, runtime class, NVIDIA_VISIBLE_DEVICES, privileged container, hostPath of /dev GPU devices, OpenShift AI hardware or accelerator profile, and for an InferenceService no GPU from its runtime (KServe merges the runtime's container); " +
    "the CUDA build given no GPU is a warning, which assumes the node's default container runtime is not NVIDIA's: where it is (Docker Desktop/WSL2, EKS's GPU AMIs, the GPU Operator with CONTAINERD_SET_AS_DEFAULT, k3s with the nvidia runtime as the default), the image's NVIDIA_VISIBLE_DEVICES=all exposes every GPU of a GPU node (unless the container sets it to void or none); the ROCm build given no GPU is an error, a warning when the pod is steered to GPU nodes only (a GPU node selector or affinity, a toleration of a GPU taint, a node name, a Kueue queue); " +
    "a ServingRuntime or LLMInferenceService alone is judged on CPU settings only (the services or configs that use it bring the GPU), and so is each pod template of a kind of several pods (a Ray cluster's groups, where rayproject/ray-llm's -cuXX images carry the CUDA build of vLLM that Ray Serve LLM runs; a JobSet's or LeaderWorkerSet's roles), whose head commonly runs no GPU; " +
    "also a container that visibly starts vLLM's server from a CUDA or ROCm build and requests only accelerators of other vendors (the device plugins' resources: amd.com/gpu for a CUDA build, nvidia.com/* for a ROCm one, google.com/tpu, habana.ai/gaudi, gpu.intel.com/*, aws.amazon.com/neuron* for either)",
  example: '`image: vllm/vllm-openai:v0.10.1` with `--device=cpu` or on `amd.com/gpu`, or `image: rocm/vllm:latest` with no `amd.com/gpu` request',
  fix: "request a GPU (resources.limits nvidia.com/gpu or amd.com/gpu) or run the CPU build: vllm/vllm-openai-cpu (or public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo), registry.redhat.io/rhaiis/vllm-cpu-rhel9 for Red Hat AI Inference Server; on another vendor's devices, the build for them (vllm/vllm-openai-rocm on amd.com/gpu, vllm/vllm-openai on nvidia.com/gpu)",
  source:
    'NGC catalog, containers/vllm (nvcr.io/nvidia/vllm: a CUDA build on the NGC PyTorch container); vLLM docs getting_started/installation/cpu.md (the CPU backend is a separate build, VLLM_TARGET_DEVICE=cpu, published as vllm-openai-cpu images); vllm/platforms/__init__.py resolve_current_platform_cls_qualname (a CUDA build without a GPU finds no platform: "Failed to infer device type"); NVIDIA k8s-device-plugin (GPUs only for containers requesting nvidia.com/gpu, or through NVIDIA_VISIBLE_DEVICES with the envvar device-list strategy); NVIDIA Container Toolkit config.toml accept-nvidia-visible-devices-envvar-when-unprivileged (true by default: its runtime, where a node\'s default, honours the CUDA images\' NVIDIA_VISIBLE_DEVICES=all in any container); Kubernetes DRA resource claims; vllm/platforms/__init__.py (the CUDA platform is found through NVML, ROCm through amdsmi: a build finds no device of another vendor)',
  check(o, { graph }) {
    const m = o.manifest;
    // a runtime's GPUs come from the services that use it, an LLMInferenceService's may from its configs: judged on CPU settings only
    if (m.kind === 'ServingRuntime' || m.kind === 'LLMInferenceService')
      return [...vendorMismatches(containersOf(m)), ...mismatches(m, containersOf(m), false)];
    if (MULTI_POD_KINDS.includes(String(m.kind))) return templateMismatches(m);
    if (m.kind !== 'InferenceService') return [...vendorMismatches(containersOf(m)), ...mismatches(m, containersOf(m), true)];
    const runtime = graph.runtimeOf(m)?.manifest;
    // the runtime's own containers are judged on the ServingRuntime: report the service only for what it adds
    if (runtime && [...vendorMismatches(containersOf(runtime)), ...mismatches(runtime, containersOf(runtime), false)].length) return [];
    return [...vendorMismatches(containersOf(m, runtime)), ...mismatches(m, containersOf(m, runtime), true, runtime)];
  },
};
