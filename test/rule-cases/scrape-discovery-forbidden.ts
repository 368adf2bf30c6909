import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('scrape-discovery-forbidden', docs);

const config = (scrape: Doc[]): Doc => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'prom', namespace: 'mon' },
  data: { 'prometheus.yml': JSON.stringify({ scrape_configs: scrape }) },
});
const prometheus = (account?: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'prometheus', namespace: 'mon' },
  spec: {
    selector: { matchLabels: { app: 'prometheus' } },
    template: {
      metadata: { labels: { app: 'prometheus' } },
      spec: {
        ...(account ? { serviceAccountName: account } : {}),
        containers: [{ name: 'prometheus', image: 'prom/prometheus:v2.53.0', volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus' }] }],
        volumes: [{ name: 'config', configMap: { name: 'prom' } }],
      },
    },
  },
});
const account: Doc = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prom', namespace: 'mon' } };
const clusterRole = (resources: string[]): Doc[] => [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'prom' },
    rules: [{ apiGroups: [''], resources, verbs: ['get', 'list', 'watch'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'prom' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'prom' },
    subjects: [{ kind: 'ServiceAccount', name: 'prom', namespace: 'mon' }],
  },
];
const pods = { job_name: 'pods', kubernetes_sd_configs: [{ role: 'pod' }] };

describe('scrape-discovery-forbidden', () => {
  test('pod discovery as the unbound default account is a warning naming the ConfigMap, the role and the resource', () => {
    expect(found([config([pods]), prometheus()])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/mon\/prometheus: ConfigMap\/mon\/prom data\.prometheus\.yml discovers targets with kubernetes_sd_configs role pod as the pod's ServiceAccount default \(serviceAccountName is unset\), and no RoleBinding or ClusterRoleBinding of the tree grants it list and watch on pods: .*403 Forbidden/,
      ),
    ]);
  });

  test('a bound role that leaves out what the endpoints role also watches names the role and the missing resources', () => {
    const endpoints = { job_name: 'eps', kubernetes_sd_configs: [{ role: 'endpoints' }] };
    expect(found([config([endpoints]), prometheus('prom'), account, ...clusterRole(['endpoints'])])).toEqual([
      expect.stringMatching(
        /role endpoints as the pod's ServiceAccount prom, and the roles bound to it \(ClusterRole\/prom\) do not grant list and watch on pods, services:/,
      ),
    ]);
  });

  test('near misses: a granting ClusterRole, an account made outside the tree, own credentials, a config without discovery, an unknown bound role', () => {
    expect(found([config([pods]), prometheus('prom'), account, ...clusterRole(['pods'])])).toEqual([]);
    expect(found([config([pods]), prometheus('external')])).toEqual([]);
    expect(
      found([config([{ job_name: 'far', kubernetes_sd_configs: [{ role: 'pod', api_server: 'https://other:6443', bearer_token_file: '/t' }] }]), prometheus()]),
    ).toEqual([]);
    expect(found([config([{ job_name: 'static', static_configs: [{ targets: ['chat:8000'] }] }]), prometheus()])).toEqual([]);
    const [, binding] = clusterRole(['pods']);
    expect(found([config([pods]), prometheus('prom'), account, binding])).toEqual([]);
  });
});
