import { valueProblems } from '../../lib/validation/value-problems';
import { ruleFindings } from '../util';

/** A structural schema in the CRD style: an object with the given properties. */
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const top = (spec: Record<string, unknown>) => obj({ apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec });
const cr = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec });
const judged = (schema: Record<string, unknown>, spec: unknown, requiredMissing = false) =>
  valueProblems(cr(spec), top(schema), () => requiredMissing).map((p) => `${p.field}: ${p.allowed}${p.deferred ? ' (deferred)' : ''}`);

describe('valueProblems: the values a CRD schema refuses', () => {
  // kube-openapi pkg/validation/validate type.go as apiextensions-apiserver pkg/apiserver/validation runs it
  const schema = obj({
    replicas: { type: 'integer', minimum: 0, maximum: 8 },
    ratio: { type: 'number' },
    mode: { type: 'string', enum: ['Fast', 'Safe'] },
    name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2, minItems: 1 },
    quota: { 'x-kubernetes-int-or-string': true, pattern: '^[0-9]+(m|Gi)?$' },
    enabled: { type: 'boolean' },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    limits: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
  });

  test('values of the right type, in the enum and within bounds pass; an integer is a number', () => {
    expect(
      judged(schema, { replicas: 8, ratio: 2, mode: 'Safe', name: 'abc', tags: ['a'], quota: '500m', enabled: false, limits: { cpu: 2, memory: '8Gi' } }),
    ).toEqual([]);
  });

  test('int-or-string takes an integer or a string, its pattern only judging strings; a fraction is neither', () => {
    expect(judged(schema, { quota: 4 })).toEqual([]);
    expect(judged(schema, { quota: '4Mi' })).toEqual(['spec.quota: a string matching ^[0-9]+(m|Gi)?$']);
    expect(judged(schema, { limits: { cpu: 0.5 } })).toEqual(['spec.limits.cpu: an integer or a string (a quantity such as 500m or 16Gi is a string)']);
  });

  test('a quoted number, a string boolean and a fraction for an integer are type errors', () => {
    expect(judged(schema, { replicas: '2', enabled: 'yes', ratio: 0.5 })).toEqual(['spec.replicas: an integer', 'spec.enabled: a boolean (true or false)']);
    expect(judged(schema, { replicas: 1.5 })).toEqual(['spec.replicas: an integer']);
  });

  test('enum, pattern, lengths, bounds and list sizes', () => {
    expect(judged(schema, { mode: 'fast', name: 'abcdef1', replicas: 9, tags: ['a', 'b', 'c'] })).toEqual([
      'spec.mode: one of "Fast", "Safe"',
      'spec.name: a string matching ^[a-z]+$',
      'spec.name: at most 5 character(s)',
      'spec.replicas: at most 8',
      'spec.tags: at most 2 item(s)',
    ]);
    expect(judged(schema, { tags: [], replicas: -1 })).toEqual(['spec.tags: at least 1 item(s)', 'spec.replicas: at least 0']);
  });

  test('fields under x-kubernetes-preserve-unknown-fields and unknown fields are not judged; a null is no type error', () => {
    expect(judged(schema, { extra: { replicas: 'two', anything: [1] }, unknownField: 'x', mode: null, replicas: null })).toEqual([]);
  });

  test('a maxLength counts characters, as Go counts runes', () => {
    // three emoji: six UTF-16 code units, three runes
    expect(judged(schema, { name: '\u{1F600}\u{1F600}\u{1F600}' })).toEqual(['spec.name: a string matching ^[a-z]+$']);
  });
});

