import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kserve from '../../imports/serving.kserve.io';
import { GPU_TAINT, NodeTaint, tolerationOf } from '../placement/gpu-placement';
import { ModelSourceBinding } from '../sources/model-source';
import { SecretKeyReference } from '../storage/s3-connection';
import { EXTERNAL_SECRETS_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/** Parts of the pods both vLLM service constructs render: tolerations, the container's environment, the download account. */

/** Suffix of the ServiceAccount a service renders for its download credentials. */
const SERVICE_ACCOUNT_SUFFIX = 'storage';

/** Tolerations for a placement's taints (the GPU taint when it has none). */
export function tolerationsFor(taints: readonly NodeTaint[]): kserve.InferenceServiceSpecPredictorTolerations[] {
  return (taints.length ? taints : [GPU_TAINT]).map(tolerationOf);
}

/** The vLLM container's environment: plain values, then Secret keys, sorted by name so synth is stable. */
export function containerEnv(
  env: { readonly [name: string]: string } | undefined,
  secretEnv: { readonly [name: string]: SecretKeyReference } | undefined,
): { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[] {
  return [
    ...Object.entries(env ?? {}).map(([name, value]) => ({ name, value })),
    ...Object.entries(secretEnv ?? {}).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } })),
  ].sort((a, b) => a.name.localeCompare(b.name));
}

/** Secrets the service reads but Git does not hold (the source's and the container's), sorted, for the external-secrets annotation. */
export function externalSecretsOf(source: ModelSourceBinding, secretEnv: { readonly [name: string]: SecretKeyReference } | undefined): string[] {
  return [...new Set([...source.externalSecrets, ...Object.values(secretEnv ?? {}).map((r) => r.name)])].sort();
}

/**
 * The pods' ServiceAccount listing the download credentials, the only place KServe's storage initializer reads them.
 * One wave before the service: the pods cannot be created before their ServiceAccount exists.
 */
export function renderDownloadServiceAccount(scope: Construct, service: string, namespace: string, secrets: readonly string[], wave: number): ApiObject {
  return new ApiObject(scope, 'ServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: `${service}-${SERVICE_ACCOUNT_SUFFIX}`,
      namespace,
      annotations: { [SYNC_WAVE_ANNOTATION]: String(wave - 1), [EXTERNAL_SECRETS_ANNOTATION]: secrets.join(',') },
    },
    secrets: secrets.map((name) => ({ name })),
  });
}
