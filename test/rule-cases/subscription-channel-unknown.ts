import { runChecks } from '../../lib';
import { CheckInput } from '../../lib/check/engine';

/** subscription-channel-unknown: OLM resolves spec.channel among the channels the package publishes. */
const subscription = (channel: string) => ({
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'Subscription',
  metadata: { name: 'kueue-operator', namespace: 'openshift-kueue-operator' },
  spec: { name: 'kueue-operator', channel, source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
});
const found = (input: CheckInput) =>
  runChecks([input], { platform: 'rhoai-3.0', rules: ['subscription-channel-unknown'] }).map((f) => [f.rule, f.severity, f.object, f.message]);

describe('subscription-channel-unknown', () => {
  test('a channel the package does not publish: an error naming the channel and the ResolutionFailed', () => {
    expect(found({ manifest: subscription('stable'), walked: true })).toEqual([
      [
        'subscription-channel-unknown',
        'error',
        'Subscription/openshift-kueue-operator/kueue-operator',
        expect.stringMatching(/spec.channel 'stable' is not a channel of package kueue-operator .*ResolutionFailed/),
      ],
    ]);
  });

  test('a ${VAR} channel a kustomization builds as it is: applied literally, still judged', () => {
    expect(found({ manifest: subscription('${KUEUE_CHANNEL}'), kustomizations: ['operators'] }).map((f) => f[1])).toEqual(['error']);
  });

  test('near misses: a ${VAR} channel in a template a script renders, or in a plain file a script outside the input may render; a published channel', () => {
    expect(found({ manifest: subscription('${KUEUE_CHANNEL}'), walked: true, template: 'install.sh (line 5) renders it with envsubst' })).toEqual([]);
    expect(found({ manifest: subscription('${KUEUE_CHANNEL}'), walked: true })).toEqual([]);
    expect(found({ manifest: subscription('stable-v1.1'), walked: true })).toEqual([]);
  });
});
