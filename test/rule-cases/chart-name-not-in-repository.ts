import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { ruleFindings, writeTree } from '../util';

/**
 * chart-name-not-in-repository: a chart name that misspells one a catalogued repository serves (helm pkg/repo
 * index.go: a name the index lacks is "no chart name found", and Flux's source-controller fails the chart).
 */
const helmRepository = (url: string) => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: { name: 'charts', namespace: 'flux-system' },
  spec: { interval: '1h', url },
});
const release = (chart: string) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'app', namespace: 'apps' },
  spec: { interval: '10m', chart: { spec: { chart, sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } } },
});
const application = (repoURL: string, chart: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'ray', namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL, chart, targetRevision: '1.2.0' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'ray' },
  },
});
const found = (...docs: Record<string, unknown>[]) => ruleFindings('chart-name-not-in-repository', docs);

describe('chart-name-not-in-repository', () => {
  test('a HelmRelease misspelling the device plugin chart: an error naming the repository and the chart meant', () => {
    expect(found(helmRepository('https://nvidia.github.io/k8s-device-plugin/'), release('nvidia-device-pugin'))).toEqual([
      "error HelmRelease/apps/app: spec.chart.spec.chart: no chart named 'nvidia-device-pugin' in https://nvidia.github.io/k8s-device-plugin/ (HelmRepository 'charts'); did you mean 'nvidia-device-plugin'? The chart fetch fails (Flux's source-controller finds no such chart in the repository index and the release is never installed; Argo CD's repo server cannot pull it)",
    ]);
  });

  test('an Argo CD Application source: the repoURL decides, without a scheme too', () => {
    expect(found(application('https://ray-project.github.io/kuberay-helm', 'kuberay-operater'))).toEqual([
      expect.stringMatching(/^error Application\/argocd\/ray: spec\.source\.chart: no chart named 'kuberay-operater' in .*did you mean 'kuberay-operator'\?/),
    ]);
  });

  test('a repository whose catalog entry is partial (NGC): a warning that says so', () => {
    expect(found(helmRepository('https://helm.ngc.nvidia.com/nvidia'), release('gpu-operater'))).toEqual([
      expect.stringMatching(
        /^warning HelmRelease\/apps\/app: spec\.chart\.spec\.chart 'gpu-operater' is not a chart known of .*did you mean 'gpu-operator'\? The repository serves more charts than check knows/,
      ),
    ]);
  });

  test.each([
    ['the chart the repository serves', [helmRepository('https://nvidia.github.io/k8s-device-plugin'), release('nvidia-device-plugin')]],
    ['another chart of the repository', [helmRepository('https://nvidia.github.io/k8s-device-plugin'), release('gpu-feature-discovery')]],
    ['a repository outside the catalog', [helmRepository('https://charts.example.org'), release('nvidia-device-pugin')]],
    ['a name near no chart of the repository', [helmRepository('https://nvidia.github.io/k8s-device-plugin'), release('my-own-chart')]],
    ['a HelmRepository the tree does not hold', [release('nvidia-device-pugin')]],
  ])('near miss: %s', (_, docs) => {
    expect(found(...(docs as Record<string, unknown>[]))).toEqual([]);
  });

  test('the HelmRepository in another folder of the repository: its URL decides, and the message names its file', () => {
    const root = writeTree('chart-name-', {
      'flux/repositories.yaml': JSON.stringify(helmRepository('https://otwld.github.io/ollama-helm')),
      'apps/ollama/release.yaml': JSON.stringify(release('olama')),
    });
    fs.mkdirSync(path.join(root, '.git'));
    const read = readManifests([path.join(root, 'apps/ollama')]);
    const messages = runChecks(read.manifests, { platform: 'kserve', rules: ['chart-name-not-in-repository'], ...read }).map(
      (f) => `${f.severity} ${f.message}`,
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^error spec\.chart\.spec\.chart: no chart named 'olama' in https:\/\/otwld\.github\.io\/ollama-helm \(HelmRepository 'charts' \(.*flux\/repositories\.yaml:1\)\); did you mean 'ollama'\?/,
      ),
    ]);
  });
});
