import { Loose, mapping, mappings, shown, text } from '../../manifests/access';
import { autoscalerProblems, JudgedContainer, JudgedPod, podSpecProblems, PodSpecProblem } from '../../validation/pod-spec';
import { containersOf } from '../pods';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { refusalOf } from '../label-fields';
import { podSpecPath, WrittenPodSpec, writtenPodSpecs } from '../pod-spec-fields';
import { Problem, Rule } from '../rule';
import { predictorModelOf } from '../runtime-selection';
import { holdsTemplate } from '../template-syntax';
import { GPU_RESOURCE, HARDWARE_PROFILE_ANNOTATION } from '../../k8s/keys';
import { POD_TEMPLATE_KINDS } from '../../k8s/pod-kinds';

/**
 * The volumes KServe's storage initializer adds to a service's pods (kserve pkg/webhook/admission/pod
 * storage_initializer_injector.go: StorageInitializerVolumeName, PvcSourceMountName, CaBundleVolumeName, and the
 * older custom-certs): a container may mount them without the service naming them.
 */
const KSERVE_VOLUMES: ReadonlySet<string> = new Set(['kserve-provision-location', 'kserve-pvc-source', 'cabundle-cert', 'custom-certs']);

/**
 * The restart policies a workload's own validation allows (apps and batch validation; openshift-apiserver's
 * ValidateDeploymentConfigSpec allows Always only, and a Rollout's ReplicaSets are apps/v1 ReplicaSets).
 */
const OWNER_RESTART: Readonly<Record<string, JudgedPod['restartPolicy']>> = {
  Deployment: { allowed: ['Always'], required: false, owner: 'Deployment' },
  StatefulSet: { allowed: ['Always'], required: false, owner: 'StatefulSet' },
  DaemonSet: { allowed: ['Always'], required: false, owner: 'DaemonSet' },
  ReplicaSet: { allowed: ['Always'], required: false, owner: 'ReplicaSet' },
  Rollout: { allowed: ['Always'], required: false, owner: 'Rollout' },
  DeploymentConfig: { allowed: ['Always'], required: false, owner: 'DeploymentConfig' },
  Job: { allowed: ['OnFailure', 'Never'], required: true, owner: 'Job' },
  CronJob: { allowed: ['OnFailure', 'Never'], required: true, owner: 'CronJob' },
};

/**
 * An InferenceService component's pod spec (predictor, transformer, explainer) becomes a Deployment's template in
 * RawDeployment mode (kserve pkg/controller/v1beta1/inferenceservice/reconcilers/deployment), which allows Always only,
 * and a Knative Service's in Serverless mode, whose webhook refuses the field whatever its value (knative serving
 * pkg/apis/serving/fieldmask.go PodSpecMask lists RestartPolicy among the disallowed fields; ValidatePodSpec reports
 * "must not set the field(s)"): a policy other than Always fails in both modes.
 */
const ISVC_RESTART: JudgedPod['restartPolicy'] = {
  allowed: ['Always'],
  required: false,
  owner: 'KServe InferenceService component',
  why: "KServe's Deployment allows Always only, and in Serverless mode Knative refuses any restartPolicy: remove the field",
};

const names = (volumes: unknown) => mappings(volumes).flatMap((v) => (typeof v.name === 'string' ? [v.name] : []));

const claimTemplates = (m: Loose) => mappings(mapping(m.spec).volumeClaimTemplates).flatMap((t) => names([mapping(t.metadata)]));

function listed(list: unknown, at: string, init: boolean, skip?: (c: Loose) => boolean): JudgedContainer[] {
  return mappings(list).flatMap((container, i) => (skip?.(container) ? [] : [{ at: `${at}[${i}]`, container, init }]));
}

/** A pod spec as written: its containers and init containers, its volumes where nothing else adds some. */
function writtenPod(m: Loose, w: WrittenPodSpec): JudgedPod {
  const kind = String(m.kind);
  const containers = [...listed(w.spec.initContainers, `${w.path}.initContainers`, true), ...listed(w.spec.containers, `${w.path}.containers`, false)];
  // a runtime's pods also get the service's volumes, an LLMInferenceService's its presets' and its controller's
  const volumesKnown = kind !== 'ServingRuntime' && kind !== 'LLMInferenceService';
  return {
    at: w.path,
    spec: w.spec,
    containers,
    // a StatefulSet's claim templates are volumes of its pods too (apps ValidateStatefulSetSpec)
    ...(volumesKnown ? { volumes: new Set([...names(w.spec.volumes), ...(kind === 'StatefulSet' ? claimTemplates(m) : [])]) } : {}),
    ...(kind === 'InferenceService' ? { addedVolumes: KSERVE_VOLUMES } : {}),
    // an LLMInferenceService's template is a strategic merge patch on its presets: items of one name merge into one
    listsWhole: kind !== 'LLMInferenceService',
    ...(w.path === podSpecPath(m) && OWNER_RESTART[kind] ? { restartPolicy: OWNER_RESTART[kind] } : {}),
    ...(kind === 'InferenceService' ? { restartPolicy: ISVC_RESTART } : {}),
  };
}

