/**
 * The step-05 deployment: two Mistral-Small-24B variants served by vLLM on OpenShift AI, weights in MinIO.
 *
 *   npm run synth      renders dist/ (the kustomize tree and PLAN.md)
 *
 * Cluster-specific values come from config/step-05.json (or the file named by CDK8S_VLLM_CONFIG).
 */
// first: the packages below load from V8's cached code of an earlier run
import './lib/private/app-dependency-cache';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  ArgoCdDelivery,
  GpuInstanceType,
  GpuMachineSetScale,
  KueueQuota,
  KustomizeTree,
  ModelRegistrationJob,
  ModelUploadJob,
  ModelProfile,
  S3Connection,
  S3ModelInferenceService,
  VllmDtype,
  KvCacheDtype,
  VllmRuntime,
  acknowledgeFinding,
  planReportOf,
  prerequisitesReport,
  schemaVerifier,
  setPlatform,
  InstancePrices,
  PriceList,
  DEFAULT_PLATFORM_ID,
  PLATFORM_IDS,
  PlatformId,
  isPlatformId,
} from './lib';
import { requireGitSource, shownValue } from './lib/private/argocd';
import { configProblems } from './lib/private/json-config';
import { isDnsLabel, isDnsSubdomain } from './lib/private/names';
import { packagePath } from './lib/private/package-root';
import { readRegularFile } from './lib/private/regular-file';
import { HF_TOKEN_KEY } from './lib/k8s/keys';

/** Settings that differ between clusters. */
export interface Step05Config {
  readonly namespace: string;
  readonly cluster: {
    readonly clusterId: string;
    readonly region: string;
    readonly availabilityZone: string;
    readonly amiId: string;
  };
  readonly s3: {
    readonly connectionSecret: string;
    readonly endpoint: string;
    readonly bucket: string;
    readonly region: string;
  };
  readonly huggingFaceTokenSecret: string;
  readonly modelRegistryUrl: string;
  readonly clusterQueue: string;
  readonly localQueue: string;
  /**
   * The platform the tree is rendered for (`rhoai-3.0`, `rhoai-3.3`, `rhoai-3.4`, `kserve`): Kueue version, deployment
   * mode and the schemas synth validates with. Absent: OpenShift AI 3.0, the platform of the step-05 document.
   */
  readonly platform?: PlatformId;
  /**
   * The team's own prices (committed-use, reserved, negotiated): a price file's path, relative to the configuration
   * file, or its content. Absent: the catalog's on-demand list prices.
   */
  readonly prices?: string | Record<string, unknown>;
  /** Where the rendered tree is committed, for the Argo CD Applications. */
  readonly gitops: {
    readonly repoURL: string;
    readonly targetRevision: string;
    readonly pathPrefix: string;
    readonly argoCdNamespace: string;
  };
}

/** Where the rendered tree goes inside the output folder. */
export const STEP_DIR = 'gitops/step-05-llm-on-vllm';

/** The JSON Schema of the configuration file (keys, types, lengths). */
export const CONFIG_SCHEMA_FILE = packagePath('config', 'step-05.schema.json');
let configSchema: Record<string, unknown> | undefined;
/** Largest configuration file read: a few KB in practice. */
const MAX_CONFIG_BYTES = 2 ** 20;

/**
 * Reads and checks the configuration file against its JSON Schema (config/step-05.schema.json), then the values the
 * schema cannot express: object names, and the gitops repository, revision and path. Errors name the file and every
 * wrong key; values are shown cut to 80 characters.
 */
