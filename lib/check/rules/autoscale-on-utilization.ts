import { Loose, mapping, mappings, text } from '../../manifests/access';
import { requestsAccelerator } from '../gpu-supply';
import { GraphObject } from '../graph-object';
import { REPLICATED_KINDS } from '../pods';
import { Problem, Rule, CheckContext } from '../rule';
import { workloadVllmLines } from '../workload-lines';
import { vllmServerEvidence } from '../vllm-server';
import { AUTOSCALER_CLASS_ANNOTATION, KNATIVE_AUTOSCALING_CLASS_ANNOTATION, KNATIVE_HPA_CLASS } from '../../k8s/keys';
import { knativeMode, rawDeploymentMode } from '../kserve-mode';
import { Platform } from '../platform';
import { renderedByConstructs } from '../construct-rendered';

/**
 * The fewest replicas the autoscaler keeps: KServe's HPA takes minReplicas below 1 as 1 (kserve
 * pkg/controller/v1beta1/inferenceservice/reconcilers/hpa/hpa_reconciler.go createHPA: constants.DefaultMinReplicas),
 * and an HPA at minReplicas 0 (HPAScaleToZero) wakes to one replica, not on utilization.
 */
const floor = (min: number): number => Math.max(min, 1);

export const autoscaleOnUtilization: Rule = {
  id: 'autoscale-on-utilization',
  title: 'a GPU vLLM service autoscaled on CPU or memory utilization',
  severity: 'warning',
  appliesTo: ['InferenceService', 'HorizontalPodAutoscaler'],
  premise:
    "the service runs vLLM on GPUs with maxReplicas above minReplicas and above 1 (a minimum of 0 is taken as 1: KServe's HPA never goes below one replica, and maxReplicas 1 leaves nothing to scale out to), and its autoscaler is an HPA on CPU or memory: in raw deployment mode (the annotation, the tree's default or a platform without Knative says so) KServe's HPA (autoscalerClass hpa, the default), on Knative only with the class hpa.autoscaling.knative.dev (Knative's default KPA scales on requests in flight; an unset mode where the cluster's default is taken for Knative's, as OpenShift AI 2.x and upstream KServe ship it, is Knative's) (scaleMetric concurrency or rps counts requests, not utilization: not judged); a HorizontalPodAutoscaler of the tree with maxReplicas above minReplicas and above 1 whose only metrics are CPU or memory utilization (autoscaling/v1: targetCPUUtilizationPercentage or its default) and whose target is a Deployment, StatefulSet, Argo Rollout or DeploymentConfig of the tree with a container that requests GPUs and runs vLLM's server (its command line starts it, a program of it or its first operand names vllm, or, for a wrapper the tree does not show (an unknown image's entrypoint, a shell script), two vLLM-only VLLM_* env names: vllm-server.ts) (an HPA with another metric beside them scales on the highest proposal: not judged)",
  example: '`scaleMetric: cpu`, `scaleTarget: 80` with `minReplicas: 1`, `maxReplicas: 3` on a vLLM predictor with `nvidia.com/gpu: "1"`',
  fix: "scale on vLLM's own signals: the annotation serving.kserve.io/autoscalerClass: keda with spec.predictor.autoScaling.metrics of type External on vllm:num_requests_waiting (an HPA: a Pods or External metric, or a KEDA ScaledObject)",
  source:
    'a GPU-bound vLLM pod keeps a few cores busy while requests queue, so CPU utilization seldom reaches the HPA target: replicas never scale out while nodes and quota are paid for the maximum (KServe RawDeployment creates a CPU HPA at 80 % when min < max and no class is set; kserve pkg/controller/v1beta1/inferenceservice/reconcilers/hpa/hpa_reconciler.go createHPA raises minReplicas below 1 to 1 and maxReplicas below it to it)',
  check(o, { graph, platform }) {
    if (o.manifest.kind === 'HorizontalPodAutoscaler') return hpaProblems(o, graph);
    if (graph.servingKindOf(o) !== 'vllm-gpu' || !scaledByHpa(o.manifest, platform, graph)) return [];
    const m = o.manifest;
    const predictor = mapping(mapping(m.spec).predictor);
    const min = Number(predictor.minReplicas ?? 1);
    const max = Number(predictor.maxReplicas ?? min);
    if (!(max > floor(min))) return [];
    const cls = text(mapping(mapping(m.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION]) ?? 'hpa';
    if (cls !== 'hpa') return [];
    const metrics = mappings(mapping(predictor.autoScaling).metrics);
    // concurrency and rps count requests (Knative's queue-proxy), which rise as requests queue: not utilization
    const resource = (metrics.length ? metrics.map((x) => text(mapping(x.resource).name)) : [text(predictor.scaleMetric) ?? 'cpu']).find(
      (n) => n === 'cpu' || n === 'memory',
    );
    if (!resource || metrics.some((x) => x.type !== 'Resource')) return [];
    return [
      {
        message:
          `scales ${min}..${max} on ${resource} utilization, which a GPU-bound vLLM pod seldom reaches while requests queue: it is unlikely ever to scale out, ` +
          `yet nodes, quota and cost are sized for the maximum; ${
            renderedByConstructs(o)
              ? "scale on vLLM's queue: give VllmInferenceService's autoscaling signal ScaleSignal.requestsWaiting() (its default)"
              : `scale on vLLM's queue: annotate ${AUTOSCALER_CLASS_ANNOTATION}: keda and set spec.predictor.autoScaling.metrics to an External metric on vllm:num_requests_waiting`
          }`,
      },
    ];
  },
};

/**
 * Whether an InferenceService's replicas are scaled by an HPA, as KServe sets it up for the service's deployment mode
 * (the one reader of it, kserve-mode.ts): in raw deployment mode KServe makes an HPA (autoscalerClass hpa by default);
 * on Knative, KServe gives the Knative Service the KPA class unless the service sets Knative's HPA class, and the KPA
 * scales on requests in flight (concurrency by default; KServe's webhook refuses cpu or memory with the KPA), so only
 * that class is an HPA there (kserve pkg/controller/v1beta1/inferenceservice/reconcilers/knative; KServe docs
 * "Autoscale InferenceService": Serverless defaults to KPA on concurrency). A mode the tree and platform leave open
 * (ModelMesh, or a cluster default not known to be raw) is not judged.
 */
function scaledByHpa(isvc: Loose, platform: Platform, graph: CheckContext['graph']): boolean {
  if (knativeMode(isvc, platform, graph)) return text(mapping(mapping(isvc.metadata).annotations)[KNATIVE_AUTOSCALING_CLASS_ANNOTATION]) === KNATIVE_HPA_CLASS;
  return rawDeploymentMode(isvc, platform, graph);
}

const SCALE_ON_QUEUE = "scale on vLLM's queue instead (a KEDA ScaledObject or an External/Pods metric on vllm:num_requests_waiting)";

/** The utilization resource an HPA scales on when it scales on nothing else: v2 Resource metrics, v1's CPU target (80 % by default). */
function utilizationOnly(hpa: Loose): string | undefined {
  const spec = mapping(hpa.spec);
  if (String(hpa.apiVersion) === 'autoscaling/v1') return 'cpu';
  const metrics = mappings(spec.metrics);
  if (!metrics.length) return 'cpu';
  if (metrics.some((x) => x.type !== 'Resource' && x.type !== 'ContainerResource')) return undefined;
  return metrics.map((x) => text(mapping(x.type === 'Resource' ? x.resource : x.containerResource).name)).find((n) => n === 'cpu' || n === 'memory');
}

/** An HPA whose target is a vLLM workload on GPUs, scaled on CPU or memory only. */
function hpaProblems(o: GraphObject, graph: CheckContext['graph']): Problem[] {
  const spec = mapping(o.manifest.spec);
  const min = Number(spec.minReplicas ?? 1);
  const max = Number(spec.maxReplicas);
  const ref = mapping(spec.scaleTargetRef);
  const kind = text(ref.kind);
  if (!(max > floor(min)) || !kind || !REPLICATED_KINDS.includes(kind)) return [];
  // a target declared twice (a CPU and a GPU variant in one folder) is judged by each declaration
  const onGpus = graph
    .findAll(kind, ref.name, graph.namespaceOf(o.manifest))
    .flatMap((t) => workloadVllmLines(t.manifest).filter((c) => requestsAccelerator([c.container])))
    .map((c) => ({ c, evidence: vllmServerEvidence(c) }))
    .find((x) => x.evidence !== undefined);
  if (!onGpus) return [];
  const resource = utilizationOnly(o.manifest);
  if (!resource) return [];
  return [
    {
      message:
        `scales ${kind} ${text(ref.name)} (vLLM on GPUs${onGpus.evidence?.how === 'argv' ? '' : `: ${onGpus.c.where} requests GPUs and ${onGpus.evidence?.said}`}) ${min}..${max} on ${resource} utilization only, which a GPU-bound vLLM pod seldom reaches while requests queue: ` +
        `it is unlikely ever to scale out, yet nodes, quota and cost are sized for the maximum; ${SCALE_ON_QUEUE}`,
    },
  ];
}
