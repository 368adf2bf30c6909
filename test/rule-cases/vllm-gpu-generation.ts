import { Finding, ModelProfile, runChecks } from '../../lib';
import { vllmDeployment } from '../util';

const RULE = 'vllm-gpu-generation';

function findings(manifests: any[], models: Record<string, ModelProfile> = {}): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { models: new Map(Object.entries(models)), platform: 'rhoai-3.0', rules: [RULE] },
  );
}

/** A vLLM Deployment on one GPU whose nodes `nodeSelector` selects. */
function onNodes(nodeSelector: Record<string, string>, args: string[], image = 'vllm/vllm-openai:v0.10.1'): any {
  const d = vllmDeployment(image, args);
  d.spec.template.spec.nodeSelector = nodeSelector;
  d.spec.template.spec.containers[0].resources = { limits: { 'nvidia.com/gpu': '1' } };
  return d;
}

/** A Llama-3.2-1B-shaped config.json, its dtype as given. */
function llamaConfig(dtype: string): unknown {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: 2048,
    intermediate_size: 8192,
    num_attention_heads: 32,
    num_hidden_layers: 16,
    num_key_value_heads: 8,
    vocab_size: 128256,
    max_position_embeddings: 131072,
    torch_dtype: dtype,
  };
}

/** A ServingRuntime of `image` and an InferenceService of `uri` whose predictor selects GPU product `product`. */
function service(image: string, uri: string, product: string, args: string[] = []): any[] {
  return [
    {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [{ name: 'kserve-container', image, args: ['--port=8080', '--model=/mnt/models', ...args] }],
      },
    },
    {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: {
        predictor: {
          nodeSelector: { 'nvidia.com/gpu.product': product },
          model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: uri, resources: { limits: { 'nvidia.com/gpu': '1' } } },
        },
      },
    },
  ];
}

