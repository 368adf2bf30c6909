import { Construct } from 'constructs';
import { WorkloadDemand } from '../placement/gpu-demand';
import { requireDnsLabel, requireDnsSubdomain } from '../private/names';
import { constructPath, resolveNamespace } from '../private/scope';
import { IWorkloadQueue } from './workload-queue';
import { VllmConstruct } from '../check/app-construct';

/** Properties of `ExistingLocalQueue`. */
export interface ExistingLocalQueueProps {
  /**
   * The LocalQueue's name (OpenShift AI creates `default` in every Kueue-managed namespace).
   * @default 'default'
   */
  readonly name?: string;
  /**
   * Its namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * A LocalQueue the cluster already has (OpenShift AI's `default`, or one a cluster admin manages with its
 * ClusterQueue): workloads are labelled for it, and annotated `cdk8s-vllm.io/external-local-queue` with its name so
 * that the checks do not look for it in the tree; its quota is not the app's to check. Renders nothing.
 */
export class ExistingLocalQueue extends VllmConstruct implements IWorkloadQueue {
  public readonly localQueueName: string;
  public readonly namespace: string;
  public readonly external = true;
  private readonly demands: WorkloadDemand[] = [];

  constructor(scope: Construct, id: string, props: ExistingLocalQueueProps = {}) {
    super(scope, id);
    const where = constructPath('ExistingLocalQueue', this);
    this.localQueueName = requireDnsSubdomain(where, 'name', props.name ?? 'default');
    this.namespace = requireDnsLabel(where, 'namespace', resolveNamespace(this, where, props.namespace));
  }

  /** Workloads labelled for this queue so far. */
  public get workloads(): readonly WorkloadDemand[] {
    return [...this.demands];
  }

  public admit(demand: WorkloadDemand): void {
    this.demands.push(demand);
  }
}