export function loadConfig(file: string): Step05Config {
  let raw: unknown;
  try {
    raw = JSON.parse(readRegularFile(file, MAX_CONFIG_BYTES, 'synth').toString('utf8'));
  } catch (e) {
    throw new Error(`cannot read configuration ${file}: ${(e as Error).message.slice(0, 300)}`);
  }
  configSchema ??= JSON.parse(fs.readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const problems = configProblems(raw, configSchema);
  if (problems.length) throw new Error(`${file}: ${problems.length > 1 ? `${problems.length} problems:\n  ` : ''}${problems.join('\n  ')}`);
  const config = raw as Step05Config;
  // the schema made every path below an object or a string
  const at = (p: string): string => p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], config) as string;
  // every name that becomes an object name or a reference must be one the API server accepts
  const names: [string, (v: string) => boolean, string][] = [
    ['namespace', isDnsLabel, "a DNS label: lowercase letters, digits and '-', at most 63"],
    ['s3.connectionSecret', isDnsSubdomain, "a Secret name: lowercase letters, digits, '-' and '.'"],
    ['huggingFaceTokenSecret', isDnsSubdomain, "a Secret name: lowercase letters, digits, '-' and '.'"],
    ['clusterQueue', isDnsSubdomain, "a ClusterQueue name: lowercase letters, digits, '-' and '.'"],
    ['localQueue', isDnsSubdomain, "a LocalQueue name: lowercase letters, digits, '-' and '.'"],
  ];
  for (const [p, valid, what] of names) {
    if (!valid(at(p))) throw new Error(`${file}: '${p}' is '${shownValue(at(p))}', which is not ${what}`);
  }
  const platform = config.platform;
  if (platform !== undefined && !isPlatformId(platform)) {
    throw new Error(`${file}: 'platform' is ${JSON.stringify(platform)}; write one of ${PLATFORM_IDS.join(', ')} (or leave it out for ${DEFAULT_PLATFORM_ID})`);
  }
  requireGitSource(file, config.gitops, 'gitops.');
  // a price file is read relative to the configuration, so the pair moves together
  return typeof config.prices === 'string' ? { ...config, prices: path.resolve(path.dirname(file), config.prices) } : config;
}

