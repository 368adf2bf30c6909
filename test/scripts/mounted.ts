import { runChecks } from '../../lib';
import { buildCommandLine, containerPieces } from '../../lib/check/command-line';
import { MountedFile, withMountedFiles } from '../../lib/check/mounted-files';
import { VllmArgs } from '../../lib/check/vllm-args';
import { vllmListenPort } from '../../lib/check/vllm-port';

type Doc = Record<string, any>;

/** A container whose ConfigMap files are the given texts at their paths (executable unless said). */
function lineOf(container: Doc, files: Record<string, string>, executable = true) {
  const reader = (path: string): MountedFile | undefined =>
    files[path] === undefined ? undefined : { path, text: files[path], from: `ConfigMap 'scripts' key ${path.split('/').pop()}`, executable };
  return withMountedFiles(
    (c) => (c === container ? reader : undefined),
    () => buildCommandLine(containerPieces(container, "container 'vllm'")),
  );
}

const argsOf = (container: Doc, files: Record<string, string>, executable = true) => VllmArgs.of(lineOf(container, files, executable).words);
const port = (args: VllmArgs) => vllmListenPort(args, { port: 8000, from: 'the default' })?.port;

const START = `#!/bin/bash
set -euo pipefail
# the chat model on two GPUs
exec vllm serve meta-llama/Llama-3.1-8B-Instruct \\
  --port 8080 \\
  --tensor-parallel-size 2 \\
  --max-model-len 8192
`;

