import { mapping, mappings, stringMap, text } from '../../manifests/access';
import { containersOf } from '../pods';
import { connectionsBesidesKey, connectionsIn, STORAGE_CONFIG } from '../connections';
import { modelFieldOf, modelSpecOf, storageLocationOf, storageLocationWritten } from '../serving-model';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import type { Platform } from '../platform';
import { CONNECTIONS_ANNOTATION, STORAGE_SECRET_ANNOTATION } from '../../k8s/keys';
import { AWS_IRSA_ANNOTATION, predictorAccountOf, secretHasKey } from '../predictor-account';
import type { Loose } from '../../manifests/access';
import { isModelMesh, modelMeshStorageProblems } from '../modelmesh-storage';
import { didYouMean, NamedCandidate, objectCandidates } from '../near-names';
import { GraphObject, locationOf } from '../graph-object';

/** What a finding says of a build whose sources the reader did not all follow (input-not-followed tells which). */
const UNREAD_SOURCES = 'sources check does not read (remote bases, charts; see input-not-followed)';

/** The key KServe looks for in a ServiceAccount's Secrets to give the storage initializer S3 env (kserve pkg/credentials/s3). */
const S3_SECRET_KEY = 'AWS_SECRET_ACCESS_KEY';

/** The prefix of the S3 settings KServe reads from the annotations of a credentials Secret (kserve pkg/credentials/s3 s3_secret.go). */
const S3_ANNOTATION_PREFIX = 'serving.kserve.io/s3-';

/** A MinIO image: minio/minio, quay.io/minio/minio, bitnami/minio. */
const MINIO_IMAGE = /(^|\/)minio(:|@|$)/i;

/** The tree's own S3 server, in words: a MinIO workload or an Argo CD Application of a minio chart; none when it runs none. */
function inClusterS3Server(graph: ObjectGraph): string | undefined {
  for (const o of graph.objects) {
    const kind = String(o.manifest.kind);
    if (kind === 'Application' && String(o.manifest.apiVersion).startsWith('argoproj.io/')) {
      const spec = mapping(o.manifest.spec);
      const sources = [mapping(spec.source), ...mappings(spec.sources)];
      if (sources.some((src) => text(src.chart) === 'minio')) return `the tree deploys MinIO (${graph.id(o)}, chart minio)`;
    }
    const image = containersOf(o.manifest)
      .map((c) => text(c.container.image) ?? '')
      .find((i) => MINIO_IMAGE.test(i));
    if (image) return `the tree runs MinIO (${graph.id(o)}, ${image})`;
  }
  return undefined;
}

/**
 * Why an unset account the tree lacks is certain to give no credentials on upstream KServe, where a node role could
 * otherwise grant S3 access: S3 settings written as annotations of the service (KServe reads them on the account's
 * Secret only), or an S3 server of the tree's own (no AWS role reaches it, and the initializer goes to AWS without
 * an endpoint).
 */
function certainOnKServe(graph: ObjectGraph, m: Loose): string | undefined {
  const misplaced = Object.keys(stringMap(mapping(m.metadata).annotations)).filter((k) => k.startsWith(S3_ANNOTATION_PREFIX));
  if (misplaced.length)
    return `its annotations ${misplaced.join(', ')} are read by KServe on a Secret the ServiceAccount lists, not on the InferenceService, so they are ignored`;
  const server = inClusterS3Server(graph);
  return server ? `${server}, which no node role reaches, and without an endpoint from the account's Secret the storage initializer goes to AWS S3` : undefined;
}

/**
 * How to give the storage initializer credentials, on the platform judged: OpenShift AI's connections (storage.key,
 * or its connections annotation, which odh-model-controller turns into storage-config entries); upstream KServe's
 * Secret with the S3 keys (and its serving.kserve.io/s3-* annotations) listed on the predictor's ServiceAccount
 * (docs: "Deploy InferenceService with a saved model on S3"), or an entry of its storage-config Secret named by
 * storage.key (kserve pkg/webhook/admission/pod/storage_initializer_injector.go, the storage spec).
 */