/** Builds the step-05 app and its tree layout; `options.report` receives the checks' warnings (default: standard error). */
export function buildStep05(app: App, config: Step05Config, options: { readonly report?: (line: string) => void } = {}): KustomizeTree {
  const ns = config.namespace;
  const tree = new KustomizeTree(app, { appName: 'main.ts', report: options.report });
  // declared first, so that every placement and PLAN.md price with the team's figures
  if (config.prices !== undefined) {
    new InstancePrices(
      app,
      'Prices',
      typeof config.prices === 'string' ? { file: config.prices } : { prices: PriceList.fromJson(config.prices, "the configuration's prices") },
    );
  }
  const base = `${STEP_DIR}/base`;
  const clusterDir = `${STEP_DIR}/cluster`;

  // cluster-admin prerequisites: GPU nodes and the quota that hands them out (synced by a privileged app)
  const machines = new Chart(app, 'gpu-machinesets');
  const gpuMachineSet = (id: string, instanceType: GpuInstanceType, rootVolumeGiB: number) =>
    new GpuMachineSetScale(machines, id, {
      ...config.cluster,
      instanceType,
      rootVolumeGiB,
    });
  const tp4Nodes = gpuMachineSet('g6-12xlarge', GpuInstanceType.G6_12XLARGE, 500);
  const singleL4Nodes = gpuMachineSet('g6-4xlarge', GpuInstanceType.G6_4XLARGE, 200);
  const kueue = new Chart(app, 'kueue-quota');
  const quota = new KueueQuota(kueue, 'Quota', {
    machineSets: [singleL4Nodes, tp4Nodes],
    clusterQueueName: config.clusterQueue,
    localQueueName: config.localQueue,
    namespace: ns,
  });
  tree.place(`${clusterDir}/gpu-machinesets.yaml`, machines).place(`${clusterDir}/kueue-quota.yaml`, kueue);

  const minio = new S3Connection(app, 'Minio', {
    secretName: config.s3.connectionSecret,
    endpoint: config.s3.endpoint,
    bucket: config.s3.bucket,
    region: config.s3.region,
  });

  const runtimeChart = new Chart(app, 'serving-runtime', { namespace: ns });
  const runtime = new VllmRuntime(runtimeChart, 'Runtime', { name: 'vllm-runtime', displayName: 'vLLM Runtime for S3 Storage' });
  tree.place(`${base}/serving-runtime/vllm-runtime.yaml`, runtimeChart);

  const bf16Model = ModelProfile.bundled('mistral-small-24b-instruct-2501');
  const fp8Model = ModelProfile.bundled('mistral-small-24b-instruct-2501-fp8-dynamic');

  // 4 × L4, BF16, tensor-parallel 4 on g6.12xlarge
  const tp4Chart = new Chart(app, 'mistral-small-24b-tp4', { namespace: ns });
  new S3ModelInferenceService(tp4Chart, 'mistral-small-24b-tp4', {
    runtime,
    connection: minio,
    modelPath: 'mistral-small-24b/',
    model: bf16Model,
    machineSet: tp4Nodes,
    queue: quota,
    tensorParallelSize: 4,
    dtype: VllmDtype.BFLOAT16,
    maxModelLen: 32768,
    gpuMemoryUtilization: 0.9,
    cpu: { request: kplus.Cpu.units(16), limit: kplus.Cpu.units(32) },
    memory: { request: Size.gibibytes(64), limit: Size.gibibytes(128) },
    hardwareProfileName: 'nvidia-l4-4gpu',
    displayName: 'Mistral Small 24B TP4 (4-GPU BF16)',
    externalRoute: true,
  });
  tree.place(`${base}/inference/mistral-small-24b-tp4.yaml`, tp4Chart);

  // 1 × L4 with the FP8-dynamic checkpoint on g6.4xlarge, as the step-05 document asks; see PLAN.md for why it cannot start
  const fp8Chart = new Chart(app, 'mistral-small-24b', { namespace: ns });
  const fp8 = new S3ModelInferenceService(fp8Chart, 'mistral-small-24b', {
    runtime,
    connection: minio,
    modelPath: 'mistral-small-24b-fp8/',
    model: fp8Model,
    machineSet: singleL4Nodes,
    queue: quota,
    kvCacheDtype: KvCacheDtype.FP8,
    maxModelLen: 8192,
    gpuMemoryUtilization: 0.85,
    cpu: { request: kplus.Cpu.units(8), limit: kplus.Cpu.units(16) },
    memory: { request: Size.gibibytes(32), limit: Size.gibibytes(60) },
    hardwareProfileName: 'nvidia-l4-1gpu',
    displayName: 'Mistral Small 24B (1-GPU FP8)',
    externalRoute: true,
  });
  acknowledgeFinding(
    fp8,
    'gpu-memory-fit',
    'rendered as the step-05 document asks; the FP8 checkpoint (23.2 GiB) cannot load on one L4 (22.04 GiB): see PLAN.md for what fits',
  );
  tree.place(`${base}/inference/mistral-small-24b.yaml`, fp8Chart);

  const registration = new Chart(app, 'model-registration', { namespace: ns });
  const registry = new ModelRegistrationJob(registration, 'Registration', {
    name: 'llm-model-registration',
    registryUrl: config.modelRegistryUrl,
    queue: quota,
  });
  registry.addModel({
    name: 'Mistral-Small-24B-Instruct-BF16',
    version: 'v1.0-BF16',
    description: 'Mistral Small 24B Instruct 2501, BF16, tensor-parallel 4 on 4 × NVIDIA L4 (g6.12xlarge)',
    connection: minio,
    modelPath: 'mistral-small-24b/',
    labels: ['mistral', 'vllm', 'text-to-text'],
    properties: { source_model: 'mistralai/Mistral-Small-24B-Instruct-2501', precision: 'bfloat16', tensor_parallel: '4', license: 'Apache-2.0' },
  });
  registry.addModel({
    name: 'Mistral-Small-24B-Instruct-FP8',
    version: 'v1.0-FP8',
    description: 'Mistral Small 24B Instruct 2501, FP8-dynamic (compressed-tensors) checkpoint',
    connection: minio,
    modelPath: 'mistral-small-24b-fp8/',
    labels: ['mistral', 'vllm', 'fp8'],
    properties: { source_model: 'neuralmagic/Mistral-Small-24B-Instruct-2501-FP8-dynamic', quantization: 'fp8-dynamic', license: 'Apache-2.0' },
  });
  tree.place(`${base}/model-registration/seed-job.yaml`, registration);

  // optional helper, applied by hand (oc apply -k base/model-upload/): not part of the base kustomization
  const upload = new Chart(app, 'model-upload', { namespace: ns });
  // one Secret key for every reader: KServe's storage initializer reads only HF_TOKEN (hf:// sources), the upload jobs too
  const hfToken = { name: config.huggingFaceTokenSecret, key: HF_TOKEN_KEY };
  new ModelUploadJob(upload, 'Bf16', {
    connection: minio,
    modelPath: 'mistral-small-24b/',
    huggingFaceRepo: 'mistralai/Mistral-Small-24B-Instruct-2501',
    huggingFaceToken: hfToken,
    model: bf16Model,
    queue: quota,
  });
  new ModelUploadJob(upload, 'Fp8', {
    connection: minio,
    modelPath: 'mistral-small-24b-fp8/',
    huggingFaceRepo: 'neuralmagic/Mistral-Small-24B-Instruct-2501-FP8-dynamic',
    huggingFaceToken: hfToken,
    model: fp8Model,
    queue: quota,
  });
  tree.place(`${base}/model-upload/upload-mistral-job.yaml`, upload);

  tree.kustomization(base, { exclude: ['model-upload'] });
  tree.kustomization(clusterDir);

  // delivery: a least-privilege Argo CD Application and AppProject per root (apply argocd/ once to bootstrap)
  const delivery = new Chart(app, 'argocd');
  const argoCd = new ArgoCdDelivery(delivery, 'Delivery', { tree, ...config.gitops, namePrefix: 'step-05', roots: [base, clusterDir] });
  // the step-05 document deploys into the Data Science Project of its earlier steps, which the tree does not create
  acknowledgeFinding(
    argoCd,
    'argocd-namespace-not-created',
    `the namespace '${ns}' is the Data Science Project of the earlier steps, not created here: PREREQUISITES.md says how to create and label it`,
  );
  tree.place(`${STEP_DIR}/argocd/applications.yaml`, delivery).kustomization(`${STEP_DIR}/argocd`);
  tree.addFile('PLAN.md', () => planReportOf(app));
  tree.addFile('PREREQUISITES.md', (objects) => prerequisitesReport(objects.map((o) => o.manifest)));
  return tree;
}

