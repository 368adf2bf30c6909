import { runChecks } from '../lib';
import { KSERVE_CLUSTER_RUNTIMES } from '../lib/platform/kserve-runtimes';
import type { RuntimeSelectionSpec } from '../lib/platform/kserve-runtimes';
import { SelectionModel, supportingRuntimes } from '../lib/check/runtime-selection';

type Doc = Record<string, any>;

/**
 * Runtime selection as KServe does it. The unit cases are those of kserve pkg/apis/serving/v1beta1/predictor_model_test.go
 * TestGetSupportingRuntimes (same runtimes, formats, priorities and expected order); the rule cases are the shapes of
 * upstream examples that named or auto-selected a ClusterServingRuntime.
 */
const fmt = (name: string, version: string, autoSelect: boolean | undefined, priority?: number) => ({ name, version, autoSelect, priority });
const tf: RuntimeSelectionSpec = { name: 'tf-runtime', supportedModelFormats: [fmt('tensorflow', '1', true, 1)], protocolVersions: ['v1', 'v2'] };
const sklearn: RuntimeSelectionSpec = { name: 'sklearn-runtime', supportedModelFormats: [fmt('sklearn', '0', true, 1)], protocolVersions: ['v1', 'v2'] };
const pmml: RuntimeSelectionSpec = {
  name: 'pmml-runtime',
  supportedModelFormats: [fmt('pmml', '4', undefined, 1)],
  protocolVersions: ['v1', 'v2'],
  disabled: true,
};
const mms: RuntimeSelectionSpec = {
  name: 'mlserver-runtime-mms',
  supportedModelFormats: [fmt('sklearn', '0', true, 2), fmt('xgboost', '1', true, 2), fmt('lightgbm', '3', true, 2)],
  protocolVersions: ['v2'],
  multiModel: true,
};
const mlserver: RuntimeSelectionSpec = {
  name: 'mlserver-runtime',
  supportedModelFormats: [fmt('sklearn', '0', true, 2), fmt('lightgbm', '3', true, 2)],
  protocolVersions: ['v2'],
};
const xgb: RuntimeSelectionSpec = { name: 'xgboost-runtime', supportedModelFormats: [fmt('xgboost', '0', true, 1)], protocolVersions: ['v2'] };
const triton: RuntimeSelectionSpec = {
  name: 'triton-runtime',
  supportedModelFormats: [fmt('sklearn', '0', true), fmt('triton', '1', true, 1), fmt('lightgbm', '3', true)],
  protocolVersions: ['v2'],
};
const test_: RuntimeSelectionSpec = { name: 'test-runtime', supportedModelFormats: [fmt('sklearn', '0', true)], protocolVersions: ['v2'] };
const hfMulti: RuntimeSelectionSpec = {
  name: 'huggingface-multinode-runtime',
  supportedModelFormats: [fmt('huggingface', '1', true, 2)],
  protocolVersions: ['v1', 'v2'],
  multiNode: true,
};
const NAMESPACED = [tf, sklearn, pmml, mlserver, triton, test_, hfMulti];
const CLUSTER = [mms, xgb, tf].map((r) => ({ ...r, name: `cluster-${r.name}` }));
const model = (format: string, more: Partial<SelectionModel> = {}): SelectionModel => ({ format, multiNode: false, ...more });

