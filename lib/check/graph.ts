import { GpuInstanceType } from '../catalog/instance-type';
import { generatedApplications } from './application-sets';
import { finite, isMapping, Loose, mapping, mappings, objectId, stringMap, strings, text } from '../manifests/access';
import { isClusterScoped } from '../manifests/scope';
import { mainContainerOf } from './llm-pools';
import { nodeShapeOf } from './node-shape';
import { cpuMillis, memoryMiB, parseQuantity } from '../private/quantity';
import type { GraphObject } from './graph-object';
import { buildCommandLine, containerPieces } from './command-line';
import { pythonInt, VllmArgs } from './vllm-args';
import { mergeRuntimeContainer } from './runtime-merge';
import { bindRuntime, RuntimeBinding } from './runtime-binding';
import { ServiceInput, ServiceLine, serviceCommandLine, servingContainerOf } from './service-line';
import { predictorModelOf } from './runtime-selection';
import { ENABLE_AUTH_ANNOTATION, GPU_RESOURCE, INSTANCE_TYPE_LABEL, NODE_SHAPE_ANNOTATION, QUEUE_LABEL, SERVING_CERT_ANNOTATIONS } from '../k8s/keys';
import { compareText } from '../private/collate';
import type { KustomizationBuild, UnreadFile } from '../manifests/loaded';
import type { GitCheckout } from '../manifests/git-checkout';
import type { ScriptCreated } from '../manifests/script-creations';

export type { GraphObject } from './graph-object';
export { commandLineOf, hasExpansion, shellScriptIndex, shellWords, VLLM_ADDITIONAL_ARGS } from './command-line';

/** Requests of one pod (init containers by Kubernetes' effective-request rule). */
export interface PodRequests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly gpus: number;
  /** Every resource name the pod requests (Kueue must cover each). */
  readonly resources: readonly string[];
  /** Every request in base units (cores, bytes, counts), by resource name, with the same init-container rule. */
  readonly amounts: Readonly<Record<string, number>>;
}

/** The kinds whose pods the checks look into, with where their pod template (metadata and spec) is. */
const POD_TEMPLATES: Record<string, (m: Loose) => unknown> = {
  Pod: (m) => m,
  Job: (m) => mapping(m.spec).template,
  CronJob: (m) => mapping(mapping(mapping(m.spec).jobTemplate).spec).template,
  Deployment: (m) => mapping(m.spec).template,
  StatefulSet: (m) => mapping(m.spec).template,
  DaemonSet: (m) => mapping(m.spec).template,
  ReplicaSet: (m) => mapping(m.spec).template,
  // spec.template is a pod spec: the labels of its pods are the controller's, not written here
  LLMInferenceService: (m) => ({ spec: mapping(m.spec).template }),
};

/** Kinds that run pods the scheduler and Kueue place. */
export const WORKLOAD_KINDS: readonly string[] = [...Object.keys(POD_TEMPLATES), 'InferenceService'];

/** Requests of the kube-rbac-proxy sidecar it injects (inferenceservice-config `oauthProxy`: 100m CPU, 64Mi). */
export const AUTH_PROXY_REQUESTS = { cpuMillis: 100, memoryMiB: 64 } as const;

/** What an InferenceService runs, as far as the manifests tell. */
export type ServingKind = 'vllm-gpu' | 'vllm-cpu' | 'other-runtime' | 'custom-container' | 'unknown';

/** Options of the graph. */
export interface GraphOptions {
  /** Namespace of namespaced objects that name none (as `kubectl -n`); unknown when unset. */
  readonly defaultNamespace?: string;
  /** Folders of the checked input, read or not (a Helm chart is seen but not read); unknown when unset. */
  readonly folders?: readonly string[];
  /** Folders of the checked input that are Helm charts (hold a Chart.yaml); unknown when unset. */
  readonly charts?: readonly string[];
  /** Objects of files in kustomize folders that no kustomization lists: not part of any build. */
  readonly leftOut?: readonly { readonly manifest: unknown; readonly file?: string }[];
  /** Files of folders that Argo CD's directory source reads but that gave no object (Jsonnet, .json that is no manifest). */
  readonly unread?: readonly UnreadFile[];
  /** Objects of the files in kustomize folders as written, kustomization files included: what a directory source reads there. */
  readonly plain?: readonly { readonly manifest: unknown; readonly file?: string; readonly line?: number }[];
  /** The objects each kustomization that another includes builds on its own, attributed to its folder alone. */
  readonly ownBuilds?: readonly GraphObject[];
  /** Where the checked folders sit in their git work trees; none known when unset. */
  readonly checkouts?: readonly GitCheckout[];
  /** What each kustomization's own build does; none known when unset. */
  readonly builds?: readonly KustomizationBuild[];
  /**
   * The namespace the delivery of the input gives each namespace-less object (an Argo CD Application's destination),
   * computed once from the graph when first needed; none when unset.
   */
  readonly deliveredNamespaces?: (graph: ObjectGraph) => ReadonlyMap<GraphObject, string>;
  /** Objects the scripts of the checked folders create when they run; none known when unset. */
  readonly scriptCreated?: readonly ScriptCreated[];
  /** Whether Kueue reads a workload's queue name from the deprecated annotation when the label is absent (up to 0.14); not when unset. */
  readonly queueAnnotationRead?: boolean;
}

