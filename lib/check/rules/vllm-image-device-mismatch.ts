import { acceleratorBuildOf } from '../../catalog/vllm-images';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** Resources that are no accelerator: any other (nvidia.com/gpu, amd.com/gpu, a vendor's device plugin) may be one. */
const PLAIN_RESOURCES = /^(cpu|memory|ephemeral-storage|hugepages-.+)$/;

/** What says a container means to run vLLM on CPUs: `--device cpu` (older vLLM), VLLM_TARGET_DEVICE=cpu, VLLM_CPU_* settings. */
function cpuIntent(c: Loose): string | undefined {
  const words = [...strings(c.command), ...strings(c.args)].join(' ');
  const device = /--device(?:=|\s+)["']?cpu\b/.exec(words);
  if (device) return `'${device[0]}'`;
  const env = mappings(c.env);
  if (env.some((e) => e.name === 'VLLM_TARGET_DEVICE' && text(e.value)?.toLowerCase() === 'cpu')) return 'VLLM_TARGET_DEVICE=cpu';
  const cpuSetting = env.find((e) => typeof e.name === 'string' && e.name.startsWith('VLLM_CPU_'));
  return cpuSetting ? `the CPU backend's ${String(cpuSetting.name)}` : undefined;
}

/** Whether any container asks for a resource other than CPU, memory, storage or huge pages: an accelerator may come with it. */
function requestsAccelerator(containers: readonly Loose[]): boolean {
  return containers.some((c) => {
    const r = mapping(c.resources);
    return [...Object.keys(mapping(r.limits)), ...Object.keys(mapping(r.requests))].some((k) => !PLAIN_RESOURCES.test(k));
  });
}

/** The problems of a pod's containers: an accelerator build of vLLM told to run on CPUs, with no accelerator requested. */
function mismatches(containers: readonly { name: string; container: Loose }[]): Problem[] {
  if (requestsAccelerator(containers.map((c) => c.container))) return [];
  return containers.flatMap(({ name, container }) => {
    const image = text(container.image);
    const build = image ? acceleratorBuildOf(image) : undefined;
    const intent = cpuIntent(container);
    if (!build || !intent) return [];
    return [
      {
        message:
          `container '${name}' runs ${image}, vLLM's ${build.build} build, on CPUs (${intent}, no accelerator requested): that build has no CPU backend and stops at start ("Failed to infer device type"); ` +
          `use the CPU build ${build.cpuImage}`,
      },
    ];
  });
}

export const vllmImageDeviceMismatch: Rule = {
  id: 'vllm-image-device-mismatch',
  title: "vLLM's CUDA or ROCm image told to serve on CPUs (--device cpu, VLLM_TARGET_DEVICE=cpu, VLLM_CPU_* settings): it cannot start",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ServingRuntime'],
  premise:
    "the image is one the tool knows as a CUDA or ROCm build of vLLM (vllm/vllm-openai, -rocm, Red Hat AI Inference Server's and OpenShift AI's -cuda/-rocm images, quay.io/modh/vllm *-cuda/*-rocm) and the container's arguments or env say CPU, while no container of the pod requests any resource beyond CPU, memory, storage and huge pages; " +
    'the lack of a GPU request alone is not judged (a GPU may come from a device plugin or node the tool does not know)',
  example: '`image: vllm/vllm-openai:v0.10.1` with `--device=cpu`',
  fix: 'run the CPU build: vllm/vllm-openai-cpu (or public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo), registry.redhat.io/rhaiis/vllm-cpu-rhel9 for Red Hat AI Inference Server',
  source:
    'vLLM docs getting_started/installation/cpu.md (the CPU backend is a separate build, VLLM_TARGET_DEVICE=cpu, published as vllm-openai-cpu images); vllm/platforms/__init__.py resolve_current_platform_cls_qualname (a CUDA build without a GPU finds no platform: "Failed to infer device type")',
  check(o, { graph }) {
    const m = o.manifest;
    if (m.kind !== 'InferenceService') return mismatches(containersOf(m));
    const runtime = graph.runtimeOf(m)?.manifest;
    // the runtime's own containers are judged on the ServingRuntime: report the service only for what it adds
    if (runtime && mismatches(containersOf(runtime)).length) return [];
    return mismatches(containersOf(m, runtime));
  },
};
