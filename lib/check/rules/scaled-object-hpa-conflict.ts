import { mapping, stringMap, text } from '../../manifests/access';
import { sameBuildOrFolder } from '../applied-together';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { rawDeploymentMode } from '../kserve-mode';
import { CheckContext, Problem, Rule } from '../rule';
import { AUTOSCALER_CLASS_ANNOTATION } from '../../k8s/keys';

/**
 * KEDA's webhook skips an HPA annotated so (ValidationsHpaOwnershipAnnotation), and lets a ScaledObject take over the
 * HPA its annotation and spec.advanced.horizontalPodAutoscalerConfig.name name (ScaledObjectTransferHpaOwnershipAnnotation):
 * kedacore/keda apis/keda/v1alpha1/scaledobject_types.go.
 */
const HPA_OWNERSHIP_VALIDATION = 'validations.keda.sh/hpa-ownership';
const TRANSFER_HPA_OWNERSHIP = 'scaledobject.keda.sh/transfer-hpa-ownership';

/** A scaleTargetRef as KEDA compares them: apiVersion and kind defaulted (apps/v1, Deployment), and the name. */
function targetOf(spec: unknown): string | undefined {
  const ref = mapping(mapping(spec).scaleTargetRef);
  const name = text(ref.name);
  return name ? `${text(ref.apiVersion) || 'apps/v1'}.${text(ref.kind) || 'Deployment'}/${name}` : undefined;
}

/**
 * The HPAs of the tree in the ScaledObject's namespace with its target that KEDA's webhook counts against it
 * (scaledobject_webhook.go verifyHpas: same group, version, kind and name; not owned by this ScaledObject, not
 * exempted, not being transferred to it). The webhook refuses whichever of the two is applied with the other in place,
 * so the two applied together (one file, build, Application or script, or one folder nothing else delivers) is an
 * error; the two in separate deliveries (overlays, Applications) may be alternatives: a warning.
 */
function competingHpas(o: GraphObject, graph: ObjectGraph): Problem[] {
  const target = targetOf(o.manifest.spec);
  if (!target) return [];
  const so = o.manifest;
  const namespace = graph.namespaceOf(so);
  const soName = text(mapping(so.metadata).name);
  const transferring = stringMap(mapping(so.metadata).annotations)[TRANSFER_HPA_OWNERSHIP] === 'true';
  const transferred = transferring ? text(mapping(mapping(mapping(so.spec).advanced).horizontalPodAutoscalerConfig).name) : undefined;
  return graph
    .ofKind('HorizontalPodAutoscaler')
    .filter((h) => graph.namespaceOf(h.manifest) === namespace && targetOf(h.manifest.spec) === target)
    .filter((h) => {
      const meta = mapping(h.manifest.metadata);
      const owners = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.map(mapping) : [];
      return (
        stringMap(meta.annotations)[HPA_OWNERSHIP_VALIDATION] !== 'false' &&
        !owners.some((r) => r.kind === 'ScaledObject' && r.name === soName) &&
        (transferred === undefined || transferred !== text(meta.name))
      );
    })
    .map((h) => conflict(o, h, target, transferring, graph));
}

function conflict(o: GraphObject, h: GraphObject, target: string, transferring: boolean, graph: ObjectGraph): Problem {
  const together = sameBuildOrFolder(o, h, graph);
  const name = target.slice(target.lastIndexOf('/') + 1);
  const hpaName = text(mapping(h.manifest.metadata).name);
  const refusal = transferring
    ? `the existing hpa '${hpaName}' for workload '${name}' … must be specified by name in advanced settings to enable ownership transfer`
    : `the workload '${name}' … is already managed by the hpa '${hpaName}'`;
  return {
    severity: together ? 'error' : 'warning',
    message:
      `spec.scaleTargetRef names ${target.slice(0, target.lastIndexOf('/'))} ${name}, which ${graph.id(h)} also scales: ` +
      (together
        ? `KEDA's admission webhook refuses the ScaledObject ("${refusal}"), and where no webhook runs, or the ScaledObject is applied first, KEDA's own HPA and this one fight over the replicas`
        : `the two are delivered apart (they may be alternatives), but where both are applied KEDA's admission webhook refuses the ScaledObject ("${refusal}"), or KEDA's own HPA and this one fight over the replicas`) +
      `: delete the HPA (KEDA makes its own from the ScaledObject; a CPU trigger in the ScaledObject replaces it), or let the ScaledObject take it over (annotation ${TRANSFER_HPA_OWNERSHIP}: "true" and spec.advanced.horizontalPodAutoscalerConfig.name: ${hpaName})`,
  };
}

