import { mapping, stringMap, text } from '../../manifests/access';
import { rawDeploymentMode } from '../raw-mode';
import { Rule } from '../rule';
import { AUTOSCALER_CLASS_ANNOTATION } from '../../k8s/keys';

/** The suffix KServe gives the Deployment of an InferenceService's predictor in raw deployment mode (constants.PredictorServiceName). */
const PREDICTOR_SUFFIX = '-predictor';

export const scaledObjectHpaConflict: Rule = {
  id: 'scaled-object-hpa-conflict',
  title: "a KEDA ScaledObject targets the predictor Deployment of an InferenceService for which KServe makes its own HPA: KEDA's webhook refuses it",
  severity: 'error',
  appliesTo: ['ScaledObject'],
  premise:
    'the ScaledObject (keda.sh) targets a Deployment (kind unset or Deployment) named <isvc>-predictor, an InferenceService of the tree in its namespace that runs in raw deployment mode (written, or OpenShift AI 3) with serving.kserve.io/autoscalerClass unset or hpa',
  example: '`scaleTargetRef: {name: chat-predictor}` beside an InferenceService `chat` with no `serving.kserve.io/autoscalerClass`',
  fix: 'annotate the InferenceService serving.kserve.io/autoscalerClass: external so KServe makes no HPA and the ScaledObject scales the predictor',
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/reconcilers/hpa/hpa_reconciler.go shouldCreateHPA (an HPA unless autoscalerClass is set to another class; external or none deletes it); ' +
    "kedacore/keda apis/keda/v1alpha1/scaledobject_webhook.go verifyHpas: \"the workload '…' of type 'apps/v1.Deployment' is already managed by the hpa '…'\"",
  check(o, ctx) {
    const target = mapping(mapping(o.manifest.spec).scaleTargetRef);
    const name = text(target.name);
    const kind = text(target.kind) ?? 'Deployment';
    if (!name?.endsWith(PREDICTOR_SUFFIX) || kind !== 'Deployment') return [];
    const isvcName = name.slice(0, -PREDICTOR_SUFFIX.length);
    const isvc = ctx.graph.find('InferenceService', isvcName, ctx.graph.namespaceOf(o.manifest));
    if (!isvc || !rawDeploymentMode(isvc.manifest, ctx.platform)) return [];
    const cls = stringMap(mapping(isvc.manifest.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION];
    if (cls !== undefined && cls !== 'hpa') return [];
    return [
      {
        message:
          `spec.scaleTargetRef names ${name}, the Deployment KServe makes for ${ctx.graph.id(isvc)}, which ${cls ? 'sets autoscalerClass hpa' : 'sets no serving.kserve.io/autoscalerClass'}, so KServe also makes an HPA '${name}' for it: ` +
          `KEDA's admission webhook refuses the ScaledObject ("the workload '${name}' … is already managed by the hpa '${name}'"); annotate ${ctx.graph.id(isvc)} with serving.kserve.io/autoscalerClass: external`,
      },
    ];
  },
};
