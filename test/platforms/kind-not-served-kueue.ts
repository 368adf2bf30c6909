import { runChecks } from '../../lib';
import { versionRank } from '../../lib/check/rules/kind-not-served';

// Kueue versions judged against the releases the tool knows (0.11–0.18): a version older than every one of them
// serves (v1alpha2, removed in Kueue 0.3: kubernetes-sigs/kueue v0.3.0 apis/kueue holds v1beta1 alone) is an error
// even where the release is only the platform's default; a version some known release serves stays a warning there.
const found = (apiVersion: string, kind: string, platform: 'kserve' | 'rhoai-2' = 'kserve') =>
  runChecks([{ manifest: { apiVersion, kind, metadata: { name: 'x', ...(kind === 'LocalQueue' ? { namespace: 'ai' } : {}) } } }], { platform })
    .filter((f) => f.rule === 'kind-not-served')
    .map((f) => f.severity);

describe('kind-not-served: Kueue versions no known release serves', () => {
  test.each<[string, string, 'kserve' | 'rhoai-2', string[]]>([
    ['kueue.x-k8s.io/v1alpha2', 'ResourceFlavor', 'kserve', ['error']],
    ['kueue.x-k8s.io/v1alpha2', 'ClusterQueue', 'rhoai-2', ['error']],
    ['kueue.x-k8s.io/v1alpha1', 'LocalQueue', 'kserve', ['error']],
    ['kueue.x-k8s.io/v1alpha2', 'Workload', 'kserve', ['error']],
    // Kueue 0.11 and 0.12 serve Cohort v1alpha1: a release the platform might run
    ['kueue.x-k8s.io/v1alpha1', 'Cohort', 'kserve', ['warning']],
    // v1beta2 is served by the release upstream KServe assumes (0.16)
    ['kueue.x-k8s.io/v1beta2', 'ClusterQueue', 'kserve', []],
    // newer than any known release: a later one may serve it
    ['kueue.x-k8s.io/v1', 'ClusterQueue', 'kserve', ['warning']],
    // a kind whose earlier versions the table does not know: left as it was
    ['kueue.x-k8s.io/v1alpha1', 'MultiKueueCluster', 'kserve', ['warning']],
    ['kueue.x-k8s.io/v1beta1', 'ResourceFlavor', 'kserve', []],
  ])('%s %s on %s: %j', (apiVersion, kind, platform, expected) => {
    expect(found(apiVersion, kind, platform)).toEqual(expected);
  });

  test('versions rank as apimachinery orders them', () => {
    expect(versionRank('v1alpha2')).toEqual([1, 0, 2]);
    expect(versionRank('v1beta1')).toEqual([1, 1, 1]);
    expect(versionRank('v2')).toEqual([2, 2, 0]);
    expect(versionRank('v1beta')).toBeUndefined();
  });
});

// Cohort was v1alpha1 only up to Kueue 0.12 and v1beta1 from 0.13 (kubernetes-sigs/kueue #5595): a v1beta1 Cohort
// under an assumed release is a warning naming the release it needs; an error only where the release is known.
describe('kind-not-served: versions only later releases serve, under an assumed release', () => {
  const cohort = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'Cohort', metadata: { name: 'org' } };
  const findings = (kueue?: string) =>
    runChecks([{ manifest: cohort }], { platform: 'kserve', ...(kueue ? { kueue } : {}) }).filter((f) => f.rule === 'kind-not-served');

  test('assumed: a warning that names the release needed and says the tree does not tell it', () => {
    const [f, ...rest] = findings();
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(
      /^kueue\.x-k8s\.io\/v1beta1 Cohort needs Kueue 0\.13 or later \(Red Hat build of Kueue 1\.2 or later\): Kueue 0\.12 serves Cohort only as kueue\.x-k8s\.io\/v1alpha1/,
    );
    expect(f.message).toMatch(/this tree does not say which Kueue it runs on/);
  });

  test('stated: an error on 0.12, nothing on 0.13', () => {
    expect(findings('0.12').map((f) => f.severity)).toEqual(['error']);
    expect(findings('0.13')).toEqual([]);
  });

  test('near miss: a version every known release serves (ClusterQueue v1beta1) says nothing under the assumption', () => {
    const cq = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', metadata: { name: 'q' } };
    expect(runChecks([{ manifest: cq }], { platform: 'kserve' }).filter((f) => f.rule === 'kind-not-served')).toEqual([]);
  });
});
