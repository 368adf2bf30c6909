import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { parseQuantity } from '../../private/quantity';
import { POD_TEMPLATE_KINDS } from '../../k8s/pod-kinds';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podTemplatesOf } from '../pod-templates';
import { podSpecOf } from '../pods';
import { Problem, Rule } from '../rule';
import { namespacesCreated } from '../tree-namespaces';

/**
 * The quota keys for which every container must state its resource, and where the container states it
 * (kubernetes pkg/quota/v1/evaluator/core/pods.go: validationSet, read by podEvaluator.Constraints through
 * enforcePodContainerConstraints and podComputeUsageHelper). Ephemeral storage, hugepages and extended resources are
 * counted but not required there ("do not add more resources to this list").
 */
const REQUIRED_KEYS: Readonly<Record<string, { side: 'requests' | 'limits'; resource: 'cpu' | 'memory' }>> = {
  cpu: { side: 'requests', resource: 'cpu' },
  memory: { side: 'requests', resource: 'memory' },
  'requests.cpu': { side: 'requests', resource: 'cpu' },
  'requests.memory': { side: 'requests', resource: 'memory' },
  'limits.cpu': { side: 'limits', resource: 'cpu' },
  'limits.memory': { side: 'limits', resource: 'memory' },
};

/**
 * Kinds whose pods are the templates the tree writes, containers unchanged: the built-in controllers, KubeRay,
 * LeaderWorkerSet, JobSet and the Kubeflow training jobs. KServe's defaulter fills an InferenceService's container
 * resources and Argo's controller may fill its main containers, so those are not judged.
 */
const JUDGED_KINDS = POD_TEMPLATE_KINDS;
const JUDGED_MULTI_POD_KINDS = ['RayCluster', 'RayJob', 'RayService', 'LeaderWorkerSet', 'JobSet', 'PyTorchJob', 'TFJob', 'MPIJob', 'XGBoostJob', 'PaddleJob'];

/** A pod the workload makes: where its template is written and its spec. */
interface TemplatePod {
  readonly where: string;
  readonly spec: Loose;
}

function podsOf(m: Loose): TemplatePod[] {
  if (JUDGED_MULTI_POD_KINDS.includes(String(m.kind))) return podTemplatesOf(m).map((t) => ({ where: `${t.path}: `, spec: mapping(t.template.spec) }));
  const spec = podSpecOf(m);
  return spec ? [{ where: '', spec }] : [];
}

/** What a namespace's LimitRanges give a container that states nothing: the resources of its limits and requests. */
interface Defaults {
  readonly limits: Set<string>;
  readonly requests: Set<string>;
}

/**
 * The resources the tree's LimitRanges in the namespace default, as the API server completes a Container item
 * (kubernetes pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem: default limit from max, default request from
 * default or min) and LimitRanger fills a container (plugin/pkg/admission/limitranger/admission.go mergeContainerResources).
 */
function limitRangeDefaults(ranges: readonly GraphObject[]): Defaults {
  const limits = new Set<string>();
  const requests = new Set<string>();
  for (const item of ranges.flatMap((r) => mappings(mapping(r.manifest.spec).limits)).filter((i) => i.type === 'Container')) {
    for (const k of [...Object.keys(mapping(item.default)), ...Object.keys(mapping(item.max))]) limits.add(k);
    for (const k of ['defaultRequest', 'default', 'max', 'min'].flatMap((f) => Object.keys(mapping(item[f])))) requests.add(k);
  }
  return { limits, requests };
}

/**
 * Whether a container has the resource on the side once admitted: its own, a request copied from its limit (the
 * API server's pod defaulting, pkg/apis/core/v1/defaults.go SetDefaults_Pod), or a LimitRange's default.
 */
function states(container: Loose, side: 'requests' | 'limits', resource: string, defaults: Defaults): boolean {
  const r = mapping(container.resources);
  if (resource in mapping(r[side]) || defaults[side].has(resource)) return true;
  return side === 'requests' && resource in mapping(r.limits);
}

const containersIn = (spec: Loose) => [...mappings(spec.initContainers), ...mappings(spec.containers)];

