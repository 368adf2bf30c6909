import { runChecks } from '../../lib';
import { buildCommandLine, containerPieces, commandLineOf } from '../../lib/check/command-line';
import { mergeRuntimeContainer, replacePlaceholders } from '../../lib/check/runtime-merge';
import { configFileWords, humanReadableInt, VllmArgs } from '../../lib/check/vllm-args';

/**
 * vLLM's arguments as vLLM and KServe read them. The cases of the first block are those of vLLM's own tests of
 * FlexibleArgumentParser (tests/utils_/test_argparse_utils.py); the merge and placeholder cases are KServe's
 * (TestMergeRuntimeContainers, TestMergeContainerWithPatch, TestReplacePlaceholders), written again here.
 */

type Doc = Record<string, any>;
const digest = (repo: string) => `${repo}@sha256:${'e'.repeat(64)}`;
const findings = (docs: Doc[], rule: string) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

/** A config file's words, as a resolver that knows one path. */
const configAt = (path: string, config: unknown) => (p: string) => (p === path ? configFileWords(config) : undefined);
const CONFIG = { port: 12312, 'tensor-parallel-size': 2, 'trust-remote-code': true };

describe("vLLM's FlexibleArgumentParser", () => {
  test('underscores read as dashes, with a space or =, mixed in one command line', () => {
    const args = VllmArgs.of(['--image_input_type', 'pixel_values', '--model-name=facebook/opt-125m', '--batch_size', '32', '--enable_feature']);
    expect(args.value('--image-input-type')).toBe('pixel_values');
    expect(args.value('--model-name')).toBe('facebook/opt-125m');
    expect(args.value('--batch-size')).toBe('32');
    expect(args.enabled('--enable-feature')).toBe(true);
    // a dotted key keeps underscores after the first dot: only the flag's name is rewritten
    expect(VllmArgs.of(['--hf_overrides.key_6', 'v']).words.map((w) => w.word)).toEqual(['--hf-overrides.key_6', 'v']);
  });

  test('a flag given twice takes the last value, whatever its form; -O3 is --optimization-level 3', () => {
    const args = VllmArgs.of(['vllm', 'serve', 'm', '-tp', '2', '--max-model-len', '4096', '--tensor_parallel_size=4', '-O1', '-O3']);
    expect(args.value('--tensor-parallel-size')).toBe('4');
    expect(args.value('--optimization-level')).toBe('3');
    expect(args.conflicts().map((c) => [c.flag, c.occurrences.map((o) => o.value)])).toEqual([
      ['--tensor-parallel-size', ['2', '4']],
      ['--optimization-level', ['1', '3']],
    ]);
    // near-miss: the same value twice, as a number in two spellings, is no conflict
    expect(VllmArgs.of(['--max-model-len=4096', '--max_model_len', '4096']).conflicts()).toEqual([]);
  });

  test('booleans: --x on, --no-x off, the last one counts; a boolean takes no value', () => {
    const args = VllmArgs.of(['vllm', 'serve', 'm', '--enable-prefix-caching', '--enforce-eager', '--no-enable-prefix-caching']);
    expect(args.enabled('--enable-prefix-caching')).toBe(false);
    expect(args.enabled('--enforce-eager')).toBe(true);
    expect(args.enabled('--enable-chunked-prefill')).toBeUndefined();
    expect(VllmArgs.of(['vllm', 'serve', '--enforce-eager', 'm']).model()).toBe('m');
  });

  test('vllm serve: the model is the positional, or the first --model moved to the front', () => {
    const flagged = VllmArgs.of(['vllm', 'serve', '--tensor-parallel-size', '2', '--model', 'my-model', '--trust-remote-code', '--port', '8001']);
    expect([flagged.model(), flagged.value('--tensor-parallel-size'), flagged.enabled('--trust-remote-code'), flagged.value('--port')]).toEqual([
      'my-model',
      '2',
      true,
      '8001',
    ]);
    expect(VllmArgs.of(['vllm', 'serve', '--tensor-parallel-size=2', '--model=my-model', '--port=8001']).model()).toBe('my-model');
    expect(VllmArgs.of(['python', '-m', 'vllm.entrypoints.openai.api_server', '--model=/mnt/models']).model()).toBe('/mnt/models');
    expect(VllmArgs.of(['vllm', 'serve', '--port', '8000']).model()).toBeUndefined();
  });

  test('--config: the command line overrides the file, wherever it stands', () => {
    const resolve = configAt('cfg.yaml', CONFIG);
    expect(VllmArgs.of(['vllm', 'serve', 'mymodel', '--config', 'cfg.yaml', '--tensor-parallel-size', '3'], resolve).value('--tensor-parallel-size')).toBe('3');
    const before = VllmArgs.of(['vllm', 'serve', 'mymodel', '--tensor-parallel-size', '3', '--config', 'cfg.yaml'], resolve);
    expect([before.value('--tensor-parallel-size'), before.value('--port')]).toEqual(['3', '12312']);
    const port = VllmArgs.of(['vllm', 'serve', 'mymodel', '--tensor-parallel-size', '3', '--config', 'cfg.yaml', '--port', '666'], resolve);
    expect([port.value('--tensor-parallel-size'), port.value('--port')]).toEqual(['3', '666']);
    const only = VllmArgs.of(['vllm', 'serve', 'mymodel', '--config', 'cfg.yaml'], resolve);
    expect([only.value('--tensor-parallel-size'), only.enabled('--trust-remote-code'), only.model()]).toEqual(['2', true, 'mymodel']);
    // the model from the file when the command line names none; the command line's when both do
    const withModel = configAt('m.yaml', { model: 'config-model', 'served-model-name': 'mymodel' });
    expect(VllmArgs.of(['vllm', 'serve', '--config', 'm.yaml'], withModel).model()).toBe('config-model');
    expect(VllmArgs.of(['vllm', 'serve', 'cli-model', '--config', 'm.yaml'], withModel).model()).toBe('cli-model');
  });

  test('a config file that cannot be read makes every flag the command line does not give unknown', () => {
    const args = VllmArgs.of(['vllm', 'serve', 'm', '--config', '/etc/vllm/config.yaml', '-tp', '2']);
    expect(args.unreadConfig).toBe('/etc/vllm/config.yaml');
    expect(args.unknown('--tensor-parallel-size')).toBe(false);
    expect(args.unknown('--max-model-len')).toBe(true);
    // near-miss: without --config, an unset flag is known to be unset
    expect(VllmArgs.of(['vllm', 'serve', 'm']).unknown('--max-model-len')).toBe(false);
  });

  test('load_config_file: booleans, lists, nested mappings; a file that is not a mapping is refused', () => {
    expect(configFileWords({ 'enable-logging': true, 'list-arg': ['item1', 'item2'], port: 12323, 'tensor-parallel-size': 4 })).toEqual([
      '--enable-logging',
      '--list-arg',
      'item1',
      'item2',
      '--port',
      '12323',
      '--tensor-parallel-size',
      '4',
    ]);
    expect(configFileWords({ 'enable-feature': false, port: 8000 })).toEqual(['--no-enable-feature', '--port', '8000']);
    expect(configFileWords({ 'compilation-config': { pass_config: { fuse_allreduce_rms: true } } })).toEqual([
      '--compilation-config',
      '{"pass_config":{"fuse_allreduce_rms":true}}',
    ]);
    expect(configFileWords(null)).toEqual([]);
    expect(configFileWords([1, 2, 3])).toBeUndefined();
    expect(configFileWords(42)).toBeUndefined();
  });

  test('human_readable_int: decimal and binary suffixes, no decimals with binary ones', () => {
    expect(['1k', '1K', '25.6k', '32768', '2M', '2.5K', 'many'].map(humanReadableInt)).toEqual([1000, 1024, 25600, 32768, 2 * 2 ** 20, undefined, undefined]);
    // plain integers as Python's int() reads them: a sign, leading zeros, underscores between digits
    expect(['02', '+4', '1_024', ' 8 ', '1__0', '4.0'].map(humanReadableInt)).toEqual([2, 4, 1024, 8, undefined, undefined]);
  });
});

