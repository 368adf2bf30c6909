import { mappings, strings } from '../../manifests/access';
import { bindingsOf } from '../rbac-bindings';
import { resourceGroups, resourceOfKind } from '../resource-groups';
import { Problem, Rule } from '../rule';

/**
 * OLM's resources (operator-framework/api crds: operators.coreos.com), which a rule for an operator's fix-up Job
 * names and no shipped schema set holds.
 */
const OLM_RESOURCES = ['clusterserviceversions', 'subscriptions', 'installplans', 'operatorgroups', 'catalogsources', 'operatorconditions', 'operators'];

/** The groups serving a resource: the project's known resources and OLM's. */
function groupsServing(resource: string): ReadonlySet<string> | undefined {
  return OLM_RESOURCES.includes(resource) ? new Set(['operators.coreos.com']) : resourceGroups().get(resource);
}

/** The resource an entry meant, when it is not one itself: the plural of a singular or a Kind (`pod`, `Pod`), or a plural in capitals. */
function meantResource(entry: string): string | undefined {
  if (groupsServing(entry)) return undefined;
  const lower = entry.toLowerCase();
  if (lower !== entry && groupsServing(lower)) return lower;
  const plural = resourceOfKind(entry);
  return groupsServing(plural) ? plural : undefined;
}

/** One rule's entries that name no resource, each with the one meant, where a group of the rule serves it. */
function ruleProblems(rule: Record<string, unknown>, i: number, bound: readonly string[]): Problem[] {
  const groups = strings(rule.apiGroups);
  const resources = strings(rule.resources);
  return resources.flatMap((entry) => {
    const [base, ...sub] = entry.split('/');
    const meant = base === '*' ? undefined : meantResource(base);
    if (!meant) return [];
    const fixed = [meant, ...sub].join('/');
    if (resources.includes(fixed) || !(groups.includes('*') || groups.some((g) => groupsServing(meant)!.has(g)))) return [];
    const who = bound.length
      ? `${bound.join(', ')} ${bound.length > 1 ? 'give' : 'gives'} this role, so its subjects are refused (forbidden) on ${meant}`
      : `whatever is bound to this role is refused (forbidden) on ${meant}`;
    return [
      {
        severity: bound.length ? 'error' : 'warning',
        message: `rules[${i}].resources '${entry}' is not a resource name: RBAC compares the request's resource, the lower-case plural (${meant}), with each entry as written, so the rule grants nothing on it; ${who}; write '${fixed}'`,
      },
    ];
  });
}

export const rbacResourceNotPlural: Rule = {
  id: 'rbac-resource-not-plural',
  title:
    'a Role or ClusterRole rule names a resource by its singular or its Kind (`clusterserviceversion`, `Pod`): RBAC matches the plural only, so it grants nothing',
  severity: 'error',
  appliesTo: ['Role', 'ClusterRole'],
  premise:
    "an entry of a rule's resources (before any /subresource) that is no resource Kubernetes, a shipped CRD or OLM serves, whose plural (restmapper's guess from the Kind) or lower-case form is one, served by a group of the rule (or `*`), and that the rule does not also list; " +
    'an error where a binding of the tree gives the role, a warning where none does (it may be bound outside the tree)',
  example: 'a Role rule `resources: [clusterserviceversion]` with `apiGroups: [operators.coreos.com]`, given by a RoleBinding',
  fix: 'write the lower-case plural the API serves (`clusterserviceversions`, `pods`, `deployments/scale`), as `kubectl api-resources` lists it',
  source:
    'kubernetes pkg/apis/rbac/v1/evaluation_helpers.go ResourceMatches (a rule matches a request when a resources entry equals its resource, or resource/subresource, or is `*`); resource names by apimachinery pkg/api/meta/restmapper.go UnsafeGuessKindToResource; OLM resources from operator-framework/api crds',
  check(o, { graph }) {
    const bound = bindingsOf(o, graph);
    return mappings(o.manifest.rules).flatMap((r, i) => ruleProblems(r, i, bound));
  },
};
