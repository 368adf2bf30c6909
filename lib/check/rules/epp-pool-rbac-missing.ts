import { POOL_GROUP_ALPHA, POOL_GROUP_V1 } from '../../catalog/epp-releases';
import { Loose, mapping, strings, text } from '../../manifests/access';
import { AccountGrants, accountGrants, ruleGrants, ruleNames } from '../account-grants';
import { EppContainer, eppContainers } from '../epp-args';
import { inferencePools, poolGroup, poolIn, poolName, poolTarget } from '../epp-pools';
import type { ObjectGraph } from '../graph';
import type { GraphObject } from '../graph-object';
import { podSpecOf, SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** The verbs the picker's informer needs on its pool (controller-runtime's cache lists, then watches; the reconciler gets). */
const VERBS = ['get', 'list', 'watch'];

/** The group the picker must read its pool in: the tree's pool it names, else the group its flags or release give. */
function neededGroup(graph: ObjectGraph, c: EppContainer): { group: string; pool: string; by: string } | undefined {
  const t = poolTarget(c);
  if (!t) return undefined;
  const pool = inferencePools(graph).find((p) => poolName(p) === t.name && poolIn(graph, p, t.namespaces));
  if (pool) return { group: poolGroup(pool), pool: t.name, by: `the pool ${t.name} is ${String(pool.manifest.apiVersion)}` };
  return t.group ? { group: t.group, pool: t.name, by: t.groupBy ?? '' } : undefined;
}

/** The group of InferenceObjective, which the picker reads from v1.0.0 (apix/v1alpha2; InferenceModel is gone from that release). */
const OBJECTIVE_GROUP = POOL_GROUP_ALPHA;

/**
 * A picker of a gateway-api-inference-extension release from v1.0.0 (its InferenceObjectiveReconciler watches
 * InferenceObjectives) whose roles still grant the removed inferencemodels and no inferenceobjectives: a warning, as
 * only the objectives (priorities) the picker reads are lost; the roles name `inferencemodels`, so they were written
 * for the picker and are judged. llm-d's scheduler images are not judged: later ones read objectives of llm-d.ai.
 */
function objectiveProblems(c: EppContainer, account: string, roles: string, rules: readonly Loose[]): Problem[] {
  const r = c.image;
  if (!r || r.moving || !r.release.label.startsWith('gateway-api-inference-extension') || r.release.poolGroup !== POOL_GROUP_V1) return [];
  if (!rules.some((x) => ruleNames(x, 'inferencemodels'))) return [];
  if (rules.some((x) => ruleGrants(x, OBJECTIVE_GROUP, 'inferenceobjectives', VERBS))) return [];
  return [
    {
      severity: 'warning',
      message:
        `${c.where} runs ${r.release.label}, which watches InferenceObjectives (${OBJECTIVE_GROUP}), while ServiceAccount ${account}'s roles (${roles}) grant ` +
        `inferencemodels, an API that release no longer reads, and no get/list/watch on inferenceobjectives: the picker's objective informer is forbidden, ` +
        `so the objectives (priorities) of its pool are not applied and its log repeats the forbidden list; ` +
        `grant apiGroups ["${OBJECTIVE_GROUP}"], resources ["inferenceobjectives"], verbs ["get", "list", "watch"]`,
    },
  ];
}

const rolesOf = (grants: AccountGrants) =>
  grants.roles.map((r) => `${String(r.role.manifest.kind)} ${text(mapping(r.role.manifest.metadata).name) ?? ''}`).join(', ');

/** The grant the picker needs, as the extension's own manifests write it (config/manifests/inferencepool-resources.yaml). */
const grantToAdd = (group: string, account: string, ns: string | undefined) =>
  `bind ServiceAccount ${account}${ns ? ` of namespace ${ns}` : ''} to a Role (or ClusterRole) with apiGroups ["${group}"], resources ["inferencepools"] and apiGroups [""], resources ["pods"], verbs ["get", "list", "watch"]`;

/** Whether a rule grants anything on inferencepools (named, or through a `*` resource). */
const touchesPools = (r: Loose): boolean => ruleNames(r, 'inferencepools') || strings(r.resources).includes('*');

