import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import * as kueue from '../../imports/kueue.x-k8s.io';
import { GpuInstanceType } from '../catalog/instance-type';
import { requireDnsLabel, requireDnsSubdomain } from '../private/names';
import { cpuPropMillis, sizeMiB } from '../private/quantity';
import { constructPath, resolveNamespace, stateIn } from '../private/scope';
import { WorkloadDemand } from '../placement/gpu-demand';
import { IGpuPlacement, tolerationOf } from '../placement/gpu-placement';
import { IWorkloadQueue } from './workload-queue';
import { platformOf } from '../platform/platform';
import { syncWaveOf } from '../private/argocd';
import { VllmConstruct } from '../check/app-construct';
import { SYNC_WAVE_ANNOTATION } from '../k8s/keys';
import { preemptionOf } from './kueue-preemption';
import { FlavorQuota, KueueQuotaProps } from './kueue-quota-props';
import { clusterScoped, declareFlavor, QueueSpec, renderQueuesV1Beta1, renderQueuesV1Beta2 } from './kueue-queue-rendering';
import { flavorPrefixer, holdingsOf, validateBorrowing } from './kueue-quota-validation';

/** The quotas that hand out each placement's nodes, in construction order, with the nodes each holds: one map per app. */
function claimsIn(scope: IConstruct): Map<IGpuPlacement, { quota: KueueQuota; nodes?: number }[]> {
  return stateIn(scope.node.root, 'Cdk8sVllmKueueClaims', () => new Map<IGpuPlacement, { quota: KueueQuota; nodes?: number }[]>());
}

/**
 * Kueue quota for GPU serving: a `ResourceFlavor` per GPU instance type (node labels, tolerations, node taints
 * taken from the MachineSet), a CPU-only flavor for batch jobs, a `ClusterQueue` whose nominal quotas are the
 * allocatable capacity of the MachineSets' nodes, and the namespace's `LocalQueue`, in the Kueue version the app's
 * platform stores (`platformOf`): `kueue.x-k8s.io/v1beta1` up to OpenShift AI 3.3, `v1beta2` (with `cohortName` and
 * `MayStopSearch`) on 3.4 and upstream KServe.
 *
 * Workloads report their demand with `admit()` (a GPU workload needs a flavor of its instance type). Synth fails when
 * the queued workloads need more than a flavor holds (and, in a cohort, more than it can borrow), since such pods would
 * stay pending forever: the `quota-insufficient` rule judges that once, on the rendered objects, as `cdk8s-vllm check`
 * does. The ResourceFlavors and the ClusterQueue are cluster-scoped and carry no namespace, whichever chart holds
 * the quota.
 */
export class KueueQuota extends VllmConstruct implements IWorkloadQueue {
  public readonly clusterQueueName: string;
  public readonly localQueueName: string;
  public readonly namespace: string;
  public readonly batchFlavorName: string;
  /** The rendered ClusterQueue (`kueue.ClusterQueue` or `kueue.ClusterQueueV1Beta2`, as the app's platform stores). */
  public readonly clusterQueue: ApiObject;
  /** The rendered LocalQueue, in the same version. */
  public readonly localQueue: ApiObject;
  /** Kueue cohort of the ClusterQueue, if any. */
  public readonly cohort?: string;
  private readonly holdings: { readonly placement: IGpuPlacement; readonly nodes?: number }[];
  private readonly flavorNames = new Map<GpuInstanceType, string>();
  private readonly batch: { cpuMillis: number; memoryMiB: number };
  private readonly demands: WorkloadDemand[] = [];