/**
 * The predictor's pod as KServe builds it (MergeRuntimeContainers, mergePodSpec): the runtime's containers, the
 * model's merged into its kserve-container, then the predictor's own; the runtime's volumes and the predictor's.
 */
function predictorPod(m: Loose, runtime: GraphObject | undefined): JudgedPod {
  const p = mapping(mapping(m.spec).predictor);
  const model = predictorModelOf(m);
  if (!model) return writtenPod(m, { path: 'spec.predictor', spec: p });
  const own = listed(p.containers, 'spec.predictor.containers', false, (c) => c.name === 'kserve-container');
  const init = listed(p.initContainers, 'spec.predictor.initContainers', true);
  if (!runtime)
    return {
      at: 'spec.predictor',
      spec: p,
      restartPolicy: ISVC_RESTART,
      containers: [...init, { at: model.field, container: { name: 'kserve-container', ...model.spec }, init: false }, ...own],
    };
  const rt = mapping(runtime.manifest.spec);
  const rtName = text(runtime.manifest.metadata?.name) ?? '';
  const merged = containersOf(m, runtime.manifest)[0];
  const sidecars = listed(rt.containers, `ServingRuntime ${rtName} spec.containers`, false, (c) => c.name === 'kserve-container');
  return {
    at: 'spec.predictor',
    spec: p,
    containers: [
      ...init,
      { at: model.field, note: `merged with ServingRuntime ${rtName}'s kserve-container`, container: merged.container, init: false },
      ...sidecars,
      ...own,
    ],
    volumes: new Set([...names(rt.volumes), ...names(p.volumes)]),
    addedVolumes: KSERVE_VOLUMES,
    restartPolicy: ISVC_RESTART,
  };
}

/** The pods of an object, and what another finding already says about them. */
interface Judged {
  readonly pods: readonly JudgedPod[];
  readonly saidElsewhere: (p: PodSpecProblem) => boolean;
}

/** A limit or a probe's handler another object may give: a preset, a runtime outside the tree, a hardware profile. */
const MERGE_MAY_GIVE = /Limit must be set|must specify a handler type/;

function servicePods(o: GraphObject, graph: ObjectGraph): Judged {
  const m = o.manifest;
  // OpenShift AI's hardware profile webhook writes the profile's requests and limits into the pod spec
  const profiled = !!mapping(mapping(m.metadata).annotations)[HARDWARE_PROFILE_ANNOTATION];
  const templated = (p: PodSpecProblem) => (typeof p.value === 'string' && holdsTemplate(p.value)) || (profiled && p.says.includes('Limit must be set'));
  // an LLMInferenceService's template is merged onto its presets, which may give a limit or a probe's handler
  if (m.kind === 'LLMInferenceService')
    return { pods: writtenPodSpecs(m).map((w) => writtenPod(m, w)), saidElsewhere: (p) => templated(p) || MERGE_MAY_GIVE.test(p.says) };
  if (m.kind !== 'InferenceService') return { pods: writtenPodSpecs(m).map((w) => writtenPod(m, w)), saidElsewhere: templated };
  const model = predictorModelOf(m);
  const runtime = model ? graph.runtimeOf(m) : undefined;
  // the model container of a runtime outside the tree is a patch on that runtime's kserve-container
  const patch = !!model && !runtime;
  // a runtime's own mistakes are reported on the runtime, not again on each service that uses it
  const onRuntime = new Set(
    runtime ? podSpecProblems(writtenPod(runtime.manifest, { path: 'spec', spec: mapping(runtime.manifest.spec) })).map((p) => p.key) : [],
  );
  // tensor-parallel-gpu-mismatch says when a vLLM service's GPU request and limit differ
  const gpuEquality = graph.servingKindOf(o) === 'vllm-gpu' ? `kserve-container|resources.requests.${GPU_RESOURCE}|must be equal` : undefined;
  const others = writtenPodSpecs(m).filter((w) => w.path !== 'spec.predictor');
  return {
    pods: [predictorPod(m, runtime), ...others.map((w) => writtenPod(m, w))],
    saidElsewhere: (p) =>
      templated(p) ||
      (onRuntime.has(p.key) && !p.key.startsWith('|')) ||
      (!!gpuEquality && p.key.startsWith(gpuEquality)) ||
      (patch && p.key.startsWith('kserve-container|') && MERGE_MAY_GIVE.test(p.says)),
  };
}

const message = (p: Omit<PodSpecProblem, 'key'>, refuser: string) =>
  `${p.field}${shown(p.value) ? ` '${shown(p.value)}'` : ''}${p.note ? ` (${p.note})` : ''}: ${refuser} ("${p.says}"); ${p.fix}`;

