import { CheckContext } from '../../lib/check/rule';
import { nodeSelectorMachineLabel } from '../../lib/check/rules/node-selector-machine-label';
import { podWorkload } from '../util';

/** node-selector-machine-label judges what every node the pod may run on must carry (the scheduler's node affinity). */
const MACHINESET = 'machine.openshift.io/cluster-api-machineset';
const terms = (...t: object[][]) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: t.map((matchExpressions) => ({ matchExpressions })) } } },
});
const rulesOf = (spec: object) =>
  nodeSelectorMachineLabel
    .check({ manifest: podWorkload('app', 'ns', { ...spec, containers: [{ name: 'c', image: 'registry.example.com/app:1' }] }) }, {} as CheckContext)
    .map((f) => f.message.split(',')[0]);

describe('node-selector-machine-label', () => {
  test('a nodeSelector, or every affinity term, requiring a Machine label: error', () => {
    expect(rulesOf({ nodeSelector: { [MACHINESET]: 'gpu-a' } })).toEqual([`selects nodes by ${MACHINESET}`]);
    const both = terms([{ key: MACHINESET, operator: 'In', values: ['gpu-a'] }], [{ key: MACHINESET, operator: 'Exists' }]);
    expect(rulesOf(both)).toEqual([`selects nodes by ${MACHINESET}`]);
  });

  test('near misses: NotIn and DoesNotExist let every Node through, and so does a term that does not name the label', () => {
    expect(rulesOf(terms([{ key: MACHINESET, operator: 'NotIn', values: ['gpu-a'] }]))).toEqual([]);
    expect(rulesOf(terms([{ key: MACHINESET, operator: 'DoesNotExist' }]))).toEqual([]);
    const either = terms(
      [{ key: MACHINESET, operator: 'In', values: ['gpu-a'] }],
      [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g6.xlarge'] }],
    );
    expect(rulesOf(either)).toEqual([]);
  });
});