function storageFix(m: Loose, account: string, platform: Platform): string {
  if (platform === 'kserve')
    return (
      `create a Secret with AWS_ACCESS_KEY_ID and ${S3_SECRET_KEY} (and its ${S3_ANNOTATION_PREFIX}endpoint annotation for a server other than AWS S3), list it on a ServiceAccount and name that account in spec.predictor.serviceAccountName (or list it on ServiceAccount ${account}), ` +
      `or set ${modelFieldOf(m)}.storage.key to an entry of the namespace's ${STORAGE_CONFIG} Secret`
    );
  return `set ${modelFieldOf(m)}.storage.key to the connection Secret's name (or the ${CONNECTIONS_ANNOTATION} annotation), or list a Secret with ${S3_SECRET_KEY} on ServiceAccount ${account}`;
}

/**
 * A service with no storage key or connection: KServe reads credentials from the predictor's ServiceAccount, `default`
 * when serviceAccountName is unset (CreateSecretVolumeAndEnv): its IRSA annotation, else a listed Secret with
 * AWS_SECRET_ACCESS_KEY. The tree's account is judged by what it lists; one the tree lacks is judged only when unset
 * (the namespace's default, which may hold keys or IRSA the tree does not show, and boto3 falls back to the node role).
 */
function accountCredentials(graph: ObjectGraph, m: Loose, location: string | undefined, platform: Platform, unread: boolean): Problem[] {
  const acct = predictorAccountOf(graph, m);
  const fix = storageFix(m, acct.name, platform);
  if (!acct.account) {
    if (!acct.implicit || acct.ambiguous) return []; // the account lives outside the tree, or which one is not told: nothing to judge
    // OpenShift AI's data science projects give the default account no storage Secret (connections reach the storage
    // initializer through storage.key and storage-config) and its nodes no cloud role for S3: certain there
    const openShiftAi = platform !== 'kserve';
    const certain = openShiftAi ? undefined : certainOnKServe(graph, m);
    return [
      {
        // a build with sources the reader did not follow (a remote base, a chart) may define the account
        severity: (openShiftAi || certain) && !unread ? 'error' : 'warning',
        message:
          `weights come from ${location} and spec.predictor.serviceAccountName is unset, so KServe reads the storage-initializer credentials from ServiceAccount default, which the tree does not define${unread ? ` (its build also takes ${UNREAD_SOURCES}, which may)` : ''}: ` +
          (openShiftAi
            ? `on OpenShift AI that account lists no storage Secret (connections reach the storage initializer through storage.key), so the download fails with "Unable to locate credentials"; ${fix}`
            : certain
              ? `${certain}; the download fails ("Unable to locate credentials", or the bucket is not found); ${fix}`
              : `unless it lists a Secret with ${S3_SECRET_KEY}, carries ${AWS_IRSA_ANNOTATION} or the node's role grants access, the download fails with "Unable to locate credentials"; ${fix}`),
      },
    ];
  }
  if (acct.irsa || acct.secretsInTree.length < acct.secrets.length || acct.secretsInTree.some((s) => secretHasKey(s, S3_SECRET_KEY))) return [];
  const listed = acct.secrets.length ? `lists no Secret with ${S3_SECRET_KEY} (${acct.secrets.join(', ')})` : 'lists no Secrets';
  return [
    {
      message:
        `weights come from ${location} but ServiceAccount ${acct.name}${acct.implicit ? ' (serviceAccountName is unset, so KServe uses default)' : ''} ${listed} and has no ${AWS_IRSA_ANNOTATION} annotation: ` +
        `the storage initializer gets no credentials and the download fails with "Unable to locate credentials" (unless the node's role grants access); ${fix}`,
    },
  ];
}

/**
 * On OpenShift AI, storage-config is odh-model-controller's: one entry per connection of the namespace, under the
 * connection's name (odh-model-controller secret_controller). Where the tree holds connections in the service's
 * namespace, it delivers that namespace's connections, and a key that names none of them has no entry.
 */
