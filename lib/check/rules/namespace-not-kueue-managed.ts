import { mapping, stringMap } from '../../manifests/access';
import { ObjectGraph, WORKLOAD_KINDS } from '../graph';
import { Rule } from '../rule';
import { QUEUE_LABEL } from '../../k8s/keys';

/** The label Red Hat build of Kueue selects managed namespaces by, and the legacy one the OpenShift AI operator honours. */
export const KUEUE_MANAGED_LABELS = ['kueue.openshift.io/managed', 'kueue-managed'];

/** Whether the tree's Namespace of that name is labelled Kueue-managed. */
export function kueueManaged(graph: ObjectGraph, ns: string | undefined): boolean {
  const namespace = ns === undefined ? undefined : graph.find('Namespace', ns);
  const labels = stringMap(mapping(namespace?.manifest.metadata).labels);
  return KUEUE_MANAGED_LABELS.some((l) => labels[l] === 'true');
}

export const namespaceNotKueueManaged: Rule = {
  id: 'namespace-not-kueue-managed',
  title: 'workloads carry a queue label in a Namespace of the tree that lacks kueue.openshift.io/managed=true (Kueue ignores them, quotas are not enforced)',
  severity: 'warning',
  appliesTo: ['Namespace'],
  premise: 'the Namespace is in the tree and workloads of the tree in it carry a queue label',
  example: "a Namespace with only `opendatahub.io/dashboard: 'true'` and an InferenceService with `kueue.x-k8s.io/queue-name: default`",
  fix: 'label the Namespace kueue.openshift.io/managed: "true"',
  source: 'Red Hat build of Kueue manages only labelled namespaces (OpenShift "AI workloads", Labeling namespaces)',
  check(o, { graph }) {
    const labels = stringMap(mapping(o.manifest.metadata).labels);
    if (KUEUE_MANAGED_LABELS.some((l) => labels[l] === 'true')) return [];
    const name = mapping(o.manifest.metadata).name;
    const queued = WORKLOAD_KINDS.flatMap((k) => graph.ofKind(k)).filter(
      (w) => graph.namespaceOf(w.manifest) === name && stringMap(mapping(w.manifest.metadata).labels)[QUEUE_LABEL],
    );
    if (!queued.length) return [];
    return [
      {
        message: `${queued.length} workload(s) here carry ${QUEUE_LABEL} but the Namespace lacks the label kueue.openshift.io/managed: "true"; Red Hat build of Kueue ignores them, so GPU quota is not enforced: add the label`,
      },
    ];
  },
};
