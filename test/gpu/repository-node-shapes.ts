import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/**
 * The MachineSets of a git repository outside the checked folder are the cluster's node shapes: a model folder whose
 * predictor selects the nodes a sibling `gpu-workers/` folder's MachineSet labels is judged on that MachineSet's
 * instance type, and the output names the files read (nodes:).
 */
const MACHINE_SET = (name: string, instanceType: string | undefined, label = 'l40s') => `apiVersion: machine.openshift.io/v1beta1
kind: MachineSet
metadata: {name: ${name}, namespace: openshift-machine-api}
spec:
  replicas: 1
  selector: {matchLabels: {machine.openshift.io/cluster-api-machineset: ${name}}}
  template:
    metadata: {labels: {machine.openshift.io/cluster-api-machineset: ${name}}}
    spec:
      metadata: {labels: {gpu-type: ${label}}}
      providerSpec:
        value: {${instanceType ? `instanceType: ${instanceType}` : 'ami: {id: ami-0123456789abcdef0}'}}
`;

/** An InferenceService of 2 GPUs that selects `gpu-type: l40s` nodes, with its runtime. */
const SERVICE = `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: vllm, namespace: llm}
spec:
  supportedModelFormats: [{name: vLLM, autoSelect: true}]
  containers:
    - name: kserve-container
      image: registry.redhat.io/rhaiis/vllm-cuda-rhel9@sha256:${'0'.repeat(64)}
      args: [--port=8080, --model=/mnt/models, --tensor-parallel-size=2]
      ports: [{containerPort: 8080, protocol: TCP}]
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: big, namespace: llm, annotations: {serving.kserve.io/deploymentMode: RawDeployment}}
spec:
  predictor:
    nodeSelector: {gpu-type: l40s}
    model:
      modelFormat: {name: vLLM}
      runtime: vllm
      storageUri: pvc://models/big
      resources: {requests: {nvidia.com/gpu: '2'}, limits: {nvidia.com/gpu: '2'}}
`;

interface Checked {
  readonly findings: { rule: string; severity: string; object: string; message: string }[];
  readonly nodes?: string;
}

async function check(files: Record<string, string>): Promise<Checked> {
  const root = writeTree('repository-nodes-', { 'models/big/service.yaml': SERVICE, ...files });
  fs.mkdirSync(path.join(root, '.git'));
  const { code, out, err } = await cliInProcess(['check', path.join(root, 'models', 'big'), '--platform', 'rhoai-3.0', '--format', 'json']);
  expect({ code: [0, 1].includes(code), err }).toEqual({ code: true, err: '' });
  return JSON.parse(out) as Checked;
}

const gpuCount = (c: Checked) => c.findings.filter((f) => f.rule === 'gpu-count-exceeds-node').map((f) => [f.severity, f.message]);

describe('MachineSets of the repository outside the checked folder', () => {
  test('the only MachineSet with the selected label has 1 GPU: an error naming it and its file; the output names the files read', async () => {
    const checked = await check({ 'gpu-workers/aws/machineset.yaml': MACHINE_SET('gpu-l40s', 'g6e.8xlarge') });
    expect(gpuCount(checked)).toEqual([
      [
        'error',
        expect.stringMatching(
          /^one pod requests 2 nvidia\.com\/gpu but g6e\.8xlarge has 1 \(the nodes its node selector picks are made by MachineSet 'gpu-l40s' \(.*gpu-workers\/aws\/machineset\.yaml:1\), outside the checked folder\); place it on g6e\.12xlarge/,
        ),
      ],
    ]);
    expect(checked.nodes).toMatch(
      /^1 MachineSet of the repository outside the checked folder read as the cluster's node shapes, from .*gpu-workers\/aws\/machineset\.yaml$/,
    );
  });

  test('near miss: the MachineSet has 4 GPUs: no error', async () => {
    expect(gpuCount(await check({ 'gpu-workers/aws/machineset.yaml': MACHINE_SET('gpu-l40s', 'g6e.12xlarge') }))).toEqual([]);
  });

  test('near miss: a second MachineSet with the label and no instance type written: not every shape is known, no error', async () => {
    const checked = await check({
      'gpu-workers/aws/machineset.yaml': MACHINE_SET('gpu-l40s', 'g6e.8xlarge'),
      'gpu-workers/aws/machineset-2.yaml': MACHINE_SET('gpu-l40s-b', undefined),
    });
    expect(gpuCount(checked).filter(([s]) => s === 'error')).toEqual([]);
  });

  test('near miss: the MachineSet labels other nodes: its shape is not the pod’s', async () => {
    expect(gpuCount(await check({ 'gpu-workers/aws/machineset.yaml': MACHINE_SET('gpu-l4', 'g6.xlarge', 'l4') })).filter(([s]) => s === 'error')).toEqual([]);
  });
});
