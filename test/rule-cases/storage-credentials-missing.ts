import { cliInProcess, ruleFound, severityMessages, writeTree } from '../util';

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
  return severityMessages(
    ruleFound(
      'storage-credentials-missing',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform, alone: true },
    ),
  );
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

describe('storage-credentials-missing: builds that take sources check does not read', () => {
  const mesh = [
    'apiVersion: serving.kserve.io/v1beta1',
    'kind: InferenceService',
    'metadata:',
    '  name: iris',
    '  annotations: {serving.kserve.io/deploymentMode: ModelMesh}',
    'spec:',
    '  predictor:',
    '    model:',
    '      modelFormat: {name: sklearn}',
    '      storage: {key: lab-store, path: sklearn/iris.joblib}',
    '',
  ].join('\n');
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n';
  const kustomization = (remote: boolean) =>
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: models',
      'resources:',
      ...(remote ? ['  - https://example.com/serving/install/stack?ref=v1.2.0'] : []),
      '  - namespace.yaml',
      '  - service.yaml',
      '',
    ].join('\n');

  async function found(remote: boolean, service = mesh, platform = 'kserve'): Promise<[string, string][]> {
    const dir = writeTree('storage-unread-', { 'kustomization.yaml': kustomization(remote), 'namespace.yaml': namespace, 'service.yaml': service });
    const { out } = await cliInProcess(['check', dir, '--platform', platform, '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'storage-credentials-missing')
      .map((f) => [f.severity, f.message]);
  }

  test('the namespace the build creates, with only the files of the tree: the missing entry is an error', async () => {
    expect(await found(false)).toEqual([['error', expect.stringContaining('the tree creates that namespace and nothing of it makes the entry')]]);
  });

  test('the same build with a remote resource check does not follow, which may hold storage-config: a warning saying so', async () => {
    expect(await found(true)).toEqual([
      [
        'warning',
        expect.stringContaining(
          "(the service's build also takes sources check does not read: remote bases, charts; see input-not-followed); make sure the entry exists",
        ),
      ],
    ]);
  });

  test("OpenShift AI's default account, unset, in a build with a remote resource: a warning naming the unread sources, not an error", async () => {
    const s3 = mesh
      .replace('  annotations: {serving.kserve.io/deploymentMode: ModelMesh}\n', '')
      .replace('      storage: {key: lab-store, path: sklearn/iris.joblib}', '      storageUri: s3://lab/iris/');
    expect(await found(false, s3, 'rhoai-3.0')).toEqual([['error', expect.stringContaining('which the tree does not define: on OpenShift AI')]]);
    expect(await found(true, s3, 'rhoai-3.0')).toEqual([
      ['warning', expect.stringContaining('which the tree does not define (its build also takes sources check does not read')],
    ]);
  });
});
