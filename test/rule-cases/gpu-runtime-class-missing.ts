import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, podWorkload, ruleFindings, writeTree } from '../util';

const RULE = 'gpu-runtime-class-missing';
const runtimeClass = (name = 'nvidia', handler = 'nvidia') => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name }, handler });
const gpuPod = (name: string, runtimeClassName?: string, gpus: unknown = 1) =>
  podWorkload(name, 'ai', {
    ...(runtimeClassName ? { runtimeClassName } : {}),
    containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.11.1', resources: { limits: { 'nvidia.com/gpu': gpus } } }],
  });

// Kubernetes RuntimeClass (a pod without one runs under the node's default handler); k3s "NVIDIA Container Runtime"
describe('gpu-runtime-class-missing', () => {
  test('a RuntimeClass with handler nvidia and a GPU pod without runtimeClassName: a warning naming the class', () => {
    expect(ruleFindings(RULE, [runtimeClass(), gpuPod('chat')])).toEqual([
      "warning Deployment/ai/chat: container 'server' requests nvidia.com/gpu but the pod sets no runtimeClassName, while the tree defines RuntimeClass nvidia (handler nvidia): " +
        "where nvidia is not the nodes' default container runtime (k3s, Talos, kind with the NVIDIA toolkit), the pod runs under runc, without the driver libraries and device nodes, " +
        'so CUDA finds no GPU although the device plugin allotted one; set runtimeClassName: nvidia in the pod spec (for a Helm chart, under the values key its template reads)',
    ]);
  });

  test('no RuntimeClass, but another GPU pod of the tree names nvidia: the warning says which', () => {
    expect(ruleFindings(RULE, [gpuPod('embed', 'nvidia'), gpuPod('chat')])).toEqual([
      expect.stringMatching(/^warning Deployment\/ai\/chat: .*while Deployment\/ai\/embed of the tree sets runtimeClassName nvidia: /),
    ]);
  });

  test('a RuntimeClass of another name whose handler is nvidia: that name is the fix', () => {
    expect(ruleFindings(RULE, [runtimeClass('gpu', 'nvidia'), gpuPod('chat')])).toEqual([expect.stringMatching(/set runtimeClassName: gpu in the pod spec/)]);
  });

  test('a RayCluster worker group without the class is named by its template', () => {
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'rc', namespace: 'ai' },
      spec: {
        headGroupSpec: { template: { spec: { runtimeClassName: 'nvidia', containers: [{ name: 'ray-head', image: 'rayproject/ray:2.49.1' }] } } },
        workerGroupSpecs: [
          {
            groupName: 'gpu',
            template: { spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.49.1-gpu', resources: { limits: { 'nvidia.com/gpu': 1 } } }] } },
          },
        ],
      },
    };
    expect(ruleFindings(RULE, [ray])).toEqual([
      expect.stringMatching(
        /^warning RayCluster\/ai\/rc: spec\.workerGroupSpecs\[0\]\.template: container 'ray-worker' requests nvidia\.com\/gpu .*RayCluster\/ai\/rc of the tree sets runtimeClassName nvidia/,
      ),
    ]);
  });

  const clusterPolicy = { apiVersion: 'nvidia.com/v1', kind: 'ClusterPolicy', metadata: { name: 'cluster-policy' }, spec: { toolkit: { enabled: true } } };
  const subscription = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'gpu-operator-certified', namespace: 'nvidia-gpu-operator' },
    spec: { name: 'gpu-operator-certified', source: 'certified-operators', sourceNamespace: 'openshift-marketplace', channel: 'v25.3' },
  };
  test.each([
    ['the pod sets the class', [runtimeClass(), gpuPod('chat', 'nvidia')]],
    ['a GPU Operator ClusterPolicy in the tree (the toolkit sets the default runtime)', [clusterPolicy, runtimeClass(), gpuPod('chat')]],
    ['the GPU Operator subscribed by OLM', [subscription, gpuPod('embed', 'nvidia'), gpuPod('chat')]],
    ['no sign the runtime is a class', [gpuPod('chat')]],
    ['a RuntimeClass of another handler (kata)', [runtimeClass('kata', 'kata-qemu'), gpuPod('chat')]],
    ['no GPU requested', [runtimeClass(), gpuPod('chat', undefined, 0)]],
  ])('%s: silent', (_what, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });

  test('on a stated OpenShift AI platform: silent (the GPU Operator hooks CRI-O)', () => {
    expect(ruleFindings(RULE, [runtimeClass(), gpuPod('chat')], 'rhoai-3.0')).toEqual([]);
  });
});