describe("KServe's merge of a service's model container into its runtime's", () => {
  test('args concatenated, env merged by name in place, resources key by key (TestMergeRuntimeContainers)', () => {
    const merged = mergeRuntimeContainer(
      {
        name: 'kserve-container',
        image: 'default-image',
        args: ['--foo=bar', '--test=dummy'],
        env: [
          { name: 'PORT', value: '8080' },
          { name: 'PORT2', value: '8081' },
        ],
        resources: { limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '1', memory: '2Gi' } },
      },
      {
        args: ['--new-arg=baz'],
        env: [
          { name: 'PORT2', value: '8082' },
          { name: 'Some', value: 'Var' },
        ],
        resources: { limits: { cpu: '2', memory: '4Gi' } },
      },
    );
    expect(merged).toEqual({
      name: 'kserve-container',
      image: 'default-image',
      args: ['--foo=bar', '--test=dummy', '--new-arg=baz'],
      env: [
        { name: 'PORT', value: '8080' },
        { name: 'PORT2', value: '8082' },
        { name: 'Some', value: 'Var' },
      ],
      resources: { limits: { cpu: '2', memory: '4Gi' }, requests: { cpu: '1', memory: '2Gi' } },
    });
  });

  test("the service's image and command replace the runtime's; its env valueFrom replaces a value and back (TestMergeContainerWithPatch)", () => {
    const secret = { secretKeyRef: { name: 'aws-creds', key: 'access-key' } };
    const merged = mergeRuntimeContainer(
      {
        name: 'kserve-container',
        image: 'img:v1',
        command: ['python', '-m', 'x'],
        env: [
          { name: 'AWS_KEY', value: 'literal' },
          { name: 'TOKEN', valueFrom: secret },
        ],
      },
      {
        image: 'img:v2',
        command: ['vllm', 'serve'],
        env: [
          { name: 'AWS_KEY', valueFrom: secret },
          { name: 'TOKEN', value: 'fixed' },
        ],
      },
    );
    expect(merged).toEqual({
      name: 'kserve-container',
      image: 'img:v2',
      command: ['vllm', 'serve'],
      env: [
        { name: 'AWS_KEY', valueFrom: secret },
        { name: 'TOKEN', value: 'fixed' },
      ],
    });
  });

  test('placeholders rendered from the service metadata (TestReplacePlaceholders); an unknown action stays', () => {
    const meta = { name: 'bar', namespace: 'ai', labels: { modelDir: '/mnt/models' }, annotations: { 'example.com/len': '4096' } };
    expect(replacePlaceholders('--foo={{.Name}}', meta)).toBe('--foo=bar');
    expect(replacePlaceholders('{{.Labels.modelDir}}', meta)).toBe('/mnt/models');
    expect(replacePlaceholders('--max-model-len={{ index .Annotations "example.com/len" }}', meta)).toBe('--max-model-len=4096');
    expect(replacePlaceholders('{{.Labels.missing}}', meta)).toBe('<no value>');
    expect(replacePlaceholders('{{ printf "%s" .Name }}', meta)).toBe('{{ printf "%s" .Name }}');
  });
});

