import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

interface Finding {
  readonly severity: string;
  readonly message: string;
}

/** A Secret of the tree holding the given token value. */
const tokenSecret = (value: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'hub-token', namespace: 'ai' },
  type: 'Opaque',
  stringData: { token: value },
});

const fromSecret = (name: string, secret = 'hub-token') => ({ name, valueFrom: { secretKeyRef: { name: secret, key: 'token' } } });

/** A Deployment starting vLLM on a model with the given env and volume mounts. */
function server(model: string, env: object[], mounts: object[] = []): unknown {
  const volumes = mounts.length ? { volumes: [{ name: 'cache', emptyDir: {} }] } : {};
  return podWorkload('chat', 'ai', {
    containers: [
      {
        name: 'vllm',
        image: 'vllm/vllm-openai:v0.10.1',
        args: ['--model', model],
        env,
        volumeMounts: mounts,
        resources: { limits: { 'nvidia.com/gpu': '1' } },
      },
    ],
    ...volumes,
  });
}

async function findings(objects: unknown[]): Promise<Finding[]> {
  const dir = writeTree('hf-token-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'hf-token-unreachable');
}

const PUBLIC = 'Qwen/Qwen2.5-0.5B-Instruct';

describe('hf-token-unreachable: a placeholder token sent with the download', () => {
  test('a Secret of the tree holding a placeholder, read as HUGGING_FACE_HUB_TOKEN for a public model, is an error naming the Secret', async () => {
    const [f, ...rest] = await findings([server(PUBLIC, [fromSecret('HUGGING_FACE_HUB_TOKEN')]), tokenSecret('your-hf-token-here')]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.message).toContain("Secret hub-token, which holds the placeholder 'your-hf-token-here'");
    expect(f.message).toContain('401');
  });

  test('a literal placeholder or a bare vendor prefix in HF_TOKEN is an error', async () => {
    expect((await findings([server(PUBLIC, [{ name: 'HF_TOKEN', value: 'changeme' }])])).map((f) => f.severity)).toEqual(['error']);
    expect((await findings([server(PUBLIC, [{ name: 'HF_TOKEN', value: 'hf_xxx' }])])).map((f) => f.severity)).toEqual(['error']);
  });

  test('a gated model with a placeholder Secret is an error naming it (it was read as a token before)', async () => {
    const [f] = await findings([server('meta-llama/Llama-3.1-8B-Instruct', [fromSecret('HF_TOKEN')]), tokenSecret('REPLACE_ME')]);
    expect(f.severity).toBe('error');
    expect(f.message).toContain("'REPLACE_ME'");
  });

  test('an empty HF_TOKEN is skipped: a placeholder HUGGING_FACE_HUB_TOKEN behind it is sent', async () => {
    const env = [{ name: 'HF_TOKEN', value: '' }, fromSecret('HUGGING_FACE_HUB_TOKEN')];
    expect((await findings([server(PUBLIC, env), tokenSecret('<your-token>')])).map((f) => f.severity)).toEqual(['error']);
  });

  test('a cache volume that may hold the weights makes it a warning that says so', async () => {
    const [f] = await findings([server(PUBLIC, [fromSecret('HF_TOKEN')], [{ name: 'cache', mountPath: '/root/.cache/huggingface' }]), tokenSecret('changeme')]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('unless the volume at /root/.cache/huggingface already holds the weights');
  });

  test('near misses: an empty token on a public model, a real-looking one, HF_TOKEN read first, offline, a local path', async () => {
    expect(await findings([server(PUBLIC, [fromSecret('HF_TOKEN')]), tokenSecret('')])).toEqual([]);
    expect(await findings([server(PUBLIC, [fromSecret('HF_TOKEN')]), tokenSecret('hf_' + 'Ab3dE'.repeat(7))])).toEqual([]);
    // HF_TOKEN from a Secret outside the tree is read before the placeholder
    const both = [fromSecret('HF_TOKEN', 'made-by-hand'), fromSecret('HUGGING_FACE_HUB_TOKEN')];
    expect(await findings([server(PUBLIC, both), tokenSecret('changeme')])).toEqual([]);
    const offline = [fromSecret('HF_TOKEN'), { name: 'HF_HUB_OFFLINE', value: '1' }];
    expect(await findings([server(PUBLIC, offline), tokenSecret('changeme')])).toEqual([]);
    expect(await findings([server('/models/qwen', [fromSecret('HF_TOKEN')]), tokenSecret('changeme')])).toEqual([]);
  });

  test('a gated model with an empty token is still an error; a public one with none is nothing', async () => {
    expect((await findings([server('google/gemma-2-2b-it', [fromSecret('HF_TOKEN')]), tokenSecret('')])).map((f) => f.severity)).toEqual(['error']);
    expect(await findings([server(PUBLIC, [])])).toEqual([]);
  });
});

describe('hf-token-unreachable: an InferenceService whose runtime serves a hub id on its command line', () => {
  const runtime = (args: string[], env: object[] = []) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'chat-runtime', namespace: 'ai' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1', command: ['vllm', 'serve'], args, env }],
    },
  });
  const service = (model: object = {}) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'chat', namespace: 'ai', annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'chat-runtime', ...model } } },
  });
  const GEMMA = ['google/gemma-2-2b', '--port', '8080'];

  test('a gated model as the positional argument of `vllm serve`, no storage location, no token: an error on the service', async () => {
    expect(await findings([runtime(GEMMA), service()])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message:
          "container 'kserve-container' (ServingRuntime chat-runtime's, merged with the service's): vLLM downloads google/gemma-2-2b, a gated Hugging Face model, with no token (neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN is set): the Hub answers 401 (GatedRepoError) and vLLM stops at start; set HF_TOKEN from a Secret (valueFrom.secretKeyRef) of an account that accepted the model's licence",
      }),
    ]);
    // meta-llama/* is gated as well; the service's own args are merged after the runtime's
    expect((await findings([runtime(['--port', '8080']), service({ args: ['meta-llama/Llama-3.2-1B-Instruct'] })])).map((f) => f.severity)).toEqual(['error']);
  });

  test("near misses: a token on the runtime's or the service's env, a public model, offline, a storage location (the initializer's case)", async () => {
    expect(await findings([runtime(GEMMA, [fromSecret('HF_TOKEN')]), tokenSecret('hf_real0token0value0abcdefghij'), service()])).toEqual([]);
    expect(await findings([runtime(GEMMA), tokenSecret('hf_real0token0value0abcdefghij'), service({ env: [fromSecret('HF_TOKEN')] })])).toEqual([]);
    expect(await findings([runtime([PUBLIC]), service()])).toEqual([]);
    expect(await findings([runtime(GEMMA, [{ name: 'HF_HUB_OFFLINE', value: '1' }]), service()])).toEqual([]);
    expect(await findings([runtime(['--model=/mnt/models']), service({ storageUri: 'pvc://models/gemma' })])).toEqual([]);
  });
});
