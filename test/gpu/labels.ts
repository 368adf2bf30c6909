import { labelledGpusOf, profileNodeSelector } from '../../lib/check/gpu-labels';
import { podWorkload } from '../util';

/**
 * The GPU a pod's node labels name: GKE's accelerator names (GKE docs, "About GPUs in GKE"), GPU Feature
 * Discovery's product (the nvidia-smi name with spaces as dashes, -SHARED and -MIG-<profile> suffixes) and memory,
 * Karpenter's AWS GPU name, memory per GPU and instance family.
 */
const selecting = (nodeSelector: Record<string, string>, affinity?: object) =>
  podWorkload('llm', 'ai', { nodeSelector, ...(affinity ? { affinity } : {}), containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.1' }] });
const inList = (key: string, values: string[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values }] }] } },
});
/** Each admitted value as `key=value → GPU names` (or `not recognised`), with the GPUs per node a label states. */
function read(m: object): { options: string[]; perNode?: number } | undefined {
  const l = labelledGpusOf(m);
  if (!l) return undefined;
  return {
    options: l.options.map((o) => `${o.selected} → ${o.unrecognised ? 'not recognised' : o.gpus.map((g) => `${g.name} ${g.cudaVisibleGiB}`).join(' | ')}`),
    ...(l.gpusPerNode ? { perNode: l.gpusPerNode.count } : {}),
  };
}

