import { mapping, mappings, text } from '../../manifests/access';
import { containersOf } from '../pods';
import { repositoryObjectsOf } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { namespacesCreated } from '../tree-namespaces';

/** Whether the tree owns the namespace's Services: it creates the namespace, or defines other Services there. */
function ownsNamespace(graph: ObjectGraph, ns: string | undefined): boolean {
  if (ns !== undefined && namespacesCreated(graph).has(ns)) return true;
  return graph.ofKind('Service').some((s) => graph.namespaceOf(s.manifest) === ns);
}

/** The objects of the tree (other than the StatefulSet) whose text addresses one of its pods by the governing Service: `<name>-<ordinal>.<service>`. */
function addressing(graph: ObjectGraph, sts: GraphObject, name: string, service: string): GraphObject[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const address = new RegExp(`(^|[^a-z0-9-])${escape(name)}-\\d+\\.${escape(service)}([^a-z0-9-]|$)`);
  return graph.objects.filter((o) => o !== sts && address.test(JSON.stringify(o.manifest)));
}

export const statefulsetServiceNotFound: Rule = {
  id: 'statefulset-service-not-found',
  title: "a StatefulSet's spec.serviceName names no Service of the tree: its pods get no DNS names, so <pod>.<service> addresses do not resolve",
  severity: 'error',
  appliesTo: ['StatefulSet'],
  premise:
    "an apps/v1 StatefulSet's spec.serviceName names the governing Service, a headless Service whose DNS records give each pod its name <pod>.<service>.<namespace>.svc; the StatefulSet controller does not make it. " +
    'Where no Service of that name is in the tree or its repository (outside the checked folder) in the namespace the StatefulSet lands in, while the tree owns that namespace (creates it, or defines other Services there): ' +
    'an error where another object of the tree addresses a pod as <statefulset>-<ordinal>.<service> (that name never resolves), else a warning where its containers declare ports (the Service may be made outside the tree); pods that declare no port and that nothing addresses are not judged',
  example: 'a StatefulSet `serviceName: engine-headless` whose namespace holds only Service `engine`',
  fix: 'add a headless Service (clusterIP: None) of that name selecting the pods, or set serviceName to the Service that does',
  source:
    "Kubernetes docs, StatefulSets: Stable Network ID (the headless Service named by serviceName is responsible for the pods' network identity, and must be created by the user) and DNS for Services and Pods (a pod of a headless Service with a subdomain gets <hostname>.<subdomain>.<namespace>.svc); kubernetes pkg/controller/statefulset stateful_set_utils.go (the pod hostname and subdomain come from the StatefulSet name and serviceName)",
  check(o, { graph }) {
    if (o.manifest.apiVersion !== 'apps/v1') return [];
    const service = text(mapping(o.manifest.spec).serviceName);
    const name = text(mapping(o.manifest.metadata).name);
    if (!service || !name) return [];
    const ns = graph.namespaceOf(o.manifest);
    const inTree = graph.ofKind('Service').some((s) => text(mapping(s.manifest.metadata).name) === service && graph.namespaceOf(s.manifest) === ns);
    if (inTree || !ownsNamespace(graph, ns)) return [];
    if (repositoryObjectsOf(graph).some((r) => r.kind === 'Service' && r.name === service && (r.namespace === undefined || r.namespace === ns))) return [];
    const users = addressing(graph, o, name, service);
    // pods that declare no port and that nothing addresses by name lose nothing without their DNS names
    if (!users.length && !containersOf(o.manifest).some((c) => mappings(c.container.ports).length > 0)) return [];
    const where = ns ? `namespace '${ns}'` : 'its namespace';
    const shown = graph
      .ofKind('Service')
      .filter((s) => graph.namespaceOf(s.manifest) === ns)
      .map((s) => text(mapping(s.manifest.metadata).name))
      .slice(0, 4)
      .join(', ');
    const has = shown ? ` (it holds ${shown})` : '';
    const problem: Problem = users.length
      ? {
          message: `spec.serviceName '${service}' names no Service of the tree in ${where}${has}, and ${users.map((u) => graph.id(u)).join(', ')} addresses the pods as ${name}-<ordinal>.${service}: without the governing headless Service those names never resolve, so the connection fails; add a headless Service '${service}' (clusterIP: None) selecting the pods, or set serviceName to the Service that does`,
        }
      : {
          severity: 'warning',
          message: `spec.serviceName '${service}' names no Service of the tree in ${where}${has}: the pods get no DNS names ${name}-<ordinal>.${service} until a headless Service of that name exists (the StatefulSet controller does not make it); add one (clusterIP: None) selecting the pods, or set serviceName to the Service that does`,
        };
    return [problem];
  },
};
