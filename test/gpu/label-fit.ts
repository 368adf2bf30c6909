import * as YAML from 'yaml';
import { ModelProfile } from '../../lib';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * gpu-memory-fit and gpu-count-exceeds-node on a pod whose node labels name its GPU but no instance type: the
 * weights are judged per GPU the selection admits (an error only when they fit on none), the count by a label that
 * states it, and what the label does not tell (the node's CPU and memory, a value the catalog lacks) is a note.
 */
interface Finding {
  rule: string;
  severity: string;
  object: string;
  message: string;
}
async function findings(objects: object[]): Promise<Finding[]> {
  const dir = writeTree('gpu-label-fit-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return (report.findings as Finding[]).filter((f) => ['gpu-memory-fit', 'gpu-count-exceeds-node'].includes(f.rule));
}
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.severity}`);

/** A Deployment serving `model` with vLLM over `tp` GPUs of one pod, on nodes chosen by `placement`. */
function vllm(model: string, tp: number, placement: { nodeSelector?: Record<string, string>; affinity?: object }): object {
  return podWorkload('llm', 'ai', {
    ...placement,
    containers: [
      {
        name: 'vllm',
        image: 'vllm/vllm-openai:v0.11.1',
        args: ['--model', model, '--tensor-parallel-size', String(tp)],
        env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }],
        resources: { limits: { 'nvidia.com/gpu': String(tp) } },
      },
    ],
  });
}
const inList = (key: string, values: string[]) => ({
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values }] }] } },
  },
});
// fine-tunes the bundled catalog lacks: judged by the weights their names spell (a catalogued id gets the full plan)
const LLAMA_70B = 'NousResearch/Hermes-3-Llama-3.1-70B';
const LLAMA_8B = 'NousResearch/Hermes-3-Llama-3.1-8B';

describe('GPU fit on nodes a label names the GPU of', () => {
  test('GKE: 70B on one L4 selected by gke-accelerator is an error, as on g6.xlarge; 8B there is not', async () => {
    const l4 = { nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } };
    const big = await findings([vllm(LLAMA_70B, 1, l4)]);
    expect(brief(big)).toEqual(['gpu-memory-fit error', 'gpu-count-exceeds-node info']);
    expect(big[0].message).toContain('more than the 22.04 GiB an L4 shows CUDA');
    expect(big[0].message).toContain("cloud.google.com/gke-accelerator=nvidia-l4; the node's CPU and memory are not checked");
    // the note says what is unknown, and no longer that no node shape is known
    expect(big[1].message).toContain('the labels name the GPU but not how many a node has');
    expect(big.map((f) => f.message).join(' ')).not.toContain('no node shape is known');
    expect(brief(await findings([vllm(LLAMA_8B, 1, l4)]))).toEqual(['gpu-count-exceeds-node info']);
  });

  test('an In list where one GPU holds the weights is a warning naming the ones that do not', async () => {
    const f = await findings([vllm(LLAMA_70B, 1, inList('cloud.google.com/gke-accelerator', ['nvidia-l4', 'nvidia-h200-141gb']))]);
    expect(brief(f)).toEqual(['gpu-memory-fit warning', 'gpu-count-exceeds-node info']);
    expect(f[0].message).toContain('L4 (cloud.google.com/gke-accelerator=nvidia-l4):');
    expect(f[0].message).toContain('It may start on H200 (cloud.google.com/gke-accelerator=nvidia-h200-141gb)');
    // on neither GPU: an error for each
    const none = await findings([vllm(LLAMA_70B, 1, inList('cloud.google.com/gke-accelerator', ['nvidia-l4', 'nvidia-tesla-t4']))]);
    expect(brief(none)).toEqual(['gpu-memory-fit error', 'gpu-memory-fit error', 'gpu-count-exceeds-node info']);
  });

  test('GPU Feature Discovery: a MIG slice holds its slice only; the count label decides the GPUs per node', async () => {
    const mig = { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB-MIG-1g.10gb' } };
    const f = await findings([vllm(LLAMA_8B, 1, mig)]);
    expect(brief(f)).toEqual(['gpu-memory-fit error', 'gpu-count-exceeds-node info']);
    expect(f[0].message).toContain('more than the 10 GiB an A100-40GB MIG 1g.10gb shows CUDA');
    expect(f[1].message).toContain('the labels name the GPU but not how many a node has');
    // the whole GPU holds it; with the count stated, nothing is left to note
    const whole = { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB', 'nvidia.com/gpu.count': '2' } };
    expect(brief(await findings([vllm(LLAMA_8B, 1, whole)]))).toEqual([]);
    // four GPUs in one pod on nodes of two
    const count = await findings([vllm(LLAMA_8B, 4, { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4', 'nvidia.com/gpu.count': '2' } })]);
    expect(brief(count)).toEqual(['gpu-count-exceeds-node error']);
    expect(count[0].message).toContain('one pod requests 4 nvidia.com/gpu but the nodes it selects have 2 (nvidia.com/gpu.count=2)');
  });

  test('Karpenter: a100 is the 40 GB or the 80 GB part; the memory label picks one', async () => {
    const a100 = { nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'a100', 'karpenter.k8s.aws/instance-gpu-count': '8' } };
    // 65 GiB per GPU: over the 40 GB part, under the 80 GB one
    expect(brief(await findings([vllm(LLAMA_70B, 2, a100)]))).toEqual(['gpu-memory-fit warning']);
    const a100of40 = { nodeSelector: { ...a100.nodeSelector, 'karpenter.k8s.aws/instance-gpu-memory': '40960' } };
    expect(brief(await findings([vllm(LLAMA_70B, 2, a100of40)]))).toEqual(['gpu-memory-fit error']);
    expect(brief(await findings([vllm(LLAMA_70B, 4, a100of40)]))).toEqual([]);
  });

  test('a value the catalog lacks is a note naming it, and no verdict', async () => {
    const f = await findings([vllm(LLAMA_70B, 1, { nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-b200' } })]);
    expect(brief(f)).toEqual(['gpu-count-exceeds-node info']);
    expect(f[0].message).toContain("cloud.google.com/gke-accelerator=nvidia-b200 names no GPU of the tool's catalog");
  });

  test('an InferenceService selecting its GPU by GFD product is planned on it', async () => {
    const profile =
      '{"architecture":"MistralForCausalLM","headDim":128,"hiddenSize":5120,"intermediateSize":32768,"maxPositionEmbeddings":32768,"name":"mistral-small-24b-instruct-2501-fp8-dynamic","numAttentionHeads":32,"numKeyValueHeads":8,"numLayers":40,"qkvBias":false,"quantization":{"method":"compressed-tensors","weightBits":8,"zeroPoint":false,"label":"fp8 (compressed-tensors)"},"tieWordEmbeddings":false,"torchDtype":"bfloat16","vocabSize":131072,"weightSource":"computed"}';
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm-runtime', namespace: 'ai' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [
          {
            name: 'kserve-container',
            image: 'vllm/vllm-openai:v0.11.1',
            command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
            args: ['--model', '/mnt/models', '--port', '8080'],
          },
        ],
      },
    };
    const isvc = (product: string, annotations: Record<string, string> = {}) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'llm',
        namespace: 'ai',
        annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment', 'cdk8s-vllm.io/model-profile': profile, ...annotations },
      },
      spec: {
        predictor: {
          nodeSelector: { 'nvidia.com/gpu.product': product, 'nvidia.com/gpu.count': '1' },
          model: {
            modelFormat: { name: 'vLLM' },
            runtime: 'vllm-runtime',
            storageUri: 'pvc://models/m',
            resources: { requests: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
          },
        },
      },
    });
    const l4 = await findings([runtime, isvc('NVIDIA-L4')]);
    expect(brief(l4)).toEqual(['gpu-memory-fit error']);
    expect(l4[0].message).toMatch(
      /^oom_weights on 1 × L4: weights need 23.21 GiB per GPU .*\(nvidia.com\/gpu.product=NVIDIA-L4; the node's CPU and memory are not checked/,
    );
    expect(brief(await findings([runtime, isvc('NVIDIA-L40S')]))).toEqual([]);
    // an OpenShift AI hardware profile of scheduling type Node replaces the predictor's node selector
    const hardwareProfile = (nodeSelector: Record<string, string>) => ({
      apiVersion: 'infrastructure.opendatahub.io/v1',
      kind: 'HardwareProfile',
      metadata: { name: 'gpu-profile', namespace: 'redhat-ods-applications' },
      spec: { identifiers: [], scheduling: { type: 'Node', node: { nodeSelector } } },
    });
    const profiled = isvc('NVIDIA-L40S', {
      'opendatahub.io/hardware-profile-name': 'gpu-profile',
      'opendatahub.io/hardware-profile-namespace': 'redhat-ods-applications',
    });
    const onL4 = await findings([runtime, profiled, hardwareProfile({ 'nvidia.com/gpu.product': 'NVIDIA-L4', 'nvidia.com/gpu.count': '1' })]);
    expect(brief(onL4)).toEqual(['gpu-memory-fit error']);
    expect(onL4[0].message).toContain('(nvidia.com/gpu.product=NVIDIA-L4;');
    expect(brief(await findings([runtime, profiled, hardwareProfile({ 'nvidia.com/gpu.product': 'NVIDIA-L40S', 'nvidia.com/gpu.count': '1' })]))).toEqual([]);
  });

  test("an LLMInferenceService's pool on GPUs a label names is planned on them", async () => {
    const profile = ModelProfile.bundled('llama-3.1-70b-instruct').toAnnotation();
    const llm = (accelerator: string, tensor: number) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'llm', namespace: 'ai', annotations: { 'cdk8s-vllm.io/model-profile': profile } },
      spec: {
        model: { uri: 'pvc://models/llama', name: 'llama' },
        parallelism: { tensor },
        template: {
          nodeSelector: { 'cloud.google.com/gke-accelerator': accelerator, 'cloud.google.com/gke-accelerator-count': '8' },
          containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': String(tensor) } } }],
        },
      },
    });
    const l4 = await findings([llm('nvidia-l4', 1)]);
    expect(brief(l4)).toEqual(['gpu-memory-fit error']);
    expect(l4[0].message).toMatch(
      /^the pool: oom_weights on 1 × L4: .*\(cloud.google.com\/gke-accelerator=nvidia-l4; the node's CPU and memory are not checked/,
    );
    expect(brief(await findings([llm('nvidia-h100-80gb', 4)]))).toEqual([]);
  });
});