describe('the command line a container runs', () => {
  test("the kubelet's $(VAR) takes an env value, $$ escapes it, an unknown name stays", () => {
    const line = commandLineOf({
      command: ['vllm', 'serve'],
      args: ['m', '--tensor-parallel-size=$(TP)', '--max-model-len=$(LEN)', '--x=$$(TP)'],
      env: [{ name: 'TP', value: '2' }],
    });
    expect(line).toEqual(['vllm', 'serve', 'm', '--tensor-parallel-size=2', '--max-model-len=$(LEN)', '--x=$(TP)']);
  });

  test('a shell script forwards "$@" (what follows $0) and expands an env variable where it names it', () => {
    const line = buildCommandLine(
      containerPieces(
        {
          command: ['/bin/bash', '-c', 'exec vllm serve /mnt/models "$@" ${EXTRA}', '--'],
          args: ['-tp', '2'],
          env: [{ name: 'EXTRA', value: '--max-model-len 8192' }],
        },
        "container 'vllm'",
      ),
    );
    expect(line.words.map((w) => [w.word, w.from])).toEqual([
      ['/bin/bash', "container 'vllm' command"],
      ['-c', "container 'vllm' command"],
      ['exec', "container 'vllm' command (shell script)"],
      ['vllm', "container 'vllm' command (shell script)"],
      ['serve', "container 'vllm' command (shell script)"],
      ['/mnt/models', "container 'vllm' command (shell script)"],
      ['-tp', "container 'vllm' args"],
      ['2', "container 'vllm' args"],
      ['--max-model-len', "container 'vllm' env EXTRA"],
      ['8192', "container 'vllm' env EXTRA"],
    ]);
    expect([...line.expanded]).toEqual(['EXTRA']);
  });

  test("an image's entrypoint: known for vllm-openai and Open Data Hub's vLLM, else unknown (an env hook there is uncertain)", () => {
    const known = buildCommandLine(containerPieces({ image: digest('quay.io/modh/vllm'), args: ['--model=/mnt/models'] }, 'c'));
    expect([known.programKnown, known.words.map((w) => w.word)]).toEqual([
      true,
      ['python3', '-m', 'vllm.entrypoints.openai.api_server', '--model=/mnt/models'],
    ]);
    const unknown = buildCommandLine(
      containerPieces(
        { image: digest('registry.example.com/llm/server'), args: ['--model=/mnt/models'], env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '-tp 2' }] },
        'c',
      ),
    );
    expect(unknown.programKnown).toBe(false);
    expect(VllmArgs.of(unknown.words).unknown('--tensor-parallel-size')).toBe(true);
  });

  test("an LLMInferenceService's args entry holding a whole command line is split as the config's eval splits it; a JSON value with blanks stays whole", () => {
    const main = {
      name: 'main',
      args: ['--model=/mnt/models \\\n  --max-model-len=2048 \\\n  --tensor-parallel-size=4', '--kv-transfer-config={"kv_connector": "NixlConnector"}'],
    };
    const words = buildCommandLine(containerPieces(main, "container 'main'", true)).words.map((w) => w.word);
    expect(words).toEqual([
      'vllm',
      'serve',
      '/mnt/models',
      '--model=/mnt/models',
      '--max-model-len=2048',
      '--tensor-parallel-size=4',
      '--kv-transfer-config={"kv_connector": "NixlConnector"}',
    ]);
    const args = VllmArgs.of(buildCommandLine(containerPieces(main, "container 'main'", true)).words);
    expect([args.value('--max-model-len'), args.value('--tensor-parallel-size')]).toEqual(['2048', '4']);
    // near miss: a Deployment's args entry is one argv word, as the kubelet passes it
    const plain = buildCommandLine(containerPieces({ name: 'c', command: ['vllm', 'serve'], args: ['m --max-model-len=2048'] }, "container 'c'")).words;
    expect(plain.map((w) => w.word)).toEqual(['vllm', 'serve', 'm --max-model-len=2048']);
  });

  test("an LLMInferenceService's main container without a command: KServe's config puts VLLM_ADDITIONAL_ARGS before the args", () => {
    const main = { name: 'main', args: ['--max-model-len=4096'], env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--max-model-len=8192 -tp 2' }] };
    const args = VllmArgs.of(buildCommandLine(containerPieces(main, "container 'main'", true)).words);
    expect([args.value('--max-model-len'), args.value('--tensor-parallel-size'), args.model()]).toEqual(['4096', '2', '/mnt/models']);
  });
});

