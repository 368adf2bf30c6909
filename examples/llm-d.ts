/**
 * The llm-d path of OpenShift AI 3.x: two LLMInferenceServices on a pool of L40S nodes, rendered for OpenShift AI 3.0
 * (`serving.kserve.io/v1alpha1`) and 3.4 (`v1alpha2`) from one definition.
 *
 *   llama-8b      prefill/decode disaggregation behind the managed router (gateway route, inference scheduler,
 *                 InferencePool): two single-GPU prefill pods and one decode pod on two GPUs, with two static LoRA
 *                 adapters whose slots are planned in both pools.
 *   llama-70b     one model across nodes: a LeaderWorkerSet group of two pods (data parallelism 2, one rank per pod),
 *                 each rank tensor-parallel over the four GPUs of its node.
 *
 * Each pool is planned on its GPUs (PLAN.md has a verdict per pool); the nodes and the Kueue quota are sized from
 * every pool.
 *
 *   npm run synth      renders examples/dist-llm-d/rhoai-3.0/ and examples/dist-llm-d/rhoai-3.4/
 */
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import {
  ExistingGpuNodes,
  GpuInstanceType,
  KueueQuota,
  KustomizeTree,
  LlmRouter,
  ModelProfile,
  ModelSource,
  PlatformId,
  planReportOf,
  prerequisitesReport,
  schemaVerifier,
  ServingNamespace,
  setPlatform,
  VllmLlmInferenceService,
} from '../lib';

/** The Llama-3.1-8B modelcar, by digest (example digest: use your registry's). */
const LLAMA_8B_MODELCAR = `oci://quay.io/example/llama-3.1-8b-instruct-modelcar@sha256:${'4a'.repeat(32)}`;

/** The platforms the example is rendered for, each into its own folder. */
export const LLM_D_PLATFORMS: readonly PlatformId[] = ['rhoai-3.0', 'rhoai-3.4'];

export function buildLlmD(app: App, platform: PlatformId): KustomizeTree {
  setPlatform(app, platform);
  const tree = new KustomizeTree(app, { appName: 'examples/llm-d.ts' });

  const cluster = new Chart(app, 'cluster');
  // three existing g6e.12xlarge nodes (4 × L40S): one for the 8B pools, two for the 70B group
  const l40s = new ExistingGpuNodes(cluster, 'L40S', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 3, machineSet: 'ocp-gpu-l40s-us-east-1a' });
  new ServingNamespace(cluster, 'Namespace', { name: 'llm-d', displayName: 'llm-d models' });
  const quota = new KueueQuota(cluster, 'Quota', { placements: [l40s], namespace: 'llm-d', clusterQueueName: 'llm-d', localQueueName: 'gpus' });
  tree.place('llm-d/cluster/cluster.yaml', cluster);

  const serving = new Chart(app, 'serving', { namespace: 'llm-d' });
  new VllmLlmInferenceService(serving, 'llama-8b', {
    source: ModelSource.oci(LLAMA_8B_MODELCAR),
    model: ModelProfile.bundled('llama-3.1-8b-instruct'),
    modelName: 'llama-3.1-8b',
    placement: l40s,
    queue: quota,
    router: LlmRouter.managed(),
    replicas: 1,
    parallelism: { tensor: 2 },
    maxModelLen: 16384,
    prefill: { replicas: 2, parallelism: { tensor: 1 }, maxModelLen: 16384 },
    lora: {
      adapters: [
        { name: 'llama-8b-sql', uri: 'hf://example-org/llama-3.1-8b-sql-lora' },
        { name: 'llama-8b-support', uri: 'hf://example-org/llama-3.1-8b-support-lora' },
      ],
      maxRank: 16,
    },
  });
  new VllmLlmInferenceService(serving, 'llama-70b', {
    source: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct', { revision: '945c8663693130f8be2ee66210e062158b2a9693', tokenSecret: 'hf-token' }),
    model: ModelProfile.bundled('llama-3.1-70b-instruct'),
    modelName: 'llama-3.1-70b',
    placement: l40s,
    queue: quota,
    multiNode: true,
    parallelism: { tensor: 4, data: 2, dataLocal: 1 },
    maxModelLen: 8192,
    memory: { request: Size.gibibytes(160) },
  });
  tree.place('llm-d/serving/serving.yaml', serving);

  tree.kustomization('llm-d/cluster').kustomization('llm-d/serving');
  tree.addFile('llm-d/PLAN.md', () => planReportOf(app));
  tree.addFile('llm-d/PREREQUISITES.md', (objects) => prerequisitesReport(objects.map((o) => o.manifest)));
  // against the app's platform's schemas: LLMInferenceService v1alpha1 (3.0) or v1alpha2 (3.4), Kueue, and the rest
  tree.addVerifier(schemaVerifier());
  return tree;
}

/** Synthesizes each platform's tree into `outdir/<platform>`. */
export function main(outdir = 'examples/dist-llm-d'): void {
  for (const platform of LLM_D_PLATFORMS) {
    const dir = path.join(outdir, platform);
    const app = new App({ outdir: dir });
    buildLlmD(app, platform).write(dir);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
