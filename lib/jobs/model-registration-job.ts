import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { IWorkloadQueue, queueMetadata } from '../cluster/workload-queue';
import { requireDnsLabel, requireImage, requireSecretRef } from '../private/names';
import { constructPath, resolveNamespace } from '../private/scope';
import { lazy } from '../private/lazy';
import { requireModelPath, S3Connection, SecretKeyReference } from '../storage/s3-connection';
import { JOB_IMAGE, JobResources, readJobScript, scriptContainer, scriptPodSecurity, scriptVolumes, secretEnv, admitJob } from './job-pod';
import { VllmConstruct } from '../check/app-construct';
import { APP_INSTANCE_LABEL, APP_NAME_LABEL, HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION } from '../k8s/keys';
import { compareText } from '../private/collate';

const k8s = kplus.k8s;

/** One model version to register. */
export interface RegisteredModelVersion {
  /** Registered model name, e.g. `Mistral-Small-24B-Instruct-FP8`. */
  readonly name: string;
  /** Version name, unique within the model, e.g. `v1.0-FP8`. */
  readonly version: string;
  /**
   * Description of the registered model.
   * @default - none
   */
  readonly description?: string;
  /** Where the weights are. */
  readonly connection: S3Connection;
  /** Prefix of the model directory in the bucket. */
  readonly modelPath: string;
  /**
   * Labels shown in the dashboard (string properties with an empty value).
   * @default - none
   */
  readonly labels?: string[];
  /**
   * Properties of the version, shown in the dashboard.
   * @default - none
   */
  readonly properties?: { [key: string]: string };
}

/**
 * Properties of a `ModelRegistrationJob`.
 */
export interface ModelRegistrationJobProps {
  /**
   * Name of the Job.
   * @default 'model-registration'
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Base URL of the Model Registry REST service, e.g.
   * `https://private-ai-registry-rest.rhoai-model-registries.svc:8443`.
   */
  readonly registryUrl: string;
  /**
   * Secret key holding a bearer token for the registry.
   * @default - the pod's ServiceAccount token (grant the job's ServiceAccount access to the registry)
   */
  readonly token?: SecretKeyReference;
  /**
   * Models to register; more can be added with `addModel()`.
   * @default - none
   */
  readonly models?: RegisteredModelVersion[];
  /**
   * Python image that runs the registration script (standard library only).
   * @default ModelRegistrationJob.DEFAULT_IMAGE (UBI 9 Python 3.11, pinned by digest)
   */
  readonly image?: string;
  /**
   * Kueue quota that admits the job in its CPU-only flavor.
   * @default - no queue label
   */
  readonly queue?: IWorkloadQueue;
}

/**
 * A Job that registers model versions and their S3 artifacts in the OpenShift AI Model Registry
 * (REST API v1alpha3), as an Argo CD Sync hook that runs on every sync. Lookups by name come before
 * every create and a 409 is resolved by looking up again, so re-running it changes nothing.
 */
export class ModelRegistrationJob extends VllmConstruct {
  public static readonly DEFAULT_IMAGE = JOB_IMAGE;

  public readonly name: string;
  public readonly namespace: string;
  public readonly resources: JobResources = { cpuRequestMillis: 100, cpuLimitMillis: 500, memoryRequestMiB: 128, memoryLimitMiB: 256 };
  private readonly models: RegisteredModelVersion[] = [];

