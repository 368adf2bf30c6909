import { runChecks } from '../../lib';

const crd = (group: string, kind: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${kind.toLowerCase()}s.${group}` },
  spec: {
    group,
    names: { kind, plural: `${kind.toLowerCase()}s` },
    scope: 'Cluster',
    versions: [
      { name: 'v1alpha1', served: true, storage: true },
      { name: 'v1alpha0', served: false, storage: false },
    ],
  },
});
const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'torch-distributed' }, spec: {} });
const found = (...manifests: Record<string, unknown>[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === 'kind-in-unknown-group')
    .map((f) => [f.severity, f.object, f.message]);

describe('kind-in-unknown-group: a kind a CRD of the input defines in another group', () => {
  test("Kubeflow Trainer's ClusterTrainingRuntime written under kubeflow.org: an error naming the CRD's group and served version", () => {
    expect(found(crd('trainer.kubeflow.org', 'ClusterTrainingRuntime'), object('kubeflow.org/v1alpha1', 'ClusterTrainingRuntime'))).toEqual([
      [
        'error',
        'ClusterTrainingRuntime/torch-distributed',
        expect.stringMatching(
          /is defined in trainer\.kubeflow\.org by a CustomResourceDefinition of the input, not in kubeflow\.org.*write apiVersion trainer\.kubeflow\.org\/v1alpha1$/,
        ),
      ],
    ]);
  });

  test("near misses: the CRD's own group, another project's kind of that name in an unrelated group, a kind the platform serves", () => {
    expect(found(crd('trainer.kubeflow.org', 'ClusterTrainingRuntime'), object('trainer.kubeflow.org/v1alpha1', 'ClusterTrainingRuntime'))).toEqual([]);
    expect(found(crd('cluster.x-k8s.io', 'Cluster'), object('postgresql.cnpg.io/v1', 'Cluster'))).toEqual([]);
    expect(found(crd('training.example.com', 'PyTorchJob'), object('kubeflow.org/v1', 'PyTorchJob'))).toEqual([]);
  });
});
