/**
 * What kustomize's built-in OpenAPI schema (kyaml/openapi, Kubernetes v1.21.2, the one kubectl kustomize v5 embeds)
 * says about the lists a strategic-merge patch reaches: which are merged item by item
 * (`x-kubernetes-patch-strategy: merge`) and by which keys (`x-kubernetes-list-map-keys`, else
 * `x-kubernetes-patch-merge-key`; none for a list of scalars merged by value). Every other list is replaced whole; an
 * object whose apiVersion and kind the schema does not know (a custom resource) has no schema, so all its lists are.
 */
export interface MergeSchema {
  readonly fields?: Readonly<Record<string, MergeSchema>>;
  /** A list merged item by item, by these keys. */
  readonly mergeKeys?: readonly string[];
  /** The schema of a merged list's items. */
  readonly items?: MergeSchema;
}

/** A built-in type none of whose lists are merged. */
const PLAIN: MergeSchema = {};
const keyed = (keys: readonly string[], items: MergeSchema = PLAIN): MergeSchema => ({ mergeKeys: keys, items });

const OBJECT_META: MergeSchema = { fields: { finalizers: keyed([]), ownerReferences: keyed(['uid']) } };
const CONTAINER: MergeSchema = {
  fields: {
    env: keyed(['name']),
    ports: keyed(['containerPort', 'protocol']),
    volumeMounts: keyed(['mountPath']),
    volumeDevices: keyed(['devicePath']),
  },
};
const EPHEMERAL_CONTAINER: MergeSchema = { fields: { env: keyed(['name']), volumeMounts: keyed(['mountPath']), volumeDevices: keyed(['devicePath']) } };
const POD_SPEC: MergeSchema = {
  fields: {
    containers: keyed(['name'], CONTAINER),
    initContainers: keyed(['name'], CONTAINER),
    ephemeralContainers: keyed(['name'], EPHEMERAL_CONTAINER),
    volumes: keyed(['name']),
    imagePullSecrets: keyed(['name']),
    hostAliases: keyed(['ip']),
    topologySpreadConstraints: keyed(['topologyKey', 'whenUnsatisfiable']),
  },
};
const POD_TEMPLATE: MergeSchema = { fields: { metadata: OBJECT_META, spec: POD_SPEC } };
const CONDITIONS: MergeSchema = { fields: { conditions: keyed(['type']) } };

const withMeta = (fields: Record<string, MergeSchema> = {}): MergeSchema => ({ fields: { metadata: OBJECT_META, ...fields } });
const WORKLOAD = withMeta({ spec: { fields: { template: POD_TEMPLATE } }, status: CONDITIONS });
const JOB_SPEC: MergeSchema = { fields: { template: POD_TEMPLATE } };
const CRON_JOB = withMeta({ spec: { fields: { jobTemplate: { fields: { metadata: OBJECT_META, spec: JOB_SPEC } } } } });
const WEBHOOKS = withMeta({ webhooks: keyed(['name']) });
const PDB = withMeta({ status: CONDITIONS });
const CSI_NODE = withMeta({ spec: { fields: { drivers: keyed(['name']) } } });

/** The kinds of the schema, by apiVersion, whose lists beyond metadata's are merged. */
const SHAPED: Readonly<Record<string, Readonly<Record<string, MergeSchema>>>> = {
  v1: {
    Pod: withMeta({ spec: POD_SPEC, status: { fields: { conditions: keyed(['type']), podIPs: keyed(['ip']) } } }),
    PodTemplate: withMeta({ template: POD_TEMPLATE }),
    ReplicationController: WORKLOAD,
    Service: withMeta({ spec: { fields: { ports: keyed(['port', 'protocol']) } }, status: CONDITIONS }),
    ServiceAccount: withMeta({ secrets: keyed(['name']) }),
    Namespace: withMeta({ status: CONDITIONS }),
    PersistentVolumeClaim: withMeta({ status: CONDITIONS }),
    Node: withMeta({ spec: { fields: { podCIDRs: keyed([]) } }, status: { fields: { addresses: keyed(['type']), conditions: keyed(['type']) } } }),
    ComponentStatus: withMeta({ conditions: keyed(['type']) }),
  },
  'apps/v1': { Deployment: WORKLOAD, StatefulSet: WORKLOAD, DaemonSet: WORKLOAD, ReplicaSet: WORKLOAD },
  'batch/v1': { Job: withMeta({ spec: JOB_SPEC, status: CONDITIONS }), CronJob: CRON_JOB },
  'batch/v1beta1': { CronJob: CRON_JOB },
  'admissionregistration.k8s.io/v1': { MutatingWebhookConfiguration: WEBHOOKS, ValidatingWebhookConfiguration: WEBHOOKS },
  'admissionregistration.k8s.io/v1beta1': { MutatingWebhookConfiguration: WEBHOOKS, ValidatingWebhookConfiguration: WEBHOOKS },
  'policy/v1': { PodDisruptionBudget: PDB },
  'policy/v1beta1': { PodDisruptionBudget: PDB },
  'storage.k8s.io/v1': { CSINode: CSI_NODE },
  'storage.k8s.io/v1beta1': { CSINode: CSI_NODE },
  'apiregistration.k8s.io/v1': { APIService: withMeta({ status: CONDITIONS }) },
  'apiregistration.k8s.io/v1beta1': { APIService: withMeta({ status: CONDITIONS }) },
};

