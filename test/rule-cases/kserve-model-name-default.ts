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
        /^warning InferenceService\/ml\/churn: runs kserve\/sklearnserver:v0.14.1 \(ServingRuntime 'skl'\), and neither the runtime's args nor the service's give --model_name \(as do 1 more services on it: fraud\): the server registers the model as 'model'.*not 'churn'.*\/v1\/models\/churn:predict.*404/,
      ),
    ]);
  });

  test('a ClusterServingRuntime of the tree, and a predictor container of its own; --model-name is not the option', () => {
    expect(
      found([runtime('hf', 'docker.io/kserve/huggingfaceserver:v0.15.0', { args: ['--model-name=chat'] }, 'ClusterServingRuntime'), service('chat', 'hf')]),
    ).toEqual([expect.stringMatching(/^warning InferenceService\/ml\/chat: runs docker.io\/kserve\/huggingfaceserver:v0.15.0 \(ClusterServingRuntime 'hf'\)/)]);
    const custom = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'boost', namespace: 'ml' },
      spec: { predictor: { containers: [{ name: 'kserve-container', image: 'kserve/xgbserver:v0.13.0', args: ['--model_dir=/mnt/models'] }] } },
    };
    expect(found([custom])).toEqual([expect.stringMatching(/^warning InferenceService\/ml\/boost: runs kserve\/xgbserver:v0.13.0 \(its kserve-container\)/)]);
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
});
