import * as fs from 'fs';
import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/**
 * The Secret key that makes a ServiceAccount's Secret an S3 credential for KServe's credential builder (kserve
 * pkg/credentials/s3/s3_secret.go AWSSecretAccessKeyName, the default of inferenceservice-config's
 * credentials.s3.s3SecretAccessKeyName).
 */
const S3_SECRET_KEY = 'AWS_SECRET_ACCESS_KEY';

/**
 * ServiceAccount annotations that give the storage initializer credentials without a Secret: KServe's own S3
 * annotations on the ServiceAccount (pkg/credentials/s3 BuildServiceAccountEnvs), and the cloud workload identities
 * (EKS IRSA eks.amazonaws.com/role-arn, GKE iam.gke.io/gcp-service-account, Azure azure.workload.identity/client-id).
 */
const IDENTITY_ANNOTATION = /^(serving\.kserve\.io\/s3-|eks\.amazonaws\.com\/|iam\.gke\.io\/|azure\.workload\.identity\/)/;

/** OpenShift AI's connection annotation, by which its model controller injects a data connection's credentials. */
const CONNECTION_ANNOTATION = /^opendatahub\.io\/connections?$/;

/** The storageUri of an InferenceService's predictor: its model's, or a framework block's (sklearn, pytorch, …). */
function storageUriOf(predictor: Loose): { field: string; uri: string } | undefined {
  for (const [key, value] of Object.entries(predictor)) {
    const uri = text(mapping(value).storageUri);
    if (uri) return { field: `spec.predictor.${key}.storageUri`, uri };
  }
  return undefined;
}

/** The secrets a ServiceAccount lists: from its manifest, or none for one a script creates with `create sa` and never links. */
function accountSecrets(graph: ObjectGraph, name: string, namespace: string | undefined): { names: string[]; where: string } | undefined {
  const sa = graph.find('ServiceAccount', name, namespace);
  if (sa) {
    if (Object.keys(stringMap(mapping(sa.manifest.metadata).annotations)).some((k) => IDENTITY_ANNOTATION.test(k))) return undefined;
    return { names: mappings(sa.manifest.secrets).flatMap((s) => text(s.name) ?? []), where: graph.id(sa) };
  }
  const made = graph.scriptCreating('ServiceAccount', name, namespace);
  if (!made || made.manifest || !made.file) return undefined;
  // a script that links a Secret to the account, patches or annotates it, may give it credentials: not judged
  let script = '';
  try {
    script = fs.readFileSync(made.file, 'utf8');
  } catch {
    return undefined;
  }
  // a variable may name it: any link, patch or annotate of a ServiceAccount leaves it unjudged
  if (/\b(secrets\s+link|patch\s+(sa|serviceaccounts?)\b|annotate\s+(sa|serviceaccounts?)\b)/.test(script)) return undefined;
  return { names: [], where: `ServiceAccount '${name}' (${made.script}:${made.line} creates it with no secrets)` };
}

/** Whether a Secret holds the S3 key: true, false, or undefined where its keys are not known (not in the tree, or keys a script does not say). */
function holdsS3Key(graph: ObjectGraph, name: string, namespace: string | undefined): boolean | undefined {
  const secret = graph.find('Secret', name, namespace);
  if (secret) return [mapping(secret.manifest.data), mapping(secret.manifest.stringData)].some((d) => S3_SECRET_KEY in d);
  return graph.scriptSecretKeys(name, namespace)?.keys.has(S3_SECRET_KEY);
}

/** The Secrets of the namespace that hold S3 keys, which nothing links to the account: what was evidently meant. */
function unlinkedS3Secrets(graph: ObjectGraph, namespace: string | undefined): string[] {
  return graph
    .ofKind('Secret')
    .filter((s) => graph.namespaceOf(s.manifest) === namespace)
    .filter((s) => [mapping(s.manifest.data), mapping(s.manifest.stringData)].some((d) => S3_SECRET_KEY in d))
    .map((s) => graph.id(s));
}

