import * as kserve from '../../imports/serving.kserve.io';
import { queueMetadata } from '../cluster/workload-queue';
import { ModelProfile } from '../planning/model-profile';
import { PROBE_PERIOD_SECONDS, StartupBudget } from '../planning/startup-budget';
import { Platform } from '../platform/platform';
import { ModelSourceBinding } from '../sources/model-source';
import {
  DASHBOARD_LABEL,
  DEPLOYMENT_MODE_ANNOTATION,
  DISPLAY_NAME_ANNOTATION,
  ENABLE_AUTH_ANNOTATION,
  EXTERNAL_SECRETS_ANNOTATION,
  HARDWARE_PROFILE_ANNOTATION,
  HARDWARE_PROFILE_NAMESPACE_ANNOTATION,
  SYNC_WAVE_ANNOTATION,
} from '../k8s/keys';
import { externalSecretsOf } from './pod-spec';
import { ResolvedScaleSignal, THANOS_QUERIER_URL } from './scale-signal';
import { VllmInferenceServiceProps } from './vllm-inference-service-props';

/** The parts of an InferenceService's rendering that follow from its props alone: metadata, scaling fields, probes. */

export function labelsFor(props: VllmInferenceServiceProps): Record<string, string> {
  const labels: Record<string, string> = { [DASHBOARD_LABEL]: 'true', ...queueMetadata(props.queue).labels };
  if (props.externalRoute) labels['networking.kserve.io/visibility'] = 'exposed';
  return labels;
}

export function annotationsFor(name: string, props: VllmInferenceServiceProps, source: ModelSourceBinding, platform: Platform): Record<string, string> {
  const externalSecrets = externalSecretsOf(source, props.secretEnv);
  const annotations: Record<string, string> = {
    [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? 10),
    [DISPLAY_NAME_ANNOTATION]: props.displayName ?? name,
    'opendatahub.io/model-type': 'generative',
    // written even where it is the default, so the service does not depend on the cluster's configmap: RawDeployment
    // up to OpenShift AI 3.3 (KServe 0.15 ignores Standard), Standard from KServe 0.16 on (RawDeployment is its alias)
    [DEPLOYMENT_MODE_ANNOTATION]: platform.deploymentModes.raw,
    ...queueMetadata(props.queue).annotations,
  };
  // the profile travels with the object, so `check` on the rendered YAML plans the model without --model
  if (props.model) annotations[ModelProfile.ANNOTATION] = props.model.toAnnotation();
  if (props.enableAuth) annotations[ENABLE_AUTH_ANNOTATION] = 'true';
  if (externalSecrets.length) annotations[EXTERNAL_SECRETS_ANNOTATION] = externalSecrets.join(',');
  if (props.hardwareProfileName) {
    annotations[HARDWARE_PROFILE_ANNOTATION] = props.hardwareProfileName;
    annotations[HARDWARE_PROFILE_NAMESPACE_ANNOTATION] = props.hardwareProfileNamespace ?? 'redhat-ods-applications';
  }
  return annotations;
}

/** The predictor's scaling fields: KServe's HPA on a resource, or a KEDA trigger on the cluster Prometheus. */
export function scalingFields(
  scaling: ResolvedScaleSignal | undefined,
  namespace: string,
  triggerAuthentication?: string,
): Partial<kserve.InferenceServiceSpecPredictor> {
  if (!scaling) return {};
  if (scaling.resource) {
    return {
      scaleMetric:
        scaling.resource.name === 'memory' ? kserve.InferenceServiceSpecPredictorScaleMetric.MEMORY : kserve.InferenceServiceSpecPredictorScaleMetric.CPU,
      scaleTarget: scaling.resource.percent,
    };
  }
  return {
    autoScaling: {
      metrics: [
        {
          type: kserve.InferenceServiceSpecPredictorAutoScalingMetricsType.EXTERNAL,
          external: {
            // KServe turns this into a KEDA prometheus trigger (reconcilers/keda getKedaMetrics): threshold per replica
            metric: {
              backend: kserve.InferenceServiceSpecPredictorAutoScalingMetricsExternalMetricBackend.PROMETHEUS,
              serverAddress: THANOS_QUERIER_URL,
              query: scaling.query!,
              namespace,
            },
            target: {
              type: kserve.InferenceServiceSpecPredictorAutoScalingMetricsExternalTargetType.VALUE,
              value: kserve.InferenceServiceSpecPredictorAutoScalingMetricsExternalTargetValue.fromString(String(scaling.threshold)),
            },
            authenticationRef: { authModes: 'bearer', authenticationRef: { name: triggerAuthentication! } },
          },
        },
      ],
    },
  };
}

/**
 * A start-up probe that allows the whole budget, and a liveness probe that the kubelet runs only once the start-up
 * probe has passed: it restarts a hung engine, never a loading one.
 */
export function probesFor(b: StartupBudget): Pick<kserve.InferenceServiceSpecPredictorModel, 'startupProbe' | 'livenessProbe'> {
  return {
    startupProbe: {
      httpGet: { path: '/health', port: kserve.InferenceServiceSpecPredictorModelStartupProbeHttpGetPort.fromNumber(8080) },
      periodSeconds: PROBE_PERIOD_SECONDS,
      timeoutSeconds: 5,
      failureThreshold: b.failureThreshold,
    },
    livenessProbe: {
      httpGet: { path: '/health', port: kserve.InferenceServiceSpecPredictorModelLivenessProbeHttpGetPort.fromNumber(8080) },
      periodSeconds: 30,
      timeoutSeconds: 10,
      failureThreshold: 3,
    },
  };
}
