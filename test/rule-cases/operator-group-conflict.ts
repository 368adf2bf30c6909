import { cliInProcess, ruleFound, severityObjectMessages, writeTree } from '../util';
import { Platform } from '../../lib/check/platform';

/**
 * operator-group-conflict, from OLM's own cases: operator-lifecycle-manager pkg/controller/operators/olm/operator.go
 * operatorGroupForCSV (0 groups → NoOperatorGroup, 2+ → TooManyOperatorGroups) and the catalog operator's
 * "no operator group found that is managing this namespace".
 */
type Doc = Record<string, unknown>;
const findings = (docs: { manifest: Doc; file?: string }[], platform: Platform = 'rhoai-3.0') =>
  severityObjectMessages(ruleFound('operator-group-conflict', docs, { platform }));

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

describe('operator-group-conflict: OperatorGroups a script applies from a heredoc', () => {
  const manifests =
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-ops}\n---\n' +
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: tracer, namespace: team-ops}\n' +
    'spec: {name: tracer, channel: stable, source: redhat-operators, sourceNamespace: openshift-marketplace}\n';
  // a function makes the group of the namespace it is given, written in a flow mapping as such scripts often do
  const script = (namespace: string, assignment = '') =>
    [
      'set -euo pipefail',
      assignment,
      'make_group() {',
      '  local ns="$1"',
      '  oc apply -f - <<EOF',
      'apiVersion: operators.coreos.com/v1',
      'kind: OperatorGroup',
      `metadata: {name: ${namespace}-group, namespace: ${namespace}}`,
      `spec: {targetNamespaces: [${namespace}]}`,
      'EOF',
      '}',
      'make_group team-ops',
    ].join('\n');
  const verdicts = async (files: Record<string, string>) => {
    const dir = writeTree('heredoc-group-', files);
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'operator-group-conflict')
      .map((f: { severity: string; object: string; message: string }) => [f.severity, f.object, f.message.replace(`${dir}/`, '')]);
  };

  test("a namespace the shell fills from a function's argument: a warning naming the script, no error on the guess", async () => {
    expect(await verdicts({ 'operators.yaml': manifests, 'install.sh': script('${ns}') })).toEqual([
      [
        'warning',
        'Subscription/team-ops/tracer',
        "subscribes to 'tracer' in namespace 'team-ops', which the input creates with no OperatorGroup of its own there; a script makes OperatorGroups for a namespace " +
          "the shell fills in when it runs (install.sh:6), assumed to make the one of 'team-ops': if it does not run for 'team-ops' first, OLM does not install the operator " +
          `(the InstallPlan fails "no operator group found that is managing this namespace"); run the script, or add an OperatorGroup to 'team-ops' beside the Subscription`,
      ],
    ]);
  });

  test('near misses: the script sets the namespace (no finding), sets another one or has no group (the error stays)', async () => {
    expect(await verdicts({ 'operators.yaml': manifests, 'install.sh': script('${NS}', 'NS=team-ops') })).toEqual([]);
    const error = ['error', 'Subscription/team-ops/tracer', expect.stringMatching(/which the input creates without an OperatorGroup: OLM does not install it/)];
    expect(await verdicts({ 'operators.yaml': manifests, 'install.sh': script('${NS}', 'NS=other-ops') })).toEqual([error]);
    expect(await verdicts({ 'operators.yaml': manifests })).toEqual([error]);
  });
});
