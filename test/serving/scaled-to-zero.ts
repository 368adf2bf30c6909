import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const errorsAndWarnings = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    // the HPAs here scale on the default CPU utilization of containers that request no CPU: hpa-utilization-without-request's own cases judge that
    .filter((f) => f.severity !== 'info' && f.rule !== 'image-not-pinned' && f.rule !== 'hpa-utilization-without-request')
    .map((f) => [f.severity, f.rule, f.object, f.message.includes('(latent: ')]);

const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } };
/** A workload whose pods read a ConfigMap nothing makes: its pods stay in CreateContainerConfigError once they run. */
const workload = (kind: string, replicas: number | undefined, name = 'api'): Doc => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: 'ml' },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    selector: { matchLabels: { app: 'api' } },
    ...(kind === 'StatefulSet' ? { serviceName: 'api' } : {}),
    template: {
      metadata: { labels: { app: 'api' } },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'x' } } }] }] },
    },
  },
});
const hpa = (target: Doc): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'api', namespace: 'ml' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, minReplicas: 1, maxReplicas: 3 },
});
const scaledObject = (target: Doc): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'api', namespace: 'ml' },
  spec: { scaleTargetRef: target, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] },
});

describe('workloads delivered with replicas: 0', () => {
  test('a pod-level error on a Deployment or StatefulSet with replicas: 0 is a warning saying it is latent until scaled up', () => {
    expect(errorsAndWarnings([namespace, workload('Deployment', 0)])).toEqual([['warning', 'pod-reference-not-found', 'Deployment/ml/api', true]]);
    expect(errorsAndWarnings([namespace, workload('StatefulSet', 0)])).toEqual([['warning', 'pod-reference-not-found', 'StatefulSet/ml/api', true]]);
  });

  test('near misses: replicas unset (1) or above 0 stay errors', () => {
    expect(errorsAndWarnings([namespace, workload('Deployment', undefined)])).toEqual([['error', 'pod-reference-not-found', 'Deployment/ml/api', false]]);
    expect(errorsAndWarnings([namespace, workload('Deployment', 2)])).toEqual([['error', 'pod-reference-not-found', 'Deployment/ml/api', false]]);
  });

  test('an HPA or a KEDA ScaledObject (kind defaulting to Deployment) of the tree that targets it scales it up: still an error', () => {
    expect(errorsAndWarnings([namespace, workload('Deployment', 0), hpa({ kind: 'Deployment', name: 'api' })]).map((f) => f[0])).toEqual(['error']);
    expect(errorsAndWarnings([namespace, workload('Deployment', 0), scaledObject({ name: 'api' })]).map((f) => f[0])).toEqual(['error']);
    expect(errorsAndWarnings([namespace, workload('StatefulSet', 0), scaledObject({ kind: 'StatefulSet', name: 'api' })]).map((f) => f[0])).toEqual(['error']);
    // the KEDA HTTP add-on scales from zero on requests; its first API named the Deployment in scaleTargetRef.deployment
    const http = (ref: Doc): Doc => ({
      apiVersion: 'http.keda.sh/v1alpha1',
      kind: 'HTTPScaledObject',
      metadata: { name: 'api', namespace: 'ml' },
      spec: { hosts: ['api.example.com'], scaleTargetRef: ref },
    });
    expect(
      errorsAndWarnings([namespace, workload('Deployment', 0), http({ name: 'api', port: 8080 })])
        .filter((f) => f[1] === 'pod-reference-not-found')
        .map((f) => f[0]),
    ).toEqual(['error']);
    expect(
      errorsAndWarnings([namespace, workload('Deployment', 0), http({ deployment: 'api', service: 'api', port: 8080 })])
        .filter((f) => f[1] === 'pod-reference-not-found')
        .map((f) => f[0]),
    ).toEqual(['error']);
  });

  test('an autoscaler of another workload or kind leaves it latent', () => {
    // web reads no missing ConfigMap: the autoscaler scales a workload whose pods are fine
    const web: Doc = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ml' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      },
    };
    const other = errorsAndWarnings([namespace, workload('Deployment', 0), web, hpa({ kind: 'Deployment', name: 'web' })]);
    expect(other.filter((f) => f[2] === 'Deployment/ml/api')).toEqual([['warning', 'pod-reference-not-found', 'Deployment/ml/api', true]]);
    expect(
      errorsAndWarnings([namespace, workload('StatefulSet', 0), scaledObject({ name: 'api' })])
        .filter((f) => f[2] === 'StatefulSet/ml/api')
        .map((f) => f[0]),
    ).toEqual(['warning']);
  });

  test('near miss: the same missing ConfigMap read by a running workload too is one error for both, not latent', () => {
    const both = errorsAndWarnings([namespace, workload('Deployment', 0), workload('Deployment', 1, 'web'), hpa({ kind: 'Deployment', name: 'web' })]);
    expect(both.filter((f) => f[1] === 'pod-reference-not-found')).toEqual([['error', 'pod-reference-not-found', 'Deployment/ml/api', false]]);
  });

  test('a refusal of the object itself (the API server refuses an invalid name) stays an error', () => {
    const misnamed = { ...workload('Deployment', 0), metadata: { name: 'API_server', namespace: 'ml' } };
    expect(
      errorsAndWarnings([namespace, misnamed])
        .filter((f) => f[1] === 'metadata-invalid')
        .map((f) => f[0]),
    ).toEqual(['error']);
  });
});
