import { podWorkload, ruleFindings } from '../util';

/** Offline, vLLM reads a hub repository only from its cache: a cache on an emptyDir (or a created hostPath) nothing fills holds nothing. */
describe('hub-offline-cache-empty', () => {
  const RULE = 'hub-offline-cache-empty';
  type Env = { name: string; value: string }[];
  const OFFLINE: Env = [
    { name: 'HF_HUB_OFFLINE', value: '1' },
    { name: 'HF_HOME', value: '/cache/hf' },
  ];
  const vllm = (env: Env, extra: object = {}) => ({
    name: 'vllm',
    image: 'vllm/vllm-openai:v0.10.1',
    args: ['--model', 'org/chat-model'],
    env,
    volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
    ...extra,
  });
  const found = (pod: object, ...more: object[]) => ruleFindings(RULE, [podWorkload('llm', 'ai', pod), ...more]);
  const emptyDir = [{ name: 'cache', emptyDir: {} }];

  test('an emptyDir cache nothing fills: an error naming the cache, the volume and the fix', () => {
    expect(found({ containers: [vllm(OFFLINE)], volumes: emptyDir })).toEqual([
      "error Deployment/ai/llm: container 'vllm' serves the hub repository org/chat-model with HF_HUB_OFFLINE set, so huggingface_hub may not download it, " +
        "and its hub cache /cache/hf/hub (HF_HOME=/cache/hf) lies on the emptyDir volume 'cache' (mounted at /cache), which starts empty in every new pod and which no init container or other container of the pod mounts to fill: " +
        'vLLM finds no snapshot there and exits at start (LocalEntryNotFoundError: "cannot find the requested files in the local cache"); ' +
        'fill the cache before the server starts (an init container running `hf download org/chat-model` into it, a PersistentVolumeClaim filled by a Job), or unset HF_HUB_OFFLINE',
    ]);
  });

  test('TRANSFORMERS_OFFLINE and --download-dir, which vLLM passes as the cache', () => {
    const env = [{ name: 'TRANSFORMERS_OFFLINE', value: '1' }];
    expect(found({ containers: [vllm(env, { args: ['--model', 'org/chat-model', '--download-dir', '/cache/weights'] })], volumes: emptyDir })).toEqual([
      expect.stringMatching(/^error .*with TRANSFORMERS_OFFLINE set, .*hub cache \/cache\/weights \(--download-dir \/cache\/weights\)/),
    ]);
  });

  test('a hostPath of type DirectoryOrCreate: a warning, the node folder may have been filled outside the tree', () => {
    const volumes = [{ name: 'cache', hostPath: { path: '/var/lib/hf', type: 'DirectoryOrCreate' } }];
    expect(found({ containers: [vllm(OFFLINE)], volumes })).toEqual([
      expect.stringMatching(
        /^warning .*the hostPath volume 'cache' \(\/var\/lib\/hf, type DirectoryOrCreate\).*, unless the folder was filled on every node outside the tree;/,
      ),
    ]);
  });

  test.each([
    [
      'a PersistentVolumeClaim (it may be pre-filled)',
      { containers: [vllm(OFFLINE)], volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'hf' } }] },
    ],
    [
      'an init container that mounts the volume (it downloads)',
      {
        initContainers: [
          { name: 'fetch', image: 'python:3.12', command: ['hf', 'download', 'org/chat-model'], volumeMounts: [{ name: 'cache', mountPath: '/cache' }] },
        ],
        containers: [vllm(OFFLINE)],
        volumes: emptyDir,
      },
    ],
    ['online (HF_HUB_OFFLINE=0)', { containers: [vllm([{ name: 'HF_HUB_OFFLINE', value: '0' }, OFFLINE[1]])], volumes: emptyDir }],
    ['a model given as a path', { containers: [vllm(OFFLINE, { args: ['--model', '/cache/models/chat'] })], volumes: emptyDir }],
    [
      'the server downloads first itself',
      { containers: [vllm(OFFLINE, { command: ['sh', '-c'], args: ['hf download org/chat-model && vllm serve org/chat-model'] })], volumes: emptyDir },
    ],
    [
      'a hostPath of type Directory (it must exist, filled)',
      { containers: [vllm(OFFLINE)], volumes: [{ name: 'cache', hostPath: { path: '/var/lib/hf', type: 'Directory' } }] },
    ],
  ])('near miss, %s: silent', (_, pod) => {
    expect(found(pod)).toEqual([]);
  });

  test('near miss: another workload of the tree mounts the same host folder (a DaemonSet that fills it)', () => {
    const volumes = [{ name: 'cache', hostPath: { path: '/var/lib/hf', type: 'DirectoryOrCreate' } }];
    const filler = podWorkload(
      'prefetch',
      'ai',
      {
        containers: [{ name: 'fetch', image: 'python:3.12', command: ['sleep', 'infinity'], volumeMounts: [{ name: 'c', mountPath: '/c' }] }],
        volumes: [{ name: 'c', hostPath: { path: '/var/lib/hf' } }],
      },
      'DaemonSet',
    );
    expect(found({ containers: [vllm(OFFLINE)], volumes }, filler)).toEqual([]);
  });
});