function unknownConnection(graph: ObjectGraph, key: string, ns: string | undefined, field: string, unread: boolean): Problem[] {
  const connections = connectionsBesidesKey(graph, key, ns);
  if (!connections) return [];
  if (unread)
    return [
      {
        severity: 'warning',
        message: `${field}.storage.key '${key}' names no connection of namespace ${ns} in the tree (it has ${connections.join(', ')}), and the service's build also takes ${UNREAD_SOURCES}, which may hold it: unless one does, odh-model-controller builds storage-config without '${key}' and the pod is rejected with "specified storage key ${key} not found in storage secret"`,
      },
    ];
  const created = (graph.find('Namespace', ns) ?? graph.find('Project', ns)) ? 'which the tree creates with' : 'where the tree defines';
  const meant = didYouMean(key, objectCandidates(connectionsIn(graph, ns)));
  return [
    {
      message:
        `${field}.storage.key '${key}' names no connection of namespace ${ns}, ${created} the connections ${connections.join(', ')}${meant ? ` (${meant})` : ''}: ` +
        `odh-model-controller builds storage-config from those, so the pod is rejected with "specified storage key ${key} not found in storage secret"; use one of their names, or add the connection ${key} to the tree`,
    },
  ];
}

/**
 * A storage Secret no manifest declares but a script of the tree creates with every key said (`oc create secret
 * generic storage-config --from-literal=…`): a key it lacks has no entry. On OpenShift AI a connection of the tree in
 * the namespace makes odh-model-controller rebuild storage-config from the connections, so the script's keys do not
 * decide there (unknownConnection does).
 */
function scriptStorageKeyProblems(
  graph: ObjectGraph,
  key: string,
  secretName: string,
  ns: string | undefined,
  m: Loose,
  platform: Platform,
): Problem[] | undefined {
  if (graph.secretWrittenByController(secretName, ns)) return undefined;
  const made = graph.scriptSecretKeys(secretName, ns);
  if (!made) return undefined;
  if (made.keys.has(key)) return [];
  if (secretName === STORAGE_CONFIG && platform !== 'kserve' && connectionsIn(graph, ns).length) return undefined;
  const meant = didYouMean(
    key,
    [...made.keys].map((k) => ({ name: k, where: `${made.by.script}, line ${made.by.line}` })),
  );
  return [
    {
      message:
        `${modelFieldOf(m)}.storage.key '${key}' is not a key of Secret ${secretName}, which ${made.by.script} (line ${made.by.line}) creates with only ${[...made.keys].sort().join(', ')}${meant ? ` (${meant})` : ''}: ` +
        `the pod is rejected with "specified storage key ${key} not found in storage secret"; give the Secret an entry '${key}' (a JSON document with the connection's type, endpoint, bucket and keys), or name an entry it has`,
    },
  ];
}

/** The keys of the Secret's declarations, each where its declaration is, as a storage key may name them. */
function secretKeyCandidates(secrets: readonly GraphObject[]): NamedCandidate[] {
  return secrets.flatMap((s) =>
    [...Object.keys(mapping(s.manifest.data)), ...Object.keys(mapping(s.manifest.stringData))].map((name) => ({ name, where: locationOf(s) })),
  );
}