describe("GetSupportingRuntimes' cases", () => {
  test.each([
    ['BothClusterAndNamespaceRuntimesSupportModel', model('tensorflow'), ['tf-runtime', 'cluster-tf-runtime']],
    ['RuntimeNotFound', model('nonexistent-modelformat'), []],
    ['ModelFormatWithDisabledRuntimeSpecified', model('pmml'), []],
    ['SMSRuntimeModelFormatSpecified', model('sklearn'), ['sklearn-runtime']],
    ['RuntimeV2ProtocolSpecified', model('xgboost', { protocolVersion: 'v2' }), ['cluster-xgboost-runtime']],
    ['RuntimeV1ProtocolNotFound', model('xgboost', { protocolVersion: 'v1' }), []],
    [
      'MultipleRuntimeSupportsModelFormatSpecified',
      model('sklearn', { protocolVersion: 'v2' }),
      ['mlserver-runtime', 'sklearn-runtime', 'test-runtime', 'triton-runtime'],
    ],
    ['MultiNodeWorkerSpecSpecified', model('huggingface', { protocolVersion: 'v2', multiNode: true }), ['huggingface-multinode-runtime']],
  ] as const)('%s', (_name, m, expected) => {
    expect(supportingRuntimes(m, NAMESPACED, CLUSTER)).toEqual(expected);
  });

  test('a format version must match one the runtime lists; a named runtime counts formats that do not auto-select', () => {
    expect(supportingRuntimes(model('tensorflow', { formatVersion: '2' }), [tf], [])).toEqual([]);
    expect(supportingRuntimes(model('tensorflow', { formatVersion: '1' }), [tf], [])).toEqual(['tf-runtime']);
    const quiet: RuntimeSelectionSpec = { name: 'quiet', supportedModelFormats: [fmt('onnx', '1', false)] };
    expect(supportingRuntimes(model('onnx'), [quiet], [])).toEqual([]);
    expect(supportingRuntimes(model('onnx', { runtime: 'quiet' }), [quiet], [])).toEqual(['quiet']);
  });

  test("the data file lists the runtimes of KServe v0.20.0's config/runtimes kustomization, not the openvino file it leaves out", () => {
    expect(KSERVE_CLUSTER_RUNTIMES.source).toMatch(/kserve\/kserve tag v0\.20\.0/);
    expect(KSERVE_CLUSTER_RUNTIMES.runtimes.map((r) => r.name)).toEqual([
      'kserve-autogluonserver',
      'kserve-huggingfaceserver',
      'kserve-huggingfaceserver-multinode',
      'kserve-lgbserver',
      'kserve-mlserver',
      'kserve-paddleserver',
      'kserve-pmmlserver',
      'kserve-predictiveserver',
      'kserve-sklearnserver',
      'kserve-tensorflow-serving',
      'kserve-torchserve',
      'kserve-tritonserver',
      'kserve-vllmserver',
      'kserve-xgbserver',
    ]);
  });
});

const clusterRuntime: Doc = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ClusterServingRuntime',
  metadata: { name: 'team-onnx' },
  spec: {
    supportedModelFormats: [{ name: 'onnx', version: '1', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'example.com/onnx@sha256:' + 'a'.repeat(64) }],
  },
};
const nsRuntime: Doc = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'other', namespace: 'ml' },
  spec: {
    supportedModelFormats: [{ name: 'pmml', version: '4' }],
    containers: [{ name: 'kserve-container', image: 'example.com/pmml@sha256:' + 'b'.repeat(64) }],
  },
};
function service(model: Doc, namespace: string | null = 'ml'): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'scorer', ...(namespace ? { namespace } : {}) },
    spec: { predictor: { model: { storageUri: 'gs://bucket/model', ...model } } },
  };
}
const findings = (docs: Doc[], platform: 'kserve' | 'rhoai-3.0', rule = 'runtime-not-found') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.message]);

