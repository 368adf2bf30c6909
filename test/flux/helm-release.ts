import { createHash } from 'crypto';
import { fluxChartRequest, fluxReleaseName, gitChartOf } from '../../lib/manifests/flux-chart-values';

/** helm-controller's release name and values of a HelmRelease whose chart is a path of a GitRepository. */
const hr = (spec: Record<string, unknown>, name = 'engine') => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, namespace: 'apps' },
  spec: { chart: { spec: { chart: 'charts/engine', sourceRef: { kind: 'GitRepository', name: 'repo' } } }, ...spec },
});
const cm = (name: string, data: Record<string, string>) => ({ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'apps' }, data } });

describe('the release name (api v2 GetReleaseName, internal/release ShortenName)', () => {
  test('releaseName, else <targetNamespace>-<name>, else the name', () => {
    expect(fluxReleaseName(hr({ releaseName: 'given', targetNamespace: 'x' }))).toBe('given');
    expect(fluxReleaseName(hr({ targetNamespace: 'serving' }))).toBe('serving-engine');
    expect(fluxReleaseName(hr({}))).toBe('engine');
  });
  test('over 53 characters: 40 of them, a dash and 12 hex digits of its SHA-256', () => {
    const long = 'a-very-long-target-namespace-for-models';
    const full = `${long}-inference-engine-primary`;
    const got = fluxReleaseName(hr({ targetNamespace: long }, 'inference-engine-primary'));
    expect(got).toBe(`${full.slice(0, 40)}-${createHash('sha256').update(full).digest('hex').slice(0, 12)}`);
    expect(got).toHaveLength(53);
  });
});

describe('values (internal/chartutil/values.go ChartValuesFromReferences)', () => {
  const git = { repository: undefined, url: undefined, chartPath: 'charts/engine' };
  test('valuesFrom in order, targetPath set as --set does (quoted: a string), spec.values last; target namespace', () => {
    const r = fluxChartRequest(
      hr({
        targetNamespace: 'serving',
        valuesFrom: [
          { kind: 'ConfigMap', name: 'base' },
          { kind: 'ConfigMap', name: 'one', valuesKey: 'n', targetPath: 'server.replicas' },
          { kind: 'ConfigMap', name: 'one', valuesKey: 'q', targetPath: 'server.tag' },
          { kind: 'ConfigMap', name: 'absent', optional: true },
        ],
        values: { mode: 'last' },
      }),
      '/repo/charts/engine',
      git,
      [cm('base', { 'values.yaml': 'mode: first\n' }), cm('one', { n: '3', q: '"007"' })],
    );
    expect(r).toEqual({
      releaseName: 'serving-engine',
      namespace: 'serving',
      releaseNamespace: 'serving',
      values: [
        { yaml: 'mode: first\n', name: 'ConfigMap apps/base values.yaml' },
        { set: 'server.replicas=3', asString: false },
        { set: 'server.tag=007', asString: true },
        { yaml: '{"mode":"last"}', name: 'spec.values' },
      ],
      includeCrds: true,
      clusterUnknown: true,
    });
  });
  test('a missing key fails the release; a missing object is unknown (the cluster may hold it); Skip leaves crds/ out', () => {
    expect(fluxChartRequest(hr({ valuesFrom: [{ kind: 'ConfigMap', name: 'base', valuesKey: 'x' }] }), '/r/charts/engine', git, [cm('base', {})])).toEqual({
      fails: 'its valuesFrom ConfigMap apps/base has no key x, so helm-controller fails the release (ErrKeyNotFound)',
    });
    expect(fluxChartRequest(hr({ valuesFrom: [{ kind: 'Secret', name: 'creds' }] }), '/r/charts/engine', git, [])).toMatch(/is not in the checked files/);
    expect(fluxChartRequest(hr({ install: { crds: 'Skip' } }), '/r/charts/engine', git, [])).toEqual(expect.objectContaining({ includeCrds: false }));
  });
  test('a Secret: stringData, else data decoded from base64', () => {
    const secret = {
      manifest: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'apps' },
        data: { 'values.yaml': Buffer.from('k: v\n').toString('base64') },
      },
    };
    expect(fluxChartRequest(hr({ valuesFrom: [{ kind: 'Secret', name: 's' }] }), '/r/charts/engine', git, [secret])).toEqual(
      expect.objectContaining({ values: [{ yaml: 'k: v\n', name: 'Secret apps/s values.yaml' }] }),
    );
  });
  test('the source: a GitRepository path, or a chartRef HelmChart of one; a HelmRepository chart is none', () => {
    const repo = { manifest: { kind: 'GitRepository', metadata: { name: 'repo', namespace: 'apps' }, spec: { url: 'https://git.example.com/x.git' } } };
    expect(gitChartOf(hr({}), [repo])).toEqual({ repository: repo.manifest, url: 'https://git.example.com/x.git', chartPath: 'charts/engine' });
    const viaRef = { ...hr({}), spec: { chartRef: { kind: 'HelmChart', name: 'c' } } };
    const helmChart = {
      manifest: {
        kind: 'HelmChart',
        metadata: { name: 'c', namespace: 'apps' },
        spec: { chart: 'deploy/chart', sourceRef: { kind: 'GitRepository', name: 'repo' } },
      },
    };
    expect(gitChartOf(viaRef, [repo, helmChart])).toEqual(expect.objectContaining({ chartPath: 'deploy/chart' }));
    expect(gitChartOf({ ...hr({}), spec: { chart: { spec: { chart: 'engine', sourceRef: { kind: 'HelmRepository', name: 'r' } } } } }, [])).toBeUndefined();
  });
});
