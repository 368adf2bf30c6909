import { runChecks } from '../../lib';
import { groupTargets, requiredModes } from '../../lib/check/operator-groups';
import { Platform } from '../../lib/check/platform';
import { installModesOf } from '../../lib/platform/operator-install-modes';

/**
 * operator-install-mode-unsupported, from OLM's own cases: operator-framework/api
 * pkg/operators/v1alpha1/clusterserviceversion_test.go (InstallModeSet.Supports) and operator-lifecycle-manager
 * pkg/controller/operators/olm/operatorgroup.go getOperatorGroupTargets.
 */
type Doc = Record<string, unknown>;
const RULE = 'operator-install-mode-unsupported';
const findings = (docs: Doc[], platform: Platform = 'rhoai-3.0') =>
  runChecks(
    docs.map((manifest) => ({ manifest, file: 'operators.yaml' })),
    { platform },
  )
    .filter((f) => f.rule === RULE)
    .map((f) => [f.severity, f.object, f.message]);

const group = (namespace: string, spec?: Doc): Doc => ({
  apiVersion: 'operators.coreos.com/v1',
  kind: 'OperatorGroup',
  metadata: { name: 'og', namespace },
  ...(spec ? { spec } : {}),
});
const subscription = (pkg: string, namespace: string): Doc => ({
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'Subscription',
  metadata: { name: pkg, namespace },
  spec: { name: pkg, channel: 'stable', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
});
const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const operator = (pkg: string, ns: string, spec?: Doc) => [namespace(ns), group(ns, spec), subscription(pkg, ns)];

describe('the install mode an OperatorGroup asks for (InstallModeSet.Supports)', () => {
  const targets = (spec?: Doc) => groupTargets({ manifest: group('ns-a', spec) });
  test.each([
    ['no spec', undefined, ['']],
    ['empty targetNamespaces', { targetNamespaces: [] }, ['']],
    ['an empty selector', { selector: {} }, ['']],
    ['own namespace', { targetNamespaces: ['ns-a'] }, ['ns-a']],
    ['a namespace named twice is one', { targetNamespaces: ['ns-b', 'ns-b'] }, ['ns-b']],
    ['targetNamespaces win over a selector', { targetNamespaces: ['ns-b'], selector: { matchLabels: { a: 'b' } } }, ['ns-b']],
  ])('%s', (_, spec, expected) => {
    expect(targets(spec)).toEqual(expected);
  });

  test('a label selector is decided on the cluster: unknown', () => {
    expect(targets({ selector: { matchLabels: { team: 'a' } } })).toBeUndefined();
    expect(targets({ selector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } })).toBeUndefined();
  });

  test.each([
    [[''], ['AllNamespaces']],
    [['ns-a'], ['OwnNamespace']],
    [['ns-b'], ['SingleNamespace']],
    [['ns-b', 'ns-c'], ['MultiNamespace']],
    // Supports: several namespaces that include the operator's own need OwnNamespace as well
    [
      ['ns-a', 'ns-b'],
      ['MultiNamespace', 'OwnNamespace'],
    ],
  ])('operator in ns-a watching %j needs %j', (t, modes) => {
    expect(requiredModes('ns-a', t)).toEqual(modes);
  });
});

describe('the table of operators (bundle CSVs)', () => {
  test.each([
    ['job-set', ['OwnNamespace', 'SingleNamespace']],
    ['leader-worker-set', ['OwnNamespace']],
    ['kueue-operator', ['AllNamespaces']],
    ['rhods-operator', ['AllNamespaces']],
    ['gpu-operator-certified', ['OwnNamespace', 'SingleNamespace']],
    ['openshift-cert-manager-operator', ['OwnNamespace', 'SingleNamespace', 'AllNamespaces']],
  ])('%s supports %j', (pkg, modes) => {
    expect(installModesOf(pkg)?.supported).toEqual(modes);
  });

  test('an operator not in the table is unknown', () => {
    expect(installModesOf('tempo-product')).toBeUndefined();
  });
});

