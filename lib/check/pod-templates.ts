import { isMapping, Loose, mapping, mappings } from '../manifests/access';
import { argoWorkflowPods } from './argo-workflow-pods';

/** A pod template of an object that runs several kinds of pods, with the path it is written at. */
export interface NamedPodTemplate {
  readonly path: string;
  /** The PodTemplateSpec (metadata and spec). */
  readonly template: Loose;
}

const at = (path: string, template: unknown): NamedPodTemplate[] => (isMapping(template) ? [{ path, template }] : []);

/** A RayCluster spec's pods: the head group's and each worker group's (kuberay ray-operator/apis/ray/v1 raycluster_types.go). */
function rayCluster(spec: Loose, path: string): NamedPodTemplate[] {
  return [
    ...at(`${path}.headGroupSpec.template`, mapping(spec.headGroupSpec).template),
    ...mappings(spec.workerGroupSpecs).flatMap((g, i) => at(`${path}.workerGroupSpecs[${i}].template`, g.template)),
  ];
}

/** A Kubeflow training job's replica specs by role (kubeflow/training-operator pkg/apis/kubeflow.org/v1 ReplicaSpec.Template). */
const replicaSpecs =
  (field: string) =>
  (spec: Loose): NamedPodTemplate[] =>
    Object.entries(mapping(spec[field])).flatMap(([role, r]) => at(`spec.${field}.${role}.template`, mapping(r).template));

/** An AIBrix RoleSet spec's pods, one template per role (vllm-project/aibrix api/orchestration/v1alpha1 roleset_types.go RoleSpec.Template). */
const roleSetRoles = (spec: Loose, path: string): NamedPodTemplate[] => mappings(spec.roles).flatMap((r, i) => at(`${path}.roles[${i}].template`, r.template));

/** A JobSet spec's pods, one template per replicated Job (jobset api/jobset/v1alpha2 ReplicatedJob.Template, a JobTemplateSpec). */
const jobSetJobs = (spec: Loose, path: string): NamedPodTemplate[] =>
  mappings(spec.replicatedJobs).flatMap((r, i) => at(`${path}.replicatedJobs[${i}].template.spec.template`, mapping(mapping(r.template).spec).template));

/**
 * A Kaiwo KaiwoJob's embedded workload (silogen/kaiwo apis/kaiwo/v1alpha1 kaiwojob_types.go KaiwoJobSpec: `job`, a
 * batchv1.Job, or `rayJob`, a RayJob): the Job's pod template, or the RayJob's cluster's groups. The common fields
 * Kaiwo merges in (image, resources, gpus) are not read: the templates are judged as written.
 */
function kaiwoJob(spec: Loose): NamedPodTemplate[] {
  return [
    ...at('spec.job.spec.template', mapping(mapping(spec.job).spec).template),
    ...rayCluster(mapping(mapping(mapping(spec.rayJob).spec).rayClusterSpec), 'spec.rayJob.spec.rayClusterSpec'),
  ];
}

/**
 * A Kaiwo KaiwoService's embedded workload (silogen/kaiwo apis/kaiwo/v1alpha1 kaiwoservice_types.go KaiwoServiceSpec:
 * `deployment.spec`, a DeploymentSpec, or `ray.spec`, a RayServiceSpec; earlier releases embedded a whole Deployment
 * at `deployment` and a RayService at `rayService`, whose templates sit at the same paths below them).
 */
function kaiwoService(spec: Loose): NamedPodTemplate[] {
  return [
    ...at('spec.deployment.spec.template', mapping(mapping(spec.deployment).spec).template),
    ...(['ray', 'rayService'] as const).flatMap((f) => rayCluster(mapping(mapping(mapping(spec[f]).spec).rayClusterConfig), `spec.${f}.spec.rayClusterConfig`)),
  ];
}

/**
 * Where the kinds that run several kinds of pods keep their pod templates, by kind: Ray (RayCluster, RayJob's
 * rayClusterSpec, RayService's rayClusterConfig), the Kubeflow training jobs, JobSet (jobset api/jobset/v1alpha2
 * ReplicatedJob.Template, a JobTemplateSpec), LeaderWorkerSet (lws api/leaderworkerset/v1 LeaderWorkerTemplate) and
 * AIBrix's RoleSet and StormService, whose spec.template is a RoleSet's (aibrix api/orchestration/v1alpha1
 * stormservice_types.go StormServiceSpec.Template, a RoleSetTemplateSpec).
 */
