import * as fs from 'fs';
import * as path from 'path';
import { readManifests } from '../../lib';
import { ruleFound, writeTree } from '../util';

/** A GKE cluster `orion` with pools orion-general and orion-spt-a100 (spot, A100s), named through a variable. */
const gke = (cluster = 'cluster_autoscaling {\n    enabled = false\n  }') =>
  `variable "cluster" {\n  default = "orion"\n}\n\n` +
  `resource "google_container_cluster" "main" {\n  name = var.cluster\n  remove_default_node_pool = true\n  ${cluster}\n}\n\n` +
  `resource "google_container_node_pool" "general" {\n  name    = "\${var.cluster}-general"\n  cluster = google_container_cluster.main.name\n}\n\n` +
  `resource "google_container_node_pool" "a100" {\n  name    = format("%s-spt-a100", var.cluster)\n  cluster = google_container_cluster.main.id\n  node_config {\n    machine_type = "a2-highgpu-1g"\n  }\n}\n`;

const computeClass = (pools: string[], extra = '') =>
  `apiVersion: cloud.google.com/v1\nkind: ComputeClass\nmetadata:\n  name: batch\nspec:\n${extra}  priorities:\n  - nodepools: [${pools.join(', ')}]\n`;
const flavor = (label: string, pool: string) =>
  `apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: spot-a100\nspec:\n  nodeLabels:\n    ${label}: ${pool}\n`;
