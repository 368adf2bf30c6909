import { runChecks } from '../../lib';
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
    // CoreDNS of upstream Kubernetes listens on 53: a policy to kube-system's DNS is not judged there
    const kubeDns = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] };
    expect(found([policy([kubeDns])], 'kserve')).toEqual([]);
  });

  test("a policy that names OpenShift's DNS itself is judged whatever the platform: an error, not a platform-dependent warning", () => {
    // its peer selects openshift-dns by name: written for OpenShift, so the verdict rests on no platform choice
    const byName = { to: [{ namespaceSelector: { matchLabels: { name: 'openshift-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] };
    const byPods = {
      to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } } }],
      ports: [{ protocol: 'TCP', port: 53 }],
    };
    const byExpression = {
      to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['openshift-dns'] }] } }],
      ports: [{ protocol: 'UDP', port: 53 }],
    };
    for (const rule of [{ to: [dnsNamespace], ports: [{ protocol: 'UDP', port: 53 }] }, byName, byPods, byExpression]) {
      expect(found([policy([rule])], 'kserve')).toEqual([
        expect.stringMatching(
          /^error NetworkPolicy\/llm\/egress: .*on OpenShift \(the policy's own peer names OpenShift's DNS, so it is written for OpenShift\)/,
        ),
      ]);
    }
    // the tree's signals in conflict (OpenShift AI 2.x beside a Knative mark read as upstream): an error all the same
    const dsc = { apiVersion: 'datasciencecluster.opendatahub.io/v1', kind: 'DataScienceCluster', metadata: { name: 'default-dsc' }, spec: {} };
    const knative = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'to-knative', namespace: 'apps' },
      spec: { podSelector: { matchLabels: { 'serving.knative.dev/service': 'trigger' } }, policyTypes: ['Ingress'], ingress: [{}] },
    };
    const inferred = runChecks(
      [dsc, knative, policy([{ to: [dnsNamespace], ports: [{ protocol: 'UDP', port: 53 }] }])].map((manifest) => ({ manifest })),
      {
        rules: ['network-policy-dns-port'],
      },
    );
    expect(inferred.map((f) => `${f.severity} ${f.object}`)).toEqual(['error NetworkPolicy/llm/egress']);
    // 5353 allowed: quiet, as on OpenShift
    const both = {
      to: [dnsNamespace],
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'UDP', port: 5353 },
      ],
    };
    expect(found([policy([both])], 'kserve')).toEqual([]);
  });
});
