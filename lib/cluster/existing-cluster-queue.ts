import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kueue from '../../imports/kueue.x-k8s.io';
import { WorkloadDemand } from '../placement/gpu-demand';
import { requireDnsLabel, requireDnsSubdomain } from '../private/names';
import { constructPath, resolveNamespace } from '../private/scope';
import { IWorkloadQueue } from './workload-queue';
import { platformOf } from '../platform/platform';
import { syncWaveOf } from '../private/argocd';
import { VllmConstruct } from '../check/app-construct';
import { EXTERNAL_CLUSTER_QUEUE_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/** Properties of `LocalQueueOf`. */
export interface LocalQueueOfProps {
  /** The ClusterQueue the cluster admin already runs (with its flavors and quota). */
  readonly clusterQueueName: string;
  /**
   * Name of the LocalQueue to create.
   * @default 'default'
   */
  readonly localQueueName?: string;
  /**
   * Namespace of the LocalQueue.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Argo CD sync wave.
   * @default 4
   */
  readonly syncWave?: number;
}

/**
 * A team's LocalQueue on a ClusterQueue that already exists (a cluster admin's shared quota): renders only the
 * LocalQueue. The quota is not the app's, so demand is recorded but not checked against it.
 */
export class LocalQueueOf extends VllmConstruct implements IWorkloadQueue {
  public readonly localQueueName: string;
  public readonly namespace: string;
  public readonly clusterQueueName: string;
  /** The rendered LocalQueue, in the Kueue version the app's platform stores (`platformOf`). */
  public readonly apiObject: ApiObject;
  private readonly demands: WorkloadDemand[] = [];

  constructor(scope: Construct, id: string, props: LocalQueueOfProps) {
    super(scope, id);
    const where = constructPath('LocalQueueOf', this);
    this.clusterQueueName = requireDnsSubdomain(where, 'clusterQueueName', props.clusterQueueName);
    this.localQueueName = requireDnsSubdomain(where, 'localQueueName', props.localQueueName ?? 'default');
    this.namespace = requireDnsLabel(where, 'namespace', resolveNamespace(this, where, props.namespace));
    const queue = {
      metadata: {
        name: this.localQueueName,
        namespace: this.namespace,
        // tells check that the ClusterQueue lives outside the tree on purpose
        annotations: { [SYNC_WAVE_ANNOTATION]: String(syncWaveOf(where, props.syncWave, 4)), [EXTERNAL_CLUSTER_QUEUE_ANNOTATION]: 'true' },
      },
      spec: { clusterQueue: this.clusterQueueName },
    };
    // a LocalQueue's spec is the same in v1beta1 and v1beta2 (kueue v0.16.9 CRDs)
    this.apiObject =
      platformOf(this).kueueApiVersion === 'kueue.x-k8s.io/v1beta2'
        ? new kueue.LocalQueueV1Beta2(this, 'LocalQueue', queue)
        : new kueue.LocalQueue(this, 'LocalQueue', queue);
  }

  /** Workloads admitted through this queue so far. */
  public get workloads(): readonly WorkloadDemand[] {
    return [...this.demands];
  }

  public admit(demand: WorkloadDemand): void {
    this.demands.push(demand);
  }
}
