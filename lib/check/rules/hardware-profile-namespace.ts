import { mapping, stringMap } from '../../manifests/access';
import { namespaceLabel } from '../graph';
import { Rule } from '../rule';
import { HARDWARE_PROFILE_ANNOTATION, HARDWARE_PROFILE_NAMESPACE_ANNOTATION } from '../../k8s/keys';

export const hardwareProfileNamespace: Rule = {
  id: 'hardware-profile-namespace',
  title: 'a hardware profile is named without its namespace (the webhook then looks in the service namespace and denies the service)',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LLMInferenceService', 'Notebook'],
  premise: 'the object names a hardware profile that the tree does not define in its own namespace',
  example: '`opendatahub.io/hardware-profile-name: nvidia-l4-4gpu` with no hardware-profile-namespace',
  fix: 'add opendatahub.io/hardware-profile-namespace (global profiles: redhat-ods-applications)',
  source: 'OpenShift AI hardwareprofile-isvc-injector webhook (failurePolicy Fail) looks the profile up in the given or the object namespace',
  check(o, { graph }) {
    const a = stringMap(mapping(o.manifest.metadata).annotations);
    const name = a[HARDWARE_PROFILE_ANNOTATION];
    if (!name || a[HARDWARE_PROFILE_NAMESPACE_ANNOTATION]) return [];
    const ns = graph.namespaceOf(o.manifest);
    if (graph.find('HardwareProfile', name, ns)) return [];
    return [
      {
        message: `annotation opendatahub.io/hardware-profile-name '${name}' has no opendatahub.io/hardware-profile-namespace; the webhook looks in ${namespaceLabel(ns)} and denies the object if the profile is not there: add the namespace of the profile (global ones: redhat-ods-applications)`,
      },
    ];
  },
};
