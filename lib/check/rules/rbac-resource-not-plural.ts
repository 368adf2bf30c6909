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

/** The verbs the role grants on `resource` (or `resource/sub`) in one of `groups`, across all its rules; `*` grants every verb. */
function verbsGranted(rules: readonly Record<string, unknown>[], groups: readonly string[], resource: string): Set<string> {
  const granted = new Set<string>();
  for (const r of rules) {
    const rg = strings(r.apiGroups);
    if (!rg.includes('*') && !groups.some((g) => rg.includes(g))) continue;
    if (strings(r.resources).some((x) => x === resource || x === '*')) strings(r.verbs).forEach((v) => granted.add(v));
  }
  return granted;
}

/** What the role still grants for a misspelled entry: the verbs granted on the fixed name, and whether the plural itself is granted anywhere. */
function grantedElsewhere(all: readonly Record<string, unknown>[], groups: readonly string[], meant: string, fixed: string) {
  const onFixed = verbsGranted(all, groups, fixed);
  return { onFixed, pluralKnown: onFixed.size > 0 || verbsGranted(all, groups, meant).size > 0 };
}

function problemOf(entry: string, i: number, meant: string, fixed: string, lost: readonly string[], partial: boolean, bound: readonly string[]): Problem {
  const who = bound.length
    ? `${bound.join(', ')} ${bound.length > 1 ? 'give' : 'gives'} this role, so its subjects are refused (forbidden)`
    : 'whatever is bound to this role is refused (forbidden)';
  const head = `rules[${i}].resources '${entry}' is not a resource name: RBAC compares the request's resource, the lower-case plural (${meant}), with each entry as written, so the rule grants nothing on it`;
  if (!partial) return { severity: bound.length ? 'error' : 'warning', message: `${head}; ${who} on ${meant}; write '${fixed}'` };
  // the role grants the plural elsewhere: its author knew the name, and only some verbs are lost, which a subject may never use
  return {
    severity: 'warning',
    message: `${head}; the role grants ${meant} elsewhere, so only ${lost.join(', ')} on ${fixed} ${lost.length > 1 ? 'are' : 'is'} not granted, refused (forbidden) if a subject needs ${lost.length > 1 ? 'them' : 'it'}; write '${fixed}'`,
  };
}

/** One rule's entries that name no resource, each with the one meant, where a group of the rule serves it and a verb of it is granted nowhere else in the role. */
function ruleProblems(all: readonly Record<string, unknown>[], i: number, bound: readonly string[]): Problem[] {
  const rule = all[i];
  const groups = strings(rule.apiGroups);
  const resources = strings(rule.resources);
  return resources.flatMap((entry) => {
    const [base, ...sub] = entry.split('/');
    const meant = base === '*' ? undefined : meantResource(base);
    if (!meant) return [];
    const fixed = [meant, ...sub].join('/');
    if (resources.includes(fixed) || !(groups.includes('*') || groups.some((g) => groupsServing(meant)!.has(g)))) return [];
    const { onFixed, pluralKnown } = grantedElsewhere(all, groups, meant, fixed);
    const lost = onFixed.has('*') ? [] : strings(rule.verbs).filter((v) => !onFixed.has(v));
    if (!lost.length) return [];
    return [problemOf(entry, i, meant, fixed, lost, pluralKnown, bound)];
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
    'an error where a binding of the tree gives the role, a warning where none does (it may be bound outside the tree); ' +
    'nothing when other rules of the role grant every verb of the entry on the plural, and a warning naming the verbs lost when the role grants the plural elsewhere for some verbs only ' +
    "(its author knew the name; whether a subject ever uses the lost verbs, such as a feature-gated controller's update, the files do not show)",
  example: 'a Role rule `resources: [clusterserviceversion]` with `apiGroups: [operators.coreos.com]`, given by a RoleBinding',
  fix: 'write the lower-case plural the API serves (`clusterserviceversions`, `pods`, `deployments/scale`), as `kubectl api-resources` lists it',
  source:
    'kubernetes pkg/apis/rbac/v1/evaluation_helpers.go ResourceMatches (a rule matches a request when a resources entry equals its resource, or resource/subresource, or is `*`); resource names by apimachinery pkg/api/meta/restmapper.go UnsafeGuessKindToResource; OLM resources from operator-framework/api crds',
  check(o, { graph }) {
    const bound = bindingsOf(o, graph);
    const rules = mappings(o.manifest.rules);
    return rules.flatMap((_, i) => ruleProblems(rules, i, bound));
  },
};
