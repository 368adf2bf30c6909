import { runChecks } from '../../lib';
import { KSERVE_CLUSTER_RUNTIMES } from '../../lib/platform/kserve-runtimes';
import type { RuntimeSelectionSpec } from '../../lib/platform/kserve-runtimes';
import { SelectionModel, supportingRuntimes } from '../../lib/check/runtime-selection';
import { modelFieldOf, modelSpecOf } from '../../lib/check/serving-model';
import { ObjectGraph } from '../../lib/check/graph';

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

  test("the rules that read the runtime read the tree's ClusterServingRuntime a service names on kserve", () => {
    const vllmCluster: Doc = {
      ...clusterRuntime,
      metadata: { name: 'team-vllm' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [
          {
            name: 'kserve-container',
            image: 'vllm/vllm-openai:v0.11.0',
            args: ['--model', '/mnt/models'],
            volumeMounts: [{ name: 'own', mountPath: '/mnt/models' }],
          },
        ],
        volumes: [{ name: 'own', emptyDir: {} }],
      },
    };
    const docs = [vllmCluster, service({ modelFormat: { name: 'vLLM' }, runtime: 'team-vllm', storageUri: 's3://bucket/model' })];
    expect(findings(docs, 'kserve', 'model-mount-conflict')).toEqual([['error', expect.stringMatching(/\/mnt\/models/)]]);
    // the service's GPUs against the cluster runtime's tensor-parallel size
    const tp2 = {
      ...vllmCluster,
      spec: {
        ...vllmCluster.spec,
        containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.11.0', args: ['--model=/mnt/models', '--tensor-parallel-size=2'] }],
        volumes: [],
      },
    };
    const oneGpu = service({
      modelFormat: { name: 'vLLM' },
      runtime: 'team-vllm',
      storageUri: 's3://bucket/model',
      resources: { limits: { 'nvidia.com/gpu': '1' } },
    });
    expect(findings([tp2, oneGpu], 'kserve', 'tensor-parallel-gpu-mismatch')).toEqual([
      ['error', expect.stringMatching(/tensor-parallel-size=2 needs 2 GPUs but resources give 1/)],
    ]);
    // a namespaced runtime of the name comes first: the cluster one is not read
    const namespaced = {
      ...vllmCluster,
      kind: 'ServingRuntime',
      metadata: { name: 'team-vllm', namespace: 'ml' },
      spec: { ...vllmCluster.spec, containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.11.0' }], volumes: [] },
    };
    expect(findings([namespaced, ...docs], 'kserve', 'model-mount-conflict')).toEqual([]);
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

  test("a runtime auto-selection picks, the tree's or KServe's, is no finding: picking is what it is for", () => {
    expect(findings([clusterRuntime, nsRuntime, service({ modelFormat: { name: 'onnx' } })], 'kserve')).toEqual([]);
    const team = {
      ...nsRuntime,
      metadata: { name: 'team-sklearn', namespace: 'ml' },
      spec: { ...nsRuntime.spec, supportedModelFormats: [{ name: 'sklearn', version: '1', autoSelect: true }], protocolVersions: ['v2'] },
    };
    const sklearnV2 = service({ modelFormat: { name: 'sklearn', version: '1' }, protocolVersion: 'v2' });
    expect(findings([team, sklearnV2], 'kserve')).toEqual([]);
    expect(findings([team, sklearnV2], 'rhoai-3.0')).toEqual([]);
    expect(findings([nsRuntime, sklearnV2], 'kserve')).toEqual([]);
    // triton defaults to protocol v2 (setPredictorModelDefaults), which kserve-tritonserver serves
    expect(findings([nsRuntime, service({ modelFormat: { name: 'triton' } })], 'kserve')).toEqual([]);
    // the tree's ClusterServingRuntime does not count on OpenShift AI, which removes the CRD
    expect(findings([clusterRuntime, nsRuntime, service({ modelFormat: { name: 'onnx' } })], 'rhoai-3.0')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime is unset and no runtime in namespace 'ml' (OpenShift AI installs no ClusterServingRuntimes) auto-selects format 'onnx' (the tree holds the runtimes of namespace 'ml'): KServe finds no runtime (\"No runtime found to support predictor with model type\") and the service never deploys; add to namespace 'ml' a ServingRuntime whose supportedModelFormats lists onnx with autoSelect: true, or name a runtime in spec.predictor.model.runtime",
      ],
    ]);
  });

  test('a format no runtime auto-selects is still an error on kserve', () => {
    // kserve-pmmlserver auto-selects pmml 4, but not pmml 2
    expect(findings([nsRuntime, service({ modelFormat: { name: 'pmml', version: '4' } })], 'kserve')).toEqual([]);
    expect(findings([nsRuntime, service({ modelFormat: { name: 'pmml', version: '2' } })], 'kserve')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime is unset and no runtime in namespace 'ml' or among the ClusterServingRuntimes auto-selects format 'pmml' version '2' (the tree holds the runtimes of namespace 'ml'): KServe finds no runtime (\"No runtime found to support predictor with model type\") and the service never deploys; add to namespace 'ml' a ServingRuntime whose supportedModelFormats lists pmml with autoSelect: true, or name a runtime in spec.predictor.model.runtime",
      ],
    ]);
  });
});

