import { isMapping, Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { ObjectGraph } from './graph';
import { Platform } from './platform';

/** Knative Serving's ConfigMap of feature flags (knative/serving pkg/apis/config/features.go FeaturesConfigName). */
export const FEATURES_CONFIG_MAP = 'config-features';

/** The namespace Knative Serving reads its ConfigMaps from (knative/serving config/core/configmaps, system.Namespace()). */
const SERVING_NAMESPACE = 'knative-serving';

/**
 * Pod-spec fields Knative Serving's webhook refuses in a Revision unless a flag of config-features lets them through
 * (knative/serving pkg/apis/serving/fieldmask.go PodSpecMask, VolumeSourceMask; k8s_validation.go ValidatePodSpec
 * reports "must not set the field(s)"), with the flag and its default (features.go defaultFeaturesConfig: each
 * Disabled but emptyDir, Enabled). A boolean field counts only when true: the mask drops zero values.
 */
export const GATED_FIELDS: readonly { readonly field: string; readonly flag: string; readonly volume?: true }[] = [
  { field: 'affinity', flag: 'kubernetes.podspec-affinity' },
  { field: 'nodeSelector', flag: 'kubernetes.podspec-nodeselector' },
  { field: 'tolerations', flag: 'kubernetes.podspec-tolerations' },
  { field: 'topologySpreadConstraints', flag: 'kubernetes.podspec-topologyspreadconstraints' },
  { field: 'runtimeClassName', flag: 'kubernetes.podspec-runtimeclassname' },
  { field: 'schedulerName', flag: 'kubernetes.podspec-schedulername' },
  { field: 'priorityClassName', flag: 'kubernetes.podspec-priorityclassname' },
  { field: 'hostAliases', flag: 'kubernetes.podspec-hostaliases' },
  { field: 'hostIPC', flag: 'kubernetes.podspec-hostipc' },
  { field: 'hostPID', flag: 'kubernetes.podspec-hostpid' },
  { field: 'hostNetwork', flag: 'kubernetes.podspec-hostnetwork' },
  { field: 'shareProcessNamespace', flag: 'kubernetes.podspec-shareprocessnamespace' },
  { field: 'dnsPolicy', flag: 'kubernetes.podspec-dnspolicy' },
  { field: 'dnsConfig', flag: 'kubernetes.podspec-dnsconfig' },
  { field: 'initContainers', flag: 'kubernetes.podspec-init-containers' },
  { field: 'persistentVolumeClaim', flag: 'kubernetes.podspec-persistent-volume-claim', volume: true },
  { field: 'hostPath', flag: 'kubernetes.podspec-volumes-hostpath', volume: true },
  { field: 'csi', flag: 'kubernetes.podspec-volumes-csi', volume: true },
  { field: 'emptyDir', flag: 'kubernetes.podspec-volumes-emptydir', volume: true },
];

/** The flags Knative enables by default (features.go defaultFeaturesConfig); every other gated flag is Disabled. */
const ENABLED_BY_DEFAULT = new Set(['kubernetes.podspec-volumes-emptydir']);

/**
 * The flags the KnativeServing that OpenShift AI 2.x's operator creates turns on, when its DataScienceCluster manages
 * serving (opendatahub-operator components/kserve/resources/serving-install/knative-serving.tmpl.yaml).
 */
const OPENSHIFT_AI_ENABLED = new Set([
  'kubernetes.podspec-affinity',
  'kubernetes.podspec-nodeselector',
  'kubernetes.podspec-tolerations',
  'kubernetes.podspec-persistent-volume-claim',
  'kubernetes.podspec-persistent-volume-write',
]);

/** Whether a flag's value lets the field through: Enabled and Allowed do, Disabled does not (features.go asFlag, case-insensitive). */
const lets = (value: string) => value.toLowerCase() !== 'disabled';

/** The Knative feature settings the tree writes: config-features ConfigMaps and KnativeServing spec.config.features (or config-features). */
export interface TreeFeatures {
  /** Where they are written, for messages; empty when the tree holds none. */
  readonly sources: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

export function treeFeatures(graph: ObjectGraph): TreeFeatures {
  return graph.once('knative-features', () => {
    // Knative Eventing has a config-features of its own, in knative-eventing
    const maps = graph
      .ofKind('ConfigMap')
      .filter((o) => text(mapping(o.manifest.metadata).name) === FEATURES_CONFIG_MAP && graph.namespaceOf(o.manifest) === SERVING_NAMESPACE);
    const servings = graph.ofKind('KnativeServing');
    const values: Record<string, string> = {};
    for (const o of maps) Object.assign(values, stringMap(o.manifest.data));
    for (const o of servings) {
      const config = mapping(mapping(o.manifest.spec).config);
      Object.assign(values, stringMap(config.features), stringMap(config[FEATURES_CONFIG_MAP]));
    }
    const sources = [
      ...maps.map(() => `ConfigMap ${FEATURES_CONFIG_MAP}`),
      ...servings.map((o) => `KnativeServing ${text(mapping(o.manifest.metadata).name) ?? ''}`.trim()),
    ];
    return { sources, values };
  });
}

/** A flag's verdict: let through or refused, and whether the tree says so or it is assumed (with what). */
export interface FlagVerdict {
  readonly lets: boolean;
  /** Undefined when the tree's own config-features or KnativeServing decides it; else what is assumed. */
  readonly assumed?: string;
}

export function flagVerdict(flag: string, features: TreeFeatures, platform: Platform): FlagVerdict {
  const written = features.values[flag];
  if (written !== undefined) return { lets: lets(written) };
  const byDefault = ENABLED_BY_DEFAULT.has(flag);
  if (features.sources.length) return { lets: byDefault };
  if (platform === 'rhoai-2')
    return {
      lets: byDefault || OPENSHIFT_AI_ENABLED.has(flag),
      assumed: "the KnativeServing OpenShift AI's operator creates (serving managed by the DataScienceCluster)",
    };
  return { lets: byDefault, assumed: "Knative's defaults (no config-features or KnativeServing in the tree)" };
}

/** The gated fields a pod spec (an InferenceService component's, or a ServingRuntime's) sets, each with where. */
export function gatedFieldsOf(spec: Loose, at: string): { readonly where: string; readonly flag: string }[] {
  const set = (v: unknown) =>
    v !== undefined && v !== null && v !== false && v !== '' && !(Array.isArray(v) && !v.length) && !(isMapping(v) && !Object.keys(v).length);
  const own = GATED_FIELDS.filter((g) => !g.volume && set(spec[g.field])).map((g) => ({ where: `${at}.${g.field}`, flag: g.flag }));
  const volumes = mappings(spec.volumes).flatMap((v, i) =>
    GATED_FIELDS.filter((g) => g.volume && isMapping(v[g.field])).map((g) => ({
      where: `${at}.volumes[${i}] (${text(v.name) ?? 'unnamed'}).${g.field}`,
      flag: g.flag,
    })),
  );
  return [...own, ...volumes];
}
