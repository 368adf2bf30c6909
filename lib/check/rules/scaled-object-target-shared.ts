import { mapping, stringMap, text } from '../../manifests/access';
import { sameDelivery } from '../applied-together';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { rawDeploymentMode } from '../kserve-mode';
import { CheckContext, Problem, Rule } from '../rule';
import { AUTOSCALER_CLASS_ANNOTATION } from '../../k8s/keys';

/** A scaleTargetRef as KEDA's webhook compares them (gvkr.go ParseGVKR): apiVersion apps/v1 and kind Deployment when unset, and the name. */
function targetOf(o: GraphObject): string | undefined {
  const ref = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const name = text(ref.name);
  return name ? `${text(ref.apiVersion) || 'apps/v1'}.${text(ref.kind) || 'Deployment'}/${name}` : undefined;
}

const nameOf = (o: GraphObject): string => text(mapping(o.manifest.metadata).name) ?? '';

/**
 * The other ScaledObjects of the namespace with this one's target, said on each but the first by name (one finding
 * per shared target): KEDA's webhook admits the first applied and refuses the rest.
 */
function sharedTarget(o: GraphObject, graph: ObjectGraph): Problem[] {
  const target = targetOf(o);
  if (!target) return [];
  const ns = graph.namespaceOf(o.manifest);
  const group = graph.ofKind('ScaledObject').filter((s) => graph.namespaceOf(s.manifest) === ns && targetOf(s) === target);
  const sorted = [...group].sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || (a.file ?? '').localeCompare(b.file ?? ''));
  // one ScaledObject read twice (alternative files of one name) replaces itself when applied
  const others = sorted.filter((s) => s !== o && nameOf(s) !== nameOf(o));
  if (!others.length || nameOf(sorted[0]) === nameOf(o)) return [];
  const applied = others.some((s) => sameDelivery(o, s, graph));
  const workload = target.slice(target.lastIndexOf('/') + 1);
  const type = target.slice(0, target.lastIndexOf('/'));
  return [
    {
      ...(applied ? {} : { severity: 'warning' as const }),
      message:
        `spec.scaleTargetRef names ${type} '${workload}', which ${others.map((s) => graph.id(s)).join(', ')} also ${others.length > 1 ? 'scale' : 'scales'}: ` +
        `KEDA's admission webhook admits the first applied and refuses the others ("the workload '${workload}' of type '${type}' is already managed by the ScaledObject '${nameOf(others[0])}'"); where no webhook runs, the HPAs KEDA makes for each fight over the replicas` +
        (applied ? '' : '; nothing in the tree applies them together (they may be alternatives), but if they are applied together, that is what happens') +
        `; keep one ScaledObject for '${workload}' and list every trigger in it (KEDA scales on the largest replica count its triggers ask for)`,
    },
  ];
}

/** The suffix KServe gives the Deployment, and the ScaledObject, of an InferenceService's predictor in raw deployment mode (constants.PredictorServiceName). */
const PREDICTOR_SUFFIX = '-predictor';

/** The ScaledObject KServe makes for a raw-mode InferenceService with autoscalerClass keda, which this one competes with. */
function kserveScaledObject(o: GraphObject, ctx: CheckContext): Problem[] {
  const ref = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const name = text(ref.name);
  if (!name?.endsWith(PREDICTOR_SUFFIX) || (text(ref.kind) ?? 'Deployment') !== 'Deployment') return [];
  const isvc = ctx.graph.find('InferenceService', name.slice(0, -PREDICTOR_SUFFIX.length), ctx.graph.namespaceOf(o.manifest));
  if (!isvc || !rawDeploymentMode(isvc.manifest, ctx.platform, ctx.graph)) return [];
  if (stringMap(mapping(isvc.manifest.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION] !== 'keda') return [];
  const consequence =
    nameOf(o) === name
      ? `this ScaledObject has the name of KServe's, so KServe's reconciler replaces its spec with the one it builds from the InferenceService (its triggers and replica counts are lost)`
      : `KEDA's admission webhook refuses whichever of the two comes second ("the workload '${name}' of type 'apps/v1.Deployment' is already managed by the ScaledObject …")`;
  return [
    {
      message:
        `spec.scaleTargetRef names ${name}, the Deployment KServe makes for ${ctx.graph.id(isvc)}, which sets serving.kserve.io/autoscalerClass: keda, so KServe makes its own ScaledObject '${name}' for it: ${consequence}; ` +
        `put the scaling in the InferenceService (spec.predictor.minReplicas, maxReplicas and autoScaling.metrics, which KServe turns into triggers), or set its autoscalerClass to external and keep this ScaledObject`,
    },
  ];
}

export const scaledObjectTargetShared: Rule = {
  id: 'scaled-object-target-shared',
  title:
    "two KEDA ScaledObjects scale one workload (two of the tree, or one of the tree and the one KServe makes for an InferenceService with autoscalerClass keda): KEDA's webhook refuses the second",
  severity: 'error',
  appliesTo: ['ScaledObject'],
  premise:
    'two ScaledObjects (keda.sh) of one namespace, under different names, have one scaleTargetRef (apiVersion, kind and name; unset apiVersion and kind read as apps/v1 Deployment): an error when one file, kustomize build, Argo CD Application or script delivers both, else a warning (loose files may be alternatives); said once, on each but the first by name. ' +
    'Or the ScaledObject targets a Deployment (kind unset or Deployment) named <isvc>-predictor, an InferenceService of the tree in its namespace that runs in raw deployment mode and is annotated serving.kserve.io/autoscalerClass: keda, for which KServe makes a ScaledObject <isvc>-predictor of its own. ' +
    "A ScaledObject beside an HPA of the same target is scaled-object-hpa-conflict's",
  example:
    'ScaledObjects `name: textgen-by-queue` and `name: textgen-by-latency` in one file, one with `scaleTargetRef: {name: textgen}`, the other with `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: textgen}`',
  fix: 'keep one ScaledObject per workload and list every trigger in it; for a KServe predictor, let the InferenceService describe the scaling, or set its autoscalerClass to external',
  source:
    "kedacore/keda apis/keda/v1alpha1/scaledobject_webhook.go verifyScaledObjects (another ScaledObject of the namespace with the same scaleTargetRef name and group, version and kind: \"the workload '%s' of type '%s' is already managed by the ScaledObject '%s'\"; gvkr.go ParseGVKR defaults apps/v1 Deployment); " +
    'kserve pkg/controller/v1beta1/inferenceservice/reconcilers/autoscaler/autoscaler_reconciler.go (autoscalerClass keda: the KEDA reconciler) and reconcilers/keda/keda_reconciler.go createKedaScaledObject (a ScaledObject named after the component, targeting its Deployment; an existing one of that name is updated to it)',
  check(o, ctx) {
    return [...sharedTarget(o, ctx.graph), ...kserveScaledObject(o, ctx)];
  },
};
