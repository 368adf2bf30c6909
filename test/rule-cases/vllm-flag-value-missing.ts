import { runChecks } from '../../lib';
import { ruleFindings, vllmDeployment } from '../util';

const RULE = 'vllm-flag-value-missing';
const IMAGE = 'vllm/vllm-openai:v0.10.1';
const serve = (args: string[]) => ruleFindings(RULE, [vllmDeployment(IMAGE, args, ['vllm', 'serve'])]);

type Doc = Record<string, unknown>;
const hfService = (args: string[], model: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, args, ...model } } },
});

describe('vllm-flag-value-missing: an option that takes a value is given none (argparse: expected one argument)', () => {
  test('followed by another option: an error naming both words and the argparse message', () => {
    expect(serve(['org/m', '--tool-call-parser', '--enforce-eager'])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'vllm': --tool-call-parser \(container 'vllm' args\) takes a value and the word after it, '--enforce-eager', is read as another option .*"argument --tool-call-parser: expected one argument".* server exits/,
      ),
    ]);
  });

  test('the last word: an error; a list option says "at least one"', () => {
    expect(serve(['org/m', '--max-model-len'])).toEqual([
      expect.stringMatching(/^error .*--max-model-len .*it is the last word of the command line.*expected one argument/),
    ]);
    expect(serve(['org/m', '--served-model-name', '--port', '8000'])).toEqual([
      expect.stringMatching(/^error .*"argument --served-model-name: expected at least one argument"/),
    ]);
  });

  test('near miss: a bool flag whose --no- form the parser declares (BooleanOptionalAction) takes no value, last word or not', () => {
    expect(serve(['org/m', '--language-model-only'])).toEqual([]);
    expect(serve(['org/m', '--language-model-only', '--port', '8000'])).toEqual([]);
  });

  test('written with underscores, as FlexibleArgumentParser reads it; a one-dash option after it counts as an option', () => {
    expect(serve(['org/m', '--max_model_len', '-tp', '2'])).toEqual([expect.stringMatching(/^error .*--max-model-len .*'-tp'/)]);
  });

  test('KServe huggingfaceserver on upstream KServe: --backend=vllm an error, the default auto backend a warning', () => {
    expect(ruleFindings(RULE, [hfService(['--model_name=chat', '--model_id=org/m', '--backend=vllm', '--tool-call-parser', '--enforce-eager'])])).toEqual([
      expect.stringMatching(/^error InferenceService\/ai\/chat: --tool-call-parser .*KServe's huggingfaceserver.*expected one argument.*\(--backend=vllm\)/),
    ]);
    expect(ruleFindings(RULE, [hfService(['--model_name=chat', '--model_id=org/m', '--tool-call-parser', '--enforce-eager'])])).toEqual([
      expect.stringMatching(/^warning InferenceService\/ai\/chat: --tool-call-parser .*when it uses vLLM \(--backend auto, the default/),
    ]);
  });

  test.each([
    ['the value after the option', ['org/m', '--tool-call-parser', 'hermes', '--enforce-eager']],
    ['the value after =', ['org/m', '--tool-call-parser=hermes']],
    ['a negative number as the value', ['org/m', '--seed', '-1']],
    ['a switch followed by an option', ['org/m', '--enforce-eager', '--port', '8000']],
    ['an --enable- switch last', ['org/m', '--enable-auto-tool-choice']],
    ['--hf-token without a value (nargs ?)', ['org/m', '--hf-token', '--port', '8000']],
    ['an unknown variable after the option', ['org/m', '--max-model-len', '$LEN']],
    ['words after --', ['org/m', '--', '--max-model-len']],
    ['an option vLLM does not have', ['org/m', '--not-an-option', '--port', '8000']],
    [
      'a word holding a space after it (argparse takes it as the value: argument-not-split says the rest)',
      ['org/m', '--max-model-len', '--gpu-memory-utilization 0.9'],
    ],
  ])('near miss, %s: silent', (_, args) => {
    expect(serve(args)).toEqual([]);
  });

  test.each([
    [
      "--backend=huggingface: the options are not the parser's, parse_known_args ignores them",
      hfService(['--model_id=org/m', '--backend=huggingface', '--tool-call-parser', '--enforce-eager']),
    ],
    ['OpenShift AI: no installed runtime serves the format, the server is not known', hfService(['--model_id=org/m', '--tool-call-parser', '--enforce-eager'])],
  ])('near miss, huggingfaceserver %s: silent', (name, doc) => {
    expect(ruleFindings(RULE, [doc], name.startsWith('OpenShift') ? 'rhoai-3.0' : 'kserve')).toEqual([]);
  });

  test('a word with blanks around an option (`"--tool-call-parser "`) is argument-not-split\'s error under vllm serve, quoted, with the fix', () => {
    const doc = vllmDeployment(IMAGE, ['org/m', '--tool-call-parser ', 'hermes'], ['vllm', 'serve']);
    expect(ruleFindings('argument-not-split', [doc])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: .*element "--tool-call-parser " has blanks around it: .*positional argument.*write "--tool-call-parser"$/,
      ),
    ]);
    expect(ruleFindings(RULE, [doc])).toEqual([]);
  });
});

