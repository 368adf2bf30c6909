import { ruleFound } from '../util';

const model = {
  manifest: {
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferenceModel',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { modelName: 'chat', poolRef: { name: 'p' } },
  },
};
const pool = (apiVersion: string) => ({ manifest: { apiVersion, kind: 'InferencePool', metadata: { name: 'p', namespace: 'llm' }, spec: {} } });
const picker = (image: string) => ({
  manifest: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'picker', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'picker' } },
      template: { metadata: { labels: { app: 'picker' } }, spec: { containers: [{ name: 'epp', image, args: ['--pool-name', 'p'] }] } },
    },
  },
});

const found = (...manifests: { manifest: object }[]) => ruleFound('inference-model-removed', manifests);

describe('inference-model-removed: InferenceModel in a v1.x tree', () => {
  test('beside a v1 pool: an error with the successor', () => {
    const [f] = found(model, pool('inference.networking.k8s.io/v1'));
    expect(f.severity).toBe('error');
    expect(f.object).toBe('InferenceModel/llm/chat');
    expect(f.message).toMatch(
      /last served by the Gateway API Inference Extension v0\.5\.1.*InferencePool p is inference\.networking\.k8s\.io\/v1.*no matches for kind.*write an inference\.networking\.x-k8s\.io\/v1alpha2 InferenceObjective/,
    );
  });

  test('with a v1.x picker image: an error; with a moving tag: a warning', () => {
    expect(found(model, picker('registry.k8s.io/gateway-api-inference-extension/epp:v1.1.0')).map((f) => f.severity)).toEqual(['error']);
    expect(found(model, picker('us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/epp:main')).map((f) => f.severity)).toEqual([
      'warning',
    ]);
  });

  test('near misses: an alpha pool with a v0.5.1 picker, or nothing telling the release', () => {
    expect(found(model, pool('inference.networking.x-k8s.io/v1alpha2'), picker('registry.k8s.io/gateway-api-inference-extension/epp:v0.5.1'))).toEqual([]);
    expect(found(model)).toEqual([]);
  });
});
