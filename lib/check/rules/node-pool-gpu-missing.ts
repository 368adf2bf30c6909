import { mapping } from '../../manifests/access';
import { TerraformNodePool } from '../../manifests/terraform-node-pools';
import { ObjectGraph } from '../graph';
import { containerGpus } from '../gpu-supply';
import { placedPods } from '../llm-pools';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { podPoolPins, PoolPin, POOL_WORDS, poolWhere, terraformPoolsOf } from '../terraform-pools';

/**
 * The Terraform pools a pin names where every one has no GPU: each name declared (by any cluster of the configuration),
 * each pool of that name known to have none; undefined where one may have GPUs or is not declared.
 */
function gpulessPools(pin: PoolPin, graph: ObjectGraph): TerraformNodePool[] | undefined {
  const pools = terraformPoolsOf(graph).pools.filter((p) => p.cloud === pin.cloud);
  // a pool whose name is not known may be the one
  if (pools.some((p) => p.name === undefined)) return undefined;
  const named = pools.filter((p) => pin.names.includes(p.name!));
  if (!pin.names.every((n) => named.some((p) => p.name === n))) return undefined;
  return named.every((p) => p.gpus === false) ? named : undefined;
}

/** The GPU pools of the same cloud, for the message. */
function gpuPools(pin: PoolPin, graph: ObjectGraph): string {
  const gpus = terraformPoolsOf(graph).pools.filter((p) => p.cloud === pin.cloud && p.gpus === true && p.name !== undefined);
  return gpus.length ? ` (its GPU pools: ${gpus.slice(0, 4).map(poolWhere).join(', ')})` : '';
}

export const nodePoolGpuMissing: Rule = {
  id: 'node-pool-gpu-missing',
  title: 'a workload requests GPUs but pins a node pool whose Terraform declares no GPU: its pods stay Pending',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'a pod requests nvidia.com/gpu or amd.com/gpu and its nodeSelector (or an In of the only term of its required node affinity) pins node pools by name (cloud.google.com/gke-nodepool, eks.amazonaws.com/nodegroup, kubernetes.azure.com/agentpool), ' +
    'each of which a Terraform configuration of the checked folders or of their git repository declares, and every pool of those names has no GPU as the Terraform writes it: ' +
    'GKE no guest_accelerator and a machine type outside the GPU families (a2, a3, a4, g2, g4; e2-medium where none is written), EKS instance types none of which has GPUs (p and g families; t3.medium where none is written; a launch template is not read), ' +
    'AKS a vm_size outside the N series; a pool whose name, accelerators or machine type Terraform does not give literally (a dynamic block, a variable without one value) is not judged',
  example:
    'a Deployment requesting `nvidia.com/gpu: 1` whose nodeSelector pins `cloud.google.com/gke-nodepool: atlas-system` while the Terraform declares that pool with `machine_type = "e2-standard-4"` and no guest_accelerator',
  fix: 'pin a pool that has GPUs, or add the accelerator (guest_accelerator, a GPU instance type or VM size) to the pool in the Terraform',
  source:
    'terraform-provider-google google_container_node_pool node_config (guest_accelerator, machine_type, default e2-medium); terraform-provider-aws aws_eks_node_group (instance_types, default t3.medium); terraform-provider-azurerm azurerm_kubernetes_cluster_node_pool (vm_size); ' +
    'the device plugin advertises nvidia.com/gpu only on nodes with GPUs, and kube-scheduler NodeResourcesFit keeps a pod off nodes without the extended resource it requests',
  check(o, { graph }) {
    if (!terraformPoolsOf(graph).pools.length) return [];
    return placedPods(o.manifest).flatMap(({ manifest, label }): Problem[] => {
      const gpus = containersOf(manifest)
        .filter((c) => !c.init)
        .reduce((n, c) => n + containerGpus(c.container), 0);
      if (!(gpus > 0)) return [];
      return podPoolPins(mapping(podSpecOf(manifest)), label).flatMap((pin) => {
        const pools = gpulessPools(pin, graph);
        if (!pools) return [];
        const why = pools.map((p) => `${poolWhere(p)}: ${p.gpuWhy}`).join('; ');
        return [
          {
            message:
              `${pin.field} pins ${pin.label} to ${pin.names.map((n) => `'${n}'`).join(' or ')} while the pods request ${gpus} GPU${gpus > 1 ? 's' : ''}, ` +
              `but the Terraform declares ${pools.length > 1 ? 'those pools' : `that ${POOL_WORDS[pin.cloud]}`} without GPUs (${why}): no node there advertises the GPU resource, so the pods stay Pending; ` +
              `pin a pool with GPUs${gpuPools(pin, graph)}, or add the accelerator to the pool in the Terraform`,
          },
        ];
      });
    });
  },
};
