import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kueue from '../../imports/kueue.x-k8s.io';
import { formatMiB, formatMillis } from '../private/quantity';
import { lazy } from '../private/lazy';
import { stateIn } from '../private/scope';
import { GPU_RESOURCE, NAMESPACE_NAME_LABEL, SYNC_WAVE_ANNOTATION } from '../k8s/keys';
import { preemptionV1Beta2 } from './kueue-preemption';
import { FlavorQuota } from './kueue-quota-props';

/** What a quota's ClusterQueue and LocalQueue are rendered from. */
export interface QueueSpec {
  readonly clusterQueueName: string;
  readonly localQueueName: string;
  /** The one namespace the ClusterQueue admits from, and the LocalQueue's. */
  readonly namespace: string;
  readonly wave: number;
  readonly preemption: kueue.ClusterQueueSpecPreemption;
  readonly cohort?: string;
  /** GPUs each GPU flavor may borrow. */
  readonly borrow?: number;
  /** Nominal quota per flavor, in the order Kueue tries them; read at synth, after every admission. */
  readonly quotas: () => FlavorQuota[];
}

/** Resources the ClusterQueue's one resource group covers. */
const COVERED_RESOURCES = ['cpu', 'memory', GPU_RESOURCE];

/**
 * Declares a ResourceFlavor in the chart of `quota`. ResourceFlavors are cluster-scoped: a quota reuses one that
 * another quota of its chart (one cluster's objects) declares the same way, and refuses one declared differently
 * under the same name. @returns whether the quota is the first to declare it (and renders it)
 */
export function declareFlavor(quota: IConstruct, where: string, name: string, spec: kueue.ResourceFlavorSpec): boolean {
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

/**
 * Removes the namespace a namespaced chart gives every object: ResourceFlavors and ClusterQueues are cluster-scoped,
 * and the API server (and `validate`) refuse a namespace on them.
 */
export function clusterScoped(o: ApiObject): void {
  if (Chart.of(o).namespace !== undefined) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

/**
 * The ClusterQueue's flavors with the bindings' int-or-string classes of one version (quantities as strings).
 * Flavors are tried in order: CPU-only pods take the batch flavor; GPU pods skip it (no GPU quota) and take the
 * smallest GPU shape whose node labels match their node selector.
 */
function flavorsJson<Q>(quotas: readonly FlavorQuota[], borrow: number | undefined, quota: (v: string) => Q, limit: (v: string) => Q) {
  return quotas.map((f) => ({
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
function queueMetadata(q: QueueSpec) {
  return {
    clusterQueue: { name: q.clusterQueueName, annotations: { [SYNC_WAVE_ANNOTATION]: String(q.wave) } },
    localQueue: { name: q.localQueueName, namespace: q.namespace, annotations: { [SYNC_WAVE_ANNOTATION]: String(q.wave + 1) } },
    namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [q.namespace] }] },
  };
}

/** v1beta2 (Kueue 0.16 stores it): spec.cohort is spec.cohortName, and whenCanBorrow's Borrow is MayStopSearch (kueue v0.16.9 clusterqueues CRD). */
export function renderQueuesV1Beta2(scope: IConstruct, q: QueueSpec): [ApiObject, ApiObject] {
  const m = queueMetadata(q);
  const clusterQueue = new kueue.ClusterQueueV1Beta2(scope, 'ClusterQueue', {
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
          // lazy: the quotas follow later admissions
          flavors: lazy<kueue.ClusterQueueV1Beta2SpecResourceGroupsFlavors[]>(() =>
            flavorsJson(
              q.quotas(),
              q.borrow,
              (v) => kueue.ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesNominalQuota.fromString(v),
              (v) => kueue.ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesBorrowingLimit.fromString(v),
            ),
          ),
        },
      ],
    },
  });
  return [clusterQueue, new kueue.LocalQueueV1Beta2(scope, 'LocalQueue', { metadata: m.localQueue, spec: { clusterQueue: q.clusterQueueName } })];
}

/** v1beta1 (Kueue 0.14): whenCanBorrow is Borrow | TryNextFlavor there (MayStopSearch arrives in 0.16). */
export function renderQueuesV1Beta1(scope: IConstruct, q: QueueSpec): [ApiObject, ApiObject] {
  const m = queueMetadata(q);
  const clusterQueue = new kueue.ClusterQueue(scope, 'ClusterQueue', {
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
            flavorsJson(
              q.quotas(),
              q.borrow,
              (v) => kueue.ClusterQueueSpecResourceGroupsFlavorsResourcesNominalQuota.fromString(v),
              (v) => kueue.ClusterQueueSpecResourceGroupsFlavorsResourcesBorrowingLimit.fromString(v),
            ),
          ),
        },
      ],
    },
  });
  return [clusterQueue, new kueue.LocalQueue(scope, 'LocalQueue', { metadata: m.localQueue, spec: { clusterQueue: q.clusterQueueName } })];
}
