import { runChecks } from '../../lib';

type Listener = Record<string, unknown>;

const gateway = (listeners: Listener[], namespace = 'gateway-system') => ({
  manifest: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'shared', namespace },
    spec: { gatewayClassName: 'istio', listeners },
  },
});

const route = (namespace: string | undefined, spec: Record<string, unknown> = {}, kind = 'HTTPRoute') => ({
  manifest: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    metadata: { name: 'chat', ...(namespace ? { namespace } : {}) },
    spec: { parentRefs: [{ name: 'shared', namespace: 'gateway-system' }], ...spec },
  },
});

const namespaceObject = (name: string, labels: Record<string, string>) => ({ manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });

const http = (extra: Listener = {}): Listener => ({ name: 'http', protocol: 'HTTP', port: 80, ...extra });
const selector = (matchLabels: Record<string, string>) => ({ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels } } } });

const verdicts = (objects: Parameters<typeof runChecks>[0]) =>
  runChecks(objects, { platform: 'rhoai-3.0' })
    .filter((f) => f.rule === 'route-not-allowed-by-listener')
    .map((f) => f.severity);

describe('route-not-allowed-by-listener: a route every listener it may attach to refuses', () => {
  test('from Same (the default), a route of another namespace: an error naming the listener and the fix', () => {
    const [f] = runChecks([gateway([http()]), route('llm')], { platform: 'rhoai-3.0' }).filter((x) => x.rule === 'route-not-allowed-by-listener');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/listener 'http': its allowedRoutes\.namespaces\.from is Same \(the default\)/);
    expect(f.message).toMatch(/reason NotAllowedByListeners/);
    expect(f.message).toMatch(/put the route in namespace 'gateway-system'$/);
  });

  test('from Selector: the namespace of the tree lacks the label (error); not in the tree (warning); kubernetes.io/metadata.name always set (silent)', () => {
    const listener = http(selector({ 'gateway-access': 'shared' }));
    expect(verdicts([gateway([listener]), route('llm'), namespaceObject('llm', { team: 'a' })])).toEqual(['error']);
    expect(verdicts([gateway([listener]), route('llm')])).toEqual(['warning']);
    expect(verdicts([gateway([listener]), route('llm'), namespaceObject('llm', { 'gateway-access': 'shared' })])).toEqual([]);
    expect(verdicts([gateway([http(selector({ 'kubernetes.io/metadata.name': 'llm' }))]), route('llm')])).toEqual([]);
  });

  test('a listener hostname the route hostnames do not meet: NoMatchingListenerHostname; a wildcard that covers them: silent', () => {
    const hosted = http({ hostname: '*.apps.example.com', allowedRoutes: { namespaces: { from: 'All' } } });
    const found = runChecks([gateway([hosted]), route('llm', { hostnames: ['chat.example.org'] })], { platform: 'rhoai-3.0' }).filter(
      (x) => x.rule === 'route-not-allowed-by-listener',
    );
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(found[0].message).toMatch(/reason NoMatchingListenerHostname/);
    expect(verdicts([gateway([hosted]), route('llm', { hostnames: ['chat.team.apps.example.com'] })])).toEqual([]);
    expect(verdicts([gateway([hosted]), route('llm', { hostnames: ['*.apps.example.com'] })])).toEqual([]);
    expect(verdicts([gateway([hosted]), route('llm')])).toEqual([]);
    expect(verdicts([gateway([hosted]), route('llm', { hostnames: ['apps.example.com'] })])).toEqual(['error']);
    // a hostname the API refuses is host-name-invalid's: one finding per cause
    expect(verdicts([gateway([hosted]), route('llm', { hostnames: ['chat_ui.example.org'] })])).toEqual([]);
  });

  test('allowedRoutes.kinds, or the protocol of the listener, without the route kind: an error', () => {
    const all = { namespaces: { from: 'All' } };
    expect(verdicts([gateway([http({ allowedRoutes: { ...all, kinds: [{ kind: 'GRPCRoute' }] } })]), route('llm')])).toEqual(['error']);
    expect(verdicts([gateway([{ name: 'tcp', protocol: 'TCP', port: 9000, allowedRoutes: all }]), route('llm')])).toEqual(['error']);
    expect(verdicts([gateway([http({ allowedRoutes: all })]), route('llm', {}, 'GRPCRoute')])).toEqual([]);
  });

  test('near misses: one listener of several takes it, from All, the same namespace, a sectionName on the one that takes it', () => {
    const open = { name: 'open', protocol: 'HTTP', port: 8080, allowedRoutes: { namespaces: { from: 'All' } } };
    expect(verdicts([gateway([http(), open]), route('llm')])).toEqual([]);
    expect(verdicts([gateway([http()], 'llm'), { manifest: { ...route('llm').manifest, spec: { parentRefs: [{ name: 'shared' }] } } }])).toEqual([]);
    const pick = (sectionName: string) => route('llm', { parentRefs: [{ name: 'shared', namespace: 'gateway-system', sectionName }] });
    expect(verdicts([gateway([http(), open]), pick('open')])).toEqual([]);
    expect(verdicts([gateway([http(), open]), pick('http')])).toEqual(['error']);
  });

  test('not judged: a route whose namespace the tree does not give, a Gateway not in the tree, a sectionName naming no listener', () => {
    expect(verdicts([gateway([http()]), route(undefined)])).toEqual([]);
    expect(verdicts([route('llm')])).toEqual([]);
    expect(verdicts([gateway([http()]), route('llm', { parentRefs: [{ name: 'shared', namespace: 'gateway-system', sectionName: 'https' }] })])).toEqual([]);
  });
});