/**
 * The objects and the references between them, resolved the way the cluster resolves them: runtimes in the
 * service's namespace, LocalQueues in the workload's namespace, ClusterQueues and their ResourceFlavors
 * cluster-wide. A namespaced object that names no namespace lands in the namespace its delivery gives it (Argo CD's
 * destination, `kubectl -n`): unknown here unless `defaultNamespace` says, so lookups from or to it match any.
 */
export class ObjectGraph {
  public readonly objects: readonly GraphObject[];
  /** Folders of the checked input, when the reader told them. */
  public readonly folders?: readonly string[];
  /** Folders of the checked input that are Helm charts, when the reader told them. */
  public readonly charts: readonly string[];
  /** Objects of files the kustomizations of the input leave out, when the reader told them. */
  public readonly leftOut: readonly { readonly manifest: unknown; readonly file?: string }[];
  /** Files of folders that Argo CD's directory source reads but that gave no object, when the reader told them. */
  public readonly unread: readonly UnreadFile[];
  /** Objects of the files in kustomize folders as written, when the reader told them. */
  public readonly plain: readonly { readonly manifest: unknown; readonly file?: string; readonly line?: number }[];
  /** The objects each included kustomization builds on its own, when the reader told them. */
  public readonly ownBuilds: readonly GraphObject[];
  /** Where the checked folders sit in their git work trees, when the reader told them. */
  public readonly checkouts: readonly GitCheckout[];
  /** What each kustomization's own build does, when the reader told it. */
  public readonly builds: readonly KustomizationBuild[];
  /** Objects the scripts of the checked folders create when they run, when the reader told them. */
  public readonly scriptCreated: readonly ScriptCreated[];
  // indexes keep every lookup constant-time, so checking grows linearly with the tree
  private readonly byKind = new Map<string, GraphObject[]>();
  private readonly byKindName = new Map<string, GraphObject[]>();
  private readonly byManifest = new Map<Loose, GraphObject>();
  private readonly defaultNamespace?: string;
  private delivering?: (graph: ObjectGraph) => ReadonlyMap<GraphObject, string>;
  private delivered?: ReadonlyMap<GraphObject, string>;
  private readonly queueAnnotationRead: boolean;
  private readonly memo = new Map<string, unknown>();

  constructor(objects: readonly GraphObject[], options: GraphOptions = {}) {
    this.defaultNamespace = options.defaultNamespace;
    this.delivering = options.deliveredNamespaces;
    this.folders = options.folders;
    this.charts = options.charts ?? [];
    this.leftOut = options.leftOut ?? [];
    this.unread = options.unread ?? [];
    this.plain = options.plain ?? [];
    this.ownBuilds = options.ownBuilds ?? [];
    this.checkouts = options.checkouts ?? [];
    this.builds = options.builds ?? [];
    this.scriptCreated = options.scriptCreated ?? [];
    this.queueAnnotationRead = options.queueAnnotationRead ?? false;
    const read = objects.filter((o) => isMapping(o.manifest) && typeof o.manifest.kind === 'string');
    // the Applications an ApplicationSet's list generator produces are judged like written ones
    this.objects = [...read, ...read.filter((o) => o.manifest.kind === 'ApplicationSet').flatMap(generatedApplications)];
    for (const o of this.objects) {
      const kind: string = o.manifest.kind;
      push(this.byKind, kind, o);
      push(this.byKindName, `${kind}/${nameOf(o.manifest)}`, o);
      if (!this.byManifest.has(o.manifest)) this.byManifest.set(o.manifest, o);
    }
  }

  public ofKind(kind: string): GraphObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /**
   * The object's namespace: its own, else the one its delivery gives it (an Argo CD Application's destination), else
   * the default; undefined for cluster-scoped kinds and unknown ones.
   */
  public namespaceOf(m: Loose): string | undefined {
    if (isClusterScoped(String(m.kind))) return undefined;
    return text(mapping(m.metadata).namespace) || this.deliveredNamespace(m) || this.defaultNamespace;
  }

