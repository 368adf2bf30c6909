import { mapping, mappings, text } from '../../manifests/access';
import { groupVersionOf } from '../../k8s/api-version';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** What an autoscaler should do instead of scaling a kind without /scale, by family. */
const KNATIVE_FIX =
  'Knative scales the revisions of its Service itself (its autoscaler, or an HPA it makes with the class hpa.autoscaling.knative.dev): ' +
  'set the autoscaling.knative.dev annotations (min-scale, max-scale, metric, target, class) on spec.template.metadata.annotations, ' +
  "or, for a KServe predictor (<isvc>-predictor), minReplicas, maxReplicas, scaleMetric and scaleTarget on the InferenceService's predictor; and delete this autoscaler";
const KSERVE_FIX =
  'KServe scales what it makes for the service: set minReplicas, maxReplicas, scaleMetric and scaleTarget on the predictor (serving.kserve.io/autoscalerClass: keda for KEDA); to scale it with this autoscaler in raw deployment mode, annotate the InferenceService serving.kserve.io/autoscalerClass: external and target the Deployment <name>-predictor';
const RAY_FIX =
  "KubeRay scales a cluster's worker groups with its own autoscaler (spec.enableInTreeAutoscaling), not through /scale: use that, and delete this autoscaler";
const NO_REPLICAS_FIX = 'target the Deployment or StatefulSet that runs the pods';

/**
 * Whether a kind has the /scale subresource an autoscaler reads and writes, with its source: Kubernetes serves it for
 * deployments, statefulsets, replicasets and replicationcontrollers, not daemonsets, jobs, cronjobs, pods or services
 * (kubernetes pkg/registry/apps/rest/storage_apps.go: `deployments/scale`, `statefulsets/scale`, `replicasets/scale`,
 * daemonsets with status only; pkg/registry/core/rest/storage_core.go: `replicationcontrollers/scale`); custom kinds as their CRD declares subresources.scale, read from each
 * project's CRD: LeaderWorkerSet (lws config/crd, scale on .status.hpaPodSelector), Argo Rollouts' Rollout
 * (manifests/crds/rollout-crd.yaml), OpenShift's MachineSet, and OpenShift's DeploymentConfig (openshift-apiserver
 * serves deploymentconfigs/scale); Knative Serving's Service, Configuration, Revision and
 * Route (knative/serving config/core/300-resources: status only), KServe's InferenceService, LLMInferenceService,
 * InferenceGraph and ServingRuntime (kserve config/crd/full: status only, or none), KubeRay's RayCluster, RayService
 * and RayJob (ray-operator/config/crd/bases: status only). A kind not listed is not judged.
 */
const SCALE_SUBRESOURCE: Readonly<Record<string, { readonly scalable: boolean; readonly fix?: string; readonly why?: string }>> = {
  'apps/Deployment': { scalable: true },
  'apps/StatefulSet': { scalable: true },
  'apps/ReplicaSet': { scalable: true },
  '/ReplicationController': { scalable: true },
  'leaderworkerset.x-k8s.io/LeaderWorkerSet': { scalable: true },
  'argoproj.io/Rollout': { scalable: true },
  'apps.openshift.io/DeploymentConfig': { scalable: true },
  'machine.openshift.io/MachineSet': { scalable: true },
  'apps/DaemonSet': { scalable: false, why: 'a DaemonSet runs one pod per node, it has no replicas', fix: NO_REPLICAS_FIX },
  'batch/Job': { scalable: false, why: 'a Job runs to completion, it has no replicas', fix: `${NO_REPLICAS_FIX} (KEDA scales jobs with a ScaledJob)` },
  'batch/CronJob': { scalable: false, why: 'a CronJob has no replicas', fix: `${NO_REPLICAS_FIX} (KEDA scales jobs with a ScaledJob)` },
  '/Pod': { scalable: false, why: 'a Pod has no replicas', fix: NO_REPLICAS_FIX },
  '/Service': { scalable: false, why: 'a core Service has no replicas', fix: NO_REPLICAS_FIX },
  ...Object.fromEntries(
    ['Service', 'Configuration', 'Revision', 'Route'].map((k) => [
      `serving.knative.dev/${k}`,
      { scalable: false, why: "Knative Serving's CRD declares subresources: status only", fix: KNATIVE_FIX },
    ]),
  ),
  ...Object.fromEntries(
    ['InferenceService', 'LLMInferenceService', 'InferenceGraph', 'ServingRuntime'].map((k) => [
      `serving.kserve.io/${k}`,
      { scalable: false, why: "KServe's CRD declares no scale subresource", fix: KSERVE_FIX },
    ]),
  ),
  ...Object.fromEntries(
    ['RayCluster', 'RayService', 'RayJob'].map((k) => [
      `ray.io/${k}`,
      { scalable: false, why: "KubeRay's CRD declares subresources: status only", fix: RAY_FIX },
    ]),
  ),
};

