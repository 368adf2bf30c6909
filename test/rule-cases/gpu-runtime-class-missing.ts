import { podWorkload, ruleFindings } from '../util';

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
