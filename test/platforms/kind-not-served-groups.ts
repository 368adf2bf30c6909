import { runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';

/** A kind its API group does not serve: "no matches for kind" (the API server serves only its CRDs' kinds). */
const object = (apiVersion: string, kind: string) => ({ manifest: { apiVersion, kind, metadata: { name: 'x', namespace: 'ai' }, spec: {} } });

function found(
  objects: { manifest: Record<string, unknown> }[],
  platform: Platform,
  extra: { platformAssumed?: boolean; platformCandidates?: Platform[] } = {},
) {
  return runChecks(objects, { platform, rules: ['kind-not-served'], ...extra }).map((f) => [f.severity, f.message]);
}

describe('kind-not-served on groups whose kinds are known', () => {
  test('a kind of another group written with the core apiVersion: the remedy names the group that serves it, not a core kind', () => {
    expect(found([object('v1', 'ServiceMonitor')], 'kserve')).toEqual([
      [
        'error',
        'kind ServiceMonitor is not served in the core group on upstream KServe 0.20 with Kueue 0.16+: the apply fails with "no matches for kind \\"ServiceMonitor\\" in version \\"v1\\""; ServiceMonitor is a kind of monitoring.coreos.com: write apiVersion: monitoring.coreos.com/v1',
      ],
    ]);
    // a misspelt core kind no other group has keeps the nearest core kind
    const [[, misspelt]] = found([object('v1', 'ConfigMapp')], 'kserve');
    expect(misspelt).toContain('write kind: ConfigMap (it serves ');
  });

  test('OpenShift AI 2.x: a kind of no release in the DataScienceCluster group is an error naming its only kind', () => {
    expect(found([object('datasciencecluster.opendatahub.io/v1', 'DataScienceProject')], 'rhoai-2')).toEqual([
      [
        'error',
        'kind DataScienceProject is not served in datasciencecluster.opendatahub.io on any OpenShift AI release, 2.x included: the apply fails with "no matches for kind \\"DataScienceProject\\" in version \\"datasciencecluster.opendatahub.io/v1\\""; it serves only DataScienceCluster',
      ],
    ]);
    expect(found([object('datasciencecluster.opendatahub.io/v1', 'DataScienceCluster')], 'rhoai-2')).toEqual([]);
    expect(found([object('dscinitialization.opendatahub.io/v1', 'DSCInitialization')], 'rhoai-2')).toEqual([]);
  });

  test("OpenShift AI 2.x: a kind no 3.x release serves in KServe's group is a warning (2.x's kinds are not all known), naming the nearest", () => {
    const [[severity, message]] = found([object('serving.kserve.io/v1beta1', 'InferenceServce')], 'rhoai-2');
    expect(severity).toBe('warning');
    expect(message).toContain('unless 2.x serves it; write kind: InferenceService (it serves ClusterServingRuntime, ');
    // a kind 3.x serves, and a group the tool does not close: silent
    expect(found([object('serving.kserve.io/v1beta1', 'InferenceService')], 'rhoai-2')).toEqual([]);
    expect(found([object('argoproj.io/v1alpha1', 'Rollout')], 'rhoai-2')).toEqual([]);
  });

  test('a platform only assumed: a kind another release it may be serves is a warning; one none serves stays an error', () => {
    const cache = [object('serving.kserve.io/v1alpha1', 'LocalModelNamespaceCache')];
    expect(found(cache, 'rhoai-3.0').map((f) => f[0])).toEqual(['error']);
    const assumed = found(cache, 'rhoai-3.0', { platformAssumed: true, platformCandidates: ['rhoai-3.0', 'rhoai-3.4'] });
    expect(assumed.map((f) => [f[0], f[1].split('. ')[1]])).toEqual([
      [
        'warning',
        "OpenShift AI 3.0 (KServe 0.15, Kueue 0.14) is assumed, and OpenShift AI 3.4 (KServe 0.17, Kueue 0.16) serves it: state the cluster's release with --platform",
      ],
    ]);
    expect(found(cache, 'rhoai-3.0', { platformAssumed: true, platformCandidates: ['rhoai-3.0', 'rhoai-3.3'] }).map((f) => f[0])).toEqual(['error']);
  });
});
