import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('inference-graph-invalid', docs);
const graph = (nodes: Doc, name = 'router'): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'InferenceGraph',
  metadata: { name, namespace: 'ai' },
  spec: { nodes },
});

describe('inference-graph-invalid', () => {
  test("what KServe's webhook refuses is an error: Splitter weights, no root, a step without one target", () => {
    expect(
      found([
        graph({
          root: {
            routerType: 'Splitter',
            steps: [
              { serviceName: 'a', weight: 60 },
              { serviceName: 'b', weight: 30 },
            ],
          },
        }),
      ]),
    ).toEqual([expect.stringMatching(/^error InferenceGraph\/ai\/router: the weights of Splitter node 'root' sum to 90 .*webhook refuses/)]);
    expect(found([graph({ root: { routerType: 'Splitter', steps: [{ serviceName: 'a', weight: 100 }, { serviceName: 'b' }] } })])).toEqual([
      expect.stringMatching(/^error .*step 1 of Splitter node 'root' has no weight/),
    ]);
    expect(found([graph({ main: { routerType: 'Sequence', steps: [{ serviceName: 'a' }] } })])).toEqual([
      expect.stringMatching(/^error .*no node named 'root'/),
    ]);
    expect(found([graph({ root: { steps: [{ name: 'x', serviceName: 'a', nodeName: 'b' }, { name: 'x' }] } })])).toEqual([
      expect.stringMatching(/two steps named 'x'/),
      expect.stringMatching(/step 0 of node 'root' names nodeName and serviceName/),
      expect.stringMatching(/step 1 of node 'root' names no target/),
    ]);
  });

  test("a node key other than routerType and steps is refused by the API server; a step's stray target key is named", () => {
    expect(found([graph({ root: { routerType: 'Ensemble', routes: [{ service: 'a' }, { service: 'b' }] } })])).toEqual([
      expect.stringMatching(
        /^error InferenceGraph\/ai\/router: node 'root' has a field 'routes', which an InferenceGraph node lacks \(routerType, steps\): kubectl apply's strict field validation .*its list belongs under 'steps' \(its entries also use 'service', which a step lacks/,
      ),
    ]);
    expect(found([graph({ root: { steps: [{ service: 'a' }] } })])).toEqual([
      expect.stringMatching(/^error .*step 0 of node 'root' names no target .*'service' is no field of a step.*webhook refuses/),
    ]);
    expect(found([graph({ root: { routerType: 'Ensemble', steps: [{ name: 'x', serviceName: 'a', dependency: 'Hard', condition: 'x' }] } })])).toEqual([]);
  });

  test('a weight in a Sequence node is a warning: the router ignores it and every request runs every step', () => {
    expect(found([graph({ root: { routerType: 'Sequence', steps: [{ serviceName: 'stable' }, { serviceName: 'canary', weight: 30 }] } })])).toEqual([
      expect.stringMatching(
        /^warning InferenceGraph\/ai\/router: node 'root' \(routerType Sequence\) gives 'canary' \(weight 30\) a weight, .*only in Splitter nodes: a Sequence node sends every request through each step/,
      ),
    ]);
  });

  test('near misses: weights summing to 100 in a Splitter, a Sequence without weights, another API group', () => {
    expect(
      found([
        graph({
          root: {
            routerType: 'Splitter',
            steps: [
              { serviceName: 'a', weight: 70 },
              { serviceName: 'b', weight: 30 },
            ],
          },
        }),
      ]),
    ).toEqual([]);
    expect(
      found([graph({ root: { routerType: 'Sequence', steps: [{ serviceName: 'a' }, { nodeName: 'post' }] }, post: { steps: [{ serviceUrl: 'http://x' }] } })]),
    ).toEqual([]);
    expect(found([{ ...graph({ main: {} }), apiVersion: 'example.com/v1' }])).toEqual([]);
  });
});