export const podSpecInvalid: Rule = {
  id: 'pod-spec-invalid',
  title:
    'a pod spec value the API server refuses though the schema admits it: a toleration operator other than Equal or Exists, Exists with a value, a request above its limit or a GPU request without its limit, a volume mount naming no volume, two volumes of one name or two mounts of a container at one path, two probe handlers, a probe or hook port given as a quoted number (a port name needs a letter), duplicate container or port names, an unknown restart, DNS or pull policy; and an HPA with minReplicas 0',
  severity: 'error',
  appliesTo: [
    ...POD_TEMPLATE_KINDS,
    'InferenceService',
    'ServingRuntime',
    'LLMInferenceService',
    'RayCluster',
    'RayJob',
    'RayService',
    'PyTorchJob',
    'TFJob',
    'MPIJob',
    'XGBoostJob',
    'PaddleJob',
    'JobSet',
    'LeaderWorkerSet',
    'HorizontalPodAutoscaler',
  ],
  premise:
    "every pod spec the tree holds (a restart policy its owner does not allow: a Deployment's Always only, a Job's OnFailure or Never, an InferenceService component's Always only, Knative refusing the field in Serverless mode): built-in workloads' templates, an InferenceService's predictor (the model container merged with its runtime's kserve-container, the runtime's volumes and the predictor's), transformer and explainer, a ServingRuntime's spec, an LLMInferenceService's template, worker and prefill pool, the templates of Ray, Kubeflow training jobs, JobSet and LeaderWorkerSet; " +
    "volume mounts are judged where the pod's volumes are known (a StatefulSet's claim templates and KServe's storage volumes count; not on a runtime alone, whose services add theirs, nor on an LLMInferenceService, whose presets do); " +
    "two volumes of one name and two mounts of one container (init containers too) at one path are judged where the lists are the pod's as written (a workload's template, a ServingRuntime's spec, a predictor of custom containers): not in a predictor's volumes or a model container's mounts, which KServe merges onto its runtime's by strategic merge patch (MergePodSpec, MergeRuntimeContainers: items of one name or mount path merge into one), nor in an LLMInferenceService's template, a patch on its presets; an LLMInferenceService's template is a patch on its presets, and a model container whose runtime is outside the tree a patch on that runtime's, so a request without a limit or a probe without a handler there is not judged, nor a missing limit where a hardware profile is annotated; a runtime's mistake is reported on the runtime, not again on its services; values holding a placeholder are judged once rendered",
  example: '`operator: Equals` in an InferenceService predictor\'s tolerations, or `operator: Exists` with `value: "true"`',
  fix: 'write what the API server accepts: operator Equal or Exists (no value with Exists), requests at most their limits and GPU requests equal to limits, mounts naming volumes of the pod, each volume name once and each mount path once per container, probe ports as numbers without quotes or as port names',
  source:
    'kubernetes pkg/apis/core/validation/validation.go ValidatePodSpec: validateTolerations, validateRestartPolicy (an InferenceService component: Always only, knative serving pkg/apis/serving/fieldmask.go PodSpecMask disallowing the field in Serverless mode), validateDNSPolicy, validatePodDNSConfig, validateContainers and validateInitContainers (names), validateContainerPorts, validatePullPolicy, validateEnvVarValueFrom, ValidateContainerResourceRequirements ("must be less than or equal to … limit", "Limit must be set for non overcommitable resources"), validateProbe and validateLifecycle ("may not specify more than 1 handler type"; validateHTTPGetAction and validateTCPSocketAction → ValidatePortNumOrName: an IntOrString port written as a string is a port name, apimachinery pkg/util/validation IsValidPortName "must contain at least one letter (a-z)"), ValidateVolumes (a volume name twice: "Duplicate value") and ValidateVolumeMounts (a mount path twice in a container: "must be unique"); kserve pkg/controller/v1beta1/inferenceservice/utils MergePodSpec and MergeRuntimeContainers (strategic merge patches, merging items of one name or mount path); pkg/apis/apps/validation and pkg/apis/batch/validation (restart policies); pkg/apis/autoscaling/validation ValidateHorizontalPodAutoscalerSpec (minReplicas); KServe makes a Deployment of each InferenceService component, which the API server then refuses',
  check(o, { graph }) {
    const m = o.manifest;
    if (m.kind === 'HorizontalPodAutoscaler')
      return autoscalerProblems(mapping(m.spec)).map((p): Problem => ({ message: message(p, 'the API server refuses the HorizontalPodAutoscaler') }));
    const refuser = refusalOf(m);
    const { pods, saidElsewhere } = servicePods(o, graph);
    const seen = new Set<string>();
    return pods
      .flatMap((pod) => podSpecProblems(pod))
      .filter((p) => !saidElsewhere(p))
      .map((p): Problem => ({ message: message(p, refuser) }))
      .filter((p) => !seen.has(p.message) && !!seen.add(p.message));
  },
};