describe('gpu-runtime-class-missing: what the GPU Operator the tree or its repository installs does with the default runtime', () => {
  const release = (values: Record<string, unknown>, version = 'v25.3.4') => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'gpu-operator', namespace: 'gpu-operator' },
    spec: { interval: '1h', chart: { spec: { chart: 'gpu-operator', version, sourceRef: { kind: 'HelmRepository', name: 'nvidia' } } }, values },
  });
  const envOff = (name = 'CONTAINERD_SET_AS_DEFAULT') => ({ toolkit: { env: [{ name, value: 'false' }] } });

  test.each([
    ['a release with the default values (the toolkit makes nvidia the default runtime)', release({ driver: { enabled: false } })],
    ['the default runtime turned off, on v25.10 whose CDI (on by default) injects the devices', release(envOff(), 'v25.10.1')],
    ['the default runtime turned off with CDI enabled and no cdi.default (the current schema)', release({ ...envOff(), cdi: { enabled: true } }, '')],
  ])('%s: silent, though the tree names RuntimeClass nvidia elsewhere', (_what, operator) => {
    const docs = [operator, { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' }, handler: 'nvidia' }, gpuPod('chat')];
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });

  test("the toolkit's default runtime turned off and CDI off: a warning naming the setting, even without a RuntimeClass in the tree", () => {
    expect(ruleFindings(RULE, [release({ ...envOff(), cdi: { enabled: false } }), gpuPod('chat')])).toEqual([
      "warning Deployment/ai/chat: container 'server' requests nvidia.com/gpu but the pod sets no runtimeClassName, while HelmRelease/gpu-operator/gpu-operator sets values.toolkit.env CONTAINERD_SET_AS_DEFAULT=false " +
        "and turns CDI off, so the GPU Operator's toolkit leaves runc the nodes' default runtime and only its RuntimeClass nvidia runs the NVIDIA runtime: " +
        "where nvidia is not the nodes' default container runtime (k3s, Talos, kind with the NVIDIA toolkit), the pod runs under runc, without the driver libraries and device nodes, " +
        'so CUDA finds no GPU although the device plugin allotted one; set runtimeClassName: nvidia in the pod spec (for a Helm chart, under the values key its template reads)',
    ]);
  });

  test('NVIDIA_RUNTIME_SET_AS_DEFAULT=false with CDI through annotations (cdi.default, before v25.10): the warning stays', () => {
    expect(ruleFindings(RULE, [release({ ...envOff('NVIDIA_RUNTIME_SET_AS_DEFAULT'), cdi: { enabled: true, default: false } }), gpuPod('chat')])).toEqual([
      expect.stringMatching(/NVIDIA_RUNTIME_SET_AS_DEFAULT=false with CDI through annotations only the nvidia runtime reads \(values\.cdi\.default\)/),
    ]);
  });

  test('the toolkit turned off (the host configures the runtime): judged as without the operator', () => {
    const off = release({ toolkit: { enabled: false } });
    expect(ruleFindings(RULE, [off, gpuPod('chat')])).toEqual([]);
    expect(ruleFindings(RULE, [off, gpuPod('embed', 'nvidia'), gpuPod('chat')])).toEqual([
      expect.stringMatching(/^warning Deployment\/ai\/chat: .*Deployment\/ai\/embed of the tree sets runtimeClassName nvidia/),
    ]);
  });
});

describe('gpu-runtime-class-missing: the GPU Operator installed by another folder of the repository', () => {
  const operator = (values: string) =>
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: gpu-operator}\nspec:\n  interval: 1h\n' +
    `  chart: {spec: {chart: gpu-operator, version: v25.3.4, sourceRef: {kind: HelmRepository, name: nvidia}}}\n  values:\n${values}`;
  const pods =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: chat, namespace: ai}\nspec:\n  selector: {matchLabels: {app: chat}}\n  template:\n    metadata: {labels: {app: chat}}\n' +
    '    spec:\n      containers: [{name: server, image: "vllm/vllm-openai:v0.11.1", resources: {limits: {nvidia.com/gpu: 1}}}]\n' +
    '---\napiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: nvidia}\nhandler: nvidia\n';
  async function findings(values: string): Promise<string[]> {
    const root = writeTree('gpu-runtime-repository-', { 'apps/chat/app.yaml': pods, 'system/gpu-operator/release.yaml': operator(values) });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'apps/chat'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === RULE)
      .map((f) => `${f.severity} ${f.message}`);
  }

  test('its default values make nvidia the default runtime: silent', async () => {
    expect(await findings('    driver: {enabled: false}\n')).toEqual([]);
  });

  test('near miss: its toolkit env turns the default runtime off: the warning names the release', async () => {
    expect(await findings('    toolkit:\n      env: [{name: CONTAINERD_SET_AS_DEFAULT, value: "false"}]\n')).toEqual([
      expect.stringMatching(
        /^warning container 'server' requests nvidia\.com\/gpu but the pod sets no runtimeClassName, while HelmRelease 'gpu-operator' \(.*system\/gpu-operator\/release\.yaml, line 1\) sets values\.toolkit\.env CONTAINERD_SET_AS_DEFAULT=false on a release before v25\.10 \(CDI off by default\)/,
      ),
    ]);
  });
});
