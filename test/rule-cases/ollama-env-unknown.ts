import { appTemplateTree } from '../setup/app-template-release';
import { podWorkload, ruleFindings, severityObjectMessages, treeRuleFound } from '../util';

/** An OLLAMA_* variable the Ollama server does not read is ignored: a warning naming what Ollama reads instead. */
describe('ollama-env-unknown', () => {
  const RULE = 'ollama-env-unknown';
  const ollama = (env: { name: string; value: string }[], image = 'ollama/ollama:0.6.5', extra: object = {}) =>
    podWorkload('chat', 'ai', { containers: [{ name: 'ollama', image, env, ...extra }] });
  const found = (...docs: object[]) => ruleFindings(RULE, docs);
  const release = (chart: string, values: object) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'llm', namespace: 'ai' },
    spec: { chart: { spec: { chart, sourceRef: { kind: 'HelmRepository', name: 'charts' } } }, values },
  });

  test('a model option written as a variable: a warning naming the option and the server variable for it', () => {
    expect(found(ollama([{ name: 'OLLAMA_NUM_CTX', value: '8192' }]))).toEqual([
      "warning Deployment/ai/chat: container 'ollama' sets env OLLAMA_NUM_CTX, a variable no Ollama release reads (envconfig/config.go): Ollama ignores it; " +
        "num_ctx is a model option, read from a request's options or a Modelfile's PARAMETER, never from the server's environment: the server-wide default is OLLAMA_CONTEXT_LENGTH; remove it, or set what Ollama reads",
    ]);
    expect(found(ollama([{ name: 'OLLAMA_NUM_GPU', value: '99' }]))).toEqual([
      expect.stringMatching(/sets env OLLAMA_NUM_GPU, .*num_gpu is a model option, .*never from the server's environment; remove it/),
    ]);
  });

  test('a misspelt name: the nearest variable Ollama reads', () => {
    expect(found(ollama([{ name: 'OLLAMA_FLASH_ATTENTON', value: '1' }]))).toEqual([
      expect.stringMatching(
        /^warning .*sets env OLLAMA_FLASH_ATTENTON, a variable no Ollama release reads .*the nearest variable Ollama reads is OLLAMA_FLASH_ATTENTION;/,
      ),
    ]);
  });

  test("a name the image's release no longer reads, or does not read yet: a warning naming the releases that do", () => {
    expect(found(ollama([{ name: 'OLLAMA_RUNNERS_DIR', value: '/runners' }]))).toEqual([
      "warning Deployment/ai/chat: container 'ollama' sets env OLLAMA_RUNNERS_DIR, which Ollama 0.6.5 (the image ollama/ollama:0.6.5) no longer reads (Ollama 0.1.33 to 0.3.10 read it): the setting has no effect; remove it, or run a release that reads it",
    ]);
    expect(found(ollama([{ name: 'OLLAMA_CONTEXT_LENGTH', value: '8192' }], 'ollama/ollama:0.5.7'))).toEqual([
      expect.stringMatching(/sets env OLLAMA_CONTEXT_LENGTH, which Ollama 0\.5\.7 .*does not read yet \(from Ollama 0\.5\.13\)/),
    ]);
  });

  test("the ollama chart's extraEnv and app-template's env (map or list) of an Ollama container", () => {
    expect(found(release('ollama', { extraEnv: [{ name: 'OLLAMA_NUM_CTX', value: '4096' }] }))).toEqual([
      expect.stringMatching(/^warning HelmRelease\/ai\/llm: values extraEnv sets env OLLAMA_NUM_CTX, .*OLLAMA_CONTEXT_LENGTH/),
    ]);
    const container = (env: unknown, repository = 'ollama/ollama') => ({
      controllers: { main: { containers: { server: { image: { repository, tag: '0.12.3' }, env } } } },
    });
    expect(found(release('app-template', container([{ name: 'OLLAMA_KEEPALIVE', value: '1h' }])))).toEqual([
      expect.stringMatching(/^warning HelmRelease\/ai\/llm: values controllers\.main\.containers\.server\.env sets env OLLAMA_KEEPALIVE, .*OLLAMA_KEEP_ALIVE/),
    ]);
    expect(found(release('app-template', container({ OLLAMA_NUM_CTX: '4096' })))).toHaveLength(1);
    expect(found(release('app-template', container({ OLLAMA_NUM_CTX: '4096' }, 'ghcr.io/open-webui/open-webui')))).toEqual([]);
  });

  test.each([
    ['a variable the release reads', ollama([{ name: 'OLLAMA_CONTEXT_LENGTH', value: '8192' }])],
    ['a retired name on an image whose tag names no release', ollama([{ name: 'OLLAMA_RUNNERS_DIR', value: '/r' }], 'ollama/ollama:latest')],
    ['a name of another prefix', ollama([{ name: 'NUM_CTX', value: '8192' }])],
    [
      'a container that runs no Ollama',
      podWorkload('ui', 'ai', {
        containers: [{ name: 'ui', image: 'ghcr.io/open-webui/open-webui:0.6.5', env: [{ name: 'OLLAMA_BASE_URL', value: 'http://ollama:11434' }] }],
      }),
    ],
  ])('near miss, %s: silent', (_, doc) => {
    expect(found(doc)).toEqual([]);
  });
});

