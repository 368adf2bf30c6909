import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { bindingsOf } from '../rbac-bindings';
import { resourceGroups } from '../resource-groups';
import { Problem, Rule } from '../rule';

/**
 * The verbs whose requests carry no object name when they are authorized (Kubernetes "Using RBAC Authorization",
 * Referring to resources: "You cannot restrict create or deletecollection requests by their resource name"): a POST
 * to a collection names the object in its body only, a deletecollection names none. apiserver
 * pkg/endpoints/request/requestinfo.go leaves RequestInfo.Name empty for them, and ResourceNameMatches
 * (pkg/apis/rbac/v1/evaluation_helpers.go) matches an empty name against no entry of a rule's resourceNames.
 * list and watch are left out: a request with a `metadata.name` field selector carries the name, and is allowed.
 */
const UNNAMED_VERBS = ['create', 'deletecollection'];

/**
 * Whether an API server serves the resource in one of the rule's groups: Kubernetes' own and the CRDs of the shipped
 * schema sets (resourceGroups), or a CRD of the tree. A rule of any other group is read by whatever program asks for
 * it in a SubjectAccessReview (a multi-tenant gateway's tenant as resource, an action as name), and that review carries
 * the name: the rule matches as written.
 */
function served(groups: readonly string[], resource: string, graph: ObjectGraph): boolean {
  const known = resourceGroups().get(resource);
  const crds = graph
    .ofKind('CustomResourceDefinition')
    .map((c) => mapping(c.manifest.spec))
    .filter((spec) => text(mapping(spec.names).plural) === resource)
    .map((spec) => text(spec.group));
  return groups.some((g) => (g === '*' ? known !== undefined || crds.length > 0 : (known?.has(g) ?? false) || crds.includes(g)));
}

/** The problem of one rule: the unnamed verbs it grants, on the collections it names, only for resourceNames. */
function ruleProblem(rule: Loose, i: number, bound: readonly string[], graph: ObjectGraph): Problem[] {
  const names = strings(rule.resourceNames);
  const verbs = strings(rule.verbs).filter((v) => UNNAMED_VERBS.includes(v));
  const groups = strings(rule.apiGroups);
  // a subresource request names its object (POST pods/NAME/exec, serviceaccounts/NAME/token): restricted by name as meant
  const collections = strings(rule.resources).filter((r) => r !== '*' && !r.includes('/') && served(groups, r, graph));
  if (!names.length || !verbs.length || !collections.length) return [];
  const who = bound.length ? `${bound.join(', ')} ${bound.length > 1 ? 'give' : 'gives'} it` : 'no binding of the tree gives the role';
  return [
    {
      message:
        `rules[${i}] grants ${verbs.join(' and ')} on ${collections.join(', ')} only for resourceNames ${names.map((n) => `'${n}'`).join(', ')}: ` +
        `a ${verbs.join(' or ')} request carries no object name when RBAC authorizes it, so no name matches and the rule grants ${verbs.join(' and ')} on nothing (${who}); ` +
        `the subjects' ${verbs.join(' and ')} requests are refused as forbidden: grant ${verbs.join(' and ')} in a rule of their own without resourceNames (any name is then allowed), keeping resourceNames for get, update, patch and delete`,
    },
  ];
}

export const rbacResourceNamesUnnamedVerb: Rule = {
  id: 'rbac-resource-names-unnamed-verb',
  title: 'a Role or ClusterRole rule grants create or deletecollection only for resourceNames: those requests carry no name, so the rule grants them nothing',
  severity: 'warning',
  appliesTo: ['Role', 'ClusterRole'],
  premise:
    'a rule of a Role or ClusterRole (not an aggregated ClusterRole, whose rules its controller writes) lists resourceNames and grants create or deletecollection on a resource (not a subresource, whose requests name their object, nor `*`): ' +
    'RBAC matches resourceNames against the name of the request, and those requests have none, so the verb is granted on nothing; a warning, as what the subjects do is not shown (the intent fails silently: their requests are refused as forbidden). ' +
    'list and watch with resourceNames are not judged: a request with a metadata.name field selector (kubectl get NAME --watch, kubectl wait) carries the name and is allowed. ' +
    "Only resources an API server serves in a group of the rule are judged (Kubernetes' own, the CRDs of the shipped schema sets, the tree's CRDs): a rule of another group (a tracing or logging gateway's tenant as resource, `traces` as name) is read by the program that asks a SubjectAccessReview for it, and that review names the object",
  example: 'a Role rule `resources: [configmaps]`, `resourceNames: [run-state]`, `verbs: [get, create, update]` for a Job that creates the ConfigMap',
  fix: 'grant create (or deletecollection) in a rule without resourceNames, and keep resourceNames for the verbs that name an object',
  source:
    'Kubernetes "Using RBAC Authorization", Referring to resources ("You cannot restrict create or deletecollection requests by their resource name"); kubernetes pkg/apis/rbac/v1/evaluation_helpers.go ResourceNameMatches, apiserver pkg/endpoints/request/requestinfo.go; authorization.k8s.io SubjectAccessReview spec.resourceAttributes (a review carries the group, resource, name and verb its caller chooses)',
  check(o, { graph }) {
    // an aggregated ClusterRole's rules are written by its controller from the roles it selects
    if (o.manifest.aggregationRule !== undefined) return [];
    const bound = bindingsOf(o, graph);
    return mappings(o.manifest.rules).flatMap((r, i) => ruleProblem(r, i, bound, graph));
  },
};
