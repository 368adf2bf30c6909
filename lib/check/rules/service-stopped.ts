import { mapping, stringMap, text } from '../../manifests/access';
import { STOP_ANNOTATION } from '../../k8s/keys';
import { Rule } from '../rule';

/** What KServe removes of each kind it stops (the objects its reconcilers skip or delete). */
const STOPPED: Readonly<Record<string, string>> = {
  InferenceService: "deletes its predictor's (and transformer's, explainer's) Deployment or Knative Service and sets PredictorReady False, reason Stopped",
  LLMInferenceService:
    'makes no route or scheduler for it (0.17) and, from 0.18, none of its workloads (main, worker, prefill), marking it not ready, reason Stopped',
  InferenceGraph: "deletes the graph's router and marks it not ready",
};

export const serviceStopped: Rule = {
  id: 'service-stopped',
  title: 'a KServe InferenceService, LLMInferenceService or InferenceGraph committed with serving.kserve.io/stop: "true": KServe runs no pods for it',
  severity: 'warning',
  appliesTo: Object.keys(STOPPED),
  premise:
    'a serving.kserve.io object annotated serving.kserve.io/stop with the value true (in any case, as KServe compares it): KServe 0.16 and later removes its workloads and reports it stopped, so as the tree commits it the service serves nothing; ' +
    'a warning, as a stopped service may be what the tree means (a model parked until it is needed); the value false, or any other, runs it',
  example: 'an InferenceService annotated `serving.kserve.io/stop: "true"`',
  fix: 'remove the annotation (or set it to "false") to run the service; keep it only where the tree means the service to stay stopped',
  source:
    'kserve/kserve pkg/constants/constants.go StopAnnotationKey and pkg/utils/utils.go GetForceStopRuntime (strings.EqualFold "true", v0.16.0 to v0.20.0); pkg/controller/v1beta1/inferenceservice/components/predictor.go (PredictorReady False, StoppedISVCReason), reconcilers/deployment/deployment_reconciler.go checkDeploymentExist (CheckResultDelete, CheckResultSkipped) and reconcilers/knative/ksvc_reconciler.go (deletes the Knative Service); pkg/controller/v1alpha2/llmisvc/router.go and scheduler.go (v0.17.0 on) and workload.go (v0.18.0 on: MarkMainWorkloadNotReady "Stopped"); pkg/controller/v1alpha1/inferencegraph/controller.go',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (!/^serving\.kserve\.io\//.test(text(m.apiVersion) ?? '')) return [];
    const value = stringMap(mapping(m.metadata).annotations)[STOP_ANNOTATION];
    if (value === undefined || value.toLowerCase() !== 'true') return [];
    return [
      {
        message: `metadata.annotations ${STOP_ANNOTATION}: '${value}' stops the ${String(m.kind)}: KServe ${STOPPED[String(m.kind)]}, so as committed it runs no pods and serves nothing; ${serviceStopped.fix}`,
      },
    ];
  },
};
