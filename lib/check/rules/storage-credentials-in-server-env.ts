import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { CONNECTIONS_ANNOTATION, STORAGE_SECRET_ANNOTATION } from '../../k8s/keys';
import { ObjectGraph } from '../graph';
import { isModelMesh } from '../modelmesh-storage';
import { predictorAccountOf, secretHasKey } from '../predictor-account';
import { Problem, Rule } from '../rule';
import { modelFieldOf, modelSpecOf, storageLocationOf } from '../serving-model';

/** A storage provider: how its URIs look, the variables its clients read, the Secret keys KServe turns into initializer credentials. */
interface Provider {
  readonly name: string;
  readonly uri: RegExp;
  readonly variables: readonly string[];
  /** kserve pkg/credentials/service_account_credentials.go: the key of a listed Secret that makes KServe copy it to the initializer. */
  readonly secretKeys: readonly string[];
}

const PROVIDERS: readonly Provider[] = [
  // pkg/credentials/s3 (AWSSecretAccessKeyName)
  { name: 'S3', uri: /^s3:\/\//, variables: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'], secretKeys: ['AWS_SECRET_ACCESS_KEY'] },
  // pkg/credentials/azure (LegacyAzureClientId, AzureClientId, AzureAccessToken, AzureStorageAccessKey)
  {
    name: 'Azure',
    uri: /^https?:\/\/[^/]+\.(blob|file)\.core\.windows\.net\//,
    variables: [
      'AZURE_STORAGE_CONNECTION_STRING',
      'AZURE_STORAGE_ACCESS_KEY',
      'AZURE_STORAGE_KEY',
      'AZURE_STORAGE_SAS_TOKEN',
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
      'AZURE_TENANT_ID',
      'AZ_CLIENT_ID',
      'AZ_CLIENT_SECRET',
      'AZ_TENANT_ID',
    ],
    secretKeys: ['AZ_CLIENT_ID', 'AZURE_CLIENT_ID', 'AZURE_ACCESS_TOKEN', 'AZURE_STORAGE_ACCESS_KEY'],
  },
  // pkg/credentials/gcs (GCSCredentialFileName)
  { name: 'GCS', uri: /^gs:\/\//, variables: ['GOOGLE_APPLICATION_CREDENTIALS'], secretKeys: ['gcloud-application-credentials.json'] },
];

/** The credential variables the serving container sets: the model's env, or a custom predictor's kserve-container's. */
function serverCredentials(m: Loose, provider: Provider): { field: string; names: string[] } | undefined {
  const custom = mappings(mapping(mapping(m.spec).predictor).containers).find((c) => c.name === 'kserve-container');
  const [field, env] = custom && !Object.keys(modelSpecOf(m)).length ? ["kserve-container's env", custom.env] : [`${modelFieldOf(m)}.env`, modelSpecOf(m).env];
  const names = mappings(env)
    .map((e) => text(e.name) ?? '')
    .filter((n) => provider.variables.includes(n));
  return names.length ? { field, names: [...new Set(names)] } : undefined;
}

/** What the predictor's ServiceAccount gives the initializer: certainly nothing (error), maybe nothing (warning), or credentials. */
function accountVerdict(graph: ObjectGraph, m: Loose, provider: Provider): { severity: 'error' | 'warning'; said: string } | undefined {
  const acct = predictorAccountOf(graph, m);
  const keys = provider.secretKeys.join(', ');
  if (acct.ambiguous) return undefined;
  if (!acct.account) {
    // S3 with an unset account the tree lacks is storage-credentials-missing's
    if (provider.name === 'S3' && acct.implicit) return undefined;
    return {
      severity: 'warning',
      said: `ServiceAccount ${acct.name}${acct.implicit ? ' (serviceAccountName is unset)' : ''} is not in the tree; unless it lists a Secret with ${keys}`,
    };
  }
  // an S3 account of the tree is judged by storage-credentials-missing
  if (provider.name === 'S3' || acct.irsa) return undefined;
  if (acct.secretsInTree.some((s) => provider.secretKeys.some((k) => secretHasKey(s, k)))) return undefined;
  if (acct.secretsInTree.length < acct.secrets.length) {
    const outside = acct.secrets.filter((n) => !acct.secretsInTree.some((s) => text(mapping(s.manifest.metadata).name) === n));
    return {
      severity: 'warning',
      said: `ServiceAccount ${acct.name} lists ${outside.join(', ')}, not in the tree; unless ${outside.length > 1 ? 'one of them holds' : 'it holds'} ${keys}`,
    };
  }
  return {
    severity: 'error',
    said: `ServiceAccount ${acct.name} lists ${acct.secrets.length ? `no Secret with ${keys} (${acct.secrets.join(', ')})` : 'no Secrets'}, so`,
  };
}

function judge(graph: ObjectGraph, m: Loose): Problem[] {
  const location = storageLocationOf(m);
  const provider = location ? PROVIDERS.find((p) => p.uri.test(location)) : undefined;
  if (!provider || !location) return [];
  const storage = mapping(modelSpecOf(m).storage);
  const a = stringMap(mapping(m.metadata).annotations);
  if (text(storage.key) || a[STORAGE_SECRET_ANNOTATION] || a[CONNECTIONS_ANNOTATION]) return [];
  const env = serverCredentials(m, provider);
  const verdict = env ? accountVerdict(graph, m, provider) : undefined;
  if (!env || !verdict) return [];
  return [
    {
      severity: verdict.severity,
      message:
        `${env.field} sets ${env.names.join(', ')} for the ${provider.name} download from ${location}, but those reach only the serving container: KServe gives the storage-initializer init container credentials from the predictor's ServiceAccount's Secrets (or a storage key) alone; ` +
        `${verdict.said} the initializer downloads with none and fails (access denied, or "Unable to locate credentials"), and the pod stays in Init; ` +
        `put the credentials in a Secret with ${provider.secretKeys.join(' or ')} listed on the predictor's ServiceAccount, or in a storage-config entry named by ${modelFieldOf(m)}.storage.key`,
    },
  ];
}

export const storageCredentialsInServerEnv: Rule = {
  id: 'storage-credentials-in-server-env',
  title: "an InferenceService gives its S3, Azure or GCS credentials only as the serving container's env, which the storage initializer never sees",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the model is downloaded from s3://, an Azure blob or file URL or gs://, with no storage.key, storage-secret or connections annotation, and the serving container (the model's env, or a custom predictor's kserve-container) sets that provider's credential variables (AWS_ACCESS_KEY_ID…, AZURE_STORAGE_CONNECTION_STRING, AZURE_CLIENT_ID…, GOOGLE_APPLICATION_CREDENTIALS): " +
    "an error when the predictor's ServiceAccount is in the tree and every Secret it lists is too and none holds a key KServe copies for that provider; a warning when the account, or a Secret it lists, is not in the tree. S3 with an account of the tree, or an unset one the tree lacks, is storage-credentials-missing's",
  example:
    "`storageUri: https://exampleacct.blob.core.windows.net/models/risk/v2` with `name: AZURE_STORAGE_CONNECTION_STRING` in the model's env, run as a ServiceAccount that lists no Secret with AZ_CLIENT_ID or AZURE_STORAGE_ACCESS_KEY",
  fix: "put the credentials in a Secret KServe reads (AWS_SECRET_ACCESS_KEY for S3; AZ_CLIENT_ID/AZURE_CLIENT_ID, AZURE_ACCESS_TOKEN or AZURE_STORAGE_ACCESS_KEY for Azure; gcloud-application-credentials.json for GCS) and list it on the predictor's ServiceAccount, or use a storage-config entry and storage.key",
  source:
    'kserve pkg/webhook/admission/pod/storage_initializer_injector.go InjectStorageInitializer (the init container gets env from CreateStorageSpecSecretEnvs or CreateSecretVolumeAndEnv and the ClusterStorageContainer spec, never from the user container); pkg/credentials/service_account_credentials.go (the Secret keys per provider); pkg/credentials/azure/azure_secret.go (AZURE_STORAGE_CONNECTION_STRING is not among the keys copied)',
  check(o, { graph }) {
    return isModelMesh(o.manifest) ? [] : judge(graph, o.manifest);
  },
};
