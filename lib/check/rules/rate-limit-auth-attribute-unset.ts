import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { celReadPaths } from '../../validation/cel';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** Kuadrant's policy group (kuadrant.io/v1, v1beta2, v1alpha1). */
const KUADRANT = 'kuadrant.io/';

/** A CEL expression of a rate limit policy, with the field it is written at. */
interface Expression {
  readonly field: string;
  readonly expr: string;
}

/** The rules of an AuthPolicy: spec.rules, and those of spec.defaults and spec.overrides (kuadrant.io/v1 AuthPolicySpec). */
function authRules(policy: Loose): Loose[] {
  const spec = mapping(policy.spec);
  return [spec.rules, mapping(spec.defaults).rules, mapping(spec.overrides).rules].filter(isMapping);
}

/**
 * What an AuthPolicy hands the rate limiter as `auth.*`: each response.success filter (dynamicMetadata before v1) under
 * its name, a json filter with its properties; and, as the policy's evaluators are named in Authorino's authorization
 * JSON, auth.identity and each metadata evaluator (auth.metadata.<name>) where the policy has them.
 */
interface AuthExports {
  /** auth.<name> → the property names of a json filter, or undefined for a plain value or unknown shape. */
  readonly filters: ReadonlyMap<string, readonly string[] | undefined>;
  readonly metadata: ReadonlySet<string>;
}

function exportsOf(policies: readonly GraphObject[]): AuthExports {
  const filters = new Map<string, readonly string[] | undefined>();
  const metadata = new Set<string>();
  for (const rules of policies.flatMap((p) => authRules(p.manifest))) {
    const success = mapping(mapping(rules.response).success);
    for (const [name, f] of [...Object.entries(mapping(success.filters)), ...Object.entries(mapping(success.dynamicMetadata))]) {
      const props = mapping(mapping(mapping(f).json).properties);
      filters.set(name, mapping(f).json !== undefined && Object.keys(props).length ? Object.keys(props) : undefined);
    }
    for (const name of Object.keys(mapping(rules.metadata))) metadata.add(name);
  }
  return { filters, metadata };
}

/** Whether the policies fill the path (auth.<k1>.<k2>…), and the filled paths for messages. */
function filled(path: readonly string[], ex: AuthExports): boolean {
  const [, first, second] = path;
  if (ex.filters.has(first)) {
    const props = ex.filters.get(first);
    return second === undefined || props === undefined || props.includes(second);
  }
  return first === 'metadata' && (second === undefined || ex.metadata.has(second));
}

const exported = (ex: AuthExports): string[] => [
  ...[...ex.filters].flatMap(([name, props]) => (props ? props.map((p) => `auth.${name}.${p}`) : [`auth.${name}`])),
  ...[...ex.metadata].map((m) => `auth.metadata.${m}`),
];

/** The when predicates and counter expressions of each limit (spec.limits, spec.defaults.limits, spec.overrides.limits) and the policy's own when. */
function expressionsOf(policy: Loose): Expression[] {
  const spec = mapping(policy.spec);
  const own = (when: unknown, at: string): Expression[] =>
    mappings(when).flatMap((w, i) => (text(w.predicate) ? [{ field: `${at}.when[${i}].predicate`, expr: text(w.predicate)! }] : []));
  const limitsAt = (limits: unknown, at: string): Expression[] =>
    Object.entries(mapping(limits)).flatMap(([name, l]) => [
      ...own(mapping(l).when, `${at}.${name}`),
      ...mappings(mapping(l).counters).flatMap((c, i) =>
        text(c.expression) ? [{ field: `${at}.${name}.counters[${i}].expression`, expr: text(c.expression)! }] : [],
      ),
    ]);
  return [
    ...own(spec.when, 'spec'),
    ...limitsAt(spec.limits, 'spec.limits'),
    ...limitsAt(mapping(spec.defaults).limits, 'spec.defaults.limits'),
    ...limitsAt(mapping(spec.overrides).limits, 'spec.overrides.limits'),
  ];
}

/** The target a policy names: kind and name (and section), in the policy's namespace. */
const targetOf = (m: Loose): string | undefined => {
  const t = mapping(mapping(m.spec).targetRef);
  return text(t.kind) && text(t.name) ? `${text(t.kind)}/${text(t.name)}${text(t.sectionName) ? `#${text(t.sectionName)}` : ''}` : undefined;
};

