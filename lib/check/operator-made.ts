import { mapping, stringMap, text } from '../manifests/access';
import {
  APP_COMPONENT_LABEL,
  APP_CREATED_BY_LABEL,
  APP_INSTANCE_LABEL,
  APP_NAME_LABEL,
  APP_PART_OF_LABEL,
  INFERENCE_SERVICE_POD_LABEL,
  RAY_CLUSTER_LABEL,
} from '../k8s/keys';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
import { ANY_LABEL_VALUE } from './controller-pod-labels';
import { isLlmkubeService, LLMKUBE_SERVICE } from './llmkube';
import { isToolhiveServed, TOOLHIVE_GROUP, TOOLHIVE_POD_KEY, TOOLHIVE_POD_PAIR, TOOLHIVE_SERVED_KINDS, toolhiveService } from './toolhive';

/**
 * Pods and Services an operator makes from its custom resource, known by the label keys it puts on the pods and the
 * names it gives the Services: a monitor or a scrape target naming them is aimed at what the operator makes, which the
 * tree holds only as the custom resource (and, where the resource is elsewhere, not at all).
 */
export interface PodOperator {
  /** The operator, as messages name it. */
  readonly operator: string;
  /** The custom resource kinds it makes pods for. */
  readonly kinds: readonly string[];
  /** The API group of those kinds. */
  readonly group: string;
  /** Label keys only the operator puts on the pods it makes (a selector on one of them selects its pods). */
  readonly podKeys: readonly string[];
  /** Label pairs only the operator puts on them. */
  readonly podPairs?: Readonly<Record<string, string>>;
  /** The suffixes of the Services it names after its resource (`<resource><suffix>`). */
  readonly serviceSuffixes?: readonly string[];
  /** The prefix and suffix around the resource's name of the Services it names so (`vmcp-<resource>`, `mcp-<resource>-proxy`). */
  readonly serviceAffixes?: readonly (readonly [prefix: string, suffix: string])[];
}

// kserve pkg/constants: KubernetesPartOfLabelKey, LLMInferenceServicePartOfValue, KubernetesAppNameLabelKey,
// KubernetesComponentLabelKey, LLMComponentWorkload, LLMComponentRouterScheduler
const LLM_PART_OF = 'llminferenceservice';

export const POD_OPERATORS: readonly PodOperator[] = [
  // ray-project/kuberay ray-operator/controllers/ray/utils/constant.go (RayClusterLabelKey ray.io/cluster,
  // RayNodeTypeLabelKey ray.io/node-type, RayNodeGroupLabelKey ray.io/group, RayNodeLabelKey ray.io/is-ray-node,
  // RayIDLabelKey ray.io/identifier; KubernetesCreatedByLabelKey app.kubernetes.io/created-by: kuberay-operator) set
  // by common/pod.go labelPod; utils/util.go GenerateHeadServiceName (<name>-head-svc for a RayService, and for a
  // RayCluster unless headService.name is set) and GenerateServeServiceName (<name>-serve-svc)
  {
    operator: 'KubeRay',
    kinds: ['RayCluster', 'RayService', 'RayJob'],
    group: 'ray.io',
    podKeys: [RAY_CLUSTER_LABEL, 'ray.io/node-type', 'ray.io/group', 'ray.io/is-ray-node', 'ray.io/identifier', 'ray.io/serve'],
    podPairs: { [APP_CREATED_BY_LABEL]: 'kuberay-operator' },
    serviceSuffixes: ['-head-svc', '-serve-svc'],
  },
  // kubernetes-sigs/lws api/leaderworkerset/v1 leaderworkerset_types.go: the keys its controller and pod webhook put
  // on the leader and worker pods
  {
    operator: 'the LeaderWorkerSet controller',
    kinds: ['LeaderWorkerSet'],
    group: 'leaderworkerset.x-k8s.io',
    podKeys: [
      'leaderworkerset.sigs.k8s.io/name',
      'leaderworkerset.sigs.k8s.io/group-index',
      'leaderworkerset.sigs.k8s.io/worker-index',
      'leaderworkerset.sigs.k8s.io/group-key',
      'leaderworkerset.sigs.k8s.io/template-revision-hash',
    ],
  },
  // kserve pkg/constants (InferenceServicePodLabelKey serving.kserve.io/inferenceservice), set on the predictor's
  // pods by components/predictor.go buildObjectMeta; pkg/constants PredictorServiceName <isvc>-predictor
  {
    operator: 'KServe',
    kinds: ['InferenceService'],
    group: 'serving.kserve.io',
    podKeys: [INFERENCE_SERVICE_POD_LABEL],
    serviceSuffixes: ['-predictor', '-predictor-default', '-transformer', '-explainer'],
  },
  // kserve pkg/controller/v1alpha2/llmisvc workload.go: GetWorkloadLabelSelector puts app.kubernetes.io/part-of:
  // llminferenceservice (pkg/constants LLMInferenceServicePartOfValue) on the workload pods, and workloadServiceName
  // names their Service <name>-kserve-workload-svc (llmServices below has its labels)
  {
    operator: "KServe's LLMInferenceService controller",
    kinds: ['LLMInferenceService'],
    group: 'serving.kserve.io',
    podKeys: [],
    podPairs: { [APP_PART_OF_LABEL]: LLM_PART_OF },
    serviceSuffixes: ['-kserve-workload-svc'],
  },
  // stacklok/toolhive cmd/thv-operator/controllers (toolhive.ts): toolhive-name and toolhive: "true" on the pods of
  // every kind it runs, and its Services vmcp-<name>, mcp-<name>-proxy, mcp-<name>-remote-proxy
  {
    operator: 'the ToolHive operator',
    kinds: TOOLHIVE_SERVED_KINDS,
    group: TOOLHIVE_GROUP,
    podKeys: [TOOLHIVE_POD_KEY],
    podPairs: TOOLHIVE_POD_PAIR,
    serviceAffixes: [
      ['vmcp-', ''],
      ['mcp-', '-remote-proxy'],
      ['mcp-', '-proxy'],
    ],
  },
];

