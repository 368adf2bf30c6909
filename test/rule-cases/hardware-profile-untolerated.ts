import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

/**
 * hardware-profile-untolerated: OpenShift AI adds a profile's node tolerations (and only those) to the pods of the
 * workbenches and model servers using it; a GPU profile without the GPU nodes' toleration leaves them Pending.
 */
async function found(objects: object[]): Promise<{ severity: string; message: string }[]> {
  const dir = writeTree('hw-profile-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'rhoai-3.3', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'hardware-profile-untolerated');
}

const gpu = { identifier: 'nvidia.com/gpu', displayName: 'GPU', resourceType: 'Accelerator', defaultCount: 1, minCount: 1, maxCount: 2 };
const cpu = { identifier: 'cpu', displayName: 'CPU', resourceType: 'CPU', defaultCount: 2, minCount: 1, maxCount: 4 };
const profile = (identifiers: object[], scheduling?: object, annotations: Record<string, string> = {}) => ({
  apiVersion: 'infrastructure.opendatahub.io/v1',
  kind: 'HardwareProfile',
  metadata: { name: 'gpu', namespace: 'redhat-ods-applications', annotations },
  spec: { identifiers, ...(scheduling ? { scheduling } : {}) },
});
const machineSet = (name: string, taints: object[], labels: Record<string, string> = {}, instanceType = 'g6.xlarge') => ({
  apiVersion: 'machine.openshift.io/v1beta1',
  kind: 'MachineSet',
  metadata: { name, namespace: 'openshift-machine-api' },
  spec: { template: { spec: { metadata: { labels }, taints, providerSpec: { value: { instanceType } } } } },
});
const gpuTaint = { key: 'nvidia.com/gpu', effect: 'NoSchedule' };
const tolerating = { type: 'Node', node: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } };

describe('hardware-profile-untolerated', () => {
  test('an error when every GPU MachineSet of the tree is tainted; none when the profile tolerates it', async () => {
    const f = await found([profile([cpu, gpu]), machineSet('gpu-a', [gpuTaint])]);
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0].message).toMatch(/asks for nvidia.com\/gpu .* MachineSet gpu-a \(tainted nvidia.com\/gpu:NoSchedule\)/);
    expect(await found([profile([cpu, gpu], tolerating), machineSet('gpu-a', [gpuTaint])])).toEqual([]);
  });

  test('an untainted GPU MachineSet the profile may land on leaves a place to run; a CPU MachineSet is no GPU node', async () => {
    expect(await found([profile([gpu]), machineSet('gpu-a', [gpuTaint]), machineSet('gpu-b', [])])).toEqual([]);
    // the profile's node selector picks the tainted one only
    const picking = { type: 'Node', node: { nodeSelector: { pool: 'a' } } };
    const f = await found([profile([gpu], picking), machineSet('gpu-a', [gpuTaint], { pool: 'a' }), machineSet('gpu-b', [], { pool: 'b' })]);
    expect(f.map((x) => x.severity)).toEqual(['error']);
    // an untainted CPU MachineSet tells nothing of the GPU nodes: no taint shown, a note
    expect((await found([profile([gpu]), machineSet('workers', [], {}, 'm6i.2xlarge')])).map((x) => x.severity)).toEqual(['info']);
  });

  test('no GPU MachineSet and no GPU taint anywhere in the tree: only a note (the GPU operator taints no node)', async () => {
    const f = await found([profile([cpu, gpu])]);
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0].message).toMatch(/the tree shows no taint on GPU nodes .* the GPU operator taints none itself/);
    expect(f[0].message).toMatch(/nvidia.com\/gpu:NoSchedule is a common choice/);
    // a profile that tolerates something has thought of taints: nothing to say
    const other = { type: 'Node', node: { tolerations: [{ key: 'team', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }] } };
    expect(await found([profile([gpu], other)])).toEqual([]);
  });

  const nodePool = (taints: object[]) => ({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'gpu' },
    spec: { template: { spec: { taints, requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } } },
  });

  test('a Karpenter NodePool of the tree taints GPU nodes: a warning naming it; tolerated, nothing', async () => {
    const f = await found([profile([gpu]), nodePool([gpuTaint])]);
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0].message).toMatch(/the tree taints its GPU nodes in NodePool\/gpu \(nvidia.com\/gpu:NoSchedule\)/);
    expect(await found([profile([gpu], tolerating), nodePool([gpuTaint])])).toEqual([]);
    // a NodePool tainted for another purpose says nothing of GPU nodes: a note only
    expect((await found([profile([gpu]), nodePool([{ key: 'team', value: 'batch', effect: 'NoSchedule' }])])).map((x) => x.severity)).toEqual(['info']);
  });

  test('near misses: a Queue profile, a CPU-only profile, a disabled profile', async () => {
    expect(await found([profile([gpu], { type: 'Queue', kueue: { localQueueName: 'gpu' } }), machineSet('gpu-a', [gpuTaint])])).toEqual([]);
    expect(await found([profile([cpu]), machineSet('gpu-a', [gpuTaint])])).toEqual([]);
    expect(await found([profile([gpu], undefined, { 'opendatahub.io/disabled': 'true' })])).toEqual([]);
  });

  test('an AcceleratorProfile: its spec.tolerations', async () => {
    const accelerator = (tolerations: object[]) => ({
      apiVersion: 'dashboard.opendatahub.io/v1',
      kind: 'AcceleratorProfile',
      metadata: { name: 'nvidia', namespace: 'redhat-ods-applications' },
      spec: { displayName: 'NVIDIA', enabled: true, identifier: 'nvidia.com/gpu', tolerations },
    });
    expect((await found([accelerator([]), machineSet('gpu-a', [gpuTaint])])).map((x) => x.severity)).toEqual(['error']);
    expect(await found([accelerator([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]), machineSet('gpu-a', [gpuTaint])])).toEqual([]);
  });
});

describe("hardware-profile-untolerated: the dashboard's HardwareProfile of OpenShift AI 2.x (dashboard.opendatahub.io/v1alpha1)", () => {
  /** That layout holds tolerations and node selector at spec's top level, not under scheduling.node. */
  const dashboardProfile = (tolerations?: object[]) => ({
    apiVersion: 'dashboard.opendatahub.io/v1alpha1',
    kind: 'HardwareProfile',
    metadata: { name: 'nvidia', namespace: 'redhat-ods-applications' },
    spec: {
      displayName: 'NVIDIA GPU',
      enabled: true,
      identifiers: [cpu, gpu],
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      ...(tolerations ? { tolerations } : {}),
    },
  });

  test('its spec.tolerations tolerate the GPU MachineSet: nothing to say', async () => {
    expect(
      await found([
        dashboardProfile([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]),
        machineSet('gpu-a', [gpuTaint], { 'nvidia.com/gpu.present': 'true' }),
      ]),
    ).toEqual([]);
  });

  test('no tolerations there, the MachineSet its nodeSelector picks tainted: an error naming the field', async () => {
    const f = await found([dashboardProfile(), machineSet('gpu-a', [gpuTaint], { 'nvidia.com/gpu.present': 'true' })]);
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0].message).toMatch(/MachineSet gpu-a \(tainted nvidia.com\/gpu:NoSchedule\)/);
    expect(f[0].message).toMatch(/dashboard.opendatahub.io HardwareProfile: spec.tolerations/);
  });
});
