import { ruleFound } from '../util';

const registry = (db: 'mysql' | 'postgres', host: string, namespace = 'registries') => ({
  manifest: {
    apiVersion: 'modelregistry.opendatahub.io/v1beta1',
    kind: 'ModelRegistry',
    metadata: { name: 'models', namespace },
    spec: { grpc: {}, rest: {}, [db]: { host, port: 5432, database: 'registry', username: 'registry' } },
  },
});
const service = (name: string, namespace = 'registries') => ({
  manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 3306 }] } },
});
const findings = (objects: { manifest: Record<string, unknown> }[]) => ruleFound('model-registry-database-not-in-tree', objects, { alone: true });

describe('model-registry-database-not-in-tree', () => {
  test("a database operator's object of another namespace: a warning (its Services are made in its own namespace)", () => {
    const cluster = { manifest: { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'registry-db', namespace: 'databases' } } };
    const [f, ...rest] = findings([registry('postgres', 'registry-db-rw'), cluster]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain("spec.postgres.host 'registry-db-rw' names Service registry-db-rw in 'registries', not defined in the tree");
  });

  test.each([
    ['mysql', 'registry-db'],
    ['postgres', 'registry-db'],
    ['mysql', 'registry-db.registries.svc.cluster.local'],
  ] as const)('spec.%s.host %s, a Service of its namespace the tree lacks: a warning', (db, host) => {
    const [f, ...rest] = findings([registry(db, host), service('other-db')]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.object).toBe('ModelRegistry/registries/models');
    expect(f.message).toContain(`spec.${db}.host '${host}' names Service registry-db in 'registries', not defined in the tree`);
    expect(f.message).toContain('stays unavailable');
  });

  test.each([
    ['the Service is in the tree', [registry('mysql', 'registry-db'), service('registry-db')]],
    ['a host in another namespace', [registry('mysql', 'registry-db.databases.svc.cluster.local')]],
    ['a host outside the cluster', [registry('postgres', 'db.example.com')]],
    ['a templated host', [registry('mysql', '${DB_HOST}')]],
    // the pod's own loopback (a database sidecar) is no Service: Kubernetes DNS is not asked
    ['localhost', [registry('postgres', 'localhost')]],
    [
      // the Kubeflow notebook controller makes a Service of the Notebook's name
      "a Notebook's own Service",
      [registry('postgres', 'lab'), { manifest: { apiVersion: 'kubeflow.org/v1', kind: 'Notebook', metadata: { name: 'lab', namespace: 'registries' } } }],
    ],
    [
      "a database operator's object that makes the Service",
      [
        registry('postgres', 'registry-db-rw'),
        { manifest: { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'registry-db', namespace: 'registries' } } },
      ],
    ],
  ])('%s: not judged', (_, objects) => {
    expect(findings(objects as { manifest: Record<string, unknown> }[])).toEqual([]);
  });
});
