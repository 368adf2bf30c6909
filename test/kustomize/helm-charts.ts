import { readManifests } from '../../lib';
import { writeTree } from '../setup/kustomize-build';

/**
 * helmCharts entries whose chart is neither in the chart home nor pulled: kustomize's HelmChartInflationGenerator
 * (api/internal/builtins/HelmChartInflationGenerator.go) looks for `<chartHome>/<name>` (chartHome `charts` unless
 * helmGlobals says otherwise, relative to the kustomization) and pulls from `repo` only when one is given. helm is not
 * installed here, so the cases follow the Go source rather than a build.
 */

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: grafana\nversion: 0.1.0\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: g\n',
};

function chartErrors(files: Record<string, string>): string[] {
  const dir = writeTree(files, 'helm-charts-');
  return readManifests([`${dir}/app`])
    .errors.filter((e) => e.kind === 'kustomize-build-fails')
    .map((e) => e.message);
}

const inFolder = (folder: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`${folder}/${k}`, v]));

describe('helmCharts with a local chart', () => {
  test('chartHome ../helm while the chart sits in ./helm: refused, naming the looked-up path and the folder that holds it', () => {
    const errors = chartErrors({
      'app/kustomization.yaml': 'helmGlobals:\n  chartHome: ../helm\nhelmCharts:\n  - name: grafana\n    releaseName: grafana\n',
      ...inFolder('app/helm/grafana', CHART),
    });
    expect(errors).toEqual([
      "helmCharts entry grafana has no repo, and no chart folder is at '../helm/grafana' (helmGlobals.chartHome '../helm' + name): kustomize refuses it (\"no repo specified for pull, no chart found\"); charts of these names are under 'helm': set helmGlobals.chartHome to 'helm'",
    ]);
  });

  test('no helmGlobals: the chart home is charts/ of the kustomization, found there', () => {
    expect(chartErrors({ 'app/kustomization.yaml': 'helmCharts:\n  - name: grafana\n', ...inFolder('app/charts/grafana', CHART) })).toEqual([]);
  });

  test('no helmGlobals and no charts/ folder: refused, the default named', () => {
    expect(chartErrors({ 'app/kustomization.yaml': 'helmCharts:\n  - name: grafana\n' })).toEqual([
      "helmCharts entry grafana has no repo, and no chart folder is at 'charts/grafana' (helmGlobals.chartHome 'charts' (the default) + name): kustomize refuses it (\"no repo specified for pull, no chart found\"); add the chart there or give the entry a repo to pull it from",
    ]);
  });

  test('an entry with a repo is pulled into the chart home: not judged', () => {
    expect(
      chartErrors({ 'app/kustomization.yaml': 'helmCharts:\n  - name: grafana\n    repo: https://grafana.github.io/helm-charts\n    version: 7.0.0\n' }),
    ).toEqual([]);
  });

  test('a chart home outside the kustomization folder that holds the chart is followed (../helm from app/)', () => {
    expect(
      chartErrors({ 'app/kustomization.yaml': 'helmGlobals:\n  chartHome: ../helm\nhelmCharts:\n  - name: grafana\n', ...inFolder('helm/grafana', CHART) }),
    ).toEqual([]);
  });

  test('a file where the chart folder should be is no chart (chartExistsLocally wants a folder)', () => {
    expect(chartErrors({ 'app/kustomization.yaml': 'helmCharts:\n  - name: grafana\n', 'app/charts/grafana': 'not a chart\n' })).toHaveLength(1);
  });
});