/** BestEffort as the scopes read it (pkg/apis/core/v1/helper/qos GetPodQOS): no container asks for cpu or memory above zero. */
function bestEffort(spec: Loose, defaults: Defaults): boolean {
  const asks = (c: Loose, side: 'requests' | 'limits', resource: string) => {
    const own = mapping(mapping(c.resources)[side]);
    return resource in own ? (parseQuantity(own[resource]) ?? 1) > 0 : defaults[side].has(resource);
  };
  return !containersIn(spec).some((c) => (['requests', 'limits'] as const).some((side) => asks(c, side, 'cpu') || asks(c, side, 'memory')));
}

function crossNamespaceAffinity(spec: Loose): boolean {
  const affinity = mapping(spec.affinity);
  const terms = [affinity.podAffinity, affinity.podAntiAffinity].flatMap((a) => [
    ...mappings(mapping(a).requiredDuringSchedulingIgnoredDuringExecution),
    ...mappings(mapping(a).preferredDuringSchedulingIgnoredDuringExecution).map((w) => mapping(w.podAffinityTerm)),
  ]);
  return terms.some((t) => strings(t.namespaces).length > 0 || t.namespaceSelector != null);
}

/**
 * Whether the quota counts the pod: every scope of spec.scopes and spec.scopeSelector matches (apiserver
 * pkg/quota/v1/generic Matches; pods.go podMatchesScopeFunc, spec.scopes read with operator Exists).
 */
function quotaMatches(quota: Loose, spec: Loose, defaults: Defaults): boolean {
  const selectors = [
    ...strings(mapping(quota.spec).scopes).map((scopeName) => ({ scopeName, operator: 'Exists', values: [] as string[] })),
    ...mappings(mapping(mapping(quota.spec).scopeSelector).matchExpressions).map((e) => ({
      scopeName: text(e.scopeName) ?? '',
      operator: text(e.operator) ?? '',
      values: strings(e.values),
    })),
  ];
  const priorityClass = text(spec.priorityClassName) ?? '';
  return selectors.every((s) => {
    switch (s.scopeName) {
      case 'Terminating':
      case 'NotTerminating': {
        const deadline = typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
        return s.scopeName === 'Terminating' ? deadline : !deadline;
      }
      case 'BestEffort':
        return bestEffort(spec, defaults);
      case 'NotBestEffort':
        return !bestEffort(spec, defaults);
      case 'PriorityClass':
        if (s.operator === 'Exists') return priorityClass !== '';
        if (s.operator === 'DoesNotExist') return priorityClass === '';
        if (s.operator === 'In') return priorityClass !== '' && s.values.includes(priorityClass);
        return s.operator === 'NotIn' && !(priorityClass !== '' && s.values.includes(priorityClass));
      case 'CrossNamespacePodAffinity':
        return crossNamespaceAffinity(spec);
      default:
        return false;
    }
  });
}

/** The refusal the quota admission gives the pod: each required key with the containers that leave it unset, or none. */
function refusal(quota: Loose, keys: readonly string[], pod: TemplatePod, defaults: Defaults): string | undefined {
  if (!quotaMatches(quota, pod.spec, defaults)) return undefined;
  const missing = keys
    .map((key) => {
      const { side, resource } = REQUIRED_KEYS[key];
      const names = containersIn(pod.spec)
        .filter((c) => !states(c, side, resource, defaults))
        .map((c) => text(c.name) ?? '<unnamed>');
      return names.length ? `${key} for: ${[...new Set(names)].sort().join(',')}` : undefined;
    })
    .filter((m): m is string => m !== undefined);
  return missing.length ? `must specify ${missing.join('; ')}` : undefined;
}

/** Whether what the quota's namespace holds is known: the tree creates it (not through a project template) or holds LimitRanges there. */
function namespaceKnown(graph: ObjectGraph, namespace: string, ranges: readonly GraphObject[]): string | undefined {
  if (ranges.length)
    return `the tree's LimitRanges in namespace '${namespace}' (${ranges.map((r) => text(mapping(r.manifest.metadata).name)).join(', ')}) default none of them`;
  const made = namespacesCreated(graph).get(namespace);
  // a Project (request) is made from the cluster's project template, which may hold LimitRanges
  if (made && !/^Project/.test(made)) return `the tree creates namespace '${namespace}' (${made}) and holds no LimitRange there`;
  const script = graph.scriptCreated.find((c) => c.kind === 'Namespace' && c.name === namespace);
  return script ? `${script.script}:${script.line} creates namespace '${namespace}' and the tree holds no LimitRange there` : undefined;
}

