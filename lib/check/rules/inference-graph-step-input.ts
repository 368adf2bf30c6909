import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** The `data` value that sends a step the previous step's response (kserve cmd/router/main.go routeStep: `step.Data == "$response" && i > 0`). */
const RESPONSE = '$response';
/** The `data` value that states the original request, KServe's default (pkg/apis/serving/v1alpha1/inference_graph.go InferenceStep.Data). */
const REQUEST = '$request';

/** What a step calls, as messages name it: its target field and value. */
function targetOf(step: Loose): string | undefined {
  for (const field of ['serviceName', 'serviceUrl', 'nodeName']) {
    const value = text(step[field]);
    if (value !== undefined) return `${field} '${value}'`;
  }
  return undefined;
}

const stepName = (step: Loose, i: number) => `step ${i}${text(step.name) ? ` ('${text(step.name)}')` : ''}`;

/**
 * The steps after the first of one Sequence node that call another target than the step before them and whose `data`
 * is neither `$response` nor the stated `$request`: the router sends them the graph's original request.
 */
function stepsGivenTheRequest(nodeName: string, node: Loose): Problem[] {
  if (text(node.routerType) !== 'Sequence') return [];
  const steps = mappings(node.steps);
  return steps.flatMap((step, i) => {
    if (i === 0) return [];
    const data = text(step.data);
    const target = targetOf(step);
    const before = targetOf(steps[i - 1]);
    if (data === RESPONSE || data === REQUEST || !target || !before || target === before) return [];
    const given = data === undefined ? 'has no data' : `has data '${data}', which the router compares with '${RESPONSE}' exactly`;
    return [
      {
        message:
          `${stepName(step, i)} of Sequence node '${nodeName}' (${target}) ${given}: KServe's router sends it the graph's original request, ` +
          `not the response of ${stepName(steps[i - 1], i - 1)} (${before}), which is discarded unless a later step reads it; ` +
          `set data: ${RESPONSE} on the step to chain it, or data: ${REQUEST} to state that it takes the original request`,
      },
    ];
  });
}

export const inferenceGraphStepInput: Rule = {
  id: 'inference-graph-step-input',
  title: "a Sequence step of a KServe InferenceGraph after the first, without data: $response, is sent the original request, not the previous step's output",
  severity: 'warning',
  appliesTo: ['InferenceGraph'],
  premise:
    "a serving.kserve.io InferenceGraph node of routerType Sequence whose step after the first calls another target (serviceName, serviceUrl or nodeName) than the step before it and whose data is unset or another value than '$response' and '$request' " +
    "(`$response.predictions` included: the router compares the whole value): KServe's router sends that step the request the graph received; " +
    'a warning, as a graph may mean every step to read the original request (data: $request says so, and is not reported)',
  example: 'a `routerType: Sequence` node whose second step `serviceName: poem-writer` sets no data (so not $response)',
  fix: "set data: $response on each step that is to read the previous step's output (data: $request where the original request is meant)",
  source:
    'kserve/kserve cmd/router/main.go routeStep (a Sequence node: `request := input`, replaced by the previous response only when `step.Data == "$response" && i > 0`) and executeStep; ' +
    'pkg/apis/serving/v1alpha1/inference_graph.go InferenceStep.Data ("request data sent to the next route with input/output from the previous step": $request, $response.predictions); docs: KServe InferenceGraph, Sequence Node',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (!/^serving\.kserve\.io\//.test(text(m.apiVersion) ?? '')) return [];
    return Object.entries(mapping(mapping(m.spec).nodes)).flatMap(([nodeName, node]) => (isMapping(node) ? stepsGivenTheRequest(nodeName, node) : []));
  },
};
