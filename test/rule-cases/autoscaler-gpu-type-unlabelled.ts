import { ruleFindings } from '../util';

/**
 * autoscaler-gpu-type-unlabelled: a ClusterAutoscaler gpus type that no MachineSet the tree knows labels its nodes
 * with, judged only where every MachineSet the MachineAutoscalers scale is known.
 */
const autoscaler = (...types: string[]) => ({
  apiVersion: 'autoscaling.openshift.io/v1',
  kind: 'ClusterAutoscaler',
  metadata: { name: 'default' },
  spec: { resourceLimits: { gpus: types.map((type) => ({ type, min: 0, max: 2 })) } },
});
const machineSet = (name: string, accelerator?: string) => ({
  apiVersion: 'machine.openshift.io/v1beta1',
  kind: 'MachineSet',
  metadata: { name, namespace: 'openshift-machine-api' },
  spec: {
    template: {
      spec: { metadata: { labels: accelerator ? { 'cluster-api/accelerator': accelerator } : {} }, providerSpec: { value: { instanceType: 'g6.xlarge' } } },
    },
  },
});
const machineAutoscaler = (target: string) => ({
  apiVersion: 'autoscaling.openshift.io/v1beta1',
  kind: 'MachineAutoscaler',
  metadata: { name: target, namespace: 'openshift-machine-api' },
  spec: { minReplicas: 0, maxReplicas: 2, scaleTargetRef: { apiVersion: 'machine.openshift.io/v1beta1', kind: 'MachineSet', name: target } },
});
const found = (docs: Record<string, unknown>[]) => ruleFindings('autoscaler-gpu-type-unlabelled', docs, 'rhoai-3.3');

describe('autoscaler-gpu-type-unlabelled', () => {
  test('a resource name as type, beside a matching one: a warning that it can be no label value', () => {
    expect(found([autoscaler('nvidia-l4', 'amd.com/gpu'), machineSet('gpu-l4', 'nvidia-l4'), machineAutoscaler('gpu-l4')])).toEqual([
      'warning ClusterAutoscaler/default: spec.resourceLimits.gpus type amd.com/gpu is the value of no cluster-api/accelerator label of the MachineSets the tree and its scripts make (they carry nvidia-l4): the cluster autoscaler counts the GPUs of a type over the nodes labelled with it, so this entry limits nothing; amd.com/gpu can be no label value (a resource name, not a GPU type); set the type to the label value of the GPU MachineSets',
    ]);
  });

  test('a label value no MachineSet carries: a warning offering to label the MachineSet', () => {
    expect(found([autoscaler('nvidia-a10g'), machineSet('gpu-l4', 'nvidia-l4'), machineAutoscaler('gpu-l4')])).toEqual([
      expect.stringMatching(
        /type nvidia-a10g is the value of no .*\(they carry nvidia-l4\).*or label the MachineSet meant cluster-api\/accelerator=nvidia-a10g$/,
      ),
    ]);
  });

  test('near misses: the type carried, a MachineAutoscaler of a MachineSet the tree does not hold, no MachineAutoscaler', () => {
    expect(found([autoscaler('nvidia-l4'), machineSet('gpu-l4', 'nvidia-l4'), machineAutoscaler('gpu-l4')])).toEqual([]);
    expect(found([autoscaler('nvidia-a10g'), machineSet('gpu-l4', 'nvidia-l4'), machineAutoscaler('gpu-l4'), machineAutoscaler('gpu-elsewhere')])).toEqual([]);
    expect(found([autoscaler('nvidia-a10g'), machineSet('gpu-l4', 'nvidia-l4')])).toEqual([]);
  });
});
