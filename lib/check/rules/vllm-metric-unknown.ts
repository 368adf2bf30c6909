import { mapping, mappings } from '../../manifests/access';
import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { parseImageReference, vllmReleaseOfImage } from '../../catalog/vllm-images';
import { chartValueImages } from '../chart-value-images';
import { ObjectGraph } from '../graph';
import { containersOf } from '../pods';
import { templateContainers } from '../pod-templates';
import { workloadVllmLines } from '../workload-lines';
import { dashboardQueries, prometheusQueries, recordedSeries } from '../prometheus-queries';
import { promqlMetrics } from '../promql-metrics';
import { vllmRenamingMonitors } from '../metric-relabels';
import { namesTheQueryRestsOn } from '../promql-tree';
import { Problem, Rule } from '../rule';
import { vllmMetric, VllmMetricVerdict } from '../vllm-metrics';

/** What the tree does to metric names before a query sees them: series its recording rules make, and whether a scrape relabels __name__. */
interface NameChanges {
  readonly recorded: ReadonlySet<string>;
  readonly relabeledBy?: string;
  /** Monitors that rename vLLM's names (vllm:(.*) to kserve_vllm:$1, as KServe's LLMInferenceService PodMonitor does), by id. */
  readonly renamers: readonly { readonly id: string; readonly renamed: (name: string) => string }[];
  /** Whether every scrape the tree shows renames them: no monitor that keeps vLLM's names, no scrape config of a ConfigMap. */
  readonly allRenamed: boolean;
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
    const monitors = graph.ofKind('ServiceMonitor').concat(graph.ofKind('PodMonitor'));
    const renamers = vllmRenamingMonitors(monitors).map((r) => ({ id: graph.id(r.monitor), renamed: r.renamed }));
    const plainScrape = graph
      .ofKind('ConfigMap')
      .some((o) => Object.values(mapping(o.manifest.data)).some((v) => typeof v === 'string' && /\bscrape_configs:/.test(v)));
    const allRenamed = renamers.length > 0 && renamers.length === monitors.length && !plainScrape;
    return { recorded, relabeledBy: by ? graph.id(by) : undefined, renamers, allRenamed };
  });
}

/** A vLLM image of the tree and the release it runs, where its reference tells it (exact, or the newest at `latest`). */
interface TreeVllm {
  readonly image: string;
  readonly version?: string;
  readonly atLeast?: boolean;
}

/**
 * The vLLM images the tree states: every container image whose repository names vLLM, and every image a chart
 * release's inline values state (an Argo CD Application's helm values, valuesObject or parameters, a Flux
 * HelmRelease's values: repository and tag) whose repository names vLLM. Each with its release where the reference
 * tells it, as the other vLLM rules read it: a release tag, or the newest release at `latest`.
 */
function treeVllms(graph: ObjectGraph): TreeVllm[] {
  return graph.once('vllm-metric-unknown:releases', () => {
    const images = new Set(
      graph.objects
        .flatMap((o) => [...containersOf(o.manifest), ...templateContainers(o.manifest)].map((c) => c.container.image))
        .filter((i): i is string => typeof i === 'string')
        .concat(chartValueImages(graph).map((i) => i.image))
        .filter((i) => /vllm/i.test(parseImageReference(i).repository)),
    );
    return [...images].map((image) => {
      const release = vllmReleaseOfImage(image);
      return release ? { image, version: release.version, atLeast: release.atLeast } : { image };
    });
  });
}

/** The releases named, each with the image that runs it. */
const namedReleases = (vllms: readonly TreeVllm[]) => [...new Set(vllms.map((r) => `${r.version}${r.atLeast ? ' or newer' : ''} (${r.image})`))].join(', ');

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

/**
 * A retired name: a warning where a vLLM the tree states (a release tag, or `latest`) no longer exports it; an info
 * where every vLLM image of the tree pins a release that still does, or where the tree states no release (vLLM's
 * releases before the one that hides it export it: the query is right for them).
 */
function retired(verdict: Extract<VllmMetricVerdict, { kind: 'retired' }>, fields: string, graph: ObjectGraph): Problem[] {
  const { name } = verdict;
  const gone = verdict.removed ? `hides it from ${verdict.hidden} and removed it in ${verdict.removed}` : `hides it from ${verdict.hidden}`;
  const instead = verdict.replacement ? `; read vllm:${verdict.replacement} instead` : '';
  const vllms = treeVllms(graph);
  // hidden from X.Y: from its first release, X.Y.0
  const lacking = vllms.filter((r) => r.version !== undefined && compareVllmVersions(r.version, `${verdict.hidden}.0`) >= 0);
  if (lacking.length) {
    return [
      {
        severity: 'warning',
        message: `${fields} selects ${name}, which vLLM deprecated: vLLM ${gone} (${verdict.source}), so on those releases the query is empty; the vLLM the tree pins is such a release: ${namedReleases(lacking)}${instead}`,
      },
    ];
  }
  const known = vllms.filter((r) => r.version !== undefined);
  if (vllms.length && known.length === vllms.length) {
    return [
      {
        severity: 'info',
        message: `${fields} selects ${name}, which the vLLM the tree pins exports: ${namedReleases(known)}; vLLM ${gone} (${verdict.source}), so the query turns empty once the servers move to such a release${verdict.replacement ? `, which exports vllm:${verdict.replacement} instead` : ''}`,
      },
    ];
  }
  const unknown = vllms.filter((r) => r.version === undefined).map((r) => r.image);
  const told = unknown.length ? `no release tag of ${unknown.join(', ')} tells which` : 'the tree states no vLLM release';
  return [
    {
      severity: 'info',
      message: `${fields} selects ${name}, which vLLM exports before ${verdict.hidden}: vLLM ${gone} (${verdict.source}), and ${told}; on such a release the query is empty${verdict.replacement ? ` and vllm:${verdict.replacement} is the name to read` : ''}`,
    },
  ];
}

