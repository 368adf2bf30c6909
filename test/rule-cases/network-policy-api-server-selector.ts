import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('network-policy-api-server-selector', docs, 'kserve');

const policy = (egress: Doc[], name = 'agent-egress', spec: Doc = { policyTypes: ['Egress'] }): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'fleet' },
  spec: { podSelector: { matchLabels: { app: 'agent' } }, ...spec, egress },
});
const api = (to: Doc[] | undefined, ports: Doc[] = [{ protocol: 'TCP', port: 6443 }]): Doc => ({ ...(to ? { to } : {}), ports });
const anyNamespace = { namespaceSelector: {} };
const apiServerPods = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-kube-apiserver' } },
  podSelector: { matchLabels: { app: 'openshift-kube-apiserver' } },
};

describe('network-policy-api-server-selector', () => {
  test('6443 only to a namespaceSelector, or to the API server pods by selectors: a warning naming the rule and the ipBlock to write', () => {
    expect(found([policy([api([anyNamespace])])])).toEqual([
      expect.stringMatching(
        /^warning NetworkPolicy\/fleet\/agent-egress: spec\.egress\[0\] allows port 6443, the API server's, only to what a namespaceSelector or podSelector picks, .*allow 6443 to an ipBlock of the API server's endpoints/,
      ),
    ]);
    expect(found([policy([{ ports: [{ port: 443 }] }, api([apiServerPods])])])).toEqual([expect.stringMatching(/spec\.egress\[1\] allows port 6443/)]);
    // a range holding 6443
    expect(found([policy([api([anyNamespace], [{ protocol: 'TCP', port: 6000, endPort: 7000 }])])])).toHaveLength(1);
  });

  test('near misses: 6443 to an ipBlock or to every destination (here or in another policy of the namespace), no port 6443, no egress isolation, other policy kinds', () => {
    expect(found([policy([api([anyNamespace]), api([{ ipBlock: { cidr: '10.0.0.0/24' } }])])])).toEqual([]);
    expect(found([policy([api([anyNamespace])]), policy([api(undefined)], 'api-everywhere')])).toEqual([]);
    expect(found([policy([api([anyNamespace]), api([])])])).toEqual([]);
    expect(found([policy([api([anyNamespace], [{ protocol: 'TCP', port: 8443 }])])])).toEqual([]);
    expect(found([policy([api([anyNamespace])], 'agent-egress', { policyTypes: ['Ingress'] })])).toEqual([]);
    const cilium = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'api', namespace: 'fleet' },
      spec: { endpointSelector: {}, egress: [{ toEntities: ['kube-apiserver'] }] },
    };
    expect(found([policy([api([anyNamespace])]), cilium])).toEqual([]);
  });
});
