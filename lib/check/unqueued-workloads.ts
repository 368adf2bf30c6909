import { Loose, mapping, stringMap, text } from '../manifests/access';
import { apiGroupOf } from '../k8s/api-version';
import { HELM_HOOK_ANNOTATION, HOOK_ANNOTATION, KUEUE_GROUP, QUEUE_LABEL } from '../k8s/keys';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { operatorKueueOf } from './operator-kueue';
import { podLabelsOf } from './pods';
import { podTemplatesOf } from './pod-templates';

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
  const m: Loose = o.manifest;
  const spec = INTEGRATIONS[String(m.kind)];
  if (!spec || apiGroupOf(text(m.apiVersion) ?? '') !== spec.group) return undefined;
  const meta = mapping(m.metadata);
  const annotations = stringMap(meta.annotations);
  if (stringMap(meta.labels)[QUEUE_LABEL] || annotations[QUEUE_LABEL] || stringMap(podLabelsOf(m))[QUEUE_LABEL]) return undefined;
  if (annotations[HELM_HOOK_ANNOTATION] !== undefined || annotations[HOOK_ANNOTATION] !== undefined) return undefined;
  if (mapping(meta).ownerReferences !== undefined) return undefined;
  const ns = graph.namespaceOf(m);
  const queues = graph
    .ofKind('LocalQueue')
    .filter((q) => apiGroupOf(text(q.manifest.apiVersion) ?? '') === KUEUE_GROUP && graph.namespaceOf(q.manifest) === ns)
    .map((q) => text(mapping(q.manifest.metadata).name) ?? '');
  if (!queues.length) return undefined;
  const defaults = ['default', ...operatorKueueOf(graph).names.LocalQueue];
  if (queues.some((q) => defaults.includes(q))) return undefined;
  const named = namedQueues(graph, ns);
  if (queues.some((q) => named.has(q)) || managesUnlabelled(graph)) return undefined;
  return { queues, integration: spec.integration, optIn: spec.optIn === true };
}
