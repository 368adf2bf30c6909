import * as path from 'path';
import { cliInProcess, treeRuleFound, writeTree } from '../util';
import { engineTemplate } from '../engine-chart-util';

/**
 * A Validated Pattern's applications: values-global.yaml names the cluster group, whose values file lists the
 * applications the clustergroup chart makes Argo CD Applications of; each local chart renders as that Application
 * delivers it (the pattern's value files, the operator's global values, the entry's overrides).
 */
const SERVER = engineTemplate({
  env: '- name: PUBLIC_HOST\n  value: forecast.{{ required "global.localClusterDomain is set by the pattern" .Values.global.localClusterDomain }}',
});

const pattern = (gpus: string, extra = '') => ({
  'values-global.yaml': 'global:\n  pattern: tide-forecast\nmain:\n  clusterGroupName: hub\n',
  'values-hub.yaml': [
    'clusterGroup:',
    '  name: hub',
    '  isHubCluster: true',
    '  namespaces: [forecasting]',
    '  applications:',
    '    forecaster:',
    '      name: forecaster',
    '      namespace: forecasting',
    '      path: charts/all/forecaster',
    '      extraValueFiles: [/overrides/values-forecaster-large.yaml]',
    '      overrides:',
    `        - {name: gpus, value: "${gpus}"}`,
    extra,
    '',
  ].join('\n'),
  'overrides/values-forecaster-large.yaml': 'tp: 4\n',
  'charts/all/forecaster/Chart.yaml': 'apiVersion: v2\nname: forecaster\nversion: 0.1.0\n',
  'charts/all/forecaster/values.yaml': 'model: granite\ntp: 1\ngpus: 1\nglobal: {}\n',
  'charts/all/forecaster/templates/deployment.yaml': SERVER,
});

const findings = async (dir: string, rule: string) =>
  (
    JSON.parse((await cliInProcess(['check', dir, '--json'])).out).findings as {
      rule: string;
      severity: string;
      object: string;
      message: string;
      file?: string;
    }[]
  ).filter((f) => f.rule === rule);

describe('Validated Patterns: the clustergroup applications of values-<group>.yaml', () => {
  test("an application's chart renders with the pattern's value files, the operator's globals and the entry's overrides: tp 4 of 2 GPUs fires", async () => {
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'vp-apps-', pattern('2'))).toEqual([
      {
        severity: 'error',
        object: 'Deployment/forecasting/forecaster-engine',
        message: expect.stringMatching(/--tensor-parallel-size=4 needs 4 GPUs but the container is given 2/),
      },
    ]);
  });

  test('near miss: the override gives 4 GPUs', async () => {
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'vp-apps-', pattern('4'))).toEqual([]);
  });

  test('checked as the chart folder inside the pattern: rendered as the pattern delivers it, not with the defaults alone', async () => {
    const dir = writeTree('vp-chart-', pattern('2'));
    const found = await findings(path.join(dir, 'charts/all/forecaster'), 'tensor-parallel-gpu-mismatch');
    expect(found.map((f) => [f.severity, f.object])).toEqual([['error', 'Deployment/forecasting/forecaster-engine']]);
  });

  test('the placeholders of the operator are noted once; a remote chart entry is noted, not rendered', async () => {
    const remote = [
      '    vault:',
      '      name: vault',
      '      namespace: vault',
      '      chart: hashicorp-vault',
      '      repoURL: https://charts.example.com/',
    ].join('\n');
    const dir = writeTree('vp-notes-', pattern('4', remote));
    const out = JSON.parse((await cliInProcess(['check', dir, '--json', '--verbose'])).out) as { findings: { message: string }[]; notes?: string[] };
    const all = JSON.stringify(out);
    expect(all.match(/with placeholders for the values the pattern operator sets from the cluster/g)).toHaveLength(1);
    expect(all).toContain(
      'values-hub.yaml clusterGroup.applications.vault installs the remote chart hashicorp-vault of https://charts.example.com/, which is not in the checked files: not rendered',
    );
  });

  test('near miss: without values-global.yaml the same values-hub.yaml is no pattern, and the chart renders with its defaults (helm-render-fails on the global)', async () => {
    const files: Record<string, string> = pattern('2');
    delete files['values-global.yaml'];
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'vp-none-', files)).toEqual([]);
    const failed = await treeRuleFound('helm-render-fails', 'vp-none-', files);
    expect(failed.map((f) => f.message)).toEqual([expect.stringMatching(/global\.localClusterDomain is set by the pattern/)]);
  });

  test("a template that fails under the pattern's values: helm-render-fails names the template and the Application the clustergroup chart makes", async () => {
    const files = { ...pattern('2'), 'charts/all/forecaster/templates/route.yaml': '{{ required "routeHost is required" .Values.routeHost }}\n' };
    const failed = await treeRuleFound('helm-render-fails', 'vp-fails-', files);
    expect(failed.map((f) => [f.severity, f.message])).toEqual([
      [
        'error',
        expect.stringMatching(
          /^helm template fails on this chart as Application\/tide-forecast-hub\/forecaster \(generated by the Validated Patterns clustergroup chart from values-hub\.yaml clusterGroup\.applications\.forecaster\) delivers it: .*route\.yaml.*routeHost is required/,
        ),
      ],
    ]);
  });
});
