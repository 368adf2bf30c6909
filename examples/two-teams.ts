/**
 * A second app beside the step-05 one: two teams on clusters the step-05 app knows nothing of.
 *
 *   team-b serves on Azure ND H100 v5 nodes the cluster admin already runs (no MachineSet of ours): Llama-3.1-70B from
 *          Hugging Face with a token Secret, behind token auth on an exposed route; Llama-3.1-8B from an OCI modelcar
 *          pinned by digest; and Mistral-Small-24B from a PVC of the tree on the L40S pool it shares with team-c.
 *   team-c serves Llama-3.1-8B on the shared L40S pool (existing g6e.12xlarge nodes), autoscaled 1..3, with quota for 3,
 *          its API key from a Secret and tuning variables from a ConfigMap of the tree.
 *
 * Each team has its own Kueue quota. The two L40S nodes are shared: each team's ClusterQueue holds one of them as nominal
 * quota of the one ResourceFlavor that describes them, and the cohort lends what a team leaves unused to the other.
 * Each namespace is Kueue-managed. An Argo CD Application and least-privilege AppProject per root deliver them: the
 * cluster one (namespaces, quotas) and one per team, which retries until the cluster one has created its namespace.
 *
 *   npm run synth      renders examples/dist/ beside dist/
 */
import { ApiObject, App, Chart, Size } from 'cdk8s';
import {
  ArgoCdDelivery,
  ExistingGpuNodes,
  GpuInstanceType,
  KueueQuota,
  KustomizeTree,
  ModelProfile,
  ModelSmokeTest,
  ModelSource,
  planReportOf,
  prerequisitesReport,
  schemaVerifier,
  ScaleSignal,
  ServingNamespace,
  VllmDtype,
  VllmInferenceService,
  VllmMonitoring,
  VllmRuntime,
} from '../lib';

/** The Llama-3.1-8B modelcar, by digest (example digest: use your registry's). */
const GRANITE_MODELCAR = `oci://quay.io/example/llama-3.1-8b-instruct-modelcar@sha256:${'4a'.repeat(32)}`;

