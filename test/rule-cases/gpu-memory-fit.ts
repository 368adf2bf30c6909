import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;

/** A Deployment that starts vLLM's server on `gpus` GPUs of an instance type, with the command line's words. */
const deployment = (name: string, instanceType: string, args: string[], gpus = 1): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        nodeSelector: { 'node.kubernetes.io/instance-type': instanceType },
        containers: [
          {
            name: 'server',
            image: 'vllm/vllm-openai:v0.11.1',
            command: ['vllm', 'serve'],
            args,
            resources: { limits: { 'nvidia.com/gpu': String(gpus) } },
          },
        ],
      },
    },
  },
});

const runtime: Doc = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm-runtime', namespace: 'ai' },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.11.1', args: ['--port=8080', '--model=/mnt/models'] }],
  },
};

/** An InferenceService on the vLLM runtime above, its model at `storageUri`, on one GPU of `instanceType`. */
const service = (storageUri: string, instanceType: string, args: string[] = []): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'llm', namespace: 'ai', annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
  spec: {
    predictor: {
      nodeSelector: { 'node.kubernetes.io/instance-type': instanceType },
      model: {
        modelFormat: { name: 'vLLM' },
        runtime: 'vllm-runtime',
        storageUri,
        args,
        resources: { requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' }, limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' } },
      },
    },
  },
});

const findings = (docs: Doc[], rules = ['gpu-memory-fit']) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules },
  ).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message }));

describe('gpu-memory-fit on a model the bundled catalog holds', () => {
  test('Gemma-2-9B-it in BF16 on one L4 at max-model-len 8192: the full plan (17.2 GiB of weights, 2.4 GiB of activations for a 256000-token vocabulary) leaves no room for one sequence', () => {
    const fires = findings([deployment('gemma', 'g6.xlarge', ['google/gemma-2-9b-it', '--max-model-len', '8192'])]);
    expect(fires).toEqual([
      {
        rule: 'gpu-memory-fit',
        severity: 'error',
        message: expect.stringMatching(/^container 'server': google\/gemma-2-9b-it \(bundled profile gemma-2-9b-it\): kv_too_small on 1 × L4 \(g6\.xlarge\)/),
      },
    ]);
    // before the catalog, the weights its name spells (9B at 16 bits, 16.8 GiB) fit the L4's 22.04 GiB: nothing was said
    expect(fires[0].message).toMatch(/fewer than one sequence of max-model-len 8192 needs \(2\.30 GiB\)/);
    // on an L40S (44.39 GiB) the same command line starts with room for 8 sequences of 8192 tokens
    expect(findings([deployment('gemma', 'g6e.xlarge', ['google/gemma-2-9b-it', '--max-model-len', '8192'])])).toEqual([]);
  });

  test("Gemma 2's sliding-window layers are half of its layers: one 8192-token sequence needs 2.30 GiB, not the 2.63 GiB of all-global layers nor the 1.97 of all-sliding", () => {
    const message = findings([deployment('gemma', 'g6.xlarge', ['google/gemma-2-9b-it', '--max-model-len', '8192'])])[0].message;
    expect(message).toContain('(2.30 GiB)');
  });

  test('the id is matched case-insensitively, and a path that spells it whole counts; a name without its organisation stays unknown', () => {
    expect(findings([deployment('gemma', 'g6.xlarge', ['GOOGLE/Gemma-2-9B-IT', '--max-model-len', '8192'])]).map((f) => f.severity)).toEqual(['error']);
    expect(findings([deployment('gemma', 'g6.xlarge', ['/models/google/gemma-2-9b-it', '--max-model-len', '8192'])]).map((f) => f.severity)).toEqual(['error']);
    // no organisation: the size its name spells is judged (9B at 16 bits fits an L4's memory), no plan
    expect(findings([deployment('gemma', 'g6.xlarge', ['/models/gemma-2-9b-it', '--max-model-len', '8192'])])).toEqual([]);
  });

  test('a 32B AWQ checkpoint on one L4 at 0.99 and 8192 tokens: not catalogued, so its name is weighed (16 GB at 4 bits fits); its plan would fit too', () => {
    // Qwen2.5-32B-Instruct-AWQ's own config.json was not verified, so it is not bundled. Its plan from the 32B config
    // with AWQ 4-bit group-128 weights: 18.01 GiB of weights, 1.41 GiB of activations, 0.14 non-torch within the
    // 21.82 GiB budget leave 2.26 GiB of KV cache, 9232 tokens ≥ 8192 (margin +0.26 GiB). What fails upstream at 0.99
    // is outside the budget (CUDA graphs captured in the 1 % left), which the planner does not model: nothing is said.
    expect(
      findings([deployment('qwen-32b', 'g6.xlarge', ['Qwen/Qwen2.5-32B-Instruct-AWQ', '--gpu-memory-utilization', '0.99', '--max-model-len', '8192'])]),
    ).toEqual([]);
  });

  test('a plan that fails within the calibrated margin (5 % of the GPU) is a warning that says so', () => {
    // Gemma-2-9B on one L4 at max-model-len 1024: 0.10 GiB of KV cache against 0.33 GiB needed, 0.23 GiB short (1 %)
    expect(findings([deployment('gemma', 'g6.xlarge', ['google/gemma-2-9b-it', '--max-model-len', '1024'])])).toEqual([
      {
        rule: 'gpu-memory-fit',
        severity: 'warning',
        message: expect.stringMatching(/within the planner's calibrated margin \(5 % of the GPU's memory\): it may still start/),
      },
    ]);
  });

  test('settings vLLM refuses on any GPU leave the weights its name spells to judge', () => {
    // max-model-len above Gemma 2's 8192 positions: vLLM refuses before loading; 9B at 16 bits fits an L4
    expect(findings([deployment('gemma', 'g6.xlarge', ['google/gemma-2-9b-it', '--max-model-len', '16384'])])).toEqual([]);
  });
});

