/**
 * One app definition rendered for a fleet: the same Mistral-Small-24B service in dev (L4 nodes, tensor parallelism 4)
 * and prod (L40S nodes, tensor parallelism 2, two replicas), each environment with its own GPU type, quota and
 * PLAN.md, the checks run per environment, and one Argo CD ApplicationSet per kind of root pointing each cluster at
 * its path. The top-level PLAN.md sums GPUs and cost over the fleet.
 *
 *   npm run synth      renders examples/dist-fleet/
 */
import { ApiObject, App, Chart } from 'cdk8s';
import {
  ArgoCdFleet,
  ExistingGpuNodes,
  fleetReportOf,
  GpuInstanceType,
  KueueQuota,
  KustomizeTree,
  ModelProfile,
  ModelSource,
  planReportOfNamespace,
  prerequisitesReport,
  schemaVerifier,
  ServingNamespace,
  VllmDtype,
  VllmInferenceService,
  VllmRuntime,
} from '../lib';

/** What differs between the fleet's clusters. */
export interface Environment {
  readonly name: string;
  /** The cluster's API server as Argo CD knows it. */
  readonly server: string;
  readonly instanceType: GpuInstanceType;
  readonly nodes: number;
  readonly tensorParallelSize: number;
  readonly replicas: number;
}

export const ENVIRONMENTS: readonly Environment[] = [
  { name: 'dev', server: 'https://api.dev.example.com:6443', instanceType: GpuInstanceType.G6_12XLARGE, nodes: 1, tensorParallelSize: 4, replicas: 1 },
  { name: 'prod', server: 'https://api.prod.example.com:6443', instanceType: GpuInstanceType.G6E_12XLARGE, nodes: 1, tensorParallelSize: 2, replicas: 2 },
];

const REPO = 'https://github.com/example-org/llm-gitops.git';

export function buildFleet(app: App): KustomizeTree {
  const tree = new KustomizeTree(app, { appName: 'examples/fleet.ts' });
  const model = ModelProfile.bundled('mistral-small-24b-instruct-2501');
  for (const env of ENVIRONMENTS) {
    const namespace = `llm-${env.name}`;
    const cluster = new Chart(app, `${env.name}-cluster`);
    const nodes = new ExistingGpuNodes(cluster, 'Nodes', { shape: env.instanceType, nodeCount: env.nodes });
    new ServingNamespace(cluster, 'Namespace', { name: namespace });
    // OpenShift AI creates LocalQueue default → ClusterQueue default in managed namespaces: ours has its own name
    const quota = new KueueQuota(cluster, 'Quota', { placements: [nodes], namespace, clusterQueueName: `llm-${env.name}`, localQueueName: 'gpus' });
    const serving = new Chart(app, `${env.name}-serving`, { namespace });
    // the claim the weights are read from, in the tree: the cluster root creates the namespace, so nothing made before
    // sync can hold it (the weights are copied onto it once, before the service can load them). Several replicas may
    // land on several nodes, which a ReadWriteOnce volume cannot attach to at once: they read it from file storage
    new ApiObject(serving, 'ModelsClaim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'models' },
      spec: { accessModes: [env.replicas > 1 ? 'ReadWriteMany' : 'ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } },
    });
    new VllmInferenceService(serving, 'mistral-small', {
      runtime: new VllmRuntime(serving, 'Runtime'),
      source: ModelSource.pvc('models', 'mistral-small-24b-instruct-2501'),
      model,
      placement: nodes,
      queue: quota,
      tensorParallelSize: env.tensorParallelSize,
      replicas: env.replicas,
      dtype: VllmDtype.BFLOAT16,
      maxModelLen: 32768,
    });
    tree.place(`fleet/${env.name}/cluster/cluster.yaml`, cluster).kustomization(`fleet/${env.name}/cluster`);
    tree.place(`fleet/${env.name}/serving/serving.yaml`, serving).kustomization(`fleet/${env.name}/serving`);
    tree.addFile(`fleet/${env.name}/PLAN.md`, () => planReportOfNamespace(app, namespace));
    tree.addFile(`fleet/${env.name}/PREREQUISITES.md`, (objects) =>
      prerequisitesReport(objects.filter((o) => o.file.startsWith(`fleet/${env.name}/`)).map((o) => o.manifest)),
    );
  }
  const delivery = new Chart(app, 'fleet-argocd');
  const common = { tree, repoURL: REPO, targetRevision: 'main', pathPrefix: 'examples/dist-fleet' };
  new ArgoCdFleet(delivery, 'Cluster', {
    ...common,
    name: 'cluster',
    environments: ENVIRONMENTS.map((e) => ({ name: e.name, server: e.server, root: `fleet/${e.name}/cluster` })),
  });
  new ArgoCdFleet(delivery, 'Serving', {
    ...common,
    name: 'serving',
    environments: ENVIRONMENTS.map((e) => ({ name: e.name, server: e.server, root: `fleet/${e.name}/serving` })),
  });
  tree.place('fleet/argocd/applicationsets.yaml', delivery).kustomization('fleet/argocd');
  tree.addFile('fleet/PLAN.md', () =>
    fleetReportOf(
      app,
      ENVIRONMENTS.map((e) => ({ name: e.name, namespace: `llm-${e.name}` })),
    ),
  );
  tree.addVerifier(schemaVerifier());
  return tree;
}

/** Synthesizes into `outdir`. */
export function main(outdir = 'examples/dist-fleet'): void {
  const app = new App({ outdir });
  buildFleet(app).write(outdir);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
