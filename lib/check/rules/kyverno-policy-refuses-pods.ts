import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { POD_TEMPLATE_KINDS } from '../../k8s/pod-kinds';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { enforces, KYVERNO_FILTERED_NAMESPACES, kindsOf, namesPods, namespaceIn, narrowsUnjudged, patternVerdict, resourceBlocks } from '../kyverno-patterns';
import { podAnnotationsOf, podLabelsOf, podSpecOf, runsPods } from '../pods';
import { Problem, Rule } from '../rule';

const KYVERNO_GROUP = 'kyverno.io/';

/** What one rule of a policy covers: Pods (through autogen, their controllers' templates too) and/or other kinds, and the namespaces. */
interface Coverage {
  readonly pods: boolean;
  readonly kinds: readonly string[];
  readonly only: readonly string[];
  readonly excluded: readonly string[];
}

/** The coverage of a rule's match and exclude, or undefined where it narrows by what is not judged (selectors, names, several `all` blocks). */
function coverageOf(rule: Loose): Coverage | undefined {
  const match = resourceBlocks(mapping(rule.match));
  const exclude = resourceBlocks(mapping(rule.exclude));
  if (match.all || exclude.all || !match.blocks.length || match.blocks.some(narrowsUnjudged)) return undefined;
  // an exclude block that names kinds or narrows by selectors excludes only some of what it names: not judged
  if (exclude.blocks.some((b) => narrowsUnjudged(b) || strings(b.kinds).length > 0)) return undefined;
  // one match block naming namespaces, another not: not judged
  const namespaced = match.blocks.filter((b) => strings(b.namespaces).length > 0);
  if (namespaced.length && namespaced.length !== match.blocks.length) return undefined;
  return {
    pods: match.blocks.some(namesPods),
    kinds: match.blocks.flatMap(kindsOf),
    only: match.blocks.flatMap((b) => strings(b.namespaces)),
    excluded: exclude.blocks.flatMap((b) => strings(b.namespaces)),
  };
}

/** Whether a namespace is certainly covered: neither filtered by Kyverno's defaults nor excluded, within the match's namespaces. */
function covers(c: Coverage, ns: string | undefined, policyNs: string | undefined): boolean {
  if (policyNs !== undefined && ns !== policyNs) return false;
  if (ns === undefined) return !c.only.length && !c.excluded.length && policyNs === undefined;
  if (KYVERNO_FILTERED_NAMESPACES.includes(ns)) return false;
  return (!c.only.length || namespaceIn(ns, c.only)) && !namespaceIn(ns, c.excluded);
}

/** The resource a rule's pattern is judged on: the pod a workload makes (autogen turns a Pod rule into its controllers' template), or the object itself. */
function judgedResource(o: GraphObject, c: Coverage): { resource: Loose; as: string } | undefined {
  const kind = String(o.manifest.kind);
  if (c.kinds.includes(kind) && kind !== 'Pod') return { resource: o.manifest, as: '' };
  if (!c.pods || !POD_TEMPLATE_KINDS.includes(kind) || !runsPods(o.manifest)) return undefined;
  const spec = podSpecOf(o.manifest);
  if (!spec) return undefined;
  const metadata = { labels: podLabelsOf(o.manifest), annotations: podAnnotationsOf(o.manifest) };
  return { resource: { apiVersion: 'v1', kind: 'Pod', metadata, spec }, as: kind === 'Pod' ? '' : ' (its pods)' };
}

/** The tree's objects one rule of the policy refuses, in words. */
function refusedBy(graph: ObjectGraph, rule: Loose, policyNs: string | undefined): string[] {
  const c = coverageOf(rule);
  const pattern = mapping(rule.validate).pattern;
  if (!c || pattern === undefined) return [];
  return graph.objects.flatMap((o) => {
    if (!covers(c, graph.namespaceOf(o.manifest), policyNs)) return [];
    const judged = judgedResource(o, c);
    if (!judged) return [];
    const v = patternVerdict(pattern, judged.resource);
    return 'pass' in v && !v.pass ? [`${graph.id(o)}${judged.as}: ${v.path} is not ${v.wanted}`] : [];
  });
}

function policyProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const m = o.manifest;
  if (!String(m.apiVersion ?? '').startsWith(KYVERNO_GROUP) || (m.kind !== 'ClusterPolicy' && m.kind !== 'Policy')) return [];
  const spec = mapping(m.spec);
  // per-namespace overrides of the action are not judged
  if (spec.validationFailureActionOverrides !== undefined) return [];
  const policyNs = m.kind === 'Policy' ? graph.namespaceOf(m) : undefined;
  return mappings(spec.rules).flatMap((rule): Problem[] => {
    const validate = mapping(rule.validate);
    if (!enforces(spec, validate) || rule.preconditions !== undefined || rule.context !== undefined) return [];
    const refused = refusedBy(graph, rule, policyNs);
    if (!refused.length) return [];
    const shown = refused.slice(0, 5).join('; ') + (refused.length > 5 ? `; and ${refused.length - 5} more` : '');
    return [
      {
        message:
          `rule '${text(rule.name) ?? '?'}' enforces its validate.pattern (${text(validate.message) ?? 'no message'}) on the tree's own objects, which break it: ${shown}. ` +
          "Kyverno's admission webhook denies them (a controller's pods are refused at creation: FailedCreate; autogen refuses the controller itself); " +
          'give them what the pattern requires, exclude their namespaces, or set the action to Audit while they cannot comply',
      },
    ];
  });
}

export const kyvernoPolicyRefusesPods: Rule = {
  id: 'kyverno-policy-refuses-pods',
  title: "a Kyverno policy of the tree in Enforce mode whose validate.pattern the tree's own pods (or objects) break: the webhook denies them",
  severity: 'error',
  appliesTo: ['ClusterPolicy', 'Policy'],
  premise:
    'a kyverno.io ClusterPolicy (or a Policy, for its own namespace) whose rule validates with a pattern in Enforce mode (validate.failureAction, else spec.validationFailureAction; Audit by default; not with validationFailureActionOverrides, preconditions or context), ' +
    "matching Pods (autogen applies a Pod rule to the pod templates of Deployments, StatefulSets, DaemonSets, Jobs and CronJobs, and without autogen their pods are refused at creation) or the object's own kind, by `any` blocks or the legacy `resources` (not `all`, selectors, names, operations: not judged), " +
    "in the object's namespace (match namespaces, exclude namespaces; wildcards; not kube-system, kube-public, kube-node-lease or kyverno, which Kyverno's default resourceFilters skip); " +
    'the pattern judged for its simple forms: a mapping requires each key, a one-mapping list every item, a string is a wildcard (`?*` non-empty, `*` anything) on the value, a number or boolean equals; a pattern with anchors (`=(key)`, `X(key)`, `(key)`, `^(key)`, `<(key)`, `+(key)`), operators, variables or several list items is not judged',
  example:
    'a ClusterPolicy with `validationFailureAction: Enforce` requiring `app.kubernetes.io/component: "?*"` on Pods, and a Deployment whose pod template lacks that label',
  fix: "give the pods the labels or fields the pattern requires, exclude their namespace in the rule's exclude block, or set the action to Audit",
  source:
    "kyverno pkg/engine/validate/validate.go (MatchPattern) and pkg/engine/pattern (wildcards, operators), pkg/engine/anchor (anchors); pkg/autogen (Pod rules applied to the controllers' spec.template); " +
    'api/kyverno/v1 spec_types.go (validationFailureAction Audit by default, Enforce denies) and rule failureAction (1.13); charts/kyverno values.yaml config.resourceFilters (kube-system, kube-public, kube-node-lease, kyverno skipped)',
  check(o, { graph }) {
    return policyProblems(o, graph);
  },
};
