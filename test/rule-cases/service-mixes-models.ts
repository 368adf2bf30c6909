import { cliInProcess, writeTree } from '../util';

/** A Deployment in namespace llm whose pods carry app: vllm and their own track label, running `args` on `image`. */
const deployment = (name: string, args: string[], image = 'vllm/vllm-openai:v0.10.1') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: llm\nspec:\n  selector:\n    matchLabels: {app: vllm, track: ${name}}\n` +
  `  template:\n    metadata:\n      labels: {app: vllm, track: ${name}}\n    spec:\n      containers:\n        - name: server\n          image: ${image}\n` +
  `          args: ${JSON.stringify(args)}\n          ports:\n            - containerPort: 8000\n`;
const service = (selector: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: vllm\n  namespace: llm\nspec:\n  selector: {${selector}}\n  ports:\n    - port: 8000\n      targetPort: 8000\n`;
const kustomization = 'resources:\n  - a.yaml\n  - b.yaml\n  - service.yaml\n';

/** The service-mixes-models findings of a tree, as [severity, message]. */
async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('service-mixes-models-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'service-mixes-models')
    .map((f) => [f.severity, f.message]);
}

describe('service-mixes-models: one Service over the pods of two different servers', () => {
  const tiny = deployment('tiny', ['--model', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0']);
  test('two models in one build: an error naming both workloads, what each serves, and the label that joins them', async () => {
    const f = await found({
      'kustomization.yaml': kustomization,
      'a.yaml': tiny,
      'b.yaml': deployment('big', ['--model', 'meta-llama/Llama-3.1-8B-Instruct']),
      'service.yaml': service('app: vllm'),
    });
    expect(f).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.selector app=vllm matches the pods of Deployment\/llm\/tiny \(serving 'TinyLlama\/TinyLlama-1\.1B-Chat-v1\.0'\) and of Deployment\/llm\/big \(serving 'meta-llama\/Llama-3\.1-8B-Instruct'\); the Service spreads requests over both/,
        ),
      ],
    ]);
  });

  test('one model under two served names, and a model beside another program, are errors too', async () => {
    const named = (n: string) => deployment(n, ['--model', 'Qwen/Qwen3-8B', '--served-model-name', n]);
    expect(
      (await found({ 'kustomization.yaml': kustomization, 'a.yaml': named('chat'), 'b.yaml': named('qwen'), 'service.yaml': service('app: vllm') })).map(
        (x) => x[0],
      ),
    ).toEqual(['error']);
    const sim = deployment('sim', ['--model', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0'], 'ghcr.io/llm-d/llm-d-inference-sim:v0.3.0');
    const f = await found({ 'kustomization.yaml': kustomization, 'a.yaml': tiny, 'b.yaml': sim, 'service.yaml': service('app: vllm') });
    expect(f).toEqual([['error', expect.stringContaining('running ghcr.io/llm-d/llm-d-inference-sim:v0.3.0, not vLLM')]]);
  });

  test('loose files nothing applies together may be alternatives: a warning saying so', async () => {
    const f = await found({
      'a.yaml': tiny,
      'b.yaml': deployment('big', ['--model', 'meta-llama/Llama-3.1-8B-Instruct']),
      'service.yaml': service('app: vllm'),
    });
    expect(f).toEqual([['warning', expect.stringContaining('nothing in the tree applies both (they may be alternatives)')]]);
  });

  test('near misses: a canary of one model, a selector that picks one, two copies of one Deployment, a model from a variable', async () => {
    const canary = deployment('canary', ['--model', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', '--max-num-seqs', '64']);
    expect(await found({ 'kustomization.yaml': kustomization, 'a.yaml': tiny, 'b.yaml': canary, 'service.yaml': service('app: vllm') })).toEqual([]);
    const big = deployment('big', ['--model', 'meta-llama/Llama-3.1-8B-Instruct']);
    expect(await found({ 'kustomization.yaml': kustomization, 'a.yaml': tiny, 'b.yaml': big, 'service.yaml': service('app: vllm, track: big') })).toEqual([]);
    const gpu = deployment('vllm', ['--model', 'Qwen/Qwen2.5-0.5B-Instruct']);
    const cpu = deployment('vllm', ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--served-model-name', 'qwen'], 'vllm/vllm-openai-cpu:v0.10.1');
    expect(await found({ 'a.yaml': gpu, 'b.yaml': cpu, 'service.yaml': service('app: vllm') })).toEqual([]);
    const fromEnv = deployment('env', ['--model', '$(MODEL_ID)']);
    expect(await found({ 'kustomization.yaml': kustomization, 'a.yaml': tiny, 'b.yaml': fromEnv, 'service.yaml': service('app: vllm') })).toEqual([]);
  });
});
