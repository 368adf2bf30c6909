import { DEVICE_VENDORS, DeviceVendor, deviceVendorOf, HAMI_RESOURCES, isAdvertised, PLAIN_DEVICE_NAMES } from '../../catalog/device-resources';
import { isMapping, Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { repositoryObjectsOf } from '../found-elsewhere';
import { locationOf } from '../graph-object';
import { editDistance } from '../../private/edit-distance';
import { ObjectGraph } from '../graph';
import { componentTemplatesOf, MULTI_POD_KINDS, podTemplatesOf, templateContainers } from '../pod-templates';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { admittedValues, nodeSelectionOf } from '../node-selection';
import { GKE_ACCELERATOR_LABEL } from '../../k8s/keys';

/**
 * GKE's node labels that mark one accelerator family (GKE docs "About TPUs in GKE": cloud.google.com/gke-tpu-accelerator
 * and gke-tpu-topology select TPU slices; "Run GPUs in GKE": cloud.google.com/gke-accelerator an NVIDIA GPU type).
 */
const FAMILY_LABELS: readonly { key: string; family: DeviceVendor['family']; value?: RegExp }[] = [
  { key: 'cloud.google.com/gke-tpu-accelerator', family: 'tpu' },
  { key: 'cloud.google.com/gke-tpu-topology', family: 'tpu' },
  { key: GKE_ACCELERATOR_LABEL, family: 'nvidia-gpu', value: /^nvidia-/ },
];

/** GKE's label of a custom compute class, whose ComputeClass (cloud.google.com/v1) lists the node shapes by priority. */
const COMPUTE_CLASS_LABEL = 'cloud.google.com/compute-class';

/** The nodes of a family, in a finding. */
const FAMILY_NODES: Readonly<Record<DeviceVendor['family'], string>> = {
  'nvidia-gpu': 'NVIDIA GPU',
  'amd-gpu': 'AMD GPU',
  tpu: 'GKE TPU',
  neuron: 'AWS Neuron',
  'intel-gpu': 'Intel GPU',
  gaudi: 'Intel Gaudi',
};

/** A pod template's spec and containers, with where it is written. */
interface PodOf {
  readonly where: string;
  readonly spec: Loose;
  readonly containers: readonly { name: string; container: Loose }[];
}

function podsOf(m: Loose): PodOf[] {
  if (MULTI_POD_KINDS.includes(String(m.kind))) {
    return podTemplatesOf(m).map(({ path, template }) => {
      const spec = mapping(template.spec);
      const containers = [...mappings(spec.initContainers), ...mappings(spec.containers)].map((c) => ({ name: text(c.name) ?? '<unnamed>', container: c }));
      return { where: `${path} `, spec, containers };
    });
  }
  const spec = m.kind === 'ServingRuntime' ? mapping(m.spec) : podSpecOf(m);
  // an InferenceService's transformer and explainer are pods of their own, with their own requests and node selection
  const components = componentTemplatesOf(m).map(({ path, template }) => ({
    where: `${path} `,
    spec: mapping(template.spec),
    containers: templateContainers(m, [{ path, template }]).map(({ name, container }) => ({ name, container })),
  }));
  return [...(isMapping(spec) ? [{ where: '', spec, containers: containersOf(m) }] : []), ...components];
}

/** The accelerator family every node the pod may run on belongs to, and what says so; undefined when the tree does not say. */
function nodeFamilyOf(spec: Loose, graph: ObjectGraph): { family: DeviceVendor['family']; how: string } | undefined {
  const selector = stringMap(spec.nodeSelector);
  for (const l of FAMILY_LABELS) {
    const v = selector[l.key];
    if (v !== undefined && (!l.value || l.value.test(v))) return { family: l.family, how: `node selector ${l.key}: ${v}` };
  }
  const selection = nodeSelectionOf(spec);
  for (const l of FAMILY_LABELS) {
    // every node the pod may run on carries the label, with values of the family where the family is told by its value
    const admitted = admittedValues(selection, l.key);
    const values = admitted.values;
    const all = admitted.required && (!l.value || (!!values?.length && values.every((v) => l.value!.test(v))));
    if (all) return { family: l.family, how: `required node affinity on ${l.key}` };
  }
  const computeClass = selector[COMPUTE_CLASS_LABEL];
  const cls = computeClass ? graph.ofKind('ComputeClass').find((c) => text(mapping(c.manifest.metadata).name) === computeClass) : undefined;
  const priorities = mappings(mapping(cls?.manifest.spec).priorities);
  if (priorities.length && priorities.every((p) => isMapping(p.tpu))) return { family: 'tpu', how: `compute class '${computeClass}' (TPU priorities only)` };
  if (priorities.length && priorities.every((p) => isMapping(p.gpu)))
    return { family: 'nvidia-gpu', how: `compute class '${computeClass}' (GPU priorities only)` };
  return undefined;
}

/** Whether a config of the tree names the resource (a device plugin's `resources`/`rename` settings, an SR-IOV pool). */
function configured(short: string, graph: ObjectGraph): boolean {
  const word = new RegExp(`(^|[^\\w.-])${short.replace(/[.+]/g, '\\$&')}($|[^\\w.-])`);
  return graph.ofKind('ConfigMap').some((c) => Object.values(mapping(c.manifest.data)).some((v) => typeof v === 'string' && word.test(v)));
}

/**
 * What shows HAMi in the tree, whose device plugin advertises HAMI_RESOURCES: its pod annotations (`hami.io/…`,
 * `nvidia.com/use-gpuuuid`, `nvidia.com/nouse-gputype`, …), its scheduler (`hami-scheduler`), its Helm chart or
 * device ConfigMap (Project-HAMi/HAMi docs/config.md, pkg/device/nvidia annotations, charts/hami).
 */
const HAMI_SIGN =
  /"hami\.io\/[\w.-]+"|"(?:nvidia|amd)\.com\/(?:no)?use-gpu(?:uuid|type)"|"hami-(?:scheduler|device-plugin)"|"chart":"hami"|"app\.kubernetes\.io\/name":"hami"/;

function showsHami(graph: ObjectGraph): boolean {
  return graph.once('accelerator-resource-unknown:hami', () => graph.objects.some((o) => HAMI_SIGN.test(JSON.stringify(o.manifest))));
}

/**
 * The kubelet's device-plugin folder (k8s.io/kubelet pkg/apis/deviceplugin/v1beta1 DevicePluginPath): a plugin
 * registers through kubelet.sock there, so a DaemonSet mounting it (or the kubelet folder holding it) runs one.
 */
const DEVICE_PLUGIN_PATHS = ['/var/lib/kubelet/device-plugins', '/var/lib/kubelet'];

/**
 * The resources the generic CDI device plugin derives from the CDI spec it is given (OlfillasOdikno/generic-cdi-plugin
 * main.go: the spec's vendor is the resource domain, each device `<class>-<device name>`), for the spec NVIDIA's
 * container toolkit writes (`nvidia-ctk cdi generate`: kind nvidia.com/gpu, devices named by index, by UUID, and `all`).
 */
const NVIDIA_CDI_RESOURCE = /^nvidia\.com\/gpu-(?:all|\d+|GPU-[0-9a-fA-F-]+)$/;
const CDI_SPEC_ARG = /(?:^|\/)cdi\/[^\s"]*nvidia[^\s"]*\.(?:json|ya?ml)\b/;

/** A device plugin DaemonSet (DEVICE_PLUGIN_PATHS mounted) whose containers name the resource, or derive it from a CDI spec. */
function pluginAdvertises(m: Loose, resource: string): boolean {
  if (m.kind !== 'DaemonSet') return false;
  const spec = mapping(mapping(mapping(m.spec).template).spec);
  const hostPaths = mappings(spec.volumes).map((v) => (text(mapping(v.hostPath).path) ?? '').replace(/\/+$/, ''));
  if (!hostPaths.some((p) => DEVICE_PLUGIN_PATHS.includes(p))) return false;
  const containers = [...mappings(spec.initContainers), ...mappings(spec.containers)];
  const words = containers.flatMap((c) => [...strings(c.command), ...strings(c.args), ...mappings(c.env).flatMap((e) => text(e.value) ?? [])]);
  const named = new RegExp(`(^|[^\\w./-])${resource.replace(/[.+]/g, '\\$&')}($|[^\\w./-])`);
  return words.some((w) => named.test(w) || (NVIDIA_CDI_RESOURCE.test(resource) && CDI_SPEC_ARG.test(w)));
}

/** Where a device plugin DaemonSet of the tree, or of the repository around the checked folder, advertises the resource. */
function advertisingPlugin(resource: string, graph: ObjectGraph): string | undefined {
  const inTree = graph.ofKind('DaemonSet').find((d) => pluginAdvertises(d.manifest, resource));
  if (inTree) return `${graph.id(inTree)}${locationOf(inTree) ? ` (${locationOf(inTree)})` : ''}`;
  const outside = repositoryObjectsOf(graph).find((o) => pluginAdvertises(o.manifest, resource));
  return outside && `DaemonSet '${outside.name}' (${outside.file}, line ${outside.line})`;
}

/** The verdict on one requested resource of a pod. */
function verdict(resource: string, where: string, family: ReturnType<typeof nodeFamilyOf>, graph: ObjectGraph): Problem | undefined {
  const vendor = deviceVendorOf(resource);
  if (!vendor) return undefined;
  if (family && family.family !== vendor.family) {
    const there = DEVICE_VENDORS.find((v) => v.family === family.family);
    const expected = there ? `${there.domain}/${PLAIN_DEVICE_NAMES[there.domain][0]}` : 'their own resource';
    return {
      message:
        `${where}requests ${resource} (${vendor.vendor}) but the pod runs only on ${FAMILY_NODES[family.family]} nodes (${family.how}), whose device plugin advertises ${expected}, never ${resource}: ` +
        `the scheduler finds no node with it and the pod stays Pending; request ${expected}`,
    };
  }
  const short = resource.slice(vendor.domain.length + 1);
  // KubeVirt's and the GPU Operator's passthrough and vGPU plugins name devices after the PCI id (nvidia.com/GA102GL_A10),
  // SR-IOV and RDMA pools after their config (nvidia.com/rdma_shared_device_a): upper case or underscores, quiet
  if (isAdvertised(resource) || /[A-Z_]/.test(short) || configured(short, graph)) return undefined;
  if (HAMI_RESOURCES.includes(resource) && showsHami(graph)) return undefined;
  const plugin = advertisingPlugin(resource, graph);
  if (plugin)
    return {
      severity: 'info',
      message: `${where}requests ${resource}, which no stock device plugin of ${vendor.vendor} advertises but the device plugin ${plugin} does: deploy it on the nodes that run this pod`,
      summary: 'accelerator resources that a device plugin DaemonSet of the tree or repository advertises',
    };
  const near = PLAIN_DEVICE_NAMES[vendor.domain].find((n) => editDistance(n, short) === 1);
  if (near) {
    return {
      message: `${where}requests ${resource}, one letter away from ${vendor.domain}/${near}, which ${vendor.vendor}'s device plugin advertises: no node has ${resource}, so the pod stays Pending; request ${vendor.domain}/${near}`,
    };
  }
  return {
    severity: 'warning',
    message:
      `${where}requests ${resource}, which none of ${vendor.vendor}'s device plugins advertises by default (${PLAIN_DEVICE_NAMES[vendor.domain].map((n) => `${vendor.domain}/${n}`).join(', ')}): ` +
      `unless a plugin configuration outside the tree renames its resources to it, no node has it and the pod stays Pending; request an advertised name`,
  };
}

export const acceleratorResourceUnknown: Rule = {
  id: 'accelerator-resource-unknown',
  title:
    'a container requests an accelerator resource that no device plugin of its nodes advertises (nvidia.com/tpu on TPU nodes, nvidia.com/gpus): Pending for good',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    "a container's resources name an extended resource of a catalogued accelerator vendor domain (nvidia.com, amd.com, google.com, aws.amazon.com, gpu.intel.com, habana.ai); error when the pod runs only on another accelerator's nodes (GKE's cloud.google.com/gke-tpu-accelerator or gke-tpu-topology, cloud.google.com/gke-accelerator: nvidia-*, in the node selector or every required affinity term, or a compute class of the tree whose priorities are all TPUs or all GPUs) or when the name is one edit from a name the vendor's plugin advertises; warning for another unknown name; quiet for names with upper case or underscores (KubeVirt passthrough and vGPU devices, SR-IOV and RDMA pools) and names a ConfigMap of the tree mentions (a plugin's rename), and HAMi's vGPU names (nvidia.com/gpumem, gpumem-percentage, gpucores, priority; amd.com/gpucores, gpumem) where the tree shows HAMi (a `hami.io/` or `nvidia.com/use-gpuuuid`-like pod annotation, the hami-scheduler, its chart); a note naming the file where a device plugin DaemonSet of the tree or of the repository around the checked folder (a hostPath volume of the kubelet's /var/lib/kubelet/device-plugins, or /var/lib/kubelet) names the resource in its command, args or env, or is the generic CDI plugin given NVIDIA's CDI spec (a cdi/…nvidia….json argument), whose resources are nvidia.com/gpu-<device> (all, an index, a UUID)",
  example: '`nvidia.com/tpu: "4"` with `cloud.google.com/gke-tpu-accelerator: tpu-v5-lite-podslice`',
  fix: "request the resource the nodes' device plugin advertises: google.com/tpu on GKE TPU nodes, nvidia.com/gpu (or nvidia.com/mig-<profile>, nvidia.com/gpu.shared) on NVIDIA GPU nodes, amd.com/gpu, aws.amazon.com/neuron, gpu.intel.com/i915 or xe, habana.ai/gaudi",
  source:
    'NVIDIA k8s-device-plugin api/config/v1 (resources.go, consts.go: nvidia.com prefix, ".shared" rename, MIG mixed strategy nvidia.com/mig-<profile>); ROCm k8s-device-plugin (amd.com/gpu); GKE TPU docs (google.com/tpu, gke-tpu-accelerator, gke-tpu-topology, ComputeClass priorities[].tpu); AWS Neuron device plugin (neuron, neuroncore, neurondevice); intel-device-plugins-for-kubernetes gpu_plugin (i915, xe); Intel Gaudi device plugin (habana.ai/gaudi); Project-HAMi/HAMi charts/hami/templates/scheduler/device-configmap.yaml (its vGPU resource names); k8s.io/kubelet deviceplugin/v1beta1 constants.go (DevicePluginPath /var/lib/kubelet/device-plugins/); OlfillasOdikno/generic-cdi-plugin main.go (resource <CDI vendor>/<class>-<device name>); NVIDIA container-toolkit nvidia-ctk cdi generate (kind nvidia.com/gpu, devices by index, UUID and all); the scheduler places a pod only on a node whose allocatable has every extended resource it requests (NodeResourcesFit)',
  check(o, { graph }) {
    return podsOf(o.manifest).flatMap((pod) => {
      const family = nodeFamilyOf(pod.spec, graph);
      return pod.containers.flatMap(({ name, container }) => {
        const r = mapping(container.resources);
        const names = [...new Set([...Object.keys(mapping(r.limits)), ...Object.keys(mapping(r.requests))])];
        return names.flatMap((resource) => verdict(resource, `${pod.where}container '${name}' `, family, graph) ?? []);
      });
    });
  },
};
