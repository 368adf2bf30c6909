import { runChecks } from '../../lib';

/**
 * secret-not-in-tree names the consequence that follows from what references the Secret: a ServiceAccount's listed
 * Secret matters to KServe only where an InferenceService runs as it, and an InferenceService's storage.key is an
 * entry of the storage Secret (kserve pkg/credentials CreateStorageSpecSecretEnvs), not a Secret of its own.
 */
const account = (name: string, secret: string) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'ml' },
  secrets: [{ name: secret }],
});
const isvc = (predictor: Record<string, unknown>) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: 's3://models/chat/' }, ...predictor } },
});
const messages = (platform: 'kserve' | 'rhoai-3.0', ...manifests: Record<string, unknown>[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === 'secret-not-in-tree')
    .map((f) => `${f.object}: ${f.message}`);

describe('secret-not-in-tree names the cause the reference has', () => {
  test("a pipeline's ServiceAccount is not said to make KServe refuse predictor pods; a predictor's account is", () => {
    const [pipeline] = messages('kserve', account('pipeline', 'git-ssh'));
    expect(pipeline).toMatch(/^ServiceAccount\/ml\/pipeline: references Secret git-ssh in 'ml', not defined in the tree; .*get no credential from it/);
    expect(pipeline).not.toMatch(/KServe/);
    const [predictor] = messages('kserve', account('serving', 's3-creds'), isvc({ serviceAccountName: 'serving' }));
    expect(predictor).toMatch(/^ServiceAccount\/ml\/serving: .*KServe's webhook refuses the predictor pods that use this account$/);
  });

  test('a storage.key is named as an entry of storage-config, with the pod webhook refusal, on each platform', () => {
    const keyed = isvc({ model: { modelFormat: { name: 'huggingface' }, storage: { key: 'minio', path: 'chat' } } });
    const [upstream] = messages('kserve', keyed);
    expect(upstream).toMatch(
      /^InferenceService\/ml\/chat: storage.key 'minio' is an entry of Secret storage-config in 'ml', and that Secret is not defined in the tree; create it with a 'minio' entry .*KServe's pod webhook refuses the predictor pods \("specified storage key minio not found in storage secret"/,
    );
    const [openshift] = messages('rhoai-3.0', keyed);
    expect(openshift).toMatch(
      /^InferenceService\/ml\/chat: storage.key 'minio' is an entry of Secret storage-config in 'ml', which odh-model-controller writes from the data connection Secret 'minio'/,
    );
    expect(openshift).not.toMatch(/CreateContainerConfigError|references Secret minio/);
    // a dashboard data connection (aws-connection-<name>) keeps the connection's own finding
    const dashboard = isvc({ model: { modelFormat: { name: 'huggingface' }, storage: { key: 'aws-connection-minio' } } });
    expect(messages('rhoai-3.0', dashboard)).toEqual([expect.stringMatching(/Secret aws-connection-minio .*is created in the dashboard \(data connection\)/)]);
    // the same name also read by an env secretKeyRef is a Secret the pod itself needs: the plain finding
    const alsoEnv = isvc({
      model: { modelFormat: { name: 'huggingface' }, storage: { key: 'minio' } },
      containers: [{ name: 'kserve-container', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'minio', key: 'k' } } }] }],
    });
    expect(messages('rhoai-3.0', alsoEnv)).toEqual([expect.stringMatching(/references Secret minio in 'ml'.*CreateContainerConfigError/)]);
  });
});
