import { clustersGeneratorParams } from '../../lib/check/argocd/clusters';
import { selectorMatches } from '../../lib/check/argocd/label-selector';
import { Loose } from '../../lib/manifests/access';

/** A cluster Secret as the tree declares it (stringData), like those of argo-cd cluster_test.go TestGenerateParams. */
const clusterSecret = (name: string, server: string, labels: Record<string, string>, extra: Loose = {}): Loose => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name,
    namespace: 'argocd',
    labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...labels },
    annotations: { 'foo.argoproj.io': labels.environment },
  },
  stringData: { name, server, config: '{}', ...extra },
});

describe('clusters generator (argo-cd applicationset/generators/cluster.go, cases of cluster_test.go TestGenerateParams)', () => {
  const STAGING = clusterSecret('staging-01', 'https://staging-01.example.com', { environment: 'staging', org: 'foo' });
  const PRODUCTION = clusterSecret(
    'production_01/west',
    'https://production-01.example.com',
    { environment: 'production', org: 'bar' },
    { project: 'prod-project' },
  );
  const names = (sets: Loose[] | undefined) => sets?.map((s) => s.name);

  test('no label selector: every cluster Secret and the local in-cluster entry; flat metadata keys', () => {
    const sets = clustersGeneratorParams({}, [STAGING, PRODUCTION], false);
    expect(sets).toEqual([
      {
        name: 'staging-01',
        nameNormalized: 'staging-01',
        server: 'https://staging-01.example.com',
        project: '',
        'metadata.labels.argocd.argoproj.io/secret-type': 'cluster',
        'metadata.labels.environment': 'staging',
        'metadata.labels.org': 'foo',
        'metadata.annotations.foo.argoproj.io': 'staging',
      },
      {
        name: 'production_01/west',
        nameNormalized: 'production-01-west',
        server: 'https://production-01.example.com',
        project: 'prod-project',
        'metadata.labels.argocd.argoproj.io/secret-type': 'cluster',
        'metadata.labels.environment': 'production',
        'metadata.labels.org': 'bar',
        'metadata.annotations.foo.argoproj.io': 'production',
      },
      {
        name: 'in-cluster',
        nameNormalized: 'in-cluster',
        server: 'https://kubernetes.default.svc',
        project: '',
      },
    ]);
  });

  test('secret type label selector / production-only / production or staging: any selector term drops the local cluster', () => {
    expect(
      names(clustersGeneratorParams({ selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } } }, [STAGING, PRODUCTION], false)),
    ).toEqual(['staging-01', 'production_01/west']);
    expect(names(clustersGeneratorParams({ selector: { matchLabels: { environment: 'production' } } }, [STAGING, PRODUCTION], false))).toEqual([
      'production_01/west',
    ]);
    const inStagingOrProduction = { matchExpressions: [{ key: 'environment', operator: 'In', values: ['production', 'staging'] }] };
    expect(names(clustersGeneratorParams({ selector: inStagingOrProduction }, [STAGING, PRODUCTION], false))).toEqual(['staging-01', 'production_01/west']);
  });

  test('a declared Secret of the local server stands for it: no second in-cluster entry; data is read base64-decoded', () => {
    const local: Loose = {
      metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      data: { name: Buffer.from('local').toString('base64'), server: Buffer.from('https://kubernetes.default.svc').toString('base64') },
    };
    expect(names(clustersGeneratorParams({}, [local], false))).toEqual(['local']);
  });

  test('goTemplate: a metadata object; flatList: one set holding every cluster; a Secret without the cluster label is no cluster', () => {
    const unlabelled = { ...STAGING, metadata: { name: 'x', labels: { environment: 'staging' } } };
    expect(clustersGeneratorParams({ selector: { matchLabels: { environment: 'staging' } } }, [STAGING, unlabelled], true)).toEqual([
      {
        name: 'staging-01',
        nameNormalized: 'staging-01',
        server: 'https://staging-01.example.com',
        project: '',
        metadata: {
          annotations: { 'foo.argoproj.io': 'staging' },
          labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'staging', org: 'foo' },
        },
      },
    ]);
    expect(clustersGeneratorParams({ flatList: true, selector: { matchLabels: { org: 'foo' } } }, [STAGING, PRODUCTION], true)).toEqual([
      { clusters: [expect.objectContaining({ name: 'staging-01' })] },
    ]);
  });

  test('label selectors as metav1.LabelSelectorAsSelector: NotIn passes a missing label; a selector that does not compile is unknown', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, {})).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, { env: '' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, { env: 'dev' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: [] }] }, { env: 'dev' })).toBeUndefined();
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Gt', values: ['1'] }] }, { env: '2' })).toBeUndefined();
  });
});
