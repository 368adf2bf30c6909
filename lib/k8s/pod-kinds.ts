import { apiGroupOf } from './api-version';

/**
 * The kinds that run pods from one pod template written in the object (a Pod is its own), each with the API groups it
 * is served in: a custom kind of the same name in another group (a `Rollout` of another project) is not one of them.
 * - Pod (core), Job and CronJob (batch), Deployment, StatefulSet, DaemonSet, ReplicaSet (apps; Deployment, DaemonSet
 *   and ReplicaSet also in the removed extensions/v1beta1): k8s.io/api core/v1, batch/v1, apps/v1.
 * - Rollout (argoproj.io): Argo Rollouts pkg/apis/rollouts/v1alpha1 types.go RolloutSpec.Template, a PodTemplateSpec,
 *   with a metav1.LabelSelector; a Rollout with spec.workloadRef instead runs the referenced Deployment's template.
 * - DeploymentConfig (apps.openshift.io): openshift/api apps/v1 types.go DeploymentConfigSpec.Template, a
 *   PodTemplateSpec, with spec.selector a plain label map.
 * - Notebook (kubeflow.org): kubeflow/kubeflow components/notebook-controller api/v1 notebook_types.go
 *   NotebookSpec.Template (NotebookTemplateSpec: a PodSpec under spec), from which the notebook controller (and
 *   OpenShift AI's odh-notebook-controller) makes a StatefulSet of one pod: the pod's volumes, ConfigMaps, Secrets and
 *   ServiceAccount are written here. It has no selector and no pod labels of its own.
 */
export const POD_TEMPLATE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Pod: [''],
  Job: ['batch'],
  CronJob: ['batch'],
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  Rollout: ['argoproj.io'],
  DeploymentConfig: ['apps.openshift.io'],
  Notebook: ['kubeflow.org'],
};

/** The kinds of POD_TEMPLATE_GROUPS, in its order. */
export const POD_TEMPLATE_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_GROUPS);

/**
 * Kinds that only exist as a custom resource of their group, so the group is required: a Kubernetes kind with no
 * apiVersion written is still read as itself (kustomize patches and partial objects omit it), a Rollout is not.
 */
const GROUP_REQUIRED: ReadonlySet<string> = new Set(['Rollout', 'DeploymentConfig', 'Notebook']);

/** Whether the kind is a pod-template kind only in its own group (a custom kind's name that other projects use too). */
export function groupRequired(kind: unknown): boolean {
  return GROUP_REQUIRED.has(String(kind));
}

/** Whether an object is of one of the pod-template kinds in the group that serves it. */
export function isPodTemplateKind(m: { readonly kind?: unknown; readonly apiVersion?: unknown }): boolean {
  const kind = String(m.kind);
  if (!Object.hasOwn(POD_TEMPLATE_GROUPS, kind)) return false;
  const groups = POD_TEMPLATE_GROUPS[kind];
  if (typeof m.apiVersion !== 'string' || m.apiVersion === '') return !GROUP_REQUIRED.has(kind);
  return groups.includes(apiGroupOf(m.apiVersion));
}