describe('ollama-env-unknown: OLLAMA_LLM_LIBRARY naming a library folder the image lacks', () => {
  const lib = (value: string, image: string) =>
    ruleFindings('ollama-env-unknown', [podWorkload('chat', 'ai', { containers: [{ name: 'ollama', image, env: [{ name: 'OLLAMA_LLM_LIBRARY', value }] }] })]);

  test('a folder the 0.30+ image does not ship (rocm, renamed rocm_v7_2; cuda_v11, dropped): a warning, the server runs on the CPU', () => {
    expect(lib('rocm', 'ollama/ollama:0.30.1-rocm')).toEqual([
      "warning Deployment/ai/chat: container 'ollama' sets OLLAMA_LLM_LIBRARY=rocm, but ollama/ollama:0.30.1-rocm ships no GPU library folder of that name (its folders: rocm_v7_2): " +
        "Ollama's GPU discovery keeps only the folder OLLAMA_LLM_LIBRARY names and skips every other, so it finds no GPU and runs models on the CPU; set one of rocm_v7_2, or unset it to let Ollama choose",
    ]);
    expect(lib('cuda_v11', 'ollama/ollama:0.31.0')).toEqual([
      expect.stringMatching(/^warning .*OLLAMA_LLM_LIBRARY=cuda_v11, .*\(its folders: cuda_v12, cuda_v13, vulkan, cuda_jetpack5, cuda_jetpack6\)/),
    ]);
  });

  test.each([
    ['a folder the image ships', 'cuda_v12', 'ollama/ollama:0.30.1'],
    ['an MLX library (not filtered by name)', 'mlx_cuda_v13', 'ollama/ollama:0.30.1'],
    ['a release before 0.30 (other folders, other discovery)', 'rocm', 'ollama/ollama:0.12.3-rocm'],
    ['a tag naming no release', 'cuda_v11', 'ollama/ollama:latest'],
  ])('near miss, %s: silent', (_, value, image) => {
    expect(lib(value, image)).toEqual([]);
  });
});

describe('ollama-env-unknown: the Deployment of an app-template release, rendered from its values', () => {
  const values = (name: string) =>
    `controllers:\n  ollama:\n    containers:\n      app:\n        image: {repository: docker.io/ollama/ollama, tag: 0.12.3}\n        env:\n          ${name}: "8192"\n`;

  test('env OLLAMA_NUM_CTX: a warning on the rendered Deployment (not on the release too), naming the release', async () => {
    const found = await treeRuleFound('ollama-env-unknown', 'app-template-env-', appTemplateTree('ollama', 'ai', '4.1.1', values('OLLAMA_NUM_CTX')));
    expect(severityObjectMessages(found)).toEqual([
      [
        'warning',
        'Deployment/ai/ollama',
        "container 'app' sets env OLLAMA_NUM_CTX, a variable no Ollama release reads (envconfig/config.go): Ollama ignores it; num_ctx is a model option, read from a request's options or a Modelfile's PARAMETER, never from the server's environment: the server-wide default is OLLAMA_CONTEXT_LENGTH; remove it, or set what Ollama reads (Deployment/ai/ollama as rendered from the app-template 4.1.1 values of HelmRelease ai/ollama)",
      ],
    ]);
  });

  test('near miss: OLLAMA_CONTEXT_LENGTH, which Ollama reads', async () => {
    expect(await treeRuleFound('ollama-env-unknown', 'app-template-env-', appTemplateTree('ollama', 'ai', '4.1.1', values('OLLAMA_CONTEXT_LENGTH')))).toEqual(
      [],
    );
  });
});
