import { isMapping, Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { destinationNamespace } from './argocd/destination-namespace';
import { ANY_LABEL_VALUE } from './controller-pod-labels';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { policiesIn, policyTypesOf, predictorPodLabels } from './network-policies';
import { podLabelsOf } from './pods';
import { createsNamespace } from './tree-namespaces';
import { JOB_NAME_LABEL, NAMESPACE_NAME_LABEL } from '../k8s/keys';

/**
 * Kubernetes NetworkPolicy semantics as far as the tree tells them (k8s.io/api networking/v1 types.go;
 * kubernetes.io/docs/concepts/services-networking/network-policies): each verdict is true, false, or undefined where
 * what decides it is not in the tree (a namespace's labels, a pod's address), with why.
 */
export interface Judged {
  readonly v: boolean | undefined;
  readonly why?: string;
}

const YES: Judged = { v: true };
const NO: Judged = { v: false };

/** All must hold: one false decides, else one unknown leaves it unknown. */
function all(list: readonly Judged[]): Judged {
  return list.find((j) => j.v === false) ?? list.find((j) => j.v === undefined) ?? YES;
}

/** One must hold: one true decides, else one unknown leaves it unknown. */
function any(list: readonly Judged[]): Judged {
  return list.find((j) => j.v === true) ?? list.find((j) => j.v === undefined) ?? NO;
}

/** The labels of pods or of a namespace as far as the tree tells them; `open` when others the tree does not show may be set. */
export interface Labels {
  readonly labels: Readonly<Record<string, string>>;
  readonly open: boolean;
}

/** One end of a connection as a policy's peer sees it. */
export interface Side {
  /** What it is, for messages: `Deployment/ns/name`, the OpenShift router. */
  readonly shown: string;
  readonly namespace: string | undefined;
  /** False where the namespace is not known at all (an ingress controller off OpenShift). */
  readonly namespaceKnown: boolean;
  readonly namespaceLabels: Labels;
  readonly pod: Labels;
}

/** The server pod's port a connection reaches (the Service's targetPort), with the pod's container ports where the tree holds them. */
export interface PodPort {
  readonly number?: number;
  readonly name?: string;
  readonly protocol: string;
  readonly containerPorts?: readonly { readonly name?: string; readonly number: number; readonly protocol: string }[];
}

/** One requirement of a selector against labels: a pair of matchLabels, or one of matchExpressions (labels.NewRequirement). */
function requirement(key: string, test: Test, labels: Labels, whose: string): Judged {
  const has = Object.prototype.hasOwnProperty.call(labels.labels, key);
  // Exists and DoesNotExist ask for the key only: a value the controller picks does not matter to them
  if (has && labels.labels[key] === ANY_LABEL_VALUE && test.byValue)
    return { v: undefined, why: `the ${key} label of ${whose} is set per pod by its controller` };
  if (!has && labels.open) return { v: undefined, why: `${whose} may carry a ${key} label the tree does not show` };
  return { v: test.holds(has, has ? labels.labels[key] : undefined) };
}

/** A requirement's test of a label, and whether its value matters (not only whether the key is there). */
interface Test {
  readonly holds: (has: boolean, value: string | undefined) => boolean;
  readonly byValue: boolean;
}

/** An expression's test, or undefined for one that does not compile (an unknown operator, In/NotIn without values). */
function expressionTest(e: Loose): Test | undefined {
  const values = strings(e.values);
  if (e.operator === 'In' && values.length) return { holds: (has, v) => has && values.includes(v ?? ''), byValue: true };
  if (e.operator === 'NotIn' && values.length) return { holds: (has, v) => !has || !values.includes(v ?? ''), byValue: true };
  if (e.operator === 'Exists' && !values.length) return { holds: (has) => has, byValue: false };
  if (e.operator === 'DoesNotExist' && !values.length) return { holds: (has) => !has, byValue: false };
  return undefined;
}

/** Whether a label selector selects labels (matchLabels and matchExpressions ANDed; an empty one selects all). */
export function selects(selector: unknown, labels: Labels, whose: string): Judged {
  if (selector !== undefined && selector !== null && !isMapping(selector)) return { v: undefined, why: 'a selector that does not parse' };
  const s = mapping(selector);
  const pairs = Object.entries(mapping(s.matchLabels)).map(([k, want]) =>
    requirement(k, { holds: (has, v) => has && v === String(want), byValue: true }, labels, whose),
  );
  const expressions = mappings(s.matchExpressions).map((e) => {
    const test = expressionTest(e);
    return test ? requirement(text(e.key) ?? '', test, labels, whose) : { v: undefined, why: 'a matchExpressions entry that does not compile' };
  });
  return all([...pairs, ...expressions]);
}

/**
 * Whether a peer of a rule of a policy in `policyNs` matches a side (NetworkPolicyPeer): an ipBlock is matched against
 * addresses, unknown for pods; a podSelector alone selects pods of the policy's namespace, a namespaceSelector alone
 * every pod of the namespaces it selects, both together the pods it selects in those namespaces.
 */
function peerMatches(peer: Loose, policyNs: string | undefined, side: Side): Judged {
  if (peer.ipBlock != null) return { v: undefined, why: 'an ipBlock peer (pod addresses are not in the tree)' };
  // a selector written null is one left out (the API's nil pointer)
  const byNamespace = peer.namespaceSelector != null;
  const byPod = peer.podSelector != null;
  if (!byNamespace && !byPod) return NO;
  // an object without a namespace goes where it is applied: the policy's namespace or another
  const sameNamespace: Judged =
    side.namespaceKnown && (side.namespace === policyNs || (side.namespace !== undefined && policyNs !== undefined))
      ? { v: side.namespace === policyNs }
      : { v: undefined, why: `the namespace of ${side.shown} is not known` };
  const inNamespace = byNamespace ? selects(peer.namespaceSelector, side.namespaceLabels, `namespace ${side.namespace ?? '(unknown)'}`) : sameNamespace;
  return all([inNamespace, byPod ? selects(peer.podSelector, side.pod, side.shown) : YES]);
}

/** Whether a rule's port entry (NetworkPolicyPort: protocol TCP by default, a number with endPort, or a name resolved on the server pod's containers) covers the port. */
function portMatches(entry: Loose, port: PodPort): Judged {
  if ((text(entry.protocol) ?? 'TCP') !== port.protocol) return NO;
  if (entry.port === undefined || entry.port === null) return YES;
  const number = typeof entry.port === 'number' ? entry.port : /^\d+$/.test(String(entry.port)) ? Number(entry.port) : undefined;
  if (number !== undefined) {
    if (port.number === undefined) return { v: undefined, why: `the pod port ${port.name ?? ''} is named and the server's containers are not in the tree` };
    const end = typeof entry.endPort === 'number' ? entry.endPort : number;
    return { v: number <= port.number && port.number <= end };
  }
  if (port.name !== undefined && port.name === entry.port) return YES;
  if (!port.containerPorts)
    return { v: undefined, why: `the port name ${String(entry.port)} is resolved on the server's containers, which are not in the tree` };
  const named = port.containerPorts.find((c) => c.name === entry.port && c.protocol === port.protocol);
  if (!named) return NO;
  return port.number !== undefined ? { v: named.number === port.number } : { v: undefined, why: `the pod port ${port.name ?? ''} is not resolved` };
}

/** Whether a rule of a policy admits the side on the port: an empty or missing peer list matches every peer, an empty or missing port list every port. */
function ruleAdmits(rule: Loose, direction: 'Ingress' | 'Egress', policyNs: string | undefined, side: Side, port: PodPort): Judged {
  const peers = mappings(direction === 'Ingress' ? rule.from : rule.to);
  const ports = mappings(rule.ports);
  return all([peers.length ? any(peers.map((p) => peerMatches(p, policyNs, side))) : YES, ports.length ? any(ports.map((p) => portMatches(p, port))) : YES]);
}

/** How the policies of a namespace decide a connection in one direction, where some of them surely isolate the pods. */
export interface PolicyVerdict {
  /** The policies that surely select the pods for the direction. */
  readonly isolating: readonly GraphObject[];
  /** Why a policy may admit the connection after all; none: every policy is known and none admits it. */
  readonly doubts: readonly string[];
}

/**
 * The verdict of the namespace's policies on a connection of pods with `own` labels (the server for Ingress, the
 * client for Egress) with the `peer` side on the server's port: undefined where no policy surely isolates the pods
 * for that direction or one admits the connection (policies are additive: any policy selecting the pod that admits
 * it lets it through).
 */
export function policyVerdict(
  graph: ObjectGraph,
  direction: 'Ingress' | 'Egress',
  ns: string | undefined,
  own: Labels,
  whose: string,
  peer: Side,
  port: PodPort,
): PolicyVerdict | undefined {
  const judged = policiesIn(graph, ns)
    .filter((p) => policyTypesOf(p.manifest).includes(direction))
    .map((p) => {
      const spec = mapping(p.manifest.spec);
      const selected = selects(spec.podSelector ?? {}, own, whose);
      const rules = mappings(direction === 'Ingress' ? spec.ingress : spec.egress);
      return { p, selected, admits: all([selected, any(rules.map((r) => ruleAdmits(r, direction, ns, peer, port)))]) };
    })
    .filter((j) => j.selected.v !== false);
  const isolating = judged.filter((j) => j.selected.v === true).map((j) => j.p);
  if (!isolating.length || judged.some((j) => j.admits.v === true)) return undefined;
  const doubts = judged
    .filter((j) => j.admits.v === undefined)
    .map((j) => `NetworkPolicy '${text(mapping(j.p.manifest.metadata).name) ?? ''}' may admit it (${j.admits.why ?? 'not decided'})`);
  return { isolating, doubts: [...new Set(doubts)] };
}

/**
 * A namespace's labels: kubernetes.io/metadata.name, which the API server sets on every namespace, and those of the
 * Namespace objects of the tree and of Argo CD's managedNamespaceMetadata where an Application creates it
 * (CreateNamespace=true); a namespace the tree does not create may carry others.
 */
export function namespaceLabels(graph: ObjectGraph, ns: string | undefined): Labels {
  if (ns === undefined) return { labels: {}, open: true };
  return graph.once(`network-peers:namespace:${ns}`, () => {
    const declared = graph.findAll('Namespace', ns).map((o) => stringMap(mapping(o.manifest.metadata).labels));
    const managed = graph
      .ofKind('Application')
      .filter((a) => destinationNamespace(a.manifest) === ns && createsNamespace(a.manifest))
      .map((a) => stringMap(mapping(mapping(mapping(a.manifest.spec).syncPolicy).managedNamespaceMetadata).labels));
    const made = [...declared, ...managed];
    return { labels: Object.assign({}, ...made, { [NAMESPACE_NAME_LABEL]: ns }) as Record<string, string>, open: !made.length };
  });
}

/** The label the API server sets on every namespace, its name (kubernetes.io/docs/reference/labels-annotations-taints). */
export { NAMESPACE_NAME_LABEL };

/**
 * The labels the controllers of the built-in workloads add to each pod, their values set per pod: the Deployment's
 * pod-template-hash (pkg/controller/deployment/util DefaultDeploymentUniqueLabelKey), the StatefulSet's and
 * DaemonSet's revision hash and the StatefulSet's pod name and index (pkg/controller/statefulset/stateful_set_utils.go,
 * pkg/controller/daemon), the Job's name and uid labels (pkg/controller/job, batch/v1 types.go JobNameLabel,
 * ControllerUidLabel, JobCompletionIndexAnnotation's label).
 */
const CONTROLLER_KEYS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  ReplicaSet: [],
  Deployment: ['pod-template-hash'],
  StatefulSet: ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  DaemonSet: ['controller-revision-hash', 'pod-template-generation'],
  Job: ['job-name', 'controller-uid', JOB_NAME_LABEL, 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-completion-index'],
  CronJob: ['job-name', 'controller-uid', JOB_NAME_LABEL, 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-completion-index'],
};

/**
 * The labels of a workload's pods: a built-in workload's template labels and its controller's (nothing else); an
 * InferenceService's predictor labels, to which KServe adds others; undefined for kinds whose pods' labels are an
 * operator's.
 */
export function podLabelsOfWorkload(m: Loose): Labels | undefined {
  if (m.kind === 'InferenceService') return { labels: predictorPodLabels(m), open: true };
  const keys = CONTROLLER_KEYS[String(m.kind)];
  if (!keys) return undefined;
  return { labels: { ...stringMap(podLabelsOf(m)), ...Object.fromEntries(keys.map((k) => [k, ANY_LABEL_VALUE])) }, open: false };
}
