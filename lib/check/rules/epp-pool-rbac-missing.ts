import { POOL_GROUP_ALPHA, POOL_GROUP_V1 } from '../../catalog/epp-releases';
import { Loose, mapping, strings, text } from '../../manifests/access';
import { AccountGrants, accountGrants, ruleGrants, ruleNames } from '../account-grants';
import { EppContainer, eppContainers } from '../epp-args';
import { inferencePools, poolGroup, poolIn, poolName, poolTarget } from '../epp-pools';
import type { ObjectGraph } from '../graph';
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

function problemsOf(graph: ObjectGraph, c: EppContainer): Problem[] {
  const pod = podSpecOf(c.owner.manifest);
  const account = text(pod?.serviceAccountName) ?? text(pod?.serviceAccount) ?? 'default';
  const grants = accountGrants(graph, account, c.namespace);
  if (grants.unknown || !grants.roles.length) return [];
  const rules = grants.roles.flatMap((r) => r.rules);
  return [...poolProblems(graph, c, account, rolesOf(grants), rules), ...objectiveProblems(c, account, rolesOf(grants), rules)];
}

function poolProblems(graph: ObjectGraph, c: EppContainer, account: string, roles: string, rules: readonly Loose[]): Problem[] {
  const need = neededGroup(graph, c);
  if (!need) return [];
  // only RBAC written for pools is judged: an account granted no pool at all may be bound outside the tree
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
  title: "an endpoint picker's ServiceAccount is granted InferencePools only in the other API group than its pool's: the picker cannot list its pool",
  severity: 'error',
  appliesTo: SERVICE_BACKEND_KINDS,
  premise:
    "a workload's endpoint picker container names its pool (--pool-name, -poolName), the pool's group is known (the tree's pool of that name, else --pool-group or the release's default), and the Roles and ClusterRoles the tree binds to the pod's ServiceAccount (serviceAccountName, else default; as a subject or through system:serviceaccounts, system:authenticated) — all of them in the tree, none aggregated — name inferencepools, but none grants get, list and watch on inferencepools of that group (`*` counts): an error; an account the tree grants no inferencepools at all is not judged (its RBAC may come from elsewhere). A picker of a gateway-api-inference-extension release from v1.0.0 (tag named) whose roles grant inferencemodels but no get/list/watch on inferenceobjectives (inference.networking.x-k8s.io): a warning, the objectives it watches are not read",
  example: '`apiGroups: [inference.networking.x-k8s.io]` for `inferencepools` while the pool is `apiVersion: inference.networking.k8s.io/v1`',
  fix: "grant the picker's ServiceAccount get, list and watch on inferencepools in the pool's group (inference.networking.k8s.io for a v1 pool), as the extension's config/manifests/inferencepool-resources.yaml does",
  source:
    "gateway-api-inference-extension: the picker's InferencePoolReconciler watches its pool through controller-runtime's cache (list and watch on inferencepools of --pool-group), and its datastore stays unsynced without it (pkg/epp/controller, pkg/epp/datastore); pkg/epp/controller/inferenceobjective_reconciler.go (from v1.0.0, For(&v1alpha2.InferenceObjective{})); config/manifests/inferencepool-resources.yaml at v1.0.0 grants inferencepools in both inference.networking.k8s.io and inference.networking.x-k8s.io; Kubernetes RBAC (a rule applies to the groups, resources and verbs it lists)",
  check(o, { graph }) {
    return eppContainers(graph)
      .filter((c) => c.owner === o)
      .flatMap((c) => problemsOf(graph, c));
  },
};
