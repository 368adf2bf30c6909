import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { parseImageReference, vllmReleaseOfImage } from '../../catalog/vllm-images';
import { GKE_ACCELERATOR_LABEL, GPU_RESOURCE } from '../../k8s/keys';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { podSpecHolding, workloadVllmLines } from '../workload-lines';
import { admittedValues, nodeSelectionOf } from '../node-selection';

/** Where GKE mounts the NVIDIA driver's libraries into a container that requests GPUs. */
const GKE_DRIVER_LIBRARIES = '/usr/local/nvidia/lib64';
/** vLLM's CUDA image, the one whose library path changed (vllm-project/vllm#18859). */
const VLLM_CUDA_REPOSITORY = 'vllm/vllm-openai';
/**
 * The releases whose image leaves GKE's driver path out: from 0.9.0 the image is built on CUDA 12.8, whose base image
 * moved its library path from /usr/local/nvidia to /usr/local/cuda (vllm-project/vllm#18859, #19184); the Dockerfile
 * puts /usr/local/nvidia/lib64 back in LD_LIBRARY_PATH from vllm-project/vllm#25766 (merged 2025-09-26), in 0.11.1
 * surely (released after it); whether 0.11.0 holds it is not known here.
 */
const LEFT_OUT_FROM = '0.9.0';
const SURELY_LEFT_OUT_BEFORE = '0.11.0';
const PUT_BACK_BY = '0.11.1';

/** Where GKE installs the NVIDIA driver on the node (GKE docs "Run GPUs in GKE Standard node pools": the driver installer's /home/kubernetes/bin/nvidia). */
const GKE_HOST_DRIVER = '/home/kubernetes/bin/nvidia';
/** NVIDIA's DCGM images (nvcr.io/nvidia/k8s/dcgm-exporter, nvcr.io/nvidia/cloud-native/dcgm, Docker Hub's nvidia/dcgm-exporter): they load NVML at start. */
const NVML_IMAGE = /(^|\/)(dcgm-exporter|dcgm)$/;

/** Whether the pod runs only on GKE's GPU nodes: every node its nodeSelector and required node affinity admit carries the accelerator label. */
function onGkeGpuNodes(pod: Loose): boolean {
  return admittedValues(nodeSelectionOf(pod), GKE_ACCELERATOR_LABEL).required;
}

/** Whether the container asks for NVIDIA GPUs (requests or limits). */
function requestsGpu(container: Loose): boolean {
  const resources = mapping(container.resources);
  return [mapping(resources.limits), mapping(resources.requests)].some((r) => r[GPU_RESOURCE] !== undefined && String(r[GPU_RESOURCE]) !== '0');
}

/** How bad it is for an image: an error where its tag proves a release that leaves the path out, a warning where the release is unknown. */
function verdictOf(image: string): { severity: 'error' | 'warning'; why: string } | undefined {
  const { repository } = parseImageReference(image);
  if (repository !== VLLM_CUDA_REPOSITORY && !repository.endsWith(`/${VLLM_CUDA_REPOSITORY}`)) return undefined;
  const known = vllmReleaseOfImage(image);
  if (!known) return { severity: 'warning', why: `its vLLM release is not told by the tag, and the images of vLLM ${LEFT_OUT_FROM} to 0.11.0 leave it out` };
  const v = known.version;
  // a moving tag runs at least the newest release: silent from PUT_BACK_BY on, as for a tag that proves it
  if (compareVllmVersions(v, LEFT_OUT_FROM) < 0 || compareVllmVersions(v, PUT_BACK_BY) >= 0) return undefined;
  if (known.atLeast) return { severity: 'warning', why: `${known.how}, and the images of vLLM ${LEFT_OUT_FROM} to 0.11.0 leave it out` };
  return compareVllmVersions(v, SURELY_LEFT_OUT_BEFORE) < 0
    ? { severity: 'error', why: `the image of vLLM ${v} (${known.how}) is built on CUDA 12.8+, whose library path leaves it out` }
    : { severity: 'warning', why: `the image of vLLM ${v} may not put it back (vLLM ${PUT_BACK_BY} does)` };
}

/**
 * Whether a container loads NVML without asking for a GPU: a DCGM image, or a command that runs nvidia-smi. GKE mounts
 * the driver only into containers that request nvidia.com/gpu, so such a container must mount the host's driver folder
 * itself, as Google's own DCGM exporter manifest for GKE does (GoogleCloudPlatform/ai-on-gke, nvidia-dcgm
 * 02-ds-exporter.yaml: hostPath /home/kubernetes/bin/nvidia at /usr/local/nvidia, LD_LIBRARY_PATH=/usr/local/nvidia/lib64).
 */
function loadsNvml(container: Loose, words: readonly string[]): boolean {
  return NVML_IMAGE.test(parseImageReference(text(container.image) ?? '').repository) || words.some((w) => /(^|[\s/;&|(])nvidia-smi([\s;&|)]|$)/.test(w));
}

