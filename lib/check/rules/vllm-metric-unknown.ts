import { mapping, mappings } from '../../manifests/access';
import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { parseImageReference, vllmVersionOfImageReference } from '../../catalog/vllm-images';
import { ObjectGraph } from '../graph';
import { containersOf } from '../pods';
import { templateContainers } from '../pod-templates';
import { workloadVllmLines } from '../workload-lines';
import { dashboardQueries, prometheusQueries, recordedSeries } from '../prometheus-queries';
import { promqlMetrics } from '../promql-metrics';
import { Problem, Rule } from '../rule';
import { vllmMetric, VllmMetricVerdict } from '../vllm-metrics';

/** What the tree does to metric names before a query sees them: series its recording rules make, and whether a scrape relabels __name__. */
interface NameChanges {
  readonly recorded: ReadonlySet<string>;
  readonly relabeledBy?: string;
}

function nameChanges(graph: ObjectGraph): NameChanges {
  return graph.once('vllm-metric-unknown:name-changes', () => {
    const recorded = new Set([...graph.ofKind('PrometheusRule'), ...graph.ofKind('ConfigMap')].flatMap(recordedSeries));
    const relabels = (o: { manifest: Record<string, unknown> }) => {
      const spec = mapping(o.manifest.spec);
      const endpoints = mappings(spec.endpoints).concat(mappings(spec.podMetricsEndpoints));
      return endpoints.some((e) => mappings(e.metricRelabelings).some((r) => r.targetLabel === '__name__'));
    };
    const monitor = graph
      .ofKind('ServiceMonitor')
      .concat(graph.ofKind('PodMonitor'))
      .find((o) => relabels(o));
    const scrapeConfig = graph
      .ofKind('ConfigMap')
      .find((o) => Object.values(mapping(o.manifest.data)).some((v) => typeof v === 'string' && /target_label:\s*['"]?__name__/.test(v)));
    const by = monitor ?? scrapeConfig;
    return { recorded, relabeledBy: by ? graph.id(by) : undefined };
  });
}

/**
 * The vLLM releases the tree's servers run, each with an image that pins it: every container image whose repository
 * names vLLM. Undefined when there is none, or one whose release its reference does not prove (`latest`, a digest, a
 * build of another repository): then any release may serve the queries.
 */
function pinnedReleases(graph: ObjectGraph): { version: string; image: string }[] | undefined {
  return graph.once('vllm-metric-unknown:releases', () => {
    const images = new Set(
      graph.objects
        .flatMap((o) => [...containersOf(o.manifest), ...templateContainers(o.manifest)].map((c) => c.container.image))
        .filter((i): i is string => typeof i === 'string' && /vllm/i.test(parseImageReference(i).repository)),
    );
    const pinned = [...images].map((image) => ({ image, version: vllmVersionOfImageReference(image)?.version }));
    return pinned.length && pinned.every((p) => p.version !== undefined) ? (pinned as { version: string; image: string }[]) : undefined;
  });
}

/** A name vLLM never exports: vllm_<name> with no vLLM metric family behind it (vLLM names every metric vllm:<name>). */
const FOREIGN_NAME = /^vllm_[a-z0-9_]+$/;

/** Kinds whose server KServe assembles from a runtime: what they run is the service's serving kind, not a container's command. */
const SERVICES = new Set(['InferenceService', 'LLMInferenceService', 'ServingRuntime', 'ClusterServingRuntime']);

/**
 * The vLLM servers of the tree, where they are what its queries read: workloads with a container that visibly starts
 * vLLM's server (`vllm serve`, the api_server module, an image whose entrypoint is one) and InferenceServices and
 * LLMInferenceServices that serve with vLLM. Undefined where there is none, or where a container whose image names
 * vLLM does not visibly start vLLM's server: a custom server of the tree, which may export vllm_ names of its own.
 */
function treeVllmServers(graph: ObjectGraph): string[] | undefined {
  return graph.once('vllm-metric-unknown:servers', () => {
    const servers: string[] = [];
    for (const o of graph.objects) {
      if (o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService') {
        if (graph.servingKindOf(o).startsWith('vllm')) servers.push(graph.id(o));
        continue;
      }
      if (SERVICES.has(String(o.manifest.kind))) continue;
      const lines = workloadVllmLines(o.manifest);
      const custom = lines.some((c) => !c.args.invoked && /vllm/i.test(parseImageReference(String(c.container.image ?? '')).repository));
      if (custom) return undefined;
      if (lines.some((c) => c.args.invoked)) servers.push(graph.id(o));
    }
    return servers.length ? servers : undefined;
  });
}

/** The finding on a vllm_ name no vLLM release exports, where the tree's servers are vLLM's own; none where they are not known to be. */
function foreign(name: string, fields: string, changes: NameChanges, graph: ObjectGraph): Problem[] {
  const servers = treeVllmServers(graph);
  if (!servers) return [];
  const near = vllmMetric(name.replace(/^vllm_/, 'vllm:'));
  const hint = near?.kind === 'unknown' && near.closest ? `; did you mean ${near.closest}?` : '';
  const shown = servers.slice(0, 3).join(', ') + (servers.length > 3 ? `, and ${servers.length - 3} more` : '');
  const effect =
    `vLLM names every metric it exports vllm:<name> (a colon), and no vLLM release exports ${name}: the vLLM servers of the tree (${shown}) make no such series, ` +
    'so the query is always empty: an alert never fires, a KEDA trigger reads 0 or fails, an adapter serves no value';
  const fix = `name a metric vLLM exports (vllm:num_requests_waiting, vllm:kv_cache_usage_perc, vllm:e2e_request_latency_seconds_bucket, …)${hint}`;
  if (changes.relabeledBy)
    return [
      {
        severity: 'warning',
        message: `${fields} selects ${name}: ${effect}, unless the __name__ relabeling of ${changes.relabeledBy} makes that name; ${fix}`,
      },
    ];
  return [{ message: `${fields} selects ${name}: ${effect}; ${fix}` }];
}

/** A retired name, said as a warning; an info where every vLLM server of the tree runs a release that still exports it. */
function retired(verdict: Extract<VllmMetricVerdict, { kind: 'retired' }>, fields: string, graph: ObjectGraph): Problem[] {
  const { name } = verdict;
  const gone = verdict.removed ? `hides it from ${verdict.hidden} and removed it in ${verdict.removed}` : `hides it from ${verdict.hidden}`;
  const instead = verdict.replacement ? `; read vllm:${verdict.replacement} instead` : '';
  const releases = pinnedReleases(graph);
  // hidden from X.Y: from its first release, X.Y.0
  if (releases?.every((r) => compareVllmVersions(r.version, `${verdict.hidden}.0`) < 0)) {
    const pins = [...new Set(releases.map((r) => `${r.version} (${r.image})`))].join(', ');
    return [
      {
        severity: 'info',
        message: `${fields} selects ${name}, which the vLLM the tree pins exports: ${pins}; vLLM ${gone} (${verdict.source}), so the query turns empty once the servers move to such a release${instead}`,
      },
    ];
  }
  const after = releases?.filter((r) => compareVllmVersions(r.version, `${verdict.hidden}.0`) >= 0) ?? [];
  const pinned = after.length ? `; the vLLM the tree pins is such a release: ${[...new Set(after.map((r) => `${r.version} (${r.image})`))].join(', ')}` : '';
  return [
    {
      severity: 'warning',
      message: `${fields} selects ${name}, which vLLM deprecated: vLLM ${gone} (${verdict.source}), so on those releases the query is empty${pinned}${instead}`,
    },
  ];
}

/** The finding on one name a query selects, or none when vLLM exports it (or the tree makes it). */
function judge(verdict: VllmMetricVerdict, fields: string, changes: NameChanges, graph: ObjectGraph): Problem[] {
  const { name } = verdict;
  if (verdict.kind === 'known' || changes.recorded.has(name)) return [];
  if (verdict.kind === 'underscore') {
    const effect = `vLLM exports ${verdict.exported} (a colon, not an underscore), so no series is named ${name} and the query is always empty: a KEDA trigger reads 0 or fails, an alert never fires, an adapter serves no value`;
    if (changes.relabeledBy) {
      return [
        {
          severity: 'warning',
          message: `${fields} selects ${name}: ${effect}, unless the __name__ relabeling of ${changes.relabeledBy} makes that name; write ${verdict.exported}`,
        },
      ];
    }
    return [{ message: `${fields} selects ${name}: ${effect}; write ${verdict.exported}` }];
  }
  if (verdict.kind === 'retired') return retired(verdict, fields, graph);
  const hint = verdict.closest ? ` (did you mean ${verdict.closest}?)` : '';
  return [
    {
      severity: 'warning',
      message: `${fields} selects ${name}, a name no vLLM release exports${hint}: unless another component emits it, the query is always empty; check the name against the engine's /metrics`,
    },
  ];
}

/** A retired name read beside its replacement (`vllm:kv_cache_usage_perc or vllm:gpu_cache_usage_perc`): the query serves old and new releases. */
function fallsBack(verdict: VllmMetricVerdict, metrics: readonly string[]): boolean {
  if (verdict.kind !== 'retired' || !verdict.replacement) return false;
  const replacement = verdict.replacement;
  return metrics.some((m) => {
    const other = vllmMetric(m);
    return other?.kind === 'known' && m.replace(/^vllm:/, '').startsWith(replacement);
  });
}

export const vllmMetricUnknown: Rule = {
  id: 'vllm-metric-unknown',
  title: 'a Prometheus query names a vLLM metric vLLM does not export (vllm_num_requests_running for vllm:num_requests_running): the query is always empty',
  severity: 'error',
  appliesTo: ['ScaledObject', 'ScaledJob', 'PrometheusRule', 'ConfigMap'],
  premise:
    "a KEDA prometheus trigger's query, a PrometheusRule expr, a prometheus-adapter rule's seriesQuery or metricsQuery, or the expr of a Prometheus rule file a ConfigMap holds (a data value whose `groups` hold `rules`, as Prometheus loads it through rule_files) selects vllm_<name> where vLLM exports vllm:<name> (an error; a warning when a ServiceMonitor, PodMonitor or scrape config of the tree relabels __name__), " +
    'a vllm_<name> no vLLM release exports in any spelling (vllm_queue_length) where the tree runs vLLM servers (a container that visibly starts vLLM, an InferenceService or LLMInferenceService serving with vLLM) and no container whose image names vLLM runs something else (a custom server may export vllm_ names of its own: not judged; an error, a warning where __name__ is relabeled), ' +
    'a vllm: name vLLM deprecated and removed, unless the query also reads its replacement (a warning naming the releases; an info where every container image of the tree whose repository names vLLM pins a release before the one that hides it, read from its tag as the other vLLM rules read it), or a vllm: name neither the engine nor the production-stack router exports (a warning); names a recording rule of the tree makes (a PrometheusRule, a rule file of a ConfigMap) are not judged; ' +
    "the panel exprs of a Grafana dashboard a ConfigMap ships (labeled grafana_dashboard, as Grafana's dashboard sidecar loads it, or a *.json data value holding panels) are judged for the underscore and retired names alone, as warnings (other vllm: names there may be a KV connector's or an extension's)",
  example: '`query: sum(vllm_num_requests_running)` in a ScaledObject prometheus trigger',
  fix: 'name the metric as vLLM exports it: vllm:<name>, with a colon (vllm:num_requests_running, vllm:kv_cache_usage_perc)',
  source:
    'vllm-project/vllm vllm/v1/metrics/loggers.py PrometheusStatLogger and vllm/v1/spec_decode/metrics.py (every name vllm:…), vllm/engine/metrics.py (the V0 engine, to 0.9); prometheus/prometheus model/rulefmt (rule files: groups[].rules[].expr and record); deprecations vllm#15458, vllm#18837, vllm#24245, vllm#29330; vllm-project/production-stack src/vllm_router for the router names; grafana/helm-charts charts/grafana sidecar.dashboards.label (grafana_dashboard) and the Grafana dashboard JSON model (panels[].targets[].expr)',
  check(o, { graph }) {
    const byName = new Map<string, { verdict?: VllmMetricVerdict; fields: string[]; alerting: boolean }>();
    const queries = [...prometheusQueries(o).map((q) => ({ ...q, alerting: true })), ...dashboardQueries(o).map((q) => ({ ...q, alerting: false }))];
    for (const { where, query, alerting } of queries) {
      const metrics = promqlMetrics(query);
      for (const metric of metrics) {
        const verdict = vllmMetric(metric);
        if (verdict ? fallsBack(verdict, metrics) : !FOREIGN_NAME.test(metric)) continue;
        // a retired family's series (_bucket, _sum, _count) are one cause: one finding, on the family
        const key = verdict?.kind === 'retired' ? metric.replace(/_(bucket|sum|count)$/, '') : metric;
        const seen = byName.get(key) ?? { verdict: verdict && { ...verdict, name: key }, fields: [], alerting };
        if (!seen.fields.includes(where)) seen.fields.push(where);
        seen.alerting ||= alerting;
        byName.set(key, seen);
      }
    }
    const changes = nameChanges(graph);
    return [...byName.entries()].flatMap(([name, { verdict, fields, alerting }]) => {
      if (changes.recorded.has(name)) return [];
      // a dashboard charts what else the pods export (a KV connector's, an extension's vllm: gauges): only names vLLM itself had are judged there
      if (!alerting && (!verdict || verdict.kind === 'unknown')) return [];
      const problems = verdict ? judge(verdict, fields.join(', '), changes, graph) : foreign(name, fields.join(', '), changes, graph);
      // an empty panel misleads but fails nothing: a dashboard's finding is a warning at most
      return alerting ? problems : problems.map((p) => (p.severity === 'info' ? p : { ...p, severity: 'warning' as const }));
    });
  },
};
