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
