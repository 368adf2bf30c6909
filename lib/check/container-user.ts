import { finite, Loose, mapping, mappings, text } from '../manifests/access';
import type { ObjectGraph } from './graph';

/** Who a container runs as, as the kubelet reads its securityContext over its pod's. */
export interface RunAs {
  /** The uid set (runAsUser), and where. */
  readonly uid?: { readonly value: number; readonly from: string };
  /** Where runAsNonRoot: true is set, when it is and no runAsUser is. */
  readonly nonRootFrom?: string;
  /** runAsUser is written but not a number (a template placeholder): not judged. */
  readonly unknown?: true;
}

/**
 * The user of a container: runAsUser and runAsNonRoot of its own securityContext over its pod's (Kubernetes
 * core/v1 SecurityContext: "the value specified in SecurityContext takes precedence").
 */
export function runAsOf(container: Loose, pod: Loose): RunAs {
  const own = mapping(container.securityContext);
  const podCtx = mapping(pod.securityContext);
  const [raw, from] =
    own.runAsUser !== undefined ? [own.runAsUser, "the container's securityContext.runAsUser"] : [podCtx.runAsUser, "the pod's securityContext.runAsUser"];
  if (raw !== undefined) {
    const value = finite(raw);
    return value === undefined ? { unknown: true } : { uid: { value, from } };
  }
  const nonRoot = own.runAsNonRoot ?? podCtx.runAsNonRoot;
  if (nonRoot !== true) return {};
  return { nonRootFrom: own.runAsNonRoot === true ? "the container's securityContext" : "the pod's securityContext" };
}

/**
 * Whether the tree grants any ServiceAccount an OpenShift SecurityContextConstraints (a RoleBinding or
 * ClusterRoleBinding to a system:openshift:scc:* ClusterRole, a Role or ClusterRole allowing `use` of
 * securitycontextconstraints, or an SCC object itself): a pod may then run as the image's user, not restricted-v2's
 * uid of the namespace's range. Which account gets it is not traced: any grant makes the uid unknown.
 */
export function sccGranted(graph: ObjectGraph): boolean {
  if (graph.ofKind('SecurityContextConstraints').length) return true;
  const bound = ['RoleBinding', 'ClusterRoleBinding'].some((k) =>
    graph.ofKind(k).some((b) => /^system:openshift:scc:/.test(text(mapping(b.manifest.roleRef).name) ?? '')),
  );
  const allowed = ['Role', 'ClusterRole'].some((k) =>
    graph.ofKind(k).some((r) => mappings(r.manifest.rules).some((rule) => JSON.stringify(rule.resources ?? []).includes('securitycontextconstraints'))),
  );
  return bound || allowed;
}