describe('valueProblems: CEL rules after pruning and defaulting', () => {
  // cases after apiextensions-apiserver pkg/apiserver/schema/cel/validation_test.go: self bound at the rule's place,
  // transition rules skipped on create, and pkg/registry/customresource/strategy.go: CEL after the schema's blocking errors
  const scaling = obj(
    {
      replicas: { type: 'integer' },
      scaling: obj(
        { minReplicas: { type: 'integer', default: 1 }, maxReplicas: { type: 'integer' } },
        {
          'x-kubernetes-validations': [
            { rule: '!has(self.maxReplicas) || self.minReplicas <= self.maxReplicas', message: 'minReplicas cannot exceed maxReplicas' },
          ],
        },
      ),
      queue: { type: 'string', enum: ['a', 'b'], 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }] },
      size: { type: 'string', 'x-kubernetes-validations': [{ rule: 'quantity(self).isGreaterThan(quantity("1"))', message: 'above 1' }] },
    },
    { 'x-kubernetes-validations': [{ rule: '!(has(self.replicas) && has(self.scaling))', message: 'replicas and scaling are mutually exclusive' }] },
  );

  test('a rule on the spec refuses both fields set; either alone passes', () => {
    expect(judged(scaling, { replicas: 1, scaling: { maxReplicas: 2 } })).toEqual(['spec: replicas and scaling are mutually exclusive']);
    expect(judged(scaling, { replicas: 1 })).toEqual([]);
    expect(judged(scaling, { scaling: { maxReplicas: 2 } })).toEqual([]);
  });

  test('defaults fill absent fields before the rules: minReplicas 1 exceeds maxReplicas 0', () => {
    expect(judged(scaling, { scaling: { maxReplicas: 0 } })).toEqual(['spec.scaling: minReplicas cannot exceed maxReplicas']);
  });

  test('a pruned unknown field does not count for has()', () => {
    expect(judged(scaling, { scaling: { maxReplicas: 2 }, replica: 1 })).toEqual([]);
  });

  test('transition rules (oldSelf) and rules with a function the evaluator lacks are not judged', () => {
    expect(judged(scaling, { queue: 'a', size: '0' })).toEqual([]);
  });

  test('a type error stops the rules; an enum error or a missing required field defers them', () => {
    expect(judged(scaling, { replicas: 'one', scaling: {} })).toEqual(['spec.replicas: an integer']);
    expect(judged(scaling, { replicas: 1, scaling: {}, queue: 'c' })).toEqual([
      'spec.queue: one of "a", "b"',
      'spec: replicas and scaling are mutually exclusive (deferred)',
    ]);
    expect(judged(scaling, { replicas: 1, scaling: {} }, true)).toEqual(['spec: replicas and scaling are mutually exclusive (deferred)']);
  });
});

describe('field-value-invalid: the Envoy AI Gateway CRDs (envoyproxy/ai-gateway v1.1.0, widened from v0.4.0)', () => {
  const backend = (backendRef: Record<string, unknown>) => ({
    apiVersion: 'aigateway.envoyproxy.io/v1alpha1',
    kind: 'AIServiceBackend',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { schema: { name: 'OpenAI' }, backendRef },
  });
  const found = (m: Record<string, unknown>) => ruleFindings('field-value-invalid', [m]);

  test("an AIServiceBackend's backendRef to a Service: refused by the CRD's CEL rule", () => {
    expect(found(backend({ name: 'chat-vllm', kind: 'Service', group: '', port: 8000 }))).toEqual([
      expect.stringMatching(
        /^error AIServiceBackend\/llm\/chat: AIServiceBackend chat spec\.backendRef breaks a CEL rule of the CRD aiservicebackends\.aigateway\.envoyproxy\.io: "BackendRef must be a Backend resource of Envoy Gateway/,
      ),
    ]);
  });

  test('near miss: a backendRef to an Envoy Gateway Backend', () => {
    expect(found(backend({ name: 'chat-vllm', kind: 'Backend', group: 'gateway.envoyproxy.io' }))).toEqual([]);
  });
});

describe("field-value-invalid and field-unknown: prometheus-operator's ScrapeConfig, Probe and AlertmanagerConfig (v0.93.0, widened from v0.76.2)", () => {
  const scrape = (sd: Record<string, unknown>) => ({
    apiVersion: 'monitoring.coreos.com/v1alpha1',
    kind: 'ScrapeConfig',
    metadata: { name: 'vllm', namespace: 'monitoring' },
    spec: { kubernetesSDConfigs: [sd] },
  });

  test('a kubernetesSDConfigs role written in lower case: refused by the enum (Pod, Endpoints, …)', () => {
    expect(ruleFindings('field-value-invalid', [scrape({ role: 'pod' })])).toEqual([
      expect.stringMatching(
        /^error ScrapeConfig\/monitoring\/vllm: ScrapeConfig vllm sets spec\.kubernetesSDConfigs\[0\]\.role to "pod", where the CRD scrapeconfigs\.monitoring\.coreos\.com schema allows one of "Pod"/,
      ),
    ]);
  });

  test('a field the ScrapeConfig schema lacks is unknown', () => {
    expect(ruleFindings('field-unknown', [scrape({ role: 'Pod', namespace: ['serving'] })])).toEqual([
      expect.stringMatching(/^error ScrapeConfig\/monitoring\/vllm: .*spec\.kubernetesSDConfigs\[0\]\.namespace/),
    ]);
  });

  test("a Probe's prober URL is required", () => {
    const probe = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Probe', metadata: { name: 'up', namespace: 'monitoring' }, spec: { prober: {} } };
    expect(ruleFindings('field-required-missing', [probe])).toEqual([expect.stringMatching(/^error Probe\/monitoring\/up: .*spec\.prober\.url/)]);
  });

  test('an AlertmanagerConfig time interval in any letter case passes the case-insensitive pattern (RE2 (?i) inside a group)', () => {
    const config = (months: string) => ({
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: 'quiet', namespace: 'monitoring' },
      spec: { muteTimeIntervals: [{ name: 'winter', timeIntervals: [{ months: [months] }] }] },
    });
    expect(ruleFindings('field-value-invalid', [config('December:February')])).toEqual([]);
    expect(ruleFindings('field-value-invalid', [config('december:february')])).toEqual([]);
    expect(ruleFindings('field-value-invalid', [config('winter')])).toEqual([expect.stringMatching(/months\[0\]/)]);
  });

  test.each([
    ['role Pod', scrape({ role: 'Pod' })],
    ['role EndpointSlice with namespaces', scrape({ role: 'EndpointSlice', namespaces: { names: ['serving'] } })],
  ])('near miss: %s', (_, m) => {
    expect(ruleFindings('field-value-invalid', [m])).toEqual([]);
    expect(ruleFindings('field-unknown', [m])).toEqual([]);
  });
});