const deployment = (selector: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ranker\n  namespace: search\nspec:\n  selector:\n    matchLabels: {app: ranker}\n  template:\n    metadata:\n      labels: {app: ranker}\n    spec:\n${selector}      containers:\n      - name: ranker\n        image: registry.example.com/ranker:2.0.1\n`;

/** The findings of the rule on a folder holding the files given, each `<severity> <object>: <message>`. */
const judged = (files: Record<string, string>, folder = '.', gitRoot = false) => {
  const root = writeTree('node-pool-not-declared-', files);
  if (gitRoot) fs.mkdirSync(path.join(root, '.git'));
  const read = readManifests([path.join(root, folder)]);
  return ruleFound('node-pool-not-declared', read.manifests, { platform: 'kserve', alone: true, ...read }).map(
    (f) => `${f.severity} ${f.object}: ${f.message}`,
  );
};

describe('node-pool-not-declared', () => {
  test('a ComputeClass listing a misspelt pool: an error naming the declared pool of the nearest name and its file', () => {
    const t = '\\(terraform \\S*infra/gke\\.tf line';
    expect(judged({ 'infra/gke.tf': gke(), 'cc.yaml': computeClass(['orion-spot-a100']) })).toEqual([
      expect.stringMatching(
        new RegExp(
          "^error ComputeClass/batch: spec\\.priorities\\[0\\]\\.nodepools pins cloud\\.google\\.com/gke-nodepool to 'orion-spot-a100', a GKE node pool the repository's Terraform \\(\\S*infra/gke\\.tf\\) does not declare " +
            `\\(its GKE node pools: 'orion-general' ${t} 13\\), 'orion-spt-a100' ${t} 18\\); no node pool is made on demand\\): no node carries that label, so the pods stay Pending; ` +
            `did you mean 'orion-spt-a100' ${t} 18\\)\\?$`,
        ),
      ),
    ]);
  });

  test('a ResourceFlavor and a Deployment pinning a pool no Terraform declares, with no near name: an error without a guess', () => {
    expect(judged({ 'infra/gke.tf': gke(), 'flavor.yaml': flavor('cloud.google.com/gke-nodepool', 'h100-reserved') })).toEqual([
      expect.stringMatching(
        /^error ResourceFlavor\/spot-a100: spec\.nodeLabels pins cloud\.google\.com\/gke-nodepool to 'h100-reserved', .*; name a declared pool, or declare this one in the Terraform$/,
      ),
    ]);
    const affinity =
      '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n' +
      '              - {key: cloud.google.com/gke-nodepool, operator: In, values: [orion-gpu, orion-cpu]}\n';
    expect(judged({ 'infra/gke.tf': gke(), 'd.yaml': deployment(affinity) })).toEqual([
      expect.stringMatching(
        /^error Deployment\/search\/ranker: affinity\.nodeAffinity pins cloud\.google\.com\/gke-nodepool to 'orion-gpu' or 'orion-cpu', a GKE node pool/,
      ),
    ]);
  });

  test('EKS: a node group the Terraform names through a tfvars value', () => {
    const eks =
      'variable "env" {}\nresource "aws_eks_node_group" "gpu" {\n  cluster_name = "ml-${var.env}"\n  node_group_name = "${var.env}-gpu-nodes"\n  instance_types = ["g6.12xlarge"]\n}\n';
    const files = {
      'infra/eks.tf': eks,
      'infra/terraform.tfvars': 'env = "prod"\n',
      'd.yaml': deployment('      nodeSelector:\n        eks.amazonaws.com/nodegroup: prod-gpu-node\n'),
    };
    expect(judged(files)).toEqual([
      expect.stringMatching(
        /^error Deployment\/search\/ranker: nodeSelector pins eks\.amazonaws\.com\/nodegroup to 'prod-gpu-node', an? EKS managed node group .*did you mean 'prod-gpu-nodes'/,
      ),
    ]);
  });

  test('the Terraform of the git repository around the checked folder counts', () => {
    const files = { 'infra/gke.tf': gke(), 'deploy/cc.yaml': computeClass(['orion-spot-a100']) };
    expect(judged(files, 'deploy', true)).toEqual([
      expect.stringMatching(/^error ComputeClass\/batch: .*did you mean 'orion-spt-a100' \(terraform .*infra\/gke\.tf line 18\)\?$/),
    ]);
  });

  test('near misses: the pool declared, auto-creation on or not known, a name not evaluated, several clusters, no Terraform', () => {
    expect(judged({ 'infra/gke.tf': gke(), 'cc.yaml': computeClass(['orion-spt-a100']) })).toEqual([]);
    expect(judged({ 'infra/gke.tf': gke('cluster_autoscaling {\n    enabled = true\n  }'), 'cc.yaml': computeClass(['orion-spot-a100']) })).toEqual([]);
    expect(judged({ 'infra/gke.tf': gke('enable_autopilot = var.autopilot'), 'cc.yaml': computeClass(['orion-spot-a100']) })).toEqual([]);
    expect(judged({ 'infra/gke.tf': gke(), 'cc.yaml': computeClass(['orion-spot-a100'], '  nodePoolAutoCreation:\n    enabled: true\n') })).toEqual([]);
    const unevaluated = gke().replace('default = "orion"', 'type = string');
    expect(judged({ 'infra/gke.tf': unevaluated, 'cc.yaml': computeClass(['orion-spot-a100']) })).toEqual([]);
    const second = 'resource "google_container_node_pool" "other" {\n  name = "vega-spot-a100"\n  cluster = "vega"\n}\n';
    expect(judged({ 'infra/gke.tf': gke(), 'infra/vega.tf': second, 'cc.yaml': computeClass(['orion-spot-a100']) })).toEqual([]);
    expect(judged({ 'cc.yaml': computeClass(['orion-spot-a100']) })).toEqual([]);
  });

  test('a pool made only under a condition: pinned where its count resolves to 0 it is still declared (-var may make it); a misspelt pin beside it is not', () => {
    const conditional =
      'variable "spot_h100" {\n  default = false\n}\n' +
      'resource "google_container_node_pool" "h100" {\n  count   = var.spot_h100 ? 1 : 0\n  name    = "orion-spt-h100"\n  cluster = google_container_cluster.main.name\n}\n';
    const files = { 'infra/gke.tf': gke(), 'infra/h100.tf': conditional };
    expect(judged({ ...files, 'cc.yaml': computeClass(['orion-spt-h100']) })).toEqual([]);
    expect(judged({ ...files, 'cc.yaml': computeClass(['orion-spot-h200']) })).toEqual([
      expect.stringMatching(/^error ComputeClass\/batch: .*'orion-spot-h200', a GKE node pool the repository's Terraform/),
    ]);
  });
});

describe('node-pool-not-declared: Karpenter NodePools pinned by name', () => {
  const nodePool = (name: string) =>
    `apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}\n      requirements: []\n`;
  const pinned = (pool: string) => deployment(`      nodeSelector:\n        karpenter.sh/nodepool: ${pool}\n`);

  test('a Deployment pinning a NodePool the tree does not define while it defines others: an error with the near name', () => {
    expect(judged({ 'pools.yaml': nodePool('gpu-inference'), 'd.yaml': pinned('gpu-inferense') })).toEqual([
      "error Deployment/search/ranker: nodeSelector pins karpenter.sh/nodepool to 'gpu-inferense', a Karpenter NodePool the checked tree does not define (its NodePools: gpu-inference) (did you mean gpu-inference?): " +
        'Karpenter launches nodes only for NodePools that exist, so the pods stay Pending; name one of those, or add the NodePool',
    ]);
  });

  test("near misses: the NodePool defined, EKS Auto Mode's built-in one, no NodePool in the tree, one a Terraform file writes", () => {
    expect(judged({ 'pools.yaml': nodePool('gpu-inference'), 'd.yaml': pinned('gpu-inference') })).toEqual([]);
    expect(judged({ 'pools.yaml': nodePool('gpu-inference'), 'd.yaml': pinned('general-purpose') })).toEqual([]);
    expect(judged({ 'd.yaml': pinned('gpu-inference') })).toEqual([]);
    const tf =
      'resource "kubectl_manifest" "pool" {\n  yaml_body = templatefile("${path.module}/pool.yaml.tpl", { name = "batch-spot" })\n}\n# kind: NodePool\n';
    expect(judged({ 'pools.yaml': nodePool('gpu-inference'), 'infra/karpenter.tf': tf, 'd.yaml': pinned('batch-spot') })).toEqual([]);
  });
});
