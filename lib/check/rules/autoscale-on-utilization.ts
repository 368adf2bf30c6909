import { mapping, mappings, text } from '../../manifests/access';
import { Rule } from '../rule';
import { AUTOSCALER_CLASS_ANNOTATION } from '../../k8s/keys';

export const autoscaleOnUtilization: Rule = {
  id: 'autoscale-on-utilization',
  title: 'a GPU vLLM service autoscaled on CPU or memory utilization',
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    'the service runs vLLM on GPUs with maxReplicas above minReplicas, and its autoscaler is an HPA on CPU or memory (scaleMetric concurrency or rps counts requests, not utilization: not judged)',
  example: '`scaleMetric: cpu`, `scaleTarget: 80` with `minReplicas: 1`, `maxReplicas: 3` on a vLLM predictor with `nvidia.com/gpu: "1"`',
  fix: "scale on vLLM's own signals: serving.kserve.io/autoscalerClass: keda with an External metric on vllm:num_requests_waiting (cdk8s-vllm: ScaleSignal.requestsWaiting())",
  source:
    'a GPU-bound vLLM pod keeps a few cores busy while requests queue, so CPU utilization seldom reaches the HPA target: replicas never scale out while nodes and quota are paid for the maximum (KServe RawDeployment creates a CPU HPA at 80 % when min < max and no class is set)',
  check(o, { graph }) {
    if (graph.servingKindOf(o) !== 'vllm-gpu') return [];
    const m = o.manifest;
    const predictor = mapping(mapping(m.spec).predictor);
    const min = Number(predictor.minReplicas ?? 1);
    const max = Number(predictor.maxReplicas ?? min);
    if (!(max > min)) return [];
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
          "yet nodes, quota and cost are sized for the maximum; scale on vLLM's queue (autoscalerClass: keda and an External metric on vllm:num_requests_waiting)",
      },
    ];
  },
};