  /** The namespace the delivery gives a namespace-less object; undefined while the deliveries are being worked out. */
  private deliveredNamespace(m: Loose): string | undefined {
    if (!this.delivered) {
      if (!this.delivering) return undefined;
      // working out the deliveries reads the graph, which must not ask back: namespaces are unknown meanwhile
      const compute = this.delivering;
      this.delivering = undefined;
      this.delivered = compute(this);
    }
    const o = this.byManifest.get(m);
    return o ? this.delivered.get(o) : undefined;
  }

  /** The CustomResourceDefinitions of the input that define a kind in an API group. */
  public crdsDefining(group: string, kind: string): GraphObject[] {
    return this.ofKind('CustomResourceDefinition').filter((c) => {
      const spec = mapping(c.manifest.spec);
      return text(spec.group) === group && text(mapping(spec.names).kind) === kind;
    });
  }

  /** An object by kind and name, in a namespace (undefined: cluster-scoped, or any when the namespace is unknown). */
  public find(kind: string, name: unknown, namespace?: string): GraphObject | undefined {
    if (typeof name !== 'string') return undefined;
    return (this.byKindName.get(`${kind}/${name}`) ?? []).find((o) => this.inNamespace(o, namespace));
  }

  /**
   * Every declaration of an object by kind and name that may be in `namespace`: a tree of alternatives (samples applied
   * one at a time, overlays) may declare one name several times, differently.
   */
  public findAll(kind: string, name: unknown, namespace?: string): GraphObject[] {
    if (typeof name !== 'string') return [];
    return (this.byKindName.get(`${kind}/${name}`) ?? []).filter((o) => this.inNamespace(o, namespace));
  }

  /** Whether the object may be in `namespace`: either side unknown matches. */
  private inNamespace(o: GraphObject, namespace: string | undefined): boolean {
    const ns = this.namespaceOf(o.manifest);
    return namespace === undefined || ns === undefined || ns === namespace;
  }

  /**
   * Whether the tree delivers the Secret: as a Secret, or through an object whose controller writes it in its own
   * namespace — an ExternalSecret (external-secrets.io: spec.target.name, defaulting to the ExternalSecret's name), a
   * SealedSecret (bitnami.com: the Secret takes the SealedSecret's name, to which its encryption is bound), or a
   * Service annotated service.beta.openshift.io/serving-cert-secret-name (OpenShift's service CA writes the certificate).
   */
  public secretInTree(name: unknown, namespace?: string): boolean {
    return this.find('Secret', name, namespace) !== undefined || this.secretWrittenByController(name, namespace);
  }

  /** The script of the checked folders that creates the object of that kind and name in the namespace when it runs (a namespace it does not say matches any). */
  public scriptCreating(kind: string, name: string, namespace?: string): ScriptCreated | undefined {
    return this.scriptCreated.find(
      (c) => c.kind === kind && c.name === name && (c.namespace === undefined || namespace === undefined || c.namespace === namespace),
    );
  }

  /** Whether an ExternalSecret, a SealedSecret or a serving-certificate Service of the tree writes (or replaces the data of) the Secret of that name. */
  public secretWrittenByController(name: unknown, namespace?: string): boolean {
    if (typeof name !== 'string') return false;
    const external = this.ofKind('ExternalSecret').some(
      (o) => this.inNamespace(o, namespace) && (text(mapping(mapping(o.manifest.spec).target).name) ?? text(mapping(o.manifest.metadata).name)) === name,
    );
    return external || this.find('SealedSecret', name, namespace) !== undefined || this.servingCertificate(name, namespace);
  }

  /** Whether a Service of the tree asks OpenShift's service CA for a serving certificate in the Secret of that name. */
  private servingCertificate(name: string, namespace?: string): boolean {
    return this.ofKind('Service').some((o) => {
      const annotations = stringMap(mapping(o.manifest.metadata).annotations);
      return this.inNamespace(o, namespace) && SERVING_CERT_ANNOTATIONS.some((a) => annotations[a] === name);
    });
  }

  /**
   * The file of an object of the kind and name (in `namespace`, or any when either is unknown) that the kustomizations
   * of the tree leave out: a file forgotten in `resources`, never delivered.
   */
  public leftOutFile(kind: string, name: string, namespace: string | undefined): string | undefined {
    const found = this.leftOut.find((l) => {
      const m = mapping(l.manifest);
      const lns = text(mapping(m.metadata).namespace);
      return m.kind === kind && text(mapping(m.metadata).name) === name && (lns === undefined || namespace === undefined || lns === namespace);
    });
    return found ? (found.file ?? 'a file of the tree') : undefined;
  }

