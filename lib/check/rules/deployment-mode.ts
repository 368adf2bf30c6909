import { stringMap, mapping } from '../../manifests/access';
import { DEPLOYMENT_MODES } from '../platform';
import { Rule } from '../rule';
import { DEPLOYMENT_MODE_ANNOTATION } from '../../k8s/keys';

export const deploymentMode: Rule = {
  id: 'deployment-mode',
  title: 'serving.kserve.io/deploymentMode names a mode the platform cannot serve, or one its KServe does not know (ignored: the cluster default applies)',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise: 'the annotation is set; what counts as known depends on the platform (--platform, the project file, or what the tree tells; else rhoai-3.0)',
  example: '`serving.kserve.io/deploymentMode: Serverless` on OpenShift AI 3.0',
  fix: 'RawDeployment on OpenShift AI 3.0; Standard on KServe 0.16+ and OpenShift AI 3.4; any of the three on OpenShift AI 2.x',
  source: 'KServe GetDeploymentMode (0.15 accepts RawDeployment, Serverless, ModelMesh; 0.16+ adds Standard and Knative); OpenShift AI 3.0 has no Knative',
  scope: 'object',
  check(o, { platform }) {
    const mode = stringMap(mapping(o.manifest.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION];
    if (mode === undefined) return [];
    const modes = DEPLOYMENT_MODES[platform];
    if (!modes.known.includes(mode)) {
      return [
        {
          severity: 'warning',
          message: `annotation ${DEPLOYMENT_MODE_ANNOTATION} '${mode}' is not a mode ${modes.label} knows (${modes.known.join(', ')}): KServe ignores it and applies the cluster default (${modes.fallback} unless changed); write '${modes.fallback}' to say what runs`,
        },
      ];
    }
    if (modes.unavailable.includes(mode)) {
      return [
        {
          message: `annotation ${DEPLOYMENT_MODE_ANNOTATION} '${mode}' selects a mode ${modes.label} does not offer for single models (no Knative): the service never becomes ready; write '${modes.fallback}' (or pass --platform rhoai-2 if the tree targets OpenShift AI 2.x)`,
        },
      ];
    }
    return [];
  },
};
