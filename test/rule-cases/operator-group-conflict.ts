import { runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';

/**
 * operator-group-conflict, from OLM's own cases: operator-lifecycle-manager pkg/controller/operators/olm/operator.go
 * operatorGroupForCSV (0 groups → NoOperatorGroup, 2+ → TooManyOperatorGroups) and the catalog operator's
 * "no operator group found that is managing this namespace".
 */
type Doc = Record<string, unknown>;
const findings = (docs: { manifest: Doc; file?: string }[], platform: Platform = 'rhoai-3.0') =>
  runChecks(docs, { platform })
    .filter((f) => f.rule === 'operator-group-conflict')
    .map((f) => [f.severity, f.object, f.message]);

const group = (name: string, namespace: string): Doc => ({ apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name, namespace } });
const subscription = (name: string, namespace: string): Doc => ({
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'Subscription',
  metadata: { name, namespace },
  spec: { name, channel: 'stable', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
});
const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('operator-group-conflict', () => {
  test('two OperatorGroups of one namespace in one file: the second is an error naming the first', () => {
    const f = findings([
      { manifest: group('tempo-a', 'openshift-tempo-operator'), file: 'ops.yaml' },
      { manifest: group('tempo-b', 'openshift-tempo-operator'), file: 'ops.yaml' },
    ]);
    expect(f).toEqual([
      [
        'error',
        'OperatorGroup/openshift-tempo-operator/tempo-b',
        expect.stringMatching(/^is a second OperatorGroup in namespace 'openshift-tempo-operator', beside 'tempo-a'.*TooManyOperatorGroups/),
      ],
    ]);
  });

  test('two loose files, each with a group of one namespace, may be alternatives: a warning', () => {
    const f = findings([
      { manifest: group('tempo-a', 'openshift-tempo-operator'), file: 'a.yaml' },
      { manifest: group('tempo-b', 'openshift-tempo-operator'), file: 'b.yaml' },
    ]);
    expect(f.map(([s]) => s)).toEqual(['warning']);
  });

  test('one group read twice (same name, same declaration) is one group', () => {
    expect(
      findings([
        { manifest: group('tempo', 'openshift-tempo-operator'), file: 'a.yaml' },
        { manifest: group('tempo', 'openshift-tempo-operator'), file: 'a.yaml' },
      ]),
    ).toEqual([]);
  });

  // OpenShift creates global-operators in openshift-operators; upstream OLM in operators
  test.each([
    ['rhoai-3.0', 'openshift-operators', 1],
    ['rhoai-2', 'openshift-operators', 1],
    ['kserve', 'openshift-operators', 0],
    ['kserve', 'operators', 1],
    ['rhoai-3.0', 'operators', 0],
  ] as const)('on %s an OperatorGroup of its own in %s: %i finding(s)', (platform, ns, count) => {
    expect(findings([{ manifest: group('rhcl-operator-operatorgroup', ns) }], platform)).toHaveLength(count);
  });

  test('the shipped group itself, declared again, is no second one', () => {
    expect(findings([{ manifest: group('global-operators', 'openshift-operators') }])).toEqual([]);
  });

  test('a Subscription in a namespace the input creates, with no OperatorGroup: error; with one, or in a namespace it does not create: silent', () => {
    expect(
      findings([{ manifest: namespace('cert-manager-operator') }, { manifest: subscription('openshift-cert-manager-operator', 'cert-manager-operator') }]),
    ).toEqual([
      [
        'error',
        'Subscription/cert-manager-operator/openshift-cert-manager-operator',
        expect.stringMatching(
          /^subscribes to 'openshift-cert-manager-operator' in namespace 'cert-manager-operator', which the input creates without an OperatorGroup.*no operator group found/,
        ),
      ],
    ]);
    expect(
      findings([
        { manifest: namespace('cert-manager-operator') },
        { manifest: group('cert-manager', 'cert-manager-operator') },
        { manifest: subscription('openshift-cert-manager-operator', 'cert-manager-operator') },
      ]),
    ).toEqual([]);
    expect(findings([{ manifest: subscription('openshift-cert-manager-operator', 'cert-manager-operator') }])).toEqual([]);
    expect(findings([{ manifest: namespace('openshift-operators') }, { manifest: subscription('rhcl-operator', 'openshift-operators') }])).toEqual([]);
  });
});
