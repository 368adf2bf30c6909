import { GpuInstanceType } from './instance-type';

/**
 * The prefixes of the AWS labels of an instance: Karpenter's AWS provider writes them under karpenter.k8s.aws
 * (aws/karpenter-provider-aws pkg/apis/v1 labels.go), EKS Auto Mode under eks.amazonaws.com with the same names and
 * values (AWS EKS user guide, "Create a Node Pool for EKS Auto Mode": supported labels). A NodePool of either reads
 * them in its requirements, and a pod may select them; whether the NodePool's nodeClassRef names an EC2NodeClass
 * (karpenter.k8s.aws/v1) or Auto Mode's NodeClass (eks.amazonaws.com/v1) changes nothing of what they mean.
 */
export const AWS_INSTANCE_LABEL_PREFIXES: readonly string[] = ['karpenter.k8s.aws/', 'eks.amazonaws.com/'];

/** A label of the table: what it says, and its value for a catalog instance type (undefined: the catalog does not hold it exactly). */
interface InstanceLabel {
  readonly meaning: string;
  readonly of: (t: GpuInstanceType) => string | undefined;
}

const family = (t: GpuInstanceType) => t.name.split('.')[0];

/**
 * The AWS labels of an instance and their values for the catalog's types, as both prefixes write them: category and
 * generation are the letters and the number of the family (g and 4 of g4dn), the GPU name is EC2's in lower case (t4,
 * a10g, l4, l40s, a100, h100, h200, v100), memory in MiB. The GPU labels are of EC2's GpuInfo.Gpus[0]
 * (pkg/providers/instancetype/types.go); its memory is MemoryInfo.SizeInMiB of one GPU, not the instance's total,
 * which the catalog holds only as the nameplate: not read for types (the labelled-GPU path reads it).
 */
export const AWS_INSTANCE_LABELS: Readonly<Record<string, InstanceLabel>> = {
  'instance-category': { meaning: 'the letters of the family before its generation', of: (t) => /^([a-z]+)\d/.exec(family(t))?.[1] },
  'instance-family': { meaning: 'the family (g4dn, p5)', of: family },
  'instance-generation': { meaning: 'the generation number of the family', of: (t) => /^[a-z]+(\d+)/.exec(family(t))?.[1] },
  'instance-size': { meaning: 'the size (xlarge, 12xlarge, metal)', of: (t) => t.name.split('.')[1] },
  'instance-cpu': { meaning: 'vCPUs', of: (t) => String(t.vcpu) },
  'instance-memory': { meaning: 'memory in MiB', of: (t) => String(t.memoryGiB * 1024) },
  'instance-gpu-name': { meaning: "the GPU's name", of: (t) => t.gpu.name.toLowerCase().split('-')[0] },
  'instance-gpu-manufacturer': { meaning: "the GPU's maker", of: () => 'nvidia' },
  'instance-gpu-count': { meaning: 'GPUs', of: (t) => String(t.gpuCount) },
  'instance-gpu-memory': { meaning: 'memory of one GPU in MiB', of: () => undefined },
};

/** The name of an AWS instance label (`instance-family`) a key is under either prefix; undefined for any other key. */
export function awsInstanceLabel(key: string): string | undefined {
  const prefix = AWS_INSTANCE_LABEL_PREFIXES.find((p) => key.startsWith(p));
  const name = prefix ? key.slice(prefix.length) : undefined;
  return name !== undefined && Object.prototype.hasOwnProperty.call(AWS_INSTANCE_LABELS, name) ? name : undefined;
}

/** Every AWS instance label key under both prefixes. */
export function awsInstanceLabelKeys(name: string): string[] {
  return AWS_INSTANCE_LABEL_PREFIXES.map((p) => `${p}${name}`);
}
