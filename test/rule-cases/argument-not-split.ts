import { cliInProcess, ruleFound, severityMessages, writeTree } from '../util';

type Container = Record<string, unknown>;

const deployment = (container: Container) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', namespace: 'ai' },
  spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'main', ...container }] } } },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'argument-not-split',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const TKN = 'gcr.io/tekton-releases/dogfooding/tkn:v0.38.0';

describe('argument-not-split', () => {
  test('a short option and its value in one element of the command', () => {
    expect(findings(deployment({ image: TKN, command: ['tkn', 'pipelinerun', 'delete', 'run-1', '-n mlops'] }))).toEqual([
      [
        'error',
        `container 'main' command element "-n mlops" is one argument: the kubelet runs the exec form without a shell, so nothing splits it and the program reads -n with the value ' mlops' (a leading space) or an unknown option; write two elements "-n", "mlops" (or "-n=mlops")`,
      ],
    ]);
  });

  test("a long option of vLLM's server in the args of its image: argparse takes it for a positional argument", () => {
    expect(findings(deployment({ image: 'vllm/vllm-openai:v0.10.1', args: ['--model', '/mnt/models', '--max-model-len 4096'] }))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'main' args element "--max-model-len 4096" is one argument: .*argparse reads a word with a space as a positional argument/,
        ),
      ],
    ]);
  });

  test('after a vLLM switch the joined word is no value: argparse reads it as a positional and vLLM exits; after a flag that takes a value it is that value', () => {
    const vllm = (args: string[]) => deployment({ image: 'vllm/vllm-openai:v0.11.0', command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'], args });
    expect(findings(vllm(['--model=$(MODEL_ID)', '--enable-chunked-prefill', '--quantization bitsandbytes']))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'main' args element "--quantization bitsandbytes" is one argument: .*vLLM's argparse sees one word '--quantization bitsandbytes' \(argparse reads a word with a space as a positional argument.*"unrecognized arguments".*write two elements "--quantization", "bitsandbytes"/,
        ),
      ],
    ]);
    // underscores and the --no- form of a switch take no word either
    expect(findings(vllm(['--trust_remote_code', '--dtype half'])).map(([severity]) => severity)).toEqual(['error']);
    expect(findings(vllm(['--no-enable-prefix-caching', '--dtype half'])).map(([severity]) => severity)).toEqual(['error']);
    // --served-model-name takes the next word as its value, whatever it holds
    expect(findings(vllm(['--served-model-name', '--dtype half']))).toEqual([]);
  });

  test('a shell line continuation copied into exec-form args: the fix drops the backslash, which no shell reads here', () => {
    const vllm = (args: string[]) => deployment({ image: 'vllm/vllm-openai:v0.11.0', command: ['vllm', 'serve', 'zai-org/GLM-4.7'], args });
    expect(findings(vllm(['--enable-auto-tool-choice \\', '--tool-call-parser glm47 \\', '--port=8000']))).toEqual([
      [
        'error',
        expect.stringMatching(
          /element "--enable-auto-tool-choice \\" is one argument: .*the trailing '\\' is a shell's line continuation, which no shell reads here: drop it and write "--enable-auto-tool-choice"$/,
        ),
      ],
      [
        'error',
        expect.stringMatching(
          /element "--tool-call-parser glm47 \\" is one argument: .*drop it, and write two elements "--tool-call-parser", "glm47" \(or "--tool-call-parser=glm47"\)$/,
        ),
      ],
    ]);
    // near miss: a backslash inside the value is the value's, and the fix keeps it
    expect(findings(vllm(['--chat-template C:\\templates\\chat.jinja']))).toEqual([
      ['error', expect.stringMatching(/write two elements "--chat-template", "C:\\templates\\chat\.jinja"/)],
    ]);
  });

  test("TGI's launcher parses with clap, which takes no `--` word as an option's value: an error after any option", () => {
    const tgi = (args: string[]) => deployment({ image: 'ghcr.io/huggingface/text-generation-inference:3.3.4', command: ['text-generation-launcher'], args });
    expect(findings(tgi(['--max-input-length', '--quantize bitsandbytes'])).map(([severity]) => severity)).toEqual(['error']);
    // another program keeps the benefit of the doubt after a bare option
    expect(findings(deployment({ image: TKN, command: ['tkn', 'pipelinerun', 'logs', '--prefix', '-n mlops'] }))).toEqual([]);
  });

  test('no command and an entrypoint not known: a warning, since a script entrypoint may split the words again', () => {
    expect(findings(deployment({ image: 'quay.io/example/tool:1.0', args: ['--namespace mlops'] }))).toEqual([
      ['warning', expect.stringMatching(/unless the image's entrypoint \(not known here\) is a script that splits its arguments again/)],
    ]);
  });

  test.each<[string, Container]>([
    ['split elements', { image: TKN, command: ['tkn', 'pipelinerun', 'delete', 'run-1', '-n', 'mlops'] }],
    ['a value with spaces after =', { image: TKN, command: ['tkn', 'pipelinerun', 'list', '--label=app=a b'] }],
    ['a JSON value after its option', { image: 'vllm/vllm-openai:v0.10.1', args: ['--override-generation-config', '{"temperature": 0.7, "top_p": 0.9}'] }],
    ['an option line handed to an option as its value', { image: 'quay.io/example/runner:1', command: ['runner', '--extra-args', '--foo 1'] }],
    ['sh -c with the options in the script', { image: 'registry.access.redhat.com/ubi9/ubi:9.4', command: ['sh', '-c', 'oc get pods -n mlops'] }],
    ['bash -ec, the script in args', { image: 'registry.access.redhat.com/ubi9/ubi:9.4', command: ['/bin/bash', '-ec'], args: ['oc delete job x -n mlops'] }],
    ['a shell running a script file with its words', { image: 'registry.access.redhat.com/ubi9/ubi:9.4', command: ['bash', '/scripts/run.sh', '-n mlops'] }],
    ['a negative number and a dash list item', { image: 'quay.io/example/tool:1', command: ['tool', '-1 2', '- item'] }],
    ['a sentence that starts with no dash', { image: 'quay.io/example/tool:1', command: ['echo', 'hello -n world'] }],
  ])('%s: no finding', (_name, container) => {
    expect(findings(deployment(container))).toEqual([]);
  });

  test('the kubelet expands $(VAR) in place: the element stays one word', () => {
    const container = { image: TKN, command: ['tkn', 'pipelinerun', 'list', '-n $(NS)'], env: [{ name: 'NS', value: 'mlops' }] };
    expect(findings(deployment(container))).toEqual([['error', expect.stringMatching(/element "-n mlops" is one argument/)]]);
  });

  test("an LLMInferenceService container without a command: KServe's config evals its args, which splits them", () => {
    const llm = (container: Container) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: { model: { uri: 'hf://org/m' }, template: { containers: [{ name: 'main', ...container }] } },
    });
    expect(findings(llm({ args: ['--max-model-len 4096'] }))).toEqual([]);
    expect(findings(llm({ command: ['vllm', 'serve', '/mnt/models', '--max-model-len 4096'] }))).toEqual([
      ['error', expect.stringMatching(/"--max-model-len 4096"/)],
    ]);
  });

  test('the pod templates of a RayCluster that keeps its commands as written are judged, each named by where it is written', () => {
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'r', namespace: 'ai', annotations: { 'ray.io/overwrite-container-cmd': 'true' } },
      spec: {
        headGroupSpec: {
          template: { spec: { containers: [{ name: 'head', image: 'rayproject/ray:2.9.0', command: ['ray', 'start', '--port 6379', '--head'] }] } },
        },
        workerGroupSpecs: [],
      },
    };
    expect(findings(ray)).toEqual([['error', expect.stringMatching(/^spec.headGroupSpec.template container 'head' command element "--port 6379"/)]]);
  });

  test("an InferenceService's model args are judged once, on the service's own words", () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'm', namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', args: ['--dtype half'] } } },
    };
    expect(findings(isvc)).toEqual([['warning', expect.stringMatching(/^spec.predictor.model args element "--dtype half"/)]]);
  });

  describe("an InferenceService's model args with its runtime in the tree", () => {
    const runtime = (command: string[], args: string[] = []) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [{ name: 'kserve-container', image: 'quay.io/example/vllm:1', command, args }],
      },
    });
    const isvc = (model: Container) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'm', namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', ...model } } },
    });

    test("the runtime's exec-form command runs them: an error, reported on the service's word only", () => {
      const rt = runtime(['python', '-m', 'vllm.entrypoints.openai.api_server'], ['--port=8080', '--model=/mnt/models']);
      expect(findings(rt, isvc({ args: ['--load-format instanttensor'], image: 'quay.io/example/custom-vllm:2' }))).toEqual([
        [
          'error',
          expect.stringMatching(
            /^spec.predictor.model args element "--load-format instanttensor" is one argument: .*positional argument.*\); write two elements "--load-format", "instanttensor"/,
          ),
        ],
      ]);
    });

    test('the value of a bare option the runtime ends its args with is not judged', () => {
      expect(findings(runtime(['python', '-m', 'vllm.entrypoints.openai.api_server'], ['--override-generation-config']), isvc({ args: ['--x 1'] }))).toEqual(
        [],
      );
    });

    test("a runtime that runs a shell script, or a service with its own command: the runtime's command does not decide", () => {
      expect(findings(runtime(['/bin/bash', '-c', 'exec vllm serve /mnt/models $@', '--']), isvc({ args: ['--dtype half'] }))).toEqual([]);
      expect(
        findings(
          runtime(['python', '-m', 'vllm.entrypoints.openai.api_server']),
          isvc({ command: ['sh', '-c', 'vllm serve /mnt/models'], args: ['--dtype half'] }),
        ),
      ).toEqual([]);
    });
  });

  describe('an option or path with blanks around it', () => {
    test('the script python3 opens, with a trailing blank: an error (CPython opens the name as written); its padded options: warnings', () => {
      expect(findings(deployment({ image: 'python:3.11', command: ['python3'], args: ['/download.py ', '--repo ', 'org/model', ' -t', '/mnt/m'] }))).toEqual([
        [
          'error',
          `container 'main' args element "/download.py " has blanks around it: the kubelet runs the exec form without a shell, so nothing trims them and the file '/download.py ', with its blanks, is not found and the container fails; write "/download.py"`,
        ],
        ['warning', expect.stringMatching(/^container 'main' args element " -t" has blanks around it: .*; write "-t"$/)],
        [
          'warning',
          expect.stringMatching(/^container 'main' args element "--repo " has blanks around it: .*no parser knows the option '--repo '.*; write "--repo"$/),
        ],
      ]);
    });

    test("an option of vLLM's server with a trailing blank: an error (argparse reads it as a positional)", () => {
      expect(findings(deployment({ image: 'vllm/vllm-openai:v0.10.1', args: ['--model', '/mnt/models', '--max-model-len ', '4096'] }))).toEqual([
        ['error', expect.stringMatching(/^container 'main' args element "--max-model-len " has blanks around it: .*argparse, vLLM's among them/)],
      ]);
    });

    test('the program itself padded: an error; a padded path given as a value: a warning', () => {
      expect(findings(deployment({ image: 'quay.io/example/tool:1.0', command: ['/usr/local/bin/run.sh '] })).map(([s]) => s)).toEqual(['error']);
      expect(findings(deployment({ image: 'python:3.11', command: ['python3', '/app/main.py', '--out', '/data/out '] })).map(([s]) => s)).toEqual(['warning']);
    });

    test.each<[string, Container]>([
      ['no blanks', { image: 'python:3.11', command: ['python3', '/download.py', '--repo', 'org/model'] }],
      ['a value with a trailing blank that is neither option nor path', { image: 'python:3.11', command: ['python3', '/download.py', '--repo', 'org/model '] }],
      ['a shell script', { image: 'python:3.11', command: ['sh', '-c', 'python3 /download.py '] }],
      ['python -c code', { image: 'python:3.11', command: ['python3', '-c', 'import os '] }],
    ])('silent: %s', (_, container) => {
      expect(findings(deployment(container))).toEqual([]);
    });

    test('blanks after a plain YAML scalar are not part of it (YAML 1.2 plain scalars end at the last non-blank): silent; quoted, they are kept', async () => {
      const job = (args: string) =>
        [
          'apiVersion: batch/v1',
          'kind: Job',
          'metadata: {name: fetch, namespace: ml}',
          'spec:',
          '  template:',
          '    spec:',
          '      restartPolicy: Never',
          '      containers:',
          '        - name: fetch',
          '          image: python:3.11',
          '          command: [python3]',
          '          args:',
          args,
          '',
        ].join('\n');
      const rule = async (dir: string) =>
        (JSON.parse((await cliInProcess(['check', dir, '--json', '--platform', 'kserve'])).out) as { findings: { rule: string; severity: string }[] }).findings
          .filter((f) => f.rule === 'argument-not-split')
          .map((f) => f.severity);
      expect(
        await rule(writeTree('plain-blanks', { 'job.yaml': job('            - /download.py   \n            - --repo  \n            - org/model') })),
      ).toEqual([]);
      expect(
        await rule(writeTree('quoted-blanks', { 'job.yaml': job('            - "/download.py "\n            - --repo\n            - org/model') })),
      ).toEqual(['error']);
    });
  });
});

