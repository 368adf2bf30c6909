import * as kueue from '../../imports/kueue.x-k8s.io';
import { QueuePreemption } from './kueue-quota-props';

/** Values Kueue's ClusterQueue CRD accepts for each preemption field. */
const RECLAIM = ['Never', 'LowerPriority', 'Any'] as const;
const BORROW = ['Never', 'LowerPriority'] as const;
const WITHIN = ['Never', 'LowerPriority', 'LowerOrNewerEqualPriority'] as const;

/** The same preemption in v1beta2's bindings: the field names and values did not change (kueue v0.16.9 CRDs). */
export function preemptionV1Beta2(p: kueue.ClusterQueueSpecPreemption): kueue.ClusterQueueV1Beta2SpecPreemption {
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
export function preemptionOf(where: string, p: QueuePreemption = {}): kueue.ClusterQueueSpecPreemption {
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
