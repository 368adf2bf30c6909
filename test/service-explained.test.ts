import { ObjectGraph } from '../lib/check/graph';
import { makesServiceNamed, serviceExplained } from '../lib/check/service-explained';

/** The tree's objects as a graph: `kind/namespace/name` each (namespace empty for none), apiVersion where a kind needs its group. */
function graphOf(...ids: string[]): ObjectGraph {
  const group: Record<string, string> = {
    InferenceService: 'serving.kserve.io/v1beta1',
    ModelRegistry: 'modelregistry.opendatahub.io/v1beta1',
    Notebook: 'kubeflow.org/v1',
    Rollout: 'argoproj.io/v1alpha1',
    Cluster: 'postgresql.cnpg.io/v1',
    Application: 'argoproj.io/v1alpha1',
    Deployment: 'apps/v1',
  };
  return new ObjectGraph(
    ids.map((id) => {
      const [kind, namespace, name] = id.split('/');
      return { manifest: { apiVersion: group[kind] ?? 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) } } };
    }),
  );
}

describe('serviceExplained: whether the tree explains a Service host of a namespace', () => {
  test.each([
    ['a Service of that name there', ['Service/ai/llm'], 'llm', 'ai', true],
    ['a Service of that name in another namespace (a name resolves in its own namespace only)', ['Service/models/llm'], 'llm', 'ai', false],
    ['a namespace-less Service, for a namespace-less lookup', ['Service//llm'], 'llm', undefined, true],
    ["an operator's object: its name", ['Cluster/ai/db'], 'db', 'ai', true],
    ["an operator's object: its name and a suffix", ['Cluster/ai/db'], 'db-rw', 'ai', true],
    ["an operator's object of another namespace", ['Cluster/data/db'], 'db-rw', 'ai', false],
    ["an InferenceService's component Service", ['InferenceService/ai/granite'], 'granite-predictor', 'ai', true],
    ["an InferenceService's Knative revision Service", ['InferenceService/ai/granite'], 'granite-predictor-00001-private', 'ai', true],
    ['an InferenceService: another name it begins', ['InferenceService/ai/granite'], 'granite-metrics', 'ai', false],
    ["a ModelRegistry's own Service", ['ModelRegistry/ai/registry'], 'registry', 'ai', true],
    ["a ModelRegistry: its database's name is another's", ['ModelRegistry/ai/registry'], 'registry-db', 'ai', false],
    ["a Notebook's Service (the notebook controller makes it)", ['Notebook/ai/lab'], 'lab', 'ai', true],
    ['a Deployment or a Rollout makes no Service', ['Deployment/ai/web', 'Rollout/ai/api'], 'web', 'ai', false],
    ['a Namespace makes no Service', ['Namespace//gateway'], 'gateway-api', undefined, false],
    ['localhost, the pod itself', [], 'localhost', 'ai', true],
    ["kubernetes in default, the API server's Service", [], 'kubernetes', 'default', true],
    ['kubernetes in another namespace', [], 'kubernetes', 'ai', false],
  ] as const)('%s', (_, ids, name, ns, explained) => {
    expect(serviceExplained(graphOf(...ids), name, ns)).toBe(explained);
  });

  test('makesServiceNamed reads an object of the repository outside the tree alike (its kustomized name given)', () => {
    expect(makesServiceNamed({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService' }, 'dev-granite', 'dev-granite-predictor')).toBe(true);
    expect(makesServiceNamed({ apiVersion: 'v1', kind: 'ConfigMap' }, 'granite', 'granite')).toBe(false);
  });
});
