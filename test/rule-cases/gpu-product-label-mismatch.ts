import { readManifests } from '../../lib';
import { ruleFound, severityObjectMessages, writeTree } from '../util';

/** gpu-product-label-mismatch: nvidia.com/gpu.product values GPU Feature Discovery never sets. */
const flavor = (value: string) =>
  `apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: gpu-nodes\nspec:\n  nodeLabels:\n    nvidia.com/gpu.product: ${value}\n`;
const deployment = (value: string) =>
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: server\n  namespace: ai\nspec:\n  selector:\n    matchLabels: {app: server}\n  template:\n' +
  `    metadata:\n      labels: {app: server}\n    spec:\n      nodeSelector:\n        nvidia.com/gpu.product: ${value}\n      containers:\n        - name: main\n` +
  `          image: registry.example.com/server@sha256:${'a'.repeat(64)}\n`;
const machineSet = (value: string) =>
  'apiVersion: machine.openshift.io/v1beta1\nkind: MachineSet\nmetadata:\n  name: gpu\n  namespace: openshift-machine-api\nspec:\n  template:\n    spec:\n' +
  `      metadata:\n        labels:\n          nvidia.com/gpu.product: ${value}\n`;

function found(files: Record<string, string>): [string, string, string][] {
  const dir = writeTree('gpu-product-', files);
  const read = readManifests([dir]);
  return severityObjectMessages(ruleFound('gpu-product-label-mismatch', read.manifests, { platform: 'rhoai-3.3', alone: true, ...read }));
}

describe('gpu-product-label-mismatch', () => {
  test('a ResourceFlavor without the NVIDIA- prefix: a warning naming the value GFD sets', () => {
    const [f, ...rest] = found({ 'flavor.yaml': flavor('A100-SXM4-80GB') });
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('ResourceFlavor/gpu-nodes');
    expect(f[2]).toMatch(
      /spec\.nodeLabels asks for nvidia\.com\/gpu\.product=A100-SXM4-80GB, which GPU Feature Discovery never sets: it labels that GPU 'NVIDIA-A100-SXM4-80GB'/,
    );
  });

  test('a pod template asking in another case, and a MIG slice keeping its suffix', () => {
    expect(found({ 'd.yaml': deployment('nvidia-l4') })[0][2]).toMatch(/the pod's nodeSelector asks for .*=nvidia-l4, .*'NVIDIA-L4'/);
    expect(found({ 'flavor.yaml': flavor('A100-SXM4-80GB-MIG-1g.10gb') })[0][2]).toMatch(/write 'NVIDIA-A100-SXM4-80GB-MIG-1g\.10gb'/);
  });

  test('an H100 written without the NVIDIA- prefix in a form no driver gives: the values GFD sets for H100s', () => {
    const [f, ...rest] = found({ 'd.yaml': deployment('H100-SXM4-80GB') });
    expect(rest).toEqual([]);
    expect(f.slice(0, 2)).toEqual(['warning', 'Deployment/ai/server']);
    expect(f[2]).toMatch(/=H100-SXM4-80GB, which GPU Feature Discovery never sets: it labels that GPU one of 'NVIDIA-H100-80GB-HBM3', .*'NVIDIA-H100-PCIe'/);
    expect(found({ 'flavor.yaml': flavor('h200') })[0][2]).toMatch(/write 'NVIDIA-H200'/);
  });

  test('near misses: products of the table beyond the catalog, and a prefixed H100 form the table does not list', () => {
    for (const v of ['NVIDIA-H100-PCIe', 'NVIDIA-B200', 'NVIDIA-GH200-480GB', 'NVIDIA-L40S', 'NVIDIA-A10G', 'NVIDIA-L40-SHARED', 'NVIDIA-H100-SXM5-64GB'])
      expect(found({ 'flavor.yaml': flavor(v) })).toEqual([]);
  });

  test('near misses: the value GFD sets (shared too), a GPU the catalog lacks, a value the tree itself labels nodes with', () => {
    expect(found({ 'flavor.yaml': flavor('NVIDIA-A100-SXM4-80GB') })).toEqual([]);
    expect(found({ 'flavor.yaml': flavor('NVIDIA-L4-SHARED') })).toEqual([]);
    expect(found({ 'flavor.yaml': flavor('Tesla-T4') })).toEqual([]);
    expect(found({ 'flavor.yaml': flavor('NVIDIA-GeForce-RTX-4090') })).toEqual([]);
    expect(found({ 'flavor.yaml': flavor('A100-SXM4-80GB'), 'ms.yaml': machineSet('A100-SXM4-80GB') })).toEqual([]);
  });
});
