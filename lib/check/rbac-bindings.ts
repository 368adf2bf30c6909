import { mapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** The bindings of the tree that give the role: a RoleBinding of its namespace for a Role, any binding for a ClusterRole. */
export function bindingsOf(role: GraphObject, graph: ObjectGraph): string[] {
  const kind = role.manifest.kind;
  const name = text(mapping(role.manifest.metadata).name);
  const ns = graph.namespaceOf(role.manifest);
  return ['RoleBinding', 'ClusterRoleBinding']
    .flatMap((k) => graph.ofKind(k))
    .filter((b) => {
      const ref = mapping(b.manifest.roleRef);
      return ref.kind === kind && text(ref.name) === name && (kind === 'ClusterRole' || graph.namespaceOf(b.manifest) === ns);
    })
    .map((b) => `${String(b.manifest.kind)} '${text(mapping(b.manifest.metadata).name) ?? ''}'`);
}
