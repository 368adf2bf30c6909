/** The newest Kueue tag whose API types were read for the list below. */
export const KUEUE_NEWEST_READ = 'v0.19.2';

/** Fields of scheduling.k8s.io PriorityClass that a WorkloadPriorityClass, modelled on it, does not copy. */
const FROM_PRIORITY_CLASS =
  "is a field of the scheduling.k8s.io PriorityClass, not of Kueue's WorkloadPriorityClass, which has only value and description: no WorkloadPriorityClass is a default, and who may preempt is set in the ClusterQueue's spec.preemption";

/**
 * Fields often written on Kueue objects that no Kueue release has, from v0.1 up to KUEUE_NEWEST_READ (kubernetes-sigs/kueue
 * apis/kueue/v1beta1 and v1beta2 clusterqueue_types.go, localqueue_types.go, workloadpriorityclass_types.go, workload_types.go at every
 * minor tag and on main as of August 2026; config/components/crd/bases of v0.19.2: ClusterQueueSpec and LocalQueueSpec
 * have no description, WorkloadPriorityClass has value and description only). Where the judged Kueue release is only
 * assumed, an unknown field may be a newer release's; these are not, up to that tag. The value says why, where known.
 */
const ABSENT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ClusterQueue: { 'spec.description': '' },
  LocalQueue: { 'spec.description': '' },
  WorkloadPriorityClass: { globalDefault: FROM_PRIORITY_CLASS, preemptionPolicy: FROM_PRIORITY_CLASS },
  // a list item's field is keyed with [] for any index
  Workload: { 'spec.podSets[].replicas': "is not a field of a Workload's pod set: the number of its pods is count (and minCount for partial admission)" },
};

/** Why no Kueue release up to KUEUE_NEWEST_READ has a field of a kind (a sentence, perhaps empty); undefined when one may. */
export function absentFromKueue(kind: string, field: string): string | undefined {
  return ABSENT[kind]?.[field.replace(/\[\d+\]/g, '[]')];
}

/** The listed fields an object of a kind writes (a dotted path from the object's top, as field-unknown names it). */
export function absentFieldsIn(kind: string, manifest: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(ABSENT[kind] ?? {}).filter((field) => {
    let v: unknown = manifest;
    for (const key of field.split('.')) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
    return v !== undefined;
  });
}
