import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { chartReleases } from './chart-releases';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * HorizontalPodAutoscalers that scale on metrics prometheus-adapter serves from the tree's series: the adapter's rules
 * (kubernetes-sigs/prometheus-adapter pkg/config: `rules` serve the custom metrics API an HPA's Pods and Object metrics
 * read, `externalRules` the external metrics API its External metrics read), and the HPAs whose every metric they serve.
 */

/** One adapter rule as the metric names it may serve: a literal name, or a pattern where the series are chosen by a regex. */
export interface AdapterRule {
  readonly external: boolean;
  readonly serves: (metric: string) => boolean;
}

/** A metric name (Prometheus data model: [a-zA-Z_:][a-zA-Z0-9_:]*). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * The series names a seriesQuery selects, where it names them: a bare name (`vllm:num_requests_running{…}`),
 * `{__name__="x"}`, or `{__name__=~"…"}` whose regex is a literal name or an alternation of them (Prometheus anchors a
 * label regex at both ends, so `^x$` is x); undefined for any other regex, or none.
 */
export function seriesNames(query: string): string[] | undefined {
  const q = query.trim();
  const bare = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(q);
  if (bare) return [bare[1]];
  const exact = /__name__\s*=\s*"([^"]+)"/.exec(q)?.[1] ?? /__name__\s*=\s*'([^']+)'/.exec(q)?.[1];
  if (exact !== undefined) return [exact];
  const regex = /__name__\s*=~\s*"([^"]+)"/.exec(q)?.[1] ?? /__name__\s*=~\s*'([^']+)'/.exec(q)?.[1];
  if (regex === undefined) return undefined;
  const body = regex.replace(/^\^/, '').replace(/\$$/, '');
  const inner = /^\((?:\?:)?([^()]*)\)$/.exec(body)?.[1] ?? body;
  const names = inner.split('|');
  return names.every((n) => METRIC_NAME.test(n)) ? names : undefined;
}

/** A `$1` or `${1}` of the `as` template (Go regexp Expand). */
const GROUP = /\$(?:\{(\d+)\}|(\d+))/g;

/** The `as` template expanded with a match's groups, as Go's Regexp.ExpandString does. */
const expand = (as: string, m: RegExpExecArray) => as.replace(GROUP, (_, a: string | undefined, b: string | undefined) => m[Number(a ?? b)] ?? '');