function judge(o: GraphObject, graph: ObjectGraph): Problem[] {
  const spec = mapping(o.manifest.spec);
  const predictor = mapping(spec.predictor);
  const storage = storageUriOf(predictor);
  if (!storage?.uri.startsWith('s3://') || mapping(predictor.model).storage !== undefined) return [];
  if (Object.keys(stringMap(mapping(o.manifest.metadata).annotations)).some((k) => CONNECTION_ANNOTATION.test(k))) return [];
  const namespace = graph.namespaceOf(o.manifest);
  const account = text(predictor.serviceAccountName) ?? 'default';
  const secrets = accountSecrets(graph, account, namespace);
  if (!secrets) return [];
  const held = secrets.names.map((n) => holdsS3Key(graph, n, namespace));
  // a listed Secret whose keys are not known may be the credential
  if (held.some((h) => h !== false)) return [];
  const listed = secrets.names.length ? `lists only ${secrets.names.map((n) => `'${n}'`).join(', ')}, none with ${S3_SECRET_KEY}` : 'lists no secrets';
  const unlinked = unlinkedS3Secrets(graph, namespace);
  const meant = unlinked.length ? `; ${unlinked.join(', ')} of the namespace holds S3 keys, but nothing links it to the account` : '';
  return [
    {
      message:
        `${storage.field} '${storage.uri}' is downloaded by KServe's storage initializer with the credentials of the predictor's ${secrets.where}` +
        `${predictor.serviceAccountName === undefined ? " (no serviceAccountName: the namespace's default)" : ''}, which ${listed}${meant}: ` +
        `KServe gives the initializer no S3 keys and no serving.kserve.io/s3-endpoint, so it may read only a public AWS bucket; from a private bucket or a store other than AWS (MinIO, Ceph, OpenShift Data Foundation) the download fails and the predictor pod stays in its init container. ` +
        `List a Secret with AWS_ACCESS_KEY_ID and ${S3_SECRET_KEY} (annotated serving.kserve.io/s3-endpoint and serving.kserve.io/s3-usehttps for a store other than AWS) in the ServiceAccount's secrets:, or give spec.predictor.model.storage.key (the storage-config Secret's entry)`,
    },
  ];
}

export const kserveStorageCredentialsMissing: Rule = {
  id: 'kserve-storage-credentials-missing',
  title: "an InferenceService's s3:// storageUri whose ServiceAccount gives KServe's storage initializer no S3 credentials",
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    "a serving.kserve.io InferenceService whose predictor's storageUri (its model's, or a framework block's) is s3://, with no spec.predictor.model.storage (storage-config is read only through it) and no OpenShift AI connection annotation (opendatahub.io/connections, by which its model controller injects a data connection); its ServiceAccount (spec.predictor.serviceAccountName, else default) is in the tree, as a manifest without KServe S3 annotations or a cloud workload identity (eks.amazonaws.com/role-arn, iam.gke.io/gcp-service-account, azure.workload.identity/client-id), or made by a script's `create sa` that no `secrets link`, `patch` or `annotate` of the script changes; and every Secret it lists is known (in the tree, or made by a script that says its keys) and holds no AWS_SECRET_ACCESS_KEY. A warning: a public AWS bucket is read without credentials, and the cluster's inferenceservice-config may rename the key",
  example: '`storageUri: s3://lab-models/granite-2b` with `serviceAccountName: model-reader`, a ServiceAccount of the tree that lists no secrets',
  fix: "list a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and serving.kserve.io/s3-endpoint, s3-usehttps annotations for MinIO or another store) in the ServiceAccount's secrets:, or use spec.predictor.model.storage with the storage-config Secret's key",
  source:
    'kserve pkg/credentials/service_account_credentials.go CreateSecretVolumeAndEnv (the storage initializer gets the S3 envs of the Secrets the ServiceAccount lists that hold AWS_SECRET_ACCESS_KEY; no other Secret is read for a storageUri) and pkg/credentials/s3/s3_secret.go (the s3-endpoint, s3-usehttps annotations, the key names); kserve pkg/webhook/admission/pod/storage_initializer_injector.go (storage-config read for spec.predictor.model.storage); opendatahub-io/odh-model-controller (the opendatahub.io/connections annotation)',
  check(o, { graph }) {
    if (!String(o.manifest.apiVersion).startsWith('serving.kserve.io/')) return [];
    return judge(o, graph);
  },
};
