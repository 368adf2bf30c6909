import { GpuInstanceType } from '../catalog/instance-type';
import { cpuMillis, memoryMiB, parseQuantity } from '../private/quantity';
import { objectId } from '../validation/schema-validator';

/** A manifest and the file it came from. */
export interface GraphObject {
  readonly manifest: any;
  readonly file?: string;
}

/** Requests of one pod (init containers by Kubernetes' effective-request rule). */
export interface PodRequests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly gpus: number;
  /** Every resource name the pod requests (Kueue must cover each). */
  readonly resources: readonly string[];
}

/** The kinds whose pods the checks look into, with where their pod template is. */
const POD_TEMPLATES: Record<string, (m: any) => any> = {
  Pod: (m) => m.spec,
  Job: (m) => m.spec?.template?.spec,
  CronJob: (m) => m.spec?.jobTemplate?.spec?.template?.spec,
  Deployment: (m) => m.spec?.template?.spec,
  StatefulSet: (m) => m.spec?.template?.spec,
  DaemonSet: (m) => m.spec?.template?.spec,
  ReplicaSet: (m) => m.spec?.template?.spec,
};

export const GPU_RESOURCE = 'nvidia.com/gpu';
export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
export const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

/**
 * The rendered objects and the references between them, resolved the way the cluster resolves them:
 * runtimes in the service's namespace, LocalQueues in the workload's namespace, ClusterQueues and their
 * ResourceFlavors cluster-wide.
 */
export class ObjectGraph {
  public readonly objects: readonly GraphObject[];
  // indexes keep every lookup constant-time, so checking grows linearly with the tree
  private readonly byKind = new Map<string, GraphObject[]>();
  private readonly byKindName = new Map<string, GraphObject[]>();

  constructor(objects: readonly GraphObject[]) {
    this.objects = objects.filter((o) => o.manifest && typeof o.manifest === 'object' && typeof o.manifest.kind === 'string');
    for (const o of this.objects) {
      const kind = o.manifest.kind;
      const ofKind = this.byKind.get(kind);
      if (ofKind) ofKind.push(o);
      else this.byKind.set(kind, [o]);
      const key = `${kind}/${o.manifest.metadata?.name}`;
      const list = this.byKindName.get(key);
      if (list) list.push(o);
      else this.byKindName.set(key, [o]);
    }
  }

  public ofKind(kind: string): GraphObject[] {
    return this.byKind.get(kind) ?? [];
  }

  public find(kind: string, name: string, namespace?: string): GraphObject | undefined {
    return (this.byKindName.get(`${kind}/${name}`) ?? []).find((o) => namespace === undefined || o.manifest.metadata?.namespace === namespace);
  }

  public id(o: GraphObject): string {
    return objectId(o.manifest);
  }

  /** The ServingRuntime an InferenceService names explicitly (KServe looks only in the service's namespace). */
  public runtimeOf(isvc: any): GraphObject | undefined {
    const name = isvc.spec?.predictor?.model?.runtime;
    return name ? this.find('ServingRuntime', name, isvc.metadata?.namespace) : undefined;
  }

  /** An InferenceService's model container merged with its runtime's kserve-container, as KServe merges them. */
  public servingContainer(isvc: GraphObject): any | undefined {
    return containersOf(isvc.manifest, this.runtimeOf(isvc.manifest)?.manifest)[0]?.container;
  }

  /** The LocalQueue a workload's queue label names. */
  public localQueueOf(m: any): { name?: string; queue?: GraphObject } {
    const name = m.metadata?.labels?.[QUEUE_LABEL];
    return { name, queue: name ? this.find('LocalQueue', name, m.metadata?.namespace) : undefined };
  }

  /** The ResourceFlavors of the ClusterQueue behind a LocalQueue, in the order Kueue tries them. */
  public flavorsOf(localQueue: GraphObject | undefined): { clusterQueue?: GraphObject; flavors: { name: string; object?: GraphObject; quota: Record<string, number> }[] } {
    const cqName = localQueue?.manifest.spec?.clusterQueue;
    const cq = cqName ? this.find('ClusterQueue', cqName) : undefined;
    const flavors = (cq?.manifest.spec?.resourceGroups ?? []).flatMap((g: any) => (g.flavors ?? []).map((f: any) => ({
      name: f.name,
      object: this.find('ResourceFlavor', f.name),
      quota: Object.fromEntries((f.resources ?? []).map((r: any) => [r.name, parseQuantity(r.nominalQuota) ?? 0])),
    })));
    return { clusterQueue: cq, flavors };
  }

  /**
   * Instance types a workload can land on: its node selector's (or required node affinity's) instance type,
   * else those of the Kueue flavors that could admit it.
   */
  public instanceTypesOf(m: any): GpuInstanceType[] {
    const pod = podSpecOf(m);
    const selected = pod?.nodeSelector?.[INSTANCE_TYPE_LABEL];
    const names = new Set<string>();
    if (selected) names.add(selected);
    for (const term of pod?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
      for (const e of term.matchExpressions ?? []) if (e.key === INSTANCE_TYPE_LABEL && e.operator === 'In') (e.values ?? []).forEach((v: string) => names.add(v));
    }
    if (!names.size) {
      const { flavors } = this.flavorsOf(this.localQueueOf(m).queue);
      for (const f of flavors) {
        const t = f.object?.manifest.spec?.nodeLabels?.[INSTANCE_TYPE_LABEL];
        if (t) names.add(t);
      }
    }
    return [...names].map((n) => GpuInstanceType.tryFind(n)).filter((t): t is GpuInstanceType => !!t);
  }
}

