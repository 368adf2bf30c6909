import { runChecks } from '../../lib';

/**
 * Cases after kserve pkg/credentials/service_account_credentials.go: a service that names no storage key or connection
 * gets the storage initializer's credentials from its ServiceAccount (`default` when unset). The advice follows the
 * platform judged, and the location is quoted as the manifest writes it.
 */
const service = (storageUri: string) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'shapes', namespace: 'vision' },
  spec: { predictor: { model: { modelFormat: { name: 'onnx' }, storageUri } } },
});

function found(objects: unknown[], platform: 'kserve' | 'rhoai-3.0'): [string, string][] {
  return runChecks(
    objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
    { platform, rules: ['storage-credentials-missing'] },
  ).map((f) => [f.severity, f.message]);
}

describe('storage-credentials-missing: the advice of the platform judged', () => {
  test('upstream KServe: a Secret with the S3 keys on a ServiceAccount, no OpenShift AI connection; the URI as written', () => {
    const [[severity, message], ...rest] = found([service('s3://artifacts/shapes/model.onnx')], 'kserve');
    expect(rest).toEqual([]);
    expect(severity).toBe('warning');
    expect(message).toContain('weights come from s3://artifacts/shapes/model.onnx and spec.predictor.serviceAccountName is unset');
    expect(message).not.toContain('model.onnx/');
    expect(message).toContain('create a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    expect(message).toContain('spec.predictor.serviceAccountName');
    expect(message).not.toContain('opendatahub.io');
  });

  test('near miss: on OpenShift AI the advice is its connection (storage.key or the connections annotation), an error', () => {
    const [[severity, message]] = found([service('s3://artifacts/shapes/')], 'rhoai-3.0');
    expect(severity).toBe('error');
    expect(message).toContain('weights come from s3://artifacts/shapes/ and');
    expect(message).toContain("set spec.predictor.model.storage.key to the connection Secret's name (or the opendatahub.io/connections annotation)");
  });
});