describe('vllm-env-args-unread', () => {
  const deployment = (container: Doc) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm', namespace: 'ai' },
    spec: { template: { spec: { containers: [{ name: 'vllm', image: digest('docker.io/vllm/vllm-openai'), ...container }] } } },
  });
  const env = [{ name: 'EXTRA_ARGS', value: '--enable-prefix-caching --max-model-len 8192' }];

  test('fires: an exec-form vllm serve, or the vllm-openai entrypoint, with flags in EXTRA_ARGS', () => {
    expect(findings([deployment({ command: ['vllm', 'serve', 'm'], env })], 'vllm-env-args-unread')).toEqual([
      ['warning', 'Deployment/ai/vllm', expect.stringMatching(/container 'vllm' env EXTRA_ARGS holds vLLM flags .* never expands \$EXTRA_ARGS/)],
    ]);
    expect(findings([deployment({ args: ['m'], env })], 'vllm-env-args-unread').length).toBe(1);
  });

  test.each([
    ['a shell that expands it', { command: ['sh', '-c', 'exec vllm serve m $EXTRA_ARGS'], env }],
    ["the kubelet's $(EXTRA_ARGS)", { command: ['vllm', 'serve', 'm', '$(EXTRA_ARGS)'], env: [{ name: 'EXTRA_ARGS', value: '--enforce-eager' }] }],
    ['an image whose entrypoint is unknown', { image: digest('registry.example.com/wrapper'), args: ['m'], env }],
    ['a wrapper script that is not vLLM', { command: ['/opt/start.sh'], env }],
    ['a variable that holds no flags', { command: ['vllm', 'serve', 'm'], env: [{ name: 'JAVA_ARGS', value: 'none' }] }],
  ])('near-miss: %s', (_, container) => {
    expect(findings([deployment(container)], 'vllm-env-args-unread')).toEqual([]);
  });

  test('vllm-flag-repeated on a Deployment that runs vLLM itself: named by container, the last value said; near-miss: another program', () => {
    const args = ['m', '--max-model-len', '4096', '--gpu-memory-utilization=0.9', '--max_model_len=8192'];
    expect(findings([deployment({ command: ['vllm', 'serve'], args })], 'vllm-flag-repeated')).toEqual([
      [
        'warning',
        'Deployment/ai/vllm',
        "container 'vllm': --max-model-len is given 2 times with different values: --max-model-len=4096 (container 'vllm' args), --max-model-len=8192 (container 'vllm' args); vLLM keeps the last, --max-model-len=8192: remove the others so the manifests say what runs",
      ],
    ]);
    expect(findings([deployment({ command: ['/opt/bench.sh'], args })], 'vllm-flag-repeated')).toEqual([]);
    // near-miss: a value from a variable is not compared
    expect(findings([deployment({ command: ['vllm', 'serve'], args: ['m', '--max-model-len=4096', '--max-model-len=$(LEN)'] })], 'vllm-flag-repeated')).toEqual(
      [],
    );
  });

  test("an LLMInferenceService: KServe's config expands VLLM_ADDITIONAL_ARGS; a main container with its own exec command does not", () => {
    const llm = (main: Doc) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'ultra', namespace: 'ai' },
      spec: {
        model: { uri: 'hf://org/model' },
        template: { containers: [{ name: 'main', env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--max-model-len=8192' }], ...main }] },
      },
    });
    expect(findings([llm({})], 'vllm-env-args-unread')).toEqual([]);
    expect(findings([llm({ command: ['vllm', 'serve', '/mnt/models'] })], 'vllm-env-args-unread')).toEqual([
      ['warning', 'LLMInferenceService/ai/ultra', expect.stringMatching(/container 'main' env VLLM_ADDITIONAL_ARGS holds vLLM flags \(--max-model-len=8192\)/)],
    ]);
  });
});

