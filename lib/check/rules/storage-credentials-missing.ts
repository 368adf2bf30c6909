import { mapping, stringMap, text } from '../../manifests/access';
import { connectionsIn, nameOf, STORAGE_CONFIG } from '../connections';
import { modelSpecOf, ObjectGraph, storageLocationOf } from '../graph';
import { Problem, Rule } from '../rule';
import { CONNECTIONS_ANNOTATION, STORAGE_SECRET_ANNOTATION } from '../../k8s/keys';

/**
 * On OpenShift AI, storage-config is odh-model-controller's: one entry per connection of the namespace, under the
 * connection's name. When the tree creates the namespace and holds connections there, a key that names none of them
 * has no entry (a connection made by hand in a namespace the tree creates is not counted on).
 */
function unknownConnection(graph: ObjectGraph, key: string, ns: string | undefined): Problem[] {
  if (ns === undefined || !(graph.find('Namespace', ns) ?? graph.find('Project', ns))) return [];
  const connections = connectionsIn(graph, ns).map(nameOf);
  if (!connections.length || connections.includes(key)) return [];
  return [
    {
      message:
        `spec.predictor.model.storage.key '${key}' names no connection of namespace ${ns}, which the tree creates with the connections ${connections.sort().join(', ')}: ` +
        `odh-model-controller builds storage-config from those, so the pod is rejected with "specified storage key ${key} not found in storage secret"; use one of their names`,
    },
  ];
}

export const storageCredentialsMissing: Rule = {
  id: 'storage-credentials-missing',
  title: 'an InferenceService loads from S3 with no credential path at all, or names a storage key that the storage-config Secret of the tree lacks',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the model is loaded from s3:// (OCI, PVC and hf:// sources need no S3 credentials), or through a storage key; on OpenShift AI a key is judged against the tree's storage-config, else against the connections of a namespace the tree creates",
  example: '`storageUri: s3://models/m/` with no storage.key, connection annotation or serviceAccountName',
  fix: "set spec.predictor.model.storage.key to the connection Secret's name (or opendatahub.io/connections)",
  source: 'KServe storage-initializer: "Unable to locate credentials"; "specified storage key … not found in storage secret"',
  check(o, { graph, platform }) {
    const m = o.manifest;
    const location = storageLocationOf(m);
    const model = modelSpecOf(m);
    const storage = mapping(model.storage);
    const a = stringMap(mapping(m.metadata).annotations);
    const anonymous = mapping(storage.parameters).anonymous === 'true';
    const key = text(storage.key);
    // a storage key is looked up in the storage Secret whatever the location's scheme (KServe storage spec)
    if (!location?.startsWith('s3://') && !key) return [];
    if (!key && !a[STORAGE_SECRET_ANNOTATION] && !a[CONNECTIONS_ANNOTATION] && !text(mapping(mapping(m.spec).predictor).serviceAccountName) && !anonymous) {
      return [
        {
          message:
            `weights come from ${location} but nothing gives the storage-initializer credentials: set spec.predictor.model.storage.key to the connection Secret's name ` +
            `(or the ${CONNECTIONS_ANNOTATION} annotation, or a serviceAccountName whose Secrets hold AWS_SECRET_ACCESS_KEY); the download fails with "Unable to locate credentials"`,
        },
      ];
    }
    const secretName = a[STORAGE_SECRET_ANNOTATION] ?? STORAGE_CONFIG;
    const ns = graph.namespaceOf(m);
    const storageConfig = key ? graph.find('Secret', secretName, ns) : undefined;
    if (!storageConfig && key && secretName === STORAGE_CONFIG && platform !== 'kserve') return unknownConnection(graph, key, ns);
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
