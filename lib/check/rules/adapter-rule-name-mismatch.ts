import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { adapterRulesComplete, hpaMetrics, seriesNames, treeAdapterRules } from '../adapter-hpas';
import { chartReleases } from '../chart-releases';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';

/** One rule list of an adapter config, where it is written: `data.config.yaml rules`, `spec.values rules.custom`. */
interface RuleList {
  readonly field: string;
  readonly rules: readonly Loose[];
}

/** The adapter rule lists an object holds: a ConfigMap's config (a data value with seriesQuery), or a prometheus-adapter release's values. */
function ruleLists(o: GraphObject, graph: ObjectGraph): RuleList[] {
  if (o.manifest.kind === 'ConfigMap')
    return Object.entries(mapping(o.manifest.data)).flatMap(([key, value]) => {
      if (typeof value !== 'string' || !value.includes('seriesQuery')) return [];
      const parsed = parseOne(value);
      if (!('value' in parsed) || !isMapping(parsed.value)) return [];
      const config = parsed.value;
      return [
        { field: `data.${key} rules`, rules: mappings(config.rules) },
        { field: `data.${key} externalRules`, rules: mappings(config.externalRules) },
      ];
    });
  const values = o.manifest.kind === 'HelmRelease' ? 'spec.values' : 'helm values';
  return chartReleases(graph)
    .filter((r) => r.object === o && r.chart === 'prometheus-adapter')
    .flatMap((r) => [
      { field: `${values} rules.custom`, rules: mappings(mapping(r.values.rules).custom) },
      { field: `${values} rules.external`, rules: mappings(mapping(r.values.rules).external) },
    ]);
}

/**
 * A rule whose name.matches matches none of the series names its seriesQuery selects: prometheus-adapter keeps only the
 * series whose name the pattern matches (pkg/naming metric_namer.go FilterSeries), so the rule serves no metric.
 */
function ruleProblem(list: RuleList, rule: Loose, index: number): Problem | undefined {
  const query = text(rule.seriesQuery);
  const names = query ? seriesNames(query) : undefined;
  const matches = text(mapping(rule.name).matches);
  if (!names || matches === undefined) return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(matches);
  } catch {
    return undefined;
  }
  if (names.some((n) => pattern.test(n))) return undefined;
  const as = text(mapping(rule.name).as);
  const swapped = as !== undefined && names.some((n) => new RegExp(as.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).test(n));
  const shown = names.map((n) => `'${n}'`).join(', ');
  return {
    message:
      `${list.field}[${index}]: name.matches '${matches}' matches no series the seriesQuery selects (${shown}); prometheus-adapter keeps only the series whose name matches it, so the rule serves no metric` +
      `${as !== undefined ? ` and '${as}' (name.as) is never served` : ''}; ` +
      (swapped
        ? `name.matches and name.as look swapped: write matches: '${names.length === 1 ? `^${names[0]}$` : names.join('|')}' and as: '${matches}'`
        : `write name.matches as a pattern of the series name (${shown}) and the name to serve in name.as`),
  };
}

/** The names the tree's rules that keep no series mean to serve or match (their name.as and name.matches): their finding is the cause. */
function brokenRuleNames(graph: ObjectGraph): Set<string> {
  return graph.once('adapter-rule-name-mismatch:broken', () => {
    const holders = ['ConfigMap', 'HelmRelease', 'Application'].flatMap((k) => graph.ofKind(k));
    const broken = holders.flatMap((o) => ruleLists(o, graph).flatMap((l) => l.rules.filter((r, i) => ruleProblem(l, r, i) !== undefined)));
    return new Set(broken.flatMap((r) => [text(mapping(r.name).as), text(mapping(r.name).matches)].filter((n): n is string => n !== undefined)));
  });
}

/** An HPA's Pods, Object or External metric that no adapter rule of the tree serves, where the tree's rules are all the adapter has. */
function hpaProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const rules = treeAdapterRules(graph);
  if (!rules.length || !adapterRulesComplete(graph)) return [];
  const specs = mappings(mapping(o.manifest.spec).metrics);
  return hpaMetrics(o.manifest).flatMap((m, i) => {
    const type = text(specs[i]?.type) ?? 'Pods';
    // an API the tree's adapter has no rules of may be served by another adapter (KEDA's serves external metrics)
    const ofApi = rules.filter((r) => r.external === m?.external);
    if (!m || !ofApi.length || ofApi.some((r) => r.serves(m.name)) || brokenRuleNames(graph).has(m.name)) return [];
    const api = m.external ? 'external.metrics.k8s.io (the adapter config externalRules)' : 'custom.metrics.k8s.io (the adapter config rules)';
    return [
      {
        message: `spec.metrics[${i}]: ${type} metric '${m.name}' is served by no prometheus-adapter rule of the tree for ${api}: the HPA cannot read it (FailedGet${type}Metric) and never scales on it; name a metric a rule serves (its name.as, else the series name name.matches keeps), or add a rule that serves '${m.name}'`,
      },
    ];
  });
}

export const adapterRuleNameMismatch: Rule = {
  id: 'adapter-rule-name-mismatch',
  title: "a prometheus-adapter rule's name.matches drops every series its seriesQuery selects, or an HPA reads a custom metric no rule serves",
  severity: 'error',
  appliesTo: ['ConfigMap', 'HelmRelease', 'Application', 'HorizontalPodAutoscaler'],
  premise:
    "a prometheus-adapter rule (in a ConfigMap's config: `rules`, `externalRules`; in a prometheus-adapter chart release's values: `rules.custom`, `rules.external`) whose seriesQuery names its series (a bare metric name, `__name__=\"x\"`, or `__name__=~` of a literal name or an alternation of names) has a name.matches that matches none of them: the adapter keeps only the series whose name name.matches matches, so the rule serves nothing (and its name.as is never served). And a HorizontalPodAutoscaler's Pods, Object or External metric that no adapter rule of the tree for that API serves (a rule serves the series name name.matches keeps, renamed by name.as; for a regex seriesQuery any name name.as can make), where the tree's rules are all the adapter has (a prometheus-adapter chart release with rules.default: false and no values the check does not read) and the tree holds rules of that API",
  example: '`seriesQuery: \'{__name__=~"^ACCEL_BUSY_PERCENT$",namespace!="",pod!=""}\'` with `name: {matches: accelerator_busy, as: ACCEL_BUSY_PERCENT}`',
  fix: 'make name.matches a pattern of the series name (the served name goes in name.as), and have the HPA name a metric a rule serves',
  source:
    'kubernetes-sigs/prometheus-adapter docs/config.md ("Naming": matches, as — as defaults to $1 with one group, else $0) and pkg/naming metric_namer.go (NamersFromConfig makes name.matches a series filter, FilterSeries drops the series it does not match, MetricNameForSeries expands as); the chart prometheus-community/helm-charts charts/prometheus-adapter values.yaml (rules.default, rules.custom, rules.external); kubernetes pkg/controller/podautoscaler/horizontal.go (FailedGetPodsMetric, FailedGetObjectMetric, FailedGetExternalMetric)',
  check(o, { graph }) {
    if (o.manifest.kind === 'HorizontalPodAutoscaler') return hpaProblems(o, graph);
    return ruleLists(o, graph).flatMap((list) => list.rules.flatMap((r, i) => ruleProblem(list, r, i) ?? []));
  },
};