describe('a vLLM command line read from a script a ConfigMap shows the container', () => {
  test('bash and the path, the path alone when executable, and a file run from a sh -c string', () => {
    const files = { '/scripts/start.sh': START };
    for (const command of [
      ['/bin/bash', '/scripts/start.sh'],
      ['/scripts/start.sh'],
      ['sh', '-c', 'exec bash /scripts/start.sh'],
      ['sh', '-c', '/scripts/start.sh'],
    ]) {
      const args = argsOf({ name: 'vllm', image: 'img:1', command }, files);
      expect({ command, invoked: args.invoked, model: args.model(), port: port(args), tp: args.value('--tensor-parallel-size') }).toEqual({
        command,
        invoked: true,
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        port: 8080,
        tp: '2',
      });
    }
    // `args: ["-c", "bash /opt/entry/serve.sh"]` after a shell command, the args holding the string
    const split = argsOf({ name: 'vllm', command: ['/bin/sh'], args: ['-c', 'bash /opt/entry/serve.sh'] }, { '/opt/entry/serve.sh': START });
    expect(port(split)).toBe(8080);
  });

  test('the words name where they are written: the file, its line and the ConfigMap key', () => {
    const line = lineOf({ name: 'vllm', command: ['bash', '/scripts/start.sh'] }, { '/scripts/start.sh': START });
    expect(line.words.find((w) => w.word === '8080')?.from).toBe("/scripts/start.sh line 4 (ConfigMap 'scripts' key start.sh)");
    expect(line.programKnown).toBe(true);
  });

  test('a file not shown by a ConfigMap, or run as a program without an execute bit, is not read: the line is as before', () => {
    const container = { name: 'vllm', command: ['/bin/bash', '/scripts/start.sh'] };
    expect(argsOf(container, {}).invoked).toBe(false);
    expect(argsOf({ name: 'vllm', command: ['/scripts/start.sh'] }, { '/scripts/start.sh': START }, false).invoked).toBe(false);
    // a shell given the file runs it whatever its mode
    expect(argsOf(container, { '/scripts/start.sh': START }, false).invoked).toBe(true);
    // a command line that starts vLLM itself is read as written
    const own = { name: 'vllm', command: ['vllm', 'serve', 'm', '--port', '9000'], args: [] };
    expect(port(argsOf(own, { '/scripts/start.sh': START }))).toBe(9000);
  });

  test("variables: the container's literal env, the script's one top-level assignment, the words the container hands the script", () => {
    const script =
      'MODEL=${MODEL_ID}\nPORT=${PORT:-8080}\npython3 -m vllm.entrypoints.openai.api_server --model "$MODEL" --port "${PORT}" --served-model-name "$2" "$@"\n';
    const container = (env: Doc[]) => ({ name: 'vllm', command: ['bash', '/run/serve.sh', 'x', 'chat'], env });
    const known = argsOf(
      container([
        { name: 'PORT', value: '8000' },
        { name: 'MODEL_ID', value: 'org/m' },
      ]),
      { '/run/serve.sh': script },
    );
    expect([known.model(), port(known), known.value('--served-model-name')]).toEqual(['org/m', 8000, 'chat']);
    // a default is not taken for a name the container does not set (the image may set it), nor a valueFrom's value
    expect(argsOf(container([]), { '/run/serve.sh': script }).unknown('--port')).toBe(true);
    const fromSecret = argsOf(container([{ name: 'PORT', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]), { '/run/serve.sh': script });
    expect(port(fromSecret)).toBeUndefined();
    // a name assigned on a branch, or twice, is not known
    const branched = 'if [ -n "$X" ]; then\n  PORT=9000\nfi\nvllm serve m --port $PORT\n';
    expect(argsOf(container([{ name: 'PORT', value: '8000' }]), { '/run/serve.sh': branched }).unknown('--port')).toBe(true);
  });

  test('an unknown variable standing alone may be any flags: a flag not given after it is unknown, the model slot excepted', () => {
    const script = 'vllm serve $MODEL --port 8080 $EXTRA_ARGS --max-model-len 4096\n';
    const args = argsOf({ name: 'vllm', command: ['bash', '/s/run.sh'] }, { '/s/run.sh': script });
    expect([args.unknown('--port'), args.unknown('--max-model-len'), args.unknown('--tensor-parallel-size')]).toEqual([true, false, true]);
    // known, the variable's words are read
    const env = [{ name: 'EXTRA_ARGS', value: '--tensor-parallel-size 4' }];
    const read = argsOf({ name: 'vllm', command: ['bash', '/s/run.sh'], env }, { '/s/run.sh': script });
    expect([read.unknown('--port'), read.value('--tensor-parallel-size')]).toEqual([false, '4']);
  });

  test('heredoc bodies, comments and printed text start nothing; redirections and a background & are no flags', () => {
    const script = [
      'cat <<EOF > /tmp/notes',
      'vllm serve other --port 1234',
      'EOF',
      '# vllm serve commented --port 1',
      'echo "vllm serve printed --port 2"',
      'vllm serve m --port 8080 > /var/log/vllm.log 2>&1 &',
      'wait',
    ].join('\n');
    const line = lineOf({ name: 'vllm', command: ['bash', '/s/run.sh'] }, { '/s/run.sh': script });
    expect(line.words.map((w) => w.word)).toEqual(['bash', '/s/run.sh', 'vllm', 'serve', 'm', '--port', '8080', '&']);
  });

  test('several vLLM commands on branches: what they all agree on is read, the rest is unknown; a different model reads none', () => {
    const script = [
      'if [ "$GPUS" -gt 1 ]; then',
      '  exec vllm serve org/m --port 8080 --tensor-parallel-size 2 --enforce-eager',
      'else',
      '  exec vllm serve org/m --port 8080 --enforce-eager',
      'fi',
    ].join('\n');
    const args = argsOf({ name: 'vllm', command: ['bash', '/s/run.sh'] }, { '/s/run.sh': script });
    expect([args.model(), port(args), args.enabled('--enforce-eager'), args.unknown('--tensor-parallel-size')]).toEqual(['org/m', 8080, true, true]);
    const models = script.replace('org/m --port 8080 --enforce', 'org/small --port 8080 --enforce');
    expect(argsOf({ name: 'vllm', command: ['bash', '/s/run.sh'] }, { '/s/run.sh': models }).invoked).toBe(false);
  });
});

/** A Deployment running vLLM through a script of a ConfigMap, with a Service in front (the files a check reads). */
function tree(opts: { script: string; probe: number; target: number; gpus?: number; env?: Doc[]; mounted?: boolean }): Doc[] {
  const container = {
    name: 'vllm',
    image: 'vllm/vllm-openai:v0.10.1',
    command: ['/bin/bash', '/scripts/start.sh'],
    env: opts.env,
    ports: [{ containerPort: opts.target }],
    readinessProbe: { httpGet: { path: '/health', port: opts.probe } },
    resources: { limits: { 'nvidia.com/gpu': String(opts.gpus ?? 1) } },
    volumeMounts: [{ name: 'scripts', mountPath: '/scripts/' }],
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'chat' } },
      template: { metadata: { labels: { app: 'chat' } }, spec: { containers: [container], volumes: [{ name: 'scripts', configMap: { name: 'chat-start' } }] } },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { selector: { app: 'chat' }, ports: [{ port: 80, targetPort: opts.target }] },
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: opts.mounted === false ? 'other' : 'chat-start', namespace: 'llm' },
    data: { 'start.sh': opts.script },
  };
  return [deployment, service, configMap];
}

const found = (docs: Doc[], rule: string) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: [rule] },
  ).map((f) => [f.severity, f.object, f.message]);

