import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === 'rollouts-plugin-not-configured')
    .map((f) => [f.severity, f.object, f.message]);

const config = (data: Record<string, string>, name = 'argo-rollouts-config'): Doc => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'argo-rollouts' },
  data,
});
const ROUTERS = '- name: acme/contour\n  location: https://plugins.acme.test/contour\n';
const rollout = (canary: Doc): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'chat', namespace: 'chat' },
  spec: {
    selector: { matchLabels: { app: 'chat' } },
    template: { metadata: { labels: { app: 'chat' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } },
    strategy: { canary },
  },
});

describe('rollouts-plugin-not-configured', () => {
  test('a traffic router plugin the ConfigMap does not register: an error naming what it lists', () => {
    expect(found([config({ trafficRouterPlugins: ROUTERS }), rollout({ trafficRouting: { plugins: { 'acme/gatewayAPI': { httpRoute: 'chat' } } } })])).toEqual([
      [
        'error',
        'Rollout/chat/chat',
        "spec.strategy.canary.trafficRouting.plugins names plugin 'acme/gatewayAPI', which trafficRouterPlugins of ConfigMap/argo-rollouts/argo-rollouts-config does not register (it lists acme/contour): " +
          'the controller fails every reconcile of the Rollout ("plugin acme/gatewayAPI not configured in configmap") and it never progresses; ' +
          'add an entry with name: acme/gatewayAPI and its location to trafficRouterPlugins, or name a plugin it registers',
      ],
    ]);
  });

  test('a step plugin and a metric plugin are looked up in their own lists', () => {
    const steps = [{ plugin: { name: 'acme/contour' } }];
    expect(found([config({ trafficRouterPlugins: ROUTERS }), rollout({ steps })]).map(([, , m]) => m.split(':')[0])).toEqual([
      "spec.strategy.canary.steps[0].plugin.name names plugin 'acme/contour', which stepPlugins of ConfigMap/argo-rollouts/argo-rollouts-config does not register (it lists none)",
    ]);
    const analysis = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'rate', namespace: 'chat' },
      spec: { metrics: [{ name: 'rate', provider: { plugin: { 'acme/metrics-sql': { query: 'x' } } } }] },
    };
    expect(found([config({ metricProviderPlugins: '- name: acme/metrics-sq\n  location: file:///plugins/sql\n' }), analysis])).toEqual([
      [
        'error',
        'AnalysisTemplate/chat/rate',
        "spec.metrics[0].provider.plugin names plugin 'acme/metrics-sql', which metricProviderPlugins of ConfigMap/argo-rollouts/argo-rollouts-config does not register (it lists acme/metrics-sq): " +
          'the controller fails every reconcile of the AnalysisTemplate ("plugin acme/metrics-sql not configured in configmap") and it never progresses; ' +
          'add an entry with name: acme/metrics-sql and its location to metricProviderPlugins, or name a plugin it registers',
      ],
    ]);
  });

  test('near misses: the plugin registered, no ConfigMap of the controller in the tree, a list that does not parse', () => {
    const plugins = { trafficRouting: { plugins: { 'acme/contour': {} } } };
    expect(found([config({ trafficRouterPlugins: ROUTERS }), rollout(plugins)])).toEqual([]);
    expect(found([config({ trafficRouterPlugins: ROUTERS }, 'other-config'), rollout({ trafficRouting: { plugins: { 'acme/gatewayAPI': {} } } })])).toEqual([]);
    expect(found([config({ trafficRouterPlugins: 'name: [' }), rollout({ trafficRouting: { plugins: { 'acme/gatewayAPI': {} } } })])).toEqual([]);
  });
});
