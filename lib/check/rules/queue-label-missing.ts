import { mapping, stringMap } from '../../manifests/access';

import { kueueName } from '../kueue-version';
import { Rule } from '../rule';
import { KUEUE_MANAGED_LABELS } from './namespace-not-kueue-managed';
import { HARDWARE_PROFILE_ANNOTATION, QUEUE_LABEL } from '../../k8s/keys';

export const queueLabelMissing: Rule = {
  id: 'queue-label-missing',
  title: 'an InferenceService without a kueue.x-k8s.io/queue-name label in a Kueue-managed Namespace of the tree (OpenShift AI denies it)',
  severity: 'error',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise: 'the Namespace is in the tree with kueue.openshift.io/managed: "true" (or the legacy kueue-managed), and no hardware profile injects the label',
  example: "an InferenceService with no labels in a Namespace labelled `kueue.openshift.io/managed: 'true'`",
  fix: 'label the service kueue.x-k8s.io/queue-name: <LocalQueue> (OpenShift AI creates default)',
  source: 'OpenShift AI webhook kserve-isvc-kueuelabels-validator: "Kueue label validation failed: missing required label"',
  check(o, { graph, kueue }) {
    const ns = graph.namespaceOf(o.manifest);
    const namespace = ns === undefined ? undefined : graph.find('Namespace', ns);
    if (!namespace) return [];
    const nsLabels = stringMap(mapping(namespace.manifest.metadata).labels);
    if (!KUEUE_MANAGED_LABELS.some((l) => nsLabels[l] === 'true')) return [];
    if (stringMap(mapping(o.manifest.metadata).labels)[QUEUE_LABEL]) return [];
    // a HardwareProfile with scheduling.type Queue injects the label: then the service passes the webhook
    if (stringMap(mapping(o.manifest.metadata).annotations)[HARDWARE_PROFILE_ANNOTATION]) {
      return [
        {
          severity: 'warning',
          message: `no ${QUEUE_LABEL} label in the Kueue-managed namespace '${ns}'; it passes only if its hardware profile schedules through a queue (scheduling.type: Queue): label it explicitly to be sure`,
        },
      ];
    }
    // the webhook reads the label only; Kueue itself read the annotation form up to 0.14 (jobframework QueueNameForObject)
    const annotated = stringMap(mapping(o.manifest.metadata).annotations)[QUEUE_LABEL];
    const reader = kueue.apis.readsQueueAnnotation
      ? `which the webhook does not read (${kueueName(kueue)} would, on the pods, but the service is denied first)`
      : `which neither the webhook nor ${kueueName(kueue)} reads (Kueue 0.15 dropped it)`;
    return [
      {
        message:
          `no ${QUEUE_LABEL} label, but namespace '${ns}' is Kueue-managed: OpenShift AI's webhook denies it ("Kueue label validation failed: missing required label"); ` +
          (annotated
            ? `it is set as an annotation ('${annotated}'), ${reader}: move it to metadata.labels`
            : `label it ${QUEUE_LABEL}: default (or your LocalQueue)`),
      },
    ];
  },
};
