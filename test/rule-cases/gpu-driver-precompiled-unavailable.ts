import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

/** gpu-driver-precompiled-unavailable: precompiled GPU drivers from NVIDIA's registry on RHCOS nodes. */
const SUBSCRIPTION = {
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'Subscription',
  metadata: { name: 'gpu-operator-certified', namespace: 'nvidia-gpu-operator' },
  spec: { channel: 'v25.3', name: 'gpu-operator-certified', source: 'certified-operators', sourceNamespace: 'openshift-marketplace' },
};
const policy = (driver: Record<string, unknown>) => ({ apiVersion: 'nvidia.com/v1', kind: 'ClusterPolicy', metadata: { name: 'gpu' }, spec: { driver } });

async function findings(objects: unknown[], platform?: string): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('precompiled-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, ...(platform ? ['--platform', platform] : []), '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'gpu-driver-precompiled-unavailable');
}

describe('gpu-driver-precompiled-unavailable', () => {
  test('usePrecompiled with the default image beside the certified Subscription: an error; on an OpenShift platform alone, a warning', async () => {
    const [f, ...rest] = await findings([SUBSCRIPTION, policy({ usePrecompiled: true })]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('ClusterPolicy/gpu');
    expect(f.message).toMatch(/NVIDIA publishes precompiled driver images for Ubuntu kernels only.*ImagePullBackOff/);
    expect((await findings([policy({ usePrecompiled: true, repository: 'nvcr.io/nvidia' })], 'rhoai-3.0')).map((x) => x.severity)).toEqual(['warning']);
  });

  test("near misses: Red Hat's RHCOS image named, usePrecompiled off, the driver disabled, upstream Kubernetes (Ubuntu images exist)", async () => {
    const redHat = { usePrecompiled: true, repository: 'registry.redhat.io/nvidia', image: 'gpu-driver-rhel9', version: '580' };
    expect(await findings([SUBSCRIPTION, policy(redHat)])).toEqual([]);
    expect(await findings([SUBSCRIPTION, policy({ usePrecompiled: false })])).toEqual([]);
    expect(await findings([SUBSCRIPTION, policy({ usePrecompiled: true, enabled: false })])).toEqual([]);
    expect(await findings([policy({ usePrecompiled: true })], 'kserve')).toEqual([]);
  });
});
