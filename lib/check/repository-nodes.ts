import { GpuInstanceType } from '../catalog/instance-type';
import { holdsLabels, Loose, mapping, stringMap, text } from '../manifests/access';
import type { RepositoryObject } from '../manifests/repository-objects';

/**
 * The node shapes a git repository declares outside the checked folder: its OpenShift MachineSets (a sibling folder
 * such as `gpu-workers/`) and Karpenter NodePools. The cluster's nodes are one for all the repository's folders, so a
 * workload of the checked folder that selects their labels lands on them.
 */

/** A MachineSet of the repository: the labels its nodes carry, its instance type, and where it is written. */
export interface RepositoryMachineSet {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The provider spec's instance type (AWS instanceType, Azure vmSize, GCP machineType), where written. */
  readonly type?: string;
  readonly file: string;
  readonly line: number;
}

/** The node shapes the repository declares outside the checked folders. */
export interface RepositoryNodes {
  readonly machineSets: readonly RepositoryMachineSet[];
  /** Karpenter NodePools (karpenter.sh), as objects the Karpenter shape readers take. */
  readonly nodePools: readonly { readonly manifest: Loose; readonly file: string; readonly line: number }[];
}

/** The API group of OpenShift's Machine API (openshift/api machine/v1beta1 MachineSet). */
const MACHINE_API = 'machine.openshift.io/';

/** The MachineSets and Karpenter NodePools among the repository's objects, each file's copy once. */
export function repositoryNodesOf(objects: readonly RepositoryObject[]): RepositoryNodes {
  const seen = new Set<string>();
  const once = (o: RepositoryObject) => !seen.has(`${o.file}:${o.line}`) && seen.add(`${o.file}:${o.line}`);
  const machineSets = objects
    .filter((o) => o.kind === 'MachineSet' && (text(o.manifest.apiVersion) ?? '').startsWith(MACHINE_API) && once(o))
    .map((o): RepositoryMachineSet => {
      const spec = mapping(mapping(mapping(o.manifest.spec).template).spec);
      const provider = mapping(mapping(spec.providerSpec).value);
      const type = text(provider.instanceType) ?? text(provider.vmSize) ?? text(provider.machineType);
      return { name: o.name, labels: stringMap(mapping(spec.metadata).labels), ...(type ? { type } : {}), file: o.file, line: o.line };
    });
  const nodePools = objects
    .filter((o) => o.kind === 'NodePool' && (text(o.manifest.apiVersion) ?? '').startsWith('karpenter.sh/') && once(o))
    .map((o) => ({ manifest: o.manifest, file: o.file, line: o.line }));
  return { machineSets, nodePools };
}

/**
 * The repository's MachineSets whose nodes carry every label of a pod's node selector, and their instance types where
 * every one of them is a type the catalog knows: only then is each shape the pod may land on known. A MachineSet with
 * no instance type, or one the catalog lacks, leaves the shapes unknown (`types` empty).
 */
export function selectedMachineSets(
  nodes: RepositoryNodes,
  selector: Readonly<Record<string, string>>,
): { sets: RepositoryMachineSet[]; types: GpuInstanceType[] } {
  if (!Object.keys(selector).length) return { sets: [], types: [] };
  const sets = nodes.machineSets.filter((ms) => holdsLabels(ms.labels, selector));
  const types = sets.map((ms) => (ms.type ? GpuInstanceType.tryFind(ms.type) : undefined));
  return { sets, types: types.every((t) => t) ? [...new Set(types as GpuInstanceType[])] : [] };
}

/** What the output says of the node shapes read from the repository, where any was: how many, and from which files. */
export function repositoryNodesNote(nodes: RepositoryNodes | undefined): string | undefined {
  if (!nodes || (!nodes.machineSets.length && !nodes.nodePools.length)) return undefined;
  const counted = [
    nodes.machineSets.length ? `${nodes.machineSets.length} MachineSet${nodes.machineSets.length > 1 ? 's' : ''}` : '',
    nodes.nodePools.length ? `${nodes.nodePools.length} Karpenter NodePool${nodes.nodePools.length > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  const files = [...new Set([...nodes.machineSets, ...nodes.nodePools].map((n) => n.file))];
  return (
    `${counted.join(' and ')} of the repository outside the checked folder read as the cluster's node shapes, from ` +
    `${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more files` : ''}`
  );
}
