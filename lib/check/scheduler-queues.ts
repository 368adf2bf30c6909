import { Problem } from './rule';
import { meantAmong } from './near-names';

/** A batch scheduler's queues as a workload's queue is looked up among them. */
export interface SchedulerQueues {
  /** The Queue's apiVersion, named in the fix. */
  readonly queueApi: string;
  /** The queues every install makes, named where the tree defines none. */
  readonly installed: readonly string[];
  /** Queues that exist on some installs (older releases), never reported. */
  readonly alsoInstalled?: readonly string[];
  /** The queue a workload may name instead where the tree defines none. */
  readonly fallback: string;
}

/** A queue a workload names, and the label or field it is written in. */
export interface NamedQueue {
  readonly name: string;
  readonly label: string;
}

export const listedQueues = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

/**
 * The finding for a queue that is neither a Queue of the tree (`defined`) nor one every install makes: an error where
 * the tree defines other queues (it shows the cluster's), a warning where it defines none (the cluster may have it).
 * `consequence` says what the scheduler does with the workload.
 */
export function missingQueue(scheduler: SchedulerQueues, queue: NamedQueue, defined: readonly string[], consequence: string): Problem[] {
  const known = [...defined, ...scheduler.installed, ...(scheduler.alsoInstalled ?? [])];
  if (known.includes(queue.name)) return [];
  if (defined.length)
    return [
      {
        message: `${queue.label}: '${queue.name}' names a Queue the tree does not define (it defines ${listedQueues(defined)})${meantAmong(queue.name, known)}: ${consequence}; name one of those or add the Queue (${scheduler.queueApi})`,
      },
    ];
  return [
    {
      severity: 'warning',
      message: `${queue.label}: '${queue.name}' names a Queue, and the tree defines none (an install makes only ${listedQueues(scheduler.installed)}); unless the cluster has it, ${consequence}: add the Queue (${scheduler.queueApi}) or use ${scheduler.fallback}`,
    },
  ];
}
