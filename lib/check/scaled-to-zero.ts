import { mapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { REPLICATED_KINDS } from './pods';

/** The workloads whose replica count alone decides whether any pod runs. */
const REPLICATED = REPLICATED_KINDS;

/** The autoscalers that raise a workload's replicas from what the tree delivers, with the kind a missing scaleTargetRef.kind means. */
const AUTOSCALERS: Readonly<Record<string, string | undefined>> = {
  HorizontalPodAutoscaler: undefined,
  // KEDA defaults scaleTargetRef.kind to Deployment (apps/v1), as scale-target-not-found reads it
  ScaledObject: 'Deployment',
  // the KEDA HTTP add-on's, which scales from zero on requests (kedacore/http-add-on HTTPScaledObject: Deployment unless kind says)
  HTTPScaledObject: 'Deployment',
};

/**
 * Refusals of the object itself, by the API server's schema and validation, admission or Argo CD's sync: they fail
 * the apply whatever the replica count, so they stay errors on a workload scaled to zero.
 */
const OBJECT_REFUSALS = new Set([
  'argocd-generate-name',
  'duplicate-object',
  'field-required-missing',
  'field-unknown',
  'field-value-invalid',
  'kind-in-unknown-group',
  'kind-not-served',
  'live-object-fields',
  'metadata-invalid',
  'namespace-moved-from-platform',
  'namespace-not-created',
  'pod-spec-invalid',
]);

/** The autoscalers of the tree that target the workload (its kind and name, in its namespace). */
export function autoscalersOf(graph: ObjectGraph, o: GraphObject): GraphObject[] {
  const name = text(mapping(o.manifest.metadata).name);
  const ns = graph.namespaceOf(o.manifest);
  return Object.entries(AUTOSCALERS).flatMap(([scaler, defaultKind]) =>
    graph.ofKind(scaler).filter((s) => {
      const ref = mapping(mapping(s.manifest.spec).scaleTargetRef);
      // the HTTP add-on's first API named the Deployment in scaleTargetRef.deployment
      const target = text(ref.name) ?? text(ref.deployment);
      return (text(ref.kind) ?? defaultKind) === o.manifest.kind && target === name && graph.namespaceOf(s.manifest) === ns;
    }),
  );
}

/** Whether an autoscaler of the tree targets the workload. */
const autoscaled = (graph: ObjectGraph, o: GraphObject) => autoscalersOf(graph, o).length > 0;

/**
 * Whether an Argo Rollout of the tree runs the Deployment's template through spec.workloadRef: the Rollout makes the
 * pods (its own replicas, 1 unset) and asks the Deployment to be scaled down, so the Deployment's replicas: 0 does not
 * stop them (argo-rollouts docs features/specification.md, workloadRef; rollout/controller.go reads the template).
 */
function runByRollout(graph: ObjectGraph, o: GraphObject): boolean {
  if (o.manifest.kind !== 'Deployment') return false;
  const name = text(mapping(o.manifest.metadata).name);
  const ns = graph.namespaceOf(o.manifest);
  return graph.ofKind('Rollout').some((r) => {
    const spec = mapping(r.manifest.spec);
    const ref = mapping(spec.workloadRef);
    return text(ref.kind) === 'Deployment' && text(ref.name) === name && graph.namespaceOf(r.manifest) === ns && spec.replicas !== 0;
  });
}

/**
 * Why an error of the rule on the object is only latent: a Deployment, StatefulSet, Rollout or DeploymentConfig delivered with `replicas: 0`,
 * which no autoscaler of the tree scales (nor an Argo Rollout runs through spec.workloadRef), runs no pod, so what would stop its pods happens only once someone scales it
 * up; undefined where it runs pods or the rule refuses the object itself.
 */
export function latentUntilScaled(graph: ObjectGraph, o: GraphObject, rule: string): string | undefined {
  if (!REPLICATED.includes(String(o.manifest.kind)) || OBJECT_REFUSALS.has(rule)) return undefined;
  if (mapping(o.manifest.spec).replicas !== 0 || autoscaled(graph, o) || runByRollout(graph, o)) return undefined;
  return `latent: the ${String(o.manifest.kind)} is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up`;
}

/**
 * Why an error of the rule is only latent where it fails in the pods of other objects (Problem.failsIn): none of them
 * runs a pod, each a workload delivered with `replicas: 0` that no autoscaler scales; undefined where one of them runs
 * pods, or none is named.
 */
export function latentInWorkloads(graph: ObjectGraph, failsIn: readonly GraphObject[], rule: string): string | undefined {
  const ids = [...new Set(failsIn.map((w) => graph.id(w)))];
  if (!ids.length || !failsIn.every((w) => latentUntilScaled(graph, w, rule) !== undefined)) return undefined;
  const named = `${ids.slice(0, 3).join(', ')}${ids.length > 3 ? `, … (${ids.length} workloads)` : ''}`;
  return ids.length === 1
    ? `latent: ${named}, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up`
    : `latent: ${named}, whose pods fail, are delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales them, so no pod runs until they are scaled up`;
}