describe("argument-not-split on an LLMInferenceService's merged main container", () => {
  const service = (args: string[], baseRefs: string[] = []) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name: 'qwen', namespace: 'ai' },
    spec: {
      model: { uri: 'hf://Qwen/Qwen3-0.6B', name: 'Qwen/Qwen3-0.6B' },
      ...(baseRefs.length ? { baseRefs: baseRefs.map((name) => ({ name })) } : {}),
      template: { containers: [{ name: 'main', args }] },
    },
  });
  const config = (command: string[]) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceServiceConfig',
    metadata: { name: 'plain-vllm', namespace: 'ai' },
    spec: { template: { containers: [{ name: 'main', image: 'vllm/vllm-openai:v0.10.1', command }] } },
  });

  test('args under a baseRef of the tree whose command runs vLLM without a shell: an error on the args element of the service', () => {
    expect(findings(service(['--load-format safetensors'], ['plain-vllm']), config(['vllm', 'serve', '/mnt/models']))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.template container 'main' args element "--load-format safetensors" is one argument: .*argparse reads a word with a space as a positional argument/,
        ),
      ],
    ]);
  });

  test("a baseRef whose command is a shell script, or the shipped presets' (their script evals the args): silent", () => {
    expect(findings(service(['--load-format safetensors'], ['plain-vllm']), config(['/bin/bash', '-c', 'eval "vllm serve /mnt/models $@"', '--']))).toEqual([]);
    expect(findings(service(['--load-format safetensors']))).toEqual([]);
  });
  describe('KubeRay runs the Ray container of each group through bash unless told not to', () => {
    const rayCluster = (head: Container, workerCommand: string[], annotations?: Record<string, string>) => ({
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'rc', namespace: 'ai', ...(annotations ? { annotations } : {}) },
      spec: {
        headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.9.0', ...head }] } } },
        workerGroupSpecs: [
          {
            groupName: 'gpu',
            rayStartParams: {},
            template: {
              spec: {
                containers: [
                  { name: 'ray-worker', image: 'rayproject/ray:2.9.0', command: workerCommand },
                  { name: 'sidecar', image: TKN, command: ['tkn', 'version', '-n mlops'] },
                ],
              },
            },
          },
        ],
      },
    });

    test('a whole command line in the head or worker Ray container is what the shell runs before ray start: not judged', () => {
      expect(findings(rayCluster({ command: ['echo 123'] }, ['python -c "print(1)"']))).toEqual([
        ['error', expect.stringMatching(/^spec\.workerGroupSpecs\[0\]\.template container 'sidecar' command element "-n mlops" is one argument/)],
      ]);
      const job = {
        apiVersion: 'ray.io/v1',
        kind: 'RayJob',
        metadata: { name: 'j', namespace: 'ai' },
        spec: { entrypoint: 'python x.py', rayClusterSpec: rayCluster({ args: ['--foo 1'] }, []).spec },
      };
      expect(findings(job).filter(([, m]) => /ray-head/.test(m))).toEqual([]);
    });

    test('with ray.io/overwrite-container-cmd "true", or a line that already runs ray start, the kubelet runs it as written', () => {
      const overwritten = findings(rayCluster({ command: ['echo 123'] }, ['ray', 'start', '--block'], { 'ray.io/overwrite-container-cmd': 'true' }));
      expect(overwritten.map(([, m]) => m.split(' element')[0])).toEqual([
        "spec.headGroupSpec.template container 'ray-head' command",
        "spec.workerGroupSpecs[0].template container 'sidecar' command",
      ]);
      const started = findings(rayCluster({ command: ['ray start --head', '--port 6379'] }, []));
      expect(started.filter(([, m]) => /ray-head/.test(m)).length).toBeGreaterThan(0);
    });
  });
});