/** The operator whose pods a label selector (matchLabels) asks for, by a key or pair only that operator sets. */
export function podOperatorOf(selected: Readonly<Record<string, string>>): PodOperator | undefined {
  return POD_OPERATORS.find((p) => p.podKeys.some((k) => k in selected) || Object.entries(p.podPairs ?? {}).some(([k, v]) => selected[k] === v));
}

/** The custom resources of the operator's kinds that the tree holds (any namespace). */
export function operatorResources(graph: ObjectGraph, p: PodOperator): GraphObject[] {
  return p.kinds.flatMap((k) => graph.ofKind(k)).filter((o) => String(o.manifest.apiVersion ?? '').split('/')[0] === p.group);
}

/** A Service name an operator gives the Services of its resource, with the operator and the resource named. */
export interface OperatorService {
  readonly by: PodOperator;
  /** The resource's name, read off the Service's. */
  readonly resource: string;
  /** The resource of the tree of that name, where it holds one. */
  readonly inTree?: GraphObject;
}

/** The operator that names a Service so (`<rayservice>-head-svc`), or undefined. */
export function operatorServiceOf(graph: ObjectGraph, name: string): OperatorService | undefined {
  for (const by of POD_OPERATORS) {
    const affixes = [...(by.serviceSuffixes ?? []).map((s): readonly [string, string] => ['', s]), ...(by.serviceAffixes ?? [])];
    const affix = affixes.find(([p, s]) => name.startsWith(p) && name.endsWith(s) && name.length > p.length + s.length);
    if (!affix) continue;
    const resource = name.slice(affix[0].length, name.length - affix[1].length);
    const inTree = operatorResources(graph, by).find((o) => text(mapping(o.manifest.metadata).name) === resource);
    return { by, resource, ...(inTree ? { inTree } : {}) };
  }
  return undefined;
}

/** The kinds of an operator's resources, for messages (`RayCluster, RayService or RayJob`). */
export const kindsSaid = (p: PodOperator) => (p.kinds.length > 1 ? `${p.kinds.slice(0, -1).join(', ')} or ${p.kinds[p.kinds.length - 1]}` : p.kinds[0]);

/**
 * What the tree says of a Service name an operator gives: `made` where the tree holds the resource it is named after,
 * `elsewhere` where the tree holds no resource of the operator at all (the resource, and so the Service, lives outside
 * the checked folders); undefined for another name, or where the tree holds resources of the operator but none of that
 * name (then the name is the tree's to answer for).
 */
export function operatorServiceVerdict(
  graph: ObjectGraph,
  name: string,
): { readonly kind: 'made' | 'elsewhere'; readonly service: OperatorService } | undefined {
  const service = operatorServiceOf(graph, name);
  if (!service) return undefined;
  if (service.inTree) return { kind: 'made', service };
  return operatorResources(graph, service.by).length ? undefined : { kind: 'elsewhere', service };
}

