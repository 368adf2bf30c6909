import { runChecks } from '../../lib';

type Doc = Record<string, any>;
const found = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'admission-policy-param-unbound')
    .map((f) => `${f.severity} ${f.object}: ${f.message}`);

const policy = (expression: string, spec: Doc = {}): Doc => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'uri-prefix' },
  spec: {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: {
      resourceRules: [{ apiGroups: ['serving.kserve.io'], apiVersions: ['v1beta1'], operations: ['CREATE'], resources: ['inferenceservices'] }],
    },
    validations: [{ expression, message: 'the params say which prefix' }],
    ...spec,
  },
});
const binding = (spec: Doc = {}): Doc => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name: 'uri-prefix-binding' },
  spec: { policyName: 'uri-prefix', validationActions: ['Deny'], ...spec },
});
const READS = 'object.spec.predictor.model.storageUri.startsWith(params.data.prefix)';

describe('admission-policy-param-unbound', () => {
  test('expressions reading params without a null check, failurePolicy Fail (the default): an error, every matching request denied', () => {
    expect(found([policy(READS), binding()])).toEqual([
      expect.stringMatching(
        /^error ValidatingAdmissionPolicyBinding\/uri-prefix-binding: spec\.policyName 'uri-prefix' is a ValidatingAdmissionPolicy that declares paramKind ConfigMap \(v1\), and the binding sets no spec\.paramRef: .*params null.*failurePolicy Fail \(the default\) the API server denies every request the policy matches/,
      ),
    ]);
  });

  test('failurePolicy Ignore or a null guard: a warning, the checks on params never apply; no expression reading params: a note', () => {
    expect(found([policy(READS, { failurePolicy: 'Ignore' }), binding()])).toEqual([
      expect.stringMatching(/^warning .*with failurePolicy Ignore their errors admit the request/),
    ]);
    expect(found([policy(`params == null || ${READS}`), binding()])).toEqual([expect.stringMatching(/^warning .*guard them against null/)]);
    expect(found([policy("object.spec.predictor.model.storageUri.startsWith('oci://quay.example.org/params')"), binding()])).toEqual([
      expect.stringMatching(/^info .*no expression of the policy reads params, so it enforces what it says/),
    ]);
  });

  test('near misses: a paramRef on the binding, a policy without paramKind, a policy not in the tree', () => {
    expect(found([policy(READS), binding({ paramRef: { name: 'prefix', namespace: 'policy', parameterNotFoundAction: 'Deny' } })])).toEqual([]);
    expect(found([policy(READS, { paramKind: undefined }), binding()])).toEqual([]);
    expect(found([binding()])).toEqual([]);
  });
});
