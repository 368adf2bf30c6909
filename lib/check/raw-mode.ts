import { Loose, mapping, stringMap } from '../manifests/access';
import { Platform } from './platform';
import { DEPLOYMENT_MODE_ANNOTATION } from '../k8s/keys';
import { modeNamed } from './kserve-mode';

/**
 * Whether KServe runs an InferenceService's predictor as a Deployment of its own (raw deployment mode), with the
 * Service, service links and HPA that come with it: written so (RawDeployment, or Standard from KServe 0.16), or unset
 * on OpenShift AI 3, which has no Knative. Elsewhere an unset mode may be Knative's, which makes a revision instead.
 */
export function rawDeploymentMode(isvc: Loose, platform: Platform): boolean {
  const mode = stringMap(mapping(isvc.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION];
  if (mode !== undefined && modeNamed(mode) === 'raw') return true;
  return mode === undefined && platform.startsWith('rhoai-3');
}
