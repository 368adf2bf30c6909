/** An extended resource a known device plugin advertises, or a family of them. */
export interface DeviceResource {
  /** The resource's name after its vendor domain (`gpu`), or the pattern of a family (`mig-1g.5gb`). */
  readonly name: RegExp;
  /** What the resource is, in a finding. */
  readonly what: string;
  /** Where the plugin names it. */
  readonly source: string;
}

/** A vendor domain of accelerator resources and the names its device plugins advertise. */
export interface DeviceVendor {
  readonly domain: string;
  readonly vendor: string;
  /** The family of nodes a resource of this domain is found on (nodes of another family never advertise it). */
  readonly family: 'nvidia-gpu' | 'amd-gpu' | 'tpu' | 'neuron' | 'intel-gpu' | 'gaudi';
  readonly resources: readonly DeviceResource[];
}

/**
 * The extended resources of the accelerator device plugins, by vendor domain. NVIDIA's plugin may rename its resources
 * (config `resources.gpus[].name`, `sharing.*.resources[].rename`, always under RESOURCE_PREFIX, nvidia.com by default),
 * so a name outside this list is unknown, not impossible.
 */
export const DEVICE_VENDORS: readonly DeviceVendor[] = [
  {
    domain: 'nvidia.com',
    vendor: 'NVIDIA',
    family: 'nvidia-gpu',
    resources: [
      // api/config/v1/consts.go DefaultSharedResourceNameSuffix ".shared" (time-slicing and MPS with renameByDefault)
      { name: /^gpu(\.shared)?$/, what: 'a whole GPU', source: 'NVIDIA k8s-device-plugin (api/config/v1/resources.go, consts.go)' },
      // the mixed MIG strategy: one resource per profile, `mig-<slices>g.<memory>gb`, `+me` for media extensions, `<n>c.` for compute instances
      {
        name: /^mig-(\d+c\.)?\d+g\.\d+gb(\+[a-z]+)?(\.shared)?$/,
        what: 'a MIG slice',
        source: 'NVIDIA k8s-device-plugin (internal/rm MIG strategy mixed, nvidia.com/mig-<profile>)',
      },
    ],
  },
  {
    domain: 'amd.com',
    vendor: 'AMD',
    family: 'amd-gpu',
    resources: [{ name: /^gpu$/, what: 'a GPU', source: 'ROCm k8s-device-plugin (cmd/k8s-device-plugin: amd.com/gpu)' }],
  },
  {
    domain: 'google.com',
    vendor: 'Google Cloud',
    family: 'tpu',
    resources: [{ name: /^tpu$/, what: 'TPU chips', source: 'GKE TPU device plugin (GKE docs "Deploy TPU workloads": resources google.com/tpu)' }],
  },
  {
    domain: 'aws.amazon.com',
    vendor: 'AWS Neuron',
    family: 'neuron',
    resources: [
      {
        name: /^neuron(core|device)?$/,
        what: 'Neuron devices or cores',
        source: 'AWS Neuron device plugin (aws-neuron-sdk containers/kubernetes: neuron, neuroncore, neurondevice)',
      },
    ],
  },
  {
    domain: 'gpu.intel.com',
    vendor: 'Intel',
    family: 'intel-gpu',
    resources: [
      {
        name: /^(i915|xe)(_monitoring)?$|^(millicores|memory\.max|tiles)$/,
        what: 'an Intel GPU or a share of one',
        source: 'intel-device-plugins-for-kubernetes cmd/gpu_plugin (i915, xe, the shared-dev resources millicores, memory.max, tiles)',
      },
    ],
  },
  {
    domain: 'habana.ai',
    vendor: 'Intel Gaudi',
    family: 'gaudi',
    resources: [{ name: /^gaudi$/, what: 'a Gaudi accelerator', source: 'Intel Gaudi device plugin (habana.ai/gaudi)' }],
  },
];

/** The vendor of a resource name's domain; undefined for a domain no catalogued plugin uses. */
export function deviceVendorOf(resource: string): DeviceVendor | undefined {
  const domain = resource.split('/')[0];
  return resource.includes('/') ? DEVICE_VENDORS.find((v) => v.domain === domain) : undefined;
}

/** Whether a catalogued plugin of the resource's vendor advertises it. */
export function isAdvertised(resource: string): boolean {
  const vendor = deviceVendorOf(resource);
  const name = resource.slice(resource.indexOf('/') + 1);
  return !!vendor?.resources.some((r) => r.name.test(name));
}

/** The plain names a vendor's plugins advertise (the families of MIG profiles aside), for spelling suggestions. */
export const PLAIN_DEVICE_NAMES: Readonly<Record<string, readonly string[]>> = {
  'nvidia.com': ['gpu', 'gpu.shared'],
  'amd.com': ['gpu'],
  'google.com': ['tpu'],
  'aws.amazon.com': ['neuron', 'neuroncore', 'neurondevice'],
  'gpu.intel.com': ['i915', 'xe', 'millicores', 'tiles'],
  'habana.ai': ['gaudi'],
};

/**
 * The resources HAMi's device plugins advertise beside a vendor's own, in the catalogued domains: NVIDIA's vGPU memory,
 * memory percentage, cores and priority, AMD's cores and memory (Project-HAMi/HAMi
 * charts/hami/templates/scheduler/device-configmap.yaml: nvidia resourceMemoryName, resourceMemoryPercentageName,
 * resourceCoreName, resourcePriorityName from values.yaml's resourceMem, resourceMemPercentage, resourceCores,
 * resourcePriority; amd resourceCoreName, resourceMemoryName).
 */
export const HAMI_RESOURCES: readonly string[] = [
  'nvidia.com/gpumem',
  'nvidia.com/gpumem-percentage',
  'nvidia.com/gpucores',
  'nvidia.com/priority',
  'amd.com/gpucores',
  'amd.com/gpumem',
];
