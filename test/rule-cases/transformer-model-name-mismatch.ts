import { ruleFindings } from '../util';

const RULE = 'transformer-model-name-mismatch';
const isvc = (predictor: Record<string, unknown>, transformerArgs: string[], name = 'ranker') => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name, namespace: 'ml' },
  spec: { predictor, transformer: { containers: [{ name: 'kserve-container', image: 'ghcr.io/example/t:1.0', args: transformerArgs }] } },
});
const sklearn = (extra: Record<string, unknown> = {}) => ({ model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://b/m', ...extra } });

describe('transformer-model-name-mismatch: the transformer calls the predictor under another model name', () => {
  test("a KServe runtime named: served under the InferenceService's name", () => {
    expect(ruleFindings(RULE, [isvc(sklearn({ runtime: 'kserve-sklearnserver' }), ['--model_name', 'rank'])])).toEqual([
      expect.stringMatching(
        /^warning InferenceService\/ml\/ranker: spec\.transformer container 'kserve-container' runs with --model_name rank.*\/v1\/models\/rank:predict.*serves the model as 'ranker' \(KServe's kserve-sklearnserver .*404 model not found/,
      ),
    ]);
  });

  test('auto-selected on upstream KServe, the = form, and the predictor model naming itself', () => {
    expect(ruleFindings(RULE, [isvc(sklearn(), ['--model_name=rank'])])).toEqual([
      expect.stringMatching(/serves the model as 'ranker' \(the runtime KServe selects for sklearn/),
    ]);
    expect(ruleFindings(RULE, [isvc(sklearn({ args: ['--model_name=scorer'] }), ['--model_name', 'ranker'])])).toEqual([
      expect.stringMatching(/serves the model as 'scorer'/),
    ]);
  });

  test('a runtime of the tree: its --model_name, {{.Name}} rendered', () => {
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'custom-sk', namespace: 'ml' },
      spec: {
        supportedModelFormats: [{ name: 'sklearn', autoSelect: true }],
        containers: [{ name: 'kserve-container', image: 'kserve/sklearnserver:v0.15.2', args: ['--model_name={{.Name}}'] }],
      },
    };
    expect(ruleFindings(RULE, [runtime, isvc(sklearn({ runtime: 'custom-sk' }), ['--model_name', 'other'])])).toEqual([
      expect.stringMatching(/serves the model as 'ranker' \(runtime 'custom-sk'/),
    ]);
  });

  test.each([
    ['the same name', isvc(sklearn({ runtime: 'kserve-mlserver' }), ['--model_name', 'ranker'])],
    ['Triton: the repository names the model', isvc({ triton: { storageUri: 'gs://b/r' } }, ['--model_name', 'cifar'])],
    ['TorchServe named', isvc(sklearn({ runtime: 'kserve-torchserve' }), ['--model_name', 'x'])],
    ['a variable', isvc(sklearn({ runtime: 'kserve-sklearnserver' }), ['--model_name', '$(MODEL)'])],
    ['no --model_name', isvc(sklearn({ runtime: 'kserve-sklearnserver' }), ['--protocol', 'v2'])],
  ])('%s: silent', (_what, doc) => {
    expect(ruleFindings(RULE, [doc])).toEqual([]);
  });
});