  constructor(scope: Construct, id: string, props: KueueQuotaProps) {
    super(scope, id);
    const where = constructPath('KueueQuota', this);
    this.clusterQueueName = requireDnsSubdomain(where, 'clusterQueueName', props.clusterQueueName ?? 'gpu-cluster-queue');
    this.localQueueName = requireDnsSubdomain(where, 'localQueueName', props.localQueueName ?? 'default');
    this.namespace = requireDnsLabel(where, 'namespace', resolveNamespace(this, where, props.namespace));
    this.holdings = holdingsOf(where, props);
    const prefixed = flavorPrefixer(where, props.flavorPrefix);
    validateBorrowing(where, props);
    const preemption = preemptionOf(where, props.preemption);
    this.batchFlavorName = prefixed('cpu-batch');
    this.cohort = props.cohort;
    this.batch = {
      cpuMillis: cpuPropMillis(where, 'batchCpu', props.batchCpu ?? kplus.Cpu.units(8)),
      memoryMiB: sizeMiB(where, 'batchMemory', props.batchMemory ?? Size.gibibytes(32)),
    };
    const wave = syncWaveOf(where, props.syncWave, 4);
    // the Kueue version the app's platform stores: v1beta2 from Kueue 0.16 (Red Hat build of Kueue 1.3) on
    const v1beta2 = platformOf(this).kueueApiVersion === 'kueue.x-k8s.io/v1beta2';
    this.deriveFlavorNames(prefixed);
    this.renderFlavors(where, wave, v1beta2);
    const queue: QueueSpec = {
      clusterQueueName: this.clusterQueueName,
      localQueueName: this.localQueueName,
      namespace: this.namespace,
      wave,
      preemption,
      cohort: props.cohort,
      borrow: props.gpuBorrowingLimit,
      quotas: () => this.quotas(),
    };
    [this.clusterQueue, this.localQueue] = v1beta2 ? renderQueuesV1Beta2(this, queue) : renderQueuesV1Beta1(this, queue);
    clusterScoped(this.clusterQueue);
    // registered last, so that a quota whose props were refused hands out nothing
    const claims = claimsIn(this);
    for (const h of this.holdings) claims.set(h.placement, [...(claims.get(h.placement) ?? []), { quota: this, nodes: h.nodes }]);
    this.node.addValidation({ validate: () => this.validateClaims() });
  }

  /** One flavor name per instance type of the held pools, the instance type's DNS name added when two share a base name. */
  private deriveFlavorNames(prefixed: (name: string) => string): void {
    const types = this.instanceTypes();
    const base = (t: GpuInstanceType) => `nvidia-${t.gpu.name.toLowerCase()}-${t.gpuCount}gpu`;
    for (const t of types) {
      const clash = types.filter((o) => base(o) === base(t)).length > 1;
      this.flavorNames.set(t, prefixed(clash ? `${base(t)}-${t.dnsName}` : base(t)));
    }
  }

  /** The instance types of the held pools, smallest first (the order Kueue tries their flavors). */
  private instanceTypes(): GpuInstanceType[] {
    const held = this.holdings.map((h) => h.placement);
    return [...new Set(held.map((m) => m.instanceType))].sort((a, b) => a.gpuCount - b.gpuCount || a.name.localeCompare(b.name));
  }

