import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
import { GPU_RESOURCE } from '../../k8s/keys';
import { imageRepositoryName } from '../../catalog/vllm-images';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { podSpecsWithPrefix } from '../pod-specs';
import { Problem, Rule } from '../rule';
import { containersWithLines } from '../written-containers';

/**
 * NVIDIA_VISIBLE_DEVICES values that hand the container no GPU (NVIDIA/nvidia-container-runtime README, environment
 * variables: `none` mounts the driver without a device, `void` or an empty value nothing).
 */
const NO_DEVICE = /^(void|none|)$/;

/** The GPUs a container asks NVIDIA's device plugin for (limits first, as the kubelet hands extended resources). */
function requestedGpus(container: Loose): number {
  const r = mapping(container.resources);
  return finite(mapping(r.limits)[GPU_RESOURCE] ?? mapping(r.requests)[GPU_RESOURCE]) ?? 0;
}

/** A literal value an env entry of the container gives a variable (not a valueFrom, not a $(VAR) reference). */
function envValue(container: Loose, name: string): string | undefined {
  const entry = mappings(container.env).find((e) => text(e.name) === name);
  const value = entry === undefined ? undefined : text(entry.value);
  return value === undefined || value.includes('$(') ? undefined : value.trim();
}

function overridden(where: string, container: Loose): Problem[] {
  const gpus = requestedGpus(container);
  const visible = envValue(container, 'NVIDIA_VISIBLE_DEVICES');
  if (gpus <= 0 || visible === undefined || NO_DEVICE.test(visible)) return [];
  const cuda = envValue(container, 'CUDA_VISIBLE_DEVICES');
  const shown = visible === 'all' ? 'every GPU of the node' : `the node's GPUs ${visible}`;
  const pinned =
    cuda !== undefined && cuda !== ''
      ? `; with CUDA_VISIBLE_DEVICES=${cuda} the process then picks GPU ${cuda} of the node, so every such pod on a node runs on the same device whichever one it was allotted`
      : '';
  return [
    {
      severity: 'warning',
      message:
        `${where}: env NVIDIA_VISIBLE_DEVICES=${visible} beside a request of ${gpus} ${GPU_RESOURCE}: the NVIDIA device plugin hands the allotted GPUs to the container through that same variable, ` +
        `and the container's own value replaces them, so where the node's container toolkit accepts it from unprivileged containers (its default, accept-nvidia-visible-devices-envvar-when-unprivileged = true) ` +
        `the container sees ${shown}, not the ${gpus} it was allotted, and shares them with the pods given them${pinned}: ` +
        'drop NVIDIA_VISIBLE_DEVICES (and CUDA_VISIBLE_DEVICES) from the env and let the device plugin choose',
    },
  ];
}

/**
 * NVIDIA's own GPU components, which set NVIDIA_VISIBLE_DEVICES=all without a GPU request by design (they watch or
 * manage every GPU of the node): the device plugin, GPU feature discovery, the DCGM exporter and DCGM, the GPU
 * Operator's operands (validator, MIG manager, container toolkit, driver), by the last part of their image repository
 * (NVIDIA/gpu-operator deployments/gpu-operator/values.yaml; NVIDIA/k8s-device-plugin deployments).
 */
const NVIDIA_COMPONENT_IMAGE =
  /^(k8s-device-plugin|gpu-feature-discovery|dcgm-exporter|dcgm|gpu-operator|gpu-operator-validator|k8s-mig-manager|container-toolkit|driver|k8s-kata-manager|k8s-cc-manager|nvidia-sandbox-device-plugin|vgpu-device-manager)$/;

/** The namespaces the GPU Operator runs its operands in: the chart's documented one and OpenShift's (NVIDIA GPU Operator docs, install). */
const GPU_OPERATOR_NAMESPACES = ['gpu-operator', 'nvidia-gpu-operator', 'gpu-operator-resources'];

/** The runtime classes of the NVIDIA container runtime (the GPU Operator's nvidia, nvidia-cdi, nvidia-legacy; the toolkit's handler nvidia). */
const NVIDIA_RUNTIME_CLASS = /^nvidia(-cdi|-legacy)?$/;

/** Any NVIDIA extended resource: a GPU, a MIG slice, a shared (time-sliced) GPU. */
const NVIDIA_RESOURCE = /^nvidia\.com\//;

function requestsNvidiaResource(container: Loose): boolean {
  const r = mapping(container.resources);
  return [...Object.entries(mapping(r.limits)), ...Object.entries(mapping(r.requests))].some(([k, v]) => NVIDIA_RESOURCE.test(k) && (finite(v) ?? 1) > 0);
}

/**
 * A container with no NVIDIA resource that names GPUs in NVIDIA_VISIBLE_DEVICES in a pod of the NVIDIA runtime: the
 * runtime hands it the GPUs the variable names whatever the scheduler allotted, so it runs on GPUs given to other pods.
 */
