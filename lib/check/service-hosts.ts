/** The in-cluster Service a host names: `name`, `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local` (Kubernetes DNS for Services). */
export function serviceOfHost(
  host: string,
  own: string | undefined,
  namespaces: ReadonlySet<string>,
): { name: string; namespace: string | undefined } | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  const labels = h.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
  const qualified = h !== labels.join('.');
  if (labels.length === 1) return qualified ? undefined : { name: labels[0], namespace: own };
  // a two-label host without .svc is in-cluster only where its second label is a namespace the tree knows (else a domain)
  if (labels.length === 2 && (qualified || namespaces.has(labels[1]))) return { name: labels[0], namespace: labels[1] };
  return undefined;
}
