import { ruleFound } from '../util';

/** A Subscription to `pkg` from `source`, starting at `csv`. */
const subscription = (pkg: string, source: string, csv: string | undefined, channel = 'stable') => ({
  manifest: {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: pkg, namespace: 'operators' },
    spec: { name: pkg, channel, source, sourceNamespace: 'openshift-marketplace', ...(csv ? { startingCSV: csv } : {}) },
  },
});

const findings = (objects: ReturnType<typeof subscription>[], rule: string) => ruleFound(rule, objects, { alone: true });

describe('subscription-starting-csv-invalid', () => {
  test.each([
    ['rhods-operator', 'redhat-operators', 'rhods-operator.v3.4.0', /rhods-operator.<major>.<minor>.<patch> with no v/],
    ['nfd', 'redhat-operators', 'nfd.v0.14.0', /nfd.4.<OpenShift minor>/],
    ['gpu-operator-certified', 'certified-operators', 'gpu-operator-certified.v26.0.0', /minor is the release month 1–12/],
    ['gpu-operator-certified', 'certified-operators', 'gpu-operator-certified.26.3.1', /gpu-operator-certified.v<YY>/],
    ['serverless-operator', 'redhat-operators', 'serverless-operator.1.36.0', /serverless-operator.v<major>/],
    ['kueue-operator', 'redhat-operators', 'kueue-operator.1.3.0', /kueue-operator.v<major>/],
  ])('%s starting at a CSV its catalog cannot hold (%s, %s) is an error', (pkg, source, csv, shape) => {
    const [f, ...rest] = findings([subscription(pkg, source, csv)], 'subscription-starting-csv-invalid');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.object).toBe(`Subscription/operators/${pkg}`);
    expect(f.message).toContain(`spec.startingCSV '${csv}' cannot be a CSV of package ${pkg}`);
    expect(f.message).toMatch(shape);
    expect(f.message).toContain('ResolutionFailed');
  });

  test('a startingCSV of another known package than spec.name is an error', () => {
    const [f] = findings([subscription('my-gpu-operator', 'my-catalog', 'gpu-operator-certified.v25.3.1')], 'subscription-starting-csv-invalid');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/is a CSV of package gpu-operator-certified, not of my-gpu-operator \(spec.name\)/);
    const [g] = findings([subscription('nfd', 'redhat-operators', 'rhods-operator.3.4.0')], 'subscription-starting-csv-invalid');
    expect(g.message).toMatch(/is a CSV of package rhods-operator, not of nfd/);
  });

  test.each([
    ['rhods-operator', 'redhat-operators', 'rhods-operator.3.4.0'],
    ['rhods-operator', 'redhat-operators', 'rhods-operator.3.6.0-ea.1'],
    ['rhods-operator', 'redhat-operators', 'rhods-operator.1.20.1-8'],
    ['nfd', 'redhat-operators', 'nfd.4.20.0-202604241817'],
    ['gpu-operator-certified', 'certified-operators', 'gpu-operator-certified.v25.10.1'],
    ['gpu-operator-certified', 'certified-operators', 'gpu-operator-certified.v1.11.1'],
    ['serverless-operator', 'redhat-operators', 'serverless-operator.v1.36.0'],
    ['opendatahub-operator', 'community-operators', 'opendatahub-operator.v2.23.0'],
    ['kueue-operator', 'redhat-operators', 'kueue-operator.v1.3.0'],
    // another catalog may name its builds otherwise; an unknown package is not judged, nor a CSV prefix unlike its package
    ['rhods-operator', 'rhoai-dev-catalog', 'rhods-operator.v3.4.0'],
    ['openshift-cert-manager-operator', 'redhat-operators', 'cert-manager-operator.v1.19.0'],
    ['leader-worker-set', 'redhat-operators', 'leader-worker-set.v1.0.0'],
  ])('%s from %s starting at %s is not judged wrong', (pkg, source, csv) => {
    expect(findings([subscription(pkg, source, csv)], 'subscription-starting-csv-invalid')).toEqual([]);
  });

  test('no startingCSV: nothing to judge', () => {
    expect(findings([subscription('nfd', 'redhat-operators', undefined)], 'subscription-starting-csv-invalid')).toEqual([]);
  });
});

describe('subscription-channel-unknown: the channels of the GPU Operator and NFD, a warning', () => {
  test.each([
    ['gpu-operator-certified', 'certified-operators', 'v26.0'],
    ['gpu-operator-certified', 'certified-operators', 'stable-v26'],
    ['nfd', 'redhat-operators', '4.20'],
  ])('%s from %s on channel %s (outside its known channels) is a warning', (pkg, source, channel) => {
    const [f, ...rest] = findings([subscription(pkg, source, undefined, channel)], 'subscription-channel-unknown');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain(`spec.channel '${channel}' is not a channel of package ${pkg}`);
  });

  test.each([
    ['gpu-operator-certified', 'certified-operators', 'v25.10'],
    ['gpu-operator-certified', 'certified-operators', 'stable'],
    ['nfd', 'redhat-operators', 'stable'],
  ])('%s from %s on channel %s is not judged', (pkg, source, channel) => {
    expect(findings([subscription(pkg, source, undefined, channel)], 'subscription-channel-unknown')).toEqual([]);
  });
});
