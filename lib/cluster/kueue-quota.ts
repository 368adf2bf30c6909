import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import * as kueue from '../../imports/kueue.x-k8s.io';
import { GpuInstanceType } from '../catalog/instance-type';
import { isDnsSubdomain, requireDnsLabel, requireDnsSubdomain } from '../private/names';
import { cpuPropMillis, formatMiB, formatMillis, sizeMiB } from '../private/quantity';
import { constructPath, resolveNamespace, stateIn } from '../private/scope';
import { lazy } from '../private/lazy';
import { WorkloadDemand } from '../placement/gpu-demand';
import { IGpuPlacement, tolerationOf } from '../placement/gpu-placement';
import { IWorkloadQueue } from './workload-queue';
import { platformOf } from '../platform/platform';
import { syncWaveOf } from '../private/argocd';
import { VllmConstruct } from '../check/app-construct';
import { GPU_RESOURCE, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/** The quotas that hand out each placement's nodes, in construction order, with the nodes each holds: one map per app. */
function claimsIn(scope: IConstruct): Map<IGpuPlacement, { quota: KueueQuota; nodes?: number }[]> {
  return stateIn(scope.node.root, 'Cdk8sVllmKueueClaims', () => new Map<IGpuPlacement, { quota: KueueQuota; nodes?: number }[]>());
}

/**
 * Declares a ResourceFlavor in the chart of `quota`. ResourceFlavors are cluster-scoped: a quota reuses one that
 * another quota of its chart (one cluster's objects) declares the same way, and refuses one declared differently
 * under the same name. @returns whether the quota is the first to declare it (and renders it)
 */
function declareFlavor(quota: IConstruct, where: string, name: string, spec: kueue.ResourceFlavorSpec): boolean {
  const flavors = stateIn(Chart.of(quota), 'Cdk8sVllmResourceFlavors', () => new Map<string, { owner: string; spec: string }>());
  const mine = JSON.stringify(spec);
  const other = flavors.get(name);
  if (other && other.spec !== mine) {
    throw new Error(
      `${where}: ResourceFlavor '${name}' is already declared by ${other.owner} for other nodes (${other.spec} here ${mine}); ResourceFlavors are cluster-scoped: ` +
        "give this quota a flavorPrefix (e.g. the team's name)",
    );
  }
  if (other) return false;
  flavors.set(name, { owner: where, spec: mine });
  return true;
}

/** What the ClusterQueue is rendered from, besides the flavors. */
interface QueueSpec {
  readonly wave: number;
  readonly preemption: kueue.ClusterQueueSpecPreemption;
  readonly cohort?: string;
  /** GPUs each GPU flavor may borrow. */
  readonly borrow?: number;
}

/** Resources the ClusterQueue's one resource group covers. */
const COVERED_RESOURCES = ['cpu', 'memory', GPU_RESOURCE];

/** Some of a GPU pool's nodes, held by one quota as its nominal quota. */
export interface PlacementShare {
  /** The pool (`GpuMachineSetScale`, `ExistingGpuNodes`, `PlannedPlacement`). */
  readonly placement: IGpuPlacement;
  /** Nodes of the pool this quota holds. */
  readonly nodes: number;
}

/**
 * Properties of a `KueueQuota`.
 */
export interface KueueQuotaProps {
  /**
   * Where the GPUs are whose capacity the quota hands out (`GpuMachineSetScale`, `ExistingGpuNodes`): one
   * ResourceFlavor per instance type, labelled with the placement's node selector.
   * @default - `machineSets`
   */
  readonly placements?: IGpuPlacement[];
  /**
   * Parts of GPU pools the quota holds, when several teams' quotas share one pool: each quota holds some of the pool's
   * nodes as nominal quota, and ClusterQueues of one cohort lend each other what they leave unused. Synth fails when
   * the quotas of an app hand out more nodes of a pool than it has.
   * @default - none
   */
  readonly shares?: PlacementShare[];
  /**
   * The GPU MachineSets whose capacity the quota hands out (the same as `placements`).
   * @deprecated use `placements`
   * @default - none
   */
  readonly machineSets?: IGpuPlacement[];
  /**
   * Name of the ClusterQueue.
   * @default 'gpu-cluster-queue'
   */
  readonly clusterQueueName?: string;
  /**
   * Name of the LocalQueue that workloads name in their `kueue.x-k8s.io/queue-name` label. OpenShift AI's
   * hardware profiles with `scheduling.type: Queue` point at `default`. In a namespace labelled
   * `kueue.openshift.io/managed`, the OpenShift AI operator creates `default` → ClusterQueue `default` when it is
   * missing, and a LocalQueue's ClusterQueue cannot change: pointing at a ClusterQueue of your own, give it another name.
   * @default 'default'
   */
  readonly localQueueName?: string;
  /**
   * Namespace of the LocalQueue, and the only namespace the ClusterQueue admits workloads from.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * CPU quota for CPU-only jobs (model upload and registration) in a flavor without GPUs, so they are
   * admitted without ever taking GPU quota.
   * @default Cpu.units(8)
   */
  readonly batchCpu?: kplus.Cpu;
  /**
   * Memory quota for CPU-only jobs.
   * @default Size.gibibytes(32)
   */
  readonly batchMemory?: Size;
  /**
   * Argo CD sync wave of the ResourceFlavors and ClusterQueue; the LocalQueue follows one wave later.
   * @default 4
   */
  readonly syncWave?: number;
  /**
   * Prefix of the ResourceFlavor names. ResourceFlavors are cluster-scoped: give each team's quota its own prefix
   * when several quotas in one cluster describe different nodes under one name.
   * @default - none: `cpu-batch`, `nvidia-<gpu>-<n>gpu`
   */
  readonly flavorPrefix?: string;
  /**
   * Kueue cohort of the ClusterQueue: ClusterQueues of one cohort lend each other unused nominal quota.
   * @default - no cohort
   */
  readonly cohort?: string;
  /**
   * GPUs each GPU flavor may borrow from the cohort beyond its nominal quota (Kueue `borrowingLimit`); needs `cohort`.
   * @default - no limit (when in a cohort)
   */
  readonly gpuBorrowingLimit?: number;
  /**
   * When the ClusterQueue's pending workloads may evict others (Kueue `spec.preemption`).
   * @default - reclaimWithinCohort 'Any', withinClusterQueue 'LowerPriority', borrowWithinCohort 'Never'
   */
  readonly preemption?: QueuePreemption;
}

/**
 * Kueue's preemption policy of a ClusterQueue (https://kueue.sigs.k8s.io/docs/concepts/preemption/).
 *
 * Inference pods never finish: a quota that lends idle GPUs to its cohort gets them back only by preempting the
 * borrower. With Kueue's own default, `reclaimWithinCohort: Never`, a team whose GPUs another team borrowed waits
 * until that team scales down, which for a long-running service is never. The default here is `Any`: a workload
 * that fits its queue's nominal quota evicts borrowers in the cohort, whatever their priority. The price is paid by
 * the borrower: its replicas on borrowed GPUs are evicted (and requeued) when the lender needs them, so serve from
 * borrowed quota only what can stop, or set `gpuBorrowingLimit: 0` for services that must not.
 */
export interface QueuePreemption {
  /**
   * Whether a pending workload that fits the queue's nominal quota may evict workloads of the cohort that borrow it.
   * @default 'Any'
   */
  readonly reclaimWithinCohort?: 'Never' | 'LowerPriority' | 'Any';
  /**
   * Whether a workload that needs to borrow may evict lower-priority workloads of other queues of the cohort.
   * @default 'Never'
   */
  readonly borrowWithinCohort?: 'Never' | 'LowerPriority';
  /**
   * With `borrowWithinCohort: 'LowerPriority'`: only workloads at or below this priority are evicted.
   * @default - no threshold
   */
  readonly borrowWithinCohortMaxPriorityThreshold?: number;
  /**
   * Whether a pending workload may evict workloads of its own queue.
   * @default 'LowerPriority'
   */
  readonly withinClusterQueue?: 'Never' | 'LowerPriority' | 'LowerOrNewerEqualPriority';
}

/** Nominal quota of one flavor. */
export interface FlavorQuota {
  /** ResourceFlavor name. */
  readonly flavor: string;
  /** Instance type the flavor pins, if any. */
  readonly instanceType?: GpuInstanceType;
  /** GPUs. */
  readonly gpus: number;
  /** CPU in millicores. */
  readonly cpuMillis: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
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
    const queue: QueueSpec = { wave, preemption, cohort: props.cohort, borrow: props.gpuBorrowingLimit };
    [this.clusterQueue, this.localQueue] = v1beta2 ? this.renderQueuesV1Beta2(queue) : this.renderQueuesV1Beta1(queue);
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

  /**
   * The ClusterQueue's flavors with the bindings' int-or-string classes of one version (quantities as strings).
   * Flavors are tried in order: CPU-only pods take the batch flavor; GPU pods skip it (no GPU quota) and take the
   * smallest GPU shape whose node labels match their node selector. Lazy: replicas follow later admissions.
   */
  private flavorsJson<Q>(borrow: number | undefined, quota: (v: string) => Q, limit: (v: string) => Q) {
    return this.quotas().map((f) => ({
      name: f.flavor,
      resources: [
        { name: 'cpu', nominalQuota: quota(formatMillis(f.cpuMillis)) },
        { name: 'memory', nominalQuota: quota(formatMiB(f.memoryMiB)) },
        {
          name: GPU_RESOURCE,
          nominalQuota: quota(String(f.gpus)),
          ...(borrow !== undefined && f.instanceType ? { borrowingLimit: limit(String(borrow)) } : {}),
        },
      ],
    }));
  }

  /** Metadata of the ClusterQueue and the LocalQueue (one wave later), and the namespace the queue admits from. */
  private queueMetadata(wave: number) {
    return {
      clusterQueue: { name: this.clusterQueueName, annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) } },
      localQueue: { name: this.localQueueName, namespace: this.namespace, annotations: { [SYNC_WAVE_ANNOTATION]: String(wave + 1) } },
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [this.namespace] }] },
    };
  }

  /** v1beta2 (Kueue 0.16 stores it): spec.cohort is spec.cohortName, and whenCanBorrow's Borrow is MayStopSearch (kueue v0.16.9 clusterqueues CRD). */
  private renderQueuesV1Beta2(q: QueueSpec): [ApiObject, ApiObject] {
    const m = this.queueMetadata(q.wave);
    const clusterQueue = new kueue.ClusterQueueV1Beta2(this, 'ClusterQueue', {
      metadata: m.clusterQueue,
      spec: {
        namespaceSelector: m.namespaceSelector,
        ...(q.cohort ? { cohortName: q.cohort } : {}),
        queueingStrategy: kueue.ClusterQueueV1Beta2SpecQueueingStrategy.BEST_EFFORT_FIFO,
        flavorFungibility: {
          whenCanBorrow: kueue.ClusterQueueV1Beta2SpecFlavorFungibilityWhenCanBorrow.MAY_STOP_SEARCH,
          whenCanPreempt: kueue.ClusterQueueV1Beta2SpecFlavorFungibilityWhenCanPreempt.TRY_NEXT_FLAVOR,
        },
        preemption: preemptionV1Beta2(q.preemption),
        resourceGroups: [
          {
            coveredResources: COVERED_RESOURCES,
            flavors: lazy<kueue.ClusterQueueV1Beta2SpecResourceGroupsFlavors[]>(() =>
              this.flavorsJson(
                q.borrow,
                (v) => kueue.ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesNominalQuota.fromString(v),
                (v) => kueue.ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesBorrowingLimit.fromString(v),
              ),
            ),
          },
        ],
      },
    });
    return [clusterQueue, new kueue.LocalQueueV1Beta2(this, 'LocalQueue', { metadata: m.localQueue, spec: { clusterQueue: this.clusterQueueName } })];
  }

  /** v1beta1 (Kueue 0.14): whenCanBorrow is Borrow | TryNextFlavor there (MayStopSearch arrives in 0.16). */
  private renderQueuesV1Beta1(q: QueueSpec): [ApiObject, ApiObject] {
    const m = this.queueMetadata(q.wave);
    const clusterQueue = new kueue.ClusterQueue(this, 'ClusterQueue', {
      metadata: m.clusterQueue,
      spec: {
        namespaceSelector: m.namespaceSelector,
        ...(q.cohort ? { cohort: q.cohort } : {}),
        queueingStrategy: kueue.ClusterQueueSpecQueueingStrategy.BEST_EFFORT_FIFO,
        flavorFungibility: {
          whenCanBorrow: kueue.ClusterQueueSpecFlavorFungibilityWhenCanBorrow.BORROW,
          whenCanPreempt: kueue.ClusterQueueSpecFlavorFungibilityWhenCanPreempt.TRY_NEXT_FLAVOR,
        },
        preemption: q.preemption,
        resourceGroups: [
          {
            coveredResources: COVERED_RESOURCES,
            flavors: lazy<kueue.ClusterQueueSpecResourceGroupsFlavors[]>(() =>
              this.flavorsJson(
                q.borrow,
                (v) => kueue.ClusterQueueSpecResourceGroupsFlavorsResourcesNominalQuota.fromString(v),
                (v) => kueue.ClusterQueueSpecResourceGroupsFlavorsResourcesBorrowingLimit.fromString(v),
              ),
            ),
          },
        ],
      },
    });
    return [clusterQueue, new kueue.LocalQueue(this, 'LocalQueue', { metadata: m.localQueue, spec: { clusterQueue: this.clusterQueueName } })];
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

/** The pools the quota holds: all nodes of `placements` (and `machineSets`), part of those in `shares`, each once. */
function holdingsOf(where: string, props: KueueQuotaProps): { placement: IGpuPlacement; nodes?: number }[] {
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
function flavorPrefixer(where: string, prefix = ''): (name: string) => string {
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
function validateBorrowing(where: string, props: KueueQuotaProps): void {
  if (props.cohort !== undefined) requireDnsSubdomain(where, 'cohort', props.cohort);
  if (props.gpuBorrowingLimit === undefined) return;
  if (!props.cohort) throw new Error(`${where}: gpuBorrowingLimit needs a cohort to borrow from; set cohort`);
  if (!Number.isInteger(props.gpuBorrowingLimit) || props.gpuBorrowingLimit < 0)
    throw new Error(`${where}: gpuBorrowingLimit must be a whole number of GPUs, got ${props.gpuBorrowingLimit}`);
}

/**
 * Removes the namespace a namespaced chart gives every object: ResourceFlavors and ClusterQueues are cluster-scoped,
 * and the API server (and `validate`) refuse a namespace on them.
 */
function clusterScoped(o: ApiObject): void {
  if (Chart.of(o).namespace !== undefined) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

const RECLAIM = ['Never', 'LowerPriority', 'Any'] as const;
const BORROW = ['Never', 'LowerPriority'] as const;
const WITHIN = ['Never', 'LowerPriority', 'LowerOrNewerEqualPriority'] as const;

/** The same preemption in v1beta2's bindings: the field names and values did not change (kueue v0.16.9 CRDs). */
function preemptionV1Beta2(p: kueue.ClusterQueueSpecPreemption): kueue.ClusterQueueV1Beta2SpecPreemption {
  return {
    withinClusterQueue: p.withinClusterQueue as string as kueue.ClusterQueueV1Beta2SpecPreemptionWithinClusterQueue,
    reclaimWithinCohort: p.reclaimWithinCohort as string as kueue.ClusterQueueV1Beta2SpecPreemptionReclaimWithinCohort,
    ...(p.borrowWithinCohort
      ? {
          borrowWithinCohort: {
            policy: p.borrowWithinCohort.policy as string as kueue.ClusterQueueV1Beta2SpecPreemptionBorrowWithinCohortPolicy,
            ...(p.borrowWithinCohort.maxPriorityThreshold !== undefined ? { maxPriorityThreshold: p.borrowWithinCohort.maxPriorityThreshold } : {}),
          },
        }
      : {}),
  };
}

/** The ClusterQueue's `spec.preemption`; see `QueuePreemption` for the defaults and their trade-off. */
function preemptionOf(where: string, p: QueuePreemption = {}): kueue.ClusterQueueSpecPreemption {
  const pick = <T extends string>(field: string, value: T | undefined, allowed: readonly T[], fallback: T): T => {
    if (value === undefined) return fallback;
    if (!allowed.includes(value)) throw new Error(`${where}: preemption.${field} '${String(value)}' is not one of ${allowed.join(', ')}`);
    return value;
  };
  const reclaim = pick('reclaimWithinCohort', p.reclaimWithinCohort, RECLAIM, 'Any');
  const within = pick('withinClusterQueue', p.withinClusterQueue, WITHIN, 'LowerPriority');
  const borrow = pick('borrowWithinCohort', p.borrowWithinCohort, BORROW, 'Never');
  // the ClusterQueue CRD's rule (Kueue apis/kueue/v1beta1 ClusterQueuePreemption, x-kubernetes-validations): a queue that
  // never reclaims cannot preempt to borrow
  if (reclaim === 'Never' && borrow !== 'Never') {
    throw new Error(
      `${where}: preemption.borrowWithinCohort '${borrow}' needs reclaimWithinCohort other than 'Never' (Kueue refuses "reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never"); set reclaimWithinCohort to LowerPriority or Any, or drop borrowWithinCohort`,
    );
  }
  const threshold = p.borrowWithinCohortMaxPriorityThreshold;
  if (threshold !== undefined) {
    if (!Number.isInteger(threshold)) throw new Error(`${where}: preemption.borrowWithinCohortMaxPriorityThreshold must be a whole priority, got ${threshold}`);
    if (borrow !== 'LowerPriority') {
      throw new Error(
        `${where}: preemption.borrowWithinCohortMaxPriorityThreshold applies only with borrowWithinCohort 'LowerPriority'; set it, or drop the threshold`,
      );
    }
  }
  return {
    withinClusterQueue: within as kueue.ClusterQueueSpecPreemptionWithinClusterQueue,
    reclaimWithinCohort: reclaim as kueue.ClusterQueueSpecPreemptionReclaimWithinCohort,
    ...(borrow !== 'Never'
      ? {
          borrowWithinCohort: {
            policy: borrow as kueue.ClusterQueueSpecPreemptionBorrowWithinCohortPolicy,
            ...(threshold !== undefined ? { maxPriorityThreshold: threshold } : {}),
          },
        }
      : {}),
  };
}