/**
 * A name vLLM exports that the monitors scraping it rename (KServe's LLMInferenceService PodMonitor stores vllm:<name>
 * as kserve_vllm:<name>): an error where every scrape the tree shows renames it, else a warning (another scrape may
 * keep vLLM's name); none where no monitor of the tree renames it.
 */
function renamedAway(name: string, fields: string, changes: NameChanges): Problem[] {
  const renamer = changes.renamers.find((r) => r.renamed(name) !== name);
  if (!renamer) return [];
  const stored = renamer.renamed(name);
  const others = changes.renamers.length > 1 ? ` (and ${changes.renamers.length - 1} more monitor${changes.renamers.length > 2 ? 's' : ''})` : '';
  const effect = `${renamer.id}${others} renames vLLM's metrics for the targets it scrapes (its metricRelabelings store ${name} as ${stored}), so the query is empty for those targets: an alert never fires, a KEDA trigger reads 0 or fails, a panel stays blank`;
  if (changes.allRenamed) return [{ message: `${fields} selects ${name}: ${effect}; every scrape of vLLM the tree shows renames it: write ${stored}` }];
  return [
    {
      severity: 'warning',
      message: `${fields} selects ${name}: ${effect}; another scrape of the tree may keep vLLM's name for other targets: for those ${renamer.id} scrapes, write ${stored} (or read both: ${name} or ${stored})`,
    },
  ];
}

