import { KUEUE_GROUP } from '../k8s/keys';
import * as fs from 'fs';
import * as path from 'path';
import { packagePath } from '../private/package-root';
import { PLATFORMS, PlatformId } from './platform';

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

/** The core API groups of Kubernetes 1.33 (schemas/k8s), read once. */
let core: Map<string, Record<string, string[]>> | undefined;
function coreGroups(): Map<string, Record<string, string[]>> {
  if (core) return core;
  const kinds = (JSON.parse(fs.readFileSync(packagePath('schemas', 'k8s', 'k8s-1.33.json'), 'utf8')) as { kinds: Record<string, unknown> }).kinds;
  // the schema lists what cdk8s-plus types; v1 Event is served too, and List is read by kubectl itself
  const keys = [...Object.keys(kinds), 'v1/Event', 'v1/List'];
  core = new Map();
  for (const key of keys) {
    const parts = key.split('/');
    const [group, version, kind] = parts.length === 2 ? ['', parts[0], parts[1]] : parts;
    const g = core.get(group) ?? {};
    g[kind] = [...(g[kind] ?? []), version];
    core.set(group, g);
  }
  return core;
}

/** The kinds of the CRDs of a platform's schema sets under schemas/crds, by group. */
function shippedGroups(sets: readonly string[]): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  for (const set of sets) {
    const dir = packagePath('schemas', 'crds', set);
    for (const f of fs.readdirSync(dir).filter((e) => e.endsWith('.json'))) {
      const crd = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { group: string; kind: string; versions: { name: string }[] };
      const g = out.get(crd.group) ?? {};
      g[crd.kind] = [...new Set([...(g[crd.kind] ?? []), ...crd.versions.map((v) => v.name)])];
      out.set(crd.group, g);
    }
  }
  return out;
}

const memo = new Map<PlatformId, ReadonlyMap<string, ServedGroup>>();

/**
 * The API groups a platform's API server serves, as far as the project knows them: Kubernetes' own groups, Kueue,
 * KServe and OpenShift AI's operator groups whole; the other groups of its shipped CRDs by their kinds only. A group
 * not in the map is unknown (another operator's CRDs): nothing is said of it.
 */
export function servedApis(id: PlatformId): ReadonlyMap<string, ServedGroup> {
  const known = memo.get(id);
  if (known) return known;
  const p = PLATFORMS[id];
  const groups = new Map<string, ServedGroup>();
  for (const [group, kinds] of shippedGroups(p.schemaSets)) groups.set(group, { kinds, closed: false });
  for (const [group, kinds] of coreGroups()) groups.set(group, { kinds, closed: true });
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
