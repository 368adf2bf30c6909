import { isMapping, mapping, stringMap, text } from '../../manifests/access';
import { modelSpecOf } from '../serving-model';
import { Problem, Rule } from '../rule';
import { STORAGE_SECRET_ANNOTATION } from '../../k8s/keys';
import { isModelMesh } from '../modelmesh-storage';
import { isSopsCiphertext } from '../../manifests/sops';

/** Storage types KServe's storage initializer accepts for a storage spec (storage type must be one of …). */
const STORAGE_TYPES = ['s3', 'hdfs', 'webhdfs'];

/** An entry of the storage Secret as the pod webhook reads it: JSON parsed into map[string]string. */
function entryProblems(raw: string, key: string, secretName: string, needsBucket: boolean, parameters: Record<string, string>): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [`key '${key}' of Secret ${secretName} is not JSON: the pod is rejected ("invalid json encountered in key ${key} of storage secret")`];
  }
  if (!isMapping(parsed)) return [`key '${key}' of Secret ${secretName} is not a JSON object: the pod is rejected ("invalid json encountered in key ${key}")`];
  const problems: string[] = [];
  const nonStrings = Object.entries(parsed).filter(([, v]) => typeof v !== 'string');
  if (nonStrings.length) {
    problems.push(
      `key '${key}' of Secret ${secretName} has values that are not JSON strings (${nonStrings.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}): ` +
        `KServe reads it as map[string]string and rejects the pod ("invalid json encountered"); quote them ("verify_ssl": "0")`,
    );
  }
  const entry = stringMap(parsed);
  const type = parameters.type ?? entry.type;
  if (!type)
    problems.push(
      `key '${key}' of Secret ${secretName} has no "type" (nor storage.parameters.type): the download fails with "unable to determine storage type"; add "type": "s3"`,
    );
  else if (!STORAGE_TYPES.includes(type))
    problems.push(
      `key '${key}' of Secret ${secretName} has type '${type}': KServe accepts ${STORAGE_TYPES.join(', ')} ("storage type [${type}] is not supported")`,
    );
  if (needsBucket && type === 's3' && !(parameters.bucket ?? entry.bucket)) {
    problems.push(
      `key '${key}' of Secret ${secretName} has no "bucket" (nor storage.parameters.bucket) but the service gives storage.path: "format [s3] requires a bucket but one wasn't found"`,
    );
  }
  if (entry.endpoint_url && !/^https?:\/\//.test(entry.endpoint_url)) {
    problems.push(
      `key '${key}' of Secret ${secretName} has endpoint_url '${entry.endpoint_url}' without a scheme: boto3 cannot use it; write http:// or https://`,
    );
  }
  return problems;
}

export const storageConfigInvalid: Rule = {
  id: 'storage-config-invalid',
  title: "the storage Secret entry an InferenceService's storage.key names is not what KServe's storage initializer can read",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    'the service sets storage.key, is not a ModelMesh service (ModelMesh reads the Secret with its own puller), and the storage Secret (storage-config, or the one named by the service annotation serving.kserve.io/storageSecretName) with that key is in the tree, its entry written in clear (SOPS ciphertext, decrypted before the apply, is not judged)',
  example: '`{"type": "s3", "verify_ssl": false}`, or an entry without "type", or without "bucket" for storage.path',
  fix: 'make the entry a JSON object of strings with "type" (s3), "bucket" when storage.path is used, and endpoint_url with its scheme',
  source: 'KServe pod webhook CreateStorageSpecSecretEnvs (map[string]string) and the storage initializer (_update_with_storage_spec, _download_s3)',
  check(o, { graph }) {
    const model = modelSpecOf(o.manifest);
    const storage = mapping(model.storage);
    const key = text(storage.key);
    if (!key) return [];
    // ModelMesh reads storage-config with its own puller (default_bucket, no storage initializer): not this rule's reader
    if (isModelMesh(o.manifest)) return [];
    const secretName = stringMap(mapping(o.manifest.metadata).annotations)[STORAGE_SECRET_ANNOTATION] ?? 'storage-config';
    const secret = graph.find('Secret', secretName, graph.namespaceOf(o.manifest));
    if (!secret) return [];
    const data = mapping(secret.manifest.data);
    const stringData = mapping(secret.manifest.stringData);
    // SOPS ciphertext is the entry its decryptor writes back before the apply: what JSON it holds is unknown
    if (isSopsCiphertext(stringData[key] ?? data[key])) return [];
    const raw = text(stringData[key]) ?? (text(data[key]) !== undefined ? Buffer.from(String(data[key]), 'base64').toString('utf8') : undefined);
    if (raw === undefined) return []; // storage-credentials-missing names a missing key
    const problems: Problem[] = entryProblems(raw, key, secretName, !!text(storage.path), stringMap(storage.parameters)).map((message) => ({ message }));
    return problems;
  },
};
