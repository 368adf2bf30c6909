import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('inference-graph-service-not-found', docs);
const service = (name: string, namespace?: string): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { predictor: { containers: [{ name: 'kserve-container', image: 'registry.example.org/m:1' }] } },
});
const graph = (steps: Doc[], namespace = 'lang'): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'InferenceGraph',
  metadata: { name: 'chain', namespace },
  spec: { nodes: { root: { routerType: 'Sequence', steps } } },
});
const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('inference-graph-service-not-found', () => {
  test("a step naming no service of the graph's namespace, beside the tree's services there: a warning naming the near one", () => {
    expect(found([service('detect', 'lang'), service('translate', 'lang'), graph([{ serviceName: 'detect' }, { serviceName: 'translator' }])])).toEqual([
      expect.stringMatching(
        /^warning InferenceGraph\/lang\/chain: node 'root' step 1 names serviceName 'translator', and the tree's InferenceServices of namespace 'lang' are 'detect', 'translate' \(did you mean translate.*Failed to find graph service.*unless another app makes 'translator'/,
      ),
    ]);
  });

  test('an error where the tree creates the namespace and shows all it holds; the service of another namespace is named', () => {
    expect(
      found([namespace('lang'), service('detect', 'lang'), service('translate', 'other'), graph([{ serviceName: 'detect' }, { serviceName: 'translate' }])]),
    ).toEqual([
      expect.stringMatching(
        /^error InferenceGraph\/lang\/chain: node 'root' step 1 names serviceName 'translate'.*the tree has one in namespace 'other': the controller looks only in the graph's namespace.*nothing else makes 'translate'/,
      ),
    ]);
  });

  test('near misses: every step names a service there; no service of the tree in the namespace; serviceUrl and nodeName steps', () => {
    expect(found([service('detect', 'lang'), service('translate', 'lang'), graph([{ serviceName: 'detect' }, { serviceName: 'translate' }])])).toEqual([]);
    expect(found([service('detect', 'other'), graph([{ serviceName: 'summarizer' }])])).toEqual([]);
    expect(found([service('detect', 'lang'), graph([{ serviceName: 'detect' }, { serviceUrl: 'http://x.lang.svc' }, { nodeName: 'next' }])])).toEqual([]);
  });
});