describe('argument-not-split: exec probes and lifecycle hooks', () => {
  const GRAPH_DB = 'neo4j:5.11';
  const execProbe = (command: string[]) => ({ exec: { command }, periodSeconds: 5 });

  test('fires: a liveness probe whose one element is a shell line with ||, with the sh -c fix', () => {
    expect(findings(deployment({ image: GRAPH_DB, livenessProbe: execProbe(['curl -fsS http://localhost:7474 || exit 1']) }))).toEqual([
      [
        'error',
        `container 'main' livenessProbe.exec.command element "curl -fsS http://localhost:7474 || exit 1" is a whole command line in one element: the runtime execs it without a shell, finds no executable named "curl -fsS http://localhost:7474 || exit 1", and the liveness probe fails every time, so the kubelet restarts the container over and over; run it through a shell: ["sh", "-c", "curl -fsS http://localhost:7474 || exit 1"]`,
      ],
    ]);
  });

  test('fires: readiness and startup probes, postStart and preStop hooks, an init container; plain words are split in the fix', () => {
    const found = findings(
      deployment({
        image: GRAPH_DB,
        readinessProbe: execProbe(['cat /tmp/ready']),
        startupProbe: execProbe(['pg_isready -h localhost', '-q']),
        lifecycle: { postStart: { exec: { command: ['touch /tmp/started'] } }, preStop: { exec: { command: ['nginx -s quit'] } } },
      }),
    );
    expect(found.map(([severity, message]) => [severity, message.split(' element ')[0]])).toEqual([
      ['error', "container 'main' lifecycle.postStart.exec.command"],
      ['error', "container 'main' lifecycle.preStop.exec.command"],
      ['error', "container 'main' readinessProbe.exec.command"],
      ['error', "container 'main' startupProbe.exec.command"],
    ]);
    expect(found[2][1]).toContain('the pod is never Ready');
    expect(found[2][1]).toContain('write each word as its own element ("cat", "/tmp/ready")');
    expect(found[0][1]).toContain('FailedPostStartHook');
    const init = deployment({ image: GRAPH_DB });
    const spec = (init.spec.template as { spec: Record<string, unknown> }).spec;
    spec.initContainers = [{ name: 'wait', image: 'busybox:1.36', command: ['sleep', '1'], startupProbe: execProbe(['test -f /done']) }];
    expect(findings(init).map(([, m]) => m.split(' element ')[0])).toEqual(["init container 'wait' startupProbe.exec.command"]);
  });

  test('near misses: a probe through sh -c, a probe written word by word, one word with no blank, httpGet and tcpSocket probes', () => {
    expect(
      findings(
        deployment({
          image: GRAPH_DB,
          livenessProbe: execProbe(['sh', '-c', 'wget -q --spider localhost:7474 || exit 1']),
          readinessProbe: execProbe(['cat', '/tmp/ready']),
          startupProbe: execProbe(['/bin/healthcheck']),
          lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } }, postStart: { exec: { command: ['/bin/sh', '-c', 'echo up > /tmp/up'] } } },
        }),
        deployment({ image: GRAPH_DB, livenessProbe: { tcpSocket: { port: 7687 } }, readinessProbe: { httpGet: { path: '/', port: 7474 } } }),
      ),
    ).toEqual([]);
  });
});