  /** A value computed once per check run (e.g. demand per ClusterQueue, shared by the objects of one rule). */
  public once<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  public id(o: GraphObject): string {
    return objectId(o.manifest);
  }

  /** The node shape recorded on a workload, read once per object. */
  public recordedNodeShape(m: Loose): ReturnType<typeof nodeShapeOf> | undefined {
    return this.once(`node-shape:${objectId(m)}:${stringMap(mapping(m.metadata).annotations)[NODE_SHAPE_ANNOTATION] ?? ''}`, () => recordedNodeShapeOf(m));
  }

  /**
   * The ServingRuntime an InferenceService names explicitly (KServe looks only in the service's namespace); undefined
   * when none is in reach, or when the runtimes of that name it may bind to differ (runtimeBinding tells them).
   */
  public runtimeOf(isvc: Loose): GraphObject | undefined {
    return this.runtimeBinding(isvc).runtime;
  }

  /** The runtime an InferenceService binds to and the runtimes of its name in reach (see bindRuntime). */
  public runtimeBinding(isvc: Loose): RuntimeBinding {
    const name = text(modelSpecOf(isvc).runtime);
    if (!name) return { candidates: [] };
    const service = this.byManifest.get(isvc);
    const key = `runtime:${service ? `${this.id(service)}:${service.file ?? ''}:${service.line ?? ''}` : objectId(isvc)}`;
    const bind = () => {
      const ns = this.namespaceOf(isvc);
      const reachable = (this.byKindName.get(`ServingRuntime/${name}`) ?? []).filter((r) => this.inNamespace(r, ns));
      return bindRuntime(service, reachable, (r) => this.namespaceOf(r.manifest), ns);
    };
    return service ? this.once(key, bind) : bind();
  }

  /** An InferenceService's model container merged with its runtime's kserve-container, as KServe merges them (placeholders rendered). */
  public servingContainer(isvc: GraphObject): Loose | undefined {
    // merged once per service: a dozen rules read it (read-only), and the merge walks the runtime's containers
    return this.once(`serving-container:${this.id(isvc)}:${isvc.file ?? ''}:${isvc.line ?? ''}`, () => servingContainerOf(this.serviceInput(isvc)));
  }

  /**
   * vLLM's command line of a service as vLLM reads it (service-line): the runtime's command and args then the
   * service's, env hooks where a shell or the kubelet expands them, a config file mounted from a ConfigMap of the tree.
   */
  public vllmCommand(o: GraphObject): ServiceLine | undefined {
    return this.once(`vllm-command:${this.id(o)}:${o.file ?? ''}:${o.line ?? ''}`, () => serviceCommandLine(this.serviceInput(o)));
  }

  /** vLLM's arguments of a service (see vllmCommand), as the words vLLM parses. */
  public vllmArgs(o: GraphObject): string[] {
    return (this.vllmCommand(o)?.args.words ?? []).map((w) => w.word);
  }

  private serviceInput(o: GraphObject): ServiceInput {
    const namespace = this.namespaceOf(o.manifest);
    return {
      manifest: o.manifest,
      runtime: o.manifest.kind === 'InferenceService' ? this.runtimeOf(o.manifest)?.manifest : undefined,
      namespace,
      configMap: (name) => this.find('ConfigMap', name, namespace)?.manifest,
    };
  }

  /**
   * What a service runs: vLLM on GPUs or CPUs, another runtime (TEI, detectors, docling, …), or a custom
   * container. Rules about vLLM and GPUs apply only where this says so; 'unknown' is judged by nobody.
   */
  public servingKindOf(o: GraphObject): ServingKind {
    return this.once(`kind:${this.id(o)}:${o.file ?? ''}:${o.line ?? ''}`, () => {
      const m = o.manifest;
      if (m.kind === 'LLMInferenceService') return this.gpusOf(o) > 0 ? 'vllm-gpu' : 'vllm-cpu';
      const predictor = mapping(mapping(m.spec).predictor);
      if (!predictorModelOf(m)) return mappings(predictor.containers).length ? 'custom-container' : 'unknown';
      const runtime = this.runtimeOf(m)?.manifest;
      const container = this.servingContainer(o) ?? {};
      const image = text(container.image) ?? '';
      const format = text(mapping(modelSpecOf(m).modelFormat).name) ?? '';
      const runtimeName = text(modelSpecOf(m).runtime) ?? '';
      const words = [image, runtimeName, ...strings(container.command), ...strings(container.args).slice(0, 2)].join(' ').toLowerCase();
      const vllm = /vllm/.test(words) || (!runtime && /^vllm$/i.test(format)) || format === 'vLLM';
      if (!vllm) return runtime || runtimeName ? 'other-runtime' : 'unknown';
      const envNames = mappings(container.env).map((e) => String(e.name));
      const cpu =
        /cpu/.test(`${image} ${runtimeName} ${text(mapping(runtime?.metadata).name) ?? ''}`.toLowerCase()) || envNames.some((n) => n.startsWith('VLLM_CPU_'));
      if (cpu && this.gpusOf(o) === 0) return 'vllm-cpu';
      return 'vllm-gpu';
    });
  }

