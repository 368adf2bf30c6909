import { Loose, mapping, stringMap, text } from '../manifests/access';
import { DEPLOYMENT_MODE_ANNOTATION } from '../k8s/keys';
import { connectionsIn, nameOf, scriptMadeConnection, STORAGE_CONFIG } from './connections';
import { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import type { Platform } from './platform';
import type { Problem } from './rule';
import { namespacesCreated } from './tree-namespaces';

/** The annotation older ModelMesh services name their storage key with (modelmesh-serving inferenceservice_registry.go secretKeyAnnotation). */
const SECRET_KEY_ANNOTATION = 'serving.kserve.io/secretKey';
/** The puller's key for a service that names none (modelmesh-runtime-adapter puller.go defaultStorageKey). */
const DEFAULT_KEY = 'default';
/** The framework fields ModelMesh reads a predictor's storage from when `model` is absent (getPredictorFramework). */
const FRAMEWORKS = ['xgboost', 'lightgbm', 'sklearn', 'tensorflow', 'onnx', 'pytorch', 'triton', 'pmml'];

/** Whether the InferenceService is one ModelMesh serves (the deploymentMode annotation), not KServe's predictor reconciler. */
export function isModelMesh(isvc: Loose): boolean {
  return stringMap(mapping(isvc.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION] === 'ModelMesh';
}

/** What ModelMesh's storage lookup reads of a service (modelmesh-serving pkg/predictor_source processInferenceServiceStorage). */
export interface ModelMeshStorage {
  readonly key?: string;
  readonly path?: string;
  readonly uri?: string;
  readonly parameters: Record<string, string>;
}

export function modelMeshStorageOf(isvc: Loose): ModelMeshStorage {
  const predictor = mapping(mapping(isvc.spec).predictor);
  const field =
    predictor.model !== undefined && predictor.model !== null ? 'model' : FRAMEWORKS.find((f) => predictor[f] !== undefined && predictor[f] !== null);
  const ext = mapping(field === undefined ? undefined : predictor[field]);
  const storage = mapping(ext.storage);
  return {
    key: text(storage.key) ?? stringMap(mapping(isvc.metadata).annotations)[SECRET_KEY_ANNOTATION],
    path: text(storage.path),
    uri: text(ext.storageUri),
    parameters: stringMap(storage.parameters),
  };
}

/** The entries of the tree's storage-config Secret of the namespace, or undefined when the tree holds none. */
export function storageConfigEntries(graph: ObjectGraph, ns: string | undefined): Set<string> | undefined {
  const secret = graph.find('Secret', STORAGE_CONFIG, ns);
  if (!secret) return undefined;
  return new Set([...Object.keys(mapping(secret.manifest.data)), ...Object.keys(mapping(secret.manifest.stringData))]);
}

/** "namespace 'ml'", or the service's namespace when the tree does not tell it. */
const where = (ns: string | undefined) => (ns === undefined ? "the service's namespace" : `namespace '${ns}'`);

/**
 * Where storage-config's entries come from when the tree holds no storage-config: on OpenShift AI odh-model-controller
 * writes one entry per connection of the namespace, under the connection's name (secret_controller); on upstream
 * KServe someone writes it by hand. Undefined when a connection (or a Secret some controller of the tree writes) of
 * that name is there.
 */
function missingEntry(graph: ObjectGraph, key: string, ns: string | undefined, platform: Platform, unread: boolean): Problem | undefined {
  const openShiftAi = platform !== 'kserve';
  const connections = openShiftAi ? connectionsIn(graph, ns).map(nameOf).sort() : [];
  // a connection a Job or script of the tree creates when it runs: the entry follows (secret-not-in-tree says the order)
  if (openShiftAi && (connections.includes(key) || graph.secretWrittenByController(key, ns) || scriptMadeConnection(graph, key, ns))) return undefined;
  const made = ns !== undefined && namespacesCreated(graph).has(ns);
  const source = openShiftAi
    ? `which odh-model-controller writes from the namespace's connections (one entry per connection, under its name; ${connections.length ? `the tree's: ${connections.join(', ')}` : 'the tree holds none'})`
    : 'which the tree does not hold';
  const fix = openShiftAi
    ? `create the connection '${key}' (a Secret labelled opendatahub.io/dashboard and opendatahub.io/managed) in ${where(ns)}, or name one that is there`
    : `create Secret ${STORAGE_CONFIG} in ${where(ns)} with an entry '${key}'`;
  const reading = `ModelMesh reads the storage key '${key}' as an entry of Secret ${STORAGE_CONFIG} in ${where(ns)}, ${source}`;
  // a build with sources the reader did not follow (a remote base, a chart) may deliver the Secret itself
  if (made && !unread) {
    return {
      message: `${reading}; the tree creates that namespace and nothing of it makes the entry, so the model load fails with "Did not find storage config for key ${key}"; ${fix}`,
    };
  }
  const beside = made ? ` (the service's build also takes sources check does not read: remote bases, charts; see input-not-followed)` : '';
  return {
    severity: 'warning',
    message: `${reading}${beside}; make sure the entry exists before the service syncs, or the model load fails with "Did not find storage config for key ${key}": ${fix}`,
  };
}

/**
 * A ModelMesh service's storage key, judged as modelmesh-runtime-adapter's puller reads it (model-serving-puller
 * puller.go ProcessLoadModelRequest): a key the service names must be an entry of storage-config ("Did not find storage
 * config for key"); with none, the puller tries the entry `default` (or `default_<type>`) and goes on with the
 * service's parameters, so only a service whose URI and parameters give no storage type needs `default`.
 */
export function modelMeshStorageProblems(graph: ObjectGraph, isvc: GraphObject, platform: Platform): Problem[] {
  const s = modelMeshStorageOf(isvc.manifest);
  const ns = graph.namespaceOf(isvc.manifest);
  const entries = storageConfigEntries(graph, ns);
  if (s.key !== undefined) {
    if (entries === undefined) return [missingEntry(graph, s.key, ns, platform, graph.inPartlyBuiltBuild(isvc))].filter((p): p is Problem => p !== undefined);
    if (entries.has(s.key)) return [];
    return [
      {
        message: `spec.predictor.model.storage.key '${s.key}' is not an entry of Secret ${STORAGE_CONFIG} in the tree (it has ${[...entries].sort().join(', ') || 'none'}): ModelMesh's puller fails the load with "Did not find storage config for key ${s.key}"; add the entry or name one it has`,
      },
    ];
  }
  if (s.uri !== undefined || s.path === undefined || s.parameters.type !== undefined || entries === undefined || entries.has(DEFAULT_KEY)) return [];
  return [
    {
      message:
        `spec.predictor.model.storage names no key and neither a storageUri nor storage.parameters.type gives the storage type, so ModelMesh's puller needs the entry '${DEFAULT_KEY}' of Secret ${STORAGE_CONFIG}, ` +
        `which the tree's lacks (it has ${[...entries].sort().join(', ') || 'none'}): the load fails with "Predictor Storage field missing"; set storage.key to one of its entries`,
    },
  ];
}

/** The storage providers of modelmesh-runtime-adapter's pullman that list objects by the path as a literal key prefix. */
const PREFIX_PROVIDERS = ['s3', 'gcs', 'azure'];

/**
 * The storage type ModelMesh's puller uses for a service: its parameters' type, else the type of the tree's
 * storage-config entry; on OpenShift AI a dashboard data connection (aws-connection-…) is an S3 connection.
 */
export function modelMeshStorageType(graph: ObjectGraph, isvc: Loose, platform: Platform): string | undefined {
  const s = modelMeshStorageOf(isvc);
  if (s.parameters.type) return s.parameters.type;
  if (s.key === undefined) return undefined;
  const secret = graph.find('Secret', STORAGE_CONFIG, graph.namespaceOf(isvc));
  const raw = text(mapping(secret?.manifest.stringData)[s.key]) ?? text(mapping(secret?.manifest.data)[s.key]);
  if (raw !== undefined) {
    const decoded = text(mapping(secret?.manifest.stringData)[s.key]) === undefined ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    try {
      return text(mapping(JSON.parse(decoded) as unknown).type);
    } catch {
      return undefined;
    }
  }
  return platform !== 'kserve' && s.key.startsWith('aws-connection-') ? 's3' : undefined;
}

/** Whether the puller's provider for the type lists the storage path as a key prefix (S3, GCS, Azure; not PVC or HTTP, which join paths). */
export const listsByPrefix = (type: string | undefined): boolean => type !== undefined && PREFIX_PROVIDERS.includes(type);
