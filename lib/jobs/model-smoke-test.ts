import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { IWorkloadQueue, queueMetadata } from '../cluster/workload-queue';
import { requireDnsLabel, requireImage, requireSecretRef } from '../private/names';
import { constructPath, resolveNamespace } from '../private/scope';
import { lazy } from '../private/lazy';
import { SecretKeyReference } from '../storage/s3-connection';
import { JOB_IMAGE, JobResources, scriptContainer, scriptPodSecurity, scriptVolumes, admitJob } from './job-pod';
import { smokeTestScript } from './smoke-test-script';
import { VllmConstruct } from '../check/app-construct';
import { APP_INSTANCE_LABEL, APP_NAME_LABEL, EXTERNAL_SECRETS_ANNOTATION, HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION } from '../k8s/keys';

const k8s = kplus.k8s;

/** What a smoke test asks: a served model. `VllmInferenceService` is one. */
export interface SmokeTestTarget {
  /** The InferenceService's name: the model name clients send. */
  readonly name: string;
  readonly namespace: string;
  /** Whether the endpoint requires a bearer token (OpenShift AI's token auth). */
  readonly authEnabled?: boolean;
}

/** Properties of `ModelSmokeTest`. */
export interface ModelSmokeTestProps {
  /** The service to ask. */
  readonly service: SmokeTestTarget;
  /**
   * The service's address as the Job reaches it.
   * @default - the predictor Service KServe creates for a RawDeployment: `http://<name>-predictor.<ns>.svc.cluster.local`,
   * or with token auth `https://<name>-predictor.<ns>.svc.cluster.local:8443` (kube-rbac-proxy, OpenShift's service CA)
   */
  readonly url?: string;
  /**
   * The bearer token, from a Secret key, when the endpoint needs one.
   * @default - with token auth, the Job's own ServiceAccount token, with a Role allowing it to `get` the InferenceService
   * (what OpenShift AI's kube-rbac-proxy checks); without auth, none
   */
  readonly tokenSecret?: SecretKeyReference;
  /**
   * Seconds the test may take, both requests included.
   * @default 120
   */
  readonly timeoutSeconds?: number;
  /**
   * The Kueue quota that admits the Job (in a Kueue-managed namespace every Job needs one).
   * @default - no queue label
   */
  readonly queue?: IWorkloadQueue;
  /**
   * Name of the Job.
   * @default '<service>-smoke-test'
   */
  readonly name?: string;
  /**
   * Image with python3.
   * @default - Red Hat UBI 9 Python 3.11, pinned by digest
   */
  readonly image?: string;
}

/** Where OpenShift mounts its service CA bundle in every pod (service-ca operator). */
const SERVICE_CA_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/service-ca.crt';
/** The pod's projected ServiceAccount token. */
const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * A smoke test that asks the model after every sync: an Argo CD `PostSync` hook Job (Argo CD runs it once the synced
 * objects are healthy, and its InferenceService health check waits for the model to be ready) that calls
 * `/v1/models` and one short chat completion, and fails unless the served model is the service's and the answer is a
 * well-formed, non-empty completion — the checks of `cdk8s-vllm smoke`. A chat-template error shows up here, on the
 * first request, rather than with the first user. A failed hook marks the sync failed in Argo CD.
 */