/** The AuthPolicies of the tree on the same target, in the same namespace. */
function authPoliciesOf(graph: ObjectGraph, policy: GraphObject): GraphObject[] {
  const target = targetOf(policy.manifest);
  const ns = graph.namespaceOf(policy.manifest);
  return graph
    .ofKind('AuthPolicy')
    .filter((a) => String(a.manifest.apiVersion ?? '').startsWith(KUADRANT) && graph.namespaceOf(a.manifest) === ns && targetOf(a.manifest) === target);
}

/** A filled path ending as the read one does (auth.identity.tier for auth.metadata.matchedTier.tier), to suggest. */
const closest = (path: readonly string[], filledPaths: readonly string[]): string | undefined =>
  filledPaths.find((p) => p.split('.').pop() === path[path.length - 1]) ?? filledPaths.find((p) => p.split('.')[1] === path[1]);

function judge(graph: ObjectGraph, o: GraphObject): Problem[] {
  const auths = authPoliciesOf(graph, o);
  if (!auths.length) return [];
  const ex = exportsOf(auths);
  const names = auths.map((a) => text(mapping(a.manifest.metadata).name) ?? '').join(', ');
  const paths = exported(ex);
  return expressionsOf(o.manifest).flatMap(({ field, expr }) => {
    const missing = (celReadPaths(expr) ?? []).filter((p) => p[0] === 'auth' && !filled(p, ex));
    if (!missing.length) return [];
    const read = missing[0].join('.');
    const suggestion = closest(missing[0], paths);
    return [
      {
        message:
          `${field} reads ${read}, which AuthPolicy ${names} on the same target (${targetOf(o.manifest)}) does not fill: it exports ${paths.length ? paths.join(', ') : 'no auth attribute'} ` +
          `(response.success.filters become auth.<filter>.<property>, metadata evaluators auth.metadata.<name>); the attribute is missing on every request, so ` +
          `${field.endsWith('.expression') ? 'the counter has no value and the limit is not applied' : 'the predicate never holds and the limit never applies'}; ` +
          (suggestion ? `read ${suggestion}` : `add a response.success filter that exports it to the AuthPolicy`),
      },
    ];
  });
}

export const rateLimitAuthAttributeUnset: Rule = {
  id: 'rate-limit-auth-attribute-unset',
  title:
    'a Kuadrant RateLimitPolicy or TokenRateLimitPolicy predicate reads an auth.* attribute the AuthPolicy on its target does not fill: the limit never applies',
  severity: 'error',
  appliesTo: ['RateLimitPolicy', 'TokenRateLimitPolicy'],
  premise:
    "a kuadrant.io RateLimitPolicy or TokenRateLimitPolicy whose when predicates (spec.when, each limit's when, of spec.limits, defaults and overrides) or counter expressions, parsed as CEL, read an attribute under auth (auth.<name>.<property>, has() included), while the tree holds AuthPolicies of kuadrant.io on the same targetRef (kind, name and section) in its namespace, and none of them fills it: auth.<name> is filled by a response.success filter of that name (dynamicMetadata before kuadrant.io/v1), a json filter only for its properties; auth.metadata.<name> by a metadata evaluator of that name; a policy with no AuthPolicy of the tree on its target is not judged",
  example:
    '`predicate: auth.metadata.matchedTier.tier == "gold"` on a RateLimitPolicy whose target\'s AuthPolicy exports `tier` in a success filter named `identity`',
  fix: 'read the attribute the AuthPolicy exports (auth.<filter>.<property>, as auth.identity.tier for a filter identity with property tier), or add a response.success filter exporting it',
  source:
    'Kuadrant docs: AuthPolicy (response.success.filters: data exported as well-known attributes auth.<name> to other policies; kuadrant.io/v1 AuthPolicySpec rules, defaults, overrides) and RateLimitPolicy / TokenRateLimitPolicy (when predicates and counters: CEL over well-known attributes, the auth.* ones filled by the AuthPolicy of the target; kuadrant-operator doc/user-guides authenticated rate limiting: filter identity, property userid → auth.identity.userid); Kuadrant well-known attributes RFC (auth.* from the external authorization); cel-spec (a select on a missing key is an error, so the predicate does not hold)',
  check(o, { graph }) {
    if (!String(o.manifest.apiVersion ?? '').startsWith(KUADRANT)) return [];
    return judge(graph, o);
  },
};
