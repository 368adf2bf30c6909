import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** KServe's graph-name pattern (pkg/apis/serving/v1alpha1/inference_graph_validation.go GraphNameFmt). */
const GRAPH_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** The fields naming a step's target; the webhook wants exactly one (InferenceTarget). */
const TARGET_FIELDS = ['nodeName', 'serviceName', 'serviceUrl'] as const;
/** The node the router starts at (GraphRootNodeName). */
const ROOT = 'root';
/** InferenceRouter's fields (pkg/apis/serving/v1alpha1/inference_graph.go, v0.15.0 to v0.20.0). */
const ROUTER_FIELDS: readonly string[] = ['routerType', 'steps'];
/** InferenceStep's fields, its InferenceTarget inline (same file). */
const STEP_FIELDS: readonly string[] = ['name', ...TARGET_FIELDS, 'data', 'mapPredictionsToInstances', 'weight', 'condition', 'dependency'];

/** The keys of a mapping that its type lacks, quoted: `'service'`. */
function strayKeys(m: Loose, fields: readonly string[]): string[] {
  return Object.keys(m)
    .filter((k) => !fields.includes(k))
    .map((k) => `'${k}'`);
}

/** Why a step names no target, where it names one under a key InferenceStep lacks (`service:`). */
function strayTarget(step: Loose): string {
  const stray = strayKeys(step, STEP_FIELDS);
  return stray.length ? `; ${stray.join(', ')} ${stray.length > 1 ? 'are no fields' : 'is no field'} of a step, which the API server drops or refuses` : '';
}

/**
 * Keys of a node that InferenceRouter lacks (`routes:` for steps): strict field validation (kubectl's default, Argo CD's
 * sync) refuses the graph, and an apply without it drops the key, leaving the node without those steps.
 */
function strayNodeKeys(nodeName: string, node: Loose): Problem[] {
  return Object.keys(node)
    .filter((k) => !ROUTER_FIELDS.includes(k))
    .map((k) => {
      const list = mappings(node[k]);
      const targets = list.flatMap((s) => strayKeys(s, STEP_FIELDS));
      const entries = targets.length
        ? ` (its entries also use ${[...new Set(targets)].join(', ')}, which a step lacks: a step names its target in serviceName, serviceUrl or nodeName)`
        : '';
      const meant = list.length && !('steps' in node) ? `; its list belongs under 'steps'${entries}` : '';
      return {
        message:
          `node '${nodeName}' has a field '${k}', which an InferenceGraph node lacks (routerType, steps): kubectl apply's strict field validation and Argo CD's sync refuse the InferenceGraph, ` +
          `and an apply that drops the field leaves the node without those steps${meant}; write each step under 'steps' with one target (serviceName, serviceUrl or nodeName)`,
      };
    });
}

/** What KServe's validating webhook refuses in one node (the order of validateInferenceGraph's checks). */
function nodeRefusals(nodeName: string, node: Loose): string[] {
  const steps = mappings(node.steps);
  const out: string[] = [];
  const names = steps.map((s) => text(s.name)).filter((n): n is string => n !== undefined);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) out.push(`node '${nodeName}' has two steps named '${twice}' ("contains more than one step with name")`);
  steps.forEach((s, i) => {
    const targets = TARGET_FIELDS.filter((f) => text(s[f]) !== undefined);
    if (targets.length === 0)
      out.push(
        `step ${i} of node '${nodeName}' names no target (nodeName, serviceName or serviceUrl: "does not specify an inference target")${strayTarget(s)}`,
      );
    if (targets.length > 1)
      out.push(`step ${i} of node '${nodeName}' names ${targets.join(' and ')} ("specifies more than one of nodeName, serviceName, serviceUrl")`);
  });
  if (text(node.routerType) === 'Splitter') {
    const unweighted = steps.findIndex((s) => typeof s.weight !== 'number');
    const sum = steps.reduce((total, s) => total + (typeof s.weight === 'number' ? s.weight : 0), 0);
    if (unweighted >= 0) out.push(`step ${unweighted} of Splitter node '${nodeName}' has no weight ("missing the 'Weight'")`);
    else if (sum !== 100)
      out.push(`the weights of Splitter node '${nodeName}' sum to ${sum} ("the sum of traffic weights for all routing targets should be 100")`);
  }
  return out;
}