  /** GPUs of one pod, from every place a workload can declare them (model, runtime, predictor containers, workers). */
  public gpusOf(o: GraphObject): number {
    const m = o.manifest;
    if (m.kind === 'LLMInferenceService') {
      const spec = mapping(m.spec);
      return Math.max(podRequests({ kind: 'Pod', spec: spec.template }).gpus, podRequests({ kind: 'Pod', spec: spec.worker }).gpus);
    }
    return podRequests(m, this.runtimeOf(m)?.manifest).gpus;
  }

  /**
   * The LocalQueue a workload's queue name names: its label, else, where Kueue still reads it (up to 0.14), the
   * deprecated annotation of the same key (jobframework QueueNameForObject). `from` says which; `unread` is the name
   * of an annotation this Kueue no longer reads, the workload then having no queue.
   */
  public localQueueOf(m: Loose): { name?: string; queue?: GraphObject; from?: 'label' | 'annotation'; unread?: string } {
    const meta = mapping(m.metadata);
    const label = stringMap(meta.labels)[QUEUE_LABEL];
    const annotation = stringMap(meta.annotations)[QUEUE_LABEL];
    if (!label && annotation && !this.queueAnnotationRead) return { unread: annotation };
    const name = label || annotation || undefined;
    const from = label ? 'label' : annotation ? 'annotation' : undefined;
    return { name, from, queue: name ? this.find('LocalQueue', name, this.namespaceOf(m)) : undefined };
  }

  /** The ResourceFlavors of the ClusterQueue behind a LocalQueue, in the order Kueue tries them. */
  public flavorsOf(localQueue: GraphObject | undefined): {
    clusterQueue?: GraphObject;
    flavors: { name: string; object?: GraphObject; quota: Record<string, number> }[];
  } {
    const cq = this.find('ClusterQueue', text(mapping(localQueue?.manifest.spec).clusterQueue));
    return { clusterQueue: cq, flavors: cq ? flavorsOfClusterQueue(this, cq) : [] };
  }