describe('auto-selection with no runtime to pick (KServe: "No runtime found to support predictor with model type")', () => {
  const ns = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const sklearnService = (namespace: string | null): Doc => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', ...(namespace ? { namespace } : {}) },
    spec: { predictor: { sklearn: { storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model' } } },
  });
  test('a framework predictor in a project the tree creates, on OpenShift AI (no ClusterServingRuntimes): an error', () => {
    expect(findings([ns('ml-project-a'), sklearnService('ml-project-a')], 'rhoai-3.0')).toEqual([
      [
        'error',
        "spec.predictor.model.runtime is unset (spec.predictor.sklearn becomes a model of format 'sklearn') and no runtime in namespace 'ml-project-a' (OpenShift AI installs no ClusterServingRuntimes) auto-selects format 'sklearn' (the tree creates namespace 'ml-project-a'): KServe finds no runtime (\"No runtime found to support predictor with model type\") and the service never deploys; add to namespace 'ml-project-a' a ServingRuntime whose supportedModelFormats lists sklearn with autoSelect: true, or name a runtime in spec.predictor.model.runtime",
      ],
    ]);
    // upstream KServe installs kserve-sklearnserver, which auto-selects sklearn
    expect(findings([ns('ml-project-a'), sklearnService('ml-project-a')], 'kserve')).toEqual([]);
  });

  test('a namespace the tree neither creates nor fills may hold a runtime made outside Git: a warning', () => {
    expect(findings([sklearnService(null)], 'rhoai-3.0')).toEqual([
      [
        'warning',
        "spec.predictor.model.runtime is unset (spec.predictor.sklearn becomes a model of format 'sklearn') and no runtime of the tree in the service's namespace (OpenShift AI installs no ClusterServingRuntimes) auto-selects format 'sklearn'; the namespace may hold one made outside Git (the dashboard's), else KServe finds no runtime (\"No runtime found to support predictor with model type\") and the service never deploys: add to the service's namespace a ServingRuntime whose supportedModelFormats lists sklearn with autoSelect: true, or name a runtime in spec.predictor.model.runtime",
      ],
    ]);
  });

  test("the message names the tree's runtimes that could serve: one listing the format without autoSelect, one of another namespace", () => {
    // nsRuntime 'other' of namespace ml lists pmml 4 without autoSelect
    expect(findings([nsRuntime, service({ modelFormat: { name: 'pmml', version: '4' } })], 'rhoai-3.0')).toEqual([
      ['error', expect.stringContaining('other lists it without autoSelect: name it in spec.predictor.model.runtime; add to namespace')],
    ]);
    const team = {
      ...nsRuntime,
      metadata: { name: 'team-sklearn', namespace: 'team' },
      spec: { ...nsRuntime.spec, supportedModelFormats: [{ name: 'sklearn', autoSelect: true }] },
    };
    expect(findings([ns('ml-project-a'), team, sklearnService('ml-project-a')], 'rhoai-3.0')).toEqual([
      ['error', expect.stringContaining("team-sklearn (namespace 'team') auto-selects it, but KServe looks only in the service's namespace: copy one there")],
    ]);
  });

  test("framework fields take the defaulter's protocol (onnx, triton, huggingface: v2), so onnx auto-selects kserve-tritonserver on kserve", () => {
    const onnx = (more: Doc): Doc => ({
      ...sklearnService(null),
      spec: { predictor: { onnx: { storageUri: 'gs://kfserving-examples/models/onnx', ...more } } },
    });
    expect(findings([onnx({})], 'kserve')).toEqual([]);
    // with protocol v1 written out no runtime of KServe serves onnx (kserve-tritonserver speaks v2 and grpc-v2)
    expect(findings([onnx({ protocolVersion: 'v1' })], 'kserve').map(([sev]) => sev)).toEqual(['warning']);
  });

  test("a ModelMesh service picks among multi-model runtimes by ModelMesh's rules: not judged here", () => {
    const mm = {
      ...sklearnService('ml-project-a'),
      metadata: { name: 'iris', namespace: 'ml-project-a', annotations: { 'serving.kserve.io/deploymentMode': 'ModelMesh' } },
    };
    expect(findings([ns('ml-project-a'), mm], 'rhoai-3.0')).toEqual([]);
  });
});

describe('a named runtime and no modelFormat (predictor.go reconcileModel checks RuntimeSupportsModel for a named runtime)', () => {
  const rule = 'runtime-format-mismatch';
  // controller_test.go "a ServingRuntime which does not support specified model format": the format label must be among the runtime's
  const tf = {
    ...nsRuntime,
    metadata: { name: 'tf-serving', namespace: 'ml' },
    spec: { ...nsRuntime.spec, supportedModelFormats: [{ name: 'tensorflow', version: '1', autoSelect: true }] },
  };
  test('an empty format matches no runtime, whether or not the tree holds it', () => {
    const expected = [
      'error',
      "spec.predictor.model names runtime 'tf-serving' but no modelFormat: KServe checks that a named runtime supports the model's format, an empty one matches none of its supportedModelFormats, so the service stays at NoSupportingRuntime (\"specified runtime tf-serving does not support specified framework/version\"); add spec.predictor.model.modelFormat.name (the format the runtime lists, e.g. vLLM)",
    ];
    expect(findings([tf, service({ runtime: 'tf-serving' })], 'kserve', rule)).toEqual([expected]);
    expect(findings([service({ runtime: 'tf-serving' })], 'kserve', rule)).toEqual([expected]);
    expect(findings([tf, service({ runtime: 'tf-serving', modelFormat: { name: 'tensorflow' } })], 'kserve', rule)).toEqual([]);
    // a disabled runtime is reported as such first (RuntimeDisabled)
    const off = { ...tf, spec: { ...tf.spec, disabled: true } };
    expect(findings([off, service({ runtime: 'tf-serving' })], 'kserve', rule)).toEqual([
      ['error', "runtime 'tf-serving' is disabled (spec.disabled: true); the service stays at RuntimeDisabled"],
    ]);
  });
  test('a ModelMesh service is not judged', () => {
    const mm = {
      ...service({ runtime: 'tf-serving' }),
      metadata: { name: 'scorer', namespace: 'ml', annotations: { 'serving.kserve.io/deploymentMode': 'ModelMesh' } },
    };
    expect(findings([mm], 'kserve', rule)).toEqual([]);
  });
});

describe('the predictor runs as default when serviceAccountName is unset', () => {
  const s3 = (extra: Doc[]) => [...extra, service({ modelFormat: { name: 'sklearn' }, runtime: 'kserve-sklearnserver', storageUri: 's3://bucket/model' })];
  test('on upstream KServe an error where S3 settings are annotations of the service (read on the Secret only) or the tree runs its own MinIO', () => {
    const annotated = service({ modelFormat: { name: 'sklearn' }, runtime: 'kserve-sklearnserver', storageUri: 's3://bucket/model' });
    annotated.metadata = { ...annotated.metadata, annotations: { 'serving.kserve.io/s3-endpoint': 'minio.data:9000', 'serving.kserve.io/s3-secret': 'keys' } };
    expect(findings([annotated], 'kserve', 'storage-credentials-missing')).toEqual([
      [
        'error',
        expect.stringMatching(
          /which the tree does not define: its annotations serving\.kserve\.io\/s3-endpoint, serving\.kserve\.io\/s3-secret are read by KServe on a Secret the ServiceAccount lists, not on the InferenceService, so they are ignored; the download fails/,
        ),
      ],
    ]);
    const minio = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'minio', namespace: 'data' },
      spec: { template: { spec: { containers: [{ name: 'minio', image: 'quay.io/minio/minio:RELEASE.2025-01-01T00-00-00Z' }] } } },
    };
    expect(findings(s3([minio]), 'kserve', 'storage-credentials-missing')).toEqual([
      [
        'error',
        expect.stringMatching(
          /the tree runs MinIO \(StatefulSet\/data\/minio, quay\.io\/minio\/minio:RELEASE\.2025-01-01T00-00-00Z\), which no node role reaches/,
        ),
      ],
    ]);
    // a client image that only names minio in its path is no server
    const client = { ...minio, spec: { template: { spec: { containers: [{ name: 'mc', image: 'quay.io/example/minio-uploader:1.0' }] } } } };
    expect(findings(s3([client]), 'kserve', 'storage-credentials-missing').map(([sev]) => sev)).toEqual(['warning']);
  });
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
        'weights come from s3://bucket/model but ServiceAccount default (serviceAccountName is unset, so KServe uses default) lists no Secret with AWS_SECRET_ACCESS_KEY (keys) and has no eks.amazonaws.com/role-arn annotation: the storage initializer gets no credentials and the download fails with "Unable to locate credentials" (unless the node\'s role grants access); create a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and its serving.kserve.io/s3-endpoint annotation for a server other than AWS S3), list it on a ServiceAccount and name that account in spec.predictor.serviceAccountName (or list it on ServiceAccount default), or set spec.predictor.model.storage.key to an entry of the namespace\'s storage-config Secret',
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

describe('a framework shorthand (spec.predictor.sklearn, …) is read as the model KServe makes of it', () => {
  // kserve predictor_sklearn.go and siblings: the shorthand is a PredictorExtensionSpec (storageUri, storage, args,
  // env, resources) that the defaulter moves into `model` with the field's name as format
  const shorthand = (framework: string, ext: Doc): Doc => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'scorer', namespace: 'ml' },
    spec: { predictor: { [framework]: ext } },
  });
  test('an s3:// storageUri under sklearn with no credential path is judged, the message naming the shorthand field', () => {
    expect(findings([shorthand('sklearn', { storageUri: 's3://mlflow-artifacts/1/model' })], 'kserve', 'storage-credentials-missing')).toEqual([
      ['warning', expect.stringMatching(/^weights come from s3:\/\/mlflow-artifacts\/1\/model .*set spec\.predictor\.sklearn\.storage\.key to/)],
    ]);
    expect(findings([shorthand('xgboost', { storageUri: 's3://b/xgb' })], 'rhoai-3.0', 'storage-credentials-missing').map(([sev]) => sev)).toEqual(['error']);
  });
  test('near misses: a gs:// or pvc:// shorthand needs no S3 credentials; a storage key names the connection', () => {
    expect(findings([shorthand('sklearn', { storageUri: 'gs://b/m' })], 'kserve', 'storage-credentials-missing')).toEqual([]);
    expect(findings([shorthand('tensorflow', { storage: { key: 'conn', path: 'tf/m' } })], 'kserve', 'storage-credentials-missing')).toEqual([]);
  });
  test("a pvc:// shorthand storageUri names the claim the pod mounts, at the shorthand's field", () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } };
    expect(findings([ns, shorthand('pytorch', { storageUri: 'pvc://weights/model' })], 'kserve', 'pod-reference-not-found')).toEqual([
      ['error', expect.stringMatching(/^spec\.predictor\.pytorch\.storageUri 'weights' .*no PersistentVolumeClaim 'weights' is in it/)],
    ]);
  });
  test("the shorthand's resources are the serving container's: a GPU request counts", () => {
    const docs = [shorthand('huggingface', { storageUri: 'hf://org/model', resources: { limits: { 'nvidia.com/gpu': '1' } } })];
    expect(findings(docs, 'kserve', 'runtime-not-found')).toEqual([]);
    const graph = new ObjectGraph(docs.map((manifest) => ({ manifest })));
    expect(graph.gpusOf(graph.objects[0])).toBe(1);
    expect(modelFieldOf(docs[0])).toBe('spec.predictor.huggingface');
    expect(modelSpecOf(docs[0]).modelFormat).toEqual({ name: 'huggingface' });
  });
});