describe('runtime-not-found on upstream KServe reads ClusterServingRuntimes', () => {
  test("a service naming the tree's ClusterServingRuntime binds to it on kserve; on OpenShift AI it is an error naming the missing CRD", () => {
    const docs = [clusterRuntime, nsRuntime, service({ modelFormat: { name: 'onnx' }, runtime: 'team-onnx' })];
    expect(findings(docs, 'kserve')).toEqual([]);
    expect(findings(docs, 'rhoai-3.0')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime 'team-onnx': no ServingRuntime of that name in namespace 'ml' (a ClusterServingRuntime does not help: OpenShift AI does not install that CRD); add a ServingRuntime 'team-onnx' to namespace 'ml'. The service stays at RuntimeNotRecognized",
      ],
    ]);
  });

  test('a runtime KServe installs is found by name on kserve without being in the tree', () => {
    expect(findings([nsRuntime, service({ modelFormat: { name: 'lightgbm' }, runtime: 'kserve-lgbserver' })], 'kserve')).toEqual([]);
    expect(findings([service({ modelFormat: { name: 'lightgbm' }, runtime: 'kserve-lgbserver' })], 'kserve')).toEqual([]);
  });

  test('a name that is neither a runtime of the namespace nor a cluster one is an error on kserve too, in plain words when the namespace is unknown', () => {
    expect(findings([nsRuntime, service({ modelFormat: { name: 'pmml' }, runtime: 'pmml-old' })], 'kserve')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime 'pmml-old': no ServingRuntime of that name in namespace 'ml' nor a ClusterServingRuntime (of the tree or of those KServe installs); add a ServingRuntime 'pmml-old' to namespace 'ml'. The service stays at RuntimeNotRecognized",
      ],
    ]);
    const loose = { ...nsRuntime, metadata: { name: 'other' } };
    expect(findings([loose, service({ modelFormat: { name: 'pmml' }, runtime: 'pmml-old' }, null)], 'rhoai-3.0')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime 'pmml-old': no ServingRuntime of that name in the service's namespace; add a ServingRuntime 'pmml-old' to the service's namespace. The service stays at RuntimeNotRecognized",
      ],
    ]);
  });

  test("auto-selection counts the tree's and KServe's ClusterServingRuntimes on kserve, in KServe's order", () => {
    expect(findings([clusterRuntime, nsRuntime, service({ modelFormat: { name: 'onnx' } })], 'kserve')).toEqual([
      ['warning', 'spec.predictor.model.runtime is unset: KServe picks team-onnx on every reconcile; set it explicitly'],
    ]);
    // sklearn 1 over protocol v2: the namespace's runtime first, then kserve-mlserver (priority 2) before kserve-sklearnserver (priority 1)
    const team = {
      ...nsRuntime,
      metadata: { name: 'team-sklearn', namespace: 'ml' },
      spec: { ...nsRuntime.spec, supportedModelFormats: [{ name: 'sklearn', version: '1', autoSelect: true }], protocolVersions: ['v2'] },
    };
    const sklearnV2 = service({ modelFormat: { name: 'sklearn', version: '1' }, protocolVersion: 'v2' });
    expect(findings([team, sklearnV2], 'kserve')).toEqual([
      [
        'warning',
        'spec.predictor.model.runtime is unset: KServe picks the first of team-sklearn, kserve-mlserver, kserve-sklearnserver on every reconcile; set it explicitly',
      ],
    ]);
    // KServe's own runtimes alone: its documented default choice, not reported
    expect(findings([nsRuntime, sklearnV2], 'kserve')).toEqual([]);
    // triton defaults to protocol v2 (setPredictorModelDefaults), which kserve-tritonserver serves
    expect(findings([nsRuntime, service({ modelFormat: { name: 'triton' } })], 'kserve')).toEqual([]);
    expect(findings([clusterRuntime, nsRuntime, service({ modelFormat: { name: 'onnx' } })], 'rhoai-3.0')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime is unset and no ServingRuntime in namespace 'ml' auto-selects format 'onnx'; set runtime explicitly (auto-selection is redone on every reconcile and can change)",
      ],
    ]);
  });

  test('a format no runtime auto-selects is still an error on kserve', () => {
    // kserve-pmmlserver auto-selects pmml 4, but not pmml 2
    expect(findings([nsRuntime, service({ modelFormat: { name: 'pmml', version: '4' } })], 'kserve')).toEqual([]);
    expect(findings([nsRuntime, service({ modelFormat: { name: 'pmml', version: '2' } })], 'kserve')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime is unset and no ServingRuntime in namespace 'ml' or among the ClusterServingRuntimes auto-selects format 'pmml' version '2'; set runtime explicitly (auto-selection is redone on every reconcile and can change)",
      ],
    ]);
  });
});