  /**
   * Instance types a workload can land on: its node selector's (or required node affinity's) instance type, the
   * instance type of a MachineSet of the tree whose node labels the selector matches, else those of the Kueue
   * flavors that could admit it.
   */
  public instanceTypesOf(m: Loose): GpuInstanceType[] {
    // the shape a construct recorded is what it placed the pods on, whatever the selector says
    const recorded = this.recordedNodeShape(m);
    if (recorded && 'type' in recorded) return [recorded.type];
    const pod = mapping(podSpecOf(m));
    const selector = stringMap(pod.nodeSelector);
    const names = new Set<string>();
    if (selector[INSTANCE_TYPE_LABEL]) names.add(selector[INSTANCE_TYPE_LABEL]);
    const affinity = mapping(mapping(mapping(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
    for (const term of mappings(affinity.nodeSelectorTerms)) {
      for (const e of mappings(term.matchExpressions)) if (e.key === INSTANCE_TYPE_LABEL && e.operator === 'In') strings(e.values).forEach((v) => names.add(v));
    }
    if (!names.size && Object.keys(selector).length) {
      // a MachineSet that labels its nodes (e.g. gpu-type: l40s) tells the instance type behind a custom selector
      for (const ms of this.ofKind('MachineSet')) {
        const template = mapping(mapping(ms.manifest.spec).template);
        const nodeLabels = stringMap(mapping(mapping(template.spec).metadata).labels);
        const type = text(mapping(mapping(mapping(template.spec).providerSpec).value).instanceType);
        if (type && Object.entries(selector).every(([k, v]) => nodeLabels[k] === v)) names.add(type);
      }
    }
    if (!names.size) {
      const { flavors } = this.flavorsOf(this.localQueueOf(m).queue);
      for (const f of flavors) {
        const t = stringMap(mapping(f.object?.manifest.spec).nodeLabels)[INSTANCE_TYPE_LABEL];
        if (t) names.add(t);
      }
    }
    return [...names].map((n) => GpuInstanceType.tryFind(n)).filter((t): t is GpuInstanceType => !!t);
  }
}

/** The node shape recorded on a workload (annotation `cdk8s-vllm.io/node-shape`), or why it cannot be read; undefined when none is. */
export function recordedNodeShapeOf(m: Loose): ReturnType<typeof nodeShapeOf> | undefined {
  const value = stringMap(mapping(m.metadata).annotations)[NODE_SHAPE_ANNOTATION];
  return value === undefined ? undefined : nodeShapeOf(value);
}

/** A taint that keeps pods off a node unless they tolerate it (PreferNoSchedule only discourages). */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** Kubernetes' toleration matching (core/v1 Toleration.ToleratesTaint): key, operator Exists or Equal, effect. */
export function tolerates(toleration: Loose, taint: Taint): boolean {
  const key = text(toleration.key) ?? '';
  const operator = text(toleration.operator) ?? 'Equal';
  const effect = text(toleration.effect) ?? '';
  if (effect && effect !== taint.effect) return false;
  if (!key) return operator === 'Exists';
  if (key !== taint.key) return false;
  return operator === 'Exists' || (text(toleration.value) ?? '') === (taint.value ?? '');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A ClusterQueue's cohort: `spec.cohortName` in kueue.x-k8s.io/v1beta2, `spec.cohort` in v1beta1 (kueue v0.16.9 CRDs). */
export function cohortOf(clusterQueue: Loose): string | undefined {
  const spec = mapping(clusterQueue.spec);
  return text(String(clusterQueue.apiVersion) === 'kueue.x-k8s.io/v1beta2' ? spec.cohortName : spec.cohort);
}

/** The flavors of a ClusterQueue, in the order Kueue tries them, with their nominal quota. */
export function flavorsOfClusterQueue(graph: ObjectGraph, cq: GraphObject): { name: string; object?: GraphObject; quota: Record<string, number> }[] {
  return mappings(mapping(cq.manifest.spec).resourceGroups).flatMap((g) =>
    mappings(g.flavors)
      .filter((f) => typeof f.name === 'string')
      .map((f) => ({
        name: String(f.name),
        object: graph.find('ResourceFlavor', f.name),
        quota: Object.fromEntries(mappings(f.resources).map((r) => [String(r.name), parseQuantity(r.nominalQuota) ?? 0])),
      })),
  );
}

function nameOf(m: Loose): string {
  return text(mapping(m.metadata).name) ?? '<no name>';
}

/** How a message names a namespace that may be unknown. */
export function namespaceLabel(ns: string | undefined): string {
  return ns === undefined ? 'the namespace it is deployed to' : `'${ns}'`;
}

/** The model spec of an InferenceService's predictor, `model` or a framework shorthand (empty when there is none). */
export function modelSpecOf(isvc: Loose): Loose {
  return predictorModelOf(isvc)?.spec ?? {};
}

/** The field an InferenceService's model is written at: `spec.predictor.model`, or a shorthand such as `spec.predictor.sklearn`. */
export function modelFieldOf(isvc: Loose): string {
  return predictorModelOf(isvc)?.field ?? 'spec.predictor.model';
}

/** The pod spec of a workload; for an InferenceService, its predictor (with the model container). */
export function podSpecOf(m: Loose): Loose | undefined {
  if (m.kind === 'InferenceService') return isMapping(mapping(m.spec).predictor) ? m.spec.predictor : undefined;
  const pod = mapping(POD_TEMPLATES[String(m.kind)]?.(m)).spec;
  return isMapping(pod) ? pod : undefined;
}

/** The labels a workload gives its pods (a bare Pod's own), as a Service's selector matches them. */
export function podLabelsOf(m: Loose): Loose {
  return mapping(mapping(mapping(POD_TEMPLATES[String(m.kind)]?.(m)).metadata).labels);
}

/** Containers of a workload's pod, init containers included; an InferenceService's model container is merged with its runtime's. */
export function containersOf(m: Loose, runtime?: Loose): { name: string; container: Loose; init: boolean }[] {
  const named = (list: unknown, init: boolean) => mappings(list).map((c) => ({ name: text(c.name) ?? '<unnamed>', container: c, init }));
  if (m.kind === 'InferenceService') {
    const p = mapping(mapping(m.spec).predictor);
    const model = predictorModelOf(m)?.spec;
    if (!model) return named(p.containers, false);
    const rc = mappings(mapping(runtime?.spec).containers).find((c) => c.name === 'kserve-container') ?? {};
    // a kserve-container beside model is the same container written twice (KServe's webhook refuses the pair,
    // predictor-implementation says so): its settings are read as the model container's, so its requests count once
    const [own, others] = partition(mappings(p.containers), (c) => c.name === 'kserve-container');
    const merged = own.reduce((acc, c) => mergeRuntimeContainer(acc, c), mergeRuntimeContainer(rc, model));
    return [{ name: 'kserve-container', container: merged, init: false }, ...named(others, false)];
  }
  if (m.kind === 'ServingRuntime') return named(mapping(m.spec).containers, false);
  const pod = podSpecOf(m);
  if (!pod) return [];
  return [...named(pod.initContainers, true), ...named(pod.containers, false)];
}

function partition<T>(list: readonly T[], test: (x: T) => boolean): [T[], T[]] {
  return [list.filter(test), list.filter((x) => !test(x))];
}

/** Effective requests of one pod (limits stand in for missing requests, as the API server defaults them). */
export function podRequests(m: Loose, runtime?: Loose): PodRequests {
  const sum = { cpu: 0, mem: 0, gpu: 0 };
  const init = { cpu: 0, mem: 0, gpu: 0 };
  const names = new Set<string>();
  const amounts: Record<string, number> = {};
  const initAmounts: Record<string, number> = {};
  for (const { container, init: isInit } of containersOf(m, runtime)) {
    const resources = mapping(container.resources);
    const req: Loose = { ...mapping(resources.limits), ...mapping(resources.requests) };
    Object.keys(req).forEach((k) => names.add(k));
    for (const [k, v] of Object.entries(req)) {
      const q = parseQuantity(v) ?? 0;
      if (isInit) initAmounts[k] = Math.max(initAmounts[k] ?? 0, q);
      else amounts[k] = (amounts[k] ?? 0) + q;
    }
    // a quantity that does not parse counts as nothing here; schema validation reports it
    const c = { cpu: cpuMillis(req.cpu) ?? 0, mem: memoryMiB(req.memory) ?? 0, gpu: parseQuantity(req[GPU_RESOURCE]) ?? 0 };
    if (isInit) {
      init.cpu = Math.max(init.cpu, c.cpu);
      init.mem = Math.max(init.mem, c.mem);
      init.gpu = Math.max(init.gpu, c.gpu);
    } else {
      sum.cpu += c.cpu;
      sum.mem += c.mem;
      sum.gpu += c.gpu;
    }
  }
  // OpenShift AI adds a kube-rbac-proxy sidecar (100m, 64Mi requests) to services with enable-auth; it counts too
  if (m.kind === 'InferenceService' && stringMap(mapping(m.metadata).annotations)[ENABLE_AUTH_ANNOTATION] === 'true') {
    sum.cpu += AUTH_PROXY_REQUESTS.cpuMillis;
    sum.mem += AUTH_PROXY_REQUESTS.memoryMiB;
    amounts.cpu = (amounts.cpu ?? 0) + AUTH_PROXY_REQUESTS.cpuMillis / 1000;
    amounts.memory = (amounts.memory ?? 0) + AUTH_PROXY_REQUESTS.memoryMiB * 2 ** 20;
    names.add('cpu');
    names.add('memory');
  }
  for (const [k, v] of Object.entries(initAmounts)) amounts[k] = Math.max(amounts[k] ?? 0, v);
  return {
    cpuMillis: Math.max(sum.cpu, init.cpu),
    memoryMiB: Math.max(sum.mem, init.mem),
    gpus: Math.max(sum.gpu, init.gpu),
    resources: [...names].sort(),
    amounts: Object.fromEntries(Object.entries(amounts).sort(([a], [b]) => compareText(a, b))),
  };
}

/** The largest int32, the type of every replica and parallelism field (k8s.io/api apps/v1, batch/v1, KServe ComponentExtensionSpec). */
const INT32_MAX = 2 ** 31 - 1;

/** Pods at full scale: replicas (maxReplicas for an InferenceService), parallelism for a Job. */
export function podCount(m: Loose): number {
  const spec = mapping(m.spec);
  // replica counts are int32 fields: anything else the API server refuses, and schema checks name it
  const count = (v: unknown, fallback: number) => {
    const n = finite(v);
    return n !== undefined && Number.isInteger(n) && n >= 0 && n <= INT32_MAX ? n : fallback;
  };
  switch (m.kind) {
    case 'InferenceService': {
      const p = mapping(spec.predictor);
      return Math.max(count(p.maxReplicas, 0), count(p.minReplicas, 1), 1);
    }
    case 'LLMInferenceService':
      return count(spec.replicas, 1);
    case 'Job':
      return count(spec.parallelism, 1);
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return count(spec.replicas, 1);
    default:
      return 1;
  }
}

/**
 * The effective value of a vLLM flag, named by its long form (`--tensor-parallel-size`): short forms, underscores and
 * `--flag=value` read as vLLM reads them, the last one given (argparse); further names are accepted and ignored.
 */
export function argValue(args: readonly string[] | VllmArgs, flag: string, ...aliases: string[]): string | undefined {
  void aliases; // the short forms are vLLM's own (VllmArgs)
  return (args instanceof VllmArgs ? args : VllmArgs.of(args)).value(flag);
}

/**
 * An LLMInferenceService's tensor-parallel size: spec.parallelism.tensor, else a size its main container passes on
 * the command line or in VLLM_ADDITIONAL_ARGS (KServe's configs expand it), else 1; undefined when one is given in a
 * form that is no size (a variable, a word).
 */
export function llmTensorParallelSize(m: Loose): number | undefined {
  const tensor = mapping(mapping(m.spec).parallelism).tensor;
  if (typeof tensor === 'number') return Number.isInteger(tensor) && tensor > 0 ? tensor : undefined;
  const main = mainContainerOf(mapping(m.spec).template);
  return tensorParallelSizeOf(VllmArgs.of(main ? buildCommandLine(containerPieces(main, "container 'main'", true)).words : []));
}

/** vLLM's tensor-parallel size from its arguments: 1 when unset, undefined when unknown or set to something that is not a size. */
export function tensorParallelSizeOf(args: readonly string[] | VllmArgs): number | undefined {
  const size = sizeFlag(args instanceof VllmArgs ? args : VllmArgs.of(args), '--tensor-parallel-size');
  return typeof size === 'number' ? size : undefined;
}

/**
 * A vLLM parallel size: its effective value (1 when unset), 'unknown' when a variable, a config file not in the tree or
 * an env hook that may not reach vLLM decides it, 'invalid' when it is set to something that is not a size.
 */
export function sizeFlag(args: VllmArgs, flag: string): number | 'unknown' | 'invalid' {
  if (args.unknown(flag)) return 'unknown';
  const v = args.value(flag);
  if (v === undefined) return 1;
  const n = pythonInt(v); // vLLM reads sizes with int()
  return n !== undefined && n >= 1 && n <= 9999 ? n : 'invalid';
}

/**
 * Where an InferenceService loads its model from, as a URI: storageUri as written (`s3://b/p/` with a trailing
 * slash, so `s3://b/p` and `s3://b/p/` name one directory; `oci://` and `hf://` unchanged), or `storage.path` with
 * its bucket. For an LLMInferenceService, `spec.model.uri`.
 */
export function storageLocationOf(isvc: Loose): string | undefined {
  if (isvc.kind === 'LLMInferenceService') {
    const uri = text(mapping(mapping(isvc.spec).model).uri);
    return uri ? normalizeUri(uri) : undefined;
  }
  const model = modelSpecOf(isvc);
  const uri = text(model.storageUri);
  if (uri) return normalizeUri(uri);
  // a custom container names its weights in STORAGE_URI, which KServe's storage initializer downloads (CustomSpecStorageUriEnvVarKey)
  const custom = mappings(mapping(mapping(isvc.spec).predictor).containers).find((c) => c.name === 'kserve-container');
  const fromEnv = text(mappings(custom?.env).find((e) => e.name === 'STORAGE_URI')?.value);
  if (fromEnv) return normalizeUri(fromEnv);
  const storage = mapping(model.storage);
  const path = text(storage.path);
  const bucket = text(mapping(storage.parameters).bucket);
  if (path && bucket) return normalizeUri(`s3://${bucket}/${path.replace(/^\/+/, '')}`);
  if (path) return `${text(storage.key) ? `the storage key '${storage.key}' at ` : ''}path ${path}`;
  return undefined;
}

/** `s3://b/p` and `s3://b/p/` name the same model directory; other schemes (oci://, hf://, pvc://) stay as written. */
export function normalizeUri(uri: string): string {
  if (!/^(s3|gs):\/\//.test(uri)) return uri;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** The set of objects built and applied together that an object belongs to: its chart in an app, its outermost kustomization, or '' for loose files. */
export function unitOf(o: GraphObject): string {
  return o.unit ?? o.kustomizations?.[0] ?? '';
}

/** Whether two objects are one declaration read twice (a base built by two roots): the same file and line. */
export function sameDeclaration(a: GraphObject, b: GraphObject): boolean {
  return a.file !== undefined && a.file === b.file && a.line === b.line;
}

/** Where an object was read, `file:line`, or the construct that declared it, for messages; undefined when neither is known. */
export function locationOf(o: GraphObject): string | undefined {
  if (o.file === undefined) return o.origin;
  return `${o.file}${o.line ? `:${o.line}` : ''}`;
}
