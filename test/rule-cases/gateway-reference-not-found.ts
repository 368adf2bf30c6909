import { cliInProcess, writeTree } from '../util';

/**
 * Cases of gateway-reference-not-found on a folder as the CLI reads it: a README that has the reader deploy a backend
 * apart from the folder, and the object the message names instead (only a close spelling).
 */
const pool = (name: string) =>
  [
    'apiVersion: inference.networking.k8s.io/v1',
    'kind: InferencePool',
    'metadata:',
    `  name: ${name}`,
    '  namespace: ai',
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  targetPorts:',
    '    - number: 8000',
    '  endpointPickerRef:',
    `    name: ${name}-epp`,
    '    port:',
    '      number: 9002',
  ].join('\n');
const route = (to: string) =>
  [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata:',
    '  name: chat',
    '  namespace: ai',
    'spec:',
    '  rules:',
    '    - backendRefs:',
    '        - group: inference.networking.k8s.io',
    '          kind: InferencePool',
    `          name: ${to}`,
  ].join('\n');

/** The gateway-reference-not-found findings of a folder holding one file of the Qwen pool and the route, and the README given. */
async function found(to: string, readme?: string): Promise<[string, string][]> {
  const dir = writeTree('gateway-reference-', {
    'routing/all.yaml': `${pool('qwen-chat')}\n---\n${route(to)}\n`,
    ...(readme ? { 'routing/README.md': readme } : {}),
  });
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'gateway-reference-not-found')
    .map((f) => [f.severity, f.message]);
}

const SEPARATELY = [
  '# Two models behind one route',
  '',
  'The route sends chat requests to two InferencePools. `all.yaml` deploys the Qwen pool.',
  '',
  '> This folder does not deploy the Granite backend (the vLLM server for Granite-3.1-8B-Instruct).',
  '> Deploy it separately, following the serving guide, before you send requests.',
  '',
].join('\n');

describe('gateway-reference-not-found: a backend the README has deployed apart from the folder', () => {
  test('the README says the Granite server is deployed separately and names it by its words: a warning quoting it, no other pool offered (it was an error offering the Qwen pool)', async () => {
    expect(await found('vllm-granite-3-1-8b-instruct', SEPARATELY)).toEqual([
      [
        'warning',
        expect.stringMatching(
          /names InferencePool 'vllm-granite-3-1-8b-instruct'.*README\.md of routing\/ \(line 5: 'This folder does not deploy the Granite backend \(the vLLM server for Granite-3\.1-8B-Instruct\)\.'\) has it made apart from the tree/,
        ),
      ],
    ]);
    expect((await found('vllm-granite-3-1-8b-instruct', SEPARATELY))[0][1]).not.toMatch(/qwen-chat/);
  });

  test('a Prerequisites section that names the pool: a warning', async () => {
    const prerequisites =
      '# Routing\n\n## Prerequisites\n\n- the InferencePool `granite-pool`, from the model-serving chart\n\n## Deploy\n\nkubectl apply -f all.yaml\n';
    expect(await found('granite-pool', prerequisites)).toEqual([
      ['warning', expect.stringMatching(/line 5: '- the InferencePool `granite-pool`, from the model-serving chart'/)],
    ]);
  });

  test('near miss: a README that has another model deployed separately leaves the error, and names no pool of another model', async () => {
    const other = SEPARATELY.replace(/Granite-3\.1-8B-Instruct/g, 'Llama-3.1-8B-Instruct').replace('Granite backend', 'Llama backend');
    expect(await found('vllm-granite-3-1-8b-instruct', other)).toEqual([
      [
        'error',
        expect.stringMatching(
          /holds the InferencePools there \(qwen-chat\).*name the InferencePool it means \(none of the tree's is a close spelling of 'vllm-granite-3-1-8b-instruct', so none is taken for it\)/,
        ),
      ],
    ]);
  });
});

describe('gateway-reference-not-found: the pool the message names instead', () => {
  test('a close spelling of the name written: an error naming it', async () => {
    expect(await found('qwen-caht')).toEqual([
      ['error', expect.stringMatching(/name 'qwen-chat' \(a close spelling of it\), or add InferencePool 'qwen-caht'/)],
    ]);
  });

  test("near miss: the only pool of the folder, under another model's name, is not offered (it was, as the nearest)", async () => {
    const [[severity, message]] = await found('mistral-7b');
    expect(severity).toBe('error');
    expect(message).not.toMatch(/name 'qwen-chat'/);
    expect(message).toMatch(/name the InferencePool it means/);
  });
});
