import { ruleFindings } from '../util';

/**
 * autoscaler-gpu-limit-below-machine-max: the ClusterAutoscaler's per-type GPU max against what the MachineAutoscalers of
 * the MachineSets labelled with that accelerator type allow (maxReplicas × GPUs of the instance type).
 */
const autoscaler = (type: string, max: number) => ({
  apiVersion: 'autoscaling.openshift.io/v1',
  kind: 'ClusterAutoscaler',
  metadata: { name: 'default' },
  spec: { resourceLimits: { gpus: [{ type, min: 0, max }] } },
});
const machineSet = (name: string, instanceType: string, accelerator?: string) => ({
  apiVersion: 'machine.openshift.io/v1beta1',
  kind: 'MachineSet',
  metadata: { name, namespace: 'openshift-machine-api' },
  spec: {
    template: { spec: { metadata: { labels: accelerator ? { 'cluster-api/accelerator': accelerator } : {} }, providerSpec: { value: { instanceType } } } },
  },
});
const machineAutoscaler = (name: string, target: string, maxReplicas: number) => ({
  apiVersion: 'autoscaling.openshift.io/v1beta1',
  kind: 'MachineAutoscaler',
  metadata: { name, namespace: 'openshift-machine-api' },
  spec: { minReplicas: 0, maxReplicas, scaleTargetRef: { apiVersion: 'machine.openshift.io/v1beta1', kind: 'MachineSet', name: target } },
});
const found = (docs: Record<string, unknown>[]) => ruleFindings('autoscaler-gpu-limit-below-machine-max', docs, 'rhoai-3.3');

describe('autoscaler-gpu-limit-below-machine-max', () => {
  test('max 2 GPUs of nvidia-l4 but 4 g6.xlarge nodes (1 L4 each) allowed: a warning naming both figures', () => {
    const out = found([autoscaler('nvidia-l4', 2), machineSet('gpu-l4', 'g6.xlarge', 'nvidia-l4'), machineAutoscaler('gpu-l4', 'gpu-l4', 4)]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/warning .*ClusterAutoscaler\/default.*gpus type nvidia-l4 has max 2, .*allow 4 GPUs .*g6\.xlarge: 4 × 1 GPU/);
  });

  test('two MachineSets of a type add up: 2 × 4 GPUs (g6.12xlarge) + 1 × 1 against max 8', () => {
    const out = found([
      autoscaler('nvidia-l4', 8),
      machineSet('big', 'g6.12xlarge', 'nvidia-l4'),
      machineSet('small', 'g6.xlarge', 'nvidia-l4'),
      machineAutoscaler('big', 'big', 2),
      machineAutoscaler('small', 'small', 1),
    ]);
    expect(out).toEqual([expect.stringMatching(/max 8, .*allow 9 GPUs/)]);
  });

  test('near misses: a max that covers the MachineAutoscalers, a MachineSet of another type or unlabelled, one the tree does not hold', () => {
    expect(found([autoscaler('nvidia-l4', 4), machineSet('gpu-l4', 'g6.xlarge', 'nvidia-l4'), machineAutoscaler('gpu-l4', 'gpu-l4', 4)])).toEqual([]);
    expect(found([autoscaler('nvidia-l4', 2), machineSet('gpu-a10', 'g5.xlarge', 'nvidia-a10'), machineAutoscaler('gpu-a10', 'gpu-a10', 4)])).toEqual([]);
    expect(found([autoscaler('nvidia-l4', 2), machineSet('gpu-l4', 'g6.xlarge'), machineAutoscaler('gpu-l4', 'gpu-l4', 4)])).toEqual([]);
    expect(found([autoscaler('nvidia-l4', 2), machineAutoscaler('gpu-l4', 'gpu-l4', 4)])).toEqual([]);
  });
});
