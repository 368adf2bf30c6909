import { coreSchemas, fieldSchemaOf } from '../../lib/validation/field-schemas';
import { missingFields } from '../../lib/validation/required-fields';
import { ruleFound, severityMessages } from '../util';

const defs = () => coreSchemas().definitions;

/** A structural schema in the CRD style: an object with the given properties. */
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

/** The missing fields of a built-in object by its Kubernetes 1.33 schema. */
function builtIn(manifest: Record<string, unknown>): string[] {
  const schema = fieldSchemaOf(String(manifest.apiVersion), String(manifest.kind), undefined)!;
  return missingFields(manifest, schema.schema, schema.definitions, true).map((f) => f.field);
}

describe('missingFields: required fields absent after defaulting', () => {
  // cases in the manner of apiextensions-apiserver's defaulting and validation tests: a default fills, a parent that is absent is not judged
  const schema = obj(
    {
      spec: obj(
        {
          model: obj({ uri: { type: 'string' }, format: { type: 'string', default: 'safetensors' } }, { required: ['uri', 'format'] }),
          workers: { type: 'array', items: obj({ name: { type: 'string' }, replicas: { type: 'integer' } }, { required: ['name', 'replicas'] }) },
          flags: { type: 'object', additionalProperties: obj({ value: { type: 'string' } }, { required: ['value'] }) },
          enabled: { type: 'boolean' },
        },
        { required: ['model', 'enabled'] },
      ),
    },
    { required: ['spec'] },
  );
  const missing = (o: Record<string, unknown>) => missingFields(o, schema, defs(), false).map((f) => f.field);

  test('a required field with no default is missing where its parent exists, at any depth, in list items and map values', () => {
    expect(missing({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' } })).toEqual(['spec']);
    expect(missing({ spec: { model: {}, workers: [{ name: 'a', replicas: 1 }, { name: 'b' }], flags: { x: {} } } })).toEqual([
      'spec.enabled',
      'spec.model.uri',
      'spec.workers[1].replicas',
      'spec.flags.x.value',
    ]);
  });

  test('a field with a default is filled before validation; a required field of an absent optional parent is not judged', () => {
    expect(missing({ spec: { model: { uri: 'hf://m' }, enabled: false } })).toEqual([]);
  });

  test('a custom resource refuses an absent required boolean; null is a value, not an absence', () => {
    expect(missing({ spec: { model: { uri: null } } })).toEqual(['spec.enabled']);
  });
});

describe('missingFields on built-in kinds: what the API server refuses, not every OpenAPI `required`', () => {
  const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec });
  const template = { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };

  test('a Deployment without selector or template (apps/v1 ValidateDeploymentSpec), a container without a name, a port without its number', () => {
    expect(builtIn(deployment({ template }))).toEqual(['spec.selector']);
    expect(builtIn(deployment({ selector: { matchLabels: { app: 'd' } } }))).toEqual(['spec.template']);
    expect(
      builtIn(
        deployment({
          selector: { matchLabels: { app: 'd' } },
          template: { spec: { containers: [{ image: 'i', ports: [{ name: 'http' }], env: [{ value: 'x' }] }] } },
        }),
      ),
    ).toEqual([
      'spec.template.spec.containers[0].name',
      'spec.template.spec.containers[0].ports[0].containerPort',
      'spec.template.spec.containers[0].env[0].name',
    ]);
  });

  test('what the server defaults or accepts at its zero value is not missing', () => {
    // rbac/v1 SetDefaults_RoleBinding fills roleRef.apiGroup
    expect(builtIn({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'r' }, roleRef: { kind: 'Role', name: 'r' } })).toEqual(
      [],
    );
    expect(builtIn({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'r' } })).toEqual(['roleRef']);
    // a PriorityClass value of 0 is valid; an empty podSelector selects every pod
    expect(builtIn({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' } })).toEqual([]);
    expect(builtIn({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec: { policyTypes: ['Ingress'] } })).toEqual([]);
    // an HPA's maxReplicas of 0 is refused ("must be greater than 0")
    expect(
      builtIn({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' } },
      }),
    ).toEqual(['spec.maxReplicas']);
  });

  test('an Ingress path without pathType (networking.k8s.io/v1 requires it); an ExternalName Service needs no ports', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i' },
      spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
    };
    expect(builtIn(ingress)).toEqual(['spec.rules[0].http.paths[0].pathType']);
    expect(builtIn({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'x.example.com' } })).toEqual([]);
  });
});

