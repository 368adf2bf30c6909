import * as path from 'path';
import { readManifests } from '../../lib';
import { ruleFound, writeTree } from '../util';

/** GKE pools of cluster `lyra`: one of n2 machines, one with L4s attached, one whose accelerators a dynamic block writes. */
const gke =
  'resource "google_container_node_pool" "cpu" {\n  name    = "lyra-cpu"\n  cluster = "lyra"\n  node_config {\n    machine_type = "n2-standard-8"\n  }\n}\n\n' +
  'resource "google_container_node_pool" "l4" {\n  name    = "lyra-l4"\n  cluster = "lyra"\n  node_config {\n    machine_type = "g2-standard-8"\n    guest_accelerator {\n      type  = "nvidia-l4"\n      count = 1\n    }\n  }\n}\n\n' +
  'resource "google_container_node_pool" "flex" {\n  name    = "lyra-flex"\n  cluster = "lyra"\n  node_config {\n    machine_type = var.machine\n    dynamic "guest_accelerator" {\n      for_each = var.gpus\n      content {\n        type = guest_accelerator.value\n      }\n    }\n  }\n}\n';

const job = (pool: string, gpus: number) =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: finetune\n  namespace: ml\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      nodeSelector:\n        cloud.google.com/gke-nodepool: ${pool}\n` +
  `      containers:\n      - name: train\n        image: registry.example.com/trainer:0.9.0\n        resources:\n          limits:\n            nvidia.com/gpu: ${gpus}\n`;

const judged = (files: Record<string, string>) => {
  const root = writeTree('node-pool-gpu-missing-', files);
  const read = readManifests([path.join(root)]);
  return ruleFound('node-pool-gpu-missing', read.manifests, { platform: 'kserve', alone: true, ...read }).map((f) => `${f.severity} ${f.object}: ${f.message}`);
};

describe('node-pool-gpu-missing', () => {
  test('a Job requesting GPUs pinned to a pool of n2 machines without accelerators: an error naming the pool, its file and the GPU pools', () => {
    expect(judged({ 'tf/pools.tf': gke, 'job.yaml': job('lyra-cpu', 2) })).toEqual([
      expect.stringMatching(
        new RegExp(
          "^error Job/ml/finetune: nodeSelector pins cloud\\.google\\.com/gke-nodepool to 'lyra-cpu' while the pods request 2 GPUs, but the Terraform declares that GKE node pool without GPUs " +
            "\\('lyra-cpu' \\(terraform \\S*tf/pools\\.tf line 1\\): machine type n2-standard-8 and no guest_accelerator\\): no node there advertises the GPU resource, so the pods stay Pending; " +
            "pin a pool with GPUs \\(its GPU pools: 'lyra-l4' \\(terraform \\S*tf/pools\\.tf line 9\\)\\), or add the accelerator to the pool in the Terraform$",
        ),
      ),
    ]);
  });

  test('near misses: a GPU pool, a pool whose accelerators a dynamic block writes, a pool no Terraform declares, no GPU request', () => {
    expect(judged({ 'tf/pools.tf': gke, 'job.yaml': job('lyra-l4', 1) })).toEqual([]);
    expect(judged({ 'tf/pools.tf': gke, 'job.yaml': job('lyra-flex', 1) })).toEqual([]);
    expect(judged({ 'tf/pools.tf': gke, 'job.yaml': job('lyra-h100', 1) })).toEqual([]);
    expect(judged({ 'tf/pools.tf': gke, 'job.yaml': job('lyra-cpu', 0) })).toEqual([]);
  });
});
