import { KUEUE_GROUP } from '../k8s/keys';
import * as fs from 'fs';
import * as path from 'path';
import { groupVersionOf } from '../k8s/api-version';
import { packagePath } from '../private/package-root';
import { PLATFORMS, PlatformId } from './platform';
import { crdHeader, schemaSetFiles } from './schema-sets';
import { USER_INSTALLED_OPERATORS, UserInstalledOperator } from './operator-releases';

/** The kinds an API group serves on a platform, with the versions of each. */
export interface ServedGroup {
  /** Versions served, by kind. */
  readonly kinds: Readonly<Record<string, readonly string[]>>;
  /**
   * Whether the list is the group's whole: a kind not in it is not served. Groups known only from the CRDs the
   * project ships (argoproj.io also holds Argo Rollouts and Workflows) are not closed: only their kinds' versions count.
   */
  readonly closed: boolean;
  /**
   * Kinds of a closed group that another add-on's CRDs put in it, with their versions and the add-on: served only
   * where that add-on is installed, which the tree does not tell.
   */
  readonly addOns?: Readonly<Record<string, { readonly versions: readonly string[]; readonly by: string }>>;
  /** The operator the cluster's owner installs to serve the group, at a release the tree does not show. */
  readonly installedBy?: UserInstalledOperator;
}

/** Kueue's kinds, the same from 0.14 to 0.16 (kubernetes-sigs/kueue config/components/crd/bases at v0.14.8 and v0.16.9). */
export const KUEUE_KINDS: readonly string[] = [
  'AdmissionCheck',
  'ClusterQueue',
  'Cohort',
  'LocalQueue',
  'MultiKueueCluster',
  'MultiKueueConfig',
  'ProvisioningRequestConfig',
  'ResourceFlavor',
  'Topology',
  'WorkloadPriorityClass',
  'Workload',
];

/** KServe's kinds of one version on every platform (opendatahub-io/kserve config/crd/full at odh-v3.0 and odh-v3.4). */
const KSERVE_KINDS: Readonly<Record<string, readonly string[]>> = {
  InferenceService: ['v1beta1'],
  ServingRuntime: ['v1alpha1'],
  // not installed by OpenShift AI: cluster-serving-runtime's finding, not this one's
  ClusterServingRuntime: ['v1alpha1'],
  ClusterStorageContainer: ['v1alpha1'],
  InferenceGraph: ['v1alpha1'],
  TrainedModel: ['v1alpha1'],
  LocalModelCache: ['v1alpha1'],
  LocalModelNode: ['v1alpha1'],
  LocalModelNodeGroup: ['v1alpha1'],
};

/**
 * ModelMesh Serving's kind in KServe's group (kserve/modelmesh-serving config/crd/bases/serving.kserve.io_predictors.yaml):
 * upstream KServe serves it when ModelMesh is installed beside it; OpenShift AI 3.x has no ModelMesh.
 */
const MODELMESH_KINDS = { Predictor: { versions: ['v1alpha1'], by: 'ModelMesh Serving' } } as const;

/** A Kubernetes release a platform's clusters run, and how messages name it. */
export interface KubernetesRelease {
  /** `1.34`: a key of schemas/k8s/k8s-served-apis.json. */
  readonly release: string;
  readonly label: string;
}

/** OpenShift 4.19–4.21, the releases OpenShift AI 3.x supports: Kubernetes 1.32–1.34. */
const OPENSHIFT_AI_3: readonly KubernetesRelease[] = [
  { release: '1.32', label: 'Kubernetes 1.32 (OpenShift 4.19)' },
  { release: '1.33', label: 'Kubernetes 1.33 (OpenShift 4.20)' },
  { release: '1.34', label: 'Kubernetes 1.34 (OpenShift 4.21)' },
];

/**
 * The Kubernetes releases each platform's clusters run, oldest first: OpenShift AI 3.x the OpenShift releases it
 * supports; upstream KServe any current cluster, judged as the newest Kubernetes the tool knows.
 */
export const KUBERNETES_RELEASES: Readonly<Record<PlatformId, readonly KubernetesRelease[]>> = {
  'rhoai-3.0': OPENSHIFT_AI_3,
  'rhoai-3.3': OPENSHIFT_AI_3,
  'rhoai-3.4': OPENSHIFT_AI_3,
  kserve: [{ release: '1.34', label: 'Kubernetes 1.34' }],
};

/** What each Kubernetes release serves, `{ "apps/v1": ["Deployment", …] }` (scripts/derive-k8s-served.js), read once. */
let releases: Record<string, Record<string, string[]>> | undefined;
function servedByRelease(): Record<string, Record<string, string[]>> {
  releases ??= (
    JSON.parse(fs.readFileSync(packagePath('schemas', 'k8s', 'k8s-served-apis.json'), 'utf8')) as { releases: Record<string, Record<string, string[]>> }
  ).releases;
  return releases;
}

/** Whether a Kubernetes release serves a built-in kind in an API version. */
function releaseServes(release: string, apiVersion: string, kind: string): boolean {
  return (servedByRelease()[release]?.[apiVersion] ?? []).includes(kind);
}

