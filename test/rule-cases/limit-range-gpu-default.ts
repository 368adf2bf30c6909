import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * limit-range-gpu-default: the defaults the API server completes a LimitRange item with (SetDefaults_LimitRangeItem)
 * and LimitRanger's merge into each container without its own value (plugin/pkg/admission/limitranger, whose
 * TestMergeContainerResources and TestDefaultContainerResourceRequirements these cases follow).
 */
async function found(objects: object[]): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('limit-range-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'limit-range-gpu-default');
}

const limitRange = (namespace: string, ...limits: object[]) => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'limits', namespace },
  spec: { limits },
});
const IMAGE = 'registry.example.com/tools/worker:1.0';
const cpuOnly = (name: string, namespace = 'ai', extra: object = {}) =>
  podWorkload(name, namespace, { containers: [{ name: 'main', image: IMAGE, resources: { limits: { cpu: '1' } } }], ...extra });
const gpuServer = (name: string, namespace = 'ai', extra: object = {}) =>
  podWorkload(name, namespace, { containers: [{ name: 'server', image: IMAGE, resources: { limits: { 'nvidia.com/gpu': '1' } } }], ...extra });

describe('limit-range-gpu-default', () => {
  test('a default limit fires on each container of the namespace that sets no GPU, naming it', async () => {
    const f = await found([limitRange('ai', { type: 'Container', default: { 'nvidia.com/gpu': '1', cpu: '1' } }), cpuOnly('api'), gpuServer('server')]);
    expect(f.map((x) => [x.object, x.severity])).toEqual([['LimitRange/ai/limits', 'error']]);
    expect(f[0].message).toMatch(/defaults nvidia.com\/gpu: 1 \(spec.limits\[0\].default\)/);
    expect(f[0].message).toMatch(/in the tree: Deployment\/api container 'main'\./);
    expect(f[0].message).not.toMatch(/Deployment\/server/);
  });

  test('every container given the GPU in a Deployment delivered with replicas: 0 that nothing scales: a latent warning; one more in a running Job keeps the error', async () => {
    const idle = cpuOnly('api');
    idle.spec.replicas = 0;
    const range = limitRange('ai', { type: 'Container', default: { 'nvidia.com/gpu': '1', cpu: '1' } });
    const f = await found([range, idle, gpuServer('server')]);
    expect(f.map((x) => [x.object, x.severity])).toEqual([['LimitRange/ai/limits', 'warning']]);
    expect(f[0].message).toMatch(
      / \(latent: Deployment\/ai\/api, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up\)$/,
    );
    const job = podWorkload(
      'fetch',
      'ai',
      { restartPolicy: 'Never', containers: [{ name: 'main', image: IMAGE, resources: { limits: { cpu: '1' } } }] },
      'Job',
    );
    expect((await found([range, idle, job])).map((x) => x.severity)).toEqual(['error']);
  });

  test('max stands in for a missing default, min for a missing default request; init containers count', async () => {
    const withInit = gpuServer('server', 'ai', { initContainers: [{ name: 'fetch', image: IMAGE }] });
    const fromMax = await found([limitRange('ai', { type: 'Container', max: { 'amd.com/gpu': '2' } }), withInit]);
    expect(fromMax.map((x) => x.severity)).toEqual(['error']);
    expect(fromMax[0].message).toMatch(/amd.com\/gpu: 2 \(spec.limits\[0\].max\)/);
    // the server asks for nvidia.com/gpu, not amd.com/gpu: it is given the AMD GPU too
    expect(fromMax[0].message).toMatch(/init container 'fetch', Deployment\/server container 'server'/);
    const fromMin = await found([limitRange('ai', { type: 'Container', min: { 'habana.ai/gaudi': '1' } }), cpuOnly('api')]);
    expect(fromMin[0].message).toMatch(/habana.ai\/gaudi: 1 \(spec.limits\[0\].min\)/);
  });

  test('a warning, naming the assumption, when every container of the tree in the namespace sets its own', async () => {
    const f = await found([
      limitRange('ai', { type: 'Container', defaultRequest: { 'nvidia.com/gpu': '1' } }),
      gpuServer('server'),
      cpuOnly('elsewhere', 'other'),
    ]);
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0].message).toMatch(/Every container of the tree in namespace 'ai' sets its own, so this assumes pods made outside the tree/);
  });

  test('an InferenceService in Knative mode brings queue-proxy, which sets no GPU', async () => {
    const isvc = (mode: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', namespace: 'ai', annotations: { 'serving.kserve.io/deploymentMode': mode } },
      spec: { predictor: { containers: [{ name: 'kserve-container', image: IMAGE, resources: { limits: { 'nvidia.com/gpu': '1' } } }] } },
    });
    const gpuDefault = limitRange('ai', { type: 'Container', default: { 'nvidia.com/gpu': '1' } });
    const knative = await found([gpuDefault, isvc('Knative')]);
    expect(knative.map((x) => x.severity)).toEqual(['error']);
    expect(knative[0].message).toMatch(/in the tree: InferenceService\/llm queue-proxy \(Knative's\)\./);
    expect((await found([gpuDefault, isvc('Standard')])).map((x) => x.severity)).toEqual(['warning']);
  });

  test('silent on a Pod-type item, on cpu and memory defaults, and on an explicit zero', async () => {
    const zero = podWorkload('zero', 'ai', { containers: [{ name: 'main', image: IMAGE, resources: { limits: { 'nvidia.com/gpu': '0' } } }] });
    expect(
      await found([
        limitRange(
          'ai',
          { type: 'Pod', max: { 'nvidia.com/gpu': '8' } },
          { type: 'Container', default: { cpu: '1', memory: '1Gi' }, max: { 'hugepages-2Mi': '1Gi' } },
        ),
        cpuOnly('api'),
      ]),
    ).toEqual([]);
    const own = await found([limitRange('ai', { type: 'Container', default: { 'nvidia.com/gpu': '1' } }), zero]);
    expect(own.map((x) => x.severity)).toEqual(['warning']);
  });
});
