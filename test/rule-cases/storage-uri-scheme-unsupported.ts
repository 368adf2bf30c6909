import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('storage-uri-scheme-unsupported', docs);

const isvc = (storageUri: string, annotations: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'm', namespace: 'ai', annotations },
  spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri } } },
});
const storageContainer = (format: Doc): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ClusterStorageContainer',
  metadata: { name: 'custom' },
  spec: { container: { name: 'storage-initializer', image: 'x/y:1' }, supportedUriFormats: [format] },
});

describe('storage-uri-scheme-unsupported', () => {
  test('a scheme KServe does not take: the reconcile fails, naming the scheme and the prefixes', () => {
    expect(found([isvc('proto://path/to/model')])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ai\/m: spec\.predictor\.model\.storageUri is proto:\/\/path\/to\/model, whose scheme proto:\/\/ KServe's storage initializer does not take .*s3:\/\/.*ValidateStorageURI/,
      ),
    ]);
  });

  test('a relative file:// path: the initializer looks in its own container', () => {
    expect(found([isvc('file://./mlruns/0/model')])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ai\/m: spec\.predictor\.model\.storageUri is file:\/\/\.\/mlruns\/0\/model, a path relative .*Local path file:\/\/\.\/mlruns\/0\/model does not exist/,
      ),
    ]);
    expect(found([isvc('file://models/iris')])).toHaveLength(1);
  });

  test('near misses: supported schemes, absolute file://, no scheme, a storage container of the tree for it, templates, ModelMesh', () => {
    for (const uri of [
      's3://b/p',
      'gs://b/p',
      'hf://org/m',
      'oci://r/i:1',
      'pvc://c/p',
      'https://x.blob.core.windows.net/c/p',
      'hdfs://n/p',
      'file:///mnt/m',
      '/mnt/models',
      'models/iris',
    ])
      expect(found([isvc(uri)])).toEqual([]);
    expect(found([isvc('proto://p'), storageContainer({ prefix: 'proto://' })])).toEqual([]);
    expect(found([isvc('proto://p'), storageContainer({ regex: '^proto://.+' })])).toEqual([]);
    expect(found([isvc('{{ .Values.uri }}://x')])).toEqual([]);
    expect(found([isvc('proto://p', { 'serving.kserve.io/deploymentMode': 'ModelMesh' })])).toEqual([]);
  });
});
