import { ruleFound, severityMessages } from '../util';

const check = (controllerName: string) => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'AdmissionCheck',
  metadata: { name: 'capacity' },
  spec: { controllerName, parameters: { apiGroup: 'kueue.x-k8s.io', kind: 'ProvisioningRequestConfig', name: 'capacity' } },
});
const PROVISIONING = 'kueue.x-k8s.io/provisioning-request';

const findings = (kueue: string | undefined, ...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'admission-check-gate-off',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', ...(kueue ? { kueue } : {}) },
    ),
  );

describe('admission-check-gate-off', () => {
  test('the ProvisioningRequest check on a stated Kueue 0.5 or 0.6: ProvisioningACC is alpha and off', () => {
    expect(findings('0.5', check(PROVISIONING))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.controllerName 'kueue\.x-k8s\.io\/provisioning-request' is run by Kueue only with the feature gate ProvisioningACC, off by default in Kueue 0\.5 \(.*; on by default from 0\.7\): nothing marks this AdmissionCheck Active/,
        ),
      ],
    ]);
    expect(findings('0.6', check(PROVISIONING))).toHaveLength(1);
  });

  test('near misses: Kueue 0.7 and later, an assumed release, another controller, the gate passed to the manager', () => {
    expect(findings('0.7', check(PROVISIONING))).toEqual([]);
    expect(findings('0.16', check(PROVISIONING))).toEqual([]);
    expect(findings(undefined, check(PROVISIONING))).toEqual([]);
    expect(findings('0.5', check('kueue.x-k8s.io/multikueue-other'))).toEqual([]);
    const manager = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kueue-controller-manager', namespace: 'kueue-system' },
      spec: {
        selector: { matchLabels: { app: 'kueue' } },
        template: {
          metadata: { labels: { app: 'kueue' } },
          spec: { containers: [{ name: 'manager', image: 'registry.k8s.io/kueue/kueue:v0.5.1', args: ['--feature-gates=ProvisioningACC=true'] }] },
        },
      },
    };
    expect(findings('0.5', check(PROVISIONING), manager)).toEqual([]);
  });
});
