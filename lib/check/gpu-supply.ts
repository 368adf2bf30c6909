import { finite, isMapping, Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { AMD_GPU_RESOURCE, GPU_RESOURCE, HARDWARE_PROFILE_ANNOTATION, QUEUE_LABEL } from '../k8s/keys';
import { podSpecOf } from './pods';

/** Resources that are no accelerator: any other (nvidia.com/gpu, amd.com/gpu, a vendor's device plugin) may be one. */
const PLAIN_RESOURCES = /^(cpu|memory|ephemeral-storage|hugepages-.+)$/;

/** OpenShift AI 2.x's accelerator profile of a workload (the dashboard writes its GPU requests from it). */
const ACCELERATOR_ANNOTATION = 'opendatahub.io/accelerator-name';

/** Device files of GPUs a hostPath volume may hand to a container without a device plugin (NVIDIA, AMD's KFD and DRI). */
const GPU_DEVICE_PATH = /^\/dev\/(nvidia|kfd|dri)/;

/** Node labels, taints and node names that mark GPU nodes: NVIDIA's GPU feature discovery, AMD's, cloud accelerator labels. */
const GPU_NODE_WORD = /gpu|nvidia|accelerator|amd\.com|cuda/i;

/** Whether a resource name may be an accelerator: anything but CPU, memory, storage or huge pages (nvidia.com/gpu, amd.com/gpu, …). */
export const mayBeAccelerator = (resource: string): boolean => !PLAIN_RESOURCES.test(resource);

/** Whether any container asks for a resource other than CPU, memory, storage or huge pages: an accelerator may come with it. */
export function requestsAccelerator(containers: readonly Loose[]): boolean {
  return containers.some((c) => {
    const r = mapping(c.resources);
    return [...Object.keys(mapping(r.limits)), ...Object.keys(mapping(r.requests))].some(mayBeAccelerator);
  });
}

/** The GPUs a container requests (NVIDIA's or AMD's device plugin resource, limits first as the device plugin reads them). */
export function containerGpus(container: Loose): number {
  const r = mapping(container.resources);
  for (const key of [GPU_RESOURCE, AMD_GPU_RESOURCE]) {
    const n = finite(mapping(r.limits)[key] ?? mapping(r.requests)[key]);
    if (n !== undefined) return n;
  }
  return 0;
}

/** How a pod without any accelerator request may still see GPUs: `undefined` when nothing in the tree gives it any. */
export interface GpuPath {
  /** `supplied`: something hands the container GPUs; `gpu-nodes`: it only targets GPU nodes, where a runtime may expose them all. */
  readonly kind: 'supplied' | 'gpu-nodes';
  readonly how: string;
}

/**
 * The ways a pod gets GPUs other than an extended-resource request: a DRA claim (resources.claims, spec.resourceClaims),
 * a runtime class (NVIDIA's container runtime hands devices by NVIDIA_VISIBLE_DEVICES, which CUDA base images set to
 * all), NVIDIA_VISIBLE_DEVICES set on the container, a privileged container or a hostPath of /dev GPU devices, or an
 * OpenShift AI hardware or accelerator profile whose webhook or dashboard writes the requests.
 */
function suppliedBy(meta: Loose, pod: Loose, containers: readonly Loose[]): string | undefined {
  const annotations = stringMap(meta.annotations);
  if (annotations[HARDWARE_PROFILE_ANNOTATION]) return `hardware profile '${annotations[HARDWARE_PROFILE_ANNOTATION]}'`;
  if (annotations[ACCELERATOR_ANNOTATION]) return `accelerator profile '${annotations[ACCELERATOR_ANNOTATION]}'`;
  if (mappings(pod.resourceClaims).length || containers.some((c) => mappings(mapping(c.resources).claims).length)) return 'a DRA resource claim';
  if (text(pod.runtimeClassName)) return `runtime class '${text(pod.runtimeClassName)}'`;
  const visible = containers.flatMap((c) => mappings(c.env)).find((e) => e.name === 'NVIDIA_VISIBLE_DEVICES');
  if (visible && !/^(void|none|)$/.test(text(visible.value) ?? '')) return 'NVIDIA_VISIBLE_DEVICES';
  if (containers.some((c) => mapping(c.securityContext).privileged === true)) return 'a privileged container';
  if (mappings(pod.volumes).some((v) => GPU_DEVICE_PATH.test(text(mapping(v.hostPath).path) ?? ''))) return 'a hostPath of GPU devices';
  return undefined;
}

/** What steers the pod onto GPU nodes: a node selector, node affinity, a toleration of a GPU taint, a node name, a Kueue queue whose flavor may. */
function gpuNodesBy(meta: Loose, pod: Loose): string | undefined {
  const selector = Object.entries(stringMap(pod.nodeSelector)).find(([k, v]) => GPU_NODE_WORD.test(k) || GPU_NODE_WORD.test(v));
  if (selector) return `node selector ${selector[0]}`;
  const affinity = JSON.stringify(mapping(mapping(pod.affinity).nodeAffinity));
  if (GPU_NODE_WORD.test(affinity)) return 'node affinity for GPU nodes';
  const toleration = mappings(pod.tolerations).find((t) => GPU_NODE_WORD.test(text(t.key) ?? '') || GPU_NODE_WORD.test(text(t.value) ?? ''));
  if (toleration) return `a toleration of ${text(toleration.key) ?? 'a taint'}`;
  if (text(pod.nodeName)) return `node ${text(pod.nodeName)}`;
  const queue = stringMap(meta.labels)[QUEUE_LABEL];
  return queue ? `Kueue queue '${queue}' (its flavor may place it on GPU nodes)` : undefined;
}

/**
 * How a workload's pod may get a GPU though none of its containers requests an accelerator; for an InferenceService
 * its predictor and its runtime's pod fields count (KServe merges them, runtime-merge.ts).
 */
export function gpuPathOf(m: Loose, containers: readonly Loose[], runtime?: Loose): GpuPath | undefined {
  const own = mapping(m.metadata);
  const annotations = { ...stringMap(own.annotations), ...stringMap(mapping(templateOf(m).metadata).annotations) };
  const meta = { annotations, labels: stringMap(own.labels) };
  const pods = [podSpecOf(m), runtime ? mapping(runtime.spec) : undefined].filter((p): p is Loose => isMapping(p));
  for (const pod of pods) {
    const how = suppliedBy(meta, pod, containers);
    if (how) return { kind: 'supplied', how };
  }
  for (const pod of pods) {
    const how = gpuNodesBy(meta, pod);
    if (how) return { kind: 'gpu-nodes', how };
  }
  return pods.length ? undefined : { kind: 'supplied', how: 'a pod template the tool does not read' };
}

/** The pod template of a workload kind that has one (its metadata holds the pods' annotations); an empty one for a Pod or a service. */
function templateOf(m: Loose): Loose {
  const spec = mapping(m.spec);
  if (m.kind === 'CronJob') return mapping(mapping(mapping(spec.jobTemplate).spec).template);
  return mapping(spec.template);
}
