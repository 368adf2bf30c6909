import { describeUnpinned, imagePinning, isDnsSubdomain, requireDnsSubdomain, requireSecretRef } from '../private/names';
import { S3Connection, SecretKeyReference } from '../storage/s3-connection';
import { HF_TOKEN_KEY } from '../k8s/keys';

/** What a service renders for its model source. */
export interface ModelSourceBinding {
  /** `spec.predictor.model.storageUri`. */
  readonly storageUri: string;
  /** `spec.predictor.model.storage.key`, for S3 connections. */
  readonly storageKey?: string;
  /** Environment the serving container gets from Secrets. */
  readonly secretEnv: { readonly [name: string]: SecretKeyReference };
  /**
   * Secrets KServe's storage initializer must read: it takes download credentials only from the Secrets listed by the
   * predictor's ServiceAccount (kserve pkg/credentials), never from the serving container's environment.
   */
  readonly downloadSecrets: readonly string[];
  /** Secrets the source needs that live outside Git. */
  readonly externalSecrets: readonly string[];
}

/** Options of a Hugging Face source. */
export interface HuggingFaceSourceOptions {
  /**
   * The commit (or tag) to serve: a pinned revision makes every replica load the same weights.
   * @default - the default branch: synth warns (`hf-revision-not-pinned`), since each pod start may load other weights
   */
  readonly revision?: string;
  /**
   * Name of a Secret of the service's namespace whose key `HF_TOKEN` holds a Hugging Face token, for gated models.
   * The service lists it on a ServiceAccount of its own, where KServe's storage initializer looks for it; the Secret
   * is declared as created outside Git.
   * @default - no token (public models only)
   */
  readonly tokenSecret?: string;
  /**
   * The Secret key holding the token.
   * @deprecated KServe's storage initializer reads only the key `HF_TOKEN`: use `tokenSecret`
   * @default - none
   */
  readonly token?: SecretKeyReference;
}

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
      downloadSecrets: [],
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
    const repository = ociRepositoryProblem(uri);
    if (repository) throw new Error(`ModelSource.oci: '${uri}' ${repository}`);
    const pinning = imagePinning(uri);
    if (!pinning.pinned && pinning.problem === 'malformed-digest') {
      throw new Error(`ModelSource.oci: ${describeUnpinned(uri, pinning)}: write oci://<registry>/<repository>@sha256:<64 hex digits>`);
    }
    if (!pinning.pinned && !options.allowMutableTag) {
      throw new Error(
        `ModelSource.oci: '${uri}' names a tag, which can move to other weights between syncs: pin it by digest (oci://…@sha256:…), or pass allowMutableTag: true`,
      );
    }
    return new ModelSource(uri, () => ({ storageUri: uri, secretEnv: {}, downloadSecrets: [], externalSecrets: [] }));
  }

  /** A folder on a PersistentVolumeClaim of the service's namespace: `pvc://<claim>/<path>`. */
  public static pvc(claimName: string, path: string): ModelSource {
    if (!isDnsSubdomain(claimName))
      throw new Error(`ModelSource.pvc: claim name '${claimName}' is not a valid PersistentVolumeClaim name (lowercase letters, digits, '-' and '.')`);
    const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!clean || clean.split('/').some((p) => p === '..' || p === '.' || p === ''))
      throw new Error(`ModelSource.pvc: path '${path}' must be a relative folder on the claim, without '.' or '..'`);
    const uri = `pvc://${claimName}/${clean}`;
    return new ModelSource(uri, () => ({ storageUri: uri, secretEnv: {}, downloadSecrets: [], externalSecrets: [] }));
  }

  /** A Hugging Face repository, downloaded by KServe's storage initializer: `hf://<org>/<model>[:<revision>]`. */
  public static huggingFace(repo: string, options: HuggingFaceSourceOptions = {}): ModelSource {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`ModelSource.huggingFace: repo '${repo}' is not of the form <org>/<model>`);
    if (options.revision !== undefined && !/^[\w.-]+$/.test(options.revision))
      throw new Error(`ModelSource.huggingFace: revision '${options.revision}' is not a commit, branch or tag name`);
    const token = tokenSecretOf(options);
    const uri = `hf://${repo}${options.revision ? `:${options.revision}` : ''}`;
    const secrets = token ? [token] : [];
    return new ModelSource(uri, () => ({ storageUri: uri, secretEnv: {}, downloadSecrets: secrets, externalSecrets: secrets }));
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

/** The token Secret's name; errors name the option and the fix. */
function tokenSecretOf(options: HuggingFaceSourceOptions): string | undefined {
  const where = 'ModelSource.huggingFace';
  if (options.token && options.tokenSecret !== undefined) throw new Error(`${where}: set tokenSecret or token, not both`);
  if (options.token) {
    requireSecretRef(where, 'token', options.token);
    if (options.token.key !== HF_TOKEN_KEY) {
      throw new Error(
        `${where}: token.key '${options.token.key}': KServe's storage initializer reads the token only from the key ${HF_TOKEN_KEY} of a Secret; ` +
          `store it under ${HF_TOKEN_KEY} and pass tokenSecret: '${options.token.name}'`,
      );
    }
    return options.token.name;
  }
  if (options.tokenSecret !== undefined) requireDnsSubdomain(where, 'tokenSecret', options.tokenSecret);
  return options.tokenSecret;
}

/**
 * Why the repository of an `oci://` reference is not one a container runtime pulls, or undefined. The grammar of
 * the distribution project's reference package (reference/regexp.go): path components of lowercase letters and
 * digits joined by '.', '_', '__' or dashes, and a tag of at most 128 word characters, '.' and '-'.
 */
function ociRepositoryProblem(uri: string): string | undefined {
  const name = uri.slice('oci://'.length).split('@')[0];
  const [, ...path] = name.split('/');
  const last = path[path.length - 1];
  const colon = last.indexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : undefined;
  if (colon >= 0) path[path.length - 1] = last.slice(0, colon);
  const bad = path.find((c) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(c));
  if (bad !== undefined) {
    return `has the repository path component '${bad}', which no registry accepts ("repository name must be lowercase"): use lowercase letters, digits and '.', '_' or '-' between them`;
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))
    return `has the tag '${tag}', which is not a valid tag: at most 128 letters, digits, '_', '.' and '-'`;
  return undefined;
}