export class ModelSmokeTest extends VllmConstruct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly url: string;
  public readonly resources: JobResources = { cpuRequestMillis: 50, cpuLimitMillis: 500, memoryRequestMiB: 64, memoryLimitMiB: 256 };

  constructor(scope: Construct, id: string, props: ModelSmokeTestProps) {
    super(scope, id);
    const where = constructPath('ModelSmokeTest', this);
    if (props.image !== undefined) requireImage(where, 'image', props.image);
    const svc = props.service;
    if (!svc || typeof svc.name !== 'string' || typeof svc.namespace !== 'string') {
      throw new Error(`${where}: service must be the service to ask (a VllmInferenceService, or { name, namespace })`);
    }
    this.name = requireDnsLabel(where, 'name', props.name ?? `${svc.name}-smoke-test`.slice(0, 63).replace(/-+$/, ''));
    this.namespace = resolveNamespace(this, where, svc.namespace);
    if (this.namespace !== svc.namespace) throw new Error(`${where}: the Job must run in the service's namespace '${svc.namespace}'`);
    if (props.tokenSecret) requireSecretRef(where, 'tokenSecret', props.tokenSecret);
    const auth = svc.authEnabled === true;
    const host = `${svc.name}-predictor.${svc.namespace}.svc.cluster.local`;
    this.url = props.url ?? (auth ? `https://${host}:8443` : `http://${host}`);
    const ownToken = auth && !props.tokenSecret;
    const tokenPath = props.tokenSecret ? '/var/run/secrets/smoke/token' : ownToken ? SERVICE_ACCOUNT_TOKEN_PATH : undefined;
    const script = this.deriveScript(where, svc.name, tokenPath, props.timeoutSeconds ?? 120);

    const labels = { [APP_NAME_LABEL]: 'model-smoke-test', [APP_INSTANCE_LABEL]: this.name };
    const jobLabels = admitJob(where, this, labels, props.queue);
    // after the sync, once the synced objects are healthy; replaced on the next sync
    const hook = { [HOOK_ANNOTATION]: 'PostSync', [HOOK_DELETE_POLICY_ANNOTATION]: 'BeforeHookCreation' };
    const config = `${this.name}-script`;
    this.renderAccount(svc.name, ownToken, labels, hook);
    new k8s.KubeConfigMap(this, 'Script', {
      metadata: { name: config, namespace: this.namespace, labels, annotations: hook },
      data: lazy<Record<string, string>>(() => ({ 'smoke_test.py': script })),
    });
    this.renderJob(props, { labels, jobLabels, hook, config, ownToken });
  }

  /** The Python script the Job runs, or the reason the props cannot make one. */
  private deriveScript(where: string, model: string, tokenPath: string | undefined, timeoutSeconds: number): string {
    try {
      return smokeTestScript({
        url: this.url,
        model,
        tokenPath,
        caPath: this.url.startsWith('https://') ? SERVICE_CA_PATH : undefined,
        timeoutSeconds,
      });
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message.replace(/^smokeTestScript: /, '')}`);
    }
  }

  /** The Job's ServiceAccount; with its own token, the Role that lets the token through kube-rbac-proxy. */
  private renderAccount(service: string, ownToken: boolean, labels: Readonly<Record<string, string>>, hook: Readonly<Record<string, string>>): void {
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.name, namespace: this.namespace, labels, annotations: hook } });
    if (ownToken) {
      // kube-rbac-proxy in front of the model allows a token whose account may get the InferenceService
      new k8s.KubeRole(this, 'Role', {
        metadata: { name: this.name, namespace: this.namespace, labels, annotations: hook },
        rules: [{ apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'], resourceNames: [service], verbs: ['get'] }],
      });
      new k8s.KubeRoleBinding(this, 'RoleBinding', {
        metadata: { name: this.name, namespace: this.namespace, labels, annotations: hook },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
        subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
      });
    }
  }

  /** The Job: one try (a wrong answer is not transient), the token and the service CA mounted when needed. */
  private renderJob(
    props: ModelSmokeTestProps,
    r: {
      labels: Readonly<Record<string, string>>;
      jobLabels: Readonly<Record<string, string>>;
      hook: Readonly<Record<string, string>>;
      config: string;
      ownToken: boolean;
    },
  ): void {
    const { labels, jobLabels, hook, config, ownToken } = r;
    new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: jobLabels,
        // the token Secret is created outside Git, as the service's own
        annotations: {
          ...hook,
          ...queueMetadata(props.queue).annotations,
          ...(props.tokenSecret ? { [EXTERNAL_SECRETS_ANNOTATION]: props.tokenSecret.name } : {}),
        },
      },
      spec: {
        // a wrong answer is not transient: fail the sync rather than retry
        backoffLimit: 1,
        activeDeadlineSeconds: (props.timeoutSeconds ?? 120) * 3 + 300,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: this.name,
            // the projected volume carries the token and OpenShift's service CA: needed for https, or to use the token
            automountServiceAccountToken: ownToken || this.url.startsWith('https://'),
            securityContext: scriptPodSecurity(),
            containers: [
              scriptContainer({
                name: 'smoke-test',
                image: props.image ?? JOB_IMAGE,
                script: 'smoke_test.py',
                pipPackages: [],
                resources: this.resources,
                env: [],
                extraMounts: props.tokenSecret ? [{ name: 'token', mountPath: '/var/run/secrets/smoke', readOnly: true }] : [],
              }),
            ],
            volumes: [
              ...scriptVolumes(config),
              ...(props.tokenSecret
                ? [{ name: 'token', secret: { secretName: props.tokenSecret.name, items: [{ key: props.tokenSecret.key, path: 'token' }] } }]
                : []),
            ],
          },
        },
      },
    });
  }
}
