/**
 * A generated app with N InferenceServices, for the synth benchmark: `node build/bench/scale-app.js <N> <outdir>`.
 * Every service has its own chart and file, a model profile (so the planner runs), a queue and a MachineSet, and
 * synth runs the same schema validation and checks as the step-05 app. Prints its peak RSS in KiB on exit.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  GpuInstanceType,
  GpuMachineSetScale,
  KueueQuota,
  KustomizeTree,
  ModelProfile,
  S3Connection,
  S3ModelInferenceService,
  schemaVerifier,
  VllmRuntime,
} from '../lib';

export function buildScaleApp(app: App, services: number, modelsDir: string): KustomizeTree {
  const tree = new KustomizeTree(app, { appName: 'bench/scale-app.ts', report: () => undefined });
  const cluster = new Chart(app, 'cluster');
  const nodes = new GpuMachineSetScale(cluster, 'Nodes', {
    clusterId: 'bench-abc12',
    region: 'us-east-2',
    availabilityZone: 'us-east-2a',
    amiId: 'ami-0123456789abcdef0',
    instanceType: GpuInstanceType.G6E_12XLARGE,
  });
  const quota = new KueueQuota(cluster, 'Quota', { machineSets: [nodes], namespace: 'bench' });
  tree.place('bench/cluster/cluster.yaml', cluster).kustomization('bench/cluster');
  const shared = new Chart(app, 'shared', { namespace: 'bench' });
  const runtime = new VllmRuntime(shared, 'Runtime');
  const s3 = new S3Connection(shared, 'S3', { secretName: 'models-s3', endpoint: 'http://minio.minio.svc:9000', bucket: 'models' });
  tree.place('bench/base/runtime.yaml', shared);
  const model = ModelProfile.fromDirectory(path.join(modelsDir, 'mistral-small-24b-instruct-2501-awq'));
  for (let i = 0; i < services; i++) {
    const name = `llm-${String(i).padStart(4, '0')}`;
    const chart = new Chart(app, name, { namespace: 'bench' });
    new S3ModelInferenceService(chart, name, {
      runtime,
      connection: s3,
      modelPath: `models/${name}/`,
      machineSet: nodes,
      queue: quota,
      model,
      maxModelLen: 8192,
    });
    tree.place(`bench/base/services/${name}.yaml`, chart);
  }
  tree.kustomization('bench/base');
  tree.addVerifier(schemaVerifier());
  return tree;
}

if (require.main === module) {
  const [n, outdir] = process.argv.slice(2);
  const root = path.resolve(__dirname, '..', '..');
  const app = new App({ outdir });
  buildScaleApp(app, Number(n), path.join(root, 'models')).write(outdir);
  process.stdout.write(`${JSON.stringify({ services: Number(n), maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}
