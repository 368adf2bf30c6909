import { Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { PoolCloud, POOL_NAME_LABELS, TerraformNodePool, TerraformNodePools } from '../manifests/terraform-node-pools';
import { ObjectGraph } from './graph';
import { cloudOfLabel, PoolPin, POOL_WORDS } from './pool-pins';

export { cloudOfLabel, podLabelPins, podPoolPins, POOL_WORDS, poolWhere } from './pool-pins';
export type { PoolPin } from './pool-pins';

/** The node pools the Terraform of the checked folders and of their git repositories declares, read once per check (ObjectGraph.terraformPools). */
export const terraformPoolsOf = (graph: ObjectGraph): TerraformNodePools => graph.terraformPools();

/** The pools a Kueue ResourceFlavor pins in spec.nodeLabels. */
export function flavorPoolPins(flavor: Loose): PoolPin[] {
  return Object.entries(stringMap(mapping(flavor.spec).nodeLabels)).flatMap(([key, value]) => {
    const cloud = cloudOfLabel(key);
    return cloud ? [{ cloud, label: key, names: [value], field: 'spec.nodeLabels' }] : [];
  });
}

/** The pools a GKE ComputeClass lists in spec.priorities[].nodepools, each priority on its own. */
export function computeClassPoolPins(cc: Loose): PoolPin[] {
  return mappings(mapping(cc.spec).priorities).flatMap((p, i) =>
    strings(p.nodepools).map((name) => ({ cloud: 'gke' as const, label: POOL_NAME_LABELS.gke, names: [name], field: `spec.priorities[${i}].nodepools` })),
  );
}

/**
 * The pools of a cloud the Terraform declares, where the judgement on a name is sound: every one named, all of one
 * cluster, and that cluster makes no pool on demand (GKE node auto-provisioning or Autopilot, AKS node
 * auto-provisioning: on, or not known, where the cluster is not declared); undefined otherwise.
 */
export function judgedPools(graph: ObjectGraph, cloud: PoolCloud): readonly TerraformNodePool[] | undefined {
  const { pools, clusters } = terraformPoolsOf(graph);
  const ours = pools.filter((p) => p.cloud === cloud);
  if (!ours.length || ours.some((p) => p.name === undefined || p.cluster === undefined)) return undefined;
  const keys = new Set([...ours.map((p) => p.cluster), ...clusters.filter((c) => c.cloud === cloud).map((c) => c.key)]);
  if (keys.size !== 1) return undefined;
  const cluster = clusters.find((c) => c.key === [...keys][0]);
  // EKS makes no managed node group on demand; Karpenter's and Auto Mode's nodes carry no node group label
  if (cloud !== 'eks' && cluster?.autoCreation !== false) return undefined;
  return ours;
}

/** Kinds that declare pools in the tree too: Config Connector's ContainerNodePool, eksctl's ClusterConfig, ASO's agent pools. */
const TREE_POOL_KINDS: Readonly<Record<PoolCloud, readonly string[]>> = {
  gke: ['ContainerNodePool'],
  eks: ['ClusterConfig'],
  aks: ['ManagedClustersAgentPool'],
};

/** Whether the tree declares pools of the cloud another way: the Terraform's list is then not the whole. */
export function treeDeclaresPools(graph: ObjectGraph, cloud: PoolCloud): boolean {
  return TREE_POOL_KINDS[cloud].some((k) => graph.ofKind(k).length > 0);
}

/** Whether the object is a GKE ComputeClass (cloud.google.com). */
export const isComputeClass = (m: Loose): boolean => m.kind === 'ComputeClass' && /^cloud\.google\.com\//.test(text(m.apiVersion) ?? '');

/**
 * What check says it read of the Terraform, where it declares node pools: how many, of which clouds, from which
 * files (the first five), and how many have a name it could not evaluate (no rule judges a name against those).
 */
export function terraformNote(graph: ObjectGraph): string | undefined {
  const { pools } = terraformPoolsOf(graph);
  if (!pools.length) return undefined;
  const clouds = (Object.keys(POOL_WORDS) as PoolCloud[])
    .map((c) => [c, pools.filter((p) => p.cloud === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c.toUpperCase()}`);
  const files = [...new Set(pools.map((p) => p.file))];
  const unnamed = pools.filter((p) => p.name === undefined).length;
  return (
    `${pools.length} node pool${pools.length > 1 ? 's' : ''} (${clouds.join(', ')}) from ${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more files` : ''}` +
    (unnamed ? `; ${unnamed} with a name not evaluated (count, for_each, a prefix or an expression), so pool names are not judged for that cloud` : '')
  );
}

/**
 * Whether a Terraform file that writes an object of the kind (a kubernetes_manifest or kubectl_manifest, in a form not
 * read) names `name` as a value (quoted, or after `:` or `=`): it may make the object of that name.
 */
export function terraformMayWrite(graph: ObjectGraph, kind: string, name: string): boolean {
  const named = new RegExp(`["'\\s:=]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["'\\s]`);
  const writes = new RegExp(`\\b${kind}\\b`);
  return terraformPoolsOf(graph).manifestTexts.some((t) => writes.test(t.text) && named.test(t.text));
}