export function buildTwoTeams(app: App): KustomizeTree {
  const tree = new KustomizeTree(app, { appName: 'examples/two-teams.ts' });

  const cluster = new Chart(app, 'cluster');
  const h100 = new ExistingGpuNodes(cluster, 'H100', { shape: GpuInstanceType.AZURE_ND96ISR_H100_V5, nodeCount: 1 });
  // the cluster admin's MachineSet of two g6e.12xlarge: named for messages, its nodes selected by instance type
  const l40s = new ExistingGpuNodes(cluster, 'L40S', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 2, machineSet: 'ocp-gpu-l40s-us-east-1a' });
  new ServingNamespace(cluster, 'TeamB', { name: 'team-b', displayName: 'Team B models' });
  new ServingNamespace(cluster, 'TeamC', { name: 'team-c', displayName: 'Team C models' });
  const quotaB = new KueueQuota(cluster, 'QuotaB', {
    placements: [h100],
    shares: [{ placement: l40s, nodes: 1 }],
    namespace: 'team-b',
    clusterQueueName: 'team-b',
    // OpenShift AI creates LocalQueue default → ClusterQueue default in managed namespaces: ours has its own name
    localQueueName: 'gpus',
    cohort: 'ai-shared',
  });
  const quotaC = new KueueQuota(cluster, 'QuotaC', {
    shares: [{ placement: l40s, nodes: 1 }],
    namespace: 'team-c',
    clusterQueueName: 'team-c',
    localQueueName: 'gpus',
    cohort: 'ai-shared',
  });
  tree.place('two-teams/cluster/cluster.yaml', cluster);

  const teamB = new Chart(app, 'team-b', { namespace: 'team-b' });
  const runtimeB = new VllmRuntime(teamB, 'Runtime');
  new VllmInferenceService(teamB, 'llama-70b', {
    runtime: runtimeB,
    source: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct', {
      revision: '945c8663693130f8be2ee66210e062158b2a9693',
      tokenSecret: 'hf-token',
    }),
    model: ModelProfile.bundled('llama-3.1-70b-instruct'),
    placement: h100,
    queue: quotaB,
    tensorParallelSize: 4,
    dtype: VllmDtype.BFLOAT16,
    maxModelLen: 32768,
    memory: { request: Size.gibibytes(256) },
    externalRoute: true,
    enableAuth: true,
  });
  new VllmInferenceService(teamB, 'llama-8b-modelcar', {
    runtime: runtimeB,
    source: ModelSource.oci(GRANITE_MODELCAR),
    model: ModelProfile.bundled('llama-3.1-8b-instruct'),
    placement: h100,
    queue: quotaB,
    maxModelLen: 65536,
  });
  // the claim Mistral-Small-24B is read from, in the tree so that the namespace's first sync holds it (the weights are
  // copied onto it once, before the service can load them)
  new ApiObject(teamB, 'ModelsClaim', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'models' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } },
  });
  new VllmInferenceService(teamB, 'mistral-small-pvc', {
    runtime: runtimeB,
    source: ModelSource.pvc('models', 'mistral-small-24b-instruct-2501'),
    model: ModelProfile.bundled('mistral-small-24b-instruct-2501'),
    placement: l40s,
    queue: quotaB,
    tensorParallelSize: 2,
    maxModelLen: 32768,
  });
  tree.place('two-teams/team-b/serving.yaml', teamB);

  const teamC = new Chart(app, 'team-c', { namespace: 'team-c' });
  const runtimeC = new VllmRuntime(teamC, 'Runtime');
  // vLLM's tuning variables, read by the service through envFrom
  new ApiObject(teamC, 'Tuning', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'vllm-tuning' },
    data: { VLLM_LOGGING_LEVEL: 'INFO' },
  });
  const llama8b = new VllmInferenceService(teamC, 'llama-8b', {
    runtime: runtimeC,
    source: ModelSource.oci(GRANITE_MODELCAR),
    model: ModelProfile.bundled('llama-3.1-8b-instruct'),
    placement: l40s,
    queue: quotaC,
    maxModelLen: 16384,
    // scales on vLLM's queue through KEDA, threshold from the plan; probes sized from the checkpoint
    autoscaling: { minReplicas: 1, maxReplicas: 3, signal: ScaleSignal.requestsWaiting() },
    startupBudget: {},
    // vLLM's own API key, from a Secret created outside Git; tuning variables from the ConfigMap above
    secretEnv: { VLLM_API_KEY: { name: 'llama-api-key', key: 'key' } },
    envFromConfigMaps: ['vllm-tuning'],
  });
  // metrics, alerts whose thresholds follow the plan, and a dashboard
  new VllmMonitoring(teamC, 'llama-8b-monitoring', { service: llama8b });
  // after every sync, ask the model (an Argo CD PostSync hook Job, admitted by team-c's quota)
  new ModelSmokeTest(teamC, 'llama-8b-smoke', { service: llama8b, queue: quotaC });
  tree.place('two-teams/team-c/serving.yaml', teamC);

  tree.kustomization('two-teams/cluster').kustomization('two-teams/team-b').kustomization('two-teams/team-c');

  // delivery: apply two-teams/argocd/ once (oc apply -k); each root's Application syncs it from Git
  const delivery = new Chart(app, 'argocd');
  new ArgoCdDelivery(delivery, 'Delivery', {
    tree,
    repoURL: 'https://github.com/example-org/llm-gitops.git',
    targetRevision: 'main',
    pathPrefix: 'examples/dist',
    namePrefix: 'two-teams',
  });
  tree.place('two-teams/argocd/applications.yaml', delivery).kustomization('two-teams/argocd');
  tree.addFile('two-teams/PLAN.md', () => planReportOf(app));
  tree.addFile('two-teams/PREREQUISITES.md', (objects) => prerequisitesReport(objects.map((o) => o.manifest)));
  tree.addVerifier(schemaVerifier());
  return tree;
}

/** Synthesizes into `outdir`. */
export function main(outdir = 'examples/dist'): void {
  const app = new App({ outdir });
  buildTwoTeams(app).write(outdir);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
