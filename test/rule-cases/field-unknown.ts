import * as fs from 'fs';
import * as path from 'path';
import { runChecks, SchemaValidator } from '../../lib';
import { coreSchemas, fieldSchemaOf } from '../../lib/validation/field-schemas';
import { unknownFields } from '../../lib/validation/unknown-fields';
import { cliInProcess, ruleFindings, ruleFound, severityMessages, tempDir, writeTree } from '../util';
import { ciphertext, sopsBlock } from '../sops-util';

const defs = () => coreSchemas().definitions;

/** A structural schema in the CRD style: an object with the given properties. */
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('unknownFields: the fields a structural schema does not have', () => {
  // cases in the manner of apiextensions-apiserver's pruning tests: unspecified fields, preserved ones, maps, embedded objects, lists
  const schema = obj({
    spec: obj({
      replicas: { type: 'integer' },
      port: { 'x-kubernetes-int-or-string': true },
      settings: { type: 'object', additionalProperties: obj({ value: { type: 'string' } }) },
      raw: obj({ known: { type: 'string' } }, { 'x-kubernetes-preserve-unknown-fields': true }),
      free: { type: 'object' },
      workers: { type: 'array', items: obj({ name: { type: 'string' } }) },
      template: obj({ spec: obj({ image: { type: 'string' } }) }, { 'x-kubernetes-embedded-resource': true }),
    }),
  });

  test('a field no properties declare is unknown, at any depth, with its path', () => {
    const found = unknownFields(
      { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { replica: 2, workers: [{ name: 'a' }, { nme: 'b' }] } },
      schema,
      defs(),
    );
    expect(found).toEqual([
      { field: 'spec.replica', meant: 'spec.replicas' },
      { field: 'spec.workers[1].nme', meant: 'spec.workers[1].name' },
    ]);
  });

  test('preserved fields, map keys, int-or-string values and objects without declared properties are not judged', () => {
    const value = {
      spec: {
        port: { anything: 1 },
        settings: { 'any-key': { value: 'v' } },
        raw: { known: 'k', unknown: { deep: true } },
        free: { whatever: 1 },
      },
    };
    expect(unknownFields(value, schema, defs())).toEqual([]);
  });

  test("a map's values are still judged by the value schema; a preserved object's declared fields are walked", () => {
    expect(unknownFields({ spec: { settings: { a: { value: 'v', vaule: 'w' } } } }, schema, defs()).map((u) => u.field)).toEqual(['spec.settings.a.vaule']);
    const nested = obj({ raw: obj({ known: obj({ a: { type: 'string' } }) }, { 'x-kubernetes-preserve-unknown-fields': true }) });
    expect(unknownFields({ raw: { known: { b: 1 } } }, nested, defs()).map((u) => u.field)).toEqual(['raw.known.b']);
  });

  test('an embedded resource carries apiVersion, kind and metadata; its other fields are judged', () => {
    const value = { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'i', imag: 'j' } } } };
    expect(unknownFields(value, schema, defs()).map((u) => u.field)).toEqual(['spec.template.spec.imag']);
  });

  test('at the top: metadata is judged as ObjectMeta (its labels and annotations are maps), status is passed over', () => {
    const value = {
      metadata: { name: 'a', lables: { a: 'b' }, labels: { 'any/key': 'v' }, annotations: { 'x/y': 'z' } },
      status: { anything: true },
      labels: { a: 'b' },
    };
    expect(unknownFields(value, schema, defs())).toEqual([
      { field: 'metadata.lables', meant: 'metadata.labels' },
      { field: 'labels', meant: 'metadata.labels' },
    ]);
  });

  test('a built-in kind through its Kubernetes 1.33 definitions: a list item and a field that is nowhere near any other', () => {
    const job = fieldSchemaOf('batch/v1', 'Job', undefined)!;
    const value = { spec: { template: { spec: { containers: [{ name: 'c', resource: {}, colour: 'blue' }] } } } };
    expect(unknownFields(value, job.schema, job.definitions)).toEqual([
      { field: 'spec.template.spec.containers[0].resource', meant: 'spec.template.spec.containers[0].resources' },
      { field: 'spec.template.spec.containers[0].colour' },
    ]);
  });

  test("the platform's CRDs are looked up by group and version; unknown kinds and other platforms' versions have none", () => {
    expect(fieldSchemaOf('serving.kserve.io/v1alpha1', 'ServingRuntime', 'rhoai-3.0')?.source).toBe('CRD servingruntimes.serving.kserve.io');
    expect(fieldSchemaOf('kueue.x-k8s.io/v1beta2', 'ClusterQueue', 'rhoai-3.0')).toBeUndefined();
    expect(fieldSchemaOf('kueue.x-k8s.io/v1beta2', 'ClusterQueue', 'rhoai-3.4')?.source).toBe('CRD clusterqueues.kueue.x-k8s.io');
    expect(fieldSchemaOf('serving.kserve.io/v1alpha1', 'ServingRuntime', undefined)).toBeUndefined();
    expect(fieldSchemaOf('example.com/v1', 'Widget', 'rhoai-3.0')).toBeUndefined();
  });
});

const RUNTIME = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  labels: { 'opendatahub.io/dashboard': 'true' },
  metadata: { name: 'vllm', namespace: 'llm' },
  spec: { supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], containers: [{ name: 'kserve-container', image: 'quay.io/vllm/vllm' }] },
};

describe('validate and check share the judgement', () => {
  test('the same unknown field, the same words, in validate and in the field-unknown rule', () => {
    const validated = new SchemaValidator({ cacheDir: null }).validate(RUNTIME);
    expect(validated).toEqual([
      {
        object: 'ServingRuntime/llm/vllm',
        field: 'labels',
        message:
          "unknown field 'labels' (at the top level): not in the CRD servingruntimes.serving.kserve.io schema, and the API server refuses it under strict field validation (kubectl's default); did you mean metadata.labels?",
      },
    ]);
    const checked = runChecks([{ manifest: RUNTIME }], { platform: 'rhoai-3.0', rules: ['field-unknown'] });
    expect(checked.map((f) => f.message)).toEqual([
      "unknown field 'labels' (at the top level): not in the CRD servingruntimes.serving.kserve.io schema, and kubectl apply (strict field validation, its default) and Argo CD's sync refuse the ServingRuntime; did you mean metadata.labels?",
    ]);
  });

  test("validate no longer calls a built-in kind's status unknown, and still refuses a misspelled metadata field", () => {
    const validator = new SchemaValidator({ cacheDir: null });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { runtme: 'x' } };
    expect(validator.validate({ ...cm, status: {} })).toEqual([]);
    expect(
      validator
        .validate({ ...cm, metadata: { ...cm.metadata, annotation: { a: 'b' } } })
        .map((f) => [f.field, f.message.endsWith('did you mean metadata.annotations?')]),
    ).toEqual([['metadata.annotation', true]]);
  });
});