/** The target an autoscaler names: its group, version and kind (a ScaledObject defaults to apps/v1 Deployment), and its name. */
function targetOf(o: GraphObject): { group: string; version: string; kind: string; name: string } | undefined {
  const ref = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const keda = o.manifest.kind === 'ScaledObject';
  const kind = text(ref.kind) ?? (keda ? 'Deployment' : undefined);
  const name = text(ref.name);
  if (!kind || !name) return undefined;
  return { ...groupVersionOf(text(ref.apiVersion) ?? (keda ? 'apps/v1' : '')), kind, name };
}

/**
 * What the input says of the kind's /scale: a CustomResourceDefinition of the tree for it decides (subresources.scale
 * in the version named, else in any served version); else the table above; undefined when neither knows the kind.
 */
function scaleOf(graph: ObjectGraph, group: string, version: string, kind: string): { scalable: boolean; fix?: string; why?: string } | undefined {
  const crds = graph.crdsDefining(group, kind);
  if (crds.length) {
    const versions = crds.flatMap((c) => mappings(mapping(c.manifest.spec).versions));
    const named = versions.filter((v) => text(v.name) === version);
    const scalable = (named.length ? named : versions).some((v) => mapping(v.subresources).scale !== undefined);
    return scalable
      ? { scalable }
      : {
          scalable,
          why: `its CustomResourceDefinition in the tree declares no subresources.scale`,
          fix: 'add subresources.scale to the CRD (specReplicasPath, statusReplicasPath, labelSelectorPath), or target the workload its controller makes',
        };
  }
  return SCALE_SUBRESOURCE[`${group}/${kind}`];
}

function targetProblem(o: GraphObject, graph: ObjectGraph): Problem[] {
  const target = targetOf(o);
  if (!target) return [];
  const scale = scaleOf(graph, target.group, target.version, target.kind);
  if (!scale || scale.scalable) return [];
  const effect =
    o.manifest.kind === 'ScaledObject'
      ? `KEDA cannot read its /scale ("Target resource doesn't expose /scale subresource"), marks the ScaledObject not ready and scales nothing`
      : 'the HPA controller cannot read its /scale, reports FailedGetScale (condition AbleToScale False) and scales nothing';
  const named = `${target.group ? `${target.group}/${target.version} ` : ''}${target.kind} '${target.name}'`;
  return [{ message: `spec.scaleTargetRef names ${named}, a kind with no scale subresource (${scale.why}): ${effect}; ${scale.fix}` }];
}

export const scaleTargetNotScalable: Rule = {
  id: 'scale-target-not-scalable',
  title:
    'an HPA or KEDA ScaledObject scales a kind with no scale subresource (a Knative Service, a KServe InferenceService, a DaemonSet, a Job): it scales nothing',
  severity: 'error',
  appliesTo: ['HorizontalPodAutoscaler', 'ScaledObject'],
  premise:
    "spec.scaleTargetRef's kind (a ScaledObject without one means apps/v1 Deployment) in its API group is one whose /scale subresource the check knows to be absent: a CustomResourceDefinition of the tree for it without subresources.scale, " +
    "or a kind of the table: Knative Serving's Service, Configuration, Revision and Route; KServe's InferenceService, LLMInferenceService, InferenceGraph and ServingRuntime; KubeRay's RayCluster, RayService and RayJob; DaemonSet, Job, CronJob, Pod and core Service. " +
    'Deployments, StatefulSets, ReplicaSets, ReplicationControllers, LeaderWorkerSets, Argo Rollouts, DeploymentConfigs, MachineSets and a CRD of the tree with subresources.scale are scalable; any other kind is not judged (scale-target-not-found judges the name)',
  example: '`scaleTargetRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: chat-predictor}` in a HorizontalPodAutoscaler',
  fix: "scale what the kind's own controller scales: Knative scales its revisions itself (autoscaling.knative.dev annotations on the Service's template), KServe its predictor (minReplicas, maxReplicas, scaleMetric, scaleTarget, serving.kserve.io/autoscalerClass); else target the Deployment or StatefulSet that runs the pods",
  source:
    'kubernetes pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler (a target whose /scale cannot be read: event and condition FailedGetScale, AbleToScale False); kubernetes pkg/registry/apps/rest/storage_apps.go and core/rest/storage_core.go (the built-in kinds that serve /scale); ' +
    'kedacore/keda controllers/keda/scaledobject_controller.go checkTargetResourceIsScalable ("Target resource doesn\'t expose /scale subresource", the ScaledObject not Ready); ' +
    'knative/serving config/core/300-resources/service.yaml, configuration.yaml, revision.yaml, route.yaml (subresources: status only); kserve config/crd/full serving.kserve.io_inferenceservices.yaml and llmisvc (status only); ' +
    'kuberay ray-operator/config/crd/bases (status only); lws config/crd (subresources.scale); argo-rollouts manifests/crds/rollout-crd.yaml (subresources.scale)',
  check(o, { graph }) {
    if (o.manifest.kind === 'ScaledObject' && !/^keda\.sh\//.test(text(o.manifest.apiVersion) ?? '')) return [];
    if (o.manifest.kind === 'HorizontalPodAutoscaler' && !/^autoscaling\//.test(text(o.manifest.apiVersion) ?? '')) return [];
    return targetProblem(o, graph);
  },
};
