import { runChecks } from '../lib';

/** Cases after kubernetes pkg/controller/serviceaccount tokens_controller.go syncSecret: a token Secret without its account is deleted. */
const token = (account: string, namespace = 'demo', type = 'kubernetes.io/service-account-token') => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'setup-token', namespace, annotations: { 'kubernetes.io/service-account.name': account } },
  type,
});
const account = (name: string, namespace = 'demo') => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });

function found(objects: unknown[]): [string, string][] {
  return runChecks(
    objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
    { platform: 'kserve', rules: ['token-secret-account-missing'] },
  ).map((f) => [f.severity, f.message]);
}

describe('token-secret-account-missing', () => {
  test('the namespace holds other accounts of the tree, not this one: an error naming them', () => {
    expect(found([account('model-setup'), token('demo-setup')])).toEqual([
      [
        'error',
        "metadata.annotations.kubernetes.io/service-account.name 'demo-setup': the tree creates ServiceAccount 'model-setup' in namespace 'demo', but not 'demo-setup', and nothing else makes it: the token controller deletes a token Secret whose ServiceAccount does not exist, so no token is ever written into it and whatever mounts or reads it fails; name one of those accounts, or add ServiceAccount 'demo-setup'",
      ],
    ]);
  });

  test('no account of the tree in the namespace (one elsewhere does not count): a warning, the account may be made outside', () => {
    expect(found([account('demo-setup', 'other'), token('demo-setup')]).map((f) => f[0])).toEqual(['warning']);
  });

  test('near misses: the account in the tree, default, another Secret type, no annotation', () => {
    expect(found([account('demo-setup'), token('demo-setup')])).toEqual([]);
    expect(found([account('model-setup'), token('default')])).toEqual([]);
    expect(found([account('model-setup'), token('demo-setup', 'demo', 'Opaque')])).toEqual([]);
    expect(found([account('model-setup'), { ...token('x'), metadata: { name: 'setup-token', namespace: 'demo' } }])).toEqual([]);
  });
});
