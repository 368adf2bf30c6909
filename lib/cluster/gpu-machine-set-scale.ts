import { Construct } from 'constructs';
import * as machine from '../../imports/machine.openshift.io';
import { GpuInstanceType } from '../catalog/instance-type';
import { requireDnsLabel } from '../private/names';
import { constructPath } from '../private/scope';
import { WorkloadDemand, nodesNeeded } from '../placement/gpu-demand';
import { GPU_TAINT, IGpuPlacement, NodeTaint, requireLabels, requireTaints } from '../placement/gpu-placement';
import { syncWaveOf } from '../private/argocd';
import { lazy } from '../private/lazy';
import { VllmConstruct } from '../check/app-construct';
import { INSTANCE_TYPE_LABEL, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/** The largest gp3 EBS volume, in GiB (AWS EBS User Guide, "Amazon EBS volume types": gp3 volumes hold 1 GiB to 16 TiB). */
const MAX_GP3_GIB = 16384;

/**
 * Properties of a `GpuMachineSetScale`.
 */
export interface GpuMachineSetScaleProps {
  /**
   * The cluster's infrastructure id: `oc get infrastructure cluster -o jsonpath='{.status.infrastructureName}'`.
   * It prefixes the MachineSet name and selects the subnet, security groups and instance profile.
   */
  readonly clusterId: string;
  /** AWS region, e.g. `us-east-2`. */
  readonly region: string;
  /** Availability zone, e.g. `us-east-2b`. It must belong to `region`. */
  readonly availabilityZone: string;
  /**
   * RHCOS AMI id, the same as the cluster's existing workers:
   * `oc get machineset -n openshift-machine-api -o jsonpath='{.items[0].spec.template.spec.providerSpec.value.ami.id}'`.
   */
  readonly amiId: string;
  /** The GPU instance type. */
  readonly instanceType: GpuInstanceType;
  /**
   * Number of machines.
   * @default - enough nodes for the GPU, CPU and memory requests of the workloads placed on this MachineSet
   */
  readonly replicas?: number;
  /**
   * Size of the root EBS volume in GiB. It is the node's ephemeral storage, where KServe's storage-initializer
   * downloads the weights: keep it above the largest model placed here plus the images.
   * @default 200
   */
  readonly rootVolumeGiB?: number;
  /**
   * Taints of the nodes; GPU pods placed here get matching tolerations.
   * @default [GPU_TAINT] (`nvidia.com/gpu=true:NoSchedule`)
   */
  readonly taints?: NodeTaint[];
  /**
   * Extra labels of the nodes.
   * @default - none beyond `node-role.kubernetes.io/gpu` and `cluster-api/accelerator`
   */
  readonly nodeLabels?: { [key: string]: string };
  /**
   * Argo CD sync wave.
   * @default 20
   */
  readonly syncWave?: number;
}

/**
 * An OpenShift Machine API `MachineSet` (`machine.openshift.io/v1beta1`) of AWS GPU nodes, in
 * `openshift-machine-api`, whose replicas follow the GPU demand of the services placed on it.
 *
 * Nodes get the label `cluster-api/accelerator: nvidia-<gpu>` (what a ClusterAutoscaler's GPU limits match)
 * and the GPU taint; the capacity annotations (`machine.openshift.io/GPU` …) are left to the machine-api
 * controller, which writes them from EC2.
 */
export class GpuMachineSetScale extends VllmConstruct implements IGpuPlacement {
  public readonly name: string;
  public readonly instanceType: GpuInstanceType;
  public readonly taints: readonly NodeTaint[];
  public readonly nodeLabels: { readonly [key: string]: string };
  public readonly availabilityZone: string;
  /** The rendered MachineSet. */
  public readonly apiObject: machine.MachineSet;
  public readonly rootVolumeGiB: number;
  private readonly explicitReplicas?: number;
  private readonly demands: WorkloadDemand[] = [];

  constructor(scope: Construct, id: string, props: GpuMachineSetScaleProps) {
    super(scope, id);
    const where = constructPath('GpuMachineSetScale', this);
    const rootVolumeGiB = validateProps(where, props);
    this.instanceType = props.instanceType;
    this.availabilityZone = props.availabilityZone;
    this.rootVolumeGiB = rootVolumeGiB;
    this.explicitReplicas = props.replicas;
    this.taints = props.taints ?? [GPU_TAINT];
    this.nodeLabels = {
      'node-role.kubernetes.io/gpu': '',
      'cluster-api/accelerator': `nvidia-${props.instanceType.gpu.name.toLowerCase()}`,
      ...props.nodeLabels,
    };
    const cluster = props.clusterId;
    this.name = `${cluster}-gpu-${props.instanceType.dnsName}-${props.availabilityZone}`;
    requireDnsLabel(where, 'MachineSet name (clusterId + instance type + zone)', this.name);

    this.apiObject = this.renderMachineSet(props, rootVolumeGiB, syncWaveOf(where, props.syncWave, 20));
  }

  /** The MachineSet: replicas follow the services placed on it (lazy), nodes labelled and tainted for GPU pods only. */
  private renderMachineSet(props: GpuMachineSetScaleProps, rootVolumeGiB: number, wave: number): machine.MachineSet {
    const cluster = props.clusterId;
    const selectorLabels = {
      'machine.openshift.io/cluster-api-cluster': cluster,
      'machine.openshift.io/cluster-api-machineset': this.name,
    };
    return new machine.MachineSet(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: 'openshift-machine-api',
        labels: { 'machine.openshift.io/cluster-api-cluster': cluster },
        annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) },
      },
      spec: {
        replicas: lazy(() => this.replicas),
        selector: { matchLabels: selectorLabels },
        template: {
          metadata: {
            labels: {
              ...selectorLabels,
              'machine.openshift.io/cluster-api-machine-role': 'worker',
              'machine.openshift.io/cluster-api-machine-type': 'worker',
            },
          },
          spec: {
            metadata: { labels: { ...this.nodeLabels } },
            taints: this.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
            providerSpec: {
              value: awsProviderSpec(props, rootVolumeGiB),
            },
          },
        },
      },
    });
  }

  /** Node labels a pod selects to land here (the instance-type label the cloud provider sets). */
  public get nodeSelector(): { [key: string]: string } {
    return { [INSTANCE_TYPE_LABEL]: this.instanceType.name };
  }

  /** Workloads placed on this MachineSet so far. */
  public get workloads(): readonly WorkloadDemand[] {
    return [...this.demands];
  }

  /** Machines to run: explicit, else derived from the placed workloads. */
  public get replicas(): number {
    return this.explicitReplicas ?? nodesNeeded(this.instanceType, this.demands);
  }

  /** Nodes the quota can hand out: the MachineSet's replicas. */
  public get nodeCount(): number {
    return this.replicas;
  }

  /** How messages name it. */
  public get description(): string {
    return `MachineSet ${this.name}`;
  }

  /** Places a workload on this MachineSet; `VllmInferenceService` calls it. */
  public place(demand: WorkloadDemand): void {
    if (demand.instanceType && demand.instanceType !== this.instanceType) {
      throw new Error(`${demand.workload}: placed on MachineSet ${this.name} (${this.instanceType.name}) but asks for ${demand.instanceType.name}`);
    }
    nodesNeeded(this.instanceType, [demand]);
    this.demands.push(demand);
  }
}

