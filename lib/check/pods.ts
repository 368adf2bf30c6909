import { finite, isMapping, Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { cpuMillis, memoryMiB, parseQuantity } from '../private/quantity';
import { compareText } from '../private/collate';
import { ENABLE_AUTH_ANNOTATION, GPU_RESOURCE, HELM_HOOK_ANNOTATION, HOOK_ANNOTATION } from '../k8s/keys';
import { groupRequired, isPodTemplateKind, POD_TEMPLATE_GROUPS, POD_TEMPLATE_KINDS } from '../k8s/pod-kinds';
import { GraphObject } from './graph-object';
import { mergeRuntimeContainer } from './runtime-merge';
import { predictorModelOf } from './runtime-selection';
import { perRun } from '../private/run-memo';

/**
 * The pods of a workload as the scheduler and Kueue see them: where each kind keeps its pod template, the containers
 * (an InferenceService's model container merged with its runtime's), their effective requests and the pod count.
 */

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

/**
 * Where each kind whose pods the checks look into keeps its pod template (metadata and spec). The kinds with a
 * PodTemplateSpec of their own, and their API groups, are lib/k8s/pod-kinds.ts POD_TEMPLATE_GROUPS.
 */
const POD_TEMPLATES: Readonly<Record<string, (m: Loose) => unknown>> = {
  Pod: (m) => m,
  Job: (m) => mapping(m.spec).template,
  CronJob: (m) => mapping(mapping(mapping(m.spec).jobTemplate).spec).template,
  Deployment: (m) => mapping(m.spec).template,
  StatefulSet: (m) => mapping(m.spec).template,
  DaemonSet: (m) => mapping(m.spec).template,
  ReplicaSet: (m) => mapping(m.spec).template,
  // a Rollout with spec.workloadRef and no template runs the referenced Deployment's pods: that Deployment is read
  Rollout: (m) => mapping(m.spec).template,
  DeploymentConfig: (m) => mapping(m.spec).template,
  // a Kubeflow Notebook: the notebook controller's StatefulSet runs one pod of spec.template.spec, labelled with the
  // Notebook's own labels and statefulset/notebook-name: <name> (notebook-controller notebook_controller.go generateStatefulSet)
  Notebook: (m) => {
    const meta = mapping(m.metadata);
    const name = text(meta.name) ?? '';
    return {
      metadata: { labels: { ...stringMap(meta.labels), statefulset: name, 'notebook-name': name }, annotations: meta.annotations },
      spec: mapping(mapping(m.spec).template).spec,
    };
  },
  // spec.template is a pod spec: the labels of its pods are the controller's, not written here
  LLMInferenceService: (m) => ({ spec: mapping(m.spec).template }),
};

/** The pod template of an object of a pod-running kind in its own API group; undefined for any other object. */
function podTemplateOf(m: Loose): unknown {
  const kind = String(m.kind);
  if (!Object.hasOwn(POD_TEMPLATES, kind) || (POD_TEMPLATE_GROUPS[kind] && !isPodTemplateKind(m))) return undefined;
  return POD_TEMPLATES[kind](m);
}

/**
 * Whether an object runs pods from a template written in it: one of the pod-template kinds in its own group (a Rollout
 * with spec.template, not one with only spec.workloadRef), an LLMInferenceService or an InferenceService. A custom kind
 * named like one (a Rollout of another group) runs none.
 */
export function runsPods(m: Loose): boolean {
  const kind = String(m.kind);
  if (kind === 'Rollout') return isPodTemplateKind(m) && isMapping(mapping(m.spec).template);
  if (Object.hasOwn(POD_TEMPLATE_GROUPS, kind)) return isPodTemplateKind(m);
  return kind === 'InferenceService' || Object.hasOwn(POD_TEMPLATES, kind);
}

/**
 * Whether the object is named like one of the pod-running custom kinds but is not one (a Rollout of another API group,
 * a Rollout that only references a Deployment): the rules about pods pass it by. The built-in kind names are left to
 * the rules, some of which judge a kind of the same name in another group on purpose (Volcano's batch.volcano.sh Job).
 */
export function namedLikePodRunner(m: Loose): boolean {
  return groupRequired(m.kind) && !runsPods(m);
}

/**
 * Whether a rule judges the pods of the objects it applies to: it names a pod-running kind besides Rollout. A rule
 * that names Rollout and no other pod-running kind judges the Rollout's own fields (its strategy, its analyses, its
 * workloadRef), which a Rollout that only references a Deployment has too.
 */
export function judgesPods(appliesTo: readonly string[]): boolean {
  return appliesTo.some((k) => k !== 'Rollout' && (Object.hasOwn(POD_TEMPLATES, k) || k === 'InferenceService'));
}

/**
 * Whether a rule passes the object by: a rule about pods (judgesPods) by what runs no pod template of its own
 * (namedLikePodRunner); a rule about the Rollout itself by only a Rollout of another API group.
 */
export function passedByRule(m: Loose, pods: boolean): boolean {
  return pods ? namedLikePodRunner(m) : groupRequired(m.kind) && !isPodTemplateKind(m);
}

/**
 * The workloads whose pods a Service is written against in practice: bare Pods and the controllers of long-running
 * replicas (Deployments, StatefulSets, DaemonSets, ReplicaSets, Argo Rollouts, OpenShift DeploymentConfigs).
 */
export const SERVICE_BACKEND_KINDS: readonly string[] = POD_TEMPLATE_KINDS.filter((k) => k !== 'Job' && k !== 'CronJob');

/**
 * Whether a bare Pod is a hook: Helm's (`helm.sh/hook`: a test pod `helm test` runs, an install or upgrade step) or
 * Argo CD's (argocd.argoproj.io/hook). It runs to completion and its hook-delete-policy removes it; it serves no
 * Service that happens to select its labels (helm pkg/release/hook.go, HookTest and the install hooks; argo-cd docs
 * user-guide/resource_hooks.md). A controller written as a hook keeps its pods, so only a Pod counts.
 */
export function isHookPod(m: Loose): boolean {
  if (m.kind !== 'Pod') return false;
  const annotations = mapping(mapping(m.metadata).annotations);
  return annotations[HELM_HOOK_ANNOTATION] !== undefined || annotations[HOOK_ANNOTATION] !== undefined;
}

/**
 * The objects of the graph whose pods serve a Service that selects them: SERVICE_BACKEND_KINDS, less hook Pods
 * (isHookPod). Every rule that asks which pods a Service selects starts here.
 */
export function serviceBackends(graph: { ofKind(kind: string): readonly GraphObject[] }, kinds: readonly string[] = SERVICE_BACKEND_KINDS): GraphObject[] {
  return kinds.flatMap((k) => graph.ofKind(k)).filter((o) => !isHookPod(o.manifest));
}

/**
 * The controllers of long-running replicas an autoscaler scales through their /scale subresource (apps/v1
 * deployments/scale and statefulsets/scale; Argo Rollouts' CRD subresources.scale; openshift-apiserver's
 * deploymentconfigs/scale): their replica count decides whether any pod runs.
 */
export const REPLICATED_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'Rollout', 'DeploymentConfig'];

