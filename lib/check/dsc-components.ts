import type { PlatformId } from '../platform/platform';

/**
 * The `spec.components` keys of a DataScienceCluster per API version and OpenShift AI release line, with each
 * component's own fields where they are judged, and the `spec` keys of a DSCInitialization. No DataScienceCluster CRD
 * schema is shipped here, so this table stands for its structural schema's first levels.
 *
 * Read from the Go types of opendatahub-io/opendatahub-operator (OpenShift AI 3.3 and 3.4 are Open Data Hub 3.3 and
 * 3.4 as Red Hat ships them):
 * - 2.x: tags v2.16.0 to v2.35.0, apis/ (later api/) datasciencecluster/v1/datasciencecluster_types.go `Components`
 *   and dscinitialization/v1/dscinitialization_types.go `DSCInitializationSpec`; a key any 2.x release has is taken,
 *   since 2.x names many releases, and the components' own fields (which moved between releases) are not judged.
 * - 3.0 (3.0 to 3.2): tags v3.0.0, v3.1.0 and v3.2.0, api/datasciencecluster/v1 and v2/datasciencecluster_types.go,
 *   api/components/v1alpha1/<component>_types.go `DSC<Component>` (common.ManagementSpec gives managementState;
 *   the `<Component>CommonSpec` fields inline), api/dscinitialization/v1 and v2/dscinitialization_types.go.
 * - 3.3: tag v3.3.0, the same files (the DSCInitialization specs in dscinitialization_types.rhoai.go).
 * - 3.4: tag v3.4.0, the same files.
 * - Open Data Hub 3.5 (tag v3.5.0, the same files), newer than any OpenShift AI release judged here: only to tell a
 *   key of a newer release from a misspelling.
 */

/** Component keys and their fields; `undefined` fields: the component's own fields are not judged. */
export type DscComponents = Readonly<Record<string, readonly string[] | undefined>>;

/** What one API version of DataScienceCluster and DSCInitialization has on one release line. */
export interface DscVersionSchema {
  readonly components: DscComponents;
  readonly initialization: readonly string[];
  /** Where the keys were read: `opendatahub-io/opendatahub-operator v3.0.0 api/datasciencecluster/v2`. */
  readonly source: string;
}

const ODH = 'opendatahub-io/opendatahub-operator';
const MS = ['managementState'];
const WORKBENCHES = [...MS, 'workbenchNamespace'];
const PIPELINES = [...MS, 'argoWorkflowsControllers'];
const KUEUE = [...MS, 'defaultLocalQueueName', 'defaultClusterQueueName'];
const REGISTRY = [...MS, 'registriesNamespace'];
const KSERVE_30 = [...MS, 'rawDeploymentServiceConfig', 'nim'];
const KSERVE_33 = [...KSERVE_30, 'modelsAsService'];
const KSERVE_34 = [...KSERVE_33, 'wva'];
const TRUSTY = [...MS, 'eval'];
const TRUSTY_34 = [...TRUSTY, 'mcpGuardrailsMode'];

/** The components every 3.x release has under both versions, but for pipelines (renamed) and the changing ones. */
function common3(kserve: string[], trustyai: string[]): Record<string, string[]> {
  return {
    dashboard: MS,
    workbenches: WORKBENCHES,
    kserve,
    kueue: KUEUE,
    ray: MS,
    trustyai,
    modelregistry: REGISTRY,
    trainingoperator: MS,
    feastoperator: MS,
    llamastackoperator: MS,
  };
}

/** v1 on 3.x keeps the 2.x keys (its schema is frozen; the operator converts it to v2). */
function v1On3(kserve: string[], trustyai: string[], tag: string): DscVersionSchema {
  return {
    components: { ...common3(kserve, trustyai), modelmeshserving: MS, datasciencepipelines: PIPELINES, codeflare: MS },
    initialization: ['applicationsNamespace', 'monitoring', 'serviceMesh', 'trustedCABundle', 'devFlags'],
    source: `${ODH} ${tag} api/datasciencecluster/v1`,
  };
}

function v2On3(kserve: string[], trustyai: string[], tag: string, added: Record<string, string[]>): DscVersionSchema {
  return {
    components: { ...common3(kserve, trustyai), aipipelines: PIPELINES, ...added },
    initialization: ['applicationsNamespace', 'monitoring', 'trustedCABundle', 'devFlags'],
    source: `${ODH} ${tag} api/datasciencecluster/v2`,
  };
}