/** The pod spec of a workload; for an InferenceService, its predictor (with the model container). */
export function podSpecOf(m: any): any {
  if (m.kind === 'InferenceService') return m.spec?.predictor;
  return POD_TEMPLATES[m.kind]?.(m);
}

/** Containers of a workload's pod, init containers included; an InferenceService's model container is merged with its runtime's. */
export function containersOf(m: any, runtime?: any): { name: string; container: any; init: boolean }[] {
  if (m.kind === 'InferenceService') {
    const p = m.spec?.predictor ?? {};
    const model = p.model ?? {};
    const rc = (runtime?.spec?.containers ?? []).find((c: any) => c.name === 'kserve-container') ?? {};
    const merged = {
      ...rc, ...model,
      args: [...(rc.args ?? []), ...(model.args ?? [])],
      env: [...(rc.env ?? []), ...(model.env ?? [])],
      volumeMounts: [...(rc.volumeMounts ?? []), ...(model.volumeMounts ?? [])],
      resources: { requests: { ...rc.resources?.requests, ...model.resources?.requests }, limits: { ...rc.resources?.limits, ...model.resources?.limits } },
    };
    return [{ name: 'kserve-container', container: merged, init: false }, ...(p.containers ?? []).map((c: any) => ({ name: c.name, container: c, init: false }))];
  }
  if (m.kind === 'ServingRuntime') {
    return (m.spec?.containers ?? []).map((c: any) => ({ name: c.name, container: c, init: false }));
  }
  const pod = podSpecOf(m);
  if (!pod) return [];
  return [
    ...(pod.initContainers ?? []).map((c: any) => ({ name: c.name, container: c, init: true })),
    ...(pod.containers ?? []).map((c: any) => ({ name: c.name, container: c, init: false })),
  ];
}

/** Effective requests of one pod (limits stand in for missing requests, as the API server defaults them). */
export function podRequests(m: any, runtime?: any): PodRequests {
  const sum = { cpu: 0, mem: 0, gpu: 0 };
  const init = { cpu: 0, mem: 0, gpu: 0 };
  const names = new Set<string>();
  for (const { container, init: isInit } of containersOf(m, runtime)) {
    const req = { ...container.resources?.limits, ...container.resources?.requests };
    Object.keys(req).forEach((k) => names.add(k));
    const c = { cpu: cpuMillis(req.cpu) ?? 0, mem: memoryMiB(req.memory) ?? 0, gpu: parseQuantity(req[GPU_RESOURCE]) ?? 0 };
    const target = isInit ? init : sum;
    if (isInit) {
      target.cpu = Math.max(target.cpu, c.cpu);
      target.mem = Math.max(target.mem, c.mem);
      target.gpu = Math.max(target.gpu, c.gpu);
    } else {
      target.cpu += c.cpu;
      target.mem += c.mem;
      target.gpu += c.gpu;
    }
  }
  return { cpuMillis: Math.max(sum.cpu, init.cpu), memoryMiB: Math.max(sum.mem, init.mem), gpus: Math.max(sum.gpu, init.gpu), resources: [...names].sort() };
}

/** Pods at full scale: replicas (maxReplicas for an InferenceService), parallelism for a Job. */
export function podCount(m: any): number {
  switch (m.kind) {
    case 'InferenceService': return Math.max(m.spec?.predictor?.maxReplicas ?? 0, m.spec?.predictor?.minReplicas ?? 1, 1);
    case 'Job': return m.spec?.parallelism ?? 1;
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': return m.spec?.replicas ?? 1;
    default: return 1;
  }
}

/** Reads `--flag=value` or `--flag value` from vLLM arguments (last one wins, as argparse does). */
export function argValue(args: readonly string[], ...flags: string[]): string | undefined {
  let value: string | undefined;
  args.forEach((a, i) => {
    for (const f of flags) {
      if (a.startsWith(`${f}=`)) value = a.slice(f.length + 1);
      else if (a === f && i + 1 < args.length) value = args[i + 1];
    }
  });
  return value;
}

/** vLLM's tensor-parallel size from its arguments (1 when unset). */
export function tensorParallelSizeOf(args: readonly string[]): number {
  return Number(argValue(args, '--tensor-parallel-size', '-tp') ?? 1);
}

/** The `s3://bucket/path/` an InferenceService loads, from storageUri or storage.path + bucket. */
export function storageLocationOf(isvc: any): string | undefined {
  const model = isvc.spec?.predictor?.model ?? {};
  if (typeof model.storageUri === 'string') return normalizeUri(model.storageUri);
  const path = model.storage?.path;
  const bucket = model.storage?.parameters?.bucket;
  if (path && bucket) return normalizeUri(`s3://${bucket}/${String(path).replace(/^\/+/, '')}`);
  return undefined;
}

/** `s3://b/p` and `s3://b/p/` name the same model directory. */
export function normalizeUri(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
