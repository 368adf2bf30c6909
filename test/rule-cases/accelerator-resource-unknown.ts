import { execFileSync } from 'child_process';
import * as YAML from 'yaml';
import { isAdvertised } from '../../lib/catalog/device-resources';
import { cliInProcess, podWorkload, writeTree } from '../util';

describe('the device plugin catalogue', () => {
  test.each([
    ['nvidia.com/gpu', true],
    ['nvidia.com/gpu.shared', true],
    ['nvidia.com/mig-1g.5gb', true],
    ['nvidia.com/mig-1g.10gb+me', true],
    ['nvidia.com/mig-1c.3g.20gb', true],
    ['nvidia.com/mig-3g', false],
    ['nvidia.com/tpu', false],
    ['amd.com/gpu', true],
    ['google.com/tpu', true],
    ['aws.amazon.com/neuron', true],
    ['aws.amazon.com/neurondevice', true],
    ['gpu.intel.com/i915', true],
    ['gpu.intel.com/xe', true],
    ['habana.ai/gaudi', true],
    ['example.com/gpu', false],
  ])('%s advertised: %s', (name, advertised) => {
    expect(isAdvertised(name)).toBe(advertised);
  });
});

async function findings(pod: Record<string, unknown>, extra: unknown[] = []): Promise<{ severity: string; message: string }[]> {
  const dir = writeTree('accelerator-', { 'tree.yaml': [podWorkload('server', 'ai', pod), ...extra].map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'accelerator-resource-unknown');
}

const asking = (resource: string) => ({ name: 'main', image: 'registry.example.com/serving/app:1.0', resources: { limits: { [resource]: '1' } } });

describe('accelerator-resource-unknown', () => {
  test('an unknown name of a catalogued domain is a warning naming the advertised ones; one edit away is an error', async () => {
    const [unknown] = await findings({ containers: [asking('nvidia.com/a100')] });
    expect(unknown.severity).toBe('warning');
    expect(unknown.message).toContain('nvidia.com/gpu, nvidia.com/gpu.shared');
    expect((await findings({ containers: [asking('amd.com/gpus')] })).map((f) => f.severity)).toEqual(['error']);
    expect((await findings({ containers: [asking('habana.ai/guadi')] })).map((f) => f.severity)).toEqual(['warning']);
  });

  test('a GPU resource on nodes every required affinity term puts on TPUs, or a TPU compute class, is an error', async () => {
    const term = { matchExpressions: [{ key: 'cloud.google.com/gke-tpu-accelerator', operator: 'In', values: ['tpu-v6e-slice'] }] };
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
    expect((await findings({ affinity, containers: [asking('nvidia.com/gpu')] })).map((f) => f.message)).toEqual([
      expect.stringContaining('request google.com/tpu'),
    ]);
    const loose = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term, { matchExpressions: [{ key: 'pool', operator: 'Exists' }] }] },
      },
    };
    expect(await findings({ affinity: loose, containers: [asking('nvidia.com/gpu')] })).toEqual([]);
    const computeClass = {
      apiVersion: 'cloud.google.com/v1',
      kind: 'ComputeClass',
      metadata: { name: 'tpu-first' },
      spec: { priorities: [{ tpu: { type: 'tpu-v5-lite-podslice', count: 4, topology: '2x2' } }] },
    };
    const selected = { nodeSelector: { 'cloud.google.com/compute-class': 'tpu-first' }, containers: [asking('nvidia.com/gpu')] };
    expect((await findings(selected, [computeClass])).map((f) => f.severity)).toEqual(['error']);
    // a TPU request on GKE's NVIDIA nodes
    expect(
      (await findings({ nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' }, containers: [asking('google.com/tpu')] })).map((f) => f.message),
    ).toEqual([expect.stringContaining('NVIDIA GPU nodes')]);
  });

  test("a name a ConfigMap of the tree configures (the plugin's rename) is quiet", async () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'device-plugin-config', namespace: 'gpu-operator' },
      data: {
        'config.yaml': 'version: v1\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        rename: gpu-slice\n        replicas: 4\n',
      },
    };
    expect(await findings({ containers: [asking('nvidia.com/gpu-slice')] }, [config])).toEqual([]);
    expect((await findings({ containers: [asking('nvidia.com/gpu-slice')] })).map((f) => f.severity)).toEqual(['warning']);
  });
  test("HAMi's vGPU names are quiet where the tree shows HAMi (a pod's hami.io/ or use-gpuuuid annotation, its scheduler), warned without", async () => {
    const vgpu = {
      name: 'main',
      image: 'registry.example.com/serving/app:1.0',
      resources: { limits: { 'nvidia.com/gpu': '1', 'nvidia.com/gpumem': '3000', 'nvidia.com/gpucores': '30' } },
    };
    const percent = { ...vgpu, resources: { limits: { 'nvidia.com/gpu': '1', 'nvidia.com/gpumem-percentage': '50' } } };
    // another pod of the tree pinned to a card by HAMi's annotation
    const pinned = { ...podWorkload('pinned', 'ai', { containers: [asking('nvidia.com/gpu')] }) };
    pinned.spec.template.metadata.annotations = { 'nvidia.com/use-gpuuuid': 'GPU-0a1b' };
    expect(await findings({ containers: [vgpu] }, [pinned])).toEqual([]);
    const policy = podWorkload('spread', 'ai', { containers: [asking('nvidia.com/gpu')] });
    policy.spec.template.metadata.annotations = { 'hami.io/node-scheduler-policy': 'spread' };
    expect(await findings({ containers: [percent] }, [policy])).toEqual([]);
    expect(await findings({ schedulerName: 'hami-scheduler', containers: [percent] })).toEqual([]);
    // near miss: the same names, no sign of HAMi
    expect((await findings({ containers: [vgpu] })).map((f) => [f.severity, f.message.replace(/^.*requests (\S+),.*$/, '$1')])).toEqual([
      ['warning', 'nvidia.com/gpucores'],
      ['warning', 'nvidia.com/gpumem'],
    ]);
  });
});

