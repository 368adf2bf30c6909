import { runChecks } from '../../lib';
import { podWorkload } from '../util';

const gpuClass = {
  apiVersion: 'resource.k8s.io/v1',
  kind: 'DeviceClass',
  metadata: { name: 'whole-device' },
  spec: { selectors: [{ cel: { expression: 'device.driver == "gpu.nvidia.com"' } }] },
};
const template = (name: string, deviceClassName: string) => ({
  apiVersion: 'resource.k8s.io/v1',
  kind: 'ResourceClaimTemplate',
  metadata: { name, namespace: 'ml' },
  spec: { spec: { devices: { requests: [{ name: 'one', exactly: { deviceClassName } }] } } },
});
const torch = { name: 'train', image: 'quay.io/example/train:1', command: ['python3', '-c', 'import torch; print(torch.cuda.device_count())'] };
const job = (containers: object[], extra: object = {}) =>
  podWorkload('tune', 'ml', { restartPolicy: 'Never', resourceClaims: [{ name: 'dev', resourceClaimTemplateName: 'claim' }], containers, ...extra }, 'Job');

const findings = (...manifests: object[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: ['resource-claim-unconsumed'] },
  ).map((f) => [f.rule, f.severity, f.object, f.message]);

describe('resource-claim-unconsumed', () => {
  test('a GPU claim no container lists, and a container running torch.cuda: an error naming the claim, its source and the container', () => {
    expect(findings(gpuClass, template('claim', 'whole-device'), job([{ ...torch, resources: {} }]))).toEqual([
      [
        'resource-claim-unconsumed',
        'error',
        'Job/ml/tune',
        expect.stringMatching(
          /^spec\.template\.spec\.resourceClaims 'dev' \(ResourceClaimTemplate claim, device class whole-device\) is listed in no container's or init container's resources\.claims: .*hands them to no container.*container 'train' sees no GPU though its command runs torch\.cuda.*resources\.claims: \[\{name: dev\}\]/,
        ),
      ],
    ]);
  });

  test('the claim a GPU by its class selector only, with no GPU code seen: a warning', () => {
    const plain = { name: 'work', image: 'quay.io/example/work:1', command: ['/bin/work'] };
    expect(findings(gpuClass, template('claim', 'whole-device'), job([plain]))).toEqual([
      ['resource-claim-unconsumed', 'warning', 'Job/ml/tune', expect.stringContaining('no container gets the GPU the claim allocates')],
    ]);
  });

  test('a container that also requests nvidia.com/gpu: a warning, the GPU comes from the device plugin', () => {
    const withGpu = { ...torch, resources: { limits: { 'nvidia.com/gpu': 1 } } };
    expect(findings(gpuClass, template('claim', 'whole-device'), job([withGpu]))).toEqual([
      ['resource-claim-unconsumed', 'warning', 'Job/ml/tune', expect.stringContaining('no container gets the claimed devices')],
    ]);
  });

  test('near misses: the container or an init container lists the claim; a network claim with no GPU code; no claims', () => {
    const listed = { ...torch, resources: { claims: [{ name: 'dev' }] } };
    expect(findings(gpuClass, template('claim', 'whole-device'), job([listed]))).toEqual([]);
    const init = { name: 'prep', image: 'quay.io/example/prep:1', resources: { claims: [{ name: 'dev' }] } };
    expect(findings(gpuClass, template('claim', 'whole-device'), job([{ ...torch, resources: {} }], { initContainers: [init] }))).toEqual([]);
    const fetch = { name: 'fetch', image: 'quay.io/example/fetch:1', command: ['/bin/fetch'] };
    expect(findings(template('claim', 'rdma-interface'), job([fetch]))).toEqual([]);
    expect(findings(podWorkload('tune', 'ml', { containers: [torch] }, 'Job'))).toEqual([]);
  });
});