/** Steps of a node that is no Splitter which carry a weight: the router reads weights in Splitter nodes only. */
function ignoredWeights(nodeName: string, node: Loose): Problem[] {
  const type = text(node.routerType) ?? 'Sequence';
  if (type === 'Splitter') return [];
  const weighted = mappings(node.steps).filter((s) => s.weight !== undefined);
  if (!weighted.length) return [];
  const what: Record<string, string> = {
    Sequence: 'a Sequence node sends every request through each step in turn',
    Ensemble: 'an Ensemble node sends every request to each step and merges the responses',
    Switch: 'a Switch node sends each request to the first step whose condition matches',
  };
  const steps = weighted
    .map((s) => `'${text(s.name) ?? text(s.serviceName) ?? text(s.nodeName) ?? text(s.serviceUrl) ?? '?'}' (weight ${String(s.weight)})`)
    .join(', ');
  return [
    {
      severity: 'warning',
      message:
        `node '${nodeName}' (routerType ${type}) gives ${steps} a weight, which KServe's router reads only in Splitter nodes: ${what[type] ?? 'the weight splits nothing'}, so no traffic is split; ` +
        `to split traffic, make the node routerType: Splitter with weights summing to 100 (a canary of one InferenceService: its predictor's canaryTrafficPercent), or remove the weight`,
    },
  ];
}

export const inferenceGraphInvalid: Rule = {
  id: 'inference-graph-invalid',
  title:
    "a KServe InferenceGraph KServe's webhook refuses (no root node, a step with no target or several, Splitter weights missing or not summing to 100) or the API server refuses (a node key other than routerType and steps), or a weight outside a Splitter node, which the router ignores",
  severity: 'error',
  appliesTo: ['InferenceGraph'],
  premise:
    'a serving.kserve.io InferenceGraph whose name is not a lower-case name starting with a letter, whose spec.nodes has no node named root, a node with two steps of one name, a step naming none or more than one of nodeName, serviceName and serviceUrl (a target written under a key a step lacks, `service:`, is named), or a Splitter node with a step without weight or weights not summing to 100 (errors: the validating webhook refuses the object); ' +
    "a node key other than routerType and steps (`routes:` holding the steps): an error, the CRD's structural schema lacks it, so kubectl apply's strict field validation (its default since 1.27) and Argo CD's sync refuse the graph, and an apply without it drops the key and the steps under it; " +
    'a step with a weight in a node of another routerType (Sequence, the default, Ensemble or Switch): a warning, the object is admitted and the weight splits nothing',
  example: 'a `routerType: Splitter` node whose steps weigh `weight: 70` and `weight: 20`',
  fix: 'give the graph a root node and each step one target; use routerType: Splitter with weights summing to 100 to split traffic, and no weight elsewhere',
  source:
    'kserve/kserve pkg/apis/serving/v1alpha1/inference_graph_validation.go validateInferenceGraph (v0.15.0 to v0.20.0: name, root node, step-name uniqueness, single target, Splitter weights) and config/webhook/manifests.yaml (inferencegraph.kserve-webhook-server.validator on create and update); ' +
    'pkg/apis/serving/v1alpha1/inference_graph.go InferenceRouter (routerType, steps), InferenceStep and InferenceTarget (the step fields), InferenceStep.Weight ("only used for Split Router"); cmd/router/main.go (weights read by the Splitter route pick only)',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (!/^serving\.kserve\.io\//.test(text(m.apiVersion) ?? '')) return [];
    const nodes = mapping(mapping(m.spec).nodes);
    const refusals: string[] = [];
    const name = text(mapping(m.metadata).name);
    if (name !== undefined && !GRAPH_NAME.test(name)) refusals.push(`its name '${name}' is not a lower-case name starting with a letter`);
    if (isMapping(mapping(m.spec).nodes) && !Object.hasOwn(nodes, ROOT)) refusals.push(`spec.nodes has no node named '${ROOT}' ("root node not found")`);
    for (const [nodeName, node] of Object.entries(nodes)) if (isMapping(node)) refusals.push(...nodeRefusals(nodeName, node));
    const stray = Object.entries(nodes).flatMap(([nodeName, node]) => (isMapping(node) ? strayNodeKeys(nodeName, node) : []));
    const refused: Problem[] = refusals.map((r) => ({
      message: `${r}: KServe's validating webhook refuses the InferenceGraph, so it is never created; ${inferenceGraphInvalid.fix}`,
    }));
    const ignored = Object.entries(nodes).flatMap(([nodeName, node]) => (isMapping(node) ? ignoredWeights(nodeName, node) : []));
    return [...stray, ...refused, ...ignored];
  },
};