function problemsOf(graph: ObjectGraph, c: EppContainer): Problem[] {
  const pod = podSpecOf(c.owner.manifest);
  const account = text(pod?.serviceAccountName) ?? text(pod?.serviceAccount) ?? 'default';
  const grants = accountGrants(graph, account, c.namespace);
  if (grants.unknown) return [];
  const rules = grants.roles.flatMap((r) => r.rules);
  if (!rules.some(touchesPools)) return ungrantedProblems(graph, c, account, grants);
  const roles = rolesOf(grants);
  return [...poolProblems(graph, c, account, roles, rules), ...podProblems(graph, c, account, roles, rules), ...objectiveProblems(c, account, roles, rules)];
}

/** The tree's pool the picker reads, and the group it reads it in. */
function treePool(graph: ObjectGraph, c: EppContainer): { pool: GraphObject; group: string } | undefined {
  const t = poolTarget(c);
  const pool = t && inferencePools(graph).find((p) => poolName(p) === t.name && poolIn(graph, p, t.namespaces));
  return pool ? { pool, group: poolGroup(pool) } : undefined;
}

/**
 * The account is the default one or a ServiceAccount of the tree: one made elsewhere comes with RBAC the tree does
 * not show. KServe makes the scheduler's account and RBAC of an LLMInferenceService itself.
 */
function accountOfTree(graph: ObjectGraph, c: EppContainer, account: string): boolean {
  if (c.owner.manifest.kind === 'LLMInferenceService' || c.owner.manifest.kind === 'LLMInferenceServiceConfig') return false;
  return account === 'default' || graph.findAll('ServiceAccount', account, c.namespace).length > 0;
}

/**
 * A picker whose pool is in the tree, run as the default account or one of the tree, that no role of the tree grants
 * inferencepools at all: a warning, as a binding made outside the tree may grant it.
 */
function ungrantedProblems(graph: ObjectGraph, c: EppContainer, account: string, grants: AccountGrants): Problem[] {
  const found = treePool(graph, c);
  if (!found || !accountOfTree(graph, c, account)) return [];
  const bound = grants.roles.length
    ? `whose roles (${rolesOf(grants)}) grant nothing on inferencepools`
    : 'which no RoleBinding or ClusterRoleBinding of the tree names (nor its groups system:serviceaccounts, system:authenticated)';
  return [
    {
      severity: 'warning',
      message:
        `${c.where} reads InferencePool ${poolName(found.pool)} (${found.group}) and its pods as ServiceAccount ${account}, ${bound}: ` +
        `Kubernetes grants a ServiceAccount nothing by default, so the picker's informers are forbidden to list its pool and the pool's pods, ` +
        `its datastore never syncs and it is never ready, and requests routed to the pool fail; a binding made outside the tree may grant it (assumed not); ` +
        grantToAdd(found.group, account, c.namespace),
    },
  ];
}

/** Roles written for the picker (they grant its pool) that grant no get/list/watch on pods: it cannot see the pool's endpoints. */
function podProblems(graph: ObjectGraph, c: EppContainer, account: string, roles: string, rules: readonly Loose[]): Problem[] {
  const found = treePool(graph, c);
  if (!found || !rules.some((r) => ruleGrants(r, found.group, 'inferencepools', VERBS))) return [];
  if (rules.some((r) => ruleGrants(r, '', 'pods', VERBS))) return [];
  return [
    {
      message:
        `${c.where} runs as ServiceAccount ${account}, whose roles (${roles}) grant its pool ${poolName(found.pool)} but no get, list and watch on pods (core group ""): ` +
        `the picker's pod informer is forbidden, it never learns the pool's endpoints and has none to pick, so requests routed to the pool fail; ` +
        `add apiGroups [""], resources ["pods"], verbs ["get", "list", "watch"] to a role bound to it`,
    },
  ];
}

