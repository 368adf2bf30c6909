import { mapping, stringMap, text } from '../../manifests/access';
import { PoolCloud } from '../../manifests/terraform-node-pools';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { placedPods } from '../llm-pools';
import { meantAmong, meantCandidate } from '../near-names';
import { repositoryObjectsOf } from '../found-elsewhere';
import { readScope } from '../work-trees';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import {
  computeClassPoolPins,
  flavorPoolPins,
  isComputeClass,
  judgedPools,
  podLabelPins,
  podPoolPins,
  PoolPin,
  POOL_WORDS,
  poolWhere,
  terraformMayWrite,
  terraformPoolsOf,
  treeDeclaresPools,
} from '../terraform-pools';

/** The pins of the object: a workload's pods' node selection, a flavor's node labels, a compute class's priorities. */
function pinsOf(o: GraphObject): PoolPin[] {
  const m = o.manifest;
  if (m.kind === 'ResourceFlavor' && /^kueue\.x-k8s\.io\//.test(text(m.apiVersion) ?? '')) return flavorPoolPins(m);
  if (isComputeClass(m)) {
    // auto-creation may make pools the class names (nodePoolAutoCreation: enabled)
    if (mapping(mapping(m.spec).nodePoolAutoCreation).enabled === true) return [];
    return computeClassPoolPins(m);
  }
  return placedPods(m).flatMap(({ manifest, label }) => podPoolPins(mapping(podSpecOf(manifest)), label));
}

/** The message on a pin none of whose names the Terraform declares, with the near name it likely meant. */
function undeclared(pin: PoolPin, graph: ObjectGraph, cloud: PoolCloud): Problem | undefined {
  const pools = judgedPools(graph, cloud);
  if (!pools || treeDeclaresPools(graph, cloud)) return undefined;
  // a pool whose count resolves to 0 from the files is declared still: a -var may make it
  const absent = terraformPoolsOf(graph).absentPools.filter((p) => p.cloud === cloud);
  const declared = new Set([...pools, ...absent].map((p) => p.name));
  if (pin.names.some((n) => declared.has(n)) || absent.some((p) => p.name === undefined)) return undefined;
  const name = pin.names[0];
  const meant =
    pin.names.length === 1
      ? meantCandidate(
          name,
          pools.map((p) => ({ name: p.name! })),
          { words: true },
        )
      : undefined;
  const pool = meant && pools.find((p) => p.name === meant.name);
  const listed = pools.slice(0, 6).map(poolWhere).join(', ') + (pools.length > 6 ? ` and ${pools.length - 6} more` : '');
  const names = pin.names.map((n) => `'${n}'`).join(' or ');
  const files = [...new Set(pools.map((p) => p.file))].join(', ');
  return {
    message:
      `${pin.field} pins ${pin.label} to ${names}, a ${POOL_WORDS[cloud]} the repository's Terraform (${files}) does not declare ` +
      `(its ${POOL_WORDS[cloud]}s: ${listed}; no node pool is made on demand): no node carries that label, so the pods stay Pending` +
      `${pool ? `; did you mean ${poolWhere(pool)}?` : '; name a declared pool, or declare this one in the Terraform'}`,
  };
}

/** The label Karpenter puts on its nodes with the NodePool's name (karpenter pkg/apis/v1 NodePoolLabelKey). */
const KARPENTER_POOL_LABEL = 'karpenter.sh/nodepool';
/** The NodePools EKS Auto Mode makes itself (EKS docs "Built-in NodePools"). */
const BUILT_IN_KARPENTER_POOLS = new Set(['general-purpose', 'system']);

/** The Karpenter NodePools the tree and its repository define, by name. */
function karpenterPools(graph: ObjectGraph): string[] {
  return graph.once('node-pool-not-declared:karpenter', () => {
    const karpenter = (v: unknown) => /^karpenter\.sh\//.test(text(v) ?? '');
    const tree = graph
      .ofKind('NodePool')
      .filter((p) => karpenter(p.manifest.apiVersion))
      .map((p) => text(mapping(p.manifest.metadata).name));
    const repo = repositoryObjectsOf(graph)
      .filter((o) => o.kind === 'NodePool' && karpenter(o.manifest.apiVersion))
      .map((o) => o.name);
    return [...new Set([...tree, ...repo].filter((n): n is string => n !== undefined))];
  });
}

/** The pins of a Karpenter NodePool by name: a workload's pods' node selection, a flavor's node labels. */
function karpenterPins(o: GraphObject): { names: string[]; field: string }[] {
  const m = o.manifest;
  if (m.kind === 'ResourceFlavor') {
    const name = stringMap(mapping(m.spec).nodeLabels)[KARPENTER_POOL_LABEL];
    return name ? [{ names: [name], field: 'spec.nodeLabels' }] : [];
  }
  if (isComputeClass(m)) return [];
  return placedPods(m).flatMap(({ manifest, label }) => podLabelPins(mapping(podSpecOf(manifest)), label, (k) => k === KARPENTER_POOL_LABEL));
}

/** The message on a Karpenter pin naming no NodePool the tree and its repository define, where they define others. */
function karpenterUndeclared(pin: { names: string[]; field: string }, graph: ObjectGraph): Problem | undefined {
  const defined = karpenterPools(graph);
  if (!defined.length || pin.names.some((n) => defined.includes(n) || BUILT_IN_KARPENTER_POOLS.has(n))) return undefined;
  // a Terraform file that writes a NodePool and names it: made there, in a form not read
  if (pin.names.some((n) => terraformMayWrite(graph, 'NodePool', n))) return undefined;
  const scope = readScope(graph);
  return {
    message:
      `${pin.field} pins ${KARPENTER_POOL_LABEL} to ${pin.names.map((n) => `'${n}'`).join(' or ')}, a Karpenter NodePool ${scope.lacks} (its NodePools: ${defined.join(', ')})` +
      `${pin.names.length === 1 ? meantAmong(pin.names[0], defined) : ''}: Karpenter launches nodes only for NodePools that exist, so the pods stay Pending; name one of those, or add the NodePool`,
  };
}

export const nodePoolNotDeclared: Rule = {
  id: 'node-pool-not-declared',
  title:
    "a workload, Kueue ResourceFlavor or GKE ComputeClass pins a node pool by name that the repository's Terraform does not declare: nothing ever runs there",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ResourceFlavor', 'ComputeClass'],
  premise:
    "a pod's nodeSelector (or an In of the only term of its required node affinity), a Kueue ResourceFlavor's spec.nodeLabels, or a GKE ComputeClass's spec.priorities[].nodepools names a node pool by its name label " +
    '(cloud.google.com/gke-nodepool, eks.amazonaws.com/nodegroup, kubernetes.azure.com/agentpool) that no Terraform configuration of the checked folders or of their git repository declares ' +
    '(google_container_node_pool, a google_container_cluster node_pool block or its default-pool, aws_eks_node_group, terraform-aws-modules/eks eks_managed_node_groups, azurerm_kubernetes_cluster_node_pool or a default_node_pool), ' +
    'while that Terraform declares pools of the same cloud, every one with a name it can evaluate (literals, variables with a default or one tfvars value, locals, format and join; not count, for_each, name prefixes or unset variables), all of one cluster, ' +
    'and that cluster makes no pool on demand (GKE node auto-provisioning and Autopilot off, AKS node auto-provisioning off; not known where the cluster is not declared), and the tree declares no pools another way (Config Connector, eksctl, ASO); ' +
    'a ComputeClass with nodePoolAutoCreation enabled is not judged. The message names the declared pool of the nearest name, and the file. ' +
    "Likewise a karpenter.sh/nodepool pin naming no Karpenter NodePool of the tree or of the manifests of its repository (a Terraform heredoc among them) while they define others, not one of EKS Auto Mode's built-in general-purpose and system, and named in no Terraform file that writes a NodePool",
  example: 'a ComputeClass with `nodepools: [atlas-spot-trn]` while the Terraform declares `name = "${var.cluster}-spt-trn"` with `cluster = "atlas"`',
  fix: 'name the pool as the Terraform declares it, or declare the pool in the Terraform (and apply it)',
  source:
    'GKE: nodes of a pool carry cloud.google.com/gke-nodepool=<pool name> (GKE docs "Node pools"); ComputeClass priorities[].nodepools name existing pools (GKE docs "About custom compute classes"); ' +
    'EKS managed node groups label their nodes eks.amazonaws.com/nodegroup=<name>; AKS labels kubernetes.azure.com/agentpool=<pool name>; ' +
    'terraform-provider-google google_container_node_pool (name, name_prefix), google_container_cluster (node_pool, remove_default_node_pool, cluster_autoscaling.enabled, enable_autopilot); terraform-provider-aws aws_eks_node_group; terraform-provider-azurerm azurerm_kubernetes_cluster_node_pool; ' +
    'karpenter pkg/apis/v1 (nodes carry karpenter.sh/nodepool=<NodePool name>; Karpenter provisions only for existing NodePools whose template admits the pod); ' +
    'kube-scheduler NodeAffinity: a pod whose selector no node matches stays Pending',
  check(o, { graph }) {
    const karpenter = karpenterPins(o).flatMap((pin) => {
      const p = karpenterUndeclared(pin, graph);
      return p ? [p] : [];
    });
    if (!terraformPoolsOf(graph).pools.length) return karpenter;
    return [
      ...pinsOf(o).flatMap((pin) => {
        const p = undeclared(pin, graph, pin.cloud);
        return p ? [p] : [];
      }),
      ...karpenter,
    ];
  },
};
