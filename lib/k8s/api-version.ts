/**
 * The group and version of an apiVersion, split as apimachinery's schema.ParseGroupVersion splits it: `v1` is the
 * core group's (`''`), `apps/v1` is group `apps`, version `v1`. A value that is no string has neither.
 */
export function groupVersionOf(apiVersion: unknown): { readonly group: string; readonly version: string } {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  const cut = v.lastIndexOf('/');
  return cut < 0 ? { group: '', version: v } : { group: v.slice(0, cut), version: v.slice(cut + 1) };
}

/** The API group of an apiVersion (`''` for the core group), as RBAC rules and Argo CD's resource lists name it. */
export function apiGroupOf(apiVersion: unknown): string {
  return groupVersionOf(apiVersion).group;
}

/**
 * Whether the apiVersion is of Kubernetes' own API groups (core, apps, batch, policy, autoscaling, *.k8s.io), whose
 * kinds other than the workloads make no pods: a group without a dot or one under k8s.io.
 */
export function builtInGroup(apiVersion: unknown): boolean {
  const group = apiGroupOf(apiVersion);
  return !group.includes('.') || group.endsWith('.k8s.io');
}
