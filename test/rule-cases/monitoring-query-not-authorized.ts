import { ruleFindings } from '../util';

const RULE = 'monitoring-query-not-authorized';
const NS = 'serving';
const scaler = (port: string, auth?: string, extra: Record<string, string> = {}) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'chat', namespace: NS },
  spec: {
    scaleTargetRef: { name: 'chat' },
    triggers: [
      {
        type: 'prometheus',
        metadata: { serverAddress: `https://thanos-querier.openshift-monitoring.svc:${port}`, query: 'sum(up)', threshold: '1', ...extra },
        ...(auth ? { authenticationRef: { name: auth } } : {}),
      },
    ],
  },
});
const boundToken = (account: string) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: { name: 'reader', namespace: NS },
  spec: { boundServiceAccountToken: [{ parameter: 'bearerToken', serviceAccountName: account }] },
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', role: string, roleKind = 'ClusterRole') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'reader', ...(kind === 'RoleBinding' ? { namespace: NS } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
  subjects: [{ kind: 'ServiceAccount', name: 'metrics', namespace: NS }],
});

describe("monitoring-query-not-authorized: KEDA queries OpenShift's monitoring without the access it needs", () => {
  test('no authenticationRef: a warning that no token is sent (401)', () => {
    expect(ruleFindings(RULE, [scaler('9091')])).toEqual([
      expect.stringMatching(
        /^warning ScaledObject\/serving\/chat: spec\.triggers\[0\] queries https:\/\/thanos-querier\.openshift-monitoring\.svc:9091.*no authenticationRef.*401 Unauthorized/,
      ),
    ]);
  });

  test('an account the tree does not bind to cluster-monitoring-view (9091), or to a role reading the namespace (9092): a warning (403)', () => {
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics')])).toEqual([
      expect.stringMatching(
        /ServiceAccount 'metrics' \(TriggerAuthentication 'reader'\).*ClusterRoleBinding to the cluster-monitoring-view ClusterRole.*403 Forbidden/,
      ),
    ]);
    const configReader = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'config-reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    };
    // a RoleBinding to view gives the tenancy port, not the cluster-wide one
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics'), binding('RoleBinding', 'view')])).toHaveLength(1);
    expect(
      ruleFindings(RULE, [scaler('9092', 'reader', { namespace: NS }), boundToken('metrics'), configReader, binding('ClusterRoleBinding', 'config-reader')]),
    ).toEqual([expect.stringMatching(/a RoleBinding in namespace 'serving' to a role that may get pods there/)]);
  });

  test('near misses: the bindings that give access, a role the tree does not show, a TriggerAuthentication not in the tree, other hosts and ports', () => {
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics'), binding('ClusterRoleBinding', 'cluster-monitoring-view')])).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9092', 'reader', { namespace: NS }), boundToken('metrics'), binding('RoleBinding', 'view')])).toEqual([]);
    const podReader = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pod-reader', namespace: NS },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    expect(
      ruleFindings(RULE, [scaler('9092', 'reader', { namespace: NS }), boundToken('metrics'), podReader, binding('RoleBinding', 'pod-reader', 'Role')]),
    ).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9091', 'reader'), boundToken('metrics'), binding('ClusterRoleBinding', 'metrics-reader-elsewhere')])).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9091', 'reader')])).toEqual([]);
    const own = scaler('9090');
    own.spec.triggers[0].metadata.serverAddress = 'http://prometheus.monitoring.svc:9090';
    expect(ruleFindings(RULE, [own])).toEqual([]);
    expect(ruleFindings(RULE, [scaler('9093')])).toEqual([]);
  });
});