describe('operator-install-mode-unsupported', () => {
  test('JobSet under a group with no targetNamespaces (AllNamespaces): error on the Subscription naming group, mode and fix', () => {
    expect(findings(operator('job-set', 'openshift-jobset-operator'))).toEqual([
      [
        'error',
        'Subscription/openshift-jobset-operator/job-set',
        "subscribes to job-set (the JobSet operator) in namespace 'openshift-jobset-operator', whose OperatorGroup 'og' (operators.yaml) (no spec.targetNamespaces) " +
          "makes it watch all namespaces: install mode AllNamespaces, which the operator's ClusterServiceVersion does not support (it supports OwnNamespace, SingleNamespace): " +
          "OLM fails the CSV with UnsupportedOperatorGroup and the operator never installs; set spec.targetNamespaces: [openshift-jobset-operator] on the namespace's OperatorGroup (OwnNamespace) " +
          "and subscribe in a namespace of the operator's own",
      ],
    ]);
  });

  test('JobSet watching its own namespace, or one other: silent', () => {
    expect(findings(operator('job-set', 'openshift-jobset-operator', { targetNamespaces: ['openshift-jobset-operator'] }))).toEqual([]);
    expect(findings(operator('job-set', 'openshift-jobset-operator', { targetNamespaces: ['team-a'] }))).toEqual([]);
  });

  test('LeaderWorkerSet watching one other namespace: SingleNamespace is not supported', () => {
    const [f] = findings(operator('leader-worker-set', 'openshift-lws-operator', { targetNamespaces: ['team-a'] }));
    expect(f[2]).toMatch(/watch one other namespace 'team-a': install mode SingleNamespace, .* \(it supports OwnNamespace\)/);
  });

  test('NFD watching two namespaces: MultiNamespace (and OwnNamespace, supported) — only the missing mode is named', () => {
    const [f] = findings(operator('nfd', 'openshift-nfd', { targetNamespaces: ['openshift-nfd', 'team-a'] }));
    expect(f[2]).toMatch(/watch 2 namespaces \(openshift-nfd, team-a\): install mode MultiNamespace, which/);
  });

  test('Kueue under an OwnNamespace group: error suggesting AllNamespaces or openshift-operators', () => {
    const [f] = findings(operator('kueue-operator', 'openshift-kueue-operator', { targetNamespaces: ['openshift-kueue-operator'] }));
    expect(f[2]).toMatch(
      /install mode OwnNamespace, .*\(it supports AllNamespaces\).*without spec.targetNamespaces \(AllNamespaces\), or subscribe in openshift-operators/,
    );
  });

  test("in openshift-operators the cluster's global-operators group (AllNamespaces) decides", () => {
    expect(findings([subscription('kueue-operator', 'openshift-operators')])).toEqual([]);
    const [f] = findings([subscription('leader-worker-set', 'openshift-operators')]);
    expect(f[2]).toMatch(/whose OperatorGroup 'global-operators' \(the cluster's own, no spec.targetNamespaces\) makes it watch all namespaces/);
    // upstream OLM: the namespace is `operators`
    expect(findings([subscription('leader-worker-set', 'operators')], 'kserve').length).toBe(1);
    expect(findings([subscription('leader-worker-set', 'openshift-operators')], 'kserve')).toEqual([]);
  });

  test('not judged: unknown operator, label selector, no group, two groups, a second group beside global-operators', () => {
    expect(findings(operator('tempo-product', 'openshift-tempo-operator', { targetNamespaces: ['openshift-tempo-operator'] }))).toEqual([]);
    expect(findings(operator('job-set', 'openshift-jobset-operator', { selector: { matchLabels: { a: 'b' } } }))).toEqual([]);
    expect(findings([namespace('ns-a'), subscription('job-set', 'ns-a')])).toEqual([]);
    const second = { ...group('ns-a'), metadata: { name: 'og2', namespace: 'ns-a' } };
    expect(findings([...operator('job-set', 'ns-a'), second])).toEqual([]);
    expect(findings([group('openshift-operators'), subscription('leader-worker-set', 'openshift-operators')])).toEqual([]);
  });
});
