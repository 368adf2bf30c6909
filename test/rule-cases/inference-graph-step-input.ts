import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;

const graph = (nodes: Doc): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'InferenceGraph',
  metadata: { name: 'pipeline', namespace: 'demo' },
  spec: { nodes },
});

const findings = (...docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'inference-graph-step-input')
    .map((f) => [f.severity, f.object, f.message]);

const sequence = (...steps: Doc[]) => graph({ root: { routerType: 'Sequence', steps } });

describe('inference-graph-step-input', () => {
  test('a second step without data: $response gets the original request', () => {
    expect(findings(sequence({ name: 'classify', serviceName: 'classifier' }, { name: 'write', serviceName: 'writer' }))).toEqual([
      [
        'warning',
        'InferenceGraph/demo/pipeline',
        "step 1 ('write') of Sequence node 'root' (serviceName 'writer') has no data: KServe's router sends it the graph's original request, not the response of step 0 ('classify') (serviceName 'classifier'), " +
          'which is discarded unless a later step reads it; set data: $response on the step to chain it, or data: $request to state that it takes the original request',
      ],
    ]);
  });

  test('a data value the router does not compare equal to $response, a node step, a third step', () => {
    const partial = sequence({ serviceName: 'classifier' }, { serviceName: 'writer', data: '$response.predictions' });
    expect(findings(partial)).toEqual([
      [
        'warning',
        'InferenceGraph/demo/pipeline',
        expect.stringMatching(
          /^step 1 of Sequence node 'root' \(serviceName 'writer'\) has data '\$response\.predictions', which the router compares with '\$response' exactly/,
        ),
      ],
    ]);
    const nodes = graph({
      root: { routerType: 'Sequence', steps: [{ serviceName: 'a' }, { serviceName: 'b', data: '$response' }, { nodeName: 'post' }] },
      post: { routerType: 'Sequence', steps: [{ serviceUrl: 'http://c.demo.svc.cluster.local/v1/models/c:predict' }] },
    });
    expect(findings(nodes)).toEqual([
      ['warning', 'InferenceGraph/demo/pipeline', expect.stringMatching(/^step 2 of Sequence node 'root' \(nodeName 'post'\) has no data/)],
    ]);
  });

  test('near misses: data $response or $request, the first step, the same target again, other router types, another group', () => {
    expect(findings(sequence({ serviceName: 'classifier' }, { serviceName: 'writer', data: '$response' }))).toEqual([]);
    expect(findings(sequence({ serviceName: 'classifier' }, { serviceName: 'writer', data: '$request' }))).toEqual([]);
    expect(findings(sequence({ serviceName: 'classifier' }))).toEqual([]);
    expect(findings(sequence({ serviceName: 'classifier' }, { serviceName: 'classifier' }))).toEqual([]);
    expect(findings(graph({ root: { routerType: 'Ensemble', steps: [{ serviceName: 'a' }, { serviceName: 'b' }] } }))).toEqual([]);
    expect(
      findings(
        graph({
          root: {
            routerType: 'Splitter',
            steps: [
              { serviceName: 'a', weight: 50 },
              { serviceName: 'b', weight: 50 },
            ],
          },
        }),
      ),
    ).toEqual([]);
    expect(findings({ ...sequence({ serviceName: 'a' }, { serviceName: 'b' }), apiVersion: 'example.com/v1' })).toEqual([]);
  });
});