/** The props as the Machine API and AWS take them. @returns the root volume size in GiB */
function validateProps(where: string, props: GpuMachineSetScaleProps): number {
  requireDnsLabel(where, 'clusterId', props.clusterId);
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(props.region)) {
    throw new Error(`${where}: region '${props.region}' is not an AWS region name such as us-east-2`);
  }
  if (!new RegExp(`^${props.region}[a-z]$`).test(props.availabilityZone)) {
    throw new Error(`${where}: availabilityZone '${props.availabilityZone}' is not a zone of region '${props.region}' (e.g. ${props.region}b)`);
  }
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(props.amiId)) {
    throw new Error(`${where}: amiId '${props.amiId}' is not an AMI id (ami- followed by 8 or 17 hex digits); use the AMI of the cluster's existing workers`);
  }
  if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) {
    throw new Error(`${where}: replicas must be a whole number ≥ 0, got ${props.replicas}`);
  }
  if (props.nodeLabels) requireLabels(where, 'nodeLabels', props.nodeLabels);
  if (props.taints) requireTaints(where, props.taints);
  const rootVolumeGiB = props.rootVolumeGiB ?? 200;
  if (!Number.isInteger(rootVolumeGiB) || rootVolumeGiB < 120) {
    throw new Error(`${where}: rootVolumeGiB must be a whole number of at least 120 (RHCOS and the vLLM image alone take tens of GiB), got ${rootVolumeGiB}`);
  }
  // a larger gp3 volume is refused by EC2 when the Machine is created, long after the sync succeeded
  if (rootVolumeGiB > MAX_GP3_GIB) {
    throw new Error(`${where}: rootVolumeGiB ${rootVolumeGiB} is more than a gp3 volume can hold (${MAX_GP3_GIB} GiB); give at most ${MAX_GP3_GIB}`);
  }
  return rootVolumeGiB;
}

/** The AWS provider spec of the Machines: the workers' AMI, subnet, security groups and instance profile, by the cluster's naming. */
function awsProviderSpec(props: GpuMachineSetScaleProps, rootVolumeGiB: number) {
  const cluster = props.clusterId;
  return {
    apiVersion: 'machine.openshift.io/v1beta1',
    kind: 'AWSMachineProviderConfig',
    ami: { id: props.amiId },
    instanceType: props.instanceType.name,
    placement: { availabilityZone: props.availabilityZone, region: props.region },
    blockDevices: [{ ebs: { encrypted: true, volumeSize: rootVolumeGiB, volumeType: 'gp3' } }],
    credentialsSecret: { name: 'aws-cloud-credentials' },
    deviceIndex: 0,
    iamInstanceProfile: { id: `${cluster}-worker-profile` },
    metadataServiceOptions: { authentication: 'Required' },
    securityGroups: [{ filters: [{ name: 'tag:Name', values: [`${cluster}-node`] }] }, { filters: [{ name: 'tag:Name', values: [`${cluster}-lb`] }] }],
    subnet: { filters: [{ name: 'tag:Name', values: [`${cluster}-subnet-private-${props.availabilityZone}`] }] },
    tags: [{ name: `kubernetes.io/cluster/${cluster}`, value: 'owned' }],
    userDataSecret: { name: 'worker-user-data' },
  };
}
