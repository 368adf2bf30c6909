import { Loose, mapping, mappings, text } from '../../manifests/access';
import { AMD_GPU_RESOURCE, GPU_RESOURCE } from '../../k8s/keys';
import { gpuPathOf, requestsAccelerator } from '../gpu-supply';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** A model server image that uses a GPU when it finds one and otherwise serves on the CPU, slowly, without failing. */
interface CpuFallbackServer {
  readonly server: string;
  readonly gpu: string;
}

/**
 * Images that fall back to the CPU when they find no GPU: Ollama (ollama/ollama; its :rocm tags for AMD; ollama's
 * discover/gpu.go logs "no compatible GPUs were discovered" and runs on the CPU), llama.cpp's server builds for CUDA and
 * ROCm (ghcr.io/ggml-org/llama.cpp:server-cuda, :server-rocm, formerly ghcr.io/ggerganov/…; ggml's backend registry
 * loads the CPU backend when no device is found). vLLM's own CUDA and ROCm images fail instead: vllm-image-device-mismatch.
 */
function fallbackServerOf(image: string): CpuFallbackServer | undefined {
  const ref = image.replace(/^docker\.io\//, '');
  const tag = ref.includes(':') ? ref.slice(ref.lastIndexOf(':') + 1) : 'latest';
  if (/^(library\/)?ollama\/ollama(:|@|$)/.test(ref)) return { server: 'Ollama', gpu: /rocm/.test(tag) ? AMD_GPU_RESOURCE : GPU_RESOURCE };
  const llama = /^ghcr\.io\/(ggml-org|ggerganov)\/llama\.cpp:(full|server|light)-(cuda|rocm)/.exec(ref);
  if (llama) return { server: "llama.cpp's server", gpu: llama[3] === 'rocm' ? AMD_GPU_RESOURCE : GPU_RESOURCE };
  return undefined;
}

/** Placement on GPU nodes: a node selector, node affinity or toleration naming GPUs; a bare node name or queue says nothing of intent. */
const GPU_PLACEMENT = /^(node selector|node affinity|a toleration)/;

/**
 * The ROCm runtime's settings a pod meant for an AMD GPU sets (ROCm docs, "Environment variables": HSA_OVERRIDE_GFX_VERSION
 * for a consumer GPU ROCm does not list, ROCR_VISIBLE_DEVICES and HIP_VISIBLE_DEVICES to pick devices, ROCM_PATH).
 */
const ROCM_ENV = ['HSA_OVERRIDE_GFX_VERSION', 'ROCR_VISIBLE_DEVICES', 'HIP_VISIBLE_DEVICES', 'ROCM_PATH'];

/** Why an Ollama container with ROCm settings gets no AMD GPU it can use: its image, its pod's devices, or both; undefined when it can. */
function rocmGaps(image: string, tagged: boolean, access: boolean): string[] {
  const gaps: string[] = [];
  if (!tagged)
    gaps.push(
      `${image} has no ROCm runtime: Ollama's AMD build is the rocm tag (ollama/ollama:rocm, or <version>-rocm), its other images carry the CUDA libraries only, so Ollama finds no AMD GPU`,
    );
  if (!access)
    gaps.push(
      `the pod gets no AMD GPU: no container requests ${AMD_GPU_RESOURCE} and no /dev/kfd device is mounted (the AMD device plugin hands /dev/kfd and /dev/dri only to containers requesting ${AMD_GPU_RESOURCE})`,
    );
  return gaps;
}

/**
 * Ollama containers whose env says they are meant for an AMD GPU (ROCM_ENV) though they cannot use one: the image is
 * not the rocm tag, or the pod gets no AMD GPU (no accelerator request, nothing else supplying devices). Each with its
 * container's name, so the placement reading below does not say the same container again.
 */
function rocmProblems(m: Loose): { name: string; problem: Problem }[] {
  const all = containersOf(m);
  const access =
    requestsAccelerator(all.map((c) => c.container)) ||
    gpuPathOf(
      m,
      all.map((c) => c.container),
    )?.kind === 'supplied';
  const nvidia = all.some(({ container }) =>
    [mapping(container.resources).limits, mapping(container.resources).requests].some((r) => GPU_RESOURCE in mapping(r)),
  );
  return all
    .filter((c) => !c.init)
    .flatMap(({ name, container }) => {
      const image = text(container.image) ?? '';
      const found = fallbackServerOf(image);
      const rocm = mappings(container.env)
        .map((e) => text(e.name) ?? '')
        .filter((n) => ROCM_ENV.includes(n));
      // with an NVIDIA GPU requested the CUDA image uses it, stray ROCm settings aside
      if (found?.server !== 'Ollama' || !rocm.length || nvidia) return [];
      const gaps = rocmGaps(image, found.gpu === AMD_GPU_RESOURCE, access);
      if (!gaps.length) return [];
      const fixes = [...(found.gpu === AMD_GPU_RESOURCE ? [] : ['run ollama/ollama:rocm']), ...(access ? [] : [`add resources.limits ${AMD_GPU_RESOURCE}: 1`])];
      const message =
        `container '${name}' runs ${image} with ROCm settings (${rocm.join(', ')}), meant for an AMD GPU, but ${gaps.join('; and ')}: ` +
        `Ollama serves on the CPU, many times slower, without an error; ${fixes.join(' and ')} for container '${name}'`;
      return [{ name, problem: { message } }];
    });
}

function judge(m: Loose): Problem[] {
  const all = containersOf(m);
  const rocm = rocmProblems(m);
  const containers = all.filter((c) => !c.init && !rocm.some((r) => r.name === c.name));
  if (requestsAccelerator(all.map((c) => c.container))) return rocm.map((r) => r.problem);
  return [...rocm.map((r) => r.problem), ...placementProblems(m, all, containers)];
}

/** Containers of a fallback server whose pod is steered to GPU nodes (GPU_PLACEMENT) while nothing requests a GPU. */
function placementProblems(m: Loose, all: ReturnType<typeof containersOf>, containers: ReturnType<typeof containersOf>): Problem[] {
  const path = gpuPathOf(
    m,
    all.map((c) => c.container),
  );
  if (path?.kind !== 'gpu-nodes' || !GPU_PLACEMENT.test(path.how)) return [];
  return containers.flatMap(({ name, container }) => {
    const image = text(container.image) ?? '';
    const found = fallbackServerOf(image);
    if (!found) return [];
    return [
      {
        message:
          `container '${name}' runs ${image} (${found.server}) and ${path.how} puts the pod on GPU nodes, but no container requests ${found.gpu}: ` +
          `the device plugin hands it no GPU, so ${found.server} finds none and serves on the CPU, many times slower, without an error ` +
          `(unless the node's default container runtime is NVIDIA's and exposes every GPU uncounted, which the tree does not say); ` +
          `add resources.limits ${found.gpu}: 1 to container '${name}'`,
      },
    ];
  });
}

export const gpuServerRunsOnCpu: Rule = {
  id: 'gpu-server-runs-on-cpu',
  title: 'an Ollama or llama.cpp GPU server is placed on GPU nodes (or set up for ROCm) but gets no GPU it can use: it serves on the CPU without an error',
  severity: 'warning',
  scope: 'object',
  appliesTo: WORKLOAD_KINDS.filter((k) => k !== 'InferenceService' && k !== 'LLMInferenceService'),
  premise:
    "a workload container runs an image that uses a GPU when it finds one and falls back to the CPU otherwise (ollama/ollama, and its :rocm tags for AMD; ghcr.io/ggml-org/llama.cpp's server-cuda and server-rocm builds, or ghcr.io/ggerganov's), its pod is steered to GPU nodes (a node selector, node affinity or toleration naming GPUs, NVIDIA's or AMD's labels and taints, cloud accelerator labels), " +
    'and no container of the pod requests anything beyond CPU, memory, storage and huge pages, nor does the pod get a GPU otherwise (no DRA claim, runtime class, NVIDIA_VISIBLE_DEVICES, privileged container, hostPath of /dev GPU devices, OpenShift AI hardware or accelerator profile). ' +
    'Also an ollama/ollama container with ROCm settings in its env (HSA_OVERRIDE_GFX_VERSION, ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES, ROCM_PATH: meant for an AMD GPU), wherever its pod is placed, whose image is not a rocm tag (the other images carry no ROCm runtime) or whose pod gets no GPU (no amd.com/gpu or other accelerator request, no /dev/kfd hostPath, privileged container, DRA claim or the other supplies above). ' +
    "A warning: the server starts and answers, only on the CPU; where the node's default container runtime is NVIDIA's the image's NVIDIA_VISIBLE_DEVICES=all exposes every GPU, which the tree does not say. vLLM's GPU images, which fail instead, are vllm-image-device-mismatch's",
  example:
    '`image: ollama/ollama:0.6.2` with `nvidia.com/gpu.present` in its node selector and a toleration of `nvidia.com/gpu`, and only cpu and memory in resources',
  fix: 'request the GPU: resources.limits nvidia.com/gpu: 1 (amd.com/gpu for a ROCm image) on the server container',
  source:
    'NVIDIA k8s-device-plugin (GPUs are handed only to containers requesting nvidia.com/gpu); ollama/ollama discover/gpu.go (no GPU found: "no compatible GPUs were discovered", inference runs on the CPU); ggml-org/llama.cpp ggml/src/ggml-backend-reg.cpp and tools/server (the CPU backend serves when no device is found); ollama/ollama Dockerfile (NVIDIA_VISIBLE_DEVICES=all in the image; the ROCm libraries only in the rocm flavor) and docs/docker.md ("AMD GPU": the rocm tag, run with /dev/kfd and /dev/dri; Docker Hub ollama/ollama tags: rocm, <version>-rocm); ROCm docs "Environment variables" (HSA_OVERRIDE_GFX_VERSION, ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES); ROCm k8s-device-plugin (amd.com/gpu: /dev/kfd and /dev/dri handed to requesting containers)',
  check(o) {
    return judge(o.manifest);
  },
};
