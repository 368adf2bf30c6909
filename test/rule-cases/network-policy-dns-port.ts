import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') => ruleFindings('network-policy-dns-port', docs, platform);

const dnsNamespace = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } } };
const policy = (egress: Doc[], name = 'egress', spec: Doc = { policyTypes: ['Egress'] }): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'llm' },
  spec: { podSelector: {}, ...spec, egress },
});
const https = { ports: [{ protocol: 'TCP', port: 443 }] };

describe('network-policy-dns-port', () => {
  test('DNS on 53 only, to openshift-dns or to any namespace, is an error naming 5353', () => {
    expect(found([policy([{ to: [dnsNamespace], ports: [{ protocol: 'UDP', port: 53 }] }, https])])).toEqual([
      expect.stringMatching(
        /^error NetworkPolicy\/llm\/egress: spec\.egress\[0\] allows DNS on port 53 only, .*listen on 5353 .*allow port 5353 \(UDP and TCP\) beside 53$/,
      ),
    ]);
    expect(found([policy([https, { to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] }], 'egress', {})])).toEqual([
      expect.stringMatching(/spec\.egress\[1\]/),
    ]);
    expect(found([policy([{ ports: [{ port: 53, protocol: 'UDP' }] }])])).toHaveLength(1);
  });

  test('near misses: 5353 allowed (here, by a range or by another policy), a rule without ports, another DNS server, another platform', () => {
    const only53 = { to: [dnsNamespace], ports: [{ protocol: 'UDP', port: 53 }] };
    expect(
      found([
        policy([
          {
            to: [dnsNamespace],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'UDP', port: 5353 },
            ],
          },
        ]),
      ]),
    ).toEqual([]);
    expect(found([policy([{ to: [dnsNamespace], ports: [{ protocol: 'UDP', port: 53, endPort: 6000 }] }])])).toEqual([]);
    expect(found([policy([only53]), policy([{ to: [dnsNamespace], ports: [{ protocol: 'UDP', port: 5353 }] }], 'dns-pods')])).toEqual([]);
    expect(found([policy([{ to: [dnsNamespace] }])])).toEqual([]);
    expect(found([policy([{ to: [{ ipBlock: { cidr: '10.0.0.2/32' } }], ports: [{ protocol: 'UDP', port: 53 }] }])])).toEqual([]);
    expect(found([policy([{ to: [{ podSelector: { matchLabels: { app: 'dnsmasq' } } }], ports: [{ protocol: 'UDP', port: 53 }] }])])).toEqual([]);
    expect(found([policy([only53], 'ingress-only', { policyTypes: ['Ingress'] })])).toEqual([]);
    // CoreDNS of upstream Kubernetes listens on 53
    expect(found([policy([only53])], 'kserve')).toEqual([]);
  });
});