describe('the field-unknown rule', () => {
  const check = (manifests: unknown[], platform: 'rhoai-2' | 'rhoai-3.0' = 'rhoai-3.0') =>
    runChecks(
      manifests.map((manifest) => ({ manifest })),
      { platform, rules: ['field-unknown'] },
    );

  test('a misspelled InferenceService field names the known one', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'llm' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtme: 'vllm', storageUri: 's3://m/' } } },
    };
    expect(check([isvc]).map((f) => [f.severity, f.object, f.message.replace(/:.*;/, ':…;')])).toEqual([
      ['error', 'InferenceService/llm/granite', "unknown field 'spec.predictor.model.runtme':…; did you mean spec.predictor.model.runtime?"],
    ]);
  });

  test("OpenShift AI 2.x custom resources (no schema shipped) are judged at the top level only, where every version has a kind's fields", () => {
    expect(check([RUNTIME], 'rhoai-2').map((f) => f.message.replace(/:.*;/, ':…;'))).toEqual([
      "unknown field 'labels' (at the top level):…; did you mean metadata.labels?",
    ]);
    const misspelt = { ...RUNTIME, labels: undefined, spec: { ...RUNTIME.spec, multiModell: false } };
    delete misspelt.labels;
    expect(check([misspelt], 'rhoai-2')).toEqual([]);
    expect(check([misspelt], 'rhoai-3.0').map((f) => f.message.slice(0, 40))).toEqual(["unknown field 'spec.multiModell': not in"]);
  });

  test('on OpenShift AI 2.x the Kubernetes containers and volumes of a runtime or a predictor are judged whole: those core types only ever gain fields', () => {
    const runtime = {
      ...RUNTIME,
      labels: undefined,
      spec: {
        ...RUNTIME.spec,
        containers: [{ name: 'kserve-container', image: 'quay.io/vllm/vllm', toleration: [{ key: 'nvidia.com/gpu' }] }],
        volumes: [{ name: 'shm', emptydir: { medium: 'Memory' } }],
      },
    };
    delete runtime.labels;
    // one finding for the object, naming both fields and the near miss of each
    expect(check([runtime], 'rhoai-2').map((f) => f.message.replace(/: not in .*? refuse the ServingRuntime;/, ':…;'))).toEqual([
      "2 unknown fields, 'spec.containers[0].toleration', 'spec.volumes[0].emptydir':…; 'spec.volumes[0].emptydir': did you mean spec.volumes[0].emptyDir?; the others: remove them or fix their spelling",
    ]);
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'llm' },
      spec: { predictor: { containers: [{ name: 'kserve-container', image: 'x', imagePullPolice: 'Always' }] } },
    };
    expect(check([isvc], 'rhoai-2').map((f) => f.message.slice(0, 60))).toEqual(["unknown field 'spec.predictor.containers[0].imagePullPolice'"]);
    // near miss: KServe's own fields below the top level stay unjudged on 2.x, whose schemas differ by release
    const model = { ...isvc, spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtme: 'vllm' } } } };
    expect(check([model], 'rhoai-2')).toEqual([]);
  });

  test('on OpenShift AI 2.x an infrastructure HardwareProfile is judged whole: its v1alpha1 fields are the same in every release that serves it', () => {
    // the dashboard HardwareProfile's spec fields, written under the infrastructure API (opendatahub-operator v2.32.0 to v3.5.0 have only identifiers and scheduling)
    const profile = {
      apiVersion: 'infrastructure.opendatahub.io/v1alpha1',
      kind: 'HardwareProfile',
      metadata: { name: 'gpu', namespace: 'redhat-ods-applications' },
      spec: { displayName: 'GPU', enabled: true, identifiers: [{ displayName: 'GPU', identifier: 'nvidia.com/gpu', minCount: 1, defaultCount: 1 }] },
    };
    for (const platform of ['rhoai-2', 'rhoai-3.0'] as const)
      expect(check([profile], platform).map((f) => [f.severity, f.message.split(':')[0]])).toEqual([
        ['error', "2 unknown fields, 'spec.displayName', 'spec.enabled'"],
      ]);
    const fixed = { ...profile, spec: { identifiers: profile.spec.identifiers } };
    expect(check([fixed], 'rhoai-2')).toEqual([]);
  });

  test('on OpenShift AI 2.x the kinds that do not follow its release (Argo CD, Kueue) are judged whole', () => {
    const appSet = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'models', namespace: 'openshift-gitops' },
      spec: {
        generators: [
          { git: { repoURL: 'https://git.example/models.git', revision: 'main', directories: [{ path: 'models/*' }, { path: 'models/old', ignore: true }] } },
        ],
        template: {
          metadata: { name: '{{path.basename}}' },
          spec: {
            project: 'default',
            source: { repoURL: 'https://git.example/models.git', path: '{{path}}' },
            destination: { server: 'https://kubernetes.default.svc' },
          },
        },
      },
    };
    expect(check([appSet], 'rhoai-2').map((f) => [f.severity, f.message.replace(/:.*;/, ':…;')])).toEqual([
      ['error', "unknown field 'spec.generators[0].git.directories[1].ignore':…; remove it or fix its spelling"],
    ]);
  });

  // Kueue's fields follow the Kueue release: judged by the nearest CRDs shipped, and where the release is only a lower
  // bound (a v1beta2 object says "0.15 or later"), a field no known Kueue has may be a newer one's
  describe('Kueue fields follow the judged Kueue release', () => {
    const cq = (spec: Record<string, unknown>) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name: 'cq' },
      spec: {
        namespaceSelector: {},
        resourceGroups: [{ coveredResources: ['cpu'], flavors: [{ name: 'f', resources: [{ name: 'cpu', nominalQuota: 8 }] }] }],
        ...spec,
      },
    });
    const kueueCheck = (manifest: unknown, kueue?: string) =>
      severityMessages(ruleFound('field-unknown', [{ manifest }], { platform: 'rhoai-3.0', alone: true, ...(kueue ? { kueue } : {}) }));

    test("a field no shipped Kueue schema has is a warning while the release is only a lower bound (ClusterQueue concurrentAdmissionPolicy is Kueue 0.18's) or newer than every shipped schema", () => {
      expect(kueueCheck(cq({ concurrentAdmissionPolicy: { maxConcurrentAdmissions: 2 } }))).toEqual([
        [
          'warning',
          expect.stringMatching(/^unknown field 'spec.concurrentAdmissionPolicy'.*no Kueue schema known here \(0.14, 0.16\) has it; a newer Kueue may\)$/),
        ],
      ]);
      expect(kueueCheck(cq({ concurrentAdmissionPolicy: { maxConcurrentAdmissions: 2 } }), '1.4')).toEqual([
        [
          'warning',
          expect.stringMatching(/It may be a field of a Kueue newer than Kueue 0.18 .*no Kueue schema known here \(0.14, 0.16\) has it; a newer Kueue may\)$/),
        ],
      ]);
    });
    test('stated exactly, it is an error; a near miss of a known field is an error either way', () => {
      expect(kueueCheck(cq({ concurrentAdmissionPolicy: { maxConcurrentAdmissions: 2 } }), '0.16')).toEqual([
        ['error', expect.stringMatching(/^unknown field 'spec.concurrentAdmissionPolicy'/)],
      ]);
      expect(kueueCheck(cq({ flavorFungibilty: {} }))).toEqual([['error', expect.stringMatching(/did you mean spec.flavorFungibility\?$/)]]);
    });
    test('a field no Kueue release has up to v0.19.2 is an error even where the release is assumed: ClusterQueue and LocalQueue spec.description', () => {
      expect(kueueCheck(cq({ description: 'team quota' }))).toEqual([
        ['error', expect.stringMatching(/^unknown field 'spec.description'.*No Kueue release up to v0.19.2 has it, whatever the cluster runs$/)],
      ]);
      const lq = {
        apiVersion: 'kueue.x-k8s.io/v1beta1',
        kind: 'LocalQueue',
        metadata: { name: 'q', namespace: 'ai' },
        spec: { clusterQueue: 'cq', description: 'x' },
      };
      expect(kueueCheck(lq)).toEqual([['error', expect.stringMatching(/^unknown field 'spec.description'.*No Kueue release up to v0.19.2 has it/)]]);
    });
    test('a WorkloadPriorityClass with PriorityClass fields: an error naming PriorityClass, whatever the release; its own description is no finding', () => {
      const wpc = {
        apiVersion: 'kueue.x-k8s.io/v1beta1',
        kind: 'WorkloadPriorityClass',
        metadata: { name: 'urgent' },
        value: 1000,
        description: 'pages someone',
      };
      expect(kueueCheck(wpc)).toEqual([]);
      expect(kueueCheck({ ...wpc, globalDefault: false, preemptionPolicy: 'Never' })).toEqual([
        [
          'error',
          expect.stringMatching(
            /^unknown field 'globalDefault' \(at the top level\).*globalDefault is a field of the scheduling.k8s.io PriorityClass, not of Kueue's WorkloadPriorityClass/,
          ),
        ],
        [
          'error',
          expect.stringMatching(
            /^unknown field 'preemptionPolicy' \(at the top level\).*preemptionPolicy is a field of the scheduling.k8s.io PriorityClass.*ClusterQueue's spec.preemption/,
          ),
        ],
      ]);
      expect(kueueCheck({ ...wpc, apiVersion: 'kueue.x-k8s.io/v1beta2', globalDefault: true }, '0.16')).toEqual([
        ['error', expect.stringMatching(/^unknown field 'globalDefault'.*is a field of the scheduling.k8s.io PriorityClass/)],
      ]);
    });
  });

  // NVIDIA/gpu-operator v26.7.0 api/nvidia/v1/clusterpolicy_types.go OperatorSpec.UseOpenShiftDriverToolkit
  // `json:"use_ocp_driver_toolkit"`; DCGM env valueFrom is in the v23.3.2 CRD only (schemas widened by older releases)
  test("the GPU operator's ClusterPolicy is judged by its CRD, widened by the operator's older releases", () => {
    const policy = (operator: Record<string, unknown>, dcgm: Record<string, unknown> = { enabled: true }) => ({
      apiVersion: 'nvidia.com/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'gpu-policy' },
      spec: { operator: { defaultRuntime: 'crio', ...operator }, dcgm, mig: { strategy: 'single' } },
    });
    expect(check([policy({ useOpenShiftDriverToolkit: true })]).map((f) => [f.rule, f.severity, f.object, f.message])).toEqual([
      [
        'field-unknown',
        'error',
        'ClusterPolicy/gpu-policy',
        expect.stringMatching(
          /^unknown field 'spec.operator.useOpenShiftDriverToolkit': not in the CRD clusterpolicies.nvidia.com schema.*refuse the ClusterPolicy/,
        ),
      ],
    ]);
    const fromConfigMap = { enabled: true, env: [{ name: 'DCGM_LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'dcgm', key: 'level' } } }] };
    expect(check([policy({ use_ocp_driver_toolkit: true }, fromConfigMap)])).toEqual([]);
  });

  // openshift/cluster-nfd-operator release-4.23 config/crd/bases/nfd.openshift.io_nodefeaturediscoveries.yaml
  test("the OpenShift NFD operator's NodeFeatureDiscovery is judged by its CRD: operand.imagePullPolicy, not pullPolicy", () => {
    const nfd = (operand: Record<string, unknown>) => ({
      apiVersion: 'nfd.openshift.io/v1',
      kind: 'NodeFeatureDiscovery',
      metadata: { name: 'nfd-instance', namespace: 'openshift-nfd' },
      spec: { operand: { image: 'registry.example.com/nfd:v4.20', ...operand }, workerConfig: { configData: 'core: {}' } },
    });
    expect(check([nfd({ pullPolicy: 'Always' })]).map((f) => [f.rule, f.severity, f.object, f.message])).toEqual([
      [
        'field-unknown',
        'error',
        'NodeFeatureDiscovery/openshift-nfd/nfd-instance',
        expect.stringMatching(/^unknown field 'spec.operand.pullPolicy'.*nfd\.openshift\.io/),
      ],
    ]);
    expect(check([nfd({ imagePullPolicy: 'Always' })])).toEqual([]);
  });

  test('silent on unknown kinds and on documents that are no object', () => {
    expect(check([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, labels: {} }])).toEqual([]);
    // a Helm values file: top-level labels, but no apiVersion and kind
    expect(check([{ labels: { a: 'b' }, runtime: { image: 'x' } }])).toEqual([]);
  });

  // kserve/kserve: WorkerSpec.Size (json "size") was served by v0.14.0 and v0.14.1 only (d5ed018f4, #3871); v0.15.0
  // replaced it by pipelineParallelSize and tensorParallelSize (6a651d1d3, #3972). No OpenShift AI 2.x KServe had it
  // (red-hat-data-services/kserve rhoai-2.6 to 2.15: no WorkerSpec; 2.16 on: pipelineParallelSize)
  describe('a field an earlier KServe release served is judged by the KServe release (kserve-retired-fields)', () => {
    const multiNode = (worker: Record<string, unknown>, image = 'kserve/huggingfaceserver:latest') => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'hf-multinode', namespace: 'llm' },
      spec: {
        supportedModelFormats: [{ name: 'huggingface', autoSelect: true }],
        containers: [{ name: 'kserve-container', image }],
        workerSpec: { ...worker, containers: [{ name: 'worker-container', image }] },
      },
    });
    const isvc = (worker: Record<string, unknown>) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llama', namespace: 'llm' },
      spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: 'pvc://models/llama' }, workerSpec: worker } },
    });
    type On = {
      platform: 'rhoai-2' | 'rhoai-3.0' | 'rhoai-3.4' | 'kserve';
      platformAssumed?: boolean;
      platformCandidates?: ('rhoai-2' | 'rhoai-3.0' | 'kserve')[];
    };
    const judged = (manifests: unknown[], on: On) =>
      runChecks(
        manifests.map((manifest) => ({ manifest })),
        { ...on, rules: ['field-unknown'] },
      ).map((f) => [f.severity, f.object, f.message]);

    test('upstream KServe whose release the tree does not show: a warning naming the releases that served it and the rename (was an error telling to remove it)', () => {
      expect(judged([multiNode({ size: 2 }), isvc({ size: 1 })], { platform: 'kserve' })).toEqual([
        [
          'warning',
          'InferenceService/llm/llama',
          expect.stringMatching(
            /^field 'spec.predictor.workerSpec.size' was KServe 0.14.0 and 0.14.1's, renamed to pipelineParallelSize in KServe 0.15: not in the CRD inferenceservices.serving.kserve.io schema of upstream KServe 0.20, the newest known: the tree shows no KServe release .*write workerSpec.pipelineParallelSize, which counts the head node too .*; on KServe 0.14.0 and 0.14.1 keep it$/,
          ),
        ],
        [
          'warning',
          'ServingRuntime/llm/hf-multinode',
          expect.stringMatching(/^field 'spec.workerSpec.size' was KServe 0.14.0 and 0.14.1's, renamed to pipelineParallelSize/),
        ],
      ]);
    });

    test('a tree that installs KServe 0.14 (its images, a kserve.yaml release URL): no finding; one on 0.15 or later: an error naming the rename', () => {
      expect(judged([multiNode({ size: 2 }, 'kserve/huggingfaceserver:v0.14.1'), isvc({ size: 1 })], { platform: 'kserve' })).toEqual([]);
      expect(judged([multiNode({ size: 2 }, 'kserve/huggingfaceserver:v0.15.2')], { platform: 'kserve' })).toEqual([
        [
          'error',
          'ServingRuntime/llm/hf-multinode',
          expect.stringMatching(
            /^unknown field 'spec.workerSpec.size': renamed to pipelineParallelSize in KServe 0.15; KServe 0.14.0 and 0.14.1 served it, upstream KServe 0.15 \(ServingRuntime\/llm\/hf-multinode image kserve\/huggingfaceserver:v0.15.2\) does not, and kubectl apply .* refuse the ServingRuntime: write workerSpec.pipelineParallelSize/,
          ),
        ],
      ]);
    });

    test('OpenShift AI given: an error, on 3.x and on 2.x alike (no 2.x release had it); pipelineParallelSize is the near miss', () => {
      for (const platform of ['rhoai-3.4', 'rhoai-2'] as const)
        expect(judged([multiNode({ size: 2 })], { platform })).toEqual([
          [
            'error',
            'ServingRuntime/llm/hf-multinode',
            expect.stringMatching(/^unknown field 'spec.workerSpec.size': renamed to pipelineParallelSize in KServe 0.15; /),
          ],
        ]);
      expect(judged([multiNode({ size: 2 })], { platform: 'rhoai-3.4' })[0][2]).toMatch(/served it, OpenShift AI 3.4 \(KServe 0.17\) does not, and/);
      for (const platform of ['rhoai-3.4', 'rhoai-2', 'kserve'] as const)
        expect(judged([multiNode({ pipelineParallelSize: 2, tensorParallelSize: 1 }), isvc({ pipelineParallelSize: 2 })], { platform })).toEqual([]);
    });

    test('an assumed OpenShift AI platform whose candidates include upstream KServe: a warning; with only OpenShift AI candidates, an error', () => {
      const assumed = judged([multiNode({ size: 2 })], { platform: 'rhoai-3.0', platformAssumed: true, platformCandidates: ['rhoai-3.0', 'kserve'] });
      expect(assumed).toEqual([
        [
          'warning',
          'ServingRuntime/llm/hf-multinode',
          expect.stringMatching(
            /schema of OpenShift AI 3.0 \(KServe 0.15\), the platform assumed \(the tree may be for an older upstream KServe; pass --platform\)/,
          ),
        ],
      ]);
      expect(
        judged([multiNode({ size: 2 })], { platform: 'rhoai-3.0', platformAssumed: true, platformCandidates: ['rhoai-2', 'rhoai-3.0'] }).map((f) => f[0]),
      ).toEqual(['error']);
    });

    test('the Alibi explainer: OpenShift AI 2.x (KServe 0.11, 0.12) served it, so no finding there; removed in KServe 0.13, an error on 3.x', () => {
      const explained = {
        ...isvc({}),
        spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://m/iris' } }, explainer: { alibi: { type: 'AnchorTabular' } } },
      };
      expect(judged([explained], { platform: 'rhoai-2' })).toEqual([]);
      expect(judged([explained], { platform: 'rhoai-3.0' })).toEqual([
        [
          'error',
          'InferenceService/llm/llama',
          expect.stringMatching(
            /^unknown field 'spec.explainer.alibi': removed in KServe 0.13 with the Alibi explainer; KServe up to 0.12 served it, OpenShift AI 3.0 \(KServe 0.15\) does not/,
          ),
        ],
      ]);
    });
  });

  // ObjectMeta is every object's: apiextensions-apiserver customresource_handler.go unstructuredSchemaCoercer.apply reads a
  // custom resource's metadata strictly (GetObjectMetaWithOptions, ReturnUnknownFieldPaths) before and apart from its
  // preserveUnknownFields branch, so `unknown field "metadata.spec"` is refused whatever the CRD keeps
  describe('metadata is judged as ObjectMeta for every kind applied to a cluster, its schema known or not', () => {
    const dashboard = (metadata: Record<string, unknown>) => ({ apiVersion: 'opendatahub.io/v1alpha', kind: 'OdhDashboardConfig', metadata });
    const misIndented = dashboard({ name: 'odh-dashboard-config', namespace: 'redhat-ods-applications', spec: { notebookController: { enabled: true } } });

    test('a spec block indented under metadata of a kind with no shipped CRD: an error naming metadata.spec as mis-indented', () => {
      expect(check([misIndented], 'rhoai-2').map((f) => [f.severity, f.message])).toEqual([
        [
          'error',
          "unknown field 'metadata.spec': not in the ObjectMeta (every object's metadata) schema, and kubectl apply (strict field validation, its default) and Argo CD's sync refuse the OdhDashboardConfig; 'spec' is likely mis-indented under metadata: move it to the top level, beside metadata",
        ],
      ]);
      // a misspelled ObjectMeta field of the same kind names the field it stands for
      expect(check([dashboard({ name: 'd', annotation: { a: 'b' } })]).map((f) => f.message.replace(/^.*; /, ''))).toEqual([
        'did you mean metadata.annotations?',
      ]);
    });

    test('near miss: the spec beside metadata, and every ObjectMeta field, say nothing', () => {
      const meta = { name: 'd', namespace: 'n', labels: { a: 'b' }, annotations: { c: 'd' }, finalizers: ['x'], generateName: 'd-', ownerReferences: [] };
      expect(check([{ ...dashboard(meta), spec: { notebookController: { enabled: true } } }], 'rhoai-2')).toEqual([]);
    });

    test("a kind with a schema: the mis-indented field is one of the schema's top-level fields", () => {
      const runtime = { ...RUNTIME, metadata: { ...RUNTIME.metadata, spec: { multiModel: false } } };
      delete (runtime as Record<string, unknown>).labels;
      for (const platform of ['rhoai-2', 'rhoai-3.0'] as const) {
        expect(check([runtime], platform).map((f) => [f.severity, f.message.replace(/^(unknown field '[^']+').*; /, '$1 … ')])).toEqual([
          ['error', "unknown field 'metadata.spec' … 'spec' is likely mis-indented under metadata: move it to the top level, beside metadata"],
        ]);
      }
    });

    test("a group the platform does not serve, no CRD of the input defines, and no kustomization or Application applies: a tool's own file, not judged", () => {
      const eksctl = { apiVersion: 'eksctl.io/v1alpha5', kind: 'ClusterConfig', metadata: { name: 'vllm', region: 'us-east-1', version: '1.31' } };
      const backstage = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'vllm', description: 'serving', tags: ['llm'] } };
      expect(check([eksctl, backstage])).toEqual([]);
      // the same shape as a custom resource whose CRD the input defines: its metadata is an API object's (eksctl.io is
      // eksctl's file format, never an API, so the example is another group)
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'components.backstage.io' },
        spec: {
          group: 'backstage.io',
          names: { kind: 'Component', plural: 'components' },
          scope: 'Namespaced',
          versions: [
            { name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
          ],
        },
      };
      expect(check([crd, backstage]).map((f) => f.message.split(':')[0])).toEqual(["2 unknown fields, 'metadata.description', 'metadata.tags'"]);
    });

    // apimachinery pkg/apis/meta/v1 types.go ObjectMeta: kubectl's strict decoding refuses any other key
    // ("strict decoding error: unknown field \"metadata.to\""), a Route's as a Deployment's
    const route = (metadata: Record<string, unknown>, spec?: Record<string, unknown>) => ({
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'chat', namespace: 'llm', ...metadata },
      ...(spec ? { spec } : {}),
    });

    test("an OpenShift kind no schema knows is an API object: a Route's spec fields under metadata are one finding, saying the spec line is missing", () => {
      const misIndented = route({ to: { kind: 'Service', name: 'chat' }, port: { targetPort: 8080 }, tls: { termination: 'edge' }, wildcardPolicy: 'None' });
      expect(check([misIndented]).map((f) => [f.severity, f.object, f.message])).toEqual([
        [
          'error',
          'Route/llm/chat',
          "4 unknown fields, 'metadata.to', 'metadata.port', 'metadata.tls', 'metadata.wildcardPolicy': not in the ObjectMeta (every object's metadata) schema, and kubectl apply (strict field validation, its default) and Argo CD's sync refuse the Route; " +
            'they are fields of spec, likely mis-indented under metadata: move them under spec (the Route has no spec: its `spec:` line is missing)',
        ],
      ]);
      // one of them, beside a spec: the field named alone
      expect(check([route({ host: 'chat.apps.example.com' }, { to: { kind: 'Service', name: 'chat' } })]).map((f) => f.message.replace(/^.*; /, ''))).toEqual([
        "'host' is a field of spec, likely mis-indented under metadata: move it under spec",
      ]);
    });

    test('a near ObjectMeta field is named; a key neither near nor a spec field is to remove or respell', () => {
      expect(check([route({ lables: { app: 'chat' } }, { to: { name: 'chat' } })]).map((f) => f.message.replace(/^.*; /, ''))).toEqual([
        'did you mean metadata.labels?',
      ]);
      expect(check([route({ owner: 'team-a' }, { to: { name: 'chat' } })]).map((f) => f.message.replace(/^.*; /, ''))).toEqual([
        'remove it or fix its spelling',
      ]);
    });

    test("a kind with a schema: its spec's fields under metadata say so (a Deployment's replicas and template)", () => {
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'chat', namespace: 'llm', replicas: 2, template: { metadata: { labels: { app: 'chat' } } } },
        spec: { selector: { matchLabels: { app: 'chat' } } },
      };
      expect(check([deployment]).map((f) => f.message)).toEqual([
        expect.stringMatching(
          /^2 unknown fields, 'metadata\.replicas', 'metadata\.template': not in the .* schema, .*; they are fields of spec, likely mis-indented under metadata: move them under spec$/,
        ),
      ]);
    });

    test("near miss: a live object's ObjectMeta fields are ObjectMeta's (live-object-fields judges the export), and a Route written right says nothing", () => {
      const live = {
        resourceVersion: '48211',
        uid: '5e2f1a8c-0c1d-4c55-9a0e-1f2e3d4c5b6a',
        creationTimestamp: '2025-01-01T00:00:00Z',
        generation: 3,
        selfLink: '/apis/route.openshift.io/v1/namespaces/llm/routes/chat',
        managedFields: [{ manager: 'oc', operation: 'Update', apiVersion: 'route.openshift.io/v1' }],
        labels: { app: 'chat' },
      };
      expect(check([route(live, { to: { kind: 'Service', name: 'chat' }, port: { targetPort: 8080 }, tls: { termination: 'edge' } })])).toEqual([]);
    });

    test("OpenShift's own groups are judged, their component configuration files are not", () => {
      const build = { apiVersion: 'build.openshift.io/v1', kind: 'BuildConfig', metadata: { name: 'b', namespace: 'llm', description: 'image build' } };
      expect(check([build]).map((f) => f.message.split(':')[0])).toEqual(["unknown field 'metadata.description'"]);
      const osin = { apiVersion: 'osin.config.openshift.io/v1', kind: 'OsinServerConfig', metadata: { name: 'o', description: 'oauth server' } };
      expect(check([osin])).toEqual([]);
    });
  });

  test("silent where the resource's sync-options annotation turns validation off", () => {
    const off = { ...RUNTIME, metadata: { ...RUNTIME.metadata, annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Validate=false' } } };
    expect(check([off])).toEqual([]);
    const on = { ...RUNTIME, metadata: { ...RUNTIME.metadata, annotations: { 'argocd.argoproj.io/sync-options': 'Validate=true' } } };
    expect(check([on]).length).toBe(1);
  });

  describe('Validate=false with ServerSideApply=true: a server-side apply refuses a field the schema does not declare whatever the validation', () => {
    // apimachinery structuredmerge.go Apply (ObjectToTyped of the patch) and structured-merge-diff typed/validate.go
    const dsc = (syncOptions: string) => ({
      apiVersion: 'datasciencecluster.opendatahub.io/v1',
      kind: 'DataScienceCluster',
      metadata: { name: 'default-dsc', annotations: { 'argocd.argoproj.io/sync-options': syncOptions } },
      spec: { components: { dashboard: { managementState: 'Managed' } }, notAField: true },
    });

    test('the annotation sets both: the error stays, and says why Validate=false does not keep it', () => {
      expect(check([dsc('SkipDryRunOnMissingResource=true,ServerSideApply=true,Validate=false')]).map((f) => [f.severity, f.message])).toEqual([
        [
          'error',
          expect.stringMatching(
            /^unknown field 'spec\.notAField'.*\(Validate=false does not keep it: ServerSideApply=true in its argocd\.argoproj\.io\/sync-options annotation makes Argo CD apply it server-side, .*"field not declared in schema"/,
          ),
        ],
      ]);
    });

    test('Validate=false alone, or with Replace=true or the annotation turning server-side apply off: silent, as the server drops the field', () => {
      expect(check([dsc('Validate=false')])).toEqual([]);
      expect(check([dsc('ServerSideApply=true,Validate=false,Replace=true')])).toEqual([]);
      expect(check([dsc('ServerSideApply=false,Validate=false')])).toEqual([]);
    });
  });

  function tree(syncOptions: string[]): string {
    const root = tempDir('field-unknown-');
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'serving', namespace: 'openshift-gitops' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://github.com/example-org/llm-gitops.git', targetRevision: 'main', path: 'gitops/serving' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'llm' },
        syncPolicy: { syncOptions },
      },
    };
    fs.mkdirSync(path.join(root, 'apps'), { recursive: true });
    fs.mkdirSync(path.join(root, 'gitops', 'serving'), { recursive: true });
    fs.writeFileSync(path.join(root, 'apps', 'serving.yaml'), JSON.stringify(app));
    fs.writeFileSync(path.join(root, 'gitops', 'serving', 'runtime.yaml'), JSON.stringify(RUNTIME));
    return root;
  }

  const fieldFindings = async (dir: string) => {
    const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--format', 'json']);
    return (JSON.parse(out) as { findings: { rule: string; object: string }[] }).findings.filter((f) => f.rule === 'field-unknown').map((f) => f.object);
  };

  test('silent where the Application that delivers the object syncs with Validate=false; an error where it validates', async () => {
    expect(await fieldFindings(tree(['CreateNamespace=false', 'Validate=false']))).toEqual([]);
    expect(await fieldFindings(tree(['CreateNamespace=false']))).toEqual(['ServingRuntime/llm/vllm']);
  });

  test('an Application that syncs with Validate=false and ServerSideApply=true: the error stays', async () => {
    expect(await fieldFindings(tree(['Validate=false', 'ServerSideApply=true']))).toEqual(['ServingRuntime/llm/vllm']);
    expect(await fieldFindings(tree(['Validate=false', 'ServerSideApply=true', 'Replace=true']))).toEqual([]);
  });
});