describe('vllm-flag-value-missing: an option written `--X=` with nothing after the `=` (argparse takes the empty text as its value)', () => {
  const runtime = (args: string[]): Doc => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm-chat', namespace: 'ai' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [{ name: 'kserve-container', image: 'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1', args }],
    },
  });
  const judged = (docs: { manifest: Doc; helmRendering?: { folder: string; delivery: string } }[]) =>
    runChecks(docs, { platform: 'rhoai-3.0', rules: [RULE] }).map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test('--served-model-name= in a Deployment: an error saying the model is served under the empty name and requests get 404', () => {
    expect(serve(['org/m', '--served-model-name=', '--port', '8000'])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/llm: container 'vllm': --served-model-name= \(container 'vllm' args\) gives the option an empty value: .*serves the model under the empty name.*404.*write the value after the '=', or drop the option$/,
      ),
    ]);
  });

  test('a runtime of a Helm render that no service uses: the message says Helm rendered the KServe placeholder as its own action', () => {
    const [finding, ...rest] = judged([
      { manifest: runtime(['--port=8080', '--model=/mnt/models', '--served-model-name=']), helmRendering: { folder: 'chart', delivery: 'check/chart' } },
    ]);
    expect(rest).toEqual([]);
    expect(finding).toMatch(/^(error|warning) ServingRuntime\/ai\/vllm-chat: container 'kserve-container': --served-model-name= /);
    expect(finding).toContain(
      "this object comes from a Helm render, and Helm reads a KServe placeholder written in the chart's template ({{.Name}}) as its own action",
    );
    expect(finding).toContain('{{ "{{.Name}}" }}');
    // the same runtime read from a plain file: the error without the Helm words
    const plain = judged([{ manifest: runtime(['--port=8080', '--served-model-name=']) }]);
    expect(plain).toEqual([expect.stringMatching(/^error ServingRuntime\/ai\/vllm-chat: .*empty name/)]);
    expect(plain[0]).not.toContain('Helm');
  });

  test('another option: the empty setting, or an exit on a number', () => {
    expect(serve(['org/m', '--max-model-len='])).toEqual([expect.stringMatching(/^error .*--max-model-len= .*invalid … value: ''/)]);
  });

  test("near misses: a value after the '=', the placeholder KServe renders, a switch, words after --", () => {
    expect(serve(['org/m', '--served-model-name=chat'])).toEqual([]);
    expect(judged([{ manifest: runtime(['--port=8080', '--served-model-name={{.Name}}']) }])).toEqual([]);
    expect(serve(['org/m', '--', '--served-model-name='])).toEqual([]);
  });
});

describe('vllm-flag-value-missing: an empty word after an option that takes a value', () => {
  test('--model followed by an empty item under vllm serve: an error naming the empty model and the fix', () => {
    expect(serve(['--model', '', '--port', '8000'])).toEqual([
      "error Deployment/ai/llm: container 'vllm': the model vLLM serves (container 'vllm' args) is an empty word (`vllm serve \"\"`, or `--model \"\"`, which vLLM's parser moves to the model's place): vLLM is asked to load the model '', which names no repository and no folder, so the server exits before it serves; write the model's name or path in that word",
    ]);
  });

  test('--model followed by an empty item for the OpenAI server module: an error naming the option and the empty word', () => {
    const apiServer = vllmDeployment(IMAGE, ['--model', '', '--port', '8000'], ['python3', '-m', 'vllm.entrypoints.openai.api_server']);
    expect(ruleFindings(RULE, [apiServer])).toEqual([
      "error Deployment/ai/llm: container 'vllm': --model followed by an empty word (container 'vllm' args) gives the option an empty value: argparse takes the empty word as its value, and vLLM is asked to load the model '', which names no repository and no folder, so the server exits before it serves; write the value in that word, or drop the option and the empty word",
    ]);
  });

  test('--served-model-name followed by an empty item: the 404 of every request naming the model', () => {
    expect(serve(['org/m', '--served-model-name', ''])).toEqual([
      expect.stringMatching(/^error .*--served-model-name followed by an empty word .*serves the model under the empty name.*answered 404/),
    ]);
  });

  test.each([
    ['--model followed by a value', ['--model', 'org/m', '--port', '8000']],
    ['an empty word after a switch', ['org/m', '--enforce-eager', '']],
    ['an empty word after an option vLLM does not have', ['org/m', '--not-an-option', '']],
  ])('near miss, %s: silent', (_, args) => {
    expect(serve(args)).toEqual([]);
  });
});
