import { runChecks } from '../../lib';

type Doc = Record<string, any>;

/**
 * ModelMesh reads a service's storage as modelmesh-serving's InferenceService registry hands it to the runtime
 * adapter's puller. The cases follow modelmesh-runtime-adapter model-serving-puller/puller/puller_test.go
 * (SuccessStorageTypeOnly, DefaultStorageKey, DefaultStorageKeyTyped, FailMissingStorageKeyAndType) and
 * modelmesh-serving's inferenceservice_registry processInferenceServiceStorage (storageUri paths lose their leading '/').
 */
const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mm', labels: { 'modelmesh-enabled': 'true' } } };
const storageConfig = (entries: Record<string, string>): Doc => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'storage-config', namespace: 'mm' },
  stringData: entries,
});
const connection = (name: string): Doc => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'mm', labels: { 'opendatahub.io/managed': 'true', 'opendatahub.io/dashboard': 'true' } },
  stringData: { AWS_S3_BUCKET: 'models' },
});
function service(storage: Doc | undefined, more: Doc = {}, annotations: Record<string, string> = {}): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'digits', namespace: 'mm', annotations: { 'serving.kserve.io/deploymentMode': 'ModelMesh', ...annotations } },
    spec: { predictor: { model: { modelFormat: { name: 'onnx' }, runtime: 'ovms', ...more, ...(storage ? { storage } : {}) } } },
  };
}
const findings = (docs: Doc[], platform: 'kserve' | 'rhoai-2', rule = 'storage-credentials-missing') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.message]);
const S3 = '{"type": "s3", "default_bucket": "models"}';

describe("a ModelMesh service's storage key is an entry of storage-config", () => {
  test("a key the tree's storage-config lacks fails the load; one it holds, or named by the older annotation, does not", () => {
    const docs = (key: string) => [namespace, storageConfig({ team: S3 }), service({ key, path: 'digits/model.onnx' })];
    expect(findings(docs('team'), 'kserve')).toEqual([]);
    expect(findings(docs('other'), 'kserve')).toEqual([
      [
        'error',
        "spec.predictor.model.storage.key 'other' is not an entry of Secret storage-config in the tree (it has team): ModelMesh's puller fails the load with \"Did not find storage config for key other\"; add the entry or name one it has",
      ],
    ]);
    const annotated = service({ path: 'digits/model.onnx' }, {}, { 'serving.kserve.io/secretKey': 'other' });
    expect(findings([namespace, storageConfig({ team: S3 }), annotated], 'kserve').map(([sev]) => sev)).toEqual(['error']);
    // ModelMesh mounts storage-config whatever serving.kserve.io/storageSecretName says
    const renamed = service({ key: 'team', path: 'digits/model.onnx' }, {}, { 'serving.kserve.io/storageSecretName': 'elsewhere' });
    expect(findings([namespace, storageConfig({ team: S3 }), renamed], 'kserve')).toEqual([]);
  });

  test('on OpenShift AI a project the tree creates gets entries only from its connections: a key naming none is an error, elsewhere a warning', () => {
    const svc = service({ key: 'aws-connection-my-storage', path: 'sklearn/model.joblib' });
    expect(findings([namespace, svc], 'rhoai-2')).toEqual([
      [
        'error',
        "ModelMesh reads the storage key 'aws-connection-my-storage' as an entry of Secret storage-config in namespace 'mm', which odh-model-controller writes from the namespace's connections (one entry per connection, under its name; the tree holds none); the tree creates that namespace and nothing of it makes the entry, so the model load fails with \"Did not find storage config for key aws-connection-my-storage\"; create the connection 'aws-connection-my-storage' (a Secret labelled opendatahub.io/dashboard and opendatahub.io/managed) in namespace 'mm', or name one that is there",
      ],
    ]);
    expect(findings([namespace, connection('aws-connection-my-storage'), svc], 'rhoai-2')).toEqual([]);
    expect(findings([namespace, connection('aws-connection-other'), svc], 'rhoai-2')).toEqual([
      ['error', expect.stringContaining("(one entry per connection, under its name; the tree's: aws-connection-other)")],
    ]);
    // a namespace the tree does not create may hold a connection made in the dashboard
    expect(findings([svc], 'rhoai-2')).toEqual([['warning', expect.stringContaining('make sure the entry exists before the service syncs')]]);
    // the key is no Secret ModelMesh reads: secret-not-in-tree does not name it
    expect(findings([svc], 'rhoai-2', 'secret-not-in-tree')).toEqual([]);
    expect(findings([namespace, svc], 'kserve', 'secret-not-in-tree')).toEqual([]);
  });

  test("with no key the puller tries the entry 'default' and goes on with the service's parameters when they give the type", () => {
    // FailMissingStorageKeyAndType: no key, no type, no default entry
    expect(findings([namespace, storageConfig({ team: S3 }), service({ path: 'digits/model.onnx' })], 'kserve')).toEqual([
      [
        'error',
        "spec.predictor.model.storage names no key and neither a storageUri nor storage.parameters.type gives the storage type, so ModelMesh's puller needs the entry 'default' of Secret storage-config, which the tree's lacks (it has team): the load fails with \"Predictor Storage field missing\"; set storage.key to one of its entries",
      ],
    ]);
    // DefaultStorageKey
    expect(findings([namespace, storageConfig({ default: S3 }), service({ path: 'digits/model.onnx' })], 'kserve')).toEqual([]);
    // SuccessStorageTypeOnly / DefaultStorageKeyTyped: the type from the parameters, or from the URI's scheme
    expect(findings([namespace, storageConfig({ team: S3 }), service({ path: 'm.zip', parameters: { type: 'generic' } })], 'kserve')).toEqual([]);
    expect(findings([namespace, storageConfig({ team: S3 }), service(undefined, { storageUri: 's3://models/digits/' })], 'kserve')).toEqual([]);
    // ModelMesh reads no ServiceAccount: an s3:// URI with no key is not judged by the storage initializer's account rules
    expect(findings([service(undefined, { storageUri: 's3://models/digits/' })], 'rhoai-2')).toEqual([]);
  });
});

