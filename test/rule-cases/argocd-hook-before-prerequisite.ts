import { treeRuleFound } from '../util';

const RULE = 'argocd-hook-before-prerequisite';

/** A chart whose Job hook runs as a ServiceAccount the chart makes (as a plain resource, or as a hook of its own). */
function chart(jobHook: string, accountAnnotations = ''): Record<string, string> {
  return {
    'charts/indexer/Chart.yaml': 'apiVersion: v2\nname: indexer\nversion: 0.1.0\n',
    'charts/indexer/values.yaml': 'image: quay.io/searchworks/indexer:1.4.2\n',
    'charts/indexer/templates/account.yaml': `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: index-builder\n${accountAnnotations}`,
    'charts/indexer/templates/job.yaml': [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata:',
      '  name: build-index',
      '  annotations:',
      `    helm.sh/hook: ${jobHook}`,
      '    helm.sh/hook-weight: "-5"',
      'spec:',
      '  template:',
      '    spec:',
      '      serviceAccountName: index-builder',
      '      restartPolicy: Never',
      '      containers:',
      '        - name: build',
      '          image: {{ .Values.image }}',
      '',
    ].join('\n'),
  };
}
const SCRIPT = { 'deploy.sh': '#!/bin/sh\nhelm upgrade --install search charts/indexer -n search --create-namespace\n' };
const ARGS = ['--platform', 'kserve'];

const consequence = (on: string) =>
  `Helm pre-install hook Job/%NS%build-index (weight -5) runs as ServiceAccount/%NS%index-builder, which the same chart creates as a plain resource: Helm runs pre-install hooks after rendering the templates and before creating any of the chart's resources, so on ${on}, the Job controller cannot create its pod (serviceaccount not found), so the hook never completes and the install fails when Helm's wait for it ends (--timeout, 5m by default); make ServiceAccount index-builder a hook that runs first (helm.sh/hook: pre-install,pre-upgrade with a lower helm.sh/hook-weight), or run the Job as a post-install,post-upgrade hook`;

describe('argocd-hook-before-prerequisite: a Helm pre-install hook of a chart Helm installs', () => {
  test('the chart checked alone: an error on its default install, not capped by the default values', async () => {
    const found = await treeRuleFound(RULE, 'helm-hook-', chart('pre-install,pre-upgrade'), ARGS);
    expect(found).toEqual([
      {
        severity: 'error',
        object: 'Job/build-index',
        message: consequence('`helm install` of the chart with its default values').replace(/%NS%/g, ''),
      },
    ]);
  });

  test("a script's helm upgrade --install: an error naming the install", async () => {
    const found = await treeRuleFound(RULE, 'helm-hook-', { ...chart('pre-install'), ...SCRIPT }, ARGS);
    expect(found.map((f) => [f.severity, f.object])).toEqual([['error', 'Job/search/build-index']]);
    expect(found[0].message).toMatch(
      /^Helm pre-install hook Job\/search\/build-index \(weight -5\) runs as ServiceAccount\/search\/index-builder, .*so on the first install \(.*deploy\.sh \(line 2\)\), the Job controller/,
    );
  });

  test.each([
    [
      'the ServiceAccount a pre-install hook of a lower weight',
      chart('pre-install', '  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: "-10"\n'),
    ],
    ['the Job a post-install hook', chart('post-install,post-upgrade')],
    ['the Job a pre-upgrade hook only (the chart is installed before it runs)', chart('pre-upgrade')],
  ])('near miss, %s: silent', async (_, files) => {
    expect(await treeRuleFound(RULE, 'helm-hook-', { ...files, ...SCRIPT }, ARGS)).toEqual([]);
  });
});