/** The finding on one name a query selects, or none when vLLM exports it (or the tree makes it). */
function judge(verdict: VllmMetricVerdict, fields: string, changes: NameChanges, graph: ObjectGraph): Problem[] {
  const { name } = verdict;
  if (changes.recorded.has(name)) return [];
  if (verdict.kind === 'known') return renamedAway(name, fields, changes);
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

/**
 * Whether a name a query reads is one this rule judges there (no series of it, or none on some release): not a
 * name vLLM exports or a recording rule of the tree makes; on a dashboard, which charts what else the pods export (a
 * KV connector's, an extension's vllm: gauges), only names vLLM itself had; a vllm_ name of no vLLM family only
 * where the tree's servers are vLLM's own.
 */
function judgedHere(metric: string, verdict: VllmMetricVerdict | undefined, alerting: boolean, changes: NameChanges, graph: ObjectGraph): boolean {
  const family = verdict?.kind === 'retired' ? metric.replace(/_(bucket|sum|count)$/, '') : metric;
  if (changes.recorded.has(family) || changes.recorded.has(metric)) return false;
  if (!verdict) return alerting && treeVllmServers(graph) !== undefined;
  if (verdict.kind === 'known') return changes.renamers.some((r) => r.renamed(metric) !== metric);
  return alerting || verdict.kind !== 'unknown';
}

export const vllmMetricUnknown: Rule = {
  id: 'vllm-metric-unknown',
  title: 'a Prometheus query names a vLLM metric vLLM does not export (vllm_num_requests_running for vllm:num_requests_running): the query is always empty',
  severity: 'error',
  appliesTo: ['ScaledObject', 'ScaledJob', 'PrometheusRule', 'ConfigMap'],
  premise:
    "a KEDA prometheus trigger's query, a PrometheusRule expr, a prometheus-adapter rule's seriesQuery or metricsQuery, or the expr of a Prometheus rule file a ConfigMap holds (a data value whose `groups` hold `rules`, as Prometheus loads it through rule_files) selects vllm_<name> where vLLM exports vllm:<name> (an error; a warning when a ServiceMonitor, PodMonitor or scrape config of the tree relabels __name__), " +
    'a vllm_<name> no vLLM release exports in any spelling (vllm_queue_length) where the tree runs vLLM servers (a container that visibly starts vLLM, an InferenceService or LLMInferenceService serving with vLLM) and no container whose image names vLLM runs something else (a custom server may export vllm_ names of its own: not judged; an error, a warning where __name__ is relabeled), ' +
    "a vllm: name vLLM deprecated and removed, unless the query also reads its replacement (a warning where a vLLM image the tree states runs a release that hides it: a release tag, or `latest`, the newest release; an info where every such image pins a release before that one, or where the tree states no release, since vLLM's earlier releases export the name; the images are the containers' whose repository names vLLM and the repository and tag pairs of the inline values of its Argo CD Applications and Flux HelmReleases, read from the tag as the other vLLM rules read it), or a vllm: name neither the engine nor the production-stack router exports (a warning); names a recording rule of the tree makes (a PrometheusRule, a rule file of a ConfigMap) are not judged; " +
    "a name is judged only where the query's result rests on it, as PromQL's operators read (`or` keeps the series of either side, `unless` its left, other operators need both): not beside an `or` alternative that reads a live metric (`sum(vllm:num_requests_running) or sum(vllm_num_requests_running)`, `absent(vllm:x) and absent(vllm_x)`), while a constant alternative (`or vector(0)`) or an absent() of the name saves nothing; " +
    "a vllm: name vLLM exports is judged after the metricRelabelings of the tree's ServiceMonitors and PodMonitors (a replace of __name__ from __name__, as Prometheus applies it): where a monitor renames it (vllm:(.*) to kserve_vllm:$1, KServe's LLMInferenceService PodMonitor's kserve_$1), the query is empty for the targets it scrapes (an error where every monitor of the tree renames it and no scrape config keeps the name, else a warning), and the stored name (kserve_vllm:<name>) is not judged; " +
    "the panel exprs of a Grafana dashboard a ConfigMap ships (labeled grafana_dashboard, as Grafana's dashboard sidecar loads it, or a *.json data value holding panels) are judged for the underscore and retired names alone, as warnings (other vllm: names there may be a KV connector's or an extension's)",
  example: '`query: sum(vllm_num_requests_running)` in a ScaledObject prometheus trigger',
  fix: 'name the metric as vLLM exports it: vllm:<name>, with a colon (vllm:num_requests_running, vllm:kv_cache_usage_perc)',
  source:
    'vllm-project/vllm vllm/v1/metrics/loggers.py PrometheusStatLogger and vllm/v1/spec_decode/metrics.py (every name vllm:…), vllm/engine/metrics.py (the V0 engine, to 0.9); prometheus/prometheus model/rulefmt (rule files: groups[].rules[].expr and record) and promql/parser generated_parser.y (operator precedence), promql/engine.go (or, and, unless: VectorOr, VectorAnd, VectorUnless; absent); model/relabel/relabel.go (replace: an anchored regex, default (.*), replacement $1); opendatahub-io/kserve pkg/controller/llmisvc/monitoring.go expectedVLLMEngineMonitor (PodMonitor kserve-llm-isvc-vllm-engine: metricRelabelings __name__ to kserve_$1); deprecations vllm#15458, vllm#18837, vllm#24245, vllm#29330; vllm-project/production-stack src/vllm_router for the router names; grafana/helm-charts charts/grafana sidecar.dashboards.label (grafana_dashboard) and the Grafana dashboard JSON model (panels[].targets[].expr); argo-cd ApplicationSourceHelm (values, valuesObject, parameters) and fluxcd/helm-controller HelmReleaseSpec.Values for the values that name the images of a chart',
  check(o, { graph }) {
    const changes = nameChanges(graph);
    const byName = new Map<string, { verdict?: VllmMetricVerdict; fields: string[]; alerting: boolean }>();
    const queries = [...prometheusQueries(o).map((q) => ({ ...q, alerting: true })), ...dashboardQueries(o).map((q) => ({ ...q, alerting: false }))];
    for (const { where, query, alerting } of queries) {
      const metrics = promqlMetrics(query);
      const judged = metrics.flatMap((metric) => {
        const verdict = vllmMetric(metric);
        if (verdict ? fallsBack(verdict, metrics) : !FOREIGN_NAME.test(metric)) return [];
        return judgedHere(metric, verdict, alerting, changes, graph) ? [{ metric, verdict }] : [];
      });
      // a name read beside a live alternative (`sum(vllm:x) or sum(vllm_x)`) leaves the query its series
      const rests = namesTheQueryRestsOn(query, new Set(judged.map((j) => j.metric)));
      for (const { metric, verdict } of judged.filter((j) => rests.has(j.metric))) {
        // a retired family's series (_bucket, _sum, _count) are one cause: one finding, on the family
        const key = verdict?.kind === 'retired' ? metric.replace(/_(bucket|sum|count)$/, '') : metric;
        const seen = byName.get(key) ?? { verdict: verdict && { ...verdict, name: key }, fields: [], alerting };
        if (!seen.fields.includes(where)) seen.fields.push(where);
        seen.alerting ||= alerting;
        byName.set(key, seen);
      }
    }
    return [...byName.entries()].flatMap(([name, { verdict, fields, alerting }]) => {
      const problems = verdict ? judge(verdict, fields.join(', '), changes, graph) : foreign(name, fields.join(', '), changes, graph);
      // an empty panel misleads but fails nothing: a dashboard's finding is a warning at most
      return alerting ? problems : problems.map((p) => (p.severity === 'info' ? p : { ...p, severity: 'warning' as const }));
    });
  },
};