describe('the GPU a node label names', () => {
  test('GKE accelerator names, each to its catalog GPU; the count label gives GPUs per node', () => {
    const gke = (v: string) => read(selecting({ 'cloud.google.com/gke-accelerator': v }))!.options[0];
    expect(gke('nvidia-l4')).toBe('cloud.google.com/gke-accelerator=nvidia-l4 → L4 22.04');
    expect(gke('nvidia-l4-vws')).toBe('cloud.google.com/gke-accelerator=nvidia-l4-vws → L4 22.04');
    expect(gke('nvidia-tesla-a100')).toBe('cloud.google.com/gke-accelerator=nvidia-tesla-a100 → A100-40GB 39.5');
    expect(gke('nvidia-a100-80gb')).toBe('cloud.google.com/gke-accelerator=nvidia-a100-80gb → A100-80GB 79.25');
    expect(gke('nvidia-h100-mega-80gb')).toBe('cloud.google.com/gke-accelerator=nvidia-h100-mega-80gb → H100-80GB 79.18');
    expect(gke('nvidia-h200-141gb')).toBe('cloud.google.com/gke-accelerator=nvidia-h200-141gb → H200 139.8');
    expect(gke('nvidia-tesla-t4')).toBe('cloud.google.com/gke-accelerator=nvidia-tesla-t4 → T4 14.57');
    expect(gke('nvidia-tesla-v100')).toBe('cloud.google.com/gke-accelerator=nvidia-tesla-v100 → V100-16GB 15.78');
    // a GPU the catalog lacks is said, not guessed
    expect(gke('nvidia-b200')).toBe('cloud.google.com/gke-accelerator=nvidia-b200 → not recognised');
    expect(read(selecting({ 'cloud.google.com/gke-accelerator': 'nvidia-l4', 'cloud.google.com/gke-accelerator-count': '2' }))?.perNode).toBe(2);
  });

  test('GPU Feature Discovery products, -SHARED, MIG slices and the memory label', () => {
    const gfd = (labels: Record<string, string>) => read(selecting(labels))!.options[0];
    expect(gfd({ 'nvidia.com/gpu.product': 'NVIDIA-L4' })).toBe('nvidia.com/gpu.product=NVIDIA-L4 → L4 22.04');
    expect(gfd({ 'nvidia.com/gpu.product': 'Tesla-T4-SHARED' })).toBe('nvidia.com/gpu.product=Tesla-T4-SHARED → T4 14.57');
    expect(gfd({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' })).toBe('nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 → H100-80GB 79.18');
    expect(gfd({ 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' })).toBe('nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB → A100-80GB 79.25');
    // a MIG slice is its nominal memory, or the smaller figure NVML reports
    expect(gfd({ 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB-MIG-1g.5gb' })).toBe(
      'nvidia.com/gpu.product=NVIDIA-A100-SXM4-40GB-MIG-1g.5gb → A100-40GB MIG 1g.5gb 5',
    );
    expect(gfd({ 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB-MIG-1g.5gb', 'nvidia.com/gpu.memory': '4864' })).toBe(
      'nvidia.com/gpu.product=NVIDIA-A100-SXM4-40GB-MIG-1g.5gb → A100-40GB MIG 1g.5gb 4.75',
    );
    // a product the catalog lacks: its memory label decides; without one, not recognised
    expect(gfd({ 'nvidia.com/gpu.product': 'NVIDIA-RTX-A6000', 'nvidia.com/gpu.memory': '49140' })).toBe(
      'nvidia.com/gpu.product=NVIDIA-RTX-A6000 → NVIDIA-RTX-A6000 47.98828125',
    );
    expect(gfd({ 'nvidia.com/gpu.product': 'Tesla-V100-SXM2-32GB' })).toBe('nvidia.com/gpu.product=Tesla-V100-SXM2-32GB → not recognised');
    expect(gfd({ 'nvidia.com/gpu.family': 'ampere' })).toBe('nvidia.com/gpu.family=ampere → not recognised');
    expect(read(selecting({ 'nvidia.com/gpu.product': 'NVIDIA-L4', 'nvidia.com/gpu.count': '4' }))?.perNode).toBe(4);
  });

  test("Karpenter's GPU name (narrowed by its memory per GPU), instance family and count", () => {
    const k = (labels: Record<string, string>) => read(selecting(labels))!.options[0];
    expect(k({ 'karpenter.k8s.aws/instance-gpu-name': 'l4' })).toBe('karpenter.k8s.aws/instance-gpu-name=l4 → L4 22.04');
    expect(k({ 'karpenter.k8s.aws/instance-gpu-name': 'a100' })).toBe('karpenter.k8s.aws/instance-gpu-name=a100 → A100-40GB 39.5 | A100-80GB 79.25');
    expect(k({ 'karpenter.k8s.aws/instance-gpu-name': 'a100', 'karpenter.k8s.aws/instance-gpu-memory': '81920' })).toBe(
      'karpenter.k8s.aws/instance-gpu-name=a100 → A100-80GB 79.25',
    );
    expect(k({ 'karpenter.k8s.aws/instance-gpu-name': 'v100' })).toBe('karpenter.k8s.aws/instance-gpu-name=v100 → not recognised');
    expect(k({ 'eks.amazonaws.com/instance-gpu-name': 'l40s' })).toBe('eks.amazonaws.com/instance-gpu-name=l40s → L40S 44.39');
    expect(k({ 'karpenter.k8s.aws/instance-family': 'g6' })).toBe('karpenter.k8s.aws/instance-family=g6 → L4 22.04');
    expect(k({ 'karpenter.k8s.aws/instance-family': 'c7i' })).toBe('karpenter.k8s.aws/instance-family=c7i → not recognised');
    expect(read(selecting({ 'karpenter.k8s.aws/instance-gpu-name': 'l4', 'karpenter.k8s.aws/instance-gpu-count': '8' }))?.perNode).toBe(8);
  });

  test("every value of a required affinity's In is admitted, narrowed by the nodeSelector (both hold); other labels name no GPU", () => {
    expect(read(selecting({}, inList('cloud.google.com/gke-accelerator', ['nvidia-l4', 'nvidia-h100-80gb'])))?.options).toEqual([
      'cloud.google.com/gke-accelerator=nvidia-l4 → L4 22.04',
      'cloud.google.com/gke-accelerator=nvidia-h100-80gb → H100-80GB 79.18',
    ]);
    expect(
      read(selecting({ 'nvidia.com/gpu.product': 'NVIDIA-L4' }, inList('nvidia.com/gpu.product', ['NVIDIA-L4', 'NVIDIA-H100-80GB-HBM3'])))?.options,
    ).toEqual(['nvidia.com/gpu.product=NVIDIA-L4 → L4 22.04']);
    // a nodeSelector value the affinity excludes: no node takes the pod, so no GPU is named
    expect(read(selecting({ 'nvidia.com/gpu.product': 'NVIDIA-A10G' }, inList('nvidia.com/gpu.product', ['NVIDIA-L4'])))).toBeUndefined();
    // a second term that leaves the label open: the pod may land on any GPU
    const open = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-L4'] }] },
            { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a'] }] },
          ],
        },
      },
    };
    expect(read(selecting({}, open))).toBeUndefined();
    // AKS's accelerator label says only "nvidia": no model
    expect(read(selecting({ 'kubernetes.azure.com/accelerator': 'nvidia' }))).toBeUndefined();
    expect(read(selecting({ 'node.kubernetes.io/instance-type': 'g6.xlarge' }))).toBeUndefined();
  });
});

describe('the node selector an OpenShift AI hardware profile puts on an InferenceService', () => {
  test('3.0 scheduling type Node, 2.x nodeSelectors; a Queue profile sets none', () => {
    expect(profileNodeSelector({ spec: { scheduling: { type: 'Node', node: { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } } } } })).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-L4',
    });
    expect(profileNodeSelector({ spec: { nodeSelectors: [{ key: 'cloud.google.com/gke-accelerator', value: 'nvidia-l4' }] } })).toEqual({
      'cloud.google.com/gke-accelerator': 'nvidia-l4',
    });
    expect(profileNodeSelector({ spec: { scheduling: { type: 'Queue', kueue: { localQueueName: 'default' } } } })).toBeUndefined();
    expect(profileNodeSelector(undefined)).toBeUndefined();
  });
});
