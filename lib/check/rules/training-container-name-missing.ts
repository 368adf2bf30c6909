import { mapping, mappings, text } from '../../manifests/access';
import { podTemplatesOf } from '../pod-templates';
import { Problem, Rule } from '../rule';

/**
 * The container name each Kubeflow training job's replicas must include, by kind (kubeflow/training-operator
 * pkg/apis/kubeflow.org/v1 <kind>_types.go <Kind>DefaultContainerName). MPIJob is left out: neither the training
 * operator's v1 MPIJob nor the MPI Operator's v2beta1 refuses other names.
 */
const DEFAULT_CONTAINER: Readonly<Record<string, string>> = {
  PyTorchJob: 'pytorch',
  TFJob: 'tensorflow',
  XGBoostJob: 'xgboost',
  PaddleJob: 'paddle',
  JAXJob: 'jax',
};

/** The group whose v1 API serves these kinds (training-operator; Kubeflow Trainer v2 serves trainer.kubeflow.org). */
const TRAINING_API = 'kubeflow.org/v1';

export const trainingContainerNameMissing: Rule = {
  id: 'training-container-name-missing',
  title: "a Kubeflow training job's replica has no container of the name the training operator requires (pytorch, tensorflow, …): the job is refused",
  severity: 'error',
  appliesTo: Object.keys(DEFAULT_CONTAINER),
  premise:
    "a kubeflow.org/v1 PyTorchJob, TFJob, XGBoostJob, PaddleJob or JAXJob has a replica spec (Master, Worker, Chief, PS, …) whose pod template lists containers but none named the kind's default container (pytorch, tensorflow, xgboost, paddle, jax): the training operator's validating webhook refuses the job, and the operator finds its framework container, to set the rendezvous env and ports on, by that name only",
  example: 'a PyTorchJob whose Master and Worker templates each run one container, `- name: trainer`',
  fix: "rename the training container to the kind's default name (pytorch for a PyTorchJob); sidecars may keep their names",
  source:
    'kubeflow/training-operator pkg/webhooks/utils/utils.go ValidateReplicaSpecs ("must have at least one container with name …"), called by pkg/webhooks/{pytorch,tensorflow,xgboost,paddlepaddle,jax}; the names from pkg/apis/kubeflow.org/v1 *_types.go DefaultContainerName',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    const wanted = DEFAULT_CONTAINER[String(m.kind)];
    if (!wanted || text(m.apiVersion) !== TRAINING_API) return [];
    return podTemplatesOf(m).flatMap(({ path, template }): Problem[] => {
      const names = mappings(mapping(template.spec).containers).map((c) => text(c.name) ?? '<unnamed>');
      if (names.length === 0 || names.includes(wanted)) return [];
      return [
        {
          message:
            `${path}.spec.containers has no container named '${wanted}' (it has ${names.map((n) => `'${n}'`).join(', ')}): the training operator's webhook refuses a ${String(m.kind)} ` +
            `whose replica lacks it ("must have at least one container with name ${wanted}"), and the operator sets the framework's env and port only on that container; rename the training container to '${wanted}'`,
        },
      ];
    });
  },
};
