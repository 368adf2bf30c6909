/** The platforms whose KServe behaviour the rules know. */
export type Platform = 'rhoai-2' | 'rhoai-3.0' | 'rhoai-3.4' | 'kserve';

export const PLATFORMS: readonly Platform[] = ['rhoai-2', 'rhoai-3.0', 'rhoai-3.4', 'kserve'];

/** The platform assumed when none is given. */
export const DEFAULT_PLATFORM: Platform = 'rhoai-3.0';

/** How a platform's KServe reads `serving.kserve.io/deploymentMode`. */
export interface DeploymentModes {
  /** Values it acts on. */
  readonly known: readonly string[];
  /** Known values that select a mode the platform cannot serve a single model in. */
  readonly unavailable: readonly string[];
  /** The mode an unknown value falls back to (the cluster default). */
  readonly fallback: string;
  /** How to name the platform's KServe in messages. */
  readonly label: string;
}

/**
 * Deployment-mode names per platform. OpenShift AI 2.x (KServe 0.11–0.14) serves single models in Serverless (its
 * default, on OpenShift Serverless) and RawDeployment, and ModelMesh for many small models. OpenShift AI 3.0 runs KServe 0.15, whose GetDeploymentMode accepts only
 * RawDeployment, Serverless and ModelMesh and ignores any other value for the configmap default (RawDeployment;
 * no Knative on 3.0). KServe 0.16 and later name the modes Standard and Knative and keep RawDeployment and
 * Serverless as deprecated aliases (kserve pkg/constants).
 */
export const DEPLOYMENT_MODES: Record<Platform, DeploymentModes> = {
  'rhoai-2': {
    known: ['RawDeployment', 'Serverless', 'ModelMesh'],
    unavailable: [],
    fallback: 'Serverless',
    label: 'OpenShift AI 2.x',
  },
  'rhoai-3.0': {
    known: ['RawDeployment', 'Serverless', 'ModelMesh'],
    unavailable: ['Serverless', 'ModelMesh'],
    fallback: 'RawDeployment',
    label: 'OpenShift AI 3.0 (KServe 0.15)',
  },
  'rhoai-3.4': {
    known: ['Standard', 'RawDeployment', 'Knative', 'Serverless', 'ModelMesh'],
    unavailable: ['Knative', 'Serverless', 'ModelMesh'],
    fallback: 'Standard',
    label: 'OpenShift AI 3.4',
  },
  kserve: { known: ['Standard', 'RawDeployment', 'Knative', 'Serverless', 'ModelMesh'], unavailable: [], fallback: 'Standard', label: 'KServe 0.16 and later' },
};
