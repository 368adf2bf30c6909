import { IConstruct } from 'constructs';
import { priceOf } from '../catalog/prices';
import { InstancePrices } from '../placement/instance-prices';
import { fleetReport, PlannedService, planReport } from '../planning/plan-report';
import { VllmInferenceService } from './vllm-inference-service';
import type { VllmLlmInferenceService } from './vllm-llm-inference-service';
import { hasLlmServiceBrand } from './llm-service-brand';

/** Every vLLM InferenceService below `scope`, in tree order. */
export function inferenceServicesOf(scope: IConstruct): VllmInferenceService[] {
  return scope.node.findAll().filter((c): c is VllmInferenceService => c instanceof VllmInferenceService);
}

/** What the plan report needs of each service below `scope`: InferenceServices, and each pool of an LLMInferenceService. */
export function plannedServicesOf(scope: IConstruct): PlannedService[] {
  const prices = InstancePrices.of(scope);
  const pools = scope.node
    .findAll()
    .filter((c): c is VllmLlmInferenceService => hasLlmServiceBrand(c))
    .flatMap((s) =>
      s.pools.map((p): PlannedService => ({
        namespace: s.namespace,
        name: s.name,
        pool: {
          role: p.role,
          ...(p.topology.podsPerGroup > 1 ? { layout: `${p.replicas} LeaderWorkerSet group(s) of ${p.topology.podsPerGroup} pods` } : {}),
        },
        replicas: p.replicas * p.topology.podsPerGroup,
        gpuCount: p.topology.gpusPerPod,
        gpuName: p.instanceType.gpu.name,
        instanceTypeName: p.instanceType.name,
        instanceGpuCount: p.instanceType.gpuCount,
        price: priceOf(p.instanceType, prices),
        gpuCalibration: p.instanceType.gpu.calibration,
        plan: p.plan,
      })),
    );
  return [
    ...inferenceServicesOf(scope).map((s) => ({
      namespace: s.namespace,
      name: s.name,
      replicas: s.replicas,
      minReplicas: s.minReplicas,
      gpuCount: s.gpuCount,
      gpuName: s.instanceType.gpu.name,
      instanceTypeName: s.instanceType.name,
      instanceGpuCount: s.instanceType.gpuCount,
      price: priceOf(s.instanceType, prices),
      gpuCalibration: s.instanceType.gpu.calibration,
      plan: s.plan,
      placementChoice: s.placementChoice,
      scaling: s.scaling?.description,
      startup: s.startup,
    })),
    ...pools,
  ];
}

/**
 * The GPU plan of every vLLM service in the app `scope` belongs to, as Markdown for pull-request review (the
 * `PLAN.md` beside the manifests): model, GPUs, weights and KV cache per GPU, concurrency, verdict and cost.
 */
export function planReportOf(scope: IConstruct): string {
  return planReport(plannedServicesOf(scope.node.root));
}

/** The GPU plan of the vLLM services of one namespace (an environment of a fleet), as Markdown. */
export function planReportOfNamespace(scope: IConstruct, namespace: string): string {
  return planReport(plannedServicesOf(scope.node.root).filter((s) => s.namespace === namespace));
}

/** A fleet's summary: per environment (its services' namespace) GPUs and monthly cost, and the total. */
export function fleetReportOf(scope: IConstruct, environments: readonly { readonly name: string; readonly namespace: string }[]): string {
  const all = plannedServicesOf(scope.node.root);
  return fleetReport(environments.map((e) => ({ name: e.name, services: all.filter((s) => s.namespace === e.namespace) })));
}
