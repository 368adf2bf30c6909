import { mapping, mappings, stringMap, text } from '../manifests/access';
import { INSTANCE_TYPE_LABEL } from '../k8s/keys';
import { ObjectGraph } from './graph';
import { Taint } from './taints';

/**
 * The node label OpenShift's cluster autoscaler reads a node's GPU type from: a ClusterAutoscaler's
 * spec.resourceLimits.gpus[].type counts the GPUs of nodes whose label has that value (OpenShift docs "Applying
 * autoscaling to an OpenShift Container Platform cluster": the type must match the cluster-api/accelerator label of
 * the MachineSets' nodes; kubernetes/autoscaler cloudprovider/clusterapi GPULabel).
 */
export const ACCELERATOR_LABEL = 'cluster-api/accelerator';

/**
 * The MachineSets of the tree: the labels their nodes carry (the template's, and the instance-type label the cloud
 * sets from the provider spec: AWS instanceType, Azure vmSize, GCP machineType) and their scheduling taints.
 */
export function machineSetNodes(graph: ObjectGraph): { name: string; labels: Record<string, string>; taints: Taint[] }[] {
  return graph.ofKind('MachineSet').map((ms) => {
    const spec = mapping(mapping(mapping(ms.manifest.spec).template).spec);
    const labels: Record<string, string> = { ...stringMap(mapping(spec.metadata).labels) };
    const provider = mapping(mapping(spec.providerSpec).value);
    const type = text(provider.instanceType) ?? text(provider.vmSize) ?? text(provider.machineType);
    if (type) labels[INSTANCE_TYPE_LABEL] = type;
    const taints = mappings(spec.taints)
      .filter((t) => text(t.key) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute'))
      .map((t) => ({ key: String(t.key), value: text(t.value), effect: String(t.effect) }));
    return { name: text(mapping(ms.manifest.metadata).name) ?? '<no name>', labels, taints };
  });
}

/**
 * The node labels of the MachineSets by name: those of the tree, then those its scripts make (a clone given an instance
 * type, a patch giving the accelerator label), which a MachineSet of the tree of the same name outranks.
 */
export function knownMachineSets(graph: ObjectGraph): Map<string, Record<string, string>> {
  const sets = new Map(machineSetNodes(graph).map((ms) => [ms.name, ms.labels]));
  const scripted = new Map<string, Record<string, string>>();
  for (const m of graph.scriptMachineSets) {
    const labels = scripted.get(m.name) ?? {};
    if (m.instanceType) labels[INSTANCE_TYPE_LABEL] = m.instanceType;
    if (m.accelerator) labels[ACCELERATOR_LABEL] = m.accelerator;
    scripted.set(m.name, labels);
  }
  for (const [name, labels] of scripted) if (!sets.has(name)) sets.set(name, labels);
  return sets;
}
