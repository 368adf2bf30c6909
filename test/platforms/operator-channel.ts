import { runChecks } from '../../lib';
import { inferPlatform } from '../../lib/check/platform';

/**
 * operator-channel-mismatch: the OpenShift AI operator's channel installs one major line, the objects applied with it
 * are written for another; and what platform inference says of the same contradiction.
 */

type Doc = Record<string, any>;
type Placed = { manifest: Doc; file?: string; kustomizations?: string[] };

function subscription(channel: string, source = 'redhat-operators'): Doc {
  return {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'rhods-operator', namespace: 'redhat-ods-operator' },
    spec: { name: 'rhods-operator', channel, source, sourceNamespace: 'openshift-marketplace' },
  };
}

const dsc = (version: string): Doc => ({
  apiVersion: `datasciencecluster.opendatahub.io/${version}`,
  kind: 'DataScienceCluster',
  metadata: { name: 'default-dsc' },
  spec: {},
});
const profile = (apiVersion: string): Doc => ({
  apiVersion,
  kind: 'HardwareProfile',
  metadata: { name: 'gpu', namespace: 'redhat-ods-applications' },
  spec: {},
});

function findings(placed: Placed[]): [string, string][] {
  return runChecks(placed, { platform: 'rhoai-3.4' })
    .filter((f) => f.rule === 'operator-channel-mismatch')
    .map((f) => [f.severity, f.message]);
}

const inBuild = (root: string, ...docs: Doc[]): Placed[] => docs.map((manifest) => ({ manifest, file: `${root}/x.yaml`, kustomizations: [root] }));

describe('operator-channel-mismatch', () => {
  test.each([
    ['stable', 1],
    ['fast', 1],
    ['stable-2.16', 1],
    ['eus-2.25', 1],
    ['stable-2.x', 1],
    ['stable-3.x', 0],
    ['fast-3.x', 0],
    ['stable-3.4', 0],
    ['eus-3.5', 0],
    ['embedded', 0],
    ['support-required-upgrade', 0],
  ])("channel '%s' built with DataScienceCluster v2: %d finding(s)", (channel, count) => {
    expect(findings(inBuild('platform', subscription(channel), dsc('v2'))).length).toBe(count);
  });

  test('the finding names the channel, the 3.x object, its API version and the channel to use', () => {
    expect(findings(inBuild('platform', subscription('stable'), profile('infrastructure.opendatahub.io/v1')))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.channel 'stable' installs OpenShift AI 2\.x \(stable and fast stayed on the 2\.x line.*\), but HardwareProfile\/redhat-ods-applications\/gpu \(platform\/x\.yaml\), applied with it, is infrastructure\.opendatahub\.io\/v1, which only OpenShift AI 3\.x serves: .*no matches for kind "HardwareProfile" in version "v1".*subscribe to stable-3\.x/,
        ),
      ],
    ]);
  });

  test('silent on APIs 2.x serves too: DataScienceCluster v1, HardwareProfile v1alpha1; and on v1 under a 3.x channel, which 3.x still serves', () => {
    expect(findings(inBuild('platform', subscription('stable'), dsc('v1'), profile('infrastructure.opendatahub.io/v1alpha1')))).toEqual([]);
    expect(findings(inBuild('platform', subscription('stable-3.x'), dsc('v1')))).toEqual([]);
  });

  test('silent when the objects are in other kustomize roots (alternatives), or the Subscription comes from another catalog', () => {
    expect(findings([...inBuild('operator-2x', subscription('stable')), ...inBuild('instance-3x', dsc('v2'))])).toEqual([]);
    expect(findings(inBuild('platform', subscription('stable', 'my-mirror'), dsc('v2')))).toEqual([]);
  });
});

describe('platform inference names the contradiction', () => {
  const placed = (...docs: Doc[]) => docs.map((manifest) => ({ manifest }));

  test('the floating channel alone tells 2.x', () => {
    expect(inferPlatform(placed(subscription('stable')))).toMatchObject({ platform: 'rhoai-2', source: 'inferred' });
  });

  test('DataScienceCluster v2 outweighs the floating channel, and the reason names the overruled channel', () => {
    const r = inferPlatform(placed(subscription('stable'), dsc('v2')));
    expect(r.platform).toBe('rhoai-3.0');
    expect(r.reason).toMatch(
      /overruled: Subscription\/redhat-ods-operator\/rhods-operator follows channel stable \(rhoai-2\), by the stronger DataScienceCluster\/default-dsc is datasciencecluster.opendatahub.io\/v2/,
    );
  });

  test('a release channel still outweighs the DataScienceCluster version', () => {
    expect(inferPlatform(placed(subscription('stable-2.16'), dsc('v2'))).platform).toBe('rhoai-2');
  });
});
