import { GpuInstanceType } from '../../catalog/instance-type';
import { mapping, mappings, text } from '../../manifests/access';
import { INSTANCE_TYPE_LABEL } from '../../k8s/keys';
import { ObjectGraph } from '../graph';
import { ACCELERATOR_LABEL, knownMachineSets } from '../machine-set-nodes';
import { Rule } from '../rule';

/** What the MachineAutoscalers of the tree let the MachineSets of one GPU type grow to. */
interface TypeReach {
  /** GPUs at every MachineAutoscaler's maxReplicas. */
  readonly gpus: number;
  /** Each as `MachineAutoscaler (MachineSet, max × GPUs per node)`. */
  readonly parts: readonly string[];
}

/** The GPUs the MachineAutoscalers allow per accelerator type, counting MachineSets of the tree whose instance type the catalog knows. */
function reachByType(graph: ObjectGraph): Map<string, TypeReach> {
  const sets = knownMachineSets(graph);
  const out = new Map<string, TypeReach>();
  for (const ma of graph.ofKind('MachineAutoscaler')) {
    const spec = mapping(ma.manifest.spec);
    const target = mapping(spec.scaleTargetRef);
    const labels = target.kind === 'MachineSet' ? sets.get(text(target.name) ?? '') : undefined;
    const type = labels?.[ACCELERATOR_LABEL];
    const perNode = GpuInstanceType.tryFind(labels?.[INSTANCE_TYPE_LABEL] ?? '')?.gpuCount;
    const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : undefined;
    if (!type || !perNode || max === undefined) continue;
    const before = out.get(type) ?? { gpus: 0, parts: [] };
    const part = `MachineAutoscaler '${text(mapping(ma.manifest.metadata).name)}' (MachineSet ${text(target.name)}, ${labels?.[INSTANCE_TYPE_LABEL]}: ${max} × ${perNode} GPU)`;
    out.set(type, { gpus: before.gpus + max * perNode, parts: [...before.parts, part] });
  }
  return out;
}

export const autoscalerGpuLimitBelowMachineMax: Rule = {
  id: 'autoscaler-gpu-limit-below-machine-max',
  title:
    "a ClusterAutoscaler's GPU limit for a type is below what the MachineAutoscalers of the MachineSets of that type allow: the autoscaler stops short of their maxReplicas",
  severity: 'warning',
  appliesTo: ['ClusterAutoscaler'],
  premise:
    "a ClusterAutoscaler's spec.resourceLimits.gpus[] entry has a max below the GPUs the tree's MachineAutoscalers allow for the MachineSets of the tree whose nodes carry cluster-api/accelerator = that type (the sum of maxReplicas × the GPUs of the MachineSet's instance type, where the catalog knows it); a MachineSet a script of the tree makes counts with the instance type its clone is given (`oc get machineset … -o yaml | sed 's/instanceType.*/instanceType: g6.xlarge/' | oc apply -f -`, also through a shell function called with literal arguments) and the accelerator label a script's patch gives it; MachineSets neither the tree nor its scripts make, or of instance types the catalog does not know, are not counted; a warning, since the autoscaler only adds nodes up to the lower figure (other limits, such as maxNodesTotal, may stop it first)",
  example: 'ClusterAutoscaler `default` with gpus `nvidia-l4` max `2` and MachineAutoscaler `gpu-l4` maxReplicas `4` of g6.xlarge MachineSet',
  fix: 'raise the gpus max of that type to the GPUs the MachineAutoscalers allow, or lower their maxReplicas to match',
  source:
    'openshift/cluster-autoscaler-operator pkg/controller/clusterautoscaler/clusterautoscaler.go (ResourceArgs: each gpus entry becomes --gpu-total=<type>:<min>:<max>); kubernetes/autoscaler cluster-autoscaler core/scaleup/resource/manager.go (a scale-up that would pass a --gpu-total max is cut to the nodes that fit) and cloudprovider/clusterapi (GPU type from the cluster-api/accelerator label); OpenShift docs "Creating a compute machine set on AWS" (a MachineSet cloned from an existing one with a new instanceType); OpenShift docs "Applying autoscaling to an OpenShift Container Platform cluster" (ClusterAutoscaler resourceLimits.gpus type)',
  check(o, { graph }) {
    const reach = reachByType(graph);
    return mappings(mapping(mapping(o.manifest.spec).resourceLimits).gpus).flatMap((g) => {
      const type = text(g.type);
      const max = typeof g.max === 'number' ? g.max : undefined;
      const allowed = type ? reach.get(type) : undefined;
      if (!type || max === undefined || !allowed || allowed.gpus <= max) return [];
      return [
        {
          message:
            `spec.resourceLimits.gpus type ${type} has max ${max}, but the MachineAutoscalers of the MachineSets labelled ${ACCELERATOR_LABEL}=${type} allow ${allowed.gpus} GPUs ` +
            `(${allowed.parts.join('; ')}): the cluster autoscaler adds no node past ${max} GPUs of that type, so their maxReplicas is never reached; ` +
            `raise the max to ${allowed.gpus} or lower the maxReplicas`,
        },
      ];
    });
  },
};