describe('the field-required-missing rule', () => {
  const check = (manifest: unknown, options: Record<string, unknown> = {}) =>
    severityMessages(ruleFound('field-required-missing', [{ manifest }], { platform: 'rhoai-3.0', alone: true, ...options }));

  test('names the field and the fix: the template labels the selector must match', () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: { template: { metadata: { labels: { app: 'vllm', tier: 'serving' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    expect(check(manifest)).toEqual([
      [
        'error',
        'Deployment lacks the required field spec.selector: the Kubernetes 1.33 schema requires it and gives no default, so the API server refuses the Deployment ("spec.selector: Required value"); add spec.selector.matchLabels with labels of spec.template.metadata.labels (app: vllm, tier: serving)',
      ],
    ]);
  });

  test("an InferenceService predictor's first container may leave its name to KServe's webhook; a second may not", () => {
    const isvc = (containers: unknown[]) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'm', namespace: 'ai' },
      spec: { predictor: { containers } },
    });
    expect(check(isvc([{ image: 'i' }]))).toEqual([]);
    expect(check(isvc([{ image: 'i' }, { image: 'sidecar' }]))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^InferenceService lacks the required field spec.predictor.containers\[1\].name: the CRD inferenceservices.serving.kserve.io schema/,
        ),
      ],
    ]);
  });

  test("OpenShift AI 2.x's own kinds are not judged (their CRDs are not shipped); a Kueue field is a warning while the release is assumed, unless every shipped Kueue requires it", () => {
    const isvc = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'm', namespace: 'ai' }, spec: {} };
    expect(check(isvc, { platform: 'rhoai-2' })).toEqual([]);
    expect(check(isvc)).toEqual([['error', expect.stringMatching(/lacks the required field spec.predictor/)]]);
    // a taint's effect and a resource group's coveredResources are required by Kueue 0.14 and 0.16 alike
    const flavor = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'gpu' }, spec: { nodeTaints: [{ key: 'gpu' }] } };
    expect(check(flavor)).toEqual([
      ['error', expect.stringMatching(/^ResourceFlavor lacks the required field spec.nodeTaints\[0\].effect: .*add spec.nodeTaints\[0\].effect$/)],
    ]);
    expect(check(flavor, { kueue: '0.14' })).toEqual([['error', expect.stringMatching(/spec.nodeTaints\[0\].effect/)]]);
    const group = { flavors: [{ name: 'l4', resources: [{ name: 'cpu', nominalQuota: 8 }] }] };
    const queue = {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'q' },
      spec: { namespaceSelector: {}, resourceGroups: [group] },
    };
    expect(check(queue)).toEqual([['error', expect.stringMatching(/^ClusterQueue lacks the required field spec.resourceGroups\[0\].coveredResources: /)]]);
    // admissionChecksStrategy.admissionChecks is required only by the v1beta2 schema, which Kueue 0.14's CRDs do not serve
    const strategy = {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name: 'q' },
      spec: { namespaceSelector: {}, admissionChecksStrategy: {}, resourceGroups: [{ ...group, coveredResources: ['cpu'] }] },
    };
    expect(check(strategy)).toEqual([
      ['warning', expect.stringMatching(/lacks the required field spec.admissionChecksStrategy.admissionChecks: .*Judged by the CRDs of Kueue 0.16/)],
    ]);
    expect(check(strategy, { kueue: '0.16' })).toEqual([['error', expect.stringMatching(/spec.admissionChecksStrategy.admissionChecks/)]]);
  });
});

