import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
import { GPU_RESOURCE } from '../../k8s/keys';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
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
      message:
        `${where}: env NVIDIA_VISIBLE_DEVICES=${visible} beside a request of ${gpus} ${GPU_RESOURCE}: the NVIDIA device plugin hands the allotted GPUs to the container through that same variable, ` +
        `and the container's own value replaces them, so where the node's container toolkit accepts it from unprivileged containers (its default, accept-nvidia-visible-devices-envvar-when-unprivileged = true) ` +
        `the container sees ${shown}, not the ${gpus} it was allotted, and shares them with the pods given them${pinned}: ` +
        'drop NVIDIA_VISIBLE_DEVICES (and CUDA_VISIBLE_DEVICES) from the env and let the device plugin choose',
    },
  ];
}

export const gpuVisibleDevicesOverridden: Rule = {
  id: 'gpu-visible-devices-overridden',
  title:
    "a container that requests nvidia.com/gpu sets NVIDIA_VISIBLE_DEVICES itself (all, or a list): it replaces the device plugin's allocation, and the pod sees GPUs allotted to others",
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "a container requests nvidia.com/gpu (limits, else requests, above 0) and its env sets NVIDIA_VISIBLE_DEVICES to a literal value other than void, none or empty (all, device indexes, UUIDs): NVIDIA's device plugin, under its default device list strategy (envvar), passes the allotted devices to the container runtime in that variable, the container's env entry replaces it, and the NVIDIA container toolkit mounts the devices the variable names when it accepts the variable from unprivileged containers (the default; a node configured with accept-nvidia-visible-devices-envvar-when-unprivileged = false and the volume-mounts or CDI strategy ignores it: a warning); CUDA_VISIBLE_DEVICES beside it is named in the message (it then picks a device of the node, not of the allocation); a container without a GPU request (a monitoring agent, the device plugin itself), a valueFrom or $(VAR) value are not judged",
  example: 'a vLLM Deployment with `nvidia.com/gpu: 1` and env `NVIDIA_VISIBLE_DEVICES` set to `all`',
  fix: 'drop NVIDIA_VISIBLE_DEVICES (and CUDA_VISIBLE_DEVICES) from the container env: the device plugin sets the devices it allotted',
  source:
    'NVIDIA/k8s-device-plugin README (deviceListStrategy envvar default; volume-mounts and accept-nvidia-visible-devices-as-volume-mounts so that an unprivileged pod cannot ask for other GPUs by NVIDIA_VISIBLE_DEVICES); NVIDIA/nvidia-container-toolkit internal/config/config.go (AcceptEnvvarUnprivileged, accept-nvidia-visible-devices-envvar-when-unprivileged, default true); NVIDIA/nvidia-container-runtime README (NVIDIA_VISIBLE_DEVICES: all, indexes or UUIDs, none, void or empty)',
  scope: 'object',
  check(o) {
    return containersWithLines(o.manifest).flatMap(({ where, container }) => overridden(where, container));
  },
};