const V1_2X_KEYS = [
  'dashboard',
  'workbenches',
  'modelmeshserving',
  'datasciencepipelines',
  'kserve',
  'kueue',
  'codeflare',
  'ray',
  'trustyai',
  'modelregistry',
  'trainingoperator',
  'feastoperator',
  'llamastackoperator',
];

/** The release lines `check` judges a DataScienceCluster for (upstream KServe has none). */
export type DscPlatform = Exclude<'rhoai-2' | PlatformId, 'kserve'>;

export const DSC_SCHEMAS: Readonly<Record<DscPlatform, Readonly<Partial<Record<'v1' | 'v2', DscVersionSchema>>>>> = {
  'rhoai-2': {
    v1: {
      components: Object.fromEntries(V1_2X_KEYS.map((k) => [k, undefined])),
      initialization: ['applicationsNamespace', 'monitoring', 'serviceMesh', 'trustedCABundle', 'devFlags'],
      source: `${ODH} v2.16.0-v2.35.0 api/datasciencecluster/v1`,
    },
  },
  // 3.0 stands for 3.0 to 3.2: mlflowoperator and trainer came in 3.2
  'rhoai-3.0': {
    v1: v1On3(KSERVE_30, TRUSTY, 'v3.0.0'),
    v2: v2On3(KSERVE_30, TRUSTY, 'v3.0.0', { mlflowoperator: MS, trainer: MS }),
  },
  'rhoai-3.3': {
    v1: v1On3(KSERVE_33, TRUSTY, 'v3.3.0'),
    v2: v2On3(KSERVE_33, TRUSTY, 'v3.3.0', { mlflowoperator: MS, trainer: MS }),
  },
  'rhoai-3.4': {
    v1: v1On3(KSERVE_34, TRUSTY_34, 'v3.4.0'),
    v2: v2On3(KSERVE_34, TRUSTY_34, 'v3.4.0', { mlflowoperator: MS, trainer: MS, sparkoperator: MS }),
  },
};

const KSERVE_35 = [...KSERVE_34, 'oauthProxy', 'enableLLMInferenceServiceTLS', 'enableLLMInferenceServiceConsoleDashboards', 'modelCache'];
const KUEUE_35 = [...KUEUE, 'autoCreateQueues'];

/** A release newer than the lines judged (llamastackoperator became ogx), named where a key is only its. */
export const DSC_LATER: { readonly label: string; readonly schemas: Readonly<Record<'v1' | 'v2', DscVersionSchema>> } = {
  label: 'Open Data Hub 3.5',
  schemas: {
    v1: (() => {
      const v1 = v1On3(KSERVE_35, TRUSTY_34, 'v3.5.0');
      return { ...v1, components: { ...v1.components, kueue: KUEUE_35 } };
    })(),
    v2: (() => {
      const added = { mlflowoperator: [...MS, 'gateway', 'gatewayName', 'sectionTitle'], trainer: MS, sparkoperator: MS, ogx: MS };
      const v2 = v2On3(KSERVE_35, TRUSTY_34, 'v3.5.0', { ...added, aigateway: [...MS, 'modelsAsAService', 'batchGateway'], mcplifecycleoperator: MS });
      return { ...v2, components: { ...v2.components, kueue: KUEUE_35 } };
    })(),
  },
};

/** Components renamed between the versions: the v1 key and the v2 key (api/datasciencecluster/v1 conversion). */
export const DSC_RENAMED: Readonly<Record<string, string>> = { datasciencepipelines: 'aipipelines', aipipelines: 'datasciencepipelines' };

/** 2.x component fields that 3.x removed with Serverless and Service Mesh (a kserve component's `serving`). */
export const DSC_2X_FIELDS: Readonly<Record<string, readonly string[]>> = {
  kserve: ['devFlags', 'serving', 'defaultDeploymentMode'],
};

/** v1 components that 3.x dropped (no v2 key): why, and what stands in their place. */
export const DSC_REMOVED: Readonly<Record<string, string>> = {
  modelmeshserving: 'ModelMesh serving was removed in OpenShift AI 3.0; serve models with the kserve component',
  codeflare: 'CodeFlare was removed in OpenShift AI 3.0; the ray component runs the KubeRay operator',
};