/**
 * The core API groups the platform's clusters serve, any of its releases counted (`releasesServing` tells which);
 * v1 Event is served too, and List is read by kubectl itself.
 */
function coreGroups(id: PlatformId): Map<string, Record<string, string[]>> {
  const core = new Map<string, Record<string, string[]>>();
  const add = (apiVersion: string, kind: string) => {
    const { group, version } = groupVersionOf(apiVersion);
    const g = core.get(group) ?? {};
    g[kind] = [...new Set([...(g[kind] ?? []), version])];
    core.set(group, g);
  };
  for (const { release } of KUBERNETES_RELEASES[id])
    for (const [apiVersion, kinds] of Object.entries(servedByRelease()[release] ?? {})) for (const kind of kinds) add(apiVersion, kind);
  add('v1', 'Event');
  add('v1', 'List');
  return core;
}

/**
 * Of the Kubernetes releases a platform runs, those that serve a built-in kind in an API version; undefined for a
 * kind no release of the tool's knows (another group's, or one `servedApis` refuses).
 */
export function releasesServing(id: PlatformId, apiVersion: string, kind: string): readonly KubernetesRelease[] | undefined {
  if (!Object.keys(servedByRelease()).some((r) => releaseServes(r, apiVersion, kind))) return undefined;
  return KUBERNETES_RELEASES[id].filter((r) => releaseServes(r.release, apiVersion, kind));
}

/**
 * The groups of the CRDs of a platform's schema sets under schemas/crds, each with the files that hold them: a file is
 * named `<plural>.<group>.json`, so the groups are known without reading the files.
 */
function shippedGroupFiles(sets: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const set of sets) {
    for (const file of schemaSetFiles(set)) {
      const name = path.basename(file, '.json');
      const group = name.slice(name.indexOf('.') + 1);
      out.set(group, [...(out.get(group) ?? []), file]);
    }
  }
  return out;
}

/**
 * A shipped group whose kinds are read from its files when first asked: a run asks for the groups of the objects it
 * meets, and parsing every CRD schema of a platform was a tenth of a synth.
 */
function shippedGroup(files: readonly string[], installedBy: UserInstalledOperator | undefined): ServedGroup {
  let kinds: Record<string, string[]> | undefined;
  return {
    closed: false,
    ...(installedBy ? { installedBy } : {}),
    get kinds() {
      if (!kinds) {
        const read: Record<string, string[]> = {};
        for (const crd of files.map(crdHeader)) read[crd.kind] = [...new Set([...(read[crd.kind] ?? []), ...crd.versions])];
        kinds = read;
      }
      return kinds;
    },
  };
}

const memo = new Map<PlatformId, ReadonlyMap<string, ServedGroup>>();

/**
 * The API groups a platform's API server serves, as far as the project knows them: Kubernetes' own groups (as any of
 * the Kubernetes releases it runs serves them: `releasesServing` says which), Kueue,
 * KServe and OpenShift AI's operator groups whole; the other groups of its shipped CRDs by their kinds only. A group
 * not in the map is unknown (another operator's CRDs): nothing is said of it.
 */
export function servedApis(id: PlatformId): ReadonlyMap<string, ServedGroup> {
  const known = memo.get(id);
  if (known) return known;
  const p = PLATFORMS[id];
  const groups = new Map<string, ServedGroup>();
  for (const [group, files] of shippedGroupFiles(p.schemaSets)) groups.set(group, shippedGroup(files, USER_INSTALLED_OPERATORS[group]));
  for (const [group, kinds] of coreGroups(id)) groups.set(group, { kinds, closed: true });
  groups.set(KUEUE_GROUP, { kinds: Object.fromEntries(KUEUE_KINDS.map((k) => [k, p.kueue.served])), closed: true });
  const llm = p.llmInferenceServiceServed;
  groups.set('serving.kserve.io', {
    kinds: {
      ...KSERVE_KINDS,
      LLMInferenceService: llm,
      LLMInferenceServiceConfig: llm,
      // new in OpenShift AI 3.4's KServe (odh-v3.4 config/crd/full/localmodel)
      ...(llm.includes('v1alpha2') ? { LocalModelNamespaceCache: ['v1alpha1'] } : {}),
    },
    closed: true,
    ...(p.openShiftAi ? {} : { addOns: MODELMESH_KINDS }),
  });
  if (p.openShiftAi) {
    // opendatahub-operator 3.x (docs/api-overview.md): HardwareProfile v1 (v1alpha1 deprecated), DataScienceCluster and
    // DSCInitialization v1 and v2
    groups.set('infrastructure.opendatahub.io', { kinds: { HardwareProfile: ['v1alpha1', 'v1'] }, closed: true });
    groups.set('datasciencecluster.opendatahub.io', { kinds: { DataScienceCluster: ['v1', 'v2'] }, closed: true });
    groups.set('dscinitialization.opendatahub.io', { kinds: { DSCInitialization: ['v1', 'v2'] }, closed: true });
  }
  memo.set(id, groups);
  return groups;
}
