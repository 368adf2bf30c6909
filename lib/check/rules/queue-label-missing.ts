import { Loose, mapping, stringMap } from '../../manifests/access';

import { KueueChoice, kueueName } from '../kueue-version';
import { Problem, Rule } from '../rule';
import { kueueManaged } from './namespace-not-kueue-managed';
import { HARDWARE_PROFILE_ANNOTATION, QUEUE_LABEL } from '../../k8s/keys';
import { QUEUE_LABEL_ADMITTED_KINDS, QueueLabelAdmission, queueLabelAdmission } from '../operator-kueue';

/** The denial, with what to write: the label, or the annotation moved to it. */
function denied(m: Loose, ns: string, admission: QueueLabelAdmission, kueue: KueueChoice): Problem {
  // the admission checks read the label only; Kueue itself read the annotation form up to 0.14 (jobframework QueueNameForObject)
  const annotated = stringMap(mapping(m.metadata).annotations)[QUEUE_LABEL];
  const reader = kueue.apis.readsQueueAnnotation
    ? `which ${admission.by} does not read (${kueueName(kueue)} would, on the pods, but the ${m.kind} is denied first)`
    : `which neither ${admission.by} nor ${kueueName(kueue)} reads (Kueue 0.15 dropped it)`;
  return {
    ...(admission.recent ? { severity: 'warning' as const } : {}),
    message:
      `no ${QUEUE_LABEL} label, but namespace '${ns}' is Kueue-managed: ${admission.by} denies it ("${admission.denial}"); ` +
      (annotated
        ? `it is set as an annotation ('${annotated}'), ${reader}: move it to metadata.labels`
        : `label it ${QUEUE_LABEL}: default (or your LocalQueue)`) +
      (admission.recent ? '; earlier 2.x operators admit it, unqueued' : ''),
  };
}

export const queueLabelMissing: Rule = {
  id: 'queue-label-missing',
  title:
    'an InferenceService, LLMInferenceService, RayCluster, RayJob, PyTorchJob or Notebook without a kueue.x-k8s.io/queue-name label in a Kueue-managed Namespace of the tree (OpenShift AI up to 3.3 denies it)',
  severity: 'error',
  appliesTo: QUEUE_LABEL_ADMITTED_KINDS,
  premise:
    'the Namespace is in the tree with kueue.openshift.io/managed: "true" (or the legacy kueue-managed), no hardware profile injects the label, and the platform checks the kind: ' +
    'OpenShift AI 3.0–3.3 (its operator webhook: PyTorchJob, Notebook, RayJob, RayCluster, InferenceService, LLMInferenceService), ' +
    '2.x (the ValidatingAdmissionPolicy: RayCluster, RayJob, PyTorchJob; Notebook and InferenceService only from opendatahub-operator 2.32: a warning); ' +
    'not OpenShift AI 3.4 (webhook disabled) nor kserve',
  example: "a RayCluster with no labels in a Namespace labelled `kueue.openshift.io/managed: 'true'`",
  fix: 'label the object kueue.x-k8s.io/queue-name: <LocalQueue> (OpenShift AI creates default)',
  source:
    'opendatahub-operator internal/webhook/kueue/validating.go performLabelValidation: "Kueue label validation failed: missing required label"; ' +
    'opendatahub-io/kueue config/rhoai/ocp-4.17-addons/validating_admission_policy.yaml; opendatahub-operator #3263 (webhook disabled in 3.4)',
  check(o, { graph, kueue, platform }) {
    const admission = queueLabelAdmission(platform, o.manifest.apiVersion, o.manifest.kind);
    if (!admission) return [];
    const ns = graph.namespaceOf(o.manifest);
    if (ns === undefined || !kueueManaged(graph, ns)) return [];
    if (stringMap(mapping(o.manifest.metadata).labels)[QUEUE_LABEL]) return [];
    // a HardwareProfile with scheduling.type Queue injects the label: then the object passes the webhook
    if (stringMap(mapping(o.manifest.metadata).annotations)[HARDWARE_PROFILE_ANNOTATION]) {
      return [
        {
          severity: 'warning',
          message: `no ${QUEUE_LABEL} label in the Kueue-managed namespace '${ns}'; it passes only if its hardware profile schedules through a queue (scheduling.type: Queue): label it explicitly to be sure`,
        },
      ];
    }
    return [denied(o.manifest, ns, admission, kueue)];
  },
};
