import { mapping, text } from '../../manifests/access';
import { REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject, locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { meantCandidate, NamedCandidate, objectCandidates } from '../near-names';
import { LLM_CHILDREN, llmChildOf } from '../llm-children';
import { PLATFORMS } from '../platform';
import { CheckContext, Problem, Rule } from '../rule';
import { judgedNamespace } from '../tree-namespaces';

/**
 * ClusterRoles every cluster has (Kubernetes "Default roles and role bindings": the user-facing roles and the
 * `system:` ones the API server bootstraps): a binding to them names nothing the tree should hold.
 */
const DEFAULT_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/** The roles of a kind the tree holds in a namespace (a ClusterRole: the cluster's), as did-you-mean candidates. */
function rolesOf(graph: ObjectGraph, kind: string, ns: string | undefined): NamedCandidate[] {
  return objectCandidates(graph.ofKind(kind).filter((r) => kind === 'ClusterRole' || graph.namespaceOf(r.manifest) === ns));
}

/** ` (file:line)` where the tree declares it, or ''. */
const at = (c: NamedCandidate) => (c.where ? ` (${c.where})` : '');

/**
 * Whether a controller makes the Role for an LLMInferenceService of the namespace (LLM_CHILDREN: odh-model-controller's
 * <service>-model-post-access for the MaaS tiers annotation) on a platform the tree may run on: on the one judged, or,
 * where it is assumed, on any candidate (the Role's absence would then rest on the guess).
 */
function llmServiceRole(ctx: CheckContext, name: string, ns: string): boolean {
  const services = ctx.graph.ofKind('LLMInferenceService').filter((s) => ctx.graph.namespaceOf(s.manifest) === ns);
  const platforms = ctx.platformAssumed ? (ctx.platformCandidates ?? PLATFORMS) : [ctx.platform];
  return (
    llmChildOf(
      services.map((s) => s.manifest),
      'Role',
      name,
      platforms,
    ) !== undefined
  );
}

/** A RoleBinding's roleRef to a Role of its namespace that the tree does not hold. */
function missingRole(o: GraphObject, ctx: CheckContext, name: string): Problem | undefined {
  const { graph } = ctx;
  const ns = graph.namespaceOf(o.manifest);
  if (!ns || graph.find('Role', name, ns) || graph.scriptCreating('Role', name, ns) || llmServiceRole(ctx, name, ns)) return undefined;
  const meant = meantCandidate(name, rolesOf(graph, 'Role', ns), { words: true });
  const cluster = graph.find('ClusterRole', name);
  const judged = judgedNamespace(graph, o);
  if (!judged && !meant && !cluster) return undefined;
  const hint = meant
    ? `the tree's Role of a near name there is '${meant.name}'${at(meant)}: name it in roleRef.name`
    : cluster
      ? `the tree holds a ClusterRole '${name}'${at({ name, where: locationOf(cluster) })}: set roleRef.kind: ClusterRole`
      : `add Role '${name}' to namespace '${ns}' in the tree, or name a Role it holds there`;
  const grantsNothing = `the RBAC authorizer looks the Role up in the binding's namespace, finds none, and the binding grants its subjects nothing (their requests are refused as forbidden)`;
  return judged
    ? {
        message: `roleRef names Role '${name}', and the tree, which creates namespace '${ns}' (${judged.how}), holds no Role of that name there: ${grantsNothing}; ${hint}`,
      }
    : {
        severity: 'warning',
        message: `roleRef names Role '${name}', which the tree does not hold in namespace '${ns}'; unless it is made there outside the tree, ${grantsNothing}; ${hint}`,
      };
}

/** A roleRef to a ClusterRole the tree does not hold, where the tree holds one of a near name (others may be the platform's). */
function missingClusterRole(graph: ObjectGraph, name: string): Problem | undefined {
  if (DEFAULT_CLUSTER_ROLES.has(name) || name.startsWith('system:') || graph.find('ClusterRole', name) || graph.scriptCreating('ClusterRole', name))
    return undefined;
  const meant = meantCandidate(name, rolesOf(graph, 'ClusterRole', undefined), { words: true });
  if (!meant) return undefined;
  return {
    severity: 'warning',
    message:
      `roleRef names ClusterRole '${name}', which the tree does not hold, while it holds ClusterRole '${meant.name}'${at(meant)}; ` +
      `unless '${name}' is made outside the tree (a platform's or an operator's role), the RBAC authorizer finds no such ClusterRole and the binding grants its subjects nothing: name '${meant.name}' in roleRef.name`,
  };
}

/** The source of the Roles controllers make for an LLMInferenceService. */
const LLM_ROLE_SOURCE = LLM_CHILDREN.filter((c) => c.kind === 'Role')
  .map((c) => c.source)
  .join('; ');

export const roleRefNotFound: Rule = {
  id: 'role-ref-not-found',
  title: "a binding's roleRef names a Role or ClusterRole the tree does not hold, beside one of a near name: the binding grants nothing",
  severity: 'error',
  appliesTo: ['RoleBinding', 'ClusterRoleBinding'],
  premise:
    "a RoleBinding's roleRef of kind Role names no Role of the tree in the binding's namespace: an error where the tree creates that namespace and every Application syncing into it shows what it syncs (nothing else makes Roles there), " +
    'else a warning, only where the tree holds a Role of a near name in that namespace (one or two edits, case and separators aside, or one word left out or added) or a ClusterRole of the very name (roleRef.kind written wrongly); ' +
    "a roleRef of kind ClusterRole that names no ClusterRole of the tree is a warning only where the tree holds one of a near name (the default roles cluster-admin, admin, edit, view, the system: roles and an operator's roles exist outside any tree); " +
    "a role a script of the tree creates is not judged, nor one a controller makes for an LLMInferenceService of the namespace: odh-model-controller's Role <service>-model-post-access for a service annotated alpha.maas.opendatahub.io/tiers, on OpenShift AI 3.0–3.3 (3.4 makes none; where the platform is assumed, on any candidate). The API server accepts a binding to a role that does not exist; the authorizer then finds no rules and grants nothing" +
    REPOSITORY_PREMISE,
  example:
    'a RoleBinding in namespace `batch-ops`, which a Namespace of the tree creates, whose roleRef names Role `queue-status-reader`, while the Role there is `queue-gpu-status-reader`',
  fix: 'name the Role the tree holds (roleRef.name), or add the Role the binding names to its namespace',
  source:
    'kubernetes pkg/registry/rbac/validation/rule.go DefaultRuleResolver.VisitRulesFor and GetRoleReferenceRules (a RoleBinding\'s Role is looked up in the binding\'s namespace; a missing role is an error the authorizer skips, granting nothing); Kubernetes "Using RBAC Authorization": a binding may reference a role that does not exist yet; ' +
    LLM_ROLE_SOURCE,
  check(o, ctx) {
    const { graph } = ctx;
    const ref = mapping(o.manifest.roleRef);
    const name = text(ref.name);
    // a name holding a renderer's syntax is unrendered-placeholder's
    if (!name || /[${}<>]/.test(name)) return [];
    const problem =
      ref.kind === 'Role' && o.manifest.kind === 'RoleBinding'
        ? missingRole(o, ctx, name)
        : ref.kind === 'ClusterRole'
          ? missingClusterRole(graph, name)
          : undefined;
    if (!problem) return [];
    // a Role is looked up in the binding's namespace, a ClusterRole cluster-wide
    const ns = ref.kind === 'Role' ? graph.namespaceOf(o.manifest) : undefined;
    return [unlessRepositoryMakes(graph, problem, String(ref.kind), name, ns)];
  },
};