describe('the predictor runs as default when serviceAccountName is unset', () => {
  const s3 = (extra: Doc[]) => [...extra, service({ modelFormat: { name: 'sklearn' }, runtime: 'kserve-sklearnserver', storageUri: 's3://bucket/model' })];
  test('with no default account in the tree the missing credentials are a warning on upstream KServe, an error on OpenShift AI', () => {
    expect(findings(s3([]), 'kserve', 'storage-credentials-missing').map(([sev]) => sev)).toEqual(['warning']);
    // an OpenShift AI project's default account holds no storage Secret: connections go through storage.key
    expect(findings(s3([]), 'rhoai-3.0', 'storage-credentials-missing')).toEqual([
      ['error', expect.stringMatching(/ServiceAccount default, which the tree does not define: on OpenShift AI that account lists no storage Secret/)],
    ]);
  });
  test("the tree's default account is judged: a listed S3 key Secret or an IRSA role serves, an empty account is an error", () => {
    const sa = (more: Doc) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'ml' }, ...more });
    const keys = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'ml' }, stringData: { AWS_SECRET_ACCESS_KEY: 'x' } };
    expect(findings(s3([sa({ secrets: [{ name: 'keys' }] }), keys]), 'kserve', 'storage-credentials-missing')).toEqual([]);
    expect(
      findings(
        s3([sa({ metadata: { name: 'default', namespace: 'ml', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/r' } } })]),
        'kserve',
        'storage-credentials-missing',
      ),
    ).toEqual([]);
    expect(findings(s3([sa({})]), 'kserve', 'storage-credentials-missing').map(([sev]) => sev)).toEqual(['error']);
    const other = { ...keys, stringData: { token: 'x' } };
    expect(findings(s3([sa({ secrets: [{ name: 'keys' }] }), other]), 'kserve', 'storage-credentials-missing')).toEqual([
      [
        'error',
        'weights come from s3://bucket/model/ but ServiceAccount default (serviceAccountName is unset, so KServe uses default) lists no Secret with AWS_SECRET_ACCESS_KEY (keys) and has no eks.amazonaws.com/role-arn annotation: the storage initializer gets no credentials and the download fails with "Unable to locate credentials" (unless the node\'s role grants access); set spec.predictor.model.storage.key to the connection Secret\'s name (or the opendatahub.io/connections annotation), or list a Secret with AWS_SECRET_ACCESS_KEY on ServiceAccount default',
      ],
    ]);
  });
});

describe("ModelMesh's Predictor on upstream KServe", () => {
  const predictor = (apiVersion: string) => ({
    apiVersion,
    kind: 'Predictor',
    metadata: { name: 'mnist', namespace: 'ml' },
    spec: { modelType: { name: 'onnx' }, path: 'x' },
  });
  test('is a warning on kserve (served where ModelMesh is installed), an error on OpenShift AI 3.x and in a version ModelMesh does not serve', () => {
    expect(findings([predictor('serving.kserve.io/v1alpha1')], 'kserve', 'kind-not-served')).toEqual([
      [
        'warning',
        'kind Predictor of serving.kserve.io is served when ModelMesh Serving is installed, not by upstream KServe 0.20 with Kueue 0.16+ alone: install ModelMesh Serving before sync, or the apply fails with "no matches for kind \\"Predictor\\" in version \\"serving.kserve.io/v1alpha1\\""',
      ],
    ]);
    expect(findings([predictor('serving.kserve.io/v1alpha1')], 'rhoai-3.0', 'kind-not-served').map(([sev]) => sev)).toEqual(['error']);
    expect(findings([predictor('serving.kserve.io/v1beta1')], 'kserve', 'kind-not-served').map(([sev]) => sev)).toEqual(['error']);
  });
});
