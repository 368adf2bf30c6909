import { isMapping, Loose, mapping, stringMap, text } from '../manifests/access';
import { CONNECTIONS_ANNOTATION, STORAGE_SECRET_ANNOTATION } from '../k8s/keys';
import { STORAGE_CONFIG } from './connections';
import { secretValues } from './credentials/object-fields';
import { ObjectGraph } from './graph';
import { predictorAccountOf } from './predictor-account';
import { modelSpecOf, storageLocationOf } from './serving-model';

/** The key of a dashboard connection Secret holding its S3 endpoint (odh-dashboard connection types; odh-model-controller copies it into storage-config). */
const CONNECTION_ENDPOINT_KEY = 'AWS_S3_ENDPOINT';

/** The field of a storage-config entry KServe's storage initializer reads the S3 endpoint from (kserve storage.py _update_with_storage_spec). */
const ENTRY_ENDPOINT_FIELD = 'endpoint_url';

/** The annotations of a ServiceAccount's Secret KServe builds the storage initializer's AWS_ENDPOINT_URL from (kserve pkg/credentials/s3/s3_secret.go). */
const S3_ENDPOINT_ANNOTATION = 'serving.kserve.io/s3-endpoint';
const S3_USE_HTTPS_ANNOTATION = 'serving.kserve.io/s3-usehttps';

/** An address an InferenceService's storage initializer downloads from, and where the tree says it. */
export interface StorageEndpoint {
  readonly url: string;
  readonly from: string;
}

/** The S3 endpoint of a storage-config entry: the entry's endpoint_url (KServe pod webhook CreateStorageSpecSecretEnvs reads it as JSON of strings). */
function entryEndpoint(raw: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isMapping(parsed) ? text(parsed[ENTRY_ENDPOINT_FIELD]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The endpoint a storage key gives: the entry of the storage Secret (storage-config, or the one the
 * serving.kserve.io/storageSecretName annotation names), else, where the tree holds no such entry, the connection
 * Secret of that name, from which odh-model-controller writes the entry.
 */
function keyEndpoints(graph: ObjectGraph, isvc: Loose, key: string, ns: string | undefined): StorageEndpoint[] {
  const secretName = stringMap(mapping(isvc.metadata).annotations)[STORAGE_SECRET_ANNOTATION] ?? STORAGE_CONFIG;
  const entries = graph
    .findAll('Secret', secretName, ns)
    .map((s) => secretValues(s.manifest))
    .filter((v) => v.keys.includes(key));
  if (entries.length) {
    return entries.flatMap((v) => {
      const url = entryEndpoint(v.decoded(key));
      return url ? [{ url, from: `the ${ENTRY_ENDPOINT_FIELD} of key '${key}' of Secret ${secretName}` }] : [];
    });
  }
  return connectionEndpoint(graph, key, ns);
}

/** A connection Secret's AWS_S3_ENDPOINT. */
function connectionEndpoint(graph: ObjectGraph, name: string, ns: string | undefined): StorageEndpoint[] {
  return graph.findAll('Secret', name, ns).flatMap((s) => {
    const values = secretValues(s.manifest);
    const url = values.keys.includes(CONNECTION_ENDPOINT_KEY) ? values.decoded(CONNECTION_ENDPOINT_KEY).trim() : '';
    return url ? [{ url, from: `the ${CONNECTION_ENDPOINT_KEY} of connection Secret ${name}` }] : [];
  });
}

/** The endpoints the predictor's ServiceAccount's Secrets give: serving.kserve.io/s3-endpoint, https unless s3-usehttps is "0" (BuildS3EnvVars). */
function accountEndpoints(graph: ObjectGraph, isvc: Loose): StorageEndpoint[] {
  const account = predictorAccountOf(graph, isvc);
  return account.secretsInTree.flatMap((s) => {
    const a = stringMap(mapping(s.manifest.metadata).annotations);
    const host = a[S3_ENDPOINT_ANNOTATION]?.trim();
    if (!host) return [];
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `${a[S3_USE_HTTPS_ANNOTATION] === '0' ? 'http' : 'https'}://${host}`;
    return [{ url, from: `the ${S3_ENDPOINT_ANNOTATION} of Secret ${text(mapping(s.manifest.metadata).name) ?? ''} (ServiceAccount ${account.name})` }];
  });
}

/**
 * Where an InferenceService's storage initializer downloads from, as the tree says it: an http(s) storage URI itself,
 * the S3 endpoint of its storage key (an entry of the storage Secret, or the connection of that name), of the
 * connection its opendatahub.io/connections annotation names, or of its ServiceAccount's Secrets. Only an s3 location
 * or a storage key uses an S3 endpoint.
 */
export function storageEndpointsOf(graph: ObjectGraph, isvc: Loose): StorageEndpoint[] {
  if (isvc.kind !== 'InferenceService') return [];
  const location = storageLocationOf(isvc);
  if (location && /^https?:\/\//.test(location)) return [{ url: location, from: 'its storage URI' }];
  const ns = graph.namespaceOf(isvc);
  const key = text(mapping(modelSpecOf(isvc).storage).key);
  if (key) return keyEndpoints(graph, isvc, key, ns);
  if (!location?.startsWith('s3://')) return [];
  const connection = stringMap(mapping(isvc.metadata).annotations)[CONNECTIONS_ANNOTATION];
  return connection ? connectionEndpoint(graph, connection, ns) : accountEndpoints(graph, isvc);
}
