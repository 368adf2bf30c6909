import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { IWorkloadQueue, queueMetadata } from '../cluster/workload-queue';
import { ModelProfile } from '../planning/model-profile';
import { dnsLabelFrom, requireDnsLabel, requireDnsSubdomain, requireImage, requireSecretRef } from '../private/names';
import { formatMiB, sizeMiB } from '../private/quantity';
import { constructPath, resolveNamespace } from '../private/scope';
import { requireModelPath, S3Connection, SecretKeyReference } from '../storage/s3-connection';
import { JOB_IMAGE, JobResources, readJobScript, scriptContainer, scriptPodSecurity, scriptVolumes, secretEnv, admitJob } from './job-pod';
import { VllmConstruct } from '../check/app-construct';
import { APP_INSTANCE_LABEL, APP_NAME_LABEL, EXTERNAL_SECRETS_ANNOTATION, HF_TOKEN_KEY, HOOK_ANNOTATION } from '../k8s/keys';

const k8s = kplus.k8s;

/**
 * Properties of a `ModelUploadJob`.
 */
export interface ModelUploadJobProps {
  /**
   * Name of the Job; the PVC and script ConfigMap are named after it.
   * @default - `upload-<last segment of modelPath>`
   */
  readonly name?: string;
  /**
   * Namespace; it must hold the connection Secret and the Hugging Face token Secret.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The S3 connection to upload to. */
  readonly connection: S3Connection;
  /** Prefix of the model directory in the bucket, e.g. `mistral-small-24b/`. */
  readonly modelPath: string;
  /** Hugging Face repository, e.g. `mistralai/Mistral-Small-24B-Instruct-2501`. */
  readonly huggingFaceRepo: string;
  /**
   * Revision: a branch, tag or commit. Pin a commit to upload the same bytes every time.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Secret key holding a Hugging Face token, needed for gated models. The reference is optional in the pod,
   * so public models work without the Secret.
   * @default { name: 'hf-token', key: 'HF_TOKEN' } (the key KServe's storage initializer reads for hf:// sources, so one Secret serves both)
   */
  readonly huggingFaceToken?: SecretKeyReference;
  /**
   * The model's profile; its weight size sizes the download volume when `downloadSize` is not given.
   * @default - none
   */
  readonly model?: ModelProfile;
  /**
   * Expected size of the files to upload; the download volume gets 25 % more plus 5 GiB.
   * @default - the model profile's weight size, else Size.gibibytes(100)
   */
  readonly downloadSize?: Size;
  /**
   * StorageClass of the download volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Glob patterns of repository files not to upload. The defaults skip Mistral's duplicate consolidated
   * checkpoint and original PyTorch weights, which vLLM does not read from a Hugging Face layout.
   * @default ModelUploadJob.DEFAULT_IGNORE_PATTERNS
   */
  readonly ignorePatterns?: string[];
  /**
   * Python image that runs the upload script.
   * @default ModelUploadJob.DEFAULT_IMAGE (UBI 9 Python 3.11, pinned by digest)
   */
  readonly image?: string;
  /**
   * Kueue quota that admits the job in its CPU-only flavor, so the job never takes GPU quota.
   * @default - no queue label
   */
  readonly queue?: IWorkloadQueue;
}

/**
 * A Job (`batch/v1`) that copies a Hugging Face snapshot into S3, with its download volume and script.
 *
 * It is idempotent: a model is complete when every file of the snapshot is in S3 with the right size, and then
 * the job does nothing. Credentials come from Secrets (`secretKeyRef`), never from literals. It is marked
 * `argocd.argoproj.io/hook: Skip`, so Argo CD never runs it by itself: run it with `oc apply -k`.
 */
export class ModelUploadJob extends VllmConstruct {
  public static readonly DEFAULT_IGNORE_PATTERNS = ['consolidated*.safetensors', 'original/*', '*.pth', '*.pt', '.gitattributes'];
  public static readonly DEFAULT_IMAGE = JOB_IMAGE;

  public readonly name: string;
  public readonly namespace: string;
  public readonly storageUri: string;
  public readonly resources: JobResources = { cpuRequestMillis: 2000, cpuLimitMillis: 4000, memoryRequestMiB: 4096, memoryLimitMiB: 8192 };
  public readonly job: kplus.k8s.KubeJob;

