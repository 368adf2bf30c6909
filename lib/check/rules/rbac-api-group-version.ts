import { mappings, strings } from '../../manifests/access';
import { bindingsOf } from '../rbac-bindings';
import { resourceGroups } from '../resource-groups';
import { Problem, Rule } from '../rule';

/**
 * An apiGroups entry that is a version (`v1`, `v1beta1`) or a group and version (`apps/v1`): no API group is named so
 * (a group is a DNS subdomain, a CRD's holds a dot; the core group is ""), so the entry matches no request.
 */
const VERSION_LIKE = /^(v\d+((alpha|beta)\d+)?|[^/*]*\/.+)$/;

/** The group a written entry meant: the part before `/` of `apps/v1`, none for a bare version. */
const meantGroup = (entry: string): string | undefined => (entry.includes('/') ? entry.slice(0, entry.indexOf('/')) : undefined);

/** How the groups serving a resource are written in apiGroups: `""` for the core group. */
const written = (groups: Iterable<string>) => [...groups].map((g) => JSON.stringify(g)).join(' or ');

/** One rule's finding: the resources none of its real groups grants, with the groups that serve them where known. */
function ruleProblem(rule: Record<string, unknown>, i: number, bound: readonly string[]): Problem | undefined {
  const groups = strings(rule.apiGroups);
  const versions = groups.filter((g) => VERSION_LIKE.test(g));
  if (!versions.length || groups.includes('*')) return undefined;
  const real = groups.filter((g) => !VERSION_LIKE.test(g));
  const served = resourceGroups();
  // a resource another entry of the rule grants (or may grant: a resource the project does not know) loses nothing
  const lost = strings(rule.resources)
    .map((r) => ({ resource: r, groups: served.get(r.split('/')[0]) }))
    .filter(({ groups: g }) => (g ? !real.some((x) => g.has(x)) : !real.length));
  if (!lost.length) return undefined;
  const knownLost = lost.filter((l) => l.groups);
  const named = lost.map((l) => (l.groups ? `${l.resource} (group ${written(l.groups)})` : l.resource)).join(', ');
  const meant = [...new Set([...versions.map(meantGroup).filter((g): g is string => g !== undefined), ...knownLost.flatMap((l) => [...l.groups!])])];
  const who = bound.length
    ? `${bound.join(', ')} ${bound.length > 1 ? 'give' : 'gives'} this role, so its subjects are refused (forbidden) on them`
    : 'whatever is bound to this role is refused (forbidden) on them';
  return {
    severity: bound.length && knownLost.length ? 'error' : 'warning',
    message:
      `rules[${i}].apiGroups ${written(versions)} ${versions.length > 1 ? 'are versions' : 'is a version'}, not an API group: RBAC compares apiGroups with the request's group only (the core group is ""), so the rule grants nothing on ${named}; ${who}` +
      (knownLost.length
        ? ''
        : ' (the resources are not ones the check knows: an aggregated API could name its group so, though no Kubernetes or CRD group can)') +
      `; write apiGroups: [${meant.length ? written(meant).replace(/ or /g, ', ') : '"<group>"'}]`,
  };
}

export const rbacApiGroupVersion: Rule = {
  id: 'rbac-api-group-version',
  title:
    'a Role or ClusterRole rule names a version (`v1`, `apps/v1`) in apiGroups instead of a group: it grants nothing on the resources it lists, and its subjects are refused at run time',
  severity: 'error',
  appliesTo: ['Role', 'ClusterRole'],
  premise:
    'a rule whose apiGroups holds a version (`v1`, `v1beta1`) or a group/version pair (`apps/v1`), and no other entry of the rule (nor `*`) is a group serving a resource it lists; ' +
    'an error where a listed resource is one Kubernetes or a shipped CRD serves (in another group) and a binding of the tree gives the role; a warning where the role is not bound in the tree or its resources are not known',
  example: 'a Role rule `apiGroups: ["v1"]` with `resources: ["configmaps"]`, given by a RoleBinding',
  fix: 'name the group, not the version: `""` for the core group (pods, configmaps, services, secrets), `apps` for deployments, `batch` for jobs',
  source:
    'kubernetes pkg/apis/rbac/v1/evaluation_helpers.go APIGroupMatches (a rule matches a request when an apiGroups entry equals its group or is `*`); resource names by apimachinery pkg/api/meta/restmapper.go UnsafeGuessKindToResource',
  check(o, { graph }) {
    const bound = bindingsOf(o, graph);
    return mappings(o.manifest.rules).flatMap((r, i) => ruleProblem(r, i, bound) ?? []);
  },
};