describe('monitoring-query-not-authorized: Grafana datasources and prometheus-adapter', () => {
  const THANOS = 'https://thanos-querier.openshift-monitoring.svc.cluster.local:9091';
  const v5 = (datasource: Record<string, unknown>, valuesFrom?: unknown[]) => ({
    apiVersion: 'grafana.integreatly.org/v1beta1',
    kind: 'GrafanaDatasource',
    metadata: { name: 'thanos', namespace: NS },
    spec: {
      instanceSelector: { matchLabels: { dashboards: 'grafana' } },
      datasource: { name: 'Thanos', type: 'prometheus', access: 'proxy', url: THANOS, ...datasource },
      ...(valuesFrom ? { valuesFrom } : {}),
    },
  });
  const withHeader = { jsonData: { httpHeaderName1: 'Authorization', tlsSkipVerify: true }, secureJsonData: { httpHeaderValue1: 'Bearer ${token}' } };
  const fromSecret = [{ targetPath: 'secureJsonData.httpHeaderValue1', valueFrom: { secretKeyRef: { name: 'grafana-token', key: 'token' } } }];
  const tokenSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: { name: 'grafana-token', namespace: NS, annotations: { 'kubernetes.io/service-account.name': 'metrics' } },
  };
  const provisioned = (file: string, kind: 'ConfigMap' | 'Secret' = 'ConfigMap') => ({
    apiVersion: 'v1',
    kind,
    metadata: { name: 'datasources', namespace: NS, labels: { grafana_datasource: '1' } },
    ...(kind === 'Secret' ? { data: { 'ds.yaml': Buffer.from(file).toString('base64') } } : { data: { 'ds.yaml': file } }),
  });
  const adapter = (args: string[], serviceAccountName = 'metrics') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'prometheus-adapter', namespace: NS },
    spec: {
      selector: { matchLabels: { app: 'adapter' } },
      template: {
        metadata: { labels: { app: 'adapter' } },
        spec: { serviceAccountName, containers: [{ name: 'adapter', image: 'registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0', args }] },
      },
    },
  });

  test('a GrafanaDatasource without an Authorization header: a warning that Grafana sends no token (401)', () => {
    expect(ruleFindings(RULE, [v5({ jsonData: { tlsSkipVerify: true } })])).toEqual([
      expect.stringMatching(
        /^warning GrafanaDatasource\/serving\/thanos: spec\.datasource queries https:\/\/thanos-querier.*no Authorization header.*401 Unauthorized.*panels show errors/,
      ),
    ]);
  });

  test('a GrafanaDatasource filling its header from a service-account-token Secret of an account bound to nothing: 403', () => {
    expect(ruleFindings(RULE, [v5(withHeader, fromSecret), tokenSecret])).toEqual([
      expect.stringMatching(/with the token of ServiceAccount 'metrics' \(Secret 'grafana-token'\).*cluster-monitoring-view.*403 Forbidden/),
    ]);
  });

  test('a provisioned datasource file in a labelled ConfigMap, and in a labelled Secret, without a header', () => {
    const file = `apiVersion: 1\ndatasources:\n  - name: Thanos\n    type: prometheus\n    url: ${THANOS}\n    jsonData: {tlsSkipVerify: true}\n`;
    expect(ruleFindings(RULE, [provisioned(file)])).toEqual([
      expect.stringMatching(/^warning ConfigMap\/serving\/datasources: ds\.yaml datasources\[0\] queries .*401/),
    ]);
    expect(ruleFindings(RULE, [provisioned(file, 'Secret')])).toHaveLength(1);
  });

  test('a v4 GrafanaDataSource list without a header', () => {
    const v4 = {
      apiVersion: 'integreatly.org/v1alpha1',
      kind: 'GrafanaDataSource',
      metadata: { name: 'thanos', namespace: NS },
      spec: { name: 'thanos.yaml', datasources: [{ name: 'Thanos', type: 'prometheus', url: THANOS }] },
    };
    expect(ruleFindings(RULE, [v4])).toEqual([expect.stringMatching(/spec\.datasources\[0\] queries .*no Authorization header/)]);
  });

  test("prometheus-adapter without a token, and with its pod's own account bound to nothing", () => {
    expect(ruleFindings(RULE, [adapter([`--prometheus-url=${THANOS}`, '--config=/etc/adapter/config.yaml'])])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/serving\/prometheus-adapter: container 'adapter' --prometheus-url queries .*no --prometheus-auth-incluster.*401.*adapter lists no metrics/,
      ),
    ]);
    expect(ruleFindings(RULE, [adapter(['--prometheus-url', THANOS, '--prometheus-auth-incluster'])])).toEqual([
      expect.stringMatching(/with the token of ServiceAccount 'metrics' \(the pod's own token\).*403 Forbidden/),
    ]);
  });

  test.each([
    [
      'a datasource header from a Secret of an account bound to cluster-monitoring-view',
      [v5(withHeader, fromSecret), tokenSecret, binding('ClusterRoleBinding', 'cluster-monitoring-view')],
    ],
    ['a datasource header with a literal token the tree does not tie to an account', [v5(withHeader)]],
    ["a datasource passing the signed-in user's token", [v5({ jsonData: { oauthPassThru: true } })]],
    ['a datasource of another Prometheus', [v5({ url: 'http://prometheus.monitoring.svc:9090' })]],
    [
      'a ConfigMap without the grafana_datasource label',
      [{ ...provisioned(`datasources:\n  - {name: T, type: prometheus, url: '${THANOS}'}\n`), metadata: { name: 'datasources', namespace: NS } }],
    ],
    [
      'the adapter with its own account bound to cluster-monitoring-view',
      [adapter([`--prometheus-url=${THANOS}`, '--prometheus-auth-incluster']), binding('ClusterRoleBinding', 'cluster-monitoring-view')],
    ],
    [
      'the adapter with a kubeconfig the tree does not show',
      [adapter([`--prometheus-url=${THANOS}`, '--prometheus-auth-config=/etc/prometheus-config/kubeconfig.yaml'])],
    ],
    [
      'the adapter on the tenancy port without a namespace the query names',
      [adapter(['--prometheus-url=https://thanos-querier.openshift-monitoring.svc:9092', '--prometheus-auth-incluster'])],
    ],
  ])('near miss: %s', (_, docs) => {
    expect(ruleFindings(RULE, docs as Record<string, unknown>[])).toEqual([]);
  });
});
