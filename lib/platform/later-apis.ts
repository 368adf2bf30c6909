import { groupVersionOf } from '../k8s/api-version';

/** A built-in API version that Kubernetes releases newer than those the tool judges serve, and how they serve it. */
export interface LaterBuiltInApi {
  readonly kinds: readonly string[];
  /** The first Kubernetes release that serves it. */
  readonly since: string;
  /** The feature gate the API server must enable, where the version is alpha (alpha versions are also off in --runtime-config by default). */
  readonly gate?: string;
}

/**
 * Built-in API versions newer than the Kubernetes releases the tool's tables hold (schemas/k8s/k8s-served-apis.json):
 * Workload-Aware Scheduling's Workload came in scheduling.k8s.io/v1alpha1 in Kubernetes 1.35 (KEP-4671, feature gate
 * GenericWorkload, alpha, off by default: kubernetes/kubernetes pkg/features/kube_features.go), and 1.36 added
 * scheduling.k8s.io/v1alpha2 with Workload and PodGroup (KEP-5832; staging/src/k8s.io/api/scheduling/v1alpha2/register.go
 * addKnownTypes), served only where the API server enables the gate (pkg/controlplane/apiserver: GenericWorkload
 * guards the workloads and podgroups resources).
 */
export const LATER_BUILT_IN_APIS: Readonly<Record<string, LaterBuiltInApi>> = {
  'scheduling.k8s.io/v1alpha1': { kinds: ['Workload'], since: '1.35', gate: 'GenericWorkload' },
  'scheduling.k8s.io/v1alpha2': { kinds: ['Workload', 'PodGroup'], since: '1.36', gate: 'GenericWorkload' },
};

/** The later built-in API that serves a kind at the version written, if any. */
export function laterBuiltInApi(apiVersion: string, kind: string): LaterBuiltInApi | undefined {
  const api = LATER_BUILT_IN_APIS[apiVersion];
  return api?.kinds.includes(kind) ? api : undefined;
}

/** The later built-in API versions of a group that serve a kind: `scheduling.k8s.io/v1alpha2` for PodGroup. */
export function laterBuiltInVersions(group: string, kind: string): string[] {
  return Object.entries(LATER_BUILT_IN_APIS)
    .filter(([apiVersion, api]) => groupVersionOf(apiVersion).group === group && api.kinds.includes(kind))
    .map(([apiVersion]) => apiVersion);
}
