import { runChecks } from '../../lib';

/**
 * The Secrets, ConfigMaps and claims read by the pod templates of the kinds that run several kinds of pods (a Ray
 * cluster's head and worker groups, a JobSet's and a Kubeflow Trainer v2 TrainingRuntime's replicated Jobs) are judged
 * as a Deployment's are.
 */

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], rule: string) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

const pod = (secret: string, configMap = 'settings') => ({
  spec: {
    containers: [
      {
        name: 'main',
        image: 'registry.example.com/trainer@sha256:' + 'a'.repeat(64),
        env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: secret, key: 'token' } } }],
        envFrom: [{ configMapRef: { name: configMap } }],
      },
    ],
  },
});
const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } };
const meta = (name: string) => ({ name, namespace: 'ml' });
const rayService = (secret: string): Doc => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayService',
  metadata: meta('serve'),
  spec: { rayClusterConfig: { headGroupSpec: { template: pod(secret) }, workerGroupSpecs: [{ groupName: 'gpu', template: pod(secret) }] } },
});
const trainingRuntime = (secret: string, configMap?: string): Doc => ({
  apiVersion: 'trainer.kubeflow.org/v1alpha1',
  kind: 'TrainingRuntime',
  metadata: meta('torch'),
  spec: { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: pod(secret, configMap) } } }] } } },
});
const secret = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta(name), stringData: { token: 'x' } });
const configMap = (name: string): Doc => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name), data: { a: 'b' } });
const deployment = (name: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta('web'),
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, ...pod(name) } },
});

describe('secret-not-in-tree in the pod templates of custom resources', () => {
  test('a RayService and a TrainingRuntime reading a Secret the tree lacks: the warning a Deployment gets', () => {
    const said = (o: string, name: string) => [
      'warning',
      o,
      `references Secret ${name} in 'ml', not defined in the tree; create it before sync (dashboard connection, External Secrets or Sealed Secrets), or the pod fails with CreateContainerConfigError`,
    ];
    expect(findings([namespace, configMap('settings'), deployment('web-token')], 'secret-not-in-tree')).toEqual([said('Deployment/ml/web', 'web-token')]);
    expect(findings([namespace, configMap('settings'), rayService('hf-token')], 'secret-not-in-tree')).toEqual([said('RayService/ml/serve', 'hf-token')]);
    expect(findings([namespace, configMap('settings'), trainingRuntime('api-key')], 'secret-not-in-tree')).toEqual([
      said('TrainingRuntime/ml/torch', 'api-key'),
    ]);
  });

  test('near miss: the Secret in the tree, in the same namespace', () => {
    expect(findings([namespace, configMap('settings'), rayService('hf-token'), secret('hf-token')], 'secret-not-in-tree')).toEqual([]);
    expect(findings([namespace, configMap('settings'), trainingRuntime('api-key'), secret('api-key')], 'secret-not-in-tree')).toEqual([]);
  });
});

describe('pod-reference-not-found in the pod templates of a TrainingRuntime', () => {
  test("a ConfigMap its replicated Job reads, missing from a namespace the tree creates: an error at the template's path", () => {
    expect(findings([namespace, secret('api-key'), trainingRuntime('api-key', 'features')], 'pod-reference-not-found')).toEqual([
      [
        'error',
        'TrainingRuntime/ml/torch',
        expect.stringMatching(/^spec\.template\.spec\.replicatedJobs\[0\]\.template\.spec\.template\.spec container 'main' envFrom reads ConfigMap 'features'/),
      ],
    ]);
    expect(findings([namespace, secret('api-key'), trainingRuntime('api-key', 'features'), configMap('features')], 'pod-reference-not-found')).toEqual([]);
  });
});
