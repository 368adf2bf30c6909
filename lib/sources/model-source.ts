import { isDnsSubdomain, requireSecretRef } from '../private/names';
import { S3Connection, SecretKeyReference } from '../storage/s3-connection';

/** What a service renders for its model source. */
export interface ModelSourceBinding {
  /** `spec.predictor.model.storageUri`. */
  readonly storageUri: string;
  /** `spec.predictor.model.storage.key`, for S3 connections. */
  readonly storageKey?: string;
  /** Environment the serving container gets from Secrets (e.g. HF_TOKEN for gated models). */
  readonly secretEnv: { readonly [name: string]: SecretKeyReference };
  /** Secrets the source needs that live outside Git. */
  readonly externalSecrets: readonly string[];
}

/** Options of a Hugging Face source. */
export interface HuggingFaceSourceOptions {
  /**
   * The commit (or tag) to serve: a pinned revision makes every replica load the same weights.
   * @default - the default branch (a finding: pin it)
   */
  readonly revision?: string;
  /**
   * The Secret key holding a Hugging Face token, for gated models; the serving container gets it as HF_TOKEN.
   * @default - no token (public models only)
   */
  readonly token?: SecretKeyReference;
}

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/**
 * Where a service's weights come from: an S3 bucket (through an OpenShift AI S3 connection), an OCI modelcar image,
 * a PersistentVolumeClaim, or Hugging Face. Every source keeps the model profile and the GPU plan of the service.
 */
export class ModelSource {
  /** A model folder (the one holding config.json) under a prefix of an S3 connection's bucket. */
  public static s3(connection: S3Connection, modelPath: string): ModelSource {
    const uri = connection.uri(modelPath);
    return new ModelSource(uri, () => ({
      storageUri: uri,
      storageKey: connection.secretName,
      secretEnv: {},
      externalSecrets: connection.external ? [connection.secretName] : [],
    }));
  }

  /**
   * An OCI image holding the model (a KServe modelcar), by digest: `oci://quay.io/org/model@sha256:…`. A tag can move
   * to other weights between syncs, so it is refused unless `allowMutableTag` is set.
   */
  public static oci(uri: string, options: { readonly allowMutableTag?: boolean } = {}): ModelSource {
    if (!/^oci:\/\/[^\s/]+\/\S+$/.test(uri))
      throw new Error(`ModelSource.oci: '${uri}' is not an OCI image reference: write oci://<registry>/<repository>@sha256:<digest>`);
    if (!DIGEST.test(uri) && !options.allowMutableTag) {
      throw new Error(
        `ModelSource.oci: '${uri}' names a tag, which can move to other weights between syncs: pin it by digest (oci://…@sha256:…), or pass allowMutableTag: true`,
      );
    }
    return new ModelSource(uri, () => ({ storageUri: uri, secretEnv: {}, externalSecrets: [] }));
  }

  /** A folder on a PersistentVolumeClaim of the service's namespace: `pvc://<claim>/<path>`. */
  public static pvc(claimName: string, path: string): ModelSource {
    if (!isDnsSubdomain(claimName))
      throw new Error(`ModelSource.pvc: claim name '${claimName}' is not a valid PersistentVolumeClaim name (lowercase letters, digits, '-' and '.')`);
    const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!clean || clean.split('/').some((p) => p === '..' || p === '.' || p === ''))
      throw new Error(`ModelSource.pvc: path '${path}' must be a relative folder on the claim, without '.' or '..'`);
    const uri = `pvc://${claimName}/${clean}`;
    return new ModelSource(uri, () => ({ storageUri: uri, secretEnv: {}, externalSecrets: [] }));
  }

  /** A Hugging Face repository, downloaded by KServe's storage initializer: `hf://<org>/<model>[:<revision>]`. */
  public static huggingFace(repo: string, options: HuggingFaceSourceOptions = {}): ModelSource {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`ModelSource.huggingFace: repo '${repo}' is not of the form <org>/<model>`);
    if (options.revision !== undefined && !/^[\w.-]+$/.test(options.revision))
      throw new Error(`ModelSource.huggingFace: revision '${options.revision}' is not a commit, branch or tag name`);
    if (options.token) requireSecretRef('ModelSource.huggingFace', 'token', options.token);
    const uri = `hf://${repo}${options.revision ? `:${options.revision}` : ''}`;
    // vLLM and the Hugging Face client read the token from HF_TOKEN
    const secretEnv: Record<string, SecretKeyReference> = {};
    if (options.token) secretEnv.HF_TOKEN = options.token;
    return new ModelSource(uri, () => ({ storageUri: uri, secretEnv, externalSecrets: options.token ? [options.token.name] : [] }));
  }

  private constructor(
    /** The storage URI, as the service renders it. */
    public readonly uri: string,
    private readonly binder: () => ModelSourceBinding,
  ) {}

  /** What the service renders for this source. */
  public bind(): ModelSourceBinding {
    return this.binder();
  }
}
