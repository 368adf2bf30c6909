import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { NAMESPACE_NAME_LABEL } from '../../k8s/keys';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { namespaceLabels } from '../network-peers';
import { Problem, Rule } from '../rule';

/**
 * Label keys OpenShift itself sets on namespaces (OpenShift docs "Configuring network policy":
 * network.openshift.io/policy-group and policy-group.network.openshift.io/*; cluster-monitoring-operator's
 * openshift.io/cluster-monitoring): any key of an openshift.io domain is the platform's, not the tree's.
 */
const platformKey = (key: string) => /(^|\.)openshift\.io\//.test(key);
/** The platform's own namespaces, which carry labels the tree never shows (openshift-*, kube-*, default). */
const platformNamespace = (ns: string) => /^(openshift|kube)(-|$)/.test(ns) || ns === 'default';

/** The `key: value` pairs of a namespaceSelector that ask for a label value (matchLabels, matchExpressions In). */
function wanted(selector: Loose): { key: string; value: string }[] {
  const pairs = Object.entries(stringMap(selector.matchLabels)).map(([key, value]) => ({ key, value }));
  const ins = mappings(selector.matchExpressions).flatMap((e) =>
    e.operator === 'In' ? strings(e.values).map((value) => ({ key: text(e.key) ?? '', value })) : [],
  );
  return [...pairs, ...ins];
}

/** Whether a Namespace of the tree (or one an Argo CD Application creates) carries the label. */
function someNamespaceCarries(graph: ObjectGraph, key: string, value: string): boolean {
  const names = new Set([...graph.ofKind('Namespace').map((n) => text(mapping(n.manifest.metadata).name) ?? ''), value]);
  return [...names].some((ns) => namespaceLabels(graph, ns).labels[key] === value);
}

function peerProblem(graph: ObjectGraph, where: string, key: string, value: string): Problem | undefined {
  if (key === NAMESPACE_NAME_LABEL || platformKey(key) || platformNamespace(value) || someNamespaceCarries(graph, key, value)) return undefined;
  const labels = namespaceLabels(graph, value);
  const lead = `${where} selects namespaces labelled ${key}: ${value}`;
  const fix = `select the namespace by ${NAMESPACE_NAME_LABEL}: ${value}, which Kubernetes sets on every namespace, or give Namespace ${value} the label ${key}: ${value}`;
  if (!labels.open)
    return {
      message: `${lead}, but Namespace ${value} of the tree does not carry that label and Kubernetes sets only ${NAMESPACE_NAME_LABEL}: the peer matches no namespace, so it admits nothing and the traffic is dropped; ${fix}`,
    };
  // a value that is no namespace of the tree is a name only where the key says so
  if (key !== 'name') return undefined;
  return {
    severity: 'warning',
    message: `${lead}, and no Namespace of the tree carries it (namespace ${value} is not in the tree, so its labels are unknown); Kubernetes sets only ${NAMESPACE_NAME_LABEL}, so unless someone labels the namespace the peer matches none and the traffic is dropped; ${fix}`,
  };
}

function judged(o: GraphObject, graph: ObjectGraph): Problem[] {
  const spec = mapping(o.manifest.spec);
  const found: Problem[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    mappings(spec[dir]).forEach((rule, i) =>
      mappings(dir === 'ingress' ? rule.from : rule.to).forEach((peer, j) => {
        if (peer.namespaceSelector == null) return;
        for (const { key, value } of wanted(mapping(peer.namespaceSelector))) {
          const p = peerProblem(graph, `spec.${dir}[${i}].${dir === 'ingress' ? 'from' : 'to'}[${j}].namespaceSelector`, key, value);
          if (p) found.push(p);
        }
      }),
    );
  }
  return found;
}

export const networkPolicyNamespaceLabelUnset: Rule = {
  id: 'network-policy-namespace-label-unset',
  title:
    'a NetworkPolicy peer selects a namespace by a label (name: X) that no namespace carries: Kubernetes sets only kubernetes.io/metadata.name, so the peer admits nothing',
  severity: 'error',
  appliesTo: ['NetworkPolicy'],
  premise:
    "a NetworkPolicy ingress `from` or egress `to` peer whose namespaceSelector asks for `key: X` (matchLabels, or matchExpressions In) with a key other than kubernetes.io/metadata.name, while no Namespace of the tree (nor one an Argo CD Application creates with managedNamespaceMetadata) carries that label: an error where Namespace X is in the tree without it; a warning where the key is `name` and namespace X is not in the tree (its labels are unknown); silent for labels OpenShift sets (keys of an openshift.io domain) and the platform's namespaces (openshift-*, kube-*, default), and for other keys whose value is no namespace of the tree",
  example: '`namespaceSelector: {matchLabels: {name: edge-gw}}` beside a Namespace edge-gw without labels',
  fix: 'select the namespace by `kubernetes.io/metadata.name: X` (set on every namespace), or label the Namespace',
  source:
    'Kubernetes docs concepts/services-networking/network-policies "Targeting a Namespace by its name" (the control plane sets the immutable label kubernetes.io/metadata.name on every namespace; feature NamespaceDefaultLabelName, GA in 1.22, pkg/registry/core/namespace/strategy.go); no other namespace label is set by Kubernetes; OpenShift docs "Configuring network policy" (network.openshift.io/policy-group and policy-group.network.openshift.io/* on platform namespaces) and cluster-monitoring-operator (openshift.io/cluster-monitoring)',
  check(o, ctx) {
    return judged(o, ctx.graph);
  },
};
