import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('kserve-model-name-default', docs);
const runtime = (name: string, image: string, extra: Doc = {}, kind = 'ServingRuntime'): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind,
  metadata: { name, ...(kind === 'ServingRuntime' ? { namespace: 'ml' } : {}) },
  spec: { supportedModelFormats: [{ name: 'sklearn', version: '1' }], containers: [{ name: 'kserve-container', image, ...extra }] },
});
const service = (name: string, runtimeName: string, args?: string[]): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name, namespace: 'ml' },
  spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, runtime: runtimeName, storageUri: 'gs://bucket/m', ...(args ? { args } : {}) } } },
});

describe('kserve-model-name-default', () => {
  test("a runtime of KServe's Python servers without --model_name: said once, on the first service, naming the others", () => {
    expect(found([runtime('skl', 'kserve/sklearnserver:v0.14.1'), service('churn', 'skl'), service('fraud', 'skl', ['--workers=2'])])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ml\/churn: container 'kserve-container' of ServingRuntime 'skl' runs kserve\/sklearnserver:v0.14.1, and neither the runtime's args nor the service's give --model_name \(as do 1 more services on it: fraud\): the server registers the model as 'model'.*not 'churn'.*\/v1\/models\/churn:predict.*404/,
      ),
    ]);
  });

  test('a ClusterServingRuntime of the tree, and a predictor container of its own; --model-name is not the option', () => {
    expect(
      found([runtime('hf', 'docker.io/kserve/huggingfaceserver:v0.15.0', { args: ['--model-name=chat'] }, 'ClusterServingRuntime'), service('chat', 'hf')]),
    ).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ml\/chat: container 'kserve-container' of ClusterServingRuntime 'hf' runs docker.io\/kserve\/huggingfaceserver:v0.15.0/,
      ),
    ]);
    const custom = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'boost', namespace: 'ml' },
      spec: { predictor: { containers: [{ name: 'kserve-container', image: 'kserve/xgbserver:v0.13.0', args: ['--model_dir=/mnt/models'] }] } },
    };
    expect(found([custom])).toEqual([
      expect.stringMatching(/^error InferenceService\/ml\/boost: its container kserve-container runs kserve\/xgbserver:v0.13.0/),
    ]);
  });

  test("near misses: --model_name in the runtime's args or the service's; a runtime not in the tree; another server; another command; a service named model", () => {
    expect(
      found([runtime('skl', 'kserve/sklearnserver:v0.14.1', { args: ['--model_name={{.Name}}', '--model_dir=/mnt/models'] }), service('churn', 'skl')]),
    ).toEqual([]);
    expect(found([runtime('skl', 'kserve/sklearnserver:v0.14.1'), service('churn', 'skl', ['--model_name', 'churn'])])).toEqual([]);
    expect(found([service('churn', 'kserve-sklearnserver')])).toEqual([]);
    expect(found([runtime('triton', 'nvcr.io/nvidia/tritonserver:24.08-py3'), service('churn', 'triton')])).toEqual([]);
    expect(found([runtime('skl', 'kserve/sklearnserver:v0.14.1', { command: ['/bin/sh', '-c', 'sleep infinity'] }), service('churn', 'skl')])).toEqual([]);
    expect(found([runtime('skl', 'kserve/sklearnserver:v0.14.1'), service('model', 'skl')])).toEqual([]);
  });

  test('a runtime KServe auto-selects (the service names none), and a custom predictor whose sole container has another name: the same error', () => {
    const auto = {
      ...runtime('skl', 'kserve/sklearnserver:v0.14.1'),
      spec: { ...runtime('skl', 'x').spec, supportedModelFormats: [{ name: 'sklearn', autoSelect: true }] },
    };
    auto.spec.containers = [{ name: 'kserve-container', image: 'kserve/sklearnserver:v0.14.1' }];
    const unnamedService = service('churn', 'skl');
    delete unnamedService.spec.predictor.model.runtime;
    expect(found([auto, unnamedService])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ml\/churn: container 'kserve-container' of ServingRuntime 'skl' runs kserve\/sklearnserver:v0.14.1, and neither/,
      ),
    ]);
    const custom = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'boost', namespace: 'ml' },
      spec: { predictor: { containers: [{ name: 'server', image: 'kserve/xgbserver:v0.13.0', args: ['--model_dir=/mnt/models'] }] } },
    };
    expect(found([custom])).toEqual([
      expect.stringMatching(/^error InferenceService\/ml\/boost: its container kserve-container runs kserve\/xgbserver:v0.13.0/),
    ]);
  });

  test("a literal --model_name other than the service's name (the last one counts): the error names what it registers", () => {
    expect(found([runtime('skl', 'kserve/sklearnserver:v0.14.1', { args: ['--model_name=iris'] }), service('churn', 'skl')])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ml\/churn: .*the args give --model_name=iris: the server registers the model as 'iris', not 'churn', so requests .*set --model_name=\{\{\.Name\}\}/,
      ),
    ]);
    expect(
      found([runtime('skl', 'kserve/sklearnserver:v0.14.1', { args: ['--model_name=churn'] }), service('churn', 'skl', ['--model_name', 'iris'])]),
    ).toEqual([expect.stringMatching(/registers the model as 'iris', not 'churn'/)]);
  });

  test('near misses: --model_name equal to the service name, last; auto-selection that does not pick the runtime', () => {
    expect(found([runtime('skl', 'kserve/sklearnserver:v0.14.1', { args: ['--model_name=iris'] }), service('churn', 'skl', ['--model_name=churn'])])).toEqual(
      [],
    );
    const unnamedService = service('churn', 'skl');
    delete unnamedService.spec.predictor.model.runtime;
    // the runtime's format does not auto-select: KServe does not pick it
    expect(found([runtime('skl', 'kserve/sklearnserver:v0.14.1'), unnamedService])).toEqual([]);
  });
});
