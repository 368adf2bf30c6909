import { isMapping, Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { ObjectGraph } from './graph';
import { repositoryObjectsOf } from './found-elsewhere';
import { subfolderCheckouts } from './work-trees';
import { repositoryConfigMapGenerators } from '../manifests/repository-generators';
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
  /**
   * Whether a whole setting of the tree (a config-features ConfigMap or a KnativeServing) decides the flags it leaves
   * unset (their defaults); a script's patch sets only the keys it writes, the rest is the cluster's.
   */
  readonly whole: boolean;
  /**
   * The flags the git repository around the checked folder sets outside it (repositoryFeatures), each with where: read
   * only for a flag the tree leaves to the cluster.
   */
  readonly repository: Readonly<Record<string, { readonly value: string; readonly source: string }>>;
}

/** The resource words `kubectl patch` takes for config-features (`configmap config-features`, `cm/config-features`). */
const CONFIG_MAP_RESOURCES = ['configmap', 'configmaps', 'cm'].map((k) => `${k}/${FEATURES_CONFIG_MAP}`);
/** The prefixes under which a patch sets flags: config-features' data, a KnativeServing's spec.config.features or spec.config.config-features. */
const FLAG_PREFIXES: Readonly<Record<'ConfigMap' | 'KnativeServing', readonly string[]>> = {
  ConfigMap: ['data.'],
  KnativeServing: ['spec.config.features.', `spec.config.${FEATURES_CONFIG_MAP}.`],
};

/**
 * The flags the tree's scripts set with `kubectl|oc patch` on Knative Serving's config-features (`kubectl patch
 * configmap config-features -n knative-serving --type merge -p '{"data":{"kubernetes.podspec-nodeselector":"enabled"}}'`)
 * or on a KnativeServing (spec.config.features): Knative reads the ConfigMap as patched (the operator writes a
 * KnativeServing's spec.config into it). A patch in another namespace (Knative Eventing's config-features) is not read.
 */
function featurePatches(graph: ObjectGraph): { what: string; script: string; line: number; values: Record<string, string> }[] {
  return graph.scriptPatches.flatMap((p) => {
    const kind = CONFIG_MAP_RESOURCES.includes(p.resource)
      ? 'ConfigMap'
      : /^knativeservings?(\.operator\.knative\.dev)?\//.test(p.resource)
        ? 'KnativeServing'
        : undefined;
    if (!kind || (p.namespace ?? SERVING_NAMESPACE) !== SERVING_NAMESPACE) return [];
    const values: Record<string, string> = {};
    for (const f of p.fields) {
      const prefix = FLAG_PREFIXES[kind].find((x) => f.path.startsWith(x));
      if (prefix && typeof f.value === 'string') values[f.path.slice(prefix.length)] = f.value;
    }
    return Object.keys(values).length
      ? [{ what: kind === 'ConfigMap' ? `ConfigMap ${FEATURES_CONFIG_MAP}` : 'KnativeServing', script: p.script, line: p.line, values }]
      : [];
  });
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
    const patches = featurePatches(graph);
    for (const p of patches) Object.assign(values, p.values);
    const sources = [
      ...maps.map(() => `ConfigMap ${FEATURES_CONFIG_MAP}`),
      ...servings.map((o) => `KnativeServing ${text(mapping(o.manifest.metadata).name) ?? ''}`.trim()),
      ...patches.map((p) => `the patch of ${p.what} at ${p.script}:${p.line}`),
    ];
    return { sources, values, whole: maps.length + servings.length > 0, repository: repositoryFeatures(graph) };
  });
}

/**
 * The flags the git repository holding the checked folder sets for Knative Serving outside it: a config-features
 * ConfigMap of knative-serving or a KnativeServing (spec.config.features, spec.config.config-features) among its
 * manifests, and a kustomization's configMapGenerator config-features (`behavior: merge` onto Knative's release
 * manifests, or its own) with literals or env files; a generator or ConfigMap whose namespace nothing gives counts,
 * as Knative Eventing's config-features holds no kubernetes.podspec-* flag. Each flag with the file that sets it.
 */
function repositoryFeatures(graph: ObjectGraph): Record<string, { value: string; source: string }> {
  const out: Record<string, { value: string; source: string }> = {};
  const set = (values: Record<string, string>, source: string) => {
    for (const [k, v] of Object.entries(values)) out[k] ??= { value: v, source };
  };
  const serving = (ns: string | undefined) => ns === undefined || ns === SERVING_NAMESPACE;
  for (const r of repositoryObjectsOf(graph)) {
    const where = `${r.file} (line ${r.line})`;
    if (r.kind === 'ConfigMap' && r.name === FEATURES_CONFIG_MAP && serving(r.namespace)) set(stringMap(r.manifest.data), where);
    if (r.kind === 'KnativeServing') {
      const config = mapping(mapping(r.manifest.spec).config);
      set({ ...stringMap(config[FEATURES_CONFIG_MAP]), ...stringMap(config.features) }, where);
    }
  }
  const generated = graph.once('knative-features:generators', () => subfolderCheckouts(graph).flatMap((c) => repositoryConfigMapGenerators(c.folder, c)));
  for (const g of generated.filter((x) => x.name === FEATURES_CONFIG_MAP && serving(x.namespace)))
    set({ ...g.data }, `${g.file} (configMapGenerator ${g.name}, behavior ${g.behavior})`);
  return out;
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
  if (features.whole) return { lets: byDefault };
  // the repository around the checked folder configures Knative Serving elsewhere: what it writes is what the cluster has
  const elsewhere = features.repository[flag];
  if (elsewhere) {
    const on = lets(elsewhere.value);
    return on ? { lets: true } : { lets: false, assumed: `${elsewhere.source}, outside the checked folder, which sets it to ${elsewhere.value}` };
  }
  if (platform === 'rhoai-2')
    return {
      lets: byDefault || OPENSHIFT_AI_ENABLED.has(flag),
      assumed: "the KnativeServing OpenShift AI's operator creates (serving managed by the DataScienceCluster)",
    };
  return {
    lets: byDefault,
    assumed: features.sources.length
      ? `Knative's defaults (${features.sources.join(', ')} ${features.sources.length > 1 ? 'do' : 'does'} not set it, and the tree holds no config-features or KnativeServing)`
      : "Knative's defaults (no config-features or KnativeServing in the tree)",
  };
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