/** The names an `as` template can make from any series: its literal parts, each group any text. */
function templateShape(as: string): RegExp {
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${as
      .split(/\$(?:\{\d+\}|\d+)/)
      .map(escape)
      .join('.+')}$`,
  );
}

/**
 * The metric names a rule serves, after its `name` (matches, default .* over the whole name; as, default the first group if
 * there is one, else the whole match: prometheus-adapter pkg/naming metric_namer.go NamersFromConfig; MetricNameForSeries expands `as`
 * with the match of the series name): the renamed series where the series is literal, else any name `as` can make.
 */
function adapterRule(rule: Loose, external: boolean): AdapterRule | undefined {
  const query = text(rule.seriesQuery);
  if (!query) return undefined;
  const name = mapping(rule.name);
  const matches = text(name.matches) || '.*';
  let pattern: RegExp;
  try {
    pattern = new RegExp(matches);
  } catch {
    return undefined;
  }
  const as = text(name.as) || (/\((?!\?)/.test(matches) ? '$1' : '$0');
  const series = seriesNames(query);
  if (series !== undefined) {
    const served = series.flatMap((n) => {
      const m = pattern.exec(n);
      return m ? [expand(as, m)] : [];
    });
    return { external, serves: (metric) => served.includes(metric) };
  }
  const shape = templateShape(as);
  return { external, serves: (metric) => shape.test(metric) };
}

/** The rules of a prometheus-adapter config mapping (rules, externalRules). */
function rulesOfConfig(config: Loose): AdapterRule[] {
  const of = (list: unknown, external: boolean) => mappings(list).flatMap((r) => adapterRule(r, external) ?? []);
  return [...of(config.rules, false), ...of(config.externalRules, true)];
}

/** The adapter rules of the tree: its ConfigMaps holding an adapter config (a data value with seriesQuery), and its prometheus-adapter chart releases' values (rules.custom, rules.external). */
function adapterRules(graph: ObjectGraph): AdapterRule[] {
  return graph.once('adapter-hpas:rules', () => {
    const fromConfigMaps = graph.ofKind('ConfigMap').flatMap((o) =>
      Object.values(mapping(o.manifest.data)).flatMap((value) => {
        if (typeof value !== 'string' || !value.includes('seriesQuery')) return [];
        const parsed = parseOne(value);
        return 'value' in parsed && isMapping(parsed.value) ? rulesOfConfig(parsed.value) : [];
      }),
    );
    const fromCharts = chartReleases(graph)
      .filter((r) => r.chart === 'prometheus-adapter')
      .flatMap((r) => {
        const rules = mapping(r.values.rules);
        return rulesOfConfig({ rules: rules.custom, externalRules: rules.external });
      });
    return [...fromConfigMaps, ...fromCharts];
  });
}

/**
 * Whether the tree's adapter rules are all the adapter serves: no prometheus-adapter chart release keeps the chart's
 * default rules (values.yaml rules.default: true, which serve the container and node series under names of their own)
 * or takes values the check does not read.
 */
export function adapterRulesComplete(graph: ObjectGraph): boolean {
  return chartReleases(graph)
    .filter((r) => r.chart === 'prometheus-adapter')
    .every((r) => !r.valuesElsewhere && mapping(r.values.rules).default === false);
}

/** The adapter rules of the tree (ConfigMaps holding an adapter config, prometheus-adapter chart releases' values). */
export function treeAdapterRules(graph: ObjectGraph): readonly AdapterRule[] {
  return adapterRules(graph);
}

/** The metrics an HPA scales on, each with whether it is External: autoscaling/v2 (metric.name) and v2beta1 (metricName); a Resource metric as undefined. */
export function hpaMetrics(hpa: Loose): ({ name: string; external: boolean } | undefined)[] {
  return mappings(mapping(hpa.spec).metrics).map((m) => {
    const type = text(m.type);
    const source = type === 'Pods' ? mapping(m.pods) : type === 'Object' ? mapping(m.object) : type === 'External' ? mapping(m.external) : undefined;
    const name = source ? (text(mapping(source.metric).name) ?? text(source.metricName)) : undefined;
    return name ? { name, external: type === 'External' } : undefined;
  });
}

/**
 * The HPAs of the tree that scale one of the workloads on metrics only the tree's prometheus-adapter serves: each
 * metric is a Pods, Object or External one an adapter rule of its API serves (one other metric, CPU say, keeps the HPA
 * scaling without them). With none of their series the adapter has no value, and the HPA no metric to scale on.
 */
export function adapterScaledHpas(graph: ObjectGraph, workloads: readonly GraphObject[]): { hpa: GraphObject; metrics: string[] }[] {
  const rules = adapterRules(graph);
  if (!rules.length || !workloads.length) return [];
  return graph.ofKind('HorizontalPodAutoscaler').flatMap((hpa) => {
    const target = mapping(mapping(hpa.manifest.spec).scaleTargetRef);
    const ns = graph.namespaceOf(hpa.manifest);
    const scales = workloads.some((w) => {
      const own = graph.namespaceOf(w.manifest);
      return (
        w.manifest.kind === text(target.kind) &&
        text(mapping(w.manifest.metadata).name) === text(target.name) &&
        (own === undefined || ns === undefined || own === ns)
      );
    });
    const metrics = hpaMetrics(hpa.manifest);
    const served = metrics.every((m) => m !== undefined && rules.some((r) => r.external === m.external && r.serves(m.name)));
    return scales && metrics.length && served ? [{ hpa, metrics: metrics.map((m) => m!.name) }] : [];
  });
}
