import { ruleFound } from '../util';

const GIE = 'registry.k8s.io/gateway-api-inference-extension/epp';

const picker = (image: string, args: string[], env: object[] = [], namespace = 'chat') => ({
  manifest: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'picker', namespace },
    spec: {
      selector: { matchLabels: { app: 'picker' } },
      template: { metadata: { labels: { app: 'picker' } }, spec: { containers: [{ name: 'epp', image, args, env }] } },
    },
  },
});

const pool = (name: string, apiVersion = 'inference.networking.k8s.io/v1', namespace = 'chat') => ({
  manifest: { apiVersion, kind: 'InferencePool', metadata: { name, namespace }, spec: {} },
});

const found = (...manifests: { manifest: object }[]) => ruleFound('epp-pool-not-found', manifests);

describe('epp-pool-not-found: the pool the picker looks for is not the tree pool', () => {
  test('a --pool-group of the other group: an error naming both', () => {
    const [f] = found(
      picker(`${GIE}:v1.0.0`, ['--pool-name', 'qwen', '--pool-namespace', 'chat', '--pool-group', 'inference.networking.x-k8s.io']),
      pool('qwen'),
    );
    expect(f.severity).toBe('error');
    expect(f.object).toBe('Deployment/chat/picker');
    expect(f.message).toMatch(
      /looks for InferencePool qwen in inference\.networking\.x-k8s\.io \(its --pool-group .*\), but the tree's pool qwen is inference\.networking\.k8s\.io\/v1/,
    );
  });

  test('a v0.x image serving a v1 pool, and a v1.x image without --pool-group serving an alpha pool', () => {
    const [old] = found(picker(`${GIE}:v0.5.1`, ['-poolName', 'qwen', '-poolNamespace', 'chat']), pool('qwen'));
    expect(old.message).toMatch(
      /v0\.5\.1 watches only inference\.networking\.x-k8s\.io pools .*run a picker release that watches inference\.networking\.k8s\.io/,
    );
    const [v1] = found(picker(`${GIE}:v1.2.0`, ['--pool-name', 'qwen', '--pool-namespace', 'chat']), pool('qwen', 'inference.networking.x-k8s.io/v1alpha2'));
    expect(v1.severity).toBe('error');
    expect(v1.message).toMatch(/pass --pool-group inference\.networking\.x-k8s\.io/);
  });

  test('a moving tag makes the group default a warning', () => {
    const [f] = found(picker(`${GIE}:main`, ['--pool-name', 'qwen', '--pool-namespace', 'chat']), pool('qwen', 'inference.networking.x-k8s.io/v1alpha2'));
    expect(f.severity).toBe('warning');
  });

  test('no pool of the name where the tree has pools: an error with the close name', () => {
    const [f] = found(picker(`${GIE}:v1.0.0`, ['--pool-name', 'qwen-pol', '--pool-namespace', 'chat']), pool('qwen-pool'));
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/where the tree's pools are qwen-pool: .*write the pool name qwen-pool/);
  });

  test('no --pool-namespace: v1.0.0 looks in default, v1.1.0 in its NAMESPACE env (the pod namespace)', () => {
    const env = [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }];
    expect(found(picker(`${GIE}:v1.1.0`, ['--pool-name', 'qwen'], env), pool('qwen'))).toEqual([]);
    const [f] = found(picker(`${GIE}:v1.0.0`, ['--pool-name', 'qwen'], env), pool('qwen'), pool('other', undefined, 'default'));
    expect(f.message).toMatch(/looks for InferencePool qwen in namespace default/);
  });

  test('the pool of the name in another namespace only: a warning naming it', () => {
    const [f] = found(picker(`${GIE}:v1.0.0`, ['--pool-name', 'qwen', '--pool-namespace', 'elsewhere']), pool('qwen'));
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/write --pool-namespace chat/);
  });

  test('near misses: the pool found, placeholders alike, no pool in the tree, an unknown image with no group flag', () => {
    expect(found(picker(`${GIE}:v1.0.0`, ['--pool-name', 'qwen', '--pool-namespace', 'chat']), pool('qwen'))).toEqual([]);
    expect(found(picker('${EPP_IMAGE}', ['--pool-name', '${POOL}', '--pool-namespace', '${NS}']), pool('${POOL}'))).toEqual([]);
    expect(found(picker(`${GIE}:v1.0.0`, ['--pool-name', 'qwen', '--pool-namespace', 'chat']))).toEqual([]);
    expect(found(picker('${EPP_IMAGE}', ['--pool-name', 'qwen', '--pool-namespace', 'chat']), pool('qwen', 'inference.networking.x-k8s.io/v1alpha2'))).toEqual(
      [],
    );
  });
});