describe('field-required-missing: misplaced fields, patch fragments and presets', () => {
  const check = (manifest: unknown) => severityMessages(ruleFound('field-required-missing', [{ manifest }], { platform: 'rhoai-3.4', alone: true }));

  test("a RoleBinding's roleRef written under spec: the message says where it is", () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'ai' },
      spec: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } },
    };
    expect(check(binding)).toEqual([
      [
        'error',
        "RoleBinding lacks the required field roleRef (written under 'spec', which the schema does not have): the Kubernetes 1.33 schema requires it and gives no default, so the API server refuses the RoleBinding; move spec.roleRef to the top level",
      ],
    ]);
  });

  test('a Deployment whose containers name no image is a patch fragment: a warning; an LLMInferenceServiceConfig preset is not judged', () => {
    const patch = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'manager', namespace: 'ops' },
      spec: { template: { spec: { containers: [{ name: 'manager', resources: { limits: { memory: '2Gi' } } }] } } },
    };
    expect(check(patch)).toEqual([['warning', expect.stringMatching(/^Deployment lacks the required field spec.selector.*reads as a patch fragment/)]]);
    const preset = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceServiceConfig',
      metadata: { name: 'prefix-cache', namespace: 'ai' },
      spec: { router: { scheduler: { pool: { spec: { endpointPickerRef: { group: '' } } } } } },
    };
    expect(check(preset)).toEqual([]);
  });
});

describe('built-in kinds: only the fields their Go validation refuses absent', () => {
  const job = (onPodConditions: unknown[]) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'train', namespace: 'team-a' },
    spec: {
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions }] },
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'train', image: 'quay.io/example/train:v1' }] } },
    },
  });

  test('a pod-failure condition without status: the server defaults it to True (batch/v1 SetDefaults), so nothing is missing; without type it is refused', () => {
    expect(builtIn(job([{ type: 'DisruptionTarget' }]))).toEqual([]);
    expect(builtIn(job([{ status: 'True' }]))).toEqual(['spec.podFailurePolicy.rules[0].onPodConditions[0].type']);
  });
});

describe('field-required-missing: a kind written under a built-in group that lacks it', () => {
  const found = (manifest: unknown, platform: 'kserve' | 'rhoai-3.0' = 'kserve') =>
    severityMessages(ruleFound('field-required-missing', [{ manifest }], { platform, alone: true }));
  const deployment = (apiVersion: string, spec: Record<string, unknown>) => ({
    apiVersion,
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'app' },
    spec,
  });

  test('apiVersion: v1 on a Deployment without a pod template: judged as apps/v1, the one group that serves Deployment', () => {
    expect(found(deployment('v1', { replicas: 1, selector: { matchLabels: { app: 'web' } } }))).toEqual([
      [
        'error',
        'Deployment lacks the required field spec.template (judged as apps/v1, the apiVersion that serves Deployment): the Kubernetes 1.33 schema requires it and gives no default, so the API server refuses the Deployment; add spec.template',
      ],
    ]);
  });

  test.each([
    ['the same body under apps/v1 names no judged-as', () => found(deployment('apps/v1', { replicas: 1, selector: { matchLabels: { app: 'web' } } }))[0][1]],
  ])('%s', (_what, run) => {
    expect(run()).not.toContain('judged as');
  });

  test("near miss: a whole body under the wrong group, and a kind of another project's group (an Istio Gateway) is not judged by Gateway API's schema", () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'quay.io/org/web:1.0' }] } };
    expect(found(deployment('v1', { selector: { matchLabels: { app: 'web' } }, template }))).toEqual([]);
    expect(found({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'app' }, spec: {} })).toEqual([]);
  });
});
