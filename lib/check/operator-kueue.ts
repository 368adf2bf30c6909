import { Platform } from './platform';

/**
 * The Kueue objects the OpenShift AI operator creates when missing (create-if-missing, never modified; re-created if
 * deleted) while its Kueue component is not Removed: ResourceFlavor default-flavor, nvidia-gpu-flavor / amd-gpu-flavor
 * where nodes expose those GPUs, ClusterQueue default, and LocalQueue default → ClusterQueue default in every
 * Kueue-managed namespace (opendatahub-operator internal/controller/components/kueue/kueue_controller_actions.go
 * manageDefaultKueueResourcesAction, kueue_support.go DefaultFlavorName; the queue names are DataScienceCluster
 * kueue.defaultClusterQueueName / defaultLocalQueueName, `default` unless set).
 */
export const OPERATOR_KUEUE = {
  ResourceFlavor: ['default-flavor', 'nvidia-gpu-flavor', 'amd-gpu-flavor'],
  ClusterQueue: ['default'],
  LocalQueue: ['default'],
} as const;

export type OperatorKueueKind = keyof typeof OPERATOR_KUEUE;

/**
 * Whether the operator of the platform creates its Kueue objects: `always` on OpenShift AI 3.0–3.4 (opendatahub-operator
 * 3.0–3.4 create them unconditionally; 3.5 only with DataScienceCluster kueue.autoCreateQueues: true), `recent` on
 * OpenShift AI 2.x (from opendatahub-operator 2.32, July 2025, on; earlier 2.x releases create none), `never` on
 * upstream KServe.
 */
export function operatorCreatesKueue(platform: Platform): 'always' | 'recent' | 'never' {
  if (platform === 'kserve') return 'never';
  return platform === 'rhoai-2' ? 'recent' : 'always';
}

/** Whether the platform's operator creates a Kueue object of that kind and name (`never` for a name it does not use). */
export function operatorCreated(platform: Platform, kind: OperatorKueueKind, name: string): 'always' | 'recent' | 'never' {
  return (OPERATOR_KUEUE[kind] as readonly string[]).includes(name) ? operatorCreatesKueue(platform) : 'never';
}

/** What a message says of an object the operator creates only in recent OpenShift AI 2.x releases. */
export function recentOperatorNote(kind: OperatorKueueKind, name: string): string {
  return `${kind} '${name}' exists only where OpenShift AI's operator creates it: opendatahub-operator 2.32 (July 2025) and later with the Kueue component enabled; earlier 2.x releases create none`;
}