  constructor(scope: Construct, id: string, props: ModelRegistrationJobProps) {
    super(scope, id);
    const where = constructPath('ModelRegistrationJob', this);
    if (props.image !== undefined) requireImage(where, 'image', props.image);
    this.name = requireDnsLabel(where, 'name', props.name ?? 'model-registration');
    this.namespace = resolveNamespace(this, where, props.namespace);
    if (props.token) requireSecretRef(where, 'token', props.token);
    const url = registryUrlOf(where, props.registryUrl);
    const labels: Readonly<Record<string, string>> = { [APP_NAME_LABEL]: 'model-registration', [APP_INSTANCE_LABEL]: this.name };
    const jobLabels = admitJob(where, this, labels, props.queue);
    (props.models ?? []).forEach((m) => this.addModel(m));
    this.node.addValidation({ validate: () => (this.models.length ? [] : [`${where}: no model to register; pass 'models' or call addModel()`]) });

    const hook = { [HOOK_ANNOTATION]: 'Sync', [HOOK_DELETE_POLICY_ANNOTATION]: 'BeforeHookCreation' };
    const config = `${this.name}-models`;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: this.namespace, labels },
    });
    new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: config, namespace: this.namespace, labels, annotations: hook },
      data: lazy<Record<string, string>>(() => ({
        'models.json':
          JSON.stringify(
            this.models.map((m) => registryEntry(m)),
            null,
            2,
          ) + '\n',
        'register_models.py': readJobScript('register_models.py'),
      })),
    });
    this.renderJob(props, url, { labels, jobLabels, hook, config });
  }

  /** The Job that registers the models, a Sync hook run again on every sync. */
  private renderJob(
    props: ModelRegistrationJobProps,
    url: URL,
    r: { labels: Readonly<Record<string, string>>; jobLabels: Readonly<Record<string, string>>; hook: Readonly<Record<string, string>>; config: string },
  ): void {
    const { labels, jobLabels, hook, config } = r;
    new k8s.KubeJob(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: jobLabels, annotations: { ...hook, ...queueMetadata(props.queue).annotations } },
      spec: {
        backoffLimit: 5,
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: this.name,
            securityContext: scriptPodSecurity(),
            containers: [
              scriptContainer({
                name: 'register',
                image: props.image ?? ModelRegistrationJob.DEFAULT_IMAGE,
                script: 'register_models.py',
                pipPackages: [],
                resources: this.resources,
                env: [
                  { name: 'REGISTRY_URL', value: `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}` },
                  { name: 'MODELS_FILE', value: '/scripts/models.json' },
                  ...(props.token ? [secretEnv('REGISTRY_TOKEN', props.token)] : []),
                ],
              }),
            ],
            volumes: scriptVolumes(config),
          },
        },
      },
    });
  }

  /** Adds a model version to register. */
  public addModel(model: RegisteredModelVersion): void {
    const dup = this.models.find((m) => m.name === model.name && m.version === model.version);
    if (dup) {
      throw new Error(`${constructPath('ModelRegistrationJob', this)}: model '${model.name}' version '${model.version}' is registered twice`);
    }
    const where = constructPath('ModelRegistrationJob', this);
    if (typeof model?.name !== 'string' || typeof model.version !== 'string' || !model.name.trim() || !model.version.trim()) {
      throw new Error(`${where}: model name and version must not be empty`);
    }
    const self = `${where}: model '${model.name}' version '${model.version}'`;
    if (!(model.connection instanceof S3Connection)) throw new Error(`${self}: connection must be the S3Connection that holds the weights`);
    requireModelPath(self, 'modelPath', model.modelPath);
    if (model.labels !== undefined && !(Array.isArray(model.labels) && model.labels.every((l) => typeof l === 'string' && l.trim() !== ''))) {
      throw new Error(`${self}: labels must be a list of non-empty strings, got ${JSON.stringify(model.labels)}`);
    }
    for (const [k, v] of Object.entries(model.properties ?? {})) {
      if (!k.trim() || typeof v !== 'string')
        throw new Error(`${self}: properties.${k} must have a non-empty name and a string value, got ${JSON.stringify(v)}`);
    }
    this.models.push(model);
  }

  /** Models registered by this job. */
  public get registered(): readonly RegisteredModelVersion[] {
    return [...this.models];
  }
}

function stringValue(v: string) {
  return { metadataType: 'MetadataStringValue', string_value: v };
}

/** The JSON the script reads: registry payload pieces in the registry's own format (dashboard URI convention). */
function registryEntry(m: RegisteredModelVersion) {
  const path = S3Connection.normalizePath(m.modelPath);
  const query = `endpoint=${encodeURIComponent(m.connection.endpoint)}&defaultRegion=${encodeURIComponent(m.connection.region)}`;
  const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => compareText(a, b)));
  return {
    name: m.name,
    version: m.version,
    description: m.description ?? '',
    uri: `${m.connection.uri(path)}?${query}`,
    modelFormatName: 'vLLM',
    storageKey: m.connection.secretName,
    storagePath: path,
    modelProperties: sorted(Object.fromEntries((m.labels ?? []).map((l) => [l, stringValue('')]))),
    versionProperties: sorted(Object.fromEntries(Object.entries(m.properties ?? {}).map(([k, v]) => [k, stringValue(v)]))),
  };
}

/** The registry's base URL, checked: a URL with scheme and port, without the API path the job adds. */
function registryUrlOf(where: string, registryUrl: string): URL {
  let url: URL;
  try {
    url = new URL(registryUrl);
  } catch {
    throw new Error(`${where}: registryUrl '${registryUrl}' is not a URL; give the registry's REST service with its scheme and port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `${where}: registryUrl '${registryUrl}' is not an http(s) URL; give the registry's REST service, e.g. https://registry-rest.apps.example.com`,
    );
  }
  if (url.pathname.includes('/api/')) {
    throw new Error(`${where}: registryUrl '${registryUrl}' must be the base URL without /api/model_registry/…; the job adds the API path`);
  }
  return url;
}