describe('an InferenceService whose storage URI names a catalogued Hugging Face id', () => {
  test('hf://Qwen/Qwen2.5-7B-Instruct on an A10G is judged instead of "model unknown": it fits its derived 32768 tokens', () => {
    expect(findings([runtime, service('hf://Qwen/Qwen2.5-7B-Instruct', 'g5.xlarge')], ['gpu-memory-fit', 'vllm-startup-refused'])).toEqual([]);
    expect(
      findings([runtime, service('hf://Qwen/Qwen2.5-7B-Instruct', 'g5.xlarge', ['--max-model-len=32768'])], ['gpu-memory-fit', 'vllm-startup-refused']),
    ).toEqual([]);
  });

  test('one token past the length Qwen2.5-7B-Instruct derives (32768) is refused on any hardware', () => {
    expect(
      findings([runtime, service('hf://Qwen/Qwen2.5-7B-Instruct', 'g5.xlarge', ['--max-model-len=32769'])], ['gpu-memory-fit', 'vllm-startup-refused']),
    ).toEqual([{ rule: 'vllm-startup-refused', severity: 'error', message: expect.stringContaining('32769') }]);
  });

  test('its KV cache is judged too: at --gpu-memory-utilization 0.7 the A10G leaves nothing for it', () => {
    expect(findings([runtime, service('hf://Qwen/Qwen2.5-7B-Instruct', 'g5.xlarge', ['--gpu-memory-utilization=0.7'])])).toEqual([
      { rule: 'gpu-memory-fit', severity: 'error', message: expect.stringMatching(/^no_kv_memory on 1 × A10G \(g5\.xlarge\)/) },
    ]);
  });

  test('a name the catalog lacks stays "model unknown", a note', () => {
    expect(findings([runtime, service('hf://example-org/Qwen2.5-7B-Instruct-finetuned', 'g5.xlarge')])).toEqual([
      {
        rule: 'gpu-memory-fit',
        severity: 'info',
        message: expect.stringMatching(/^the model at hf:\/\/example-org\/Qwen2\.5-7B-Instruct-finetuned is unknown/),
      },
    ]);
  });
});