function poolProblems(graph: ObjectGraph, c: EppContainer, account: string, roles: string, rules: readonly Loose[]): Problem[] {
  const need = neededGroup(graph, c);
  if (!need) return [];
  // only RBAC written for pools is judged here; roles that grant none are ungrantedProblems'
  if (!rules.some((r) => ruleNames(r, 'inferencepools'))) return [];
  if (rules.some((r) => ruleGrants(r, need.group, 'inferencepools', VERBS))) return [];
  const granted = [
    ...new Set(rules.filter((r) => ruleNames(r, 'inferencepools')).flatMap((r) => strings(r.apiGroups).map((g) => `${g} (${strings(r.verbs).join('/')})`))),
  ];
  return [
    {
      message:
        `${c.where} runs as ServiceAccount ${account}, whose roles (${roles}) grant inferencepools only in ${granted.join(', ')}, while it must get, list and watch ` +
        `inferencepools in ${need.group} (${need.by}): the picker's informer is forbidden to list its pool, the datastore never syncs and the picker is never ready; ` +
        `add apiGroups ["${need.group}"], resources ["inferencepools"], verbs ["get", "list", "watch"] to a role bound to it`,
    },
  ];
}

export const eppPoolRbacMissing: Rule = {
  id: 'epp-pool-rbac-missing',
  title:
    "an endpoint picker's ServiceAccount is not granted get/list/watch on its InferencePool (or on pods): the picker cannot read its pool and is never ready",
  severity: 'error',
  appliesTo: SERVICE_BACKEND_KINDS,
  premise:
    "a workload's endpoint picker container names its pool (--pool-name, -poolName), the pool's group is known (the tree's pool of that name, else --pool-group or the release's default), and the Roles and ClusterRoles the tree binds to the pod's ServiceAccount (serviceAccountName, else default; as a subject or through system:serviceaccounts, system:authenticated) — all of them in the tree, none aggregated — name inferencepools, but none grants get, list and watch on inferencepools of that group (`*` counts): an error; where they grant the pool of the tree but no get, list and watch on pods (core group): an error, the picker never learns its endpoints. Where the pool the picker names is in the tree, the picker is a workload of the tree (not an LLMInferenceService's scheduler, whose RBAC KServe makes) and its account is default or a ServiceAccount of the tree, and no role of the tree bound to it grants anything on inferencepools (no binding names it, or its roles grant other resources): a warning, as a binding made outside the tree may grant it; an account made outside the tree, or bound to a role the tree does not hold, is not judged. A picker of a gateway-api-inference-extension release from v1.0.0 (tag named) whose roles grant inferencemodels but no get/list/watch on inferenceobjectives (inference.networking.x-k8s.io): a warning, the objectives it watches are not read",
  example:
    '`apiGroups: [inference.networking.x-k8s.io]` for `inferencepools` while the pool is `apiVersion: inference.networking.k8s.io/v1`; a picker Deployment beside its InferencePool with no serviceAccountName and no RoleBinding or ClusterRoleBinding in the tree',
  fix: "grant the picker's ServiceAccount get, list and watch on inferencepools in the pool's group (inference.networking.k8s.io for a v1 pool) and on pods, as the extension's config/manifests/inferencepool-resources.yaml does",
  source:
    "gateway-api-inference-extension: the picker's InferencePoolReconciler watches its pool through controller-runtime's cache (list and watch on inferencepools of --pool-group), and its datastore stays unsynced without it (pkg/epp/controller, pkg/epp/datastore); pkg/epp/controller/inferenceobjective_reconciler.go (from v1.0.0, For(&v1alpha2.InferenceObjective{})); config/manifests/inferencepool-resources.yaml at v1.0.0 grants inferencepools in both inference.networking.k8s.io and inference.networking.x-k8s.io, and pods (get, watch, list; the picker's pod reconciler fills its datastore with the pool's endpoints), as does config/charts/inferencepool/templates/rbac.yaml; Kubernetes RBAC (a rule applies to the groups, resources and verbs it lists; a ServiceAccount is granted nothing beyond discovery by default)",
  check(o, { graph }) {
    return eppContainers(graph)
      .filter((c) => c.owner === o)
      .flatMap((c) => problemsOf(graph, c));
  },
};