  /** The batch flavor and one ResourceFlavor per instance type, with the node labels and taints of its pools. */
  private renderFlavors(where: string, wave: number, v1beta2: boolean): void {
    const held = this.holdings.map((h) => h.placement);
    const declare = (id: string, name: string, spec: kueue.ResourceFlavorSpec) => {
      if (!declareFlavor(this, where, name, spec)) return; // shared with the quota that declared it
      const metadata = { name, annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) } };
      // a ResourceFlavor's spec is the same in both versions (kueue v0.16.9 CRDs)
      clusterScoped(v1beta2 ? new kueue.ResourceFlavorV1Beta2(this, id, { metadata, spec }) : new kueue.ResourceFlavor(this, id, { metadata, spec }));
    };
    declare('BatchFlavor', this.batchFlavorName, {});
    for (const t of this.instanceTypes()) {
      const sets = held.filter((m) => m.instanceType === t);
      const taints = sets[0].taints;
      for (const other of sets.slice(1)) {
        const differ = JSON.stringify(other.nodeSelector) !== JSON.stringify(sets[0].nodeSelector) ? 'select different nodes' : undefined;
        const what = differ ?? (JSON.stringify(other.taints) !== JSON.stringify(taints) ? 'differ in taints' : undefined);
        if (what) {
          throw new Error(
            `${where}: ${sets[0].description} and ${other.description} share instance type ${t.name} but ${what}; one ResourceFlavor cannot describe both`,
          );
        }
      }
      declare(`Flavor-${t.dnsName}`, this.flavorNames.get(t)!, {
        nodeLabels: { ...sets[0].nodeSelector },
        nodeTaints: taints.map((x) => ({ key: x.key, value: x.value, effect: x.effect })),
        tolerations: taints.map(tolerationOf),
      });
    }
  }

  /** The ResourceFlavor that admits pods of an instance type. @returns undefined when no MachineSet has that type */
  public flavorFor(instanceType: GpuInstanceType): string | undefined {
    return this.flavorNames.get(instanceType);
  }

  /** Nominal quota per flavor, in the order Kueue tries them. */
  public quotas(): FlavorQuota[] {
    const out: FlavorQuota[] = [{ flavor: this.batchFlavorName, gpus: 0, ...this.batch }];
    for (const [t, flavor] of this.flavorNames) {
      const replicas = this.holdings.filter((h) => h.placement.instanceType === t).reduce((n, h) => n + (h.nodes ?? h.placement.nodeCount), 0);
      const a = t.allocatable;
      out.push({ flavor, instanceType: t, gpus: replicas * a.gpus, cpuMillis: replicas * a.cpuMillis, memoryMiB: replicas * a.memoryMiB });
    }
    return out;
  }

  /** Demand admitted so far. */
  public get admitted(): readonly WorkloadDemand[] {
    return [...this.demands];
  }

  /**
   * Records a workload that is admitted through this quota's LocalQueue. GPU workloads must run on an instance
   * type one of the MachineSets provides.
   */
  public admit(demand: WorkloadDemand): void {
    if (demand.instanceType && !this.flavorNames.has(demand.instanceType)) {
      throw new Error(
        `${demand.workload}: queue '${this.localQueueName}' has no ResourceFlavor for instance type ${demand.instanceType.name}; ` +
          `its MachineSets provide ${[...this.flavorNames.keys()].map((t) => t.name).join(', ')}: add a GpuMachineSetScale of that type to the KueueQuota`,
      );
    }
    this.demands.push(demand);
  }

  /**
   * The nodes the app's quotas hand out of each of this quota's pools; reported once, by the pool's first quota.
   * Whether the demand fits the quota is judged once, on the rendered objects, by the `quota-insufficient` rule
   * (which `cdk8s-vllm check` runs too).
   */
  private validateClaims(): string[] {
    const errors: string[] = [];
    for (const { placement } of this.holdings) {
      const all = claimsIn(this).get(placement) ?? [];
      if (all[0]?.quota !== this) continue;
      const handedOut = all.reduce((n, c) => n + (c.nodes ?? placement.nodeCount), 0);
      if (handedOut <= placement.nodeCount) continue;
      const who = all.map(
        (c) =>
          `${constructPath('KueueQuota', c.quota)} (${c.nodes === undefined ? `all ${placement.nodeCount}` : c.nodes} node${(c.nodes ?? placement.nodeCount) === 1 ? '' : 's'})`,
      );
      const has = `${placement.nodeCount} node${placement.nodeCount === 1 ? '' : 's'}`;
      errors.push(
        `${placement.description} has ${has} but ${all.length > 1 ? 'the quotas hand' : 'the quota hands'} out ${handedOut}: ${who.join(', ')}; Kueue would admit pods for GPUs that do not exist. ` +
          (all.length > 1
            ? `Give each quota a part of the pool (shares: [{ placement, nodes }]) adding up to at most ${placement.nodeCount}, and put them in one cohort to lend each other what they leave unused`
            : `Lower the share to at most ${placement.nodeCount}, or give the pool more nodes (nodeCount, or the MachineSet's replicas)`),
      );
    }
    return errors;
  }
}
