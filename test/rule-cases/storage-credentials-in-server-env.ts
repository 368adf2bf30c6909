import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('storage-credentials-in-server-env', docs);

const isvc = (storageUri: string, env: string[], predictor: Doc = {}, annotations: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'm', namespace: 'ai', annotations },
  spec: {
    predictor: {
      ...predictor,
      model: { modelFormat: { name: 'sklearn' }, storageUri, env: env.map((name) => ({ name, valueFrom: { secretKeyRef: { name: 'creds', key: name } } })) },
    },
  },
});
const account = (name: string, secrets: string[] = []): Doc => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'ai' },
  secrets: secrets.map((s) => ({ name: s })),
});
const secret = (name: string, keys: string[]): Doc => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'ai' },
  stringData: Object.fromEntries(keys.map((k) => [k, 'x'])),
});
const AZURE = 'https://acct.blob.core.windows.net/models/churn';

describe('storage-credentials-in-server-env', () => {
  test('Azure credentials as model env, the account of the tree giving none: an error', () => {
    expect(
      found([
        isvc(AZURE, ['AZURE_STORAGE_CONNECTION_STRING'], { serviceAccountName: 'sa' }),
        account('sa', ['conn']),
        secret('conn', ['AZURE_STORAGE_CONNECTION_STRING']),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ai\/m: spec\.predictor\.model\.env sets AZURE_STORAGE_CONNECTION_STRING for the Azure download .*reach only the serving container.*ServiceAccount sa lists no Secret with AZ_CLIENT_ID, AZURE_CLIENT_ID, AZURE_ACCESS_TOKEN, AZURE_STORAGE_ACCESS_KEY \(conn\)/,
      ),
    ]);
  });

  test('the account lists a Secret the tree lacks, or is not in the tree: a warning', () => {
    expect(found([isvc(AZURE, ['AZURE_STORAGE_CONNECTION_STRING'], { serviceAccountName: 'sa' }), account('sa', ['az-secret'])])).toEqual([
      expect.stringMatching(/^warning .*ServiceAccount sa lists az-secret, not in the tree; unless it holds AZ_CLIENT_ID/),
    ]);
    expect(found([isvc('s3://bucket/model', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], { serviceAccountName: 'sa-elsewhere' })])).toEqual([
      expect.stringMatching(
        /^warning .*sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY for the S3 download from s3:\/\/bucket\/model\/.*ServiceAccount sa-elsewhere is not in the tree/,
      ),
    ]);
    expect(found([isvc('gs://bucket/model', ['GOOGLE_APPLICATION_CREDENTIALS'])])).toEqual([
      expect.stringMatching(/^warning .*GCS.*ServiceAccount default \(serviceAccountName is unset\)/),
    ]);
  });

  test('near misses: a Secret KServe reads, a storage key or connection, no credential env, S3 left to storage-credentials-missing, other schemes', () => {
    expect(
      found([isvc(AZURE, ['AZURE_STORAGE_CONNECTION_STRING'], { serviceAccountName: 'sa' }), account('sa', ['p']), secret('p', ['AZURE_STORAGE_ACCESS_KEY'])]),
    ).toEqual([]);
    expect(
      found([
        {
          ...isvc(AZURE, ['AZURE_CLIENT_ID']),
          spec: { predictor: { model: { storageUri: AZURE, storage: { key: 'azure' }, env: [{ name: 'AZURE_CLIENT_ID' }] } } },
        },
      ]),
    ).toEqual([]);
    expect(found([isvc(AZURE, ['AZURE_CLIENT_ID'], {}, { 'opendatahub.io/connections': 'azure' })])).toEqual([]);
    expect(found([isvc(AZURE, ['LOG_LEVEL'], { serviceAccountName: 'sa' }), account('sa')])).toEqual([]);
    expect(found([isvc('s3://b/m', ['AWS_ACCESS_KEY_ID'], { serviceAccountName: 'sa' }), account('sa')])).toEqual([]);
    expect(found([isvc('s3://b/m', ['AWS_ACCESS_KEY_ID'])])).toEqual([]);
    expect(found([isvc('hf://org/m', ['AWS_ACCESS_KEY_ID'])])).toEqual([]);
  });
});
