import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * What the tree's RBAC grants a ServiceAccount: the rules of every Role and ClusterRole bound to it by a RoleBinding
 * or ClusterRoleBinding of the tree (as a ServiceAccount subject, or through the groups every account is in:
 * system:serviceaccounts, system:serviceaccounts:<namespace>, system:authenticated). Where a binding names a role the
 * tree does not hold, or an aggregated ClusterRole, what it grants is unknown.
 */
export interface AccountGrants {
  /** The roles bound, with their rules. */
  readonly roles: readonly { readonly role: GraphObject; readonly rules: readonly Loose[] }[];
  /** A binding names a role the tree does not show (a built-in, another install's) or an aggregated one. */
  readonly unknown: boolean;
}

function subjectMatches(s: Loose, binding: GraphObject, graph: ObjectGraph, account: string, ns: string | undefined): boolean {
  const kind = text(s.kind);
  const name = text(s.name);
  if (kind === 'Group')
    return name === 'system:serviceaccounts' || name === 'system:authenticated' || (ns !== undefined && name === `system:serviceaccounts:${ns}`);
  if (kind !== 'ServiceAccount' || name !== account) return false;
  const subjectNs = text(s.namespace) ?? (binding.manifest.kind === 'RoleBinding' ? graph.namespaceOf(binding.manifest) : undefined);
  return subjectNs === undefined || ns === undefined || subjectNs === ns;
}

/** The Role or ClusterRole a binding binds, where the tree holds it. */
export function roleOf(graph: ObjectGraph, binding: GraphObject): GraphObject | undefined {
  const ref = mapping(binding.manifest.roleRef);
  const name = text(ref.name);
  if (ref.kind === 'ClusterRole') return graph.ofKind('ClusterRole').find((r) => text(mapping(r.manifest.metadata).name) === name);
  const ns = graph.namespaceOf(binding.manifest);
  return graph.ofKind('Role').find((r) => text(mapping(r.manifest.metadata).name) === name && graph.namespaceOf(r.manifest) === ns);
}

/** What the tree grants the account of the namespace (undefined: wherever the tree is applied). */
export function accountGrants(graph: ObjectGraph, account: string, ns: string | undefined): AccountGrants {
  const bindings = ['RoleBinding', 'ClusterRoleBinding']
    .flatMap((k) => graph.ofKind(k))
    .filter((b) => mappings(b.manifest.subjects).some((s) => subjectMatches(s, b, graph, account, ns)));
  const roles = bindings.map((b) => roleOf(graph, b));
  const unknown = roles.some((r) => !r || r.manifest.aggregationRule !== undefined);
  return {
    roles: roles.filter((r): r is GraphObject => !!r).map((role) => ({ role, rules: mappings(role.manifest.rules) })),
    unknown,
  };
}

/** Whether a rule grants the verbs on the resource of the group (`*` counts for any). */
export function ruleGrants(rule: Loose, group: string, resource: string, verbs: readonly string[]): boolean {
  const has = (list: readonly string[], want: string) => list.includes(want) || list.includes('*');
  return has(strings(rule.apiGroups), group) && has(strings(rule.resources), resource) && verbs.every((v) => has(strings(rule.verbs), v));
}

/** Whether a rule names the resource at all, in any group. */
export function ruleNames(rule: Loose, resource: string): boolean {
  return strings(rule.resources).includes(resource);
}