function quotaProblem(graph: ObjectGraph, o: GraphObject, quota: GraphObject, namespace: string): Problem | undefined {
  const hard = Object.keys(mapping(mapping(quota.manifest.spec).hard));
  const keys = hard.filter((k) => k in REQUIRED_KEYS).sort();
  if (!keys.length) return undefined;
  const ranges = graph.ofKind('LimitRange').filter((r) => graph.namespaceOf(r.manifest) === namespace);
  const defaults = limitRangeDefaults(ranges);
  const name = text(mapping(quota.manifest.metadata).name) ?? '<unnamed>';
  const refusals = podsOf(o.manifest).flatMap((pod) => {
    const why = refusal(quota.manifest, keys, pod, defaults);
    return why ? [`${pod.where}"failed quota: ${name}: ${why}"`] : [];
  });
  if (!refusals.length) return undefined;
  const head =
    `ResourceQuota ${name} in namespace '${namespace}' sets ${keys.join(', ')}, so the quota admission refuses every pod with a container (init containers included) that leaves one of them unset: ` +
    `${refusals.join(', ')}; such a pod is never created (a controller retries and records FailedCreate)`;
  const fix =
    'set requests and limits of cpu and memory in every container and init container, or add a LimitRange of type Container whose default and defaultRequest give them';
  const known = namespaceKnown(graph, namespace, ranges);
  if (known) return { message: `${head}; ${known}: ${fix}` };
  return {
    severity: 'warning',
    message: `${head}, unless a LimitRange made outside the tree defaults them (the tree neither creates namespace '${namespace}' nor holds a LimitRange there): ${fix}`,
  };
}

export const resourceQuotaMustSpecify: Rule = {
  id: 'resource-quota-must-specify',
  title: 'a ResourceQuota counts cpu or memory, and a pod of its namespace leaves that resource unset in a container: the quota admission refuses the pod',
  severity: 'error',
  appliesTo: [...JUDGED_KINDS, ...JUDGED_MULTI_POD_KINDS],
  premise:
    'a ResourceQuota of the tree whose spec.hard names cpu, memory, requests.cpu, requests.memory, limits.cpu or limits.memory, and whose scopes (spec.scopes, spec.scopeSelector: Terminating, BestEffort, PriorityClass, CrossNamespacePodAffinity and their negations) match a pod template of a workload of the tree in its namespace (built-in controllers, KubeRay, LeaderWorkerSet, JobSet, Kubeflow training jobs; not an InferenceService, whose defaulter fills the resources); a container (init containers included) leaves the resource unset, a limit counting as the request, and no LimitRange of the tree in the namespace defaults it; an error when the tree holds LimitRanges there or creates the namespace (a Namespace, not a project request), else a warning that a LimitRange outside the tree may fill it',
  example:
    'a Pod in namespace `test` whose container sets only `nvidia.com/gpu: 1`, beside a ResourceQuota there with `limits.cpu: "4"` and a Namespace `test`',
  fix: 'set requests and limits of cpu and memory in every container and init container, or add a LimitRange of type Container whose default and defaultRequest give them',
  source:
    'kubernetes pkg/quota/v1/evaluator/core/pods.go: podEvaluator.Constraints with enforcePodContainerConstraints (each container and init container must state every resource of validationSet the quota names: "must specify limits.cpu for: main"), podMatchesScopeFunc (scopes); the admission refuses with "failed quota: <name>: …" (apiserver pkg/admission/plugin/resourcequota/controller.go checkRequest)',
  check(o, { graph }) {
    const namespace = graph.namespaceOf(o.manifest);
    if (namespace === undefined) return [];
    // a workload scaled to zero makes no pod to refuse
    if (mapping(o.manifest.spec).replicas === 0) return [];
    return graph
      .ofKind('ResourceQuota')
      .filter((q) => graph.namespaceOf(q.manifest) === namespace)
      .map((q) => quotaProblem(graph, o, q, namespace))
      .filter((p): p is Problem => p !== undefined);
  },
};