describe('accelerator-resource-unknown: a device plugin DaemonSet that advertises the resource', () => {
  const plugin = (name: string, volumePath: string, container: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'plugin', image: `registry.example.com/devices/${name}:1.2`, ...container, volumeMounts: [{ name: 'kubelet', mountPath: volumePath }] },
          ],
          volumes: [{ name: 'kubelet', hostPath: { path: volumePath } }],
        },
      },
    },
  });
  const cdi = plugin('cdi-devices', '/var/lib/kubelet', { command: ['/bin/cdi-device-plugin', '/var/run/cdi/nvidia-gpus.json'] });
  const named = plugin('card-plugin', '/var/lib/kubelet/device-plugins/', { args: ['--resource=nvidia.com/card-large', '--count=4'] });
  const other = plugin('tun-plugin', '/var/lib/kubelet/device-plugins', {
    args: ['--device', 'name: tun'],
    env: [{ name: 'DOMAIN', value: 'devices.example.com' }],
  });

  test("the generic CDI plugin given NVIDIA's CDI spec advertises nvidia.com/gpu-all: a note naming the DaemonSet", async () => {
    const [note] = await findings({ containers: [asking('nvidia.com/gpu-all')] }, [cdi]);
    expect(note.severity).toBe('info');
    expect(note.message).toMatch(
      /requests nvidia\.com\/gpu-all, which no stock device plugin of NVIDIA advertises but the device plugin DaemonSet\/kube-system\/cdi-devices .*does/,
    );
  });

  test('a device plugin whose args name the resource: a note', async () => {
    expect((await findings({ containers: [asking('nvidia.com/card-large')] }, [named])).map((f) => f.severity)).toEqual(['info']);
  });

  test('near miss: a device plugin that names other resources leaves the warning', async () => {
    expect((await findings({ containers: [asking('nvidia.com/gpu-all')] }, [other])).map((f) => f.severity)).toEqual(['warning']);
  });

  test('near miss: a DaemonSet naming the resource without the kubelet folder is no device plugin', async () => {
    const notPlugin = plugin('exporter', '/var/log', { args: ['--resource=nvidia.com/card-large'] });
    expect((await findings({ containers: [asking('nvidia.com/card-large')] }, [notPlugin])).map((f) => f.severity)).toEqual(['warning']);
  });

  test('near miss: the CDI plugin advertises gpu-<device>, not another name', async () => {
    expect((await findings({ containers: [asking('nvidia.com/gpus-all')] }, [cdi])).map((f) => f.severity)).toEqual(['warning']);
  });

  test('a device plugin of the repository around the checked folder: a note naming its file', async () => {
    const root = writeTree('accelerator-repo-', {
      'apps/chat/server.yaml': YAML.stringify(podWorkload('server', 'ai', { containers: [asking('nvidia.com/gpu-all')] })),
      'infra/devices/plugin.yaml': YAML.stringify(cdi),
    });
    execFileSync('git', ['init', '-q', root]);
    const report = JSON.parse((await cliInProcess(['check', `${root}/apps/chat`, '--platform', 'kserve', '--json'])).out);
    const mine = report.findings.filter((f: { rule: string }) => f.rule === 'accelerator-resource-unknown');
    expect(mine).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: expect.stringMatching(/device plugin DaemonSet 'cdi-devices' \(.*infra\/devices\/plugin\.yaml, line 1\) does/),
      }),
    ]);
  });
});