describe('the vLLM rules judge the command line of a ConfigMap script', () => {
  const serve = (flags: string) => `#!/bin/sh\nset -e\nexec vllm serve Qwen/Qwen2.5-1.5B-Instruct ${flags}\n`;

  test('vLLM on 8080 in the script, the Service and probe on 8000: the Service targets a port nothing listens on', () => {
    expect(found(tree({ script: serve('--port 8080'), probe: 8000, target: 8000 }), 'service-port-unmatched')).toEqual([
      [
        'error',
        'Service/llm/chat',
        "spec.ports[0].targetPort is 8000, but in Deployment/llm/chat, which the selector picks, container 'vllm' runs vLLM, which listens on 8080 (--port=8080 in /scripts/start.sh line 3 (ConfigMap 'chat-start' key start.sh)), and its containerPort 8000 is a declaration, which opens no port: nothing listens on 8000, so the Service's connections are refused; set targetPort to 8080, or start the server on 8000",
      ],
    ]);
    expect(found(tree({ script: serve('--port 8080'), probe: 8080, target: 8080 }), 'service-port-unmatched')).toEqual([]);
  });

  test('the port from ${PORT}, set in the env to the probed port: silent', () => {
    const docs = tree({ script: serve('--port ${PORT}'), probe: 8000, target: 8000, env: [{ name: 'PORT', value: '8000' }] });
    expect(found(docs, 'service-port-unmatched')).toEqual([]);
    const other = tree({ script: serve('--port ${PORT}'), probe: 8000, target: 8000, env: [{ name: 'PORT', value: '9000' }] });
    expect(found(other, 'service-port-unmatched').map((f) => f[0])).toEqual(['error']);
  });

  test('tensor-parallel 4 in the script with 2 GPUs requested: an error naming the script', () => {
    expect(found(tree({ script: serve('--tensor-parallel-size 4'), probe: 8000, target: 8000, gpus: 2 }), 'tensor-parallel-gpu-mismatch')).toEqual([
      [
        'error',
        'Deployment/llm/chat',
        "container 'vllm': --tensor-parallel-size=4 needs 4 GPUs but the container is given 2 nvidia.com/gpu; set requests and limits of nvidia.com/gpu to 4, or lower the parallelism. vLLM fails at start-up",
      ],
    ]);
    expect(found(tree({ script: serve('--tensor-parallel-size 2'), probe: 8000, target: 8000, gpus: 2 }), 'tensor-parallel-gpu-mismatch')).toEqual([]);
  });

  test('a script no ConfigMap of the tree shows: nothing read, as before', () => {
    const docs = tree({ script: serve('--port 8080 --tensor-parallel-size 4'), probe: 8000, target: 8000, gpus: 2, mounted: false });
    expect(found(docs, 'service-port-unmatched')).toEqual([]);
    expect(found(docs, 'tensor-parallel-gpu-mismatch')).toEqual([]);
  });
});

describe('a server command whose arguments the script builds in a variable, or another model server', () => {
  const APPENDS = `#!/bin/sh
set -e
ARGS="serve example-org/small-chat"
ARGS="$ARGS --port=8080"
ARGS="$ARGS --max-model-len=4096"
if [ -f /adapters/one/adapter_config.json ]; then
  ARGS="$ARGS --enable-lora --lora-modules $ADAPTERS"
fi
exec vllm $ARGS
`;

  test('top-level appends are known; those inside a branch are uncertain (they may or may not be there)', () => {
    const args = argsOf({ name: 'vllm', command: ['/bin/sh', '/scripts/start.sh'] }, { '/scripts/start.sh': APPENDS });
    expect({ invoked: args.invoked, model: args.model(), port: port(args), len: args.value('--max-model-len') }).toEqual({
      invoked: true,
      model: 'example-org/small-chat',
      port: 8080,
      len: '4096',
    });
    expect(args.unknown('--max-model-len')).toBe(false);
    expect(args.unknown('--enable-lora')).toBe(true);
  });

  test('near misses: a reset in a branch, or a first value not known, leaves the variable unread', () => {
    const reset = APPENDS.replace('ARGS="$ARGS --enable-lora', 'ARGS="serve other/model --enable-lora');
    expect(argsOf({ name: 'vllm', command: ['/bin/sh', '/scripts/start.sh'] }, { '/scripts/start.sh': reset }).invoked).toBe(false);
    const unknownFirst = APPENDS.replace('ARGS="serve example-org/small-chat"', 'ARGS="serve $MODEL"');
    expect(argsOf({ name: 'vllm', command: ['/bin/sh', '/scripts/start.sh'] }, { '/scripts/start.sh': unknownFirst }).invoked).toBe(false);
  });

  test('a script that starts llama-server gives the container its line', () => {
    const line = lineOf(
      { name: 'llama', command: ['bash', '/scripts/run.sh'] },
      { '/scripts/run.sh': '#!/bin/bash\nexec /app/llama-server -m /w/m.gguf --port 9000\n' },
    );
    expect(line.words.map((w) => w.word)).toEqual(['bash', '/scripts/run.sh', '/app/llama-server', '-m', '/w/m.gguf', '--port', '9000']);
  });
});