/** Kinds that run pods the scheduler and Kueue place. */
export const WORKLOAD_KINDS: readonly string[] = [...Object.keys(POD_TEMPLATES), 'InferenceService'];

/** The objects of the graph of the given kinds that run pods of their own (runsPods): a foreign kind of the same name is left out. */
export function podRunners(graph: { ofKind(kind: string): readonly GraphObject[] }, kinds: readonly string[]): GraphObject[] {
  return kinds.flatMap((k) => graph.ofKind(k)).filter((o) => runsPods(o.manifest));
}

/** Requests of the kube-rbac-proxy sidecar it injects (inferenceservice-config `oauthProxy`: 100m CPU, 64Mi). */
export const AUTH_PROXY_REQUESTS = { cpuMillis: 100, memoryMiB: 64 } as const;

/** The pod spec of a workload; for an InferenceService, its predictor (with the model container). */
export function podSpecOf(m: Loose): Loose | undefined {
  if (m.kind === 'InferenceService') return isMapping(mapping(m.spec).predictor) ? m.spec.predictor : undefined;
  const pod = mapping(podTemplateOf(m)).spec;
  return isMapping(pod) ? pod : undefined;
}

/** The labels a workload gives its pods (a bare Pod's own), as a Service's selector matches them. */
export function podLabelsOf(m: Loose): Loose {
  return mapping(mapping(mapping(podTemplateOf(m)).metadata).labels);
}

/** The annotations a workload gives its pods (a bare Pod's own). */
export function podAnnotationsOf(m: Loose): Loose {
  return mapping(mapping(mapping(podTemplateOf(m)).metadata).annotations);
}

/** Containers of a workload's pod, init containers included; an InferenceService's model container is merged with its runtime's. */
export function containersOf(m: Loose, runtime?: Loose): readonly { name: string; container: Loose; init: boolean }[] {
  // asked by a dozen rules per workload in one run; merging a service's container with its runtime's is the cost
  return perRun('containers', [m, runtime], () => containersOfNow(m, runtime));
}

function containersOfNow(m: Loose, runtime?: Loose): { name: string; container: Loose; init: boolean }[] {
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

/**
 * The predictor pod of an InferenceService as KServe builds it: the runtime's pod fields (ServingRuntimePodSpec: volumes,
 * hostIPC, …) under the predictor's (kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go merges the
 * predictor's PodSpec over the runtime's; volumes of both, the predictor's by name first), with the merged containers.
 */
export function predictorPodOf(isvc: Loose, runtime?: Loose): Loose {
  const predictor = mapping(mapping(isvc.spec).predictor);
  const runtimePod = mapping(runtime?.spec);
  const own = new Set(mappings(predictor.volumes).map((v) => v.name));
  const volumes = [...mappings(predictor.volumes), ...mappings(runtimePod.volumes).filter((v) => !own.has(v.name))];
  return { ...runtimePod, ...predictor, volumes, containers: containersOf(isvc, runtime).map((c) => c.container) };
}

function partition<T>(list: readonly T[], test: (x: T) => boolean): [T[], T[]] {
  return [list.filter(test), list.filter((x) => !test(x))];
}

/** Effective requests of one pod (limits stand in for missing requests, as the API server defaults them). */
export function podRequests(m: Loose, runtime?: Loose): PodRequests {
  return perRun('pod-requests', [m, runtime], () => podRequestsNow(m, runtime));
}

function podRequestsNow(m: Loose, runtime?: Loose): PodRequests {
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
    case 'Rollout':
    case 'DeploymentConfig':
      return count(spec.replicas, 1);
    default:
      return 1;
  }
}