describe("a ModelMesh storage.path with a leading '/' lists no S3 object", () => {
  const rule = 'storage-path-leading-slash';
  test('S3, GCS and Azure list by the path as a key prefix; the type comes from the parameters, the storage-config entry or a dashboard connection', () => {
    expect(findings([service({ key: 'aws-connection-s3-creds', path: '/onnx/model-v2.onnx' })], 'rhoai-2', rule)).toEqual([
      [
        'error',
        "spec.predictor.model.storage.path '/onnx/model-v2.onnx' begins with '/': ModelMesh hands it to the s3 puller as the object-key prefix, and object keys are written without one, so the listing finds nothing (\"no objects to download\") and the model fails to load; write 'onnx/model-v2.onnx'",
      ],
    ]);
    expect(findings([service({ key: 'aws-connection-s3-creds', path: 'onnx/model-v2.onnx' })], 'rhoai-2', rule)).toEqual([]);
    const gcs = storageConfig({ bucket: '{"type": "gcs", "bucket": "models"}' });
    expect(findings([namespace, gcs, service({ key: 'bucket', path: '/onnx/m.onnx' })], 'kserve', rule).map(([sev]) => sev)).toEqual(['error']);
    expect(findings([service({ path: '/models/m.onnx', parameters: { type: 'azure', container: 'c' } })], 'kserve', rule).map(([sev]) => sev)).toEqual([
      'error',
    ]);
  });
  test('PVC and HTTP storage join the path, an unknown type is not judged, and a storageUri path is trimmed by ModelMesh', () => {
    expect(findings([service({ path: '/models/m.onnx', parameters: { type: 'pvc', name: 'vol' } })], 'kserve', rule)).toEqual([]);
    expect(
      findings([namespace, storageConfig({ web: '{"type": "http", "url": "https://example.com"}' }), service({ key: 'web', path: '/m.onnx' })], 'kserve', rule),
    ).toEqual([]);
    expect(findings([service({ key: 'team', path: '/m.onnx' })], 'kserve', rule)).toEqual([]);
    expect(findings([service({ key: 'aws-connection-s3-creds' }, { storageUri: 's3://models/onnx/m.onnx' })], 'rhoai-2', rule)).toEqual([]);
    // KServe's own storage initializer is not this puller
    const raw = service({ key: 'aws-connection-s3-creds', path: '/onnx/m.onnx' }, {}, { 'serving.kserve.io/deploymentMode': 'RawDeployment' });
    expect(findings([raw], 'rhoai-2', rule)).toEqual([]);
  });
});
