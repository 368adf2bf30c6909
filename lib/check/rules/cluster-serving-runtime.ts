import { Rule } from '../rule';

export const clusterServingRuntime: Rule = {
  id: 'cluster-serving-runtime',
  title: 'a ClusterServingRuntime: OpenShift AI removes that CRD, so the object cannot be applied',
  severity: 'error',
  appliesTo: ['ClusterServingRuntime'],
  premise: 'the platform is OpenShift AI (--platform rhoai-*)',
  example: '`kind: ClusterServingRuntime`',
  fix: 'a namespaced ServingRuntime next to each InferenceService',
  source: 'RH-KServe overlays/odh patches/remove-clusterservingruntime.yaml; GetServingRuntime never looks one up',
  scope: 'object',
  check(_o, { platform }) {
    if (platform === 'kserve') return [];
    return [
      {
        message:
          'OpenShift AI does not install the ClusterServingRuntime CRD (and KServe there never looks one up); use a namespaced ServingRuntime next to each InferenceService',
      },
    ];
  },
};