describe('field-unknown on a Kueue Workload (kubernetes-sigs/kueue config/components/crd/bases/kueue.x-k8s.io_workloads.yaml at v0.14.8 and v0.16.9)', () => {
  const workload = (version: string, podSet: Record<string, unknown>) => ({
    apiVersion: `kueue.x-k8s.io/${version}`,
    kind: 'Workload',
    metadata: { name: 'hog', namespace: 'team-a' },
    spec: {
      queueName: 'team-a',
      podSets: [
        {
          name: 'main',
          ...podSet,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] } },
        },
      ],
    },
  });
  const found = (manifest: unknown, kueue?: string) =>
    runChecks([{ manifest }], { platform: 'rhoai-3.0', rules: ['field-unknown'], ...(kueue ? { kueue } : {}) }).map((f) => [
      f.severity,
      f.message.split(':')[0],
    ]);

  test('a pod set with replicas instead of count: an error on every Kueue release, stated or assumed', () => {
    for (const [version, kueue] of [
      ['v1beta1', undefined],
      ['v1beta1', '0.14'],
      ['v1beta2', '0.16'],
      ['v1beta2', undefined],
    ] as const)
      expect(found(workload(version, { replicas: 2 }), kueue)).toEqual([['error', "unknown field 'spec.podSets[0].replicas'"]]);
  });

  test('count, and a pod template field in the wrong place, judged by the Workload schema', () => {
    expect(found(workload('v1beta1', { count: 2 }))).toEqual([]);
    expect(found(workload('v1beta2', { count: 2 }), '0.16')).toEqual([]);
    const misplaced = workload('v1beta2', { count: 1 });
    (misplaced.spec.podSets[0].template.spec as Record<string, unknown>).containerz = [];
    expect(found(misplaced, '0.16')).toEqual([['error', "unknown field 'spec.podSets[0].template.spec.containerz'"]]);
  });
});

