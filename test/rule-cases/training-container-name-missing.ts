import { ruleFound, severityMessages } from '../util';

/** The training operator's webhook wants one container of the kind's default name in every replica (pkg/webhooks/utils ValidateReplicaSpecs). */
const replica = (...names: string[]) => ({ replicas: 1, template: { spec: { containers: names.map((name) => ({ name, image: 'trainer:1' })) } } });
const job = (kind: string, field: string, specs: Record<string, unknown>, apiVersion = 'kubeflow.org/v1') => ({
  apiVersion,
  kind,
  metadata: { name: 'train', namespace: 'ml' },
  spec: { [field]: specs },
});

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'training-container-name-missing',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('training-container-name-missing', () => {
  test('a PyTorchJob whose Master and Worker run a container named trainer: an error for each replica, naming the field and the name wanted', () => {
    expect(found([job('PyTorchJob', 'pytorchReplicaSpecs', { Master: replica('trainer'), Worker: replica('trainer') })])).toEqual([
      [
        'error',
        "spec.pytorchReplicaSpecs.Master.template.spec.containers has no container named 'pytorch' (it has 'trainer'): the training operator's webhook refuses a PyTorchJob whose replica lacks it (\"must have at least one container with name pytorch\"), and the operator sets the framework's env and port only on that container; rename the training container to 'pytorch'",
      ],
      ['error', expect.stringMatching(/^spec\.pytorchReplicaSpecs\.Worker\.template\.spec\.containers has no container named 'pytorch' \(it has 'trainer'\)/)],
    ]);
  });

  test('each kind wants its own name: a TFJob PS, an XGBoostJob, a PaddleJob and a JAXJob', () => {
    const names = found([
      job('TFJob', 'tfReplicaSpecs', { Chief: replica('tensorflow'), PS: replica('ps') }),
      job('XGBoostJob', 'xgbReplicaSpecs', { Master: replica('pytorch') }),
      job('PaddleJob', 'paddleReplicaSpecs', { Worker: replica('main') }),
      job('JAXJob', 'jaxReplicaSpecs', { Worker: replica('worker') }),
    ]).map((f) => f[1].split(' (it has')[0]);
    expect(names.sort()).toEqual([
      "spec.jaxReplicaSpecs.Worker.template.spec.containers has no container named 'jax'",
      "spec.paddleReplicaSpecs.Worker.template.spec.containers has no container named 'paddle'",
      "spec.tfReplicaSpecs.PS.template.spec.containers has no container named 'tensorflow'",
      "spec.xgbReplicaSpecs.Master.template.spec.containers has no container named 'xgboost'",
    ]);
  });

  test('near misses: the name present beside a sidecar, an MPIJob, another API group, a replica with no containers: silent', () => {
    expect(found([job('PyTorchJob', 'pytorchReplicaSpecs', { Master: replica('log-shipper', 'pytorch'), Worker: replica('pytorch') })])).toEqual([]);
    expect(found([job('MPIJob', 'mpiReplicaSpecs', { Launcher: replica('launcher'), Worker: replica('worker') })])).toEqual([]);
    expect(found([job('MPIJob', 'mpiReplicaSpecs', { Launcher: replica('launcher') }, 'kubeflow.org/v2beta1')])).toEqual([]);
    expect(found([job('PyTorchJob', 'pytorchReplicaSpecs', { Master: replica('trainer') }, 'example.com/v1')])).toEqual([]);
    expect(found([job('PyTorchJob', 'pytorchReplicaSpecs', { Master: { replicas: 1, template: { spec: {} } } })])).toEqual([]);
  });
});