/** What a second rendering of the same configuration changes: the platform, and where that tree is committed. */
export interface Step05Overrides {
  readonly platform?: PlatformId;
  /** `gitops.pathPrefix`: the folder the tree is committed in, for the Argo CD Applications. */
  readonly pathPrefix?: string;
  /** Where synth's warnings go, one line each (stderr unless given). */
  readonly report?: (line: string) => void;
}

/**
 * Synthesizes into `outdir` (cdk8s passes CDK8S_OUTDIR) for the configuration's platform; the platform is chosen on
 * the app before any construct exists, and synth validates against that platform's CRDs.
 */
export function main(
  outdir = process.env.CDK8S_OUTDIR ?? 'dist',
  configFile = process.env.CDK8S_VLLM_CONFIG ?? path.join('config', 'step-05.json'),
  overrides: Step05Overrides = {},
): void {
  const loaded = loadConfig(configFile);
  const config: Step05Config = {
    ...loaded,
    ...(overrides.platform ? { platform: overrides.platform } : {}),
    gitops: { ...loaded.gitops, ...(overrides.pathPrefix ? { pathPrefix: overrides.pathPrefix } : {}) },
  };
  const app = new App({ outdir });
  const platform = config.platform ?? DEFAULT_PLATFORM_ID;
  setPlatform(app, platform);
  const tree = buildStep05(app, config, { report: overrides.report });
  tree.addVerifier(schemaVerifier()).write(outdir);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
