import { Construct } from 'constructs';
import { isDnsSubdomain, isSecretKey, requireBoolean } from '../private/names';
import { VllmConstruct } from '../check/app-construct';

/**
 * Properties of an `S3Connection`.
 */
export interface S3ConnectionProps {
  /**
   * Name of the OpenShift AI connection Secret in the serving namespace. It holds `AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, `AWS_S3_ENDPOINT`, `AWS_S3_BUCKET` and `AWS_DEFAULT_REGION`, carries the labels
   * `opendatahub.io/dashboard: "true"` and `opendatahub.io/managed: "true"` and the annotation
   * `opendatahub.io/connection-type: s3`, so that odh-model-controller writes it into `storage-config` under this name.
   *
   * The Secret holds credentials, so it is never rendered: create it with the dashboard, `oc create secret`,
   * External Secrets or Sealed Secrets.
   */
  readonly secretName: string;
  /** S3 endpoint with its scheme, e.g. `http://minio.minio-storage.svc:9000` or `https://s3.us-east-2.amazonaws.com`. */
  readonly endpoint: string;
  /** Bucket that holds the models. */
  readonly bucket: string;
  /**
   * Region of the bucket.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Key of the access key id inside the Secret.
   * @default 'AWS_ACCESS_KEY_ID'
   */
  readonly accessKeyIdKey?: string;
  /**
   * Key of the secret access key inside the Secret.
   * @default 'AWS_SECRET_ACCESS_KEY'
   */
  readonly secretAccessKeyKey?: string;
  /**
   * The Secret is created outside Git (dashboard connection, External Secrets, Sealed Secrets): services and jobs that
   * use it declare it (annotation `cdk8s-vllm.io/external-secrets`), so `secret-not-in-tree` stays silent for it.
   * @default false
   */
  readonly createdOutsideGit?: boolean;
}

/** A reference to one key of a Secret, rendered as a `secretKeyRef`. */
export interface SecretKeyReference {
  /** Secret name. */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/**
 * An S3 (or S3-compatible, e.g. MinIO) location for model weights and the Secret that holds its credentials.
 * InferenceServices, upload jobs and registration jobs share it, so endpoint, bucket and credentials are
 * named once. It renders no object: credentials stay out of Git.
 */
export class S3Connection extends VllmConstruct {
  public readonly secretName: string;
  public readonly endpoint: string;
  public readonly bucket: string;
  public readonly region: string;
  public readonly accessKeyId: SecretKeyReference;
  public readonly secretAccessKey: SecretKeyReference;
  /** Whether the Secret is declared as created outside Git. */
  public readonly external: boolean;

  constructor(scope: Construct, id: string, props: S3ConnectionProps) {
    super(scope, id);
    const where = `S3Connection ${this.node.path}`;
    if (!isDnsSubdomain(props.secretName)) {
      throw new Error(`${where}: secretName '${props.secretName}' is not a valid Secret name (lowercase letters, digits, '-' and '.', at most 253 characters)`);
    }
    let url: URL;
    try {
      url = new URL(props.endpoint);
    } catch {
      throw new Error(`${where}: endpoint '${props.endpoint}' is not a URL; give it with its scheme, e.g. http://minio.minio-storage.svc:9000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${where}: endpoint '${props.endpoint}' must start with http:// or https:// (KServe passes it to boto3 as endpoint_url)`);
    }
    if (url.pathname !== '/' || url.search) {
      throw new Error(`${where}: endpoint '${props.endpoint}' must not carry a path or query; put the bucket in 'bucket'`);
    }
    if (url.username || url.password) {
      throw new Error(`${where}: endpoint '${props.endpoint}' embeds credentials; keep them in the Secret '${props.secretName}'`);
    }
    if (!isBucketName(props.bucket)) {
      throw new Error(
        `${where}: bucket '${props.bucket}' is not a valid S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)`,
      );
    }
    this.secretName = props.secretName;
    requireBoolean(where, 'createdOutsideGit', props.createdOutsideGit);
    this.external = props.createdOutsideGit ?? false;
    this.endpoint = `${url.protocol}//${url.host}`;
    this.bucket = props.bucket;
    this.region = props.region ?? 'us-east-1';
    if (props.region !== undefined && (typeof props.region !== 'string' || !/^[A-Za-z0-9-]+$/.test(props.region))) {
      throw new Error(`${where}: region '${String(props.region)}' is not a region name: letters, digits and '-' (e.g. us-east-2); omit it for us-east-1`);
    }
    this.accessKeyId = { name: props.secretName, key: props.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID' };
    this.secretAccessKey = { name: props.secretName, key: props.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY' };
    // the keys are read through secretKeyRef, whose key the API server checks (IsConfigMapKey)
    for (const [field, key] of [
      ['accessKeyIdKey', this.accessKeyId.key],
      ['secretAccessKeyKey', this.secretAccessKey.key],
    ] as const) {
      if (!isSecretKey(key)) throw new Error(`${where}: ${field} '${String(key)}' is not a valid Secret key: use letters, digits, '-', '_' and '.'`);
    }
  }

  /**
   * The `s3://bucket/path/` URI of a model directory in this bucket.
   * @param path the model's prefix in the bucket, e.g. `mistral-small-24b/`
   */
  public uri(path: string): string {
    return `s3://${this.bucket}/${S3Connection.normalizePath(path)}`;
  }

  /**
   * Checks and normalizes a model prefix: no leading '/', exactly one trailing '/'.
   * The trailing slash matters: KServe downloads every object under the prefix, and `mistral-small-24b`
   * without it would also match `mistral-small-24b-fp8/`.
   */
  public static normalizePath(path: string): string {
    const p = path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!p || p.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
      throw new Error(`model path '${path}' must be a non-empty prefix such as 'mistral-small-24b/' without empty, '.' or '..' segments`);
    }
    return `${p}/`;
  }
}

function isBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..');
}

/** A model prefix normalized as `S3Connection.normalizePath` does, or an error naming the object and the field. */
export function requireModelPath(where: string, field: string, path: unknown): string {
  if (typeof path !== 'string')
    throw new Error(`${where}: ${field} must be a prefix such as 'mistral-small-24b/', got ${JSON.stringify(path) ?? String(path)}`);
  try {
    return S3Connection.normalizePath(path);
  } catch (e) {
    throw new Error(`${where}: ${field}: ${(e as Error).message}`);
  }
}
