import { ruleFound, severityMessages } from '../util';

type Doc = Record<string, unknown>;
const findings = (container: Doc) =>
  severityMessages(
    ruleFound(
      'command-typographic-quote',
      [
        {
          manifest: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'w', namespace: 'ai' },
            spec: { template: { spec: { containers: [{ name: 'c', image: 'vllm/vllm-openai:v0.10.1', ...container }] } } },
          },
        },
      ],
      { platform: 'kserve', alone: true },
    ),
  );

describe('command-typographic-quote', () => {
  test('the program between typographic quotes: an error naming the exec that fails', () => {
    expect(findings({ command: ['“/bin/bash”'], args: ['-c', 'vllm serve Qwen/Qwen3-0.6B'] })).toEqual([
      [
        'error',
        'container \'c\': command[0] “/bin/bash” is written between typographic quotes, which YAML keeps as characters of the string: the kubelet execs a file named “/bin/bash”, which does not exist, and the container fails to start (StartError); write "/bin/bash" with straight quotes or none',
      ],
    ]);
  });

  test("an option or a path given to the image's entrypoint: an error; other text: a warning", () => {
    expect(findings({ args: ['‘--model’', 'Qwen/Qwen3-0.6B'] })).toEqual([
      ['error', expect.stringContaining('the program receives ‘--model’ with the quotes')],
    ]);
    expect(findings({ command: ['/bin/sh', '-c', 'echo $0', '“hello”'] })).toEqual([['warning', expect.stringContaining('command[3] “hello”')]]);
  });

  test('near misses: straight quotes, and a typographic quote inside a word (a script that prints it)', () => {
    expect(findings({ command: ['/bin/sh', '-c'], args: ['echo “ready” && vllm serve Qwen/Qwen3-0.6B'] })).toEqual([]);
    expect(findings({ args: ['--model', 'Qwen/Qwen3-0.6B'] })).toEqual([]);
  });
});

describe('command-typographic-quote: a URL-valued value ending with a stray quote', () => {
  const found = (manifest: Doc) =>
    severityMessages(ruleFound('command-typographic-quote', [{ manifest }], { platform: 'kserve', alone: true })).map(
      ([severity, message]) => `${severity} ${message}`,
    );
  const run = (url: string) => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'build', namespace: 'ci' },
    spec: {
      pipelineRef: { name: 'image-build' },
      params: [
        { name: 'repo-url', value: url },
        { name: 'revision', value: "main'" },
      ],
    },
  });
  const app = (repoURL: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'lab', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL, path: 'deploy', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'lab' },
    },
  });

  test('a PipelineRun param and an Argo CD repoURL: errors naming the field, the value and the quote', () => {
    expect(found(run('https://git.example.com/lab/app.git"'))).toEqual([
      `error spec.params param 'repo-url' 'https://git.example.com/lab/app.git"' ends with a stray ", which YAML keeps as a character of the string (an unbalanced quote: only a quote that opens the scalar is read as one): the URL used is another one, and the clone or download fails; remove the ", or quote the whole value`,
    ]);
    expect(found(app("git@git.example.com:lab/app.git'"))).toEqual([
      expect.stringMatching(/^error spec\.source\.repoURL 'git@git\.example\.com:lab\/app\.git'' ends with a stray '/),
    ]);
  });

  test('an env value of a URL: an error (the program reading it gets another URL)', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w', namespace: 'ai' },
      spec: {
        template: {
          spec: { containers: [{ name: 'c', image: 'vllm/vllm-openai:v0.10.1', env: [{ name: 'UPSTREAM', value: 'http://api.lab.svc:8000/v1"' }] }] },
        },
      },
    };
    expect(found(deployment)).toEqual([
      `error container 'c' env UPSTREAM 'http://api.lab.svc:8000/v1"' ends with a stray ", which YAML keeps as a character of the string (an unbalanced quote: only a quote that opens the scalar is read as one): ` +
        `the program reading it gets another URL, whose host, port or path does not parse or is not the one meant; remove the ", or quote the whole value`,
    ]);
  });

  const source = (url: string) => ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'models', namespace: 'flux-system' },
    spec: { interval: '1h', url, ref: { branch: 'main' } },
  });

  test("a Flux GitRepository's url, and a URL that begins with a quote nothing closes: errors saying which end", () => {
    expect(found(source("https://git.example.com/lab/models.git'"))).toEqual([
      expect.stringMatching(/^error spec\.url 'https:\/\/git\.example\.com\/lab\/models\.git'' ends with a stray ', .*the clone or download fails/),
    ]);
    expect(found(run('"https://git.example.com/lab/app.git'))).toEqual([
      expect.stringMatching(/^error spec\.params param 'repo-url' '"https:\/\/git\.example\.com\/lab\/app\.git' begins with a stray ", /),
    ]);
  });

  test.each([
    ['a balanced quote pair inside the URL', source("https://search.example.com/q?filter='gpu'")],
    ['a URL quoted whole inside the value (a JSON string)', run('"https://git.example.com/lab/app.git"')],
    ['a quote that opens no URL', run("'main")],
  ])('near miss, %s: silent', (_, manifest) => {
    expect(found(manifest)).toEqual([]);
  });

  test.each([
    ['a URL with no quote', run('https://git.example.com/lab/app.git')],
    ['an Application repoURL quoted whole', app('https://git.example.com/lab/app.git')],
    ['a quote ending a value that is no URL', run('main')],
  ])('near miss, %s: silent', (_, manifest) => {
    expect(found(manifest)).toEqual([]);
  });
});
