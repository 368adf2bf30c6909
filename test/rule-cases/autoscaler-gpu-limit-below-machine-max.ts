import { runChecks } from '../../lib/check/engine';
import { scriptMachineSets } from '../../lib/manifests/script-machine-sets';
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

  /** A setup script of invented helpers: one clones the worker MachineSet with a new instance type, one labels it. */
  const FUNCTIONS = [
    'copy_pool() {',
    '  SIZE=${1:-m6i.xlarge}',
    '  POOL=${2:-${SIZE//./-}}',
    '  BASE=$(oc -n openshift-machine-api get machineset -o name | grep worker | head -n1)',
    '  oc -n openshift-machine-api get "${BASE}" -o yaml | \\',
    '    sed "/name/ s/${BASE##*/}/\'"${POOL}"\'/g',
    '      s/instanceType.*/instanceType: \'"${SIZE}"\'/" | \\',
    '    oc apply -f -',
    '}',
    'label_pool() {',
    '  POOL=$1',
    '  KIND=$2',
    '  # oc patch machineset "${POOL}" --type=merge -p \'{"spec":{"template":{"spec":{"metadata":{"labels":{"cluster-api/accelerator":"other"}}}}}}\'',
    '  oc -n openshift-machine-api patch machineset "${POOL}" --type=merge \\',
    '    -p \'{"spec":{"template":{"spec":{"metadata":{"labels":{"cluster-api/accelerator":"\'"${KIND}"\'"}}}}}}\'',
    '}',
  ].join('\n');
  const scripted = (calls: string[]) =>
    scriptMachineSets([
      { script: 'lib.sh', text: FUNCTIONS },
      { script: 'setup.sh', text: calls.join('\n') },
    ]);
  const withScripts = (docs: Record<string, unknown>[], calls: string[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.3', scriptMachineSets: scripted(calls) },
    )
      .filter((f) => f.rule === 'autoscaler-gpu-limit-below-machine-max')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test('the script reader follows a call into the helper: the name and instance type of a clone, the accelerator of a patch; a commented patch labels nothing', () => {
    expect(scripted(['copy_pool g6.xlarge gpu-small', 'label_pool gpu-small nvidia-l4', 'copy_pool "$SIZE" gpu-other'])).toEqual([
      { script: 'setup.sh', line: 1, name: 'gpu-small', instanceType: 'g6.xlarge' },
      { script: 'setup.sh', line: 2, name: 'gpu-small', accelerator: 'nvidia-l4' },
    ]);
  });

  test('a MachineSet a script clones (g6.xlarge) and labels (nvidia-l4), scaled to 3 against max 1: a warning', () => {
    const out = withScripts(
      [autoscaler('nvidia-l4', 1), machineAutoscaler('gpu-small', 'gpu-small', 3)],
      ['copy_pool g6.xlarge gpu-small', 'label_pool gpu-small nvidia-l4'],
    );
    expect(out).toEqual([
      "warning ClusterAutoscaler/default: spec.resourceLimits.gpus type nvidia-l4 has max 1, but the MachineAutoscalers of the MachineSets labelled cluster-api/accelerator=nvidia-l4 allow 3 GPUs (MachineAutoscaler 'gpu-small' (MachineSet gpu-small, g6.xlarge: 3 × 1 GPU)): the cluster autoscaler adds no node past 1 GPUs of that type, so their maxReplicas is never reached; raise the max to 3 or lower the maxReplicas",
    ]);
  });

  test('near misses: a script MachineSet within the max, of an instance type the catalog does not know, never labelled, or one the tree also holds with another label', () => {
    const ma = machineAutoscaler('gpu-small', 'gpu-small', 3);
    expect(withScripts([autoscaler('nvidia-l4', 3), ma], ['copy_pool g6.xlarge gpu-small', 'label_pool gpu-small nvidia-l4'])).toEqual([]);
    expect(withScripts([autoscaler('nvidia-l4', 1), ma], ['copy_pool zz9.huge gpu-small', 'label_pool gpu-small nvidia-l4'])).toEqual([]);
    expect(withScripts([autoscaler('nvidia-l4', 1), ma], ['copy_pool g6.xlarge gpu-small'])).toEqual([]);
    expect(
      withScripts(
        [autoscaler('nvidia-l4', 1), machineSet('gpu-small', 'g6.xlarge', 'nvidia-a10g'), ma],
        ['copy_pool g6.xlarge gpu-small', 'label_pool gpu-small nvidia-l4'],
      ),
    ).toEqual([]);
  });
});