/** The suffix KServe gives the Deployment of an InferenceService's predictor in raw deployment mode (constants.PredictorServiceName). */
const PREDICTOR_SUFFIX = '-predictor';

export const scaledObjectHpaConflict: Rule = {
  id: 'scaled-object-hpa-conflict',
  title:
    "a KEDA ScaledObject targets a workload an HPA already scales (one of the tree, or the one KServe makes for an InferenceService's predictor): KEDA's webhook refuses it",
  severity: 'error',
  appliesTo: ['ScaledObject'],
  premise:
    'the ScaledObject (keda.sh) and a HorizontalPodAutoscaler of the tree (autoscaling/v1 or v2) in its namespace have one scaleTargetRef (apiVersion, kind and name; unset apiVersion and kind read as apps/v1 Deployment), the HPA not annotated validations.keda.sh/hpa-ownership: "false", not owned by the ScaledObject, not handed to it (scaledobject.keda.sh/transfer-hpa-ownership with its horizontalPodAutoscalerConfig.name); an error when one file, kustomize build, Argo CD Application or script delivers both, or both lie loose in one folder that nothing of the tree delivers (kubectl apply -f <folder>): the webhook refuses the ScaledObject whichever order they come in, or, applied first, KEDA\'s HPA and the tree\'s fight; a warning when separate deliveries (overlays, Applications) hold them, which may be alternatives; or the ScaledObject targets a Deployment (kind unset or Deployment) named <isvc>-predictor, an InferenceService of the tree in its namespace that runs in raw deployment mode (written, or OpenShift AI 3) with serving.kserve.io/autoscalerClass unset or hpa',
  example: '`scaleTargetRef: {name: chat-predictor}` beside an InferenceService `chat` with no `serving.kserve.io/autoscalerClass`',
  fix: 'delete the HPA of the tree (KEDA makes its own from the ScaledObject) or hand it over with scaledobject.keda.sh/transfer-hpa-ownership; for KServe, annotate the InferenceService serving.kserve.io/autoscalerClass: external so KServe makes no HPA and the ScaledObject scales the predictor',
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/reconcilers/hpa/hpa_reconciler.go shouldCreateHPA (an HPA unless autoscalerClass is set to another class; external or none deletes it); ' +
    "kedacore/keda apis/keda/v1alpha1/scaledobject_webhook.go verifyHpas: \"the workload '…' of type 'apps/v1.Deployment' is already managed by the hpa '…'\", or with the transfer annotation and another name \"the existing hpa '…' … must be specified by name in advanced settings to enable ownership transfer\" (every HPA of the namespace with the same scaleTargetRef group, version, kind and name, unless owned by the ScaledObject, annotated validations.keda.sh/hpa-ownership: \"false\", or transferred by scaledobject.keda.sh/transfer-hpa-ownership)",
  check(o, ctx) {
    return [...competingHpas(o, ctx.graph), ...predictorHpa(o, ctx)];
  },
};

/** The HPA KServe makes for a raw-mode InferenceService's predictor, which the ScaledObject targets. */
function predictorHpa(o: GraphObject, ctx: CheckContext): Problem[] {
  const target = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const name = text(target.name);
  const kind = text(target.kind) ?? 'Deployment';
  if (!name?.endsWith(PREDICTOR_SUFFIX) || kind !== 'Deployment') return [];
  const isvcName = name.slice(0, -PREDICTOR_SUFFIX.length);
  const isvc = ctx.graph.find('InferenceService', isvcName, ctx.graph.namespaceOf(o.manifest));
  if (!isvc || !rawDeploymentMode(isvc.manifest, ctx.platform, ctx.graph)) return [];
  const cls = stringMap(mapping(isvc.manifest.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION];
  if (cls !== undefined && cls !== 'hpa') return [];
  return [
    {
      message:
        `spec.scaleTargetRef names ${name}, the Deployment KServe makes for ${ctx.graph.id(isvc)}, which ${cls ? 'sets autoscalerClass hpa' : 'sets no serving.kserve.io/autoscalerClass'}, so KServe also makes an HPA '${name}' for it: ` +
        `KEDA's admission webhook refuses the ScaledObject ("the workload '${name}' … is already managed by the hpa '${name}'"); annotate ${ctx.graph.id(isvc)} with serving.kserve.io/autoscalerClass: external`,
    },
  ];
}
