import { mapping, stringMap, text } from '../../manifests/access';
import { modelSpecOf, storageLocationOf } from '../graph';
import { Rule } from '../rule';
import { CONNECTIONS_ANNOTATION, STORAGE_SECRET_ANNOTATION } from '../../k8s/keys';

export const storageCredentialsMissing: Rule = {
  id: 'storage-credentials-missing',
  title: 'an InferenceService loads from S3 with no credential path at all, or names a storage key that the storage-config Secret of the tree lacks',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise: 'the model is loaded from s3:// (OCI, PVC and hf:// sources need no S3 credentials)',
  example: '`storageUri: s3://models/m/` with no storage.key, connection annotation or serviceAccountName',
  fix: "set spec.predictor.model.storage.key to the connection Secret's name (or opendatahub.io/connections)",
  source: 'KServe storage-initializer: "Unable to locate credentials"; "specified storage key … not found in storage secret"',
  check(o, { graph }) {
    const m = o.manifest;
    const location = storageLocationOf(m);
    if (!location?.startsWith('s3://')) return [];
    const model = modelSpecOf(m);
    const storage = mapping(model.storage);
    const a = stringMap(mapping(m.metadata).annotations);
    const anonymous = mapping(storage.parameters).anonymous === 'true';
    const key = text(storage.key);
    if (!key && !a[STORAGE_SECRET_ANNOTATION] && !a[CONNECTIONS_ANNOTATION] && !text(mapping(mapping(m.spec).predictor).serviceAccountName) && !anonymous) {
      return [
        {
          message:
            `weights come from ${location} but nothing gives the storage-initializer credentials: set spec.predictor.model.storage.key to the connection Secret's name ` +
            `(or the ${CONNECTIONS_ANNOTATION} annotation, or a serviceAccountName whose Secrets hold AWS_SECRET_ACCESS_KEY); the download fails with "Unable to locate credentials"`,
        },
      ];
    }
    const secretName = a[STORAGE_SECRET_ANNOTATION] ?? 'storage-config';
    const storageConfig = key ? graph.find('Secret', secretName, graph.namespaceOf(m)) : undefined;
    if (!storageConfig || !key) return [];
    const keys = new Set([...Object.keys(mapping(storageConfig.manifest.data)), ...Object.keys(mapping(storageConfig.manifest.stringData))]);
    if (keys.has(key)) return [];
    return [
      {
        message: `spec.predictor.model.storage.key '${key}' is not a key of Secret ${secretName} in the tree (it has ${[...keys].join(', ') || 'none'}); the pod is rejected with "specified storage key ${key} not found in storage secret"`,
      },
    ];
  },
};