function unscheduled(m: Loose): Problem[] {
  const namespace = text(mapping(m.metadata).namespace) ?? '';
  if (GPU_OPERATOR_NAMESPACES.includes(namespace)) return [];
  return podSpecsWithPrefix(m).flatMap(({ prefix, spec }) => {
    const runtime = text(spec.runtimeClassName);
    // GPUs claimed through dynamic resource allocation are the scheduler's too: not judged here
    if (runtime === undefined || !NVIDIA_RUNTIME_CLASS.test(runtime) || spec.resourceClaims !== undefined) return [];
    return mappings(spec.containers).flatMap((container): Problem[] => {
      const visible = envValue(container, 'NVIDIA_VISIBLE_DEVICES');
      if (visible === undefined || NO_DEVICE.test(visible) || requestsNvidiaResource(container)) return [];
      if (NVIDIA_COMPONENT_IMAGE.test(imageRepositoryName(text(container.image) ?? ''))) return [];
      const shown = visible === 'all' ? 'every GPU of the node' : `the node's GPUs ${visible}`;
      const agent = m.kind === 'DaemonSet';
      return [
        {
          severity: agent ? 'warning' : 'error',
          message:
            `${prefix}container '${text(container.name) ?? '<unnamed>'}': env NVIDIA_VISIBLE_DEVICES=${visible} with runtimeClassName ${runtime} and no nvidia.com/gpu request: ` +
            `the NVIDIA runtime mounts ${shown} into the container, while the scheduler counts none for it and gives those GPUs to other pods, ` +
            `so the container computes on GPUs allotted to others (their memory runs out, CUDA fails, they crash loop)` +
            (agent ? '; as a DaemonSet it may be a node agent that only reads GPU state, which is harmless' : '') +
            `: request nvidia.com/gpu in the container's resources.limits and drop NVIDIA_VISIBLE_DEVICES`,
        },
      ];
    });
  });
}

export const gpuVisibleDevicesOverridden: Rule = {
  id: 'gpu-visible-devices-overridden',
  title:
    'a container sets NVIDIA_VISIBLE_DEVICES itself (all, or a list) beside a nvidia.com/gpu request, which it replaces, or under the nvidia runtime class with no request at all: the pod runs on GPUs allotted to others',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "a container requests nvidia.com/gpu (limits, else requests, above 0) and its env sets NVIDIA_VISIBLE_DEVICES to a literal value other than void, none or empty (all, device indexes, UUIDs): NVIDIA's device plugin, under its default device list strategy (envvar), passes the allotted devices to the container runtime in that variable, the container's env entry replaces it, and the NVIDIA container toolkit mounts the devices the variable names when it accepts the variable from unprivileged containers (the default; a node configured with accept-nvidia-visible-devices-envvar-when-unprivileged = false and the volume-mounts or CDI strategy ignores it: a warning); CUDA_VISIBLE_DEVICES beside it is named in the message (it then picks a device of the node, not of the allocation); a valueFrom or $(VAR) value is not judged; " +
    "and, an error, a container with no NVIDIA resource request (nvidia.com/gpu, a MIG slice, a shared GPU) whose env sets NVIDIA_VISIBLE_DEVICES to a literal other than void, none or empty in a pod whose runtimeClassName is nvidia (nvidia-cdi, nvidia-legacy): the NVIDIA runtime mounts the GPUs the variable names, and the scheduler, which counts only requests, gives the same GPUs to other pods; a warning for a DaemonSet (a node agent may only read GPU state); not judged: NVIDIA's own components, which set it by design (device plugin, GPU feature discovery, DCGM and its exporter, the GPU Operator and its operands, by image), objects in the GPU Operator's namespaces (gpu-operator, nvidia-gpu-operator), pods without the nvidia runtime class (the node's default runtime is not known here), pods that claim devices by dynamic resource allocation (spec.resourceClaims)",
  example: 'a Deployment with `runtimeClassName: nvidia` whose container sets env `NVIDIA_VISIBLE_DEVICES` to `all` and requests no GPU',
  fix: "request nvidia.com/gpu in the container's limits and drop NVIDIA_VISIBLE_DEVICES (and CUDA_VISIBLE_DEVICES) from its env: the device plugin sets the devices it allotted",
  source:
    'NVIDIA/k8s-device-plugin README (deviceListStrategy envvar default; volume-mounts and accept-nvidia-visible-devices-as-volume-mounts so that an unprivileged pod cannot ask for other GPUs by NVIDIA_VISIBLE_DEVICES); NVIDIA/nvidia-container-toolkit internal/config/config.go (AcceptEnvvarUnprivileged, accept-nvidia-visible-devices-envvar-when-unprivileged, default true); NVIDIA/nvidia-container-runtime README (NVIDIA_VISIBLE_DEVICES: all, indexes or UUIDs, none, void or empty); NVIDIA container toolkit docs, "Specialized configurations with Docker" / environment variables (NVIDIA_VISIBLE_DEVICES read by the runtime hook, independent of any scheduler); NVIDIA/gpu-operator (RuntimeClass nvidia, the operands\' images and namespace)',
  scope: 'object',
  check(o) {
    return [...containersWithLines(o.manifest).flatMap(({ where, container }) => overridden(where, container)), ...unscheduled(o.manifest)];
  },
};
