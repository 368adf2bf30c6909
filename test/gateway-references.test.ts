import { runChecks } from '../lib';

/** The findings of gateway-reference-not-found on a set of manifests: severity and message. */
const judged = (manifests: unknown[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { rules: ['gateway-reference-not-found'] },
  ).map((f) => ({ severity: f.severity, object: f.object, message: f.message }));

const route = (spec: Record<string, unknown>, namespace = 'ai') => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'llm', namespace },
  spec,
});
const pool = (name: string, group = 'inference.networking.k8s.io', namespace = 'ai') => ({
  apiVersion: `${group}/${group.endsWith('x-k8s.io') ? 'v1alpha2' : 'v1'}`,
  kind: 'InferencePool',
  metadata: { name, namespace },
  spec: { selector: { matchLabels: { app: name } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: `${name}-epp` } },
});
const gateway = (name: string, namespace = 'ai') => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
});
const toPool = (name: string, group = 'inference.networking.k8s.io') => ({
  parentRefs: [{ name: 'gw' }],
  rules: [{ backendRefs: [{ group, kind: 'InferencePool', name }] }],
});

describe('gateway-reference-not-found', () => {
  test('a backendRef to an InferencePool the namespace lacks, beside another pool: an error naming the nearest', () => {
    expect(judged([gateway('gw'), pool('qwen-7b'), pool('llama-8b'), route(toPool('llama-7b'))])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/names InferencePool 'llama-7b'.*holds the InferencePools there \(llama-8b, qwen-7b\).*name 'llama-8b' \(the nearest\)/),
      }),
    ]);
  });

  test('the pool of the right name in the other API group: the group is named, not the name', () => {
    const found = judged([gateway('gw'), pool('llama-8b', 'inference.networking.x-k8s.io'), route(toPool('llama-8b'))]);
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/is in group inference.networking.x-k8s.io.*Set group: inference.networking.x-k8s.io/),
      }),
    ]);
  });

  test("no pool of the namespace in the tree, or a Gateway other than the tree's (shared Gateways are installed apart): warnings", () => {
    expect(judged([gateway('gw'), route(toPool('llama-8b'))])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/the tree holds no InferencePool there/) }),
    ]);
    const elsewhere = judged([gateway('tree-gw'), pool('llama-8b'), route(toPool('llama-8b'))]);
    expect(elsewhere).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/names Gateway 'gw'.*the tree's Gateways there are tree-gw/) }),
    ]);
  });

  test('near misses: a found pool, a Gateway of another namespace named by the reference, a templated name, a kind not judged', () => {
    expect(judged([gateway('gw'), pool('llama-8b'), route(toPool('llama-8b'))])).toEqual([]);
    expect(judged([gateway('gw', 'infra'), pool('llama-8b'), route({ ...toPool('llama-8b'), parentRefs: [{ name: 'gw', namespace: 'infra' }] })])).toEqual([]);
    expect(judged([gateway('gw'), pool('llama-8b'), route(toPool('{{ .Values.pool }}'))])).toEqual([]);
    expect(
      judged([
        gateway('gw'),
        pool('llama-8b'),
        route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'x' }] }] }),
      ]),
    ).toEqual([]);
  });

  test("a DestinationRule host: a short name or the Service's cluster name is judged, an external host is not", () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'epp', namespace: 'ai' }, spec: { ports: [{ port: 9002 }] } };
    const rule = (host: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'tls', namespace: 'ai' },
      spec: { host },
    });
    // Istio refuses no rule whose host matches nothing: the traffic flows without its policy, a warning
    expect(judged([service, rule('epp-old')])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/spec.host names Service 'epp-old'.*name 'epp'/) }),
    ]);
    expect(judged([service, rule('epp-old.ai.svc.cluster.local')]).map((f) => f.severity)).toEqual(['warning']);
    expect(judged([service, rule('epp.ai.svc.cluster.local'), rule('epp'), rule('api.example.com'), rule('*.ai.svc.cluster.local')])).toEqual([]);
  });

  test("a DestinationRule host of an InferencePool's Istio shadow Service: <pool>-ip-<sha256 of the name, 8 hex digits>, cut to 63 characters", () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'infpool-gen-epp', namespace: 'ai' }, spec: { ports: [{ port: 9002 }] } };
    const rule = (host: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'backend', namespace: 'ai' },
      spec: { host },
    });
    // the hashes as `printf %s <name> | sha256sum` gives them
    expect(judged([service, pool('infpool-gen'), rule('infpool-gen-ip-6580eb2c')])).toEqual([]);
    expect(judged([service, pool('infpool-gen'), rule('infpool-gen-ip-6580eb2c.ai.svc.cluster.local')])).toEqual([]);
    const long = 'tms-wide-ep-1p-ep8-1d-ep8-decode-and-prefill-infpool-gen'; // 56 characters: cut to 51 before -ip-
    expect(judged([service, pool(long), rule(`${long.slice(0, 51)}-ip-c768a2aa`)])).toEqual([]);
    // the pool's name with -ip but no hash: not the Service Istio makes, told its name, a warning
    expect(judged([service, pool('infpool-gen'), rule('infpool-gen-ip')])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/Istio makes the Service 'infpool-gen-ip-6580eb2c'/) }),
    ]);
    // near miss: a pool of another namespace makes no Service here
    expect(judged([service, pool('infpool-gen', 'inference.networking.k8s.io', 'other'), rule('infpool-gen-ip-6580eb2c')]).map((f) => f.severity)).toEqual([
      'warning',
    ]);
  });
});