describe('field-unknown on the objects of an OpenShift Template (openshift/library-go pkg/template/templateprocessing)', () => {
  const runtime = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: '${RUNTIME_NAME}' },
    spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [{ name: 'kserve-container', image: '${IMAGE}' }], ...spec },
    ...extra,
  });
  const template = (...objects: unknown[]) => ({
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: { name: 'vllm-runtime', namespace: 'redhat-ods-applications' },
    parameters: [{ name: 'RUNTIME_NAME' }, { name: 'IMAGE' }],
    objects,
  });
  const found = (m: unknown) => severityMessages(ruleFound('field-unknown', [{ manifest: m }], { platform: 'rhoai-3.0', alone: true }));

  test('a misspelled volume source in an embedded ServingRuntime: an error on the Template naming the object, the field and the spelling', () => {
    expect(found(template(runtime({ volumes: [{ name: 'scratch', emptydir: {} }] })))).toEqual([
      [
        'error',
        "objects[0] (ServingRuntime ${RUNTIME_NAME}): unknown field 'spec.volumes[0].emptydir': not in the CRD servingruntimes.serving.kserve.io schema, and every ServingRuntime made from the Template (oc process, the OpenShift AI dashboard) is refused by the API server's strict field validation; did you mean spec.volumes[0].emptyDir?",
      ],
    ]);
  });

  test('a built-in kind among the objects is judged by its Kubernetes schema; the second object is named by its index', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 80, targetPorts: 8080 }] } };
    expect(found(template(runtime({}), service)).map(([, m]) => m.slice(0, 65))).toEqual(["objects[1] (Service x): unknown field 'spec.ports[0].targetPorts'"]);
  });

  test('silent: known fields with parameters as values, a field name holding a parameter, an object whose kind or apiVersion is a parameter', () => {
    expect(found(template(runtime({ volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '${SIZE}' } }] })))).toEqual([]);
    expect(found(template(runtime({}, { '${EXTRA_FIELD}': {} })))).toEqual([]);
    expect(found(template({ ...runtime({ bogus: 1 }), kind: '${KIND}' }))).toEqual([]);
    expect(found(template({ ...runtime({ bogus: 1 }), apiVersion: 'serving.kserve.io/${VERSION}' }))).toEqual([]);
  });

  describe('a serving runtime template of the OpenShift AI dashboard: the dashboard makes the runtime without fieldValidation, so the field is dropped', () => {
    const marked = (metadata: Record<string, unknown>) => {
      const t = template(runtime({ volumes: [{ name: 'scratch', emptydir: {} }] }));
      return { ...t, metadata: { ...t.metadata, ...metadata } };
    };
    const dropped =
      /unknown field 'spec\.volumes\[0\]\.emptydir'.*the API server's default \(Warn\) drops the field with a warning.*`oc process \| oc apply` \(kubectl's strict validation\) would refuse it; did you mean spec\.volumes\[0\]\.emptyDir\?$/;

    test.each([
      ['the dashboard label', { labels: { 'opendatahub.io/dashboard': 'true' } }],
      ['the model serving annotation', { annotations: { 'opendatahub.io/modelServingSupport': '["single"]' } }],
    ])('%s: a warning saying what is dropped', (_, metadata) => {
      const f = found(marked(metadata));
      expect(f).toEqual([['warning', expect.stringMatching(dropped)]]);
    });

    test('a template file that a script processes with oc process into an apply stays an error, whatever its name says', async () => {
      const dir = writeTree('field-unknown-template-', {
        'serving-runtime-template.yaml': JSON.stringify(marked({ labels: { 'opendatahub.io/dashboard': 'true' } })),
        'deploy.sh': 'oc process -f serving-runtime-template.yaml -p RUNTIME_NAME=vllm | oc apply -n models -f -\n',
      });
      const severities = async () => {
        const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
        return (JSON.parse(out) as { findings: { rule: string; severity: string }[] }).findings
          .filter((f) => f.rule === 'field-unknown')
          .map((f) => f.severity);
      };
      expect(await severities()).toEqual(['error']);
      fs.rmSync(path.join(dir, 'deploy.sh'));
      expect(await severities()).toEqual(['warning']);
    });

    test('near miss: the same template rendered by a script with oc process (kubectl applies it, strictly) stays an error', () => {
      const f = runChecks([{ manifest: marked({ labels: { 'opendatahub.io/dashboard': 'true' } }), renderedWith: 'oc process' }], {
        platform: 'rhoai-3.0',
        rules: ['field-unknown'],
      }).map((x) => [x.severity, x.message]);
      expect(f).toEqual([['error', expect.stringMatching(/is refused by the API server's strict field validation/)]]);
    });
  });

  test('a kind named Template in another group is not a template: its objects are not read', () => {
    expect(found({ ...template(runtime({ bogus: 1 })), apiVersion: 'example.com/v1' })).toEqual([]);
  });
});

// Flux's kustomize-controller decrypts a document with a top-level sops block holding a mac (internal/decryptor
// isSOPSEncryptedResource) and applies it without the block, as `sops -d` and KSOPS hand it on
describe('field-unknown: the sops block of a SOPS-encrypted document', () => {
  const secret = (extra: Record<string, unknown>) => ({
    manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull', namespace: 'serving' }, stringData: { token: ciphertext() }, ...extra },
  });
  const found = (extra: Record<string, unknown>) =>
    runChecks([secret(extra)], { platform: 'kserve' })
      .filter((f) => f.rule === 'field-unknown')
      .map((f) => f.message);

  test('the block is no unknown field (it was an error advising to remove it, which leaves the file undecryptable)', () => {
    expect(found({ sops: sopsBlock() })).toEqual([]);
  });

  test('near misses: a misspelt field beside the block, and a sops key that is no SOPS metadata (no mac), are still unknown', () => {
    expect(found({ sops: sopsBlock(), stringdata: { a: 'b' } })).toEqual([expect.stringMatching(/^unknown field 'stringdata' \(at the top level\)/)]);
    expect(found({ sops: { version: '3.9.4' } })).toEqual([expect.stringMatching(/^unknown field 'sops' \(at the top level\)/)]);
  });
});

describe('field-unknown on a DataScienceCluster whose release the tree only bounds from below', () => {
  const tree = (components: string) =>
    writeTree('field-unknown-dsc-', {
      'dsc.yaml': `apiVersion: datasciencecluster.opendatahub.io/v2
kind: DataScienceCluster
metadata: {name: default-dsc}
spec:
  components:
    kserve:
      managementState: Managed
      modelsAsService: {managementState: Managed}
${components}`,
    });
  const findings = async (dir: string, ...flags: string[]) =>
    (JSON.parse((await cliInProcess(['check', dir, ...flags, '--json'])).out).findings as { rule: string; severity: string; message: string }[]).filter(
      (f) => f.rule === 'field-unknown',
    );

  test('inferred from a 3.3 field, a component of a release newer than those known: a warning that the tree may target it', async () => {
    const [found, ...rest] = await findings(tree('    ogx: {managementState: Managed}\n'));
    expect(rest).toEqual([]);
    expect(found.severity).toBe('warning');
    expect(found.message).toContain(
      "'spec.components.ogx' is not in the DataScienceCluster datasciencecluster.opendatahub.io/v2 schema of the OpenShift AI releases this tool knows",
    );
    expect(found.message).toContain('may target a release that serves the field');
    expect(found.message).not.toMatch(/^unknown field/);
  });

  test('near miss: the release stated with --platform, the refusal is said', async () => {
    const [found] = await findings(tree('    ogx: {managementState: Managed}\n'), '--platform', 'rhoai-3.4');
    expect(found.message).toMatch(/^unknown field 'spec\.components\.ogx'/);
  });
});

describe('field-unknown: Applications an ApplicationSet generates', () => {
  test("a template field the ApplicationSet's CRD refuses is one finding, on the ApplicationSet; its generated Applications repeat nothing", async () => {
    const src = path.join(__dirname, '..', 'rules', 'field-unknown', 'fires', 'application-set.yaml');
    const dir = writeTree('field-unknown-appset-', { 'application-set.yaml': fs.readFileSync(src, 'utf8') });
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const found = (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings.filter(
      (f) => f.rule === 'field-unknown',
    );
    expect(found.map((f) => [f.severity, f.object])).toEqual([['error', 'ApplicationSet/argocd/platform-operators']]);
    expect(found[0].message).toContain("unknown field 'spec.template.spec.applicationsSync'");
  });
});

describe('field-unknown: Gateway API, Envoy Gateway and the Envoy AI Gateway by their CRDs', () => {
  const found = (m: Record<string, unknown>) => ruleFindings('field-unknown', [m]);
  const gateway = (listener: Record<string, unknown>) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'inference-gateway', namespace: 'llm' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, ...listener }] },
  });
  const proxy = (pod: Record<string, unknown>) => ({
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'EnvoyProxy',
    metadata: { name: 'with-identity', namespace: 'envoy-gateway-system' },
    spec: { provider: { type: 'Kubernetes', kubernetes: { envoyDeployment: { pod } } } },
  });
  // v1beta1 (from v1.1.0) never had targetRefs; v1alpha1 had them up to v0.3, so there they are accepted
  const route = (spec: Record<string, unknown>, version = 'v1beta1') => ({
    apiVersion: `aigateway.envoyproxy.io/${version}`,
    kind: 'AIGatewayRoute',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { rules: [{ backendRefs: [{ name: 'chat' }] }], ...spec },
  });

  test("a Gateway listener's path, an EnvoyProxy pod's serviceAccountName, a v1beta1 AIGatewayRoute's targetRefs: unknown fields", () => {
    expect(found(gateway({ path: '/v1' }))).toEqual([
      expect.stringMatching(/^error Gateway\/llm\/inference-gateway: unknown field 'spec\.listeners\[0\]\.path'/),
    ]);
    expect(found(proxy({ serviceAccountName: 'bedrock-caller' }))).toEqual([
      expect.stringMatching(
        /unknown field 'spec\.provider\.kubernetes\.envoyDeployment\.pod\.serviceAccountName': not in the CRD envoyproxies\.gateway\.envoyproxy\.io schema/,
      ),
    ]);
    expect(found(route({ targetRefs: [{ name: 'gw', kind: 'Gateway', group: 'gateway.networking.k8s.io' }] }))).toEqual([
      expect.stringMatching(/^error AIGatewayRoute\/llm\/chat: unknown field 'spec\.targetRefs'/),
    ]);
  });

  test('near misses: the fields the CRDs have, and v1alpha1 targetRefs (served up to v0.3)', () => {
    expect(found(gateway({ allowedRoutes: { namespaces: { from: 'Same' } } }))).toEqual([]);
    expect(found(proxy({ annotations: { team: 'llm' } }))).toEqual([]);
    expect(found(route({ parentRefs: [{ name: 'gw' }] }))).toEqual([]);
    expect(found(route({ targetRefs: [{ name: 'gw', kind: 'Gateway', group: 'gateway.networking.k8s.io' }] }, 'v1alpha1'))).toEqual([]);
  });
});

