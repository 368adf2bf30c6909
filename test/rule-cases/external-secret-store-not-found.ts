import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('external-secret-store-not-found', docs);

const store = (kind: string, name: string, namespace?: string): Doc => ({
  apiVersion: 'external-secrets.io/v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { provider: { fake: { data: [] } } },
});
const externalSecret = (secretStoreRef: Doc, namespace = 'serving'): Doc => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'hub-token', namespace },
  spec: { secretStoreRef, target: { name: 'hub-token' }, data: [{ secretKey: 'HF_TOKEN', remoteRef: { key: 'hub' } }] },
});

describe('external-secret-store-not-found', () => {
  test('a ClusterSecretStore the tree does not define, beside one it does: a warning naming the stores it has', () => {
    expect(found([store('ClusterSecretStore', 'vault'), externalSecret({ kind: 'ClusterSecretStore', name: 'vault-secrets' })])).toEqual([
      expect.stringMatching(
        /^warning ExternalSecret\/serving\/hub-token: spec\.secretStoreRef names ClusterSecretStore 'vault-secrets', which neither the tree nor its repository defines; they define ClusterSecretStore 'vault': .*never makes the target Secret/,
      ),
    ]);
  });

  test('the kind defaults to SecretStore, looked up in the ExternalSecret namespace: a cluster store or another namespace does not serve it', () => {
    expect(found([store('ClusterSecretStore', 'vault'), externalSecret({ name: 'vault' })])).toEqual([
      expect.stringMatching(/^warning .*names SecretStore 'vault' of namespace 'serving', which neither/),
    ]);
    expect(found([store('SecretStore', 'team', 'other'), externalSecret({ name: 'team' })])).toEqual([
      expect.stringMatching(/they define SecretStore 'other\/team'/),
    ]);
  });

  test('near misses: the store defined, a SecretStore of its namespace, a tree that defines no store', () => {
    expect(found([store('ClusterSecretStore', 'vault'), externalSecret({ kind: 'ClusterSecretStore', name: 'vault' })])).toEqual([]);
    expect(found([store('SecretStore', 'team', 'serving'), externalSecret({ name: 'team' })])).toEqual([]);
    expect(found([externalSecret({ kind: 'ClusterSecretStore', name: 'vault-secrets' })])).toEqual([]);
  });
});
