import { runChecks } from '../../lib';

const route = (host: string, annotations: Record<string, string> = {}) => ({
  manifest: {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'api', namespace: 'llm', annotations },
    spec: { host, to: { kind: 'Service', name: 'api' } },
  },
});
const ingress = (host: string, tlsHost?: string) => ({
  manifest: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'api', namespace: 'llm' },
    spec: {
      ...(tlsHost ? { tls: [{ hosts: [tlsHost] }] } : {}),
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }],
    },
  },
});
const gateway = (hostname: string) => ({
  manifest: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'llm' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, hostname, allowedRoutes: { namespaces: { from: 'All' } } }] },
  },
});
const httpRoute = (hostnames: string[]) => ({
  manifest: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { parentRefs: [{ name: 'gw' }], hostnames },
  },
});

const findings = (objects: Parameters<typeof runChecks>[0], rule = 'host-name-invalid') =>
  runChecks(objects, { platform: 'rhoai-3.0' }).filter((f) => f.rule === rule);
const verdicts = (objects: Parameters<typeof runChecks>[0]) => findings(objects).map((f) => f.severity);

describe('host-name-invalid: host names the API server refuses', () => {
  test.each([
    ['a Route host with an underscore', route('api_gateway.apps.example.com')],
    ['a Route host with a capital', route('My-Host.apps.example.com')],
    ['a Route host with a wildcard (a wildcard Route writes a plain host)', route('*.apps.example.com')],
    ['a Route host label over 63 characters', route(`${'a'.repeat(64)}.apps.example.com`)],
    ['an Ingress host with a port', ingress('chat.example.com:8443')],
    ['an Ingress host that is an IP', ingress('10.0.0.12')],
    ['an Ingress wildcard not leading', ingress('chat.*.example.com')],
    ['an Ingress TLS host with a trailing dot', ingress('chat.example.com', 'chat.example.com.')],
    ['a Gateway listener hostname with a capital', gateway('*.Apps.example.com')],
    ['an HTTPRoute hostname with an underscore', httpRoute(['api_gateway.example.com'])],
  ])('%s: an error', (_what, object) => {
    expect(verdicts([object])).toEqual(['error']);
  });

  test('the message names the field, the value, the upstream refusal and the fix', () => {
    const [f] = findings([route('api_gateway.apps.example.com')]);
    expect(f.message).toBe(
      "spec.host 'api_gateway.apps.example.com' is no host name the API server admits (host must conform to DNS 952 subdomain conventions), so it refuses the Route at apply; " +
        "write it in lower case, with letters, digits, '-' and '.' only (no '_', port or scheme)",
    );
  });

  test('a capital label is a placeholder left in the value: a warning saying so, and unrendered-placeholder silent', () => {
    const objects = [route('maas.CLUSTER_DOMAIN')];
    const found = findings(objects);
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toMatch(/'CLUSTER_DOMAIN' is a placeholder left in the value/);
    expect(findings(objects, 'unrendered-placeholder')).toEqual([]);
  });

  test('one finding per cause: template syntax and placeholder words are unrendered-placeholder’s', () => {
    for (const host of ['chat.${CLUSTER_DOMAIN}', 'api.YOUR_DOMAIN', '<HOST>']) {
      expect({ host, mine: verdicts([route(host)]) }).toEqual({ host, mine: [] });
      expect({ host, theirs: findings([route(host)], 'unrendered-placeholder').length }).toEqual({ host, theirs: 1 });
    }
  });

  test('near misses: lower-case DNS names, leading wildcards where the API allows them, the annotation that lifts the label bound, other groups', () => {
    expect(verdicts([route('api-gateway.apps.example.com')])).toEqual([]);
    expect(verdicts([route(`${'a'.repeat(64)}.apps.example.com`, { 'route.openshift.io/allow-non-dns-compliant-host': 'true' })])).toEqual([]);
    expect(verdicts([ingress('*.tenants.example.com', '*.tenants.example.com')])).toEqual([]);
    expect(verdicts([ingress('chat.example.com', '10.0.0.12')])).toEqual([]);
    expect(verdicts([gateway('*.apps.example.com'), httpRoute(['chat.apps.example.com', '*.apps.example.com'])])).toEqual([]);
    // Knative's Route has no spec.host of this meaning
    expect(
      verdicts([{ manifest: { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name: 'r', namespace: 'llm' }, spec: { host: 'A_B' } } }]),
    ).toEqual([]);
  });
});

describe('host-name-invalid: a ${VAR} a substitution fills is read as one valid label, the rest judged as written', () => {
  test('a stray quote after the variable: an error whatever the variable gives, naming the value as written', () => {
    const [f] = findings([httpRoute(['chat.${LAB_DOMAIN}"'])]);
    expect(f.severity).toBe('error');
    expect(f.message).toBe(
      "spec.hostnames[0] 'chat.${LAB_DOMAIN}\"' is no host name the API server admits (it does not match the Hostname pattern ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$, whatever its ${…} variables are filled with), so it refuses the HTTPRoute at apply; " +
        "write it in lower case, with letters, digits, '-' and '.' only (no '_', port or scheme), one leading '*.' at most",
    );
  });

  test.each([
    ['an underscore beside it', httpRoute(['chat_${LAB_DOMAIN}'])],
    ['a scheme before it', httpRoute(['https://chat.${LAB_DOMAIN}'])],
    ['a trailing dot', ingress('chat.${LAB_DOMAIN:=lab.example.com}.')],
    ['a capital in the written part', route('Chat.${LAB_DOMAIN}')],
  ])('%s: an error', (_what, object) => {
    expect(verdicts([object])).toEqual(['error']);
  });

  test('near misses: the variable alone or between valid labels, a default, a wildcard before it', () => {
    expect(verdicts([httpRoute(['chat.${LAB_DOMAIN}', '${LAB_DOMAIN}', '*.${LAB_DOMAIN}', 'chat-${ENV}.${LAB_DOMAIN:=lab.example.com}'])])).toEqual([]);
    expect(verdicts([ingress('chat.${LAB_DOMAIN}', '*.${LAB_DOMAIN}')])).toEqual([]);
  });
});