/** A Service a controller makes for a custom resource of the tree, with the labels it puts on it. */
export interface MadeService {
  /** The resource of the tree it is made for (its namespace is the Service's). */
  readonly owner: GraphObject;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The Services KServe's LLMInferenceService controller makes (kserve pkg/controller/v1alpha2/llmisvc): the workload
 * Service `<name>-kserve-workload-svc`, always (workload.go reconcileWorkloadService: part-of llminferenceservice,
 * name <name>, component llminferenceservice-workload, and spec.labels copied in), and, where the resource gives a
 * scheduler of its own (spec.router.scheduler without a pool ref), the scheduler's Service (scheduler.go
 * expectedSchedulerService, SchedulerLabels; v1alpha2 RouterSpec.EPPServiceName: the pool's endpointPickerRef name, else
 * `<name>-epp-service`). A scheduler a base config gives is not read here.
 */
function llmServices(o: GraphObject): MadeService[] {
  const name = text(mapping(o.manifest.metadata).name) ?? '';
  const spec = mapping(o.manifest.spec);
  const own = { [APP_NAME_LABEL]: name, [APP_PART_OF_LABEL]: LLM_PART_OF };
  const out: MadeService[] = [
    { owner: o, name: `${name}-kserve-workload-svc`, labels: { [APP_COMPONENT_LABEL]: 'llminferenceservice-workload', ...own, ...stringMap(spec.labels) } },
  ];
  const scheduler = mapping(mapping(spec.router).scheduler);
  const pool = mapping(scheduler.pool);
  if (mapping(spec.router).scheduler !== undefined && pool.ref === undefined) {
    const picker = text(mapping(mapping(pool.spec).endpointPickerRef).name);
    out.push({ owner: o, name: picker ?? `${name}-epp-service`, labels: { [APP_COMPONENT_LABEL]: 'llminferenceservice-router-scheduler', ...own } });
  }
  return out;
}

/**
 * The predictor Service KServe makes of an InferenceService: in raw deployment mode with the predictor's object meta
 * (reconcilers/service/service_reconciler.go createService), under Knative as the labels of the revision whose
 * Services Knative makes (reconcilers/knative/ksvc_reconciler.go: the template's labels); either way the runtime's
 * labels, the service's, the predictor's, then serving.kserve.io/inferenceservice and component: predictor
 * (components/predictor.go buildObjectMeta).
 */
function predictorService(o: GraphObject, graph: ObjectGraph): MadeService {
  const m = o.manifest;
  const name = text(mapping(m.metadata).name) ?? '';
  const labels = {
    ...stringMap(mapping(graph.runtimeOf(m)?.manifest.spec).labels),
    ...stringMap(mapping(m.metadata).labels),
    ...stringMap(mapping(mapping(m.spec).predictor).labels),
    [INFERENCE_SERVICE_POD_LABEL]: name,
    component: 'predictor',
  };
  return { owner: o, name: `${name}-predictor`, labels };
}

/**
 * The head Service KubeRay makes of a RayCluster, RayService or RayJob (ray-project/kuberay ray-operator/controllers/
 * ray/common/service.go BuildServiceForHeadPod, HeadServiceLabels; BuildHeadServiceForRayService): labelled
 * ray.io/node-type: head and ray.io/identifier <cluster>-head, with ray.io/cluster, app.kubernetes.io/name: kuberay and
 * app.kubernetes.io/created-by: kuberay-operator; getServicePorts always adds the `metrics` port (8080). A RayJob's or
 * RayService's cluster is named with a random suffix, so the values naming it may be any.
 */
function rayHeadService(o: GraphObject): MadeService {
  const name = text(mapping(o.manifest.metadata).name) ?? '';
  const named = o.manifest.kind === 'RayCluster';
  const cluster = named ? name : ANY_LABEL_VALUE;
  return {
    owner: o,
    name: `${name}-head-svc`,
    labels: {
      [RAY_CLUSTER_LABEL]: cluster,
      'ray.io/node-type': 'head',
      'ray.io/identifier': named ? `${name}-head` : ANY_LABEL_VALUE,
      [APP_NAME_LABEL]: 'kuberay',
      [APP_CREATED_BY_LABEL]: 'kuberay-operator',
    },
  };
}