describe('vllm-gpu-generation', () => {
  test('a Marlin or FP8 --quantization on a GPU below compute capability 8.0 is an error naming the GPU and the kernel-free fix', () => {
    expect(
      findings([onNodes({ 'node.kubernetes.io/instance-type': 'g4dn.xlarge' }, ['--model', 'Qwen/Qwen2.5-7B-Instruct-AWQ', '--quantization', 'awq_marlin'])]),
    ).toEqual([
      expect.objectContaining({
        rule: RULE,
        severity: 'error',
        object: 'Deployment/ai/llm',
        message: expect.stringMatching(
          /--quantization awq_marlin, whose kernels need compute capability 8\.0 or more; T4 has 7\.5.*Minimum capability: 80\. Current capability: 75.*pass --quantization awq/,
        ),
      }),
    ]);
    expect(findings([onNodes({ 'nvidia.com/gpu.product': 'Tesla-T4' }, ['--model', 'org/m-GPTQ', '--quantization=gptq_marlin'])])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/gptq_marlin.*pass --quantization gptq/) }),
    ]);
    expect(findings([onNodes({ 'node.kubernetes.io/instance-type': 'p3.2xlarge' }, ['--model', 'org/m', '--quantization', 'fp8'])])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/--quantization fp8.*V100-16GB has 7\.0/) }),
    ]);
  });

  test('near misses: the kernel the GPU has, an Ampere or newer GPU, a GPU the tree does not name, a method from a variable', () => {
    const t4 = { 'node.kubernetes.io/instance-type': 'g4dn.xlarge' };
    expect(findings([onNodes(t4, ['--model', 'Qwen/Qwen2.5-7B-Instruct-AWQ', '--quantization', 'awq'])])).toEqual([]);
    expect(findings([onNodes({ 'node.kubernetes.io/instance-type': 'g6.xlarge' }, ['--model', 'org/m', '--quantization', 'fp8'])])).toEqual([]);
    expect(findings([onNodes({ 'nvidia.com/gpu.product': 'NVIDIA-A10G' }, ['--model', 'org/m', '--quantization', 'awq_marlin'])])).toEqual([]);
    expect(findings([onNodes({ role: 'gpu' }, ['--model', 'org/m', '--quantization', 'awq_marlin'])])).toEqual([]);
    expect(findings([onNodes(t4, ['--model', 'org/m', '--quantization', '$(QUANT)'])])).toEqual([]);
  });

  test('a selector admitting a T4 and an L4 is a warning naming the GPU it may start on', () => {
    const d = onNodes({}, ['--model', 'org/m', '--quantization', 'awq_marlin']);
    d.spec.template.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['Tesla-T4', 'NVIDIA-L4'] }] }],
        },
      },
    };
    expect(findings([d])).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/T4 .*It may start on L4/) })]);
  });

  test('--dtype bfloat16 before Ampere is refused by every vLLM; float16 is not', () => {
    const t4 = { 'nvidia.com/gpu.product': 'Tesla-T4' };
    expect(findings([onNodes(t4, ['--model', 'org/m', '--dtype', 'bfloat16'])])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/runs in bfloat16 \(--dtype bfloat16\); T4 has compute capability 7\.5.*pass --dtype float16/),
      }),
    ]);
    expect(findings([onNodes(t4, ['--model', 'org/m', '--dtype', 'half'])])).toEqual([]);
    expect(findings([onNodes({ 'nvidia.com/gpu.product': 'NVIDIA-L4' }, ['--model', 'org/m', '--dtype', 'bfloat16'])])).toEqual([]);
  });

  test('--dtype auto on a bfloat16 checkpoint: refused up to vLLM 0.8.4, a warning where the tag tells no version, nothing from 0.9.0 on', () => {
    const bf16 = { 's3://models/llama/': ModelProfile.fromConfig(llamaConfig('bfloat16'), { name: 'llama-1b' }) };
    expect(findings(service('vllm/vllm-openai:v0.8.4', 's3://models/llama/', 'Tesla-T4'), bf16)).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'InferenceService/ai/llm',
        message: expect.stringMatching(
          /--dtype auto on llama-1b, whose config.json says torch_dtype bfloat16; image vllm\/vllm-openai:v0\.8\.4 is vLLM 0\.8\.4\)/,
        ),
      }),
    ]);
    expect(findings(service('quay.io/modh/vllm:rhoai-2.20-cuda', 's3://models/llama/', 'Tesla-V100-SXM2-16GB'), bf16)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/assuming image quay\.io\/modh\/vllm:rhoai-2\.20-cuda holds vLLM 0\.8\.4 or older/),
      }),
    ]);
    expect(findings(service('vllm/vllm-openai:v0.9.0', 's3://models/llama/', 'Tesla-T4'), bf16)).toEqual([]);
    expect(findings(service('vllm/vllm-openai:latest', 's3://models/llama/', 'Tesla-T4'), bf16)).toEqual([]);
    expect(findings(service('vllm/vllm-openai:v0.8.4', 's3://models/llama/', 'Tesla-T4', ['--dtype=half']), bf16)).toEqual([]);
    const fp16 = { 's3://models/llama/': ModelProfile.fromConfig(llamaConfig('float16'), { name: 'llama-1b' }) };
    expect(findings(service('vllm/vllm-openai:v0.8.4', 's3://models/llama/', 'Tesla-T4'), fp16)).toEqual([]);
    // the checkpoint's dtype unknown (a fine-tune the bundled catalog lacks): nothing
    expect(findings(service('vllm/vllm-openai:v0.8.4', 'hf://example-org/Llama-3.2-1B-Instruct-tuned', 'Tesla-T4'))).toEqual([]);
    // the publisher's own id is in the bundled catalog, whose config.json says bfloat16: judged as a given profile is
    expect(findings(service('vllm/vllm-openai:v0.8.4', 'hf://meta-llama/Llama-3.2-1B-Instruct', 'Tesla-T4'))).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/--dtype auto on llama-3\.2-1b-instruct, whose config\.json says torch_dtype bfloat16/),
      }),
    ]);
  });

  test("a Deployment's --model naming a bundled profile's Hugging Face id: its config.json's dtype, as gpu-memory-fit plans it", () => {
    const t4 = { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' };
    expect(findings([onNodes(t4, ['--model', 'meta-llama/Llama-3.1-8B-Instruct'], 'vllm/vllm-openai:v0.8.4')])).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'Deployment/ai/llm',
        message: expect.stringMatching(
          /--dtype auto on meta-llama\/Llama-3\.1-8B-Instruct, whose config\.json says torch_dtype bfloat16; image vllm\/vllm-openai:v0\.8\.4 is vLLM 0\.8\.4\); T4 has compute capability 7\.5/,
        ),
      }),
    ]);
    // near misses: vLLM 0.9.0 falls back to float16; --dtype half; an id the catalog lacks tells no dtype
    expect(findings([onNodes(t4, ['--model', 'meta-llama/Llama-3.1-8B-Instruct'], 'vllm/vllm-openai:v0.9.0')])).toEqual([]);
    expect(findings([onNodes(t4, ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--dtype', 'half'], 'vllm/vllm-openai:v0.8.4')])).toEqual([]);
    expect(findings([onNodes(t4, ['--model', 'example-org/Llama-3.1-8B-Instruct-tuned'], 'vllm/vllm-openai:v0.8.4')])).toEqual([]);
  });

  /** A Karpenter NodePool of EKS Auto Mode, its instances limited by Auto Mode's own labels. */
  const autoPool = (name: string, requirements: { key: string; operator: string; values: string[] }[]) => ({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { template: { spec: { nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' }, requirements } } },
  });

  test("EKS Auto Mode: eks.amazonaws.com/instance-* requirements of the NodePool a pod selects by name resolve as Karpenter's own; Gemma 2 on a T4 is an error", () => {
    const t4 = autoPool('gpu', [
      { key: 'eks.amazonaws.com/instance-category', operator: 'In', values: ['g'] },
      { key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g4dn'] },
    ]);
    const gemma = onNodes({ 'karpenter.sh/nodepool': 'gpu' }, ['--model', 'google/gemma-2-2b-it'], 'vllm/vllm-openai:v0.8.3');
    expect(findings([t4, gemma])).toEqual([
      expect.objectContaining({
        rule: RULE,
        severity: 'error',
        object: 'Deployment/ai/llm',
        message: expect.stringMatching(
          /--dtype auto on google\/gemma-2-2b-it, google's own Gemma 2 checkpoint.*T4 has compute capability 7\.5.*use an Ampere or newer GPU.*\(nodes of g4dn\.xlarge, .*g4dn\.metal, T4\)/,
        ),
      }),
    ]);
    // a pool limited by GPU name alone: the GPU is read from its requirement
    const byName = autoPool('gpu', [{ key: 'eks.amazonaws.com/instance-gpu-name', operator: 'In', values: ['t4'] }]);
    expect(findings([byName, gemma])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/T4 has compute capability 7\.5/) }),
    ]);
    // the pod selects the GPU by Auto Mode's label itself
    expect(findings([onNodes({ 'eks.amazonaws.com/instance-gpu-name': 't4' }, ['--model', 'google/gemma-2-2b-it'], 'vllm/vllm-openai:v0.8.3')])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/T4 has compute capability 7\.5.*eks\.amazonaws\.com\/instance-gpu-name=t4/),
      }),
    ]);
  });

  test('near misses of EKS Auto Mode: L4 and A10G pools, a pool the pod does not select, a fine-tune of unknown dtype', () => {
    const gemma = (selector: Record<string, string>, model = 'google/gemma-2-2b-it') => onNodes(selector, ['--model', model], 'vllm/vllm-openai:v0.8.3');
    const l4 = autoPool('gpu', [{ key: 'eks.amazonaws.com/instance-gpu-name', operator: 'In', values: ['l4'] }]);
    const a10g = autoPool('gpu', [{ key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g5'] }]);
    const t4 = autoPool('t4', [{ key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g4dn'] }]);
    expect(findings([l4, gemma({ 'karpenter.sh/nodepool': 'gpu' })])).toEqual([]);
    expect(findings([a10g, gemma({ 'karpenter.sh/nodepool': 'gpu' })])).toEqual([]);
    expect(findings([t4, l4, gemma({ 'karpenter.sh/nodepool': 'gpu' })])).toEqual([]);
    // a pod narrowing a mixed family pool to its L4 sizes by Auto Mode's GPU label
    const mixed = autoPool('mixed', [{ key: 'eks.amazonaws.com/instance-family', operator: 'In', values: ['g4dn', 'g6'] }]);
    expect(findings([mixed, gemma({ 'karpenter.sh/nodepool': 'mixed', 'eks.amazonaws.com/instance-gpu-name': 'l4' })])).toEqual([]);
    expect(findings([t4, gemma({ 'karpenter.sh/nodepool': 't4' }, 'example-org/gemma-2-2b-it')])).toEqual([]);
  });

  /** A vLLM Deployment on one GPU that chooses no nodes (no selector, no affinity), as a README-described tree writes it. */
  const unplaced = (args: string[], image: string): any => {
    const d = vllmDeployment(image, args);
    d.spec.template.spec.containers[0].resources = { limits: { 'nvidia.com/gpu': '1' } };
    return d;
  };
  /** The README line of a tree that says which GPU it runs on. */
  const readme = (gpus: string[], text: string) => [{ file: 'README.md', line: 7, text, gpus }];
  const withProse = (manifests: any[], prose: ReturnType<typeof readme>) =>
    runChecks(
      manifests.map((manifest) => ({ manifest })),
      { models: new Map(), platform: 'rhoai-3.0', rules: [RULE], proseGpus: prose },
    );

  test('a README naming a T4 or a V100 (compute capability 7.x) for a bfloat16 checkpoint under a refusing vLLM: a warning naming the file and line', () => {
    const llama = unplaced(['--model', 'meta-llama/Llama-3.1-8B-Instruct'], 'vllm/vllm-openai:v0.8.4');
    for (const [gpu, capability] of [
      ['T4', '7.5'],
      ['V100', '7.0'],
    ])
      expect(withProse([llama], readme([gpu], `Tested on a single ${gpu}.`))).toEqual([
        expect.objectContaining({
          rule: RULE,
          severity: 'warning',
          message: expect.stringMatching(
            new RegExp(
              `has compute capability ${capability.replace('.', '\\.')} and no bfloat16.*README\\.md line 7: "Tested on a single ${gpu}\\."; a README says so`,
            ),
          ),
        }),
      ]);
  });

  test('near misses of a README: an Ampere GPU it names, a T4 among an A100, a vLLM that falls back to float16, a node selector of the tree', () => {
    const llama = (image = 'vllm/vllm-openai:v0.8.4') => unplaced(['--model', 'meta-llama/Llama-3.1-8B-Instruct'], image);
    expect(withProse([llama()], readme(['L4'], 'Tested on an L4.'))).toEqual([]);
    expect(withProse([llama()], readme(['T4', 'A100'], 'Runs on a T4 or an A100.'))).toEqual([]);
    expect(withProse([llama('vllm/vllm-openai:v0.9.0')], readme(['T4'], 'Tested on a T4.'))).toEqual([]);
    const placed = llama();
    placed.spec.template.spec.nodeSelector = { 'example.com/pool': 'inference' };
    expect(withProse([placed], readme(['T4'], 'Tested on a T4.'))).toEqual([]);
  });
});
