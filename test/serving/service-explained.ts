import { ObjectGraph } from '../../lib/check/graph';
import { makesServiceNamed, serviceExplained, serviceMade } from '../../lib/check/service-explained';

/** The tree's objects as a graph: `kind/namespace/name` each (namespace empty for none), apiVersion where a kind needs its group. */
function graphOf(...ids: string[]): ObjectGraph {
  const group: Record<string, string> = {
    InferenceService: 'serving.kserve.io/v1beta1',
    ModelRegistry: 'modelregistry.opendatahub.io/v1beta1',
    Limitador: 'limitador.kuadrant.io/v1alpha1',
    Notebook: 'kubeflow.org/v1',
    Rollout: 'argoproj.io/v1alpha1',
    Cluster: 'postgresql.cnpg.io/v1',
    Application: 'argoproj.io/v1alpha1',
    Deployment: 'apps/v1',
    DeploymentConfig: 'apps.openshift.io/v1',
    Route: 'route.openshift.io/v1',
    VirtualService: 'networking.istio.io/v1',
    DestinationRule: 'networking.istio.io/v1',
    ServiceMonitor: 'monitoring.coreos.com/v1',
    Prometheus: 'monitoring.coreos.com/v1',
    LocalQueue: 'kueue.x-k8s.io/v1beta1',
    InferencePool: 'inference.networking.x-k8s.io/v1alpha2',
    Gateway: 'gateway.networking.k8s.io/v1',
    HTTPRoute: 'gateway.networking.k8s.io/v1',
    EndpointSlice: 'discovery.k8s.io/v1',
    KnativeService: 'serving.knative.dev/v1',
    RayCluster: 'ray.io/v1',
    LeaderWorkerSet: 'leaderworkerset.x-k8s.io/v1',
    ClusterQueue: 'kueue.x-k8s.io/v1beta1',
  };
  return new ObjectGraph(
    ids.map((id) => {
      const [written, namespace, name] = id.split('/');
      // KnativeService: a Service of serving.knative.dev
      const kind = written === 'KnativeService' ? 'Service' : written;
      return { manifest: { apiVersion: group[written] ?? 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) } } };
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
    ["a Limitador's Service: limitador-<name>", ['Limitador/edge/quota'], 'limitador-quota', 'edge', true],
    ['a Limitador: its own name, or one after it, is no Service of it', ['Limitador/edge/quota'], 'quota-metrics', 'edge', false],
    ['a Deployment or a Rollout makes no Service', ['Deployment/ai/web', 'Rollout/ai/api'], 'web', 'ai', false],
    ['a Namespace makes no Service', ['Namespace//gateway'], 'gateway-api', undefined, false],
    ["an operator's object: a name it only begins, without a hyphen, is another's", ['RayCluster/ai/llm'], 'llmserver', 'ai', false],
    ['an OpenShift Route exposes a Service and makes none', ['Route/ai/chat'], 'chat-svc', 'ai', false],
    [
      'an OpenShift DeploymentConfig or an Argo Rollout runs pods and makes no Service',
      ['DeploymentConfig/ai/web', 'Rollout/ai/api'],
      'api-canary',
      'ai',
      false,
    ],
    [
      "Istio's VirtualService and DestinationRule are proxy configuration, no Service",
      ['VirtualService/ai/chat', 'DestinationRule/ai/chat'],
      'chat-v1',
      'ai',
      false,
    ],
    [
      "prometheus-operator's monitors and Prometheus make no Service of their name",
      ['ServiceMonitor/ai/vllm', 'Prometheus/ai/vllm'],
      'vllm-metrics',
      'ai',
      false,
    ],
    [
      "Kueue's LocalQueue and an InferencePool make no Service (a pool's picker is deployed beside it)",
      ['LocalQueue/ai/llm', 'InferencePool/ai/llm'],
      'llm-epp',
      'ai',
      false,
    ],
    ["an HTTPRoute or an EndpointSlice (Kubernetes' own groups) makes no Service", ['HTTPRoute/ai/chat', 'EndpointSlice/ai/chat'], 'chat-abc', 'ai', false],
    ["a Gateway API Gateway: Istio's <gateway>-<class>", ['Gateway/ai/inference'], 'inference-istio', 'ai', true],
    ["a Knative Service: its revision's private Service", ['KnativeService/ai/chat'], 'chat-00002-private', 'ai', true],
    ["a LeaderWorkerSet's headless Service of its name", ['LeaderWorkerSet/ai/llm'], 'llm', 'ai', true],
    ['a cluster-scoped object makes no Service of its name', ['ClusterQueue//gpu'], 'gpu-svc', undefined, false],
    ['localhost, the pod itself', [], 'localhost', 'ai', true],
    ["kubernetes in default, the API server's Service", [], 'kubernetes', 'default', true],
    ['kubernetes in another namespace', [], 'kubernetes', 'ai', false],
  ] as const)('%s', (_, ids, name, ns, explained) => {
    expect(serviceExplained(graphOf(...ids), name, ns)).toBe(explained);
  });

  test.each([
    ["a multi-node predictor's head of a generation", {}, 'granite-head-2', true],
    ["a multi-node predictor's workers of a generation", {}, 'granite-workers-2', true],
    ['the head of no generation', {}, 'granite-head', false],
    ['a named predictor variant (spec.predictor.name)', { predictor: { name: 'blue' } }, 'granite-blue-predictor', true],
    ["a canary's predictor variant", { canary: [{ predictor: { name: 'green' } }] }, 'granite-green-predictor', true],
    ['a variant no predictor names', { predictor: { name: 'blue' } }, 'granite-green-predictor', false],
    ['the old default component of serverless mode', {}, 'granite-predictor-default', true],
  ] as const)("an InferenceService's Services in KServe's naming: %s", (_, spec, name, made) => {
    expect(makesServiceNamed({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', spec }, 'granite', name)).toBe(made);
  });

  test.each([
    ['generateDeployment true: the operator deploys <name>-postgres', { postgres: { generateDeployment: true } }, true],
    ['a database the registry is given: not made', { postgres: { host: 'db' } }, false],
  ] as const)('a ModelRegistry: %s', (_, spec, made) => {
    expect(makesServiceNamed({ apiVersion: 'modelregistry.opendatahub.io/v1beta1', kind: 'ModelRegistry', spec }, 'registry', 'registry-postgres')).toBe(made);
  });

  test('serviceMade: a Service object of the name, not the pod itself (localhost)', () => {
    expect(serviceMade(graphOf('Service/ai/llm'), 'llm', 'ai')).toBe(true);
    expect(serviceMade(graphOf(), 'localhost', 'ai')).toBe(false);
    expect(serviceMade(graphOf(), 'kubernetes', 'default')).toBe(true);
  });

  test('makesServiceNamed reads an object of the repository outside the tree alike (its kustomized name given)', () => {
    expect(makesServiceNamed({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService' }, 'dev-granite', 'dev-granite-predictor')).toBe(true);
    expect(makesServiceNamed({ apiVersion: 'v1', kind: 'ConfigMap' }, 'granite', 'granite')).toBe(false);
  });
});
