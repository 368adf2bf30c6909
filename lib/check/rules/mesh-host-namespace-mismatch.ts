import { mappings, mapping, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { Problem, Rule } from '../rule';

/** A destination host written as a Service's cluster name: `name.namespace.svc` or `name.namespace.svc.cluster.local`. */
const SERVICE_FQDN = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;

/** The route lists of a VirtualService (networking.istio.io VirtualService: http, tcp, tls, each with route[].destination). */
const ROUTE_LISTS = ['http', 'tcp', 'tls'] as const;

export const meshHostNamespaceMismatch: Rule = {
  id: 'mesh-host-namespace-mismatch',
  title: "an Istio VirtualService routes to a Service's cluster name in a namespace the tree's Service of that name does not land in: the route has no backend",
  severity: 'warning',
  appliesTo: ['VirtualService'],
  premise:
    "an Istio VirtualService's http, tcp or tls route sends to a destination host written as `name.namespace.svc` (or `.svc.cluster.local`), the tree holds a Service of that name, and none of the tree's Services of that name lands in that namespace: each either names another, or names none and no kustomization or delivery gives it one (it lands where it is applied, which the files do not pin). A warning: applied to that namespace by hand, it is served",
  example: "a VirtualService with `host: vllm-leader.vllm.svc.cluster.local` while the tree's Service vllm-leader carries no namespace",
  fix: 'give the Service (or its kustomization) the namespace the host names, or write the host for the namespace the Service lands in (its short name when the VirtualService is applied beside it)',
  source:
    'Istio networking/v1 VirtualService Destination.host (a host is looked up in the service registry; a fully qualified name names its namespace) and Envoy: a route to a host the registry lacks has no cluster and answers 503 (NR/no healthy upstream)',
  check(o, { graph }) {
    if (apiGroupOf(o.manifest.apiVersion) !== 'networking.istio.io') return [];
    const spec = mapping(o.manifest.spec);
    const out: Problem[] = [];
    for (const list of ROUTE_LISTS) {
      mappings(spec[list]).forEach((r, i) =>
        mappings(r.route).forEach((d, j) => {
          const host = text(mapping(d.destination).host) ?? '';
          const m = SERVICE_FQDN.exec(host);
          if (!m) return;
          const [name, namespace] = [m[1], m[3]];
          const services = graph.ofKind('Service').filter((s) => text(mapping(s.manifest.metadata).name) === name);
          if (!services.length) return;
          const lands = services.map((s) => graph.namespaceOf(s.manifest));
          if (lands.includes(namespace)) return;
          const where = lands.map((n) => (n ? `lands in '${n}'` : 'carries no namespace (it lands where it is applied)')).join(', ');
          out.push({
            message:
              `spec.${list}[${i}].route[${j}].destination.host '${host}' names Service ${name} in namespace '${namespace}', but the tree's Service ${name} ${where}: ` +
              `unless it is applied to '${namespace}', the mesh has no such host and the route answers 503; give the Service namespace '${namespace}' or write the host of the namespace it lands in`,
          });
        }),
      );
    }
    return out;
  },
};