/** The other kinds of the schema, by apiVersion: only their metadata's finalizers and ownerReferences are merged. */
const METADATA_ONLY: Readonly<Record<string, string>> = {
  v1: 'Binding,ConfigMap,Endpoints,Event,LimitRange,PersistentVolume,ResourceQuota,Secret',
  'apps/v1': 'ControllerRevision',
  'authentication.k8s.io/v1': 'TokenRequest,TokenReview',
  'authentication.k8s.io/v1beta1': 'TokenReview',
  'authorization.k8s.io/v1': 'LocalSubjectAccessReview,SelfSubjectAccessReview,SelfSubjectRulesReview,SubjectAccessReview',
  'authorization.k8s.io/v1beta1': 'LocalSubjectAccessReview,SelfSubjectAccessReview,SelfSubjectRulesReview,SubjectAccessReview',
  'autoscaling/v1': 'HorizontalPodAutoscaler,Scale',
  'autoscaling/v2beta1': 'HorizontalPodAutoscaler',
  'autoscaling/v2beta2': 'HorizontalPodAutoscaler',
  'certificates.k8s.io/v1': 'CertificateSigningRequest',
  'certificates.k8s.io/v1beta1': 'CertificateSigningRequest',
  'coordination.k8s.io/v1': 'Lease',
  'coordination.k8s.io/v1beta1': 'Lease',
  'discovery.k8s.io/v1': 'EndpointSlice',
  'discovery.k8s.io/v1beta1': 'EndpointSlice',
  'events.k8s.io/v1': 'Event',
  'events.k8s.io/v1beta1': 'Event',
  'extensions/v1beta1': 'Ingress',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'FlowSchema,PriorityLevelConfiguration',
  'networking.k8s.io/v1': 'Ingress,IngressClass,NetworkPolicy',
  'networking.k8s.io/v1beta1': 'Ingress,IngressClass',
  'node.k8s.io/v1': 'RuntimeClass',
  'node.k8s.io/v1beta1': 'RuntimeClass',
  'policy/v1beta1': 'Eviction,PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1': 'ClusterRole,ClusterRoleBinding,Role,RoleBinding',
  'rbac.authorization.k8s.io/v1beta1': 'ClusterRole,ClusterRoleBinding,Role,RoleBinding',
  'scheduling.k8s.io/v1': 'PriorityClass',
  'scheduling.k8s.io/v1beta1': 'PriorityClass',
  'storage.k8s.io/v1': 'CSIDriver,StorageClass,VolumeAttachment',
  'storage.k8s.io/v1beta1': 'CSIDriver,CSIStorageCapacity,StorageClass,VolumeAttachment',
  'apiextensions.k8s.io/v1': 'CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1': 'CustomResourceDefinition',
};

/** The schema of an object of this apiVersion and kind (kyaml openapi.SchemaForResourceType), or undefined when the schema has none. */
export function schemaForType(apiVersion: string, kind: string): MergeSchema | undefined {
  const shaped = SHAPED[apiVersion]?.[kind];
  if (shaped) return shaped;
  return (METADATA_ONLY[apiVersion] ?? '').split(',').includes(kind) ? withMeta() : undefined;
}
