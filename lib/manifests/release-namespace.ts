import { isMapping, mapping, text } from './access';
import { isClusterScoped } from './scope';

/**
 * Whether a kind of a rendered chart is cluster-scoped: a Kubernetes kind of that scope, a custom kind a CRD of the
 * input or the render declares `scope: Cluster`, or one named `Cluster…` (ClusterIssuer, ClusterPolicy), whose CRD the
 * input may not hold.
 */
function clusterKind(kind: string, crds: readonly unknown[]): boolean {
  if (isClusterScoped(kind) || /^Cluster[A-Z]/.test(kind)) return true;
  return crds.some((c) => {
    const spec = mapping(mapping(c).spec);
    return text(mapping(spec.names).kind) === kind && text(spec.scope) === 'Cluster';
  });
}

/**
 * A chart's rendered objects as an install places them: each namespaced object without metadata.namespace in the
 * release namespace (helm pkg/kube/client.go newBuilder: NamespaceParam(release namespace).DefaultNamespace(), which
 * sets it on every namespaced resource that names none; Argo CD sets spec.destination.namespace the same way,
 * gitops-engine pkg/sync/sync_context.go). Cluster-scoped kinds keep none. The manifests are copied, never changed.
 */
export function inReleaseNamespace<T extends { manifest: unknown }>(objects: readonly T[], namespace: string | undefined, crds: readonly unknown[] = []): T[] {
  if (!namespace) return [...objects];
  const allCrds = [...crds, ...objects.map((o) => o.manifest).filter((m) => isMapping(m) && m.kind === 'CustomResourceDefinition')];
  return objects.map((o) => {
    const m = o.manifest;
    if (!isMapping(m) || typeof m.kind !== 'string' || clusterKind(m.kind, allCrds)) return o;
    const meta = mapping(m.metadata);
    if (text(meta.namespace) || !isMapping(m.metadata)) return o;
    return { ...o, manifest: { ...m, metadata: { ...meta, namespace } } };
  });
}