/**
 * The Service LLMKube's controller makes of its InferenceService (defilantech/LLMKube internal/controller/
 * service_builder.go constructService): named after it with dots as dashes (sanitizeDNSName), labelled (and selecting)
 * app: <name> and inference.llmkube.dev/service: <name>, one port `http` (8080, or spec.endpoint.port).
 */
function llmkubeService(o: GraphObject): MadeService {
  const name = text(mapping(o.manifest.metadata).name) ?? '';
  return { owner: o, name: name.replace(/\./g, '-'), labels: { app: name, 'inference.llmkube.dev/service': name } };
}

/** The litellm-operator's API group (home-operations/litellm-operator api/v1alpha1 groupversion_info.go). */
const LITELLM_OPERATOR_GROUP = 'litellm.home-operations.com';

/**
 * The Service the litellm-operator makes of its LiteLLMProxy (home-operations/litellm-operator internal/controller/
 * resources.go buildService and selectorLabels; render.go appName "litellm", httpPortName "http", proxyPort 4000):
 * named after the proxy, labelled (and selecting) app.kubernetes.io/name: litellm, app.kubernetes.io/instance: <proxy>
 * and app.kubernetes.io/managed-by: litellm-operator, one port `http` (spec.service.port, else 4000).
 */
function litellmProxyService(o: GraphObject): MadeService {
  const name = text(mapping(o.manifest.metadata).name) ?? '';
  return { owner: o, name, labels: { [APP_NAME_LABEL]: 'litellm', [APP_INSTANCE_LABEL]: name, 'app.kubernetes.io/managed-by': 'litellm-operator' } };
}

/**
 * The Services operators make for the resources of the tree: KServe's for its LLMInferenceServices and
 * InferenceServices (llmServices, predictorService), KubeRay's head Service for its Ray clusters (rayHeadService),
 * LLMKube's for its InferenceServices (llmkubeService), ToolHive's for its MCPServers, MCPRemoteProxies and
 * VirtualMCPServers (toolhiveService), the litellm-operator's for its LiteLLMProxies (litellmProxyService).
 */
export function operatorMadeServices(graph: ObjectGraph): MadeService[] {
  const kserve = (o: GraphObject) => String(o.manifest.apiVersion ?? '').split('/')[0] === 'serving.kserve.io';
  const ray = (o: GraphObject) => String(o.manifest.apiVersion ?? '').split('/')[0] === 'ray.io';
  return [
    ...['RayCluster', 'RayService', 'RayJob']
      .flatMap((k) => graph.ofKind(k))
      .filter(ray)
      .map(rayHeadService),
    ...graph.ofKind('LLMInferenceService').filter(kserve).flatMap(llmServices),
    ...graph
      .ofKind('InferenceService')
      .filter(kserve)
      .map((o) => predictorService(o, graph)),
    ...graph.ofKind(LLMKUBE_SERVICE).filter(isLlmkubeService).map(llmkubeService),
    ...TOOLHIVE_SERVED_KINDS.flatMap((k) => graph.ofKind(k))
      .filter((o) => isToolhiveServed(o.manifest))
      .map((o) => ({ owner: o, ...toolhiveService(o.manifest, text(mapping(o.manifest.metadata).name) ?? '') })),
    ...graph
      .ofKind('LiteLLMProxy')
      .filter((o) => String(o.manifest.apiVersion ?? '').split('/')[0] === LITELLM_OPERATOR_GROUP)
      .map(litellmProxyService),
  ];
}

/**
 * The label sets the pods of an LLMInferenceService's workload carry besides its template's, one per KServe release
 * line: kserve pkg/controller/llmisvc workload.go GetWorkloadLabelSelector (part-of llminferenceservice, name <name>,
 * kserve.io/component: workload) and, in earlier releases, getWorkloadLabelSelector (name <name> and
 * app.kubernetes.io/component llminferenceservice-workload, -workload-leader with a worker and a template,
 * -workload-worker with a worker alone). Which one a cluster's pods carry depends on its release; only the name is in both.
 */
export function llmWorkloadPodLabelSets(name: string): readonly Readonly<Record<string, string>>[] {
  return [
    { [APP_PART_OF_LABEL]: LLM_PART_OF, [APP_NAME_LABEL]: name, 'kserve.io/component': 'workload' },
    ...['', '-leader', '-worker'].map((s) => ({ [APP_NAME_LABEL]: name, [APP_COMPONENT_LABEL]: `llminferenceservice-workload${s}` })),
  ];
}
