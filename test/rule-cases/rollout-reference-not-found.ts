import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === 'rollout-reference-not-found')
    .map((f) => [f.severity, f.object, f.message]);

const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const service = (name: string): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
});
const template = (name: string, kind = 'AnalysisTemplate'): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind,
  metadata: { name, ...(kind === 'AnalysisTemplate' ? { namespace: 'shop' } : {}) },
  spec: { metrics: [{ name: 'smoke', provider: { job: {} } }] },
});
const pods = {
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
};
const rollout = (spec: Doc, apiVersion = 'argoproj.io/v1alpha1'): Doc => ({ apiVersion, kind: 'Rollout', metadata: { name: 'web', namespace: 'shop' }, spec });

const INVALID = 'the controller marks the Rollout InvalidSpec and rolls out nothing until it exists';
const NAME_SERVICE =
  "name a Service of the namespace that selects the Rollout's pods, or add it (Argo Rollouts makes no Service: it only sets the selector of those it is given)";

describe('rollout-reference-not-found', () => {
  test("a step's analysis names a misspelt AnalysisTemplate of a namespace whose templates the tree holds: an error naming the one meant", () => {
    const canary = {
      stableService: 'web',
      canaryService: 'web-canary',
      steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'eror-rate' }] } }],
    };
    expect(found([namespace('shop'), service('web'), service('web-canary'), template('error-rate'), rollout({ ...pods, strategy: { canary } })])).toEqual([
      [
        'error',
        'Rollout/shop/web',
        "spec.strategy.canary.steps[1].analysis.templates[0].templateName names AnalysisTemplate 'eror-rate', which the tree does not hold in namespace 'shop' (the tree holds other AnalysisTemplates in namespace 'shop'; did you mean error-rate?): " +
          `${INVALID} ("AnalysisTemplate 'eror-rate' not found"); name an AnalysisTemplate of the Rollout's namespace, or add it there (clusterScope: true for a ClusterAnalysisTemplate)`,
      ],
    ]);
  });

  test('clusterScope: true looks among the ClusterAnalysisTemplates', () => {
    const canary = { analysis: { templates: [{ templateName: 'succes-rate', clusterScope: true }] } };
    expect(found([template('success-rate', 'ClusterAnalysisTemplate'), rollout({ ...pods, strategy: { canary } })])).toEqual([
      [
        'error',
        'Rollout/shop/web',
        "spec.strategy.canary.analysis.templates[0].templateName names ClusterAnalysisTemplate 'succes-rate', which the tree does not hold (the tree holds other ClusterAnalysisTemplates; did you mean success-rate?): " +
          `${INVALID} ("ClusterAnalysisTemplate 'succes-rate' not found"); name a ClusterAnalysisTemplate the tree holds, or add it (or drop clusterScope: true for an AnalysisTemplate of the namespace)`,
      ],
    ]);
  });

  test('a Service missing beside the namespace Services: an error; with no Service and no Namespace in the tree: a warning', () => {
    expect(found([service('web'), rollout({ ...pods, strategy: { canary: { stableService: 'web', canaryService: 'web-preview' } } })])).toEqual([
      [
        'error',
        'Rollout/shop/web',
        "spec.strategy.canary.canaryService names Service 'web-preview', which the tree does not hold in namespace 'shop' (the tree holds other Services in namespace 'shop'): " +
          `${INVALID} (spec.strategy.canary.canaryService: Invalid value: "web-preview": services "web-preview" not found); ${NAME_SERVICE}`,
      ],
    ]);
    expect(found([rollout({ ...pods, strategy: { canary: { canaryService: 'web-canary' } } })])).toEqual([
      [
        'warning',
        'Rollout/shop/web',
        "spec.strategy.canary.canaryService names Service 'web-canary', which the tree does not hold in namespace 'shop': unless something outside the tree makes it, " +
          `${INVALID} (spec.strategy.canary.canaryService: Invalid value: "web-canary": services "web-canary" not found); ${NAME_SERVICE}`,
      ],
    ]);
  });

  test('a blue-green strategy: its Services and prePromotionAnalysis are read, the canary block beside it is not', () => {
    const strategy = {
      blueGreen: { activeService: 'web', previewService: 'web-preview', prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } },
      canary: { canaryService: 'nothing' },
    };
    expect(found([namespace('shop'), service('web'), rollout({ ...pods, strategy })]).map(([s, , m]) => [s, m.split(' names ')[0]])).toEqual([
      ['error', 'spec.strategy.blueGreen.prePromotionAnalysis.templates[0].templateName'],
      ['error', 'spec.strategy.blueGreen.previewService'],
    ]);
  });

  test('a workloadRef to a Deployment the tree does not hold in a namespace it creates: an error', () => {
    const workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    expect(found([namespace('shop'), rollout({ workloadRef, strategy: { canary: {} } })])).toEqual([
      [
        'error',
        'Rollout/shop/web',
        "spec.workloadRef names Deployment 'web', which the tree does not hold in namespace 'shop' (the tree creates namespace 'shop'): " +
          'the controller cannot resolve the pod template (deployments "web" not found), marks the Rollout InvalidSpec and runs no pods; ' +
          "name the Deployment whose pod template the Rollout runs, or add it to the Rollout's namespace",
      ],
    ]);
  });

  test('near misses: every reference held, a templated name, a Rollout of another group, the workload there', () => {
    const canary = { stableService: 'web', canaryService: 'web-canary', analysis: { templates: [{ templateName: 'error-rate' }] } };
    expect(found([namespace('shop'), service('web'), service('web-canary'), template('error-rate'), rollout({ ...pods, strategy: { canary } })])).toEqual([]);
    expect(found([namespace('shop'), service('web'), rollout({ ...pods, strategy: { canary: { stableService: '{{ .Values.stable }}' } } })])).toEqual([]);
    expect(found([namespace('shop'), rollout({ ...pods, strategy: { canary: { stableService: 'web' } } }, 'example.com/v1')])).toEqual([]);
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 0, ...pods } };
    const workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    expect(found([namespace('shop'), deployment, rollout({ workloadRef, selector: pods.selector, strategy: { canary: {} } })])).toEqual([]);
  });
});
