import { holdsLabels, Loose, mapping, mappings, strings, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podLabelsOf, REPLICATED_KINDS } from '../pods';
import { promqlMetrics } from '../promql-metrics';
import { selectedWorkloads } from '../request-servers';
import { Problem, Rule } from '../rule';
import { workloadServedNames } from '../served-names';
import { vllmEngineMetric } from '../vllm-metrics';
import { workloadVllmLines } from '../workload-lines';
import { vllmTarget } from './scale-from-zero-unreachable';

/** The label matchers of one selector: `{namespace="ai", model_name=~"x"}`. */
function matchersOf(selector: string): { label: string; op: string; value: string }[] {
  return [...selector.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => ({ label: m[1], op: m[2], value: m[3] }));
}

/**
 * The namespace a query's vLLM series are narrowed to, where they are narrowed by nothing else: every vLLM metric
 * of the query has no matcher but `namespace="x"` (the same x for all; null for none: every namespace). Undefined
 * where any selector names another label (model_name, pod, service, job, a relabelled app label) or the query
 * groups its result (`by (…)`, whose several series KEDA does not add up).
 */
function spannedNamespace(query: string): string | null | undefined {
  if (/\b(by|without)\s*\(/.test(query)) return undefined;
  const selectors = [...query.matchAll(/(vllm[:_][A-Za-z0-9_:]*)\s*(\{[^}]*\})?/g)].map((m) => matchersOf(m[2] ?? ''));
  if (!selectors.length) return undefined;
  const namespaces = new Set<string | null>();
  for (const matchers of selectors) {
    if (matchers.some((x) => x.label !== 'namespace' || x.op !== '=')) return undefined;
    namespaces.add(matchers[0]?.value ?? null);
  }
  return namespaces.size === 1 ? [...namespaces][0] : undefined;
}

/** Whether a ServiceMonitor or PodMonitor of the tree selects a workload's pods (through a Service for a ServiceMonitor); matchLabels only. */
function monitored(graph: ObjectGraph, w: GraphObject): boolean {
  const ns = graph.namespaceOf(w.manifest);
  const watches = (monitor: GraphObject) => {
    const namespaces = mapping(mapping(monitor.manifest.spec).namespaceSelector);
    if (namespaces.any === true) return true;
    const names = strings(namespaces.matchNames);
    return names.length ? names.includes(ns ?? '') : graph.namespaceOf(monitor.manifest) === ns;
  };
  const selector = (monitor: GraphObject) => stringMap(mapping(mapping(monitor.manifest.spec).selector).matchLabels);
  const pods = graph.ofKind('PodMonitor').some((p) => watches(p) && holdsLabels(stringMap(podLabelsOf(w.manifest)), selector(p)));
  const services = graph
    .ofKind('ServiceMonitor')
    .filter(watches)
    .some((m) =>
      graph
        .ofKind('Service')
        .filter((s) => graph.namespaceOf(s.manifest) === ns && holdsLabels(stringMap(mapping(s.manifest.metadata).labels), selector(m)))
        .some((s) => selectedWorkloads(s, graph).includes(w)),
    );
  return pods || services;
}

/** The other vLLM servers of the tree a query over that namespace (null: any) reads, serving another model than the target. */
function otherServers(graph: ObjectGraph, target: GraphObject, namespace: string | null): GraphObject[] {
  const own = workloadServedNames(target.manifest);
  return REPLICATED_KINDS.flatMap((k) => graph.ofKind(k))
    .filter((w) => w !== target && (namespace === null || graph.namespaceOf(w.manifest) === namespace))
    .filter((w) => workloadVllmLines(w.manifest).some((l) => l.args.invoked))
    .filter((w) => {
      const names = workloadServedNames(w.manifest);
      return !(own && names && names.every((n) => own.includes(n)));
    });
}

const served = (m: Loose) => {
  const names = workloadServedNames(m);
  return names?.length ? `serving '${names.join("', '")}'` : 'serving a model the tree does not name';
};

