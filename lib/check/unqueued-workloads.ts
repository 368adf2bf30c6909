import { Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { apiGroupOf } from '../k8s/api-version';
import { HELM_HOOK_ANNOTATION, HOOK_ANNOTATION, KUEUE_GROUP, NAMESPACE_NAME_LABEL, QUEUE_LABEL } from '../k8s/keys';
import { deviceVendorOf } from '../catalog/device-resources';
import { accountGrants, ruleGrants } from './account-grants';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { namespaceAdmitted } from './kueue-admission';
import { operatorKueueOf } from './operator-kueue';
import { podLabelsOf, podRequests } from './pods';
import { podTemplatesOf, templatePods } from './pod-templates';
import { resourceOfKind } from './resource-groups';

/**
 * The kinds Kueue's job framework integrates, by API group, with the integration's name in Kueue's configuration
 * (integrations.frameworks) and whether Kueue's default configuration enables it (kubernetes-sigs/kueue
 * config/components/manager/controller_manager_config.yaml; site docs "Run ..." tasks; pkg/controller/jobs): the
 * pod-based ones (Deployment, StatefulSet, LeaderWorkerSet) are opt-in.
 */
const INTEGRATIONS: Readonly<Record<string, { readonly group: string; readonly integration: string; readonly optIn?: true }>> = {
  Job: { group: 'batch', integration: 'batch/job' },
  JobSet: { group: 'jobset.x-k8s.io', integration: 'jobset.x-k8s.io/jobset' },
  MPIJob: { group: 'kubeflow.org', integration: 'kubeflow.org/mpijob' },
  PyTorchJob: { group: 'kubeflow.org', integration: 'kubeflow.org/pytorchjob' },
  TFJob: { group: 'kubeflow.org', integration: 'kubeflow.org/tfjob' },
  XGBoostJob: { group: 'kubeflow.org', integration: 'kubeflow.org/xgboostjob' },
  PaddleJob: { group: 'kubeflow.org', integration: 'kubeflow.org/paddlejob' },
  JAXJob: { group: 'kubeflow.org', integration: 'kubeflow.org/jaxjob' },
  TrainJob: { group: 'trainer.kubeflow.org', integration: 'trainer.kubeflow.org/trainjob' },
  RayJob: { group: 'ray.io', integration: 'ray.io/rayjob' },
  RayCluster: { group: 'ray.io', integration: 'ray.io/raycluster' },
  // managed through the RayCluster it makes (the label is copied onto it) before Kueue 0.17, as a job of its own since
  // (site docs tasks/run/rayservices.md; pkg/controller/jobs/rayservice FrameworkName ray.io/rayservice)
  RayService: { group: 'ray.io', integration: 'ray.io/rayservice' },
  LeaderWorkerSet: { group: 'leaderworkerset.x-k8s.io', integration: 'leaderworkerset.x-k8s.io/leaderworkerset', optIn: true },
  Deployment: { group: 'apps', integration: 'deployment', optIn: true },
  StatefulSet: { group: 'apps', integration: 'statefulset', optIn: true },
};

/** The kinds judged for running outside a LocalQueue of their namespace. */
export const KUEUE_INTEGRATED_KINDS: readonly string[] = Object.keys(INTEGRATIONS);

/** Whether the tree sets Kueue's manageJobsWithoutQueueName true anywhere (a Kueue Configuration in a ConfigMap, a chart's values, an operator's resource). */
function managesUnlabelled(graph: ObjectGraph): boolean {
  return graph.once('unqueued:manage-without-name', () =>
    graph.objects.some((o) => /manageJobsWithoutQueueName\\?"?\s*:\s*\\?"?true/.test(JSON.stringify(o.manifest))),
  );
}

/** The queue names the tree's objects of a namespace carry: their own label, or their pods' (a Deployment's pods under the pod integration). */
function namedQueues(graph: ObjectGraph, ns: string | undefined): Set<string> {
  const names = graph.objects
    .filter((o) => graph.namespaceOf(o.manifest) === ns)
    .flatMap((o) => [
      stringMap(mapping(o.manifest.metadata).labels)[QUEUE_LABEL],
      stringMap(podLabelsOf(o.manifest))[QUEUE_LABEL],
      ...podTemplatesOf(o.manifest).map((t) => stringMap(mapping(mapping(t.template).metadata).labels)[QUEUE_LABEL]),
    ]);
  return new Set(names.filter((n): n is string => !!n));
}

/** What a workload without a queue label misses: the LocalQueues of its namespace that nothing names, and its integration. */
export interface Unqueued {
  readonly queues: readonly string[];
  readonly integration: string;
  readonly optIn: boolean;
}

/**
 * Whether a Kueue-integrated workload of the tree runs outside the LocalQueues the tree sets up for its namespace:
 * it carries no queue-name label (nor the annotation older Kueue read), is no hook, the tree makes LocalQueues in its
 * namespace that no object there names, none of them is the namespace's default LocalQueue (LocalQueue defaulting
 * gives unlabelled jobs `default`, or OpenShift AI's default name), and the tree does not set manageJobsWithoutQueueName
 * true. Kueue then leaves the workload alone (jobframework: a job without a queue name is not managed), so it runs at
 * once, outside the queue's quota.
 */
export function unqueued(graph: ObjectGraph, o: GraphObject): Unqueued | undefined {
  const spec = unlabelledIntegrated(graph, o);
  if (!spec) return undefined;
  const ns = graph.namespaceOf(o.manifest);
  const queues = localQueuesIn(graph, ns);
  if (!queues.length) return undefined;
  const defaults = ['default', ...operatorKueueOf(graph).names.LocalQueue];
  if (queues.some((q) => defaults.includes(q))) return undefined;
  const named = namedQueues(graph, ns);
  if (queues.some((q) => named.has(q))) return undefined;
  return { queues, integration: spec.integration, optIn: spec.optIn === true };
}

/**
 * The integration of a Kueue-integrated workload that names no queue (no label on it or its pods, nor the annotation
 * older Kueue read), is no hook and has no owner, where the tree does not set manageJobsWithoutQueueName true: Kueue
 * leaves it alone. Undefined for any other object.
 */
function unlabelledIntegrated(graph: ObjectGraph, o: GraphObject): (typeof INTEGRATIONS)[string] | undefined {
  const m: Loose = o.manifest;
  const spec = INTEGRATIONS[String(m.kind)];
  if (!spec || apiGroupOf(text(m.apiVersion) ?? '') !== spec.group) return undefined;
  const meta = mapping(m.metadata);
  const annotations = stringMap(meta.annotations);
  if (stringMap(meta.labels)[QUEUE_LABEL] || annotations[QUEUE_LABEL] || stringMap(podLabelsOf(m))[QUEUE_LABEL]) return undefined;
  if (annotations[HELM_HOOK_ANNOTATION] !== undefined || annotations[HOOK_ANNOTATION] !== undefined) return undefined;
  if (mapping(meta).ownerReferences !== undefined || managesUnlabelled(graph)) return undefined;
  return spec;
}

/** The names of the tree's LocalQueues in a namespace. */
function localQueuesIn(graph: ObjectGraph, ns: string | undefined): string[] {
  return graph
    .ofKind('LocalQueue')
    .filter((q) => apiGroupOf(text(q.manifest.apiVersion) ?? '') === KUEUE_GROUP && graph.namespaceOf(q.manifest) === ns)
    .map((q) => text(mapping(q.manifest.metadata).name) ?? '');
}

/** The accelerator resources (a catalogued device plugin's domain: nvidia.com/gpu, google.com/tpu, …) the object's pods request. */
function acceleratorsOf(m: Loose): string[] {
  const pods = [m, ...templatePods(m).map((p) => p.manifest)];
  const amounts = pods.flatMap((p) => Object.entries(podRequests(p).amounts));
  return [...new Set(amounts.filter(([r, v]) => v > 0 && deviceVendorOf(r) !== undefined).map(([r]) => r))];
}

/**
 * What sets Kueue up for a workload whose namespace has no LocalQueue of the tree: a ClusterQueue of the tree whose
 * namespaceSelector selects the namespace (`{}` selects every one) and that covers an accelerator its pods request, or
 * RBAC of the tree granting Kueue's controller (ServiceAccount kueue-controller-manager) its kind.
 */
export type KueueIntent =
  | { readonly by: 'cluster-queue'; readonly clusterQueues: readonly string[]; readonly resource: string }
  | { readonly by: 'grant'; readonly role: string; readonly resource: string };

/** A Kueue-integrated workload that requests accelerators Kueue is set up to share, outside any LocalQueue (KueueIntent), with its integration. */
export interface UnqueuedIntent {
  readonly intent: KueueIntent;
  readonly integration: string;
  readonly optIn: boolean;
}

/**
 * Whether a ClusterQueue's namespaceSelector selects the namespace for sure: `{}` selects every one; else the labels of
 * its Namespace in the tree match (kueue-admission namespaceAdmitted), or, with no Namespace in the tree, the selector
 * asks only for the name label the API server sets (kubernetes.io/metadata.name: <namespace>).
 */
function selects(graph: ObjectGraph, cq: GraphObject, ns: string | undefined): boolean {
  const selector = mapping(cq.manifest.spec).namespaceSelector;
  if (selector === undefined || selector === null) return false;
  const s = mapping(selector);
  const [labels, expressions] = [stringMap(s.matchLabels), mappings(s.matchExpressions)];
  if (!Object.keys(labels).length && !expressions.length) return true;
  if (ns === undefined) return false;
  const admitted = namespaceAdmitted(graph, cq, ns);
  if (admitted !== undefined) return admitted;
  return !expressions.length && Object.keys(labels).length === 1 && labels[NAMESPACE_NAME_LABEL] === ns;
}

/**
 * The Kueue set-up a workload bypasses (KueueIntent) where the tree makes no LocalQueue in its namespace: it requests
 * an accelerator, names no queue, and Kueue is not told to manage unlabelled jobs (unlabelledIntegrated).
 */
export function unqueuedIntent(graph: ObjectGraph, o: GraphObject): UnqueuedIntent | undefined {
  const spec = unlabelledIntegrated(graph, o);
  const ns = graph.namespaceOf(o.manifest);
  if (!spec || localQueuesIn(graph, ns).length) return undefined;
  const accelerators = acceleratorsOf(o.manifest);
  if (!accelerators.length) return undefined;
  const base = { integration: spec.integration, optIn: spec.optIn === true };
  for (const resource of accelerators) {
    const clusterQueues = graph
      .ofKind('ClusterQueue')
      .filter((cq) => apiGroupOf(text(cq.manifest.apiVersion) ?? '') === KUEUE_GROUP && selects(graph, cq, ns))
      .filter((cq) => mappings(mapping(cq.manifest.spec).resourceGroups).some((g) => strings(g.coveredResources).includes(resource)));
    if (clusterQueues.length) return { ...base, intent: { by: 'cluster-queue', clusterQueues: clusterQueues.map((cq) => graph.id(cq)), resource } };
  }
  const plural = resourceOfKind(String(o.manifest.kind));
  const { roles } = accountGrants(graph, KUEUE_CONTROLLER_ACCOUNT, KUEUE_NAMESPACE);
  const granted = roles.find((r) =>
    r.rules.some((rule) => ruleGrants(rule, spec.group, plural, ['get', 'list', 'watch']) && strings(rule.resources).includes(plural)),
  );
  return granted ? { ...base, intent: { by: 'grant', role: graph.id(granted.role), resource: accelerators[0] } } : undefined;
}

/** Kueue's controller account and namespace (kubernetes-sigs/kueue config/default: namespace kueue-system, config/components/rbac service_account.yaml controller-manager with the kueue- name prefix). */
const KUEUE_CONTROLLER_ACCOUNT = 'kueue-controller-manager';
const KUEUE_NAMESPACE = 'kueue-system';
