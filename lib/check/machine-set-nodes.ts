import { mapping, mappings, stringMap, text } from '../manifests/access';
import { INSTANCE_TYPE_LABEL } from '../k8s/keys';
import { ObjectGraph } from './graph';
import { Taint } from './taints';

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
