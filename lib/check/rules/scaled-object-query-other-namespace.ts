import { Loose, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { REPLICATED_KINDS } from '../pods';
import { promqlMetrics } from '../promql-metrics';
import { Problem, Rule } from '../rule';
import { workloadServedNames } from '../served-names';
import { vllmEngineMetric } from '../vllm-metrics';
import { workloadVllmLines } from '../workload-lines';
import { vllmTarget } from './scale-from-zero-unreachable';

/** One label matcher of a selector: `namespace="ai"`, `model_name=~"chat.*"`. */
interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** The label matchers of every vector selector of the query (`metric{…}` or a bare `{…}`), one list per selector. */
function selectorsOf(query: string): Matcher[][] | undefined {
  const bare = query.replace(/#.*$/gm, ' ');
  const selectors = [...bare.matchAll(/(?:[A-Za-z_:][A-Za-z0-9_:]*\s*)?\{([^}]*)\}/g)].map((m) =>
    [...m[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((x) => ({ label: x[1], op: x[2] as Matcher['op'], value: x[3] })),
  );
  // a metric selected with no braces has no matcher at all: it reads every namespace
  const braced = selectors.length;
  const metrics = promqlMetrics(query).length;
  return braced >= metrics ? selectors : undefined;
}

/**
 * Whether a matcher admits a label value, as Prometheus matches: `=` and `!=` compare the string, `=~` and `!~` match
 * the RE2 expression anchored at both ends (prometheus model/labels/regexp.go NewFastRegexMatcher: "^(?s:…)$");
 * undefined where the expression is no JavaScript regular expression of the same meaning.
 */
function admits(m: Matcher, value: string): boolean | undefined {
  if (m.op === '=') return m.value === value;
  if (m.op === '!=') return m.value !== value;
  if (/\(\?|\\[pPQEz]|\[\[:/.test(m.value)) return undefined; // RE2 flags and classes JavaScript reads otherwise
  try {
    const hit = new RegExp(`^(?:${m.value.replace(/\\\\/g, '\\')})$`, 's').test(value);
    return m.op === '=~' ? hit : !hit;
  } catch {
    return undefined;
  }
}

/** The matchers on one label of every selector that writes one, where every selector does; undefined where one does not. */
function everySelectorMatches(selectors: Matcher[][], label: string): Matcher[] | undefined {
  const matchers = selectors.map((s) => s.filter((m) => m.label === label));
  return matchers.every((m) => m.length > 0) ? matchers.flat() : undefined;
}

/** What the query's matchers on a label say of the target's value: every selector excludes it, or not. */
function excluded(selectors: Matcher[][], label: string, values: readonly string[]): Matcher | undefined {
  const matchers = everySelectorMatches(selectors, label);
  if (!matchers) return undefined;
  // a selector excludes the target where one of its matchers on the label admits none of the target's values
  const cuts = selectors.map((s) => s.filter((m) => m.label === label).find((m) => values.every((v) => admits(m, v) === false)));
  return cuts.every((c) => c !== undefined) ? cuts[0] : undefined;
}

/** The vLLM servers of the tree in a namespace: what a query of that namespace does read. */
function serversIn(graph: ObjectGraph, namespace: string): GraphObject[] {
  return [...REPLICATED_KINDS, 'InferenceService']
    .flatMap((k) => graph.ofKind(k))
    .filter((w) => graph.namespaceOf(w.manifest) === namespace && workloadVllmLines(w.manifest).some((l) => l.args.invoked));
}

const said = (m: Matcher) => `${m.label}${m.op}"${m.value}"`;

/** How a message names the target: a service by the predictor Deployment KServe makes for it. */
const targetOf = (graph: ObjectGraph, t: GraphObject) =>
  t.manifest.kind === 'InferenceService' ? `Deployment ${text(mapping(t.manifest.metadata).name) ?? ''}-predictor (of ${graph.id(t)})` : graph.id(t);

/** The finding on a query whose every selector excludes the target's namespace. */
function otherNamespace(graph: ObjectGraph, target: GraphObject, index: number, query: string, cut: Matcher, ns: string): Problem {
  const elsewhere = cut.op === '=' ? serversIn(graph, cut.value) : [];
  const effect = elsewhere.length
    ? `it reads the series of ${elsewhere.map((w) => graph.id(w)).join(', ')} there, so KEDA scales the target on another namespace's load`
    : `Prometheus labels each scraped series with the namespace of the pod it scrapes, so the query returns no series of the target's pods and KEDA never scales the target on its load (an empty result is 0, or an error with ignoreNullValues false)`;
  return {
    ...(elsewhere.length ? { severity: 'warning' as const } : {}),
    message:
      `triggers[${index}] query '${query}' selects ${said(cut)}, but the target ${targetOf(graph, target)} runs in namespace '${ns}': ${effect}; ` +
      `select namespace="${ns}" (or drop the matcher and narrow by model_name)`,
  };
}

/** The finding on a query whose every selector excludes the target's served model names. */
function otherModel(graph: ObjectGraph, target: GraphObject, index: number, query: string, cut: Matcher, names: readonly string[]): Problem {
  return {
    message:
      `triggers[${index}] query '${query}' selects ${said(cut)}, but ${graph.id(target)} serves '${names.join("', '")}' (its --served-model-name, else its --model), the model_name vLLM labels its engine metrics with: ` +
      `the query returns no series of the target and KEDA never scales it on its load; select model_name="${names[0]}"`,
  };
}

function judgeTrigger(graph: ObjectGraph, target: GraphObject, ns: string, trigger: Loose, index: number): Problem[] {
  if (trigger.type !== 'prometheus') return [];
  const query = text(mapping(trigger.metadata).query);
  if (!query || /[$]\{?\w/.test(query)) return [];
  const metrics = promqlMetrics(query);
  if (!metrics.length || metrics.some((m) => vllmEngineMetric(m) === undefined)) return [];
  const selectors = selectorsOf(query);
  if (!selectors?.length) return [];
  const cutNs = excluded(selectors, 'namespace', [ns]);
  if (cutNs) return [otherNamespace(graph, target, index, query, cutNs, ns)];
  const names = REPLICATED_KINDS.includes(String(target.manifest.kind)) ? workloadServedNames(target.manifest) : undefined;
  const cutModel = names?.length ? excluded(selectors, 'model_name', names) : undefined;
  return cutModel && names ? [otherModel(graph, target, index, query, cutModel, names)] : [];
}

export const scaledObjectQueryOtherNamespace: Rule = {
  id: 'scaled-object-query-other-namespace',
  title:
    "a KEDA ScaledObject scales a vLLM server on a Prometheus query whose namespace (or model_name) matcher excludes the target's: the query never reads the target's series",
  severity: 'error',
  appliesTo: ['ScaledObject'],
  premise:
    "the ScaledObject (keda.sh) has a namespace and targets a vLLM workload of the tree in it (a Deployment, StatefulSet, Rollout or DeploymentConfig that starts vLLM, or the <isvc>-predictor Deployment of a raw-mode vLLM InferenceService: scaleTargetRef names an object of the ScaledObject's own namespace), and a prometheus trigger's query selects only vLLM engine metrics, each selector with a namespace matcher (=, !=, =~ or !~, a regular expression matched whole as Prometheus does) that the target's namespace fails: Prometheus's scrape labels each series with the namespace of the pod it scrapes, so the query never returns the target's series. " +
    'An error; a warning where the query names (=) a namespace in which the tree runs another vLLM server, whose load the target then scales on. ' +
    "Where the namespace admits the target, a model_name matcher of every selector that none of the target's served model names (--served-model-name, else --model, for a workload the tree shows) passes is an error too. " +
    'Not judged: a query with a variable (${…}), a selector with no namespace matcher, an expression JavaScript does not read as RE2 does',
  example:
    '`query: sum(vllm:num_requests_running{namespace="team-x-llm"})` on a ScaledObject in namespace `team-x` targeting `chat-predictor`, the predictor of InferenceService `chat` of team-x',
  fix: 'select the target\'s namespace (namespace="<the ScaledObject\'s namespace>") and its served model name',
  source:
    "kedacore/keda pkg/scalers/prometheus_scaler.go (the query's value is the metric; an empty result is 0 with ignoreNullValues, the default, else an error) and the ScaledObject spec (scaleTargetRef: an object of the ScaledObject's namespace); prometheus-operator and Prometheus kubernetes_sd relabelling (the namespace label of a scraped series is its pod's namespace: __meta_kubernetes_namespace); prometheus model/labels/regexp.go (=~ anchored at both ends); vLLM vllm/v1/metrics/loggers.py PrometheusStatLogger (engine metrics labelled model_name, the served model name); KServe pkg/controller/v1beta1/inferenceservice raw deployment (<isvc>-predictor)",
  check(o, { graph, platform }) {
    const ns = graph.namespaceOf(o.manifest);
    const target = ns ? vllmTarget(graph, o, platform) : undefined;
    if (!target || !ns) return [];
    return mappings(mapping(o.manifest.spec).triggers).flatMap((t, i) => judgeTrigger(graph, target, ns, t, i));
  },
};