describe('field-value-invalid: a built-in kind whose field has a JSON type its Go type cannot take', () => {
  const found = (m: Record<string, unknown>) => ruleFindings('field-value-invalid', [m]);
  const deployment = (pod: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'reranker', namespace: 'search' },
    spec: {
      selector: { matchLabels: { app: 'reranker' } },
      ...spec,
      template: { metadata: { labels: { app: 'reranker' } }, spec: { containers: [{ name: 'server', image: 'example.org/reranker:2.1' }], ...pod } },
    },
  });
  const decode = (kind: string) =>
    `the API server cannot decode it into the field's Go type ("json: cannot unmarshal ${kind} into Go struct field … of type …") and refuses the whole Deployment`;

  test('a mapping where the schema has a list (an empty `tolerations: {}`): an error naming the field and the fix', () => {
    expect(found(deployment({ tolerations: {} }))).toEqual([
      `error Deployment/search/reranker: Deployment reranker sets spec.template.spec.tolerations to a mapping ({}), where the Kubernetes 1.33 schema has a list: ${decode('object')}. Fix: write [] for an empty list, or list the items under it with \`- \``,
    ]);
  });

  test('a quoted number, a string boolean, a number where a string goes, and a list where a mapping goes', () => {
    const m = deployment(
      {
        hostIPC: 'false',
        containers: [{ name: 'server', image: 'example.org/reranker:2.1', env: [{ name: 'WORKERS', value: 4 }], securityContext: [{ runAsNonRoot: true }] }],
      },
      { replicas: '3' },
    );
    expect(found(m)).toEqual([
      `error Deployment/search/reranker: Deployment reranker sets spec.replicas to string "3", where the Kubernetes 1.33 schema has a number: ${decode('string')}. Fix: write the number without quotes (spec.replicas: 3)`,
      `error Deployment/search/reranker: Deployment reranker sets spec.template.spec.containers[0].env[0].value to number 4, where the Kubernetes 1.33 schema has a string: ${decode('number')}. Fix: quote it (spec.template.spec.containers[0].env[0].value: "4")`,
      `error Deployment/search/reranker: Deployment reranker sets spec.template.spec.containers[0].securityContext to a list ([{"runAsNonRoot":true}]), where the Kubernetes 1.33 schema has a mapping: ${decode('array')}. Fix: write a mapping there`,
      `error Deployment/search/reranker: Deployment reranker sets spec.template.spec.hostIPC to string "false", where the Kubernetes 1.33 schema has a boolean: ${decode('string')}. Fix: write false without quotes`,
    ]);
  });

  test('near miss: int-or-string ports and quantities take a number or a string, null is no type, metadata is not judged here', () => {
    const m = deployment({
      tolerations: null,
      containers: [
        {
          name: 'server',
          image: 'example.org/reranker:2.1',
          ports: [{ containerPort: 8080, name: 'http' }],
          readinessProbe: { httpGet: { port: 'http', path: '/ready' } },
          livenessProbe: { tcpSocket: { port: 8080 } },
          resources: { limits: { cpu: 2, memory: '4Gi' } },
          env: [{ name: 'WORKERS', value: '4' }],
        },
      ],
    });
    expect(found(m)).toEqual([]);
    expect(found({ ...m, metadata: { name: 'reranker', namespace: 'search', labels: { tier: 2 } } })).toEqual([]);
  });
});