describe('gpu-memory-fit on a MIG slice: the model is judged against the slice, not the whole GPU', () => {
  /** A vLLM server of Mistral-7B (BF16, about 14.5 GB of weights) asking for `resources`, its nodes selected by `nodeSelector`. */
  const onSlice = (name: string, resources: Record<string, string>, nodeSelector: Record<string, string> = {}): Doc => {
    const d = deployment(name, 'unused', ['mistralai/Mistral-7B-Instruct-v0.3', '--max-model-len', '4096']) as any;
    d.spec.template.spec.nodeSelector = nodeSelector;
    d.spec.template.spec.containers[0].resources = { limits: resources };
    return d;
  };
  const partedConfig = (profile: string): Doc => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'mig-layouts', namespace: 'gpu-operator' },
    data: {
      'config.yaml': `version: v1\nmig-configs:\n  inference-slices:\n    - devices: all\n      mig-enabled: true\n      mig-devices:\n        "${profile}": 2\n`,
    },
  });
  const policy = (strategy: string): Doc => ({
    apiVersion: 'nvidia.com/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'gpu-cluster-policy' },
    spec: { mig: { strategy } },
  });

  test('nvidia.com/mig-1g.10gb (mixed strategy), or nvidia.com/gpu on nodes cut into 1g.10gb (single): an error naming the slice, with no tensor-parallel advice', () => {
    const mixed = findings([onSlice('mixed', { 'nvidia.com/mig-1g.10gb': '1' })]);
    expect(mixed).toEqual([
      expect.objectContaining({
        rule: 'gpu-memory-fit',
        severity: 'error',
        message: expect.stringMatching(
          /oom_weights on 1 × GPU MIG 1g\.10gb: weights need 13\.51 GiB per GPU .* 10\.00 GiB .*\(resource nvidia\.com\/mig-1g\.10gb;/,
        ),
      }),
    ]);
    expect(mixed[0].message).not.toMatch(/tensor-parallel-size/);
    // the whole GPU a product label names lends the slice its name
    expect(findings([onSlice('product', { 'nvidia.com/mig-1g.10gb': '1' }, { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' })])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/H100-80GB MIG 1g\.10gb/) }),
    ]);
    expect(findings([onSlice('single', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/mig.config': 'all-1g.10gb' })])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/GPU MIG 1g\.10gb.*nvidia\.com\/mig\.config=all-1g\.10gb \(every GPU cut into 1g\.10gb/),
      }),
    ]);
    // a mig-parted config of the tree that cuts every GPU into one profile, under the single strategy the tree states
    const parted = findings([
      partedConfig('1g.10gb'),
      policy('single'),
      onSlice('parted', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/mig.config': 'inference-slices' }),
    ]);
    expect(parted).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/GPU MIG 1g\.10gb.*mig\.config=inference-slices/) })]);
  });

  test('near misses: a 3g.40gb slice holds the model; a mixed strategy leaves nvidia.com/gpu whole; a config of several profiles says no one slice', () => {
    expect(findings([onSlice('mixed', { 'nvidia.com/mig-3g.40gb': '1' })])).toEqual([]);
    expect(findings([onSlice('single', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/mig.config': 'all-3g.40gb' })])).toEqual([]);
    expect(findings([partedConfig('3g.40gb'), onSlice('parted', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/mig.config': 'inference-slices' })])).toEqual([]);
    expect(findings([policy('mixed'), onSlice('strategy', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/mig.config': 'all-1g.10gb' })])).toEqual([]);
    expect(findings([onSlice('balanced', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/mig.config': 'all-balanced' })])).toEqual([]);
  });
});

describe('gpu-memory-fit names a model the command line gives, where the service has no storage location', () => {
  const servingRuntime = (command: string[], args: string[]): Doc => ({
    ...runtime,
    spec: { ...(runtime.spec as Doc), containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.11.1', command, args }] },
  });
  const bare = (): Doc => {
    const s = service('', 'g5.xlarge');
    const predictor = (s.spec as { predictor: { model: Doc } }).predictor;
    delete predictor.model.storageUri;
    return s;
  };

  test('the positional model of `vllm serve`, or --model: named with where it comes from, and the one way to tell its profile', () => {
    const hint =
      "has no bundled profile, so its GPU fit is not checked; record the profile on the object (annotation cdk8s-vllm.io/model-profile) from the folder of a download of the repository, e.g. 'huggingface-cli download acme-labs/tiny-chat-3b config.json model.safetensors.index.json --local-dir <folder>'";
    expect(findings([servingRuntime(['vllm', 'serve'], ['acme-labs/tiny-chat-3b', '--port', '8080']), bare()])).toEqual([
      {
        rule: 'gpu-memory-fit',
        severity: 'info',
        message: `the model 'acme-labs/tiny-chat-3b' that its vLLM command line serves (the positional argument of \`vllm serve\`; the service has no storage location) ${hint}`,
      },
    ]);
    expect(findings([servingRuntime(['python', '-m', 'vllm.entrypoints.openai.api_server'], ['--model', 'acme-labs/tiny-chat-3b']), bare()])).toEqual([
      {
        rule: 'gpu-memory-fit',
        severity: 'info',
        message: `the model 'acme-labs/tiny-chat-3b' that its vLLM command line serves (--model; the service has no storage location) ${hint}`,
      },
    ]);
  });

  test('no storage location and no model on the command line: the storage-key wording stays', () => {
    const [f] = findings([servingRuntime(['vllm', 'serve'], ['--port', '8080']), bare()]);
    expect(f.message).toMatch(/^the model at \(no storage location\) is unknown/);
  });
});
