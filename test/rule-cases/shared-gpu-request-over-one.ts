import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * shared-gpu-request-over-one: when NVIDIA's device plugin refuses a request over 1 (k8s-device-plugin Allocate, and
 * api/config/v1/config.go forcing failRequestsGreaterThanOne for MPS), and how sure the verdict is when the
 * operator's ConfigMap holds several configs.
 */
async function found(objects: object[]): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('shared-gpu-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'shared-gpu-request-over-one');
}

const policy = (config: object) => ({
  apiVersion: 'nvidia.com/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'cluster-policy' },
  spec: { devicePlugin: { config } },
});
const configMap = (data: Record<string, object>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'plugin-config', namespace: 'gpu-operator' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, YAML.stringify(v)])),
});
const timeSliced = (extra: object) => ({ version: 'v1', sharing: { timeSlicing: { ...extra, resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] } } });
const mps = { version: 'v1', sharing: { mps: { resources: [{ name: 'nvidia.com/gpu', replicas: 2 }] } } };
const twoGpus = (extra: object = {}) =>
  podWorkload('train', 'ai', { containers: [{ name: 'main', image: 'registry.example.com/t:1', resources: { limits: { 'nvidia.com/gpu': '2' } } }], ...extra });

describe('shared-gpu-request-over-one', () => {
  test('time-slicing refuses only with failRequestsGreaterThanOne: true; MPS always', async () => {
    expect(await found([policy({ name: 'plugin-config' }), configMap({ any: timeSliced({}) }), twoGpus()])).toEqual([]);
    expect(
      (await found([policy({ name: 'plugin-config' }), configMap({ any: timeSliced({ failRequestsGreaterThanOne: true }) }), twoGpus()])).map(
        (f) => f.severity,
      ),
    ).toEqual(['error']);
    const f = await found([policy({ name: 'plugin-config' }), configMap({ any: mps }), twoGpus()]);
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0].message).toMatch(/asks for nvidia.com\/gpu: 2, but ConfigMap plugin-config .* shares nvidia.com\/gpu \(any: MPS\)/);
  });

  test('a renamed shared resource leaves nvidia.com/gpu whole', async () => {
    const renamed = {
      version: 'v1',
      sharing: { timeSlicing: { renameByDefault: true, failRequestsGreaterThanOne: true, resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] } },
    };
    expect(await found([policy({ name: 'plugin-config' }), configMap({ any: renamed }), twoGpus()])).toEqual([]);
  });

  test('a warning when only some configs share and the pod selects none; an error when it selects a sharing one', async () => {
    const data = { shared: mps, whole: { version: 'v1' } };
    expect((await found([policy({ name: 'plugin-config', default: 'shared' }), configMap(data), twoGpus()])).map((f) => f.severity)).toEqual(['warning']);
    const selecting = twoGpus({ nodeSelector: { 'nvidia.com/device-plugin.config': 'shared' } });
    expect((await found([policy({ name: 'plugin-config', default: 'whole' }), configMap(data), selecting])).map((f) => f.severity)).toEqual(['error']);
  });

  test('no config in the tree: nothing is judged', async () => {
    expect(await found([configMap({ any: mps }), twoGpus()])).toEqual([]);
  });
});