/** The problem of an NVML tool on GKE's GPU nodes that requests no GPU and does not mount the host's driver folder (or leaves it out of LD_LIBRARY_PATH). */
function nvmlToolProblem(pod: Loose, c: { where: string; container: Loose; env: readonly { name: string; value?: string }[] }): Problem[] {
  const hostDriver = new Set(
    mappings(pod.volumes)
      .filter((v) => text(mapping(v.hostPath).path)?.replace(/\/$/, '') === GKE_HOST_DRIVER)
      .map((v) => text(v.name)),
  );
  const mount = mappings(c.container.volumeMounts).find((m) => hostDriver.has(text(m.name)));
  const libraries = `${text(mount?.mountPath) ?? '/usr/local/nvidia'}/lib64`.replace(/\/\/+/g, '/');
  const ld = c.env.find((e) => e.name === 'LD_LIBRARY_PATH')?.value ?? '';
  if (mount && ld.includes(libraries)) return [];
  const fix = `mount hostPath ${GKE_HOST_DRIVER} at /usr/local/nvidia and set env LD_LIBRARY_PATH=/usr/local/nvidia/lib64`;
  return [
    {
      severity: mount ? 'warning' : 'error',
      message: mount
        ? `${c.where} loads NVML on GKE's GPU nodes from the host's driver folder mounted at ${text(mount.mountPath)}, but its LD_LIBRARY_PATH does not name ${libraries}: unless the image's own path does, NVML is not found; ${fix}`
        : `${c.where} loads NVML (${text(c.container.image)}) on GKE's GPU nodes (${GKE_ACCELERATOR_LABEL}) without requesting nvidia.com/gpu, so GKE mounts no driver into it, and it mounts no hostPath ${GKE_HOST_DRIVER}: NVML is not found and it crash-loops; ${fix}`,
    },
  ];
}

export const gkeDriverPathMissing: Rule = {
  id: 'gke-driver-path-missing',
  title: "a vLLM CUDA image, or an NVML tool (DCGM, nvidia-smi) that requests no GPU, on GKE's GPU nodes without GKE's driver libraries: no GPU is found",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS],
  premise: `a container of image ${VLLM_CUDA_REPOSITORY} (or a mirror of it) requests nvidia.com/gpu in a pod placed by ${GKE_ACCELERATOR_LABEL} (its nodeSelector, or every term of its required node affinity, requires the label: GKE's GPU nodes, where the driver is mounted at /usr/local/nvidia), and neither its env LD_LIBRARY_PATH nor its command line names ${GKE_DRIVER_LIBRARIES}; an error where the tag proves vLLM ${LEFT_OUT_FROM} to 0.10.x, the env read as applied (of an env key written twice, the last list, the message naming a dropped list that set the path); a warning for 0.11.0 and for a tag that does not tell the release (a nightly, a digest alone); no finding before ${LEFT_OUT_FROM}, from ${PUT_BACK_BY} (vLLM's own images at latest or untagged run the newest release, read as every rule reads it), for other images, or where the tree does not place the pod on GKE. Any other container that loads NVML (a DCGM image: dcgm-exporter, dcgm; a command running nvidia-smi) in a pod on GKE's GPU nodes and requests no nvidia.com/gpu gets no driver from GKE: an error when it mounts no hostPath ${GKE_HOST_DRIVER}, a warning when it mounts it but its env LD_LIBRARY_PATH does not name the mount's lib64`,
  example: '`image: vllm/vllm-openai:v0.10.1` with `nvidia.com/gpu: "1"` and `cloud.google.com/gke-accelerator: nvidia-l4`',
  fix: `add env LD_LIBRARY_PATH=${GKE_DRIVER_LIBRARIES}:/usr/local/cuda/lib64 to the container, or use vLLM ${PUT_BACK_BY} or later`,
  source:
    'vllm-project/vllm#18859 and #19184 (CUDA 12.8 images from vLLM 0.9.0: "No platform detected" / libcuda not found on GKE), fixed by vllm-project/vllm#25766 (docker/Dockerfile: ENV LD_LIBRARY_PATH=/usr/local/nvidia/lib64:${LD_LIBRARY_PATH}); GKE mounts the driver at /usr/local/nvidia into containers that request nvidia.com/gpu; for the others, GoogleCloudPlatform/ai-on-gke benchmarks/infra/accelerator-cluster/stage-2/modules/gke-setup/modules/nvidia-dcgm/manifest-templates/02-ds-exporter.yaml (hostPath /home/kubernetes/bin/nvidia at /usr/local/nvidia, LD_LIBRARY_PATH=/usr/local/nvidia/lib64)',
  check(o) {
    return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
      const pod = podSpecHolding(o.manifest, c.container);
      if (!pod || !onGkeGpuNodes(pod)) return [];
      // the env as applied: of an env key written twice, the last list (the object as read), the dropped one named below
      if (!requestsGpu(c.container))
        return loadsNvml(
          c.container,
          c.line.words.map((w) => (typeof w === 'string' ? w : w.word)),
        )
          ? nvmlToolProblem(pod, c)
          : [];
      const verdict = verdictOf(text(c.container.image) ?? '');
      if (!verdict) return [];
      // the env's value, or a shell script of the command that exports it
      const given = [...c.env.map((e) => (e.name === 'LD_LIBRARY_PATH' ? (e.value ?? '') : '')), ...strings(c.container.command), ...strings(c.container.args)];
      if (given.some((v) => v.includes(GKE_DRIVER_LIBRARIES))) return [];
      const name = text(c.container.name);
      const dropped = (o.droppedEnv ?? []).find((e) => e.container === name && e.name === 'LD_LIBRARY_PATH' && e.value?.includes(GKE_DRIVER_LIBRARIES));
      const droppedWords = dropped
        ? ` (the container's env key is written twice: the list at line ${dropped.line} sets LD_LIBRARY_PATH=${dropped.value}, but the last list is the one applied, and it drops it; keep one env list)`
        : '';
      return [
        {
          severity: verdict.severity,
          message:
            `${c.where} runs ${text(c.container.image)} on GKE's GPU nodes (${GKE_ACCELERATOR_LABEL}), where the NVIDIA driver is mounted at /usr/local/nvidia, and its LD_LIBRARY_PATH does not name ${GKE_DRIVER_LIBRARIES}${droppedWords}: ${verdict.why}; ` +
            `vLLM then finds no GPU ("No platform detected", libcuda not found): add env LD_LIBRARY_PATH=${GKE_DRIVER_LIBRARIES}:/usr/local/cuda/lib64`,
        },
      ];
    });
  },
};