// kubeflow/mpi-operator v0.8.0 manifests/base/kubeflow.org_mpijobs.yaml: MPIJob v2beta1 keeps backoffLimit under
// runPolicy; the training operator's v1 of the same CRD name is served but not judged
describe('field-unknown: MPIJob of the standalone mpi-operator (kubeflow.org/v2beta1)', () => {
  const mpiJob = (apiVersion: string, spec: object) => ({
    manifest: {
      apiVersion,
      kind: 'MPIJob',
      metadata: { name: 'bench', namespace: 'training' },
      spec: { slotsPerWorker: 1, mpiReplicaSpecs: { Worker: { replicas: 2, template: { spec: { containers: [{ name: 'w', image: 'busybox' }] } } } }, ...spec },
    },
  });

  test('spec.backoffLimit: an error naming runPolicy.backoffLimit', () => {
    expect(severityMessages(ruleFound('field-unknown', [mpiJob('kubeflow.org/v2beta1', { backoffLimit: 2 })]))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^unknown field 'spec\.backoffLimit': not in the CRD mpijobs\.kubeflow\.org schema.*did you mean spec\.runPolicy\.backoffLimit\?/,
        ),
      ],
    ]);
  });

  test.each([
    ['runPolicy.backoffLimit', 'kubeflow.org/v2beta1', { runPolicy: { backoffLimit: 2, cleanPodPolicy: 'Running' } }],
    ['the training operator v1 (served, not judged)', 'kubeflow.org/v1', { backoffLimit: 2 }],
  ])('near miss: %s', (_, apiVersion, spec) => {
    expect(ruleFound('field-unknown', [mpiJob(apiVersion, spec)])).toEqual([]);
    expect(ruleFound('kind-not-served', [mpiJob(apiVersion, spec)])).toEqual([]);
  });
});

