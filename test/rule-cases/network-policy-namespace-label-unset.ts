import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('network-policy-namespace-label-unset', docs, 'kserve');

const namespace = (name: string, labels?: Record<string, string>): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const policy = (namespaceSelector: Doc, dir: 'ingress' | 'egress' = 'ingress'): Doc => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'peers', namespace: 'chat' },
  spec: { podSelector: {}, [dir]: [{ [dir === 'ingress' ? 'from' : 'to']: [{ namespaceSelector }] }] },
});

describe('network-policy-namespace-label-unset', () => {
  test('a name label the tree does not set on its Namespace is an error naming the peer and the fix', () => {
    expect(found([namespace('edge-gw'), policy({ matchLabels: { name: 'edge-gw' } })])).toEqual([
      'error NetworkPolicy/chat/peers: spec.ingress[0].from[0].namespaceSelector selects namespaces labelled name: edge-gw, but Namespace edge-gw of the tree does not carry that label and Kubernetes sets only kubernetes.io/metadata.name: the peer matches no namespace, so it admits nothing and the traffic is dropped; select the namespace by kubernetes.io/metadata.name: edge-gw, which Kubernetes sets on every namespace, or give Namespace edge-gw the label name: edge-gw',
    ]);
    // an In expression, another key, an egress peer
    expect(
      found([namespace('vector-db', { team: 'data' }), policy({ matchExpressions: [{ key: 'ns', operator: 'In', values: ['vector-db'] }] }, 'egress')]),
    ).toEqual([
      expect.stringMatching(/^error NetworkPolicy\/chat\/peers: spec\.egress\[0\]\.to\[0\]\.namespaceSelector selects namespaces labelled ns: vector-db, but/),
    ]);
  });

  test('a name label of a namespace not in the tree is a warning', () => {
    expect(found([policy({ matchLabels: { name: 'edge-gw' } })])).toEqual([
      'warning NetworkPolicy/chat/peers: spec.ingress[0].from[0].namespaceSelector selects namespaces labelled name: edge-gw, and no Namespace of the tree carries it (namespace edge-gw is not in the tree, so its labels are unknown); Kubernetes sets only kubernetes.io/metadata.name, so unless someone labels the namespace the peer matches none and the traffic is dropped; select the namespace by kubernetes.io/metadata.name: edge-gw, which Kubernetes sets on every namespace, or give Namespace edge-gw the label name: edge-gw',
    ]);
  });

  test('near misses: the label is set, the name label, platform labels and namespaces, another key off the tree', () => {
    expect(found([namespace('edge-gw', { name: 'edge-gw' }), policy({ matchLabels: { name: 'edge-gw' } })])).toEqual([]);
    // another Namespace carries the label: the peer matches it
    expect(found([namespace('edge-gw'), namespace('edge-gw-2', { name: 'edge-gw' }), policy({ matchLabels: { name: 'edge-gw' } })])).toEqual([]);
    expect(found([namespace('edge-gw'), policy({ matchLabels: { 'kubernetes.io/metadata.name': 'edge-gw' } })])).toEqual([]);
    expect(found([policy({ matchLabels: { 'network.openshift.io/policy-group': 'monitoring' } })])).toEqual([]);
    expect(found([policy({ matchLabels: { 'openshift.io/cluster-monitoring': 'true' } })])).toEqual([]);
    expect(found([policy({ matchLabels: { 'policy-group.network.openshift.io/ingress': '' } })])).toEqual([]);
    expect(found([policy({ matchLabels: { name: 'openshift-monitoring' } })])).toEqual([]);
    expect(found([policy({ matchLabels: { environment: 'prod' } })])).toEqual([]);
    expect(found([policy({ matchExpressions: [{ key: 'name', operator: 'NotIn', values: ['edge-gw'] }] })])).toEqual([]);
    // Argo CD creates the namespace with the label
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'gw', namespace: 'argocd' },
      spec: {
        destination: { namespace: 'edge-gw' },
        syncPolicy: { syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { name: 'edge-gw' } } },
      },
    };
    expect(found([app, policy({ matchLabels: { name: 'edge-gw' } })])).toEqual([]);
  });
});