/**
 * vllm-switch-given-value: argparse's store_true and BooleanOptionalAction take no value, so `--enforce-eager=false`
 * stops vLLM at argument parsing (vllm/engine/arg_utils.py EngineArgs.add_cli_args; argparse "ignored explicit argument").
 */
describe('vllm-switch-given-value', () => {
  const RULE = 'vllm-switch-given-value';
  const deployment = (container: Doc) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm', namespace: 'ai' },
    spec: { template: { spec: { containers: [{ name: 'vllm', image: digest('docker.io/vllm/vllm-openai'), ...container }] } } },
  });
  const serve = (...args: string[]) => deployment({ command: ['vllm', 'serve', 'org/model'], args });
  const llm = (value: string, main: Doc = {}) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name: 'ultra', namespace: 'ai' },
    spec: { model: { uri: 'hf://org/model' }, template: { containers: [{ name: 'main', env: [{ name: 'VLLM_ADDITIONAL_ARGS', value }], ...main }] } },
  });

  test('the fix follows the value and the default: true → the switch alone, false → drop it, or --no-x where vLLM turns it on', () => {
    expect(findings([serve('--trust_remote_code=True', '--enable-prefix-caching=false', '--enforce-eager=0')], RULE)).toEqual([
      [
        'error',
        'Deployment/ai/vllm',
        expect.stringMatching(/--enable-prefix-caching=false .*: write --no-enable-prefix-caching \(the V1 engine turns prefix caching on/),
      ],
      ['error', 'Deployment/ai/vllm', expect.stringMatching(/--enforce-eager=0 .*: drop --enforce-eager \(off is vLLM's default\)$/)],
      [
        'error',
        'Deployment/ai/vllm',
        "container 'vllm': --trust-remote-code=True (container 'vllm' args): --trust-remote-code is a switch that takes no value; vLLM's argument parser refuses a value for it (\"argument --trust-remote-code: ignored explicit argument 'True'\") and the server exits before it loads the model: write --trust-remote-code alone",
      ],
    ]);
  });

  test('a bare true/false after a switch is a stray positional; a value other than a boolean word asks both ways', () => {
    expect(findings([serve('--enforce-eager', 'false', '--port', '8000')], RULE)).toEqual([
      [
        'error',
        'Deployment/ai/vllm',
        "container 'vllm': --enforce-eager false (container 'vllm' args): --enforce-eager is a switch that takes no value; argparse leaves 'false' as an extra positional argument, which vLLM refuses (\"unrecognized arguments\") or takes for the model and the server exits before it loads the model: drop --enforce-eager (off is vLLM's default)",
      ],
    ]);
    expect(findings([serve('--enable-lora=auto')], RULE)).toEqual([
      ['error', 'Deployment/ai/vllm', expect.stringMatching(/: write --enable-lora alone to turn it on, or drop --enable-lora \(off is vLLM's default\)$/)],
    ]);
  });

  test("VLLM_ADDITIONAL_ARGS of an LLMInferenceService is read like the args (KServe's config expands it)", () => {
    expect(findings([llm('--max-model-len=8192 --enforce-eager=true')], RULE)).toEqual([
      [
        'error',
        'LLMInferenceService/ai/ultra',
        expect.stringMatching(/^--enforce-eager=true \(container 'main' env VLLM_ADDITIONAL_ARGS\): .*write --enforce-eager alone$/),
      ],
    ]);
    expect(findings([llm('--max-model-len=8192 --enforce-eager')], RULE)).toEqual([]);
  });

  test.each([
    ['the switch alone and its --no- form', serve('--enforce-eager', '--no-enable-prefix-caching', '--no-trust-remote-code')],
    ['a flag that takes a value, with =', serve('--max-model-len=4096', '--tensor-parallel-size=2', '--hf-token=true')],
    ['a flag that took an optional value in old releases', serve('--enable-chunked-prefill=false')],
    ['a value from a variable', deployment({ command: ['vllm', 'serve', 'm', '--enforce-eager=$(EAGER)'] })],
    ['a program that is not vLLM', deployment({ command: ['/opt/bench.sh', '--enforce-eager=false'] })],
    [
      'an env hook an unknown entrypoint may not read',
      deployment({ image: digest('registry.example.com/wrapper'), env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--enforce-eager=false' }] }),
    ],
    ['a dotted JSON key', serve('--compilation-config.use_cudagraph=false')],
  ])('near-miss: %s', (_, doc) => {
    expect(findings([doc], RULE)).toEqual([]);
  });

  test('the parser keeps how a switch was written: attached value, stray word, a config file string', () => {
    const args = VllmArgs.of(['vllm', 'serve', 'm', '--enforce_eager=false', '--trust-remote-code', 'true', '--no-enable-lora']);
    expect(args.occurrences('--enforce-eager')).toEqual([{ value: 'false', from: 'the command line', uncertain: false, attached: '--enforce-eager=false' }]);
    expect(args.occurrences('--trust-remote-code')).toEqual([{ value: 'true', from: 'the command line', uncertain: false, stray: 'true' }]);
    expect(args.occurrences('--enable-lora')).toEqual([{ value: 'false', from: 'the command line', uncertain: false }]);
    // a YAML string "false" becomes the words --enforce-eager false (load_config_file): the same stray word
    const fromFile = VllmArgs.of(['vllm', 'serve', 'm', '--config', 'c.yaml'], configAt('c.yaml', { 'enforce-eager': 'false' }));
    expect(fromFile.occurrences('--enforce-eager').map((o) => o.stray)).toEqual(['false']);
  });
});

describe('a program word holding a whole vLLM command line', () => {
  const deployment = (container: Doc): Doc => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'gpt', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'gpt' } },
      template: {
        metadata: { labels: { app: 'gpt' } },
        spec: { containers: [{ name: 'vllm', resources: { limits: { 'nvidia.com/gpu': '2' } }, ...container }] },
      },
    },
  });

  test('the vLLM rules read it as meant and say so: two GPUs and no tensor-parallel size leave one idle', () => {
    const ngc = deployment({ image: digest('nvcr.io/nvidia/vllm'), args: ['vllm serve openai/gpt-oss-20b', '--max-model-len', '8192'] });
    expect(findings([ngc], 'tensor-parallel-gpu-mismatch')).toEqual([
      [
        'warning',
        'Deployment/llm/gpt',
        `container 'vllm' (its "vllm serve openai/gpt-oss-20b" read as the command line it was meant to be): 2 nvidia.com/gpu given but vLLM uses 1 (--tensor-parallel-size=1); 1 GPU(s) stay idle: set --tensor-parallel-size to 2 (or request 1)`,
      ],
    ]);
    expect(findings([ngc], 'argument-not-split').map(([severity]) => severity)).toEqual(['error']);
    // data parallel ranks use the other GPU: nothing idle
    const dp = deployment({ image: digest('nvcr.io/nvidia/vllm'), args: ['vllm serve openai/gpt-oss-20b', '--data-parallel-size', '2'] });
    expect(findings([dp], 'tensor-parallel-gpu-mismatch')).toEqual([]);
  });

  test('written as words the line needs no second reading; under an unknown entrypoint only a vLLM line is taken for one', () => {
    const split = deployment({ image: digest('nvcr.io/nvidia/vllm'), args: ['vllm', 'serve', 'openai/gpt-oss-20b', '--tensor-parallel-size', '2'] });
    expect(findings([split], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    expect(findings([split], 'argument-not-split')).toEqual([]);
    const unknownImage = deployment({ image: digest('registry.example.com/team/server'), args: ['vllm serve openai/gpt-oss-20b'] });
    expect(findings([unknownImage], 'argument-not-split').map(([severity]) => severity)).toEqual(['warning']);
    const other = deployment({ image: digest('registry.example.com/team/server'), args: ['run worker', '--fast'] });
    expect(findings([other], 'argument-not-split')).toEqual([]);
  });
});
