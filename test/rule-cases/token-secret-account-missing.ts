import { ruleFound, severityMessages } from '../util';

/** Cases after kubernetes pkg/controller/serviceaccount tokens_controller.go syncSecret: a token Secret without its account is deleted. */
const token = (account: string, namespace = 'demo', type = 'kubernetes.io/service-account-token') => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'setup-token', namespace, annotations: { 'kubernetes.io/service-account.name': account } },
  type,
});
const account = (name: string, namespace = 'demo') => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'token-secret-account-missing',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
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

describe('token-secret-account-missing: accounts an operator makes for a custom resource of the namespace', () => {
  // grafana/grafana-operator controllers/model grafanaResources.go GetGrafanaServiceAccount: `<Grafana name>-sa`
  const grafana = (name: string, namespace = 'demo') => ({
    apiVersion: 'grafana.integreatly.org/v1beta1',
    kind: 'Grafana',
    metadata: { name, namespace },
    spec: {},
  });

  test("the Grafana operator's <name>-sa beside another account of the tree: a warning naming the Grafana, about the order", () => {
    expect(found([account('otel-collector'), grafana('grafana'), token('grafana-sa')])).toEqual([
      [
        'warning',
        "metadata.annotations.kubernetes.io/service-account.name 'grafana-sa': no ServiceAccount 'grafana-sa' is in the tree, but the Grafana operator makes it for Grafana/demo/grafana; " +
          'the token controller deletes a token Secret whose ServiceAccount does not exist yet, so applied before the operator made the account it is gone: apply it after the account exists (a later sync wave, or again once the operator ran)',
      ],
    ]);
  });

  test('near misses: a Grafana of another name or namespace, a built-in object of that name, a custom resource the account is merely named after (KServe makes no <isvc>-sa): still an error', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'grafana', namespace: 'demo' } };
    const service = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'grafana', namespace: 'demo' } };
    for (const other of [grafana('dashboards'), grafana('grafana', 'other'), deployment, service])
      expect(found([account('otel-collector'), other, token('grafana-sa')]).map((f) => f[0])).toEqual(['error']);
  });
});