  constructor(scope: Construct, id: string, props: ModelUploadJobProps) {
    super(scope, id);
    const where = constructPath('ModelUploadJob', this);
    if (props.image !== undefined) requireImage(where, 'image', props.image);
    const path = requireModelPath(where, 'modelPath', props.modelPath);
    // the same refs ModelSource.huggingFace accepts: a branch, tag or commit, no spaces
    if (props.revision !== undefined && !(typeof props.revision === 'string' && /^[\w.-]+$/.test(props.revision))) {
      throw new Error(`${where}: revision '${String(props.revision)}' is not a Hugging Face branch, tag or commit: letters, digits, '_', '.' and '-'`);
    }
    // '' is the API's "no class" (static volumes only); anything else names a StorageClass object
    if (props.storageClassName !== undefined && props.storageClassName !== '') requireDnsSubdomain(where, 'storageClassName', props.storageClassName);
    if (props.ignorePatterns !== undefined && !(Array.isArray(props.ignorePatterns) && props.ignorePatterns.every((p) => typeof p === 'string' && p !== ''))) {
      throw new Error(`${where}: ignorePatterns must be a list of non-empty glob patterns (e.g. ['*.pth']), got ${JSON.stringify(props.ignorePatterns)}`);
    }
    this.name = requireDnsLabel(where, 'name', props.name ?? dnsLabelFrom(`upload-${path.split('/').filter(Boolean).pop() ?? 'model'}`));
    if (props.huggingFaceToken) requireSecretRef(where, 'huggingFaceToken', props.huggingFaceToken);
    this.namespace = resolveNamespace(this, where, props.namespace);
    this.storageUri = props.connection.uri(path);
    if (!/^[\w.-]+\/[\w.-]+$/.test(props.huggingFaceRepo)) {
      throw new Error(`${where}: huggingFaceRepo '${props.huggingFaceRepo}' is not of the form <owner>/<name>`);
    }
    const downloadMiB =
      (props.downloadSize === undefined ? undefined : sizeMiB(where, 'downloadSize', props.downloadSize)) ??
      (props.model ? props.model.weightBytes / 2 ** 20 : Size.gibibytes(100).toMebibytes());
    if (!(downloadMiB > 0)) throw new Error(`${where}: downloadSize must be positive`);
    const volumeMiB = Math.ceil((downloadMiB * 1.25 + 5 * 1024) / 1024) * 1024;
    const hook = { [HOOK_ANNOTATION]: 'Skip' };
    const labels: Readonly<Record<string, string>> = { [APP_NAME_LABEL]: 'model-upload', [APP_INSTANCE_LABEL]: this.name };
    const jobLabels = admitJob(where, this, labels, props.queue);

    const scriptName = `${this.name}-script`;
    new k8s.KubeConfigMap(this, 'Script', {
      metadata: { name: scriptName, namespace: this.namespace, annotations: hook, labels },
      data: { 'upload_model.py': readJobScript('upload_model.py') },
    });
    const claim = `${this.name}-cache`;
    new k8s.KubePersistentVolumeClaim(this, 'Cache', {
      metadata: { name: claim, namespace: this.namespace, annotations: hook, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(formatMiB(volumeMiB)) } },
      },
    });
    this.job = this.renderJob(props, path, { labels, jobLabels, hook, scriptName, claim });
  }

  /** The Job: downloads from Hugging Face to its cache volume, then uploads to S3 under the model's path. */
  private renderJob(
    props: ModelUploadJobProps,
    path: string,
    r: {
      labels: Readonly<Record<string, string>>;
      jobLabels: Readonly<Record<string, string>>;
      hook: Readonly<Record<string, string>>;
      scriptName: string;
      claim: string;
    },
  ): kplus.k8s.KubeJob {
    const { labels, jobLabels, hook, scriptName, claim } = r;
    const local = `/models/${path.replace(/\/$/, '')}`;
    return new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        // a connection declared as created outside Git is expected to be missing from the tree, here as on the services
        annotations: {
          ...hook,
          ...queueMetadata(props.queue).annotations,
          ...(props.connection.external ? { [EXTERNAL_SECRETS_ANNOTATION]: props.connection.secretName } : {}),
        },
        labels: jobLabels,
      },
      spec: {
        backoffLimit: 3,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: scriptPodSecurity(),
            containers: [
              scriptContainer({
                name: 'upload',
                image: props.image ?? ModelUploadJob.DEFAULT_IMAGE,
                script: 'upload_model.py',
                pipPackages: ['huggingface_hub>=0.26,<1', 'boto3>=1.35,<2'],
                resources: this.resources,
                env: uploadEnv(props, path, local),
                extraMounts: [{ name: 'models', mountPath: '/models' }],
              }),
            ],
            volumes: [...scriptVolumes(scriptName), { name: 'models', persistentVolumeClaim: { claimName: claim } }],
          },
        },
      },
    });
  }
}

/** The upload script's environment: what to download, where to put it, and the credentials of both ends. */
function uploadEnv(props: ModelUploadJobProps, path: string, local: string): kplus.k8s.EnvVar[] {
  return [
    { name: 'HF_REPO', value: props.huggingFaceRepo },
    { name: 'HF_REVISION', value: props.revision ?? 'main' },
    { name: 'HF_HOME', value: '/models/.hf-home' },
    { name: 'LOCAL_DIR', value: local },
    { name: 'IGNORE_PATTERNS', value: JSON.stringify(props.ignorePatterns ?? ModelUploadJob.DEFAULT_IGNORE_PATTERNS) },
    { name: 'S3_ENDPOINT', value: props.connection.endpoint },
    { name: 'S3_BUCKET', value: props.connection.bucket },
    { name: 'S3_PREFIX', value: path },
    { name: 'AWS_DEFAULT_REGION', value: props.connection.region },
    // boto3 ≥ 1.36 streams CRC checksums in trailers by default, which many S3-compatible stores reject
    { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'WHEN_REQUIRED' },
    { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'WHEN_REQUIRED' },
    secretEnv('AWS_ACCESS_KEY_ID', props.connection.accessKeyId),
    secretEnv('AWS_SECRET_ACCESS_KEY', props.connection.secretAccessKey),
    secretEnv('HF_TOKEN', props.huggingFaceToken ?? { name: 'hf-token', key: HF_TOKEN_KEY }, true),
  ];
}
