import { IGpuPlacement } from '../placement/gpu-placement';
import { isDnsSubdomain, requireDnsSubdomain } from '../private/names';
import { KueueQuotaProps } from './kueue-quota-props';

/** The pools the quota holds: all nodes of `placements` (and `machineSets`), part of those in `shares`, each once. */
export function holdingsOf(where: string, props: KueueQuotaProps): { placement: IGpuPlacement; nodes?: number }[] {
  for (const field of ['placements', 'machineSets'] as const) {
    const list = props[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new Error(`${where}: ${field} must be a list of placements (GpuMachineSetScale, ExistingGpuNodes or PlannedPlacement)`);
    const bad = list.findIndex((p) => !p?.instanceType);
    if (bad >= 0) throw new Error(`${where}: ${field}[${bad}] is not a placement: give a GpuMachineSetScale, ExistingGpuNodes or PlannedPlacement`);
  }
  const holdings: { placement: IGpuPlacement; nodes?: number }[] = [...(props.placements ?? []), ...(props.machineSets ?? [])].map((placement) => ({
    placement,
  }));
  if (props.shares !== undefined && !Array.isArray(props.shares)) throw new Error(`${where}: shares must be a list of { placement, nodes }`);
  for (const [i, share] of (props.shares ?? []).entries()) {
    if (!share?.placement?.instanceType) {
      throw new Error(`${where}: shares[${i}] needs a placement (a GpuMachineSetScale, ExistingGpuNodes or PlannedPlacement) and nodes`);
    }
    // whole nodes only; whether the pool has them is judged at synth, when a MachineSet sized by its services knows its replicas
    if (!Number.isInteger(share.nodes) || share.nodes < 1) {
      throw new Error(
        `${where}: shares[${i}].nodes must be a whole number, 1 or more, of the ${share.placement.description}, got ${typeof share.nodes === 'string' ? JSON.stringify(share.nodes) : String(share.nodes)}`,
      );
    }
    holdings.push({ placement: share.placement, nodes: share.nodes });
  }
  if (holdings.length === 0) {
    throw new Error(`${where}: placements and shares are empty; pass the GpuMachineSetScale or ExistingGpuNodes whose GPUs the quota hands out`);
  }
  const held = holdings.map((h) => h.placement);
  const twice = held.find((p, i) => held.indexOf(p) !== i);
  if (twice) throw new Error(`${where}: ${twice.description} is listed twice (in placements or shares); list each pool once`);
  return holdings;
}

/** The flavor names' prefix, checked: `prefixed('cpu-batch')` is `<prefix>-cpu-batch`, or `cpu-batch` without one. */
export function flavorPrefixer(where: string, prefix = ''): (name: string) => string {
  if (prefix && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?-?$/.test(prefix))
    throw new Error(`${where}: flavorPrefix '${prefix}' must be lowercase letters, digits and '-'`);
  return (name: string) => {
    const flavor = prefix ? `${prefix.replace(/-$/, '')}-${name}` : name;
    // a ResourceFlavor (and the ClusterQueue's flavors[].name) is a DNS subdomain of at most 253 characters
    if (!isDnsSubdomain(flavor))
      throw new Error(`${where}: flavorPrefix makes the ResourceFlavor name '${flavor}' longer than 253 characters; shorten the prefix`);
    return flavor;
  };
}

/** The cohort is a DNS name; a borrowing limit needs a cohort and is a whole number of GPUs. */
export function validateBorrowing(where: string, props: KueueQuotaProps): void {
  if (props.cohort !== undefined) requireDnsSubdomain(where, 'cohort', props.cohort);
  if (props.gpuBorrowingLimit === undefined) return;
  if (!props.cohort) throw new Error(`${where}: gpuBorrowingLimit needs a cohort to borrow from; set cohort`);
  if (!Number.isInteger(props.gpuBorrowingLimit) || props.gpuBorrowingLimit < 0)
    throw new Error(`${where}: gpuBorrowingLimit must be a whole number of GPUs, got ${props.gpuBorrowingLimit}`);
}