const MULTI_POD_TEMPLATES: Readonly<Record<string, (spec: Loose) => NamedPodTemplate[]>> = {
  RayCluster: (spec) => rayCluster(spec, 'spec'),
  RayJob: (spec) => rayCluster(mapping(spec.rayClusterSpec), 'spec.rayClusterSpec'),
  RayService: (spec) => rayCluster(mapping(spec.rayClusterConfig), 'spec.rayClusterConfig'),
  PyTorchJob: replicaSpecs('pytorchReplicaSpecs'),
  TFJob: replicaSpecs('tfReplicaSpecs'),
  MPIJob: replicaSpecs('mpiReplicaSpecs'),
  XGBoostJob: replicaSpecs('xgbReplicaSpecs'),
  PaddleJob: replicaSpecs('paddleReplicaSpecs'),
  JAXJob: replicaSpecs('jaxReplicaSpecs'),
  JobSet: (spec) => jobSetJobs(spec, 'spec'),
  LeaderWorkerSet: (spec) => {
    const t = mapping(spec.leaderWorkerTemplate);
    return [...at('spec.leaderWorkerTemplate.leaderTemplate', t.leaderTemplate), ...at('spec.leaderWorkerTemplate.workerTemplate', t.workerTemplate)];
  },
  // Kubeflow Trainer v2 (kubeflow/trainer pkg/apis/trainer/v1alpha1 trainingruntime_types.go): TrainingRuntimeSpec.Template
  // is a JobSetTemplateSpec, whose replicated Jobs hold the pod templates every TrainJob of the runtime runs
  TrainingRuntime: (spec) => jobSetJobs(mapping(mapping(spec.template).spec), 'spec.template.spec'),
  RoleSet: (spec) => roleSetRoles(spec, 'spec'),
  KaiwoJob: kaiwoJob,
  KaiwoService: kaiwoService,
  // Argo Workflows (argoproj.io/v1alpha1): each container, script or containerSet template runs a pod of its own
  Workflow: (spec) => argoWorkflowPods(spec, 'spec'),
  WorkflowTemplate: (spec) => argoWorkflowPods(spec, 'spec'),
  ClusterWorkflowTemplate: (spec) => argoWorkflowPods(spec, 'spec'),
  CronWorkflow: (spec) => argoWorkflowPods(mapping(spec.workflowSpec), 'spec.workflowSpec'),
  StormService: (spec) => roleSetRoles(mapping(mapping(spec.template).spec), 'spec.template.spec'),
};

/** The kinds whose objects hold several pod templates. */
export const MULTI_POD_KINDS: readonly string[] = Object.keys(MULTI_POD_TEMPLATES);

/** The pod templates of an object that runs several kinds of pods; none for other kinds. */
export function podTemplatesOf(m: Loose): NamedPodTemplate[] {
  return MULTI_POD_TEMPLATES[String(m.kind)]?.(mapping(m.spec)) ?? [];
}

/**
 * The pod specs of an object's several pod templates, each as a Pod the pod readers take (with the object's metadata),
 * and the path its findings are prefixed with.
 */
export function templatePods(m: Loose): { manifest: Loose; prefix: string }[] {
  return podTemplatesOf(m).map((t) => ({ manifest: { kind: 'Pod', metadata: m.metadata, spec: mapping(t.template.spec) }, prefix: `${t.path}.` }));
}

/** The containers and init containers of an object's several pod templates (or of the templates given), each with where it is written. */
export function templateContainers(
  m: Loose,
  templates: readonly NamedPodTemplate[] = podTemplatesOf(m),
): { readonly where: string; readonly name: string; readonly container: Loose; readonly init: boolean }[] {
  return templates.flatMap(({ path, template }) => {
    const spec = mapping(template.spec);
    const of = (list: unknown, init: boolean) =>
      mappings(list).map((c) => {
        const name = typeof c.name === 'string' ? c.name : '<unnamed>';
        return { where: `${path} ${init ? 'init container' : 'container'} '${name}'`, name, container: c, init };
      });
    return [...of(spec.initContainers, true), ...of(spec.containers, false)];
  });
}

/**
 * An InferenceService's transformer and explainer, each as a pod template: KServe runs each component as a Deployment
 * of its own whose pod fields are written inline (kserve pkg/apis/serving/v1beta1 TransformerSpec and ExplainerSpec
 * embed a PodSpec). The predictor is the service's own pod (podSpecOf); other kinds have none.
 */
export function componentTemplatesOf(m: Loose): NamedPodTemplate[] {
  if (m.kind !== 'InferenceService') return [];
  const spec = mapping(m.spec);
  return ['transformer', 'explainer'].flatMap((c) => (isMapping(spec[c]) ? [{ path: `spec.${c}`, template: { spec: spec[c] } }] : []));
}

/** The containers of an InferenceService's transformer and explainer, each with where it is written (`spec.transformer container 'c'`). */
export function componentContainers(m: Loose): ReturnType<typeof templateContainers> {
  return templateContainers(m, componentTemplatesOf(m));
}

/** The pods of an InferenceService's transformer and explainer, each as a Pod the pod readers take, with the path its findings are prefixed with. */
export function componentPods(m: Loose): { manifest: Loose; prefix: string }[] {
  return componentTemplatesOf(m).map((t) => ({ manifest: { kind: 'Pod', metadata: m.metadata, spec: mapping(t.template.spec) }, prefix: `${t.path} ` }));
}