// kubeflow/trainer v2.3.0 manifests/base/crds: TrainJob v1alpha1 reads the node count under spec.trainer
describe('field-unknown: Kubeflow Trainer TrainJob (trainer.kubeflow.org/v1alpha1)', () => {
  const trainJob = (spec: object) => ({
    manifest: {
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'TrainJob',
      metadata: { name: 'tune', namespace: 'training' },
      spec: { runtimeRef: { name: 'torch-distributed' }, ...spec },
    },
  });

  test('spec.numNodes: an error', () => {
    expect(severityMessages(ruleFound('field-unknown', [trainJob({ numNodes: 2 })]))).toEqual([
      ['error', expect.stringMatching(/^unknown field 'spec\.numNodes': not in the CRD trainjobs\.trainer\.kubeflow\.org schema/)],
    ]);
  });

  test('near miss: trainer.numNodes', () => {
    expect(ruleFound('field-unknown', [trainJob({ trainer: { numNodes: 2, image: 'busybox' } })])).toEqual([]);
  });
});

describe("a custom resource judged by the input's own CRD", () => {
  const crd = (version: string, spec: object) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.acme.test' },
    spec: {
      group: 'acme.test',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }],
    },
  });
  const spec = {
    type: 'object',
    properties: { size: { type: 'integer' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  };
  const widget = (s: object) => ({ apiVersion: 'acme.test/v1', kind: 'Widget', metadata: { name: 'edge', namespace: 'web' }, spec: s });

  test('a field the CRD of the tree lacks: refused as a shipped CRD would refuse it, the nearest field named', () => {
    expect(ruleFindings('field-unknown', [crd('v1', spec), widget({ sise: 1 })])).toEqual([
      "error Widget/web/edge: unknown field 'spec.sise': not in the CRD widgets.acme.test schema, and kubectl apply (strict field validation, its default) and Argo CD's sync refuse the Widget; did you mean spec.size?",
    ]);
  });

  test.each([
    ['a preserved object', [crd('v1', spec), widget({ size: 1, extra: { anything: 1 } })]],
    ['a CRD serving another version', [crd('v2', spec), widget({ sise: 1 })]],
  ])('near miss: %s', (_what, docs) => {
    expect(ruleFindings('field-unknown', docs)).toEqual([]);
  });

  test("a kind the tool ships a CRD of is judged by the shipped one, not the tree's copy", () => {
    const keda = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'scaledobjects.keda.sh' },
      spec: {
        group: 'keda.sh',
        names: { kind: 'ScaledObject', plural: 'scaledobjects' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { other: { type: 'string' } } } } } },
          },
        ],
      },
    };
    const so = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 's', namespace: 'web' },
      spec: { scaleTargetRef: { name: 'edge' }, triggers: [{ type: 'cpu', metadata: { value: '60' } }] },
    };
    expect(ruleFindings('field-unknown', [keda, so])).toEqual([]);
  });
});