export const storageCredentialsMissing: Rule = {
  id: 'storage-credentials-missing',
  title: 'an InferenceService loads from S3 with no credential path at all, or names a storage key that the storage-config Secret of the tree lacks',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the model is loaded from s3:// (OCI, PVC and hf:// sources need no S3 credentials), or through a storage key; with neither key nor connection, the predictor's ServiceAccount (`default` when serviceAccountName is unset) is judged when the tree defines it (IRSA annotation or a Secret with AWS_SECRET_ACCESS_KEY), and an unset one the tree lacks is an error on OpenShift AI (its default account holds no storage Secret) and a warning on upstream KServe (a node role may grant access), an error there too where the service carries serving.kserve.io/s3-* annotations (KServe reads them on the account's Secret, not on the service) or the tree runs its own MinIO (no node role reaches it); on OpenShift AI a key is judged against the tree's storage-config (a manifest, or a Secret a script of the tree creates with a command that names every key, when the tree holds no connection in that namespace), else against the connections the tree defines in the service's namespace (a connection a Job, hook or script of the tree creates when it runs counts: a Secret it applies with the connection labels, or one it makes with `create secret`; secret-not-in-tree says the order) (none there: not judged, secret-not-in-tree warns). The advice follows the platform judged (OpenShift AI: a connection by storage.key or the opendatahub.io/connections annotation; upstream KServe: a Secret with the S3 keys on the predictor's ServiceAccount, or a storage-config entry) and the location is quoted as written. A ModelMesh service (deploymentMode ModelMesh) is judged as ModelMesh's puller reads storage-config, whatever storageSecretName says: its key (storage.key, or the serving.kserve.io/secretKey annotation) must be an entry of the tree's storage-config; without one, on OpenShift AI, a connection of that name must be in the namespace (a manifest, or one a Job or script of the tree creates), an error when the tree creates the namespace (nothing else puts the entry there) and a warning otherwise; a service naming no key needs the entry `default` only when neither its storageUri nor storage.parameters.type gives the storage type. A verdict that something is missing (an account, a connection, an entry of a namespace the tree creates) is a warning where the service's kustomize build also takes sources check does not read (a remote base or resource, a Helm chart), which may hold it",
  example:
    '`storageUri: s3://models/m/` with no storage.key or connection annotation, run as a ServiceAccount of the tree that lists no Secret with AWS_SECRET_ACCESS_KEY',
  fix: "set spec.predictor.model.storage.key to the connection Secret's name (or opendatahub.io/connections); a misspelt key is told the connection or entry it most likely meant",
  source:
    'kserve pkg/credentials/service_account_credentials.go CreateSecretVolumeAndEnv (an empty serviceAccountName is default), pkg/credentials/s3/s3_secret.go BuildSecretEnvs (the serving.kserve.io/s3-* annotations of the Secret); KServe storage-initializer: "Unable to locate credentials"; "specified storage key … not found in storage secret"; ModelMesh: modelmesh-serving pkg/predictor_source/inferenceservice_registry.go processInferenceServiceStorage and modelmesh-runtime-adapter model-serving-puller/puller/puller.go ProcessLoadModelRequest ("Did not find storage config for key", the `default` key); odh-model-controller secret_controller (storage-config from connections)',
  check(o, { graph, platform }) {
    const m = o.manifest;
    // ModelMesh's runtime pods read storage-config with their own puller, not the storage initializer's credentials
    if (isModelMesh(m)) return modelMeshStorageProblems(graph, o, platform);
    const location = storageLocationOf(m);
    const model = modelSpecOf(m);
    const storage = mapping(model.storage);
    const a = stringMap(mapping(m.metadata).annotations);
    const anonymous = mapping(storage.parameters).anonymous === 'true';
    const key = text(storage.key);
    // a storage key is looked up in the storage Secret whatever the location's scheme (KServe storage spec)
    if (!location?.startsWith('s3://') && !key) return [];
    const unread = graph.inPartlyBuiltBuild(o);
    if (!key && !a[STORAGE_SECRET_ANNOTATION] && !a[CONNECTIONS_ANNOTATION] && !anonymous)
      return accountCredentials(graph, m, storageLocationWritten(m), platform, unread);
    const secretName = a[STORAGE_SECRET_ANNOTATION] ?? STORAGE_CONFIG;
    const ns = graph.namespaceOf(m);
    const storageConfig = key ? graph.find('Secret', secretName, ns) : undefined;
    const scripted = !storageConfig && key ? scriptStorageKeyProblems(graph, key, secretName, ns, m, platform) : undefined;
    if (scripted) return scripted;
    if (!storageConfig && key && secretName === STORAGE_CONFIG && platform !== 'kserve') return unknownConnection(graph, key, ns, modelFieldOf(m), unread);
    if (!storageConfig || !key) return [];
    // a Secret the tree declares several times (samples applied one at a time) has the key if one declaration has it
    const keySets = graph
      .findAll('Secret', secretName, ns)
      .map((s) => new Set([...Object.keys(mapping(s.manifest.data)), ...Object.keys(mapping(s.manifest.stringData))]));
    if (keySets.some((k) => k.has(key))) return [];
    const keys = new Set(keySets.flatMap((k) => [...k]));
    const meant = didYouMean(key, secretKeyCandidates(graph.findAll('Secret', secretName, ns)));
    return [
      {
        message: `${modelFieldOf(m)}.storage.key '${key}' is not a key of Secret ${secretName} in the tree (it has ${[...keys].join(', ') || 'none'}${meant ? `; ${meant}` : ''}); the pod is rejected with "specified storage key ${key} not found in storage secret"`,
      },
    ];
  },
};
