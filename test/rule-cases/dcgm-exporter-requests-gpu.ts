import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/** dcgm-exporter-requests-gpu: NVIDIA's exporter reads the node's GPUs through the driver and requests none (NVIDIA/dcgm-exporter dcgm-exporter.yaml). */
const INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
const exporter = (gpus: number, nodeSelector?: Record<string, string>) =>
  podWorkload(
    'dcgm-exporter',
    'monitoring',
    {
      ...(nodeSelector ? { nodeSelector } : {}),
      containers: [{ name: 'exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04', resources: { limits: { 'nvidia.com/gpu': gpus } } }],
    },
    'DaemonSet',
  );
const server = (nodeSelector?: Record<string, string>) =>
  podWorkload('api', 'serving', {
    ...(nodeSelector ? { nodeSelector } : {}),
    containers: [{ name: 'api', image: 'registry.example.com/serving/api:1.0', resources: { limits: { 'nvidia.com/gpu': 1 } } }],
  });

async function found(objects: object[]): Promise<string[]> {
  const dir = writeTree('dcgm-gpu-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings
    .filter((f: { rule: string }) => f.rule === 'dcgm-exporter-requests-gpu')
    .map((f: { severity: string; message: string }) => `${f.severity}: ${f.message}`);
}

describe('dcgm-exporter-requests-gpu', () => {
  test('a warning while the nodes are not known', async () => {
    expect(await found([exporter(1), server()])).toEqual([
      expect.stringMatching(/^warning: container 'exporter' runs nvcr.io\/nvidia\/k8s\/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04 and requests 1 GPU: /),
    ]);
  });

  test('an error when the DaemonSet takes every GPU of its one-GPU nodes and a GPU workload is placed on the same type', async () => {
    const g6 = { [INSTANCE_TYPE]: 'g6.xlarge' };
    expect(await found([exporter(1, g6), server(g6)])).toEqual([
      expect.stringMatching(/^error: .*takes all 1 GPU of each g6\.xlarge node it runs on, so Deployment\/serving\/api finds none free there/),
    ]);
  });

  test('a warning when the node has more GPUs than it takes, or no GPU workload shares its nodes', async () => {
    const g6x12 = { [INSTANCE_TYPE]: 'g6.12xlarge' };
    expect(await found([exporter(1, g6x12), server(g6x12)])).toEqual([expect.stringMatching(/^warning: /)]);
    expect(await found([exporter(1, { [INSTANCE_TYPE]: 'g6.xlarge' }), server()])).toEqual([expect.stringMatching(/^warning: /)]);
  });

  test('nothing when the exporter requests no GPU, or another image requests one', async () => {
    expect(await found([exporter(0), server()])).toEqual([]);
  });
});
