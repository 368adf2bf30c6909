import { ruleFindings } from '../util';

/**
 * Karpenter NodePool requirements intersected key by key (kubernetes-sigs/karpenter pkg/scheduling requirement.go
 * Intersection), the AWS instance labels an EC2 type carries (category = the family's letters), and the catalog's GPU
 * families.
 */
type Req = { key: string; operator: string; values?: string[] };
const pool = (requirements: Req[], name = 'pool', apiVersion = 'karpenter.sh/v1') => ({
  apiVersion,
  kind: 'NodePool',
  metadata: { name },
  spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements } } },
});
const found = (...reqs: Req[]) => ruleFindings('node-pool-unsatisfiable', [pool(reqs)]);
const K = 'karpenter.k8s.aws/';
const E = 'eks.amazonaws.com/';

describe('node-pool-unsatisfiable', () => {
  test('a category that does not hold the family: an error naming both requirements and the family category', () => {
    expect(found({ key: `${K}instance-category`, operator: 'In', values: ['g'] }, { key: `${K}instance-family`, operator: 'In', values: ['p5'] })).toEqual([
      expect.stringMatching(
        /^error NodePool\/pool: spec\.template\.spec\.requirements: karpenter\.k8s\.aws\/instance-family In \[p5\] and karpenter\.k8s\.aws\/instance-category In \[g\] exclude each other: p5 is instance-category p; .*never launches a node/,
      ),
    ]);
  });

  test('EKS Auto Mode labels mean the same, and an instance type name is read for its family and category', () => {
    expect(
      found({ key: `${E}instance-category`, operator: 'In', values: ['inf'] }, { key: `${E}instance-family`, operator: 'In', values: ['trn1'] }),
    ).toHaveLength(1);
    expect(
      found(
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g5.xlarge'] },
        { key: `${K}instance-generation`, operator: 'In', values: ['6'] },
      ),
    ).toEqual([
      expect.stringMatching(
        /instance-type In \[g5\.xlarge\] and karpenter\.k8s\.aws\/instance-generation In \[6\] exclude each other: g5\.xlarge is instance-generation 5/,
      ),
    ]);
  });

  test('a GPU family asked for a GPU it does not carry, or more GPUs than its sizes have', () => {
    expect(found({ key: `${E}instance-family`, operator: 'In', values: ['g5'] }, { key: `${E}instance-gpu-name`, operator: 'In', values: ['l40s'] })).toEqual([
      expect.stringMatching(
        /instance-family In \[g5\] names instance types none of which eks\.amazonaws\.com\/instance-gpu-name In \[l40s\] admits: g5\.xlarge \(instance-gpu-name a10g\)/,
      ),
    ]);
    expect(
      found({ key: `${K}instance-family`, operator: 'In', values: ['g6'] }, { key: `${K}instance-gpu-count`, operator: 'Gt', values: ['8'] }),
    ).toHaveLength(1);
  });

  test('In and NotIn of the same values, In sets with nothing in common, Gt and Lt with no integer between', () => {
    expect(
      found({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }, { key: 'kubernetes.io/arch', operator: 'NotIn', values: ['amd64'] }),
    ).toEqual([expect.stringMatching(/kubernetes\.io\/arch In \[amd64\] and kubernetes\.io\/arch NotIn \[amd64\] admit no value/)]);
    expect(
      found(
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      ),
    ).toHaveLength(1);
    expect(found({ key: `${K}instance-cpu`, operator: 'Gt', values: ['16'] }, { key: `${K}instance-cpu`, operator: 'Lt', values: ['8'] })).toHaveLength(1);
  });

  test('near miss: In with no values, which the CRD refuses (field-value-invalid says so)', () => {
    expect(found({ key: `${K}instance-family`, operator: 'In', values: [] }, { key: `${K}instance-category`, operator: 'In', values: ['g'] })).toEqual([]);
  });

  test.each<[string, Req[]]>([
    [
      'a category that holds the family',
      [
        { key: `${K}instance-category`, operator: 'In', values: ['p', 'g'] },
        { key: `${K}instance-family`, operator: 'In', values: ['p5'] },
      ],
    ],
    [
      'NotIn removing part of the In set',
      [
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
        { key: 'karpenter.sh/capacity-type', operator: 'NotIn', values: ['spot'] },
      ],
    ],
    [
      'bounds with integers between',
      [
        { key: `${K}instance-cpu`, operator: 'Gt', values: ['8'] },
        { key: `${K}instance-cpu`, operator: 'Lt', values: ['10'] },
      ],
    ],
    [
      'the GPU the family carries',
      [
        { key: `${E}instance-family`, operator: 'In', values: ['g6'] },
        { key: `${E}instance-gpu-name`, operator: 'In', values: ['l4'] },
      ],
    ],
    [
      'a family the catalog does not know, with a GPU name',
      [
        { key: `${K}instance-family`, operator: 'In', values: ['g4ad'] },
        { key: `${K}instance-gpu-name`, operator: 'In', values: ['v520'] },
      ],
    ],
    [
      'In sets on a label not every node carries',
      [
        { key: `${K}instance-gpu-name`, operator: 'In', values: ['l4'] },
        { key: `${K}instance-gpu-name`, operator: 'In', values: ['a10g'] },
      ],
    ],
    [
      'NotIn of a category beside a family of another',
      [
        { key: `${K}instance-category`, operator: 'NotIn', values: ['t'] },
        { key: `${K}instance-family`, operator: 'In', values: ['g6e'] },
      ],
    ],
  ])('near miss: %s', (_, reqs) => {
    expect(found(...reqs)).toEqual([]);
  });

  test('near miss: an object of another API group named NodePool', () => {
    const other = pool(
      [
        { key: `${K}instance-category`, operator: 'In', values: ['g'] },
        { key: `${K}instance-family`, operator: 'In', values: ['p5'] },
      ],
      'other',
      'example.com/v1',
    );
    expect(ruleFindings('node-pool-unsatisfiable', [other])).toEqual([]);
  });
});