/** The finding on one prometheus trigger of the ScaledObject, where its query spans other servers. */
function judgeTrigger(graph: ObjectGraph, target: GraphObject, trigger: Loose, index: number): Problem[] {
  if (trigger.type !== 'prometheus') return [];
  const query = text(mapping(trigger.metadata).query);
  if (!query) return [];
  const metrics = promqlMetrics(query);
  const vllm = metrics.map(vllmEngineMetric).filter((m): m is string => m !== undefined);
  if (!vllm.length || vllm.length < metrics.length) return [];
  const namespace = spannedNamespace(query);
  if (namespace === undefined) return [];
  const others = otherServers(graph, target, namespace);
  if (!others.length) return [];
  const anyMonitor = graph.ofKind('ServiceMonitor').length + graph.ofKind('PodMonitor').length > 0;
  const scraped = anyMonitor ? others.filter((w) => monitored(graph, w)) : others;
  if (!scraped.length) return [];
  const names = workloadServedNames(target.manifest);
  const narrow =
    names?.length === 1
      ? `model_name="${names[0]}" (vLLM labels every engine metric with the served model name)`
      : 'model_name (the served model name vLLM labels every engine metric with)';
  return [
    {
      ...(anyMonitor ? {} : { severity: 'warning' as const }),
      message:
        `triggers[${index}] query '${query}' reads ${[...new Set(vllm)].join(', ')} ${namespace === null ? 'in every namespace' : `in namespace '${namespace}'`} with no model_name, pod, service or job matcher, ` +
        `so it adds up the series of every vLLM server there: ${graph.id(target)} (${served(target.manifest)}, the target) and ${scraped.map((w) => `${graph.id(w)} (${served(w.manifest)})`).join(', ')}; ` +
        `KEDA scales ${graph.id(target)} on the other servers' load too` +
        (anyMonitor ? '' : ' (where Prometheus scrapes them as it scrapes the target: the tree holds no ServiceMonitor or PodMonitor to tell)') +
        `; narrow the selector to the target's own series: ${narrow}, or its pod, service or job label`,
    },
  ];
}

export const scaledObjectQuerySpansServers: Rule = {
  id: 'scaled-object-query-spans-servers',
  title:
    "a KEDA ScaledObject scales a vLLM server on a Prometheus query of vLLM metrics that no matcher narrows to it: it scales on the other servers' load too",
  severity: 'error',
  appliesTo: ['ScaledObject'],
  premise:
    'the ScaledObject (keda.sh) targets a vLLM workload of the tree (a Deployment, StatefulSet, Rollout or DeploymentConfig that starts vLLM), and a prometheus trigger\'s query selects only vLLM engine metrics, whose selectors carry no matcher but namespace="x" (or none) and which groups nothing (no by or without); ' +
    "the tree holds another workload starting vLLM in that namespace (any, with no namespace matcher) whose served model names are not all the target's: vLLM's series differ only by labels (model_name, and the pod, service and job labels of the scrape), so the query adds the other server's queue or running requests to the target's. " +
    "An error where a ServiceMonitor or PodMonitor of the tree scrapes the other server (matchLabels of its pods, or of a Service selecting them; one in its namespace, or naming it); nothing where the tree's monitors scrape none of them; a warning where the tree holds no monitor (how Prometheus scrapes is not shown)",
  example: '`query: sum(vllm:num_requests_waiting{namespace="llm"})` on a ScaledObject of the chat server, beside an embedding server in namespace llm',
  fix: 'narrow the selector to the target\'s own series: model_name="<its served model name>" (or its pod, service or job label), e.g. sum(vllm:num_requests_waiting{namespace="llm", model_name="chat"})',
  source:
    "kedacore/keda pkg/scalers/prometheus_scaler.go (the query's single value is the metric KEDA scales on); vLLM vllm/v1/metrics/loggers.py PrometheusStatLogger (engine metrics labelled model_name and engine); Prometheus: an aggregation without by() adds up every series its selector matches; prometheus-operator ServiceMonitor and PodMonitor (selector, namespaceSelector: the monitor's namespace by default)",
  check(o, { graph, platform }) {
    const target = vllmTarget(graph, o, platform);
    if (!target || !REPLICATED_KINDS.includes(String(target.manifest.kind))) return [];
    return mappings(mapping(o.manifest.spec).triggers).flatMap((t, i) => judgeTrigger(graph, target, t, i));
  },
};
