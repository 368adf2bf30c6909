import { coreQuantityProblems, decodesAsQuantity } from '../../lib/validation/core-quantities';

describe('decodesAsQuantity: apimachinery resource.Quantity as the API server decodes it', () => {
  // quantity_test.go TestQuantityParse and TestQuantityString alternates
  test.each(['0', '00', '1Ki', '.001Ki', '1024Mi', '1000M', '1e9', '.001e12', '1e-3', '80e-3', '1080m', '1080000000n', '+1', '-3', '5.', '1'])(
    '%s is a quantity',
    (q) => expect(decodesAsQuantity(q)).toBe(true),
  );
  // quantity_test.go's invalid list, and what manifests get wrong
  test.each(['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', '“10”', '“1"', '1GB', '16gi', ''])('%j is no quantity', (q) =>
    expect(decodesAsQuantity(q)).toBe(false),
  );
  // TestJSONWhitespace: UnmarshalJSON trims the string before ParseQuantity
  test.each([' 1', '1 ', ' -1'])('%j is one once trimmed', (q) => expect(decodesAsQuantity(q)).toBe(true));
});

describe('coreQuantityProblems: every quantity field of a built-in kind, by its schema', () => {
  test('containers, init containers, emptyDir, and a StatefulSet claim template', () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 's' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'i', resources: { limits: { memory: '1GB' } } }],
            containers: [{ name: 'c', resources: { requests: { cpu: '“2”', memory: 512 }, limits: { 'nvidia.com/gpu': 1 } } }],
            volumes: [{ name: 'v', emptyDir: { sizeLimit: '“1G”' } }],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { resources: { requests: { storage: '10 GiB' } } } }],
      },
    };
    expect(coreQuantityProblems(sts, 'apps/v1', 'StatefulSet')?.map((p) => [p.field, p.value])).toEqual([
      ['spec.template.spec.initContainers[0].resources.limits.memory', '1GB'],
      ['spec.template.spec.containers[0].resources.requests.cpu', '“2”'],
      ['spec.template.spec.volumes[0].emptyDir.sizeLimit', '“1G”'],
      ['spec.volumeClaimTemplates[0].spec.resources.requests.storage', '10 GiB'],
    ]);
  });

  test('a ResourceQuota and a PersistentVolumeClaim; a custom kind is not judged here', () => {
    expect(coreQuantityProblems({ spec: { hard: { 'requests.nvidia.com/gpu': 'four', pods: '10' } } }, 'v1', 'ResourceQuota')).toEqual([
      { field: 'spec.hard.requests.nvidia.com/gpu', value: 'four', allowed: expect.stringContaining('quantities must match the regular expression') },
    ]);
    expect(coreQuantityProblems({ spec: { resources: { requests: { storage: '20Gi' } } } }, 'v1', 'PersistentVolumeClaim')).toEqual([]);
    expect(coreQuantityProblems({ spec: {} }, 'serving.kserve.io/v1beta1', 'InferenceService')).toBeUndefined();
  });
});
