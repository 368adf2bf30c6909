import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { ANY_KIND, Problem, Rule } from '../rule';
import { PLATFORM_NAMESPACE } from '../platform-namespaces';
import { isCustomResource } from '../credentials/object-fields';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { podReferences } from '../pod-references';
import { podSpecOf } from '../pods';

/** A platform component that reads objects of one kind and label from one namespace it names in its code. */
interface FixedReader {
  readonly namespace: string;
  readonly kind: string;
  /** The label the reader selects on, and the value it asks for. */
  readonly label: string;
  readonly value: string;
  readonly reader: string;
}

/**
 * Readers whose namespace is fixed in their source, so that an object moved out of it is certainly unread. The
 * OpenShift console lists its monitoring dashboards as the ConfigMaps of openshift-config-managed labelled
 * console.openshift.io/dashboard=true (openshift/console frontend monitoring dashboards page: k8sList(ConfigMapModel,
 * {ns: 'openshift-config-managed', labelSelector: {'console.openshift.io/dashboard': 'true'}}), and the developer
 * perspective's by console.openshift.io/odc-dashboard=true in the same namespace (operators such as the ingress
 * operator and network observability write theirs there for that reason).
 */
const FIXED_READERS: readonly FixedReader[] = [
  {
    namespace: 'openshift-config-managed',
    kind: 'ConfigMap',
    label: 'console.openshift.io/dashboard',
    value: 'true',
    reader: "the OpenShift console's Observe > Dashboards",
  },
  {
    namespace: 'openshift-config-managed',
    kind: 'ConfigMap',
    label: 'console.openshift.io/odc-dashboard',
    value: 'true',
    reader: "the OpenShift console's developer Observe dashboards",
  },
];

/** The reader that looks for this object only in `from`, when one is known. */
function fixedReaderOf(m: Loose, from: string): FixedReader | undefined {
  const labels = stringMap(mapping(m.metadata).labels);
  return FIXED_READERS.find((r) => r.namespace === from && r.kind === m.kind && labels[r.label] === r.value);
}

/** The ConfigMaps and Secrets the pods of the input read, as `namespace/Kind/name`: the tree's own, wherever they land. */
function readByPods(graph: ObjectGraph): Set<string> {
  return graph.once('namespace-moved-pod-reads', () => {
    const out = new Set<string>();
    for (const o of graph.objects) {
      if (!podSpecOf(o.manifest)) continue;
      const ns = text(mapping(o.manifest.metadata).namespace) ?? '';
      for (const r of podReferences(o.manifest)) out.add(`${ns}/${r.kind}/${r.name}`);
    }
    return out;
  });
}

/**
 * Whether a platform component may read the object by its namespace: a ConfigMap or Secret none of the input's pods
 * reads (an operator's settings, looked up by name in its namespace: rook-ceph-operator-config,
 * cluster-monitoring-config), or a custom resource (an operator's configuration or instance, watched in its
 * namespace). Workloads, their ServiceAccounts, RBAC, Services and the ConfigMaps their pods mount are the tree's own,
 * and run wherever they land.
 */
function platformRead(o: GraphObject, graph: ObjectGraph): boolean {
  const kind = String(o.manifest.kind);
  if (kind === 'ConfigMap' || kind === 'Secret')
    return !readByPods(graph).has(`${text(mapping(o.manifest.metadata).namespace) ?? ''}/${kind}/${text(mapping(o.manifest.metadata).name) ?? ''}`);
  return isCustomResource(text(o.manifest.apiVersion) ?? '');
}

/**
 * Whether the object is an OLM Subscription moved into a namespace where the tree gives it an OperatorGroup: OLM's
 * catalog operator resolves Subscriptions in every namespace, and installs the operator where one OperatorGroup says
 * which namespaces it serves (operator-lifecycle-manager pkg/controller/operators/olm: a CSV without an OperatorGroup
 * in its namespace fails "no operator group found"); a Subscription moved with its OperatorGroup is an install in
 * that namespace, as Red Hat documents openshift-gitops-operator for OpenShift GitOps 1.10 and later.
 */
function subscriptionWithGroup(o: GraphObject, graph: ObjectGraph, to: string): boolean {
  if (o.manifest.kind !== 'Subscription' || !String(o.manifest.apiVersion ?? '').startsWith('operators.coreos.com/')) return false;
  return graph.ofKind('OperatorGroup').some((g) => graph.namespaceOf(g.manifest) === to);
}

export const namespaceMovedFromPlatform: Rule = {
  id: 'namespace-moved-from-platform',
  title:
    "a kustomization's namespace: moves an object written for a platform namespace (openshift-*, kube-*, redhat-ods-*) into another, where the component that reads it never looks",
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "the object's own file names a namespace that platform components own (kube-*, openshift-*, redhat-ods-*, opendatahub, the GPU operators'), and a kustomization that builds it sets namespace:, which kustomize's namespace transformer writes over every namespaced object; " +
    "only objects a platform component reads by namespace are judged: a ConfigMap or Secret no pod of the input reads, and custom resources (not the tree's workloads, ServiceAccounts, RBAC, Services, nor the ConfigMaps its pods mount, which run wherever they land); " +
    'not judged: an OLM Subscription moved into a namespace where the tree gives it an OperatorGroup (OLM resolves Subscriptions in every namespace and installs where an OperatorGroup is: the move is an install there, such as OpenShift GitOps in openshift-gitops-operator); moved without one, the warning stays; ' +
    'an error where the component that reads it looks only in that namespace, by its own code: a ConfigMap labelled console.openshift.io/dashboard=true (or odc-dashboard) moved out of openshift-config-managed, which the OpenShift console lists its dashboards from; a warning for other platform namespaces, whose readers are not known here',
  example: 'a ConfigMap `rook-ceph-operator-config` written with `namespace: openshift-storage`, built by a kustomization with `namespace: ic-shared-llm`',
  fix: 'deliver the object from a kustomization without namespace: (a sibling folder the Application or a parent kustomization includes), or drop namespace: and give each object its namespace',
  source:
    "kustomize api/filters/namespace (NamespaceTransformer, builtin namespace.go): the kustomization's namespace replaces every namespaced object's, whatever its file gave (unsetOnly only in a NamespaceTransformer of transformers:); openshift/console monitoring dashboards page (ConfigMaps of openshift-config-managed labelled console.openshift.io/dashboard: 'true'); operator-lifecycle-manager pkg/controller/operators/olm (a CSV needs an OperatorGroup in its namespace: \"no operator group found\"); Red Hat OpenShift GitOps 1.10+ installation docs (the operator in openshift-gitops-operator)",
  check(o, { graph }) {
    const from = o.movedFrom;
    if (!from || !PLATFORM_NAMESPACE.test(from) || !platformRead(o, graph)) return [];
    const to = text(mapping(o.manifest.metadata).namespace) ?? '';
    if (subscriptionWithGroup(o, graph, to)) return [];
    const moved = `its file puts it in namespace '${from}', but a kustomization's namespace: moves it to '${to}'`;
    const fix = 'deliver it from a kustomization without namespace:';
    const reader = fixedReaderOf(o.manifest, from);
    if (reader)
      return [
        {
          severity: 'error',
          message: `${moved}: ${reader.reader} reads ${reader.kind}s labelled ${reader.label}=${reader.value} only from '${reader.namespace}', so it never shows this one; ${fix}`,
        } satisfies Problem,
      ];
    return [{ message: `${moved}: whatever reads it in '${from}' (the platform component that owns that namespace) never sees it; ${fix}` }];
  },
};
