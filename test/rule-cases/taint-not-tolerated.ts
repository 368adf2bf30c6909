import * as path from 'path';
import { readManifests } from '../../lib';
import { ruleFound, writeTree } from '../util';

/** An AKS pool `infer` of A100 VMs tainted for inference, declared in Terraform. */
const aks = (taints: string) =>
  'resource "azurerm_kubernetes_cluster" "k" {\n  name = "k"\n  default_node_pool {\n    name    = "system"\n    vm_size = "Standard_D4s_v5"\n  }\n}\n\n' +
  `resource "azurerm_kubernetes_cluster_node_pool" "infer" {\n  name                  = "infer"\n  kubernetes_cluster_id = azurerm_kubernetes_cluster.k.id\n  vm_size               = "Standard_NC24ads_A100_v4"\n  node_taints           = ${taints}\n}\n`;

const deployment = (tolerations: string) =>
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n  namespace: llm\nspec:\n  selector:\n    matchLabels: {app: chat}\n  template:\n    metadata:\n      labels: {app: chat}\n    spec:\n' +
  `      nodeSelector:\n        kubernetes.azure.com/agentpool: infer\n${tolerations}      containers:\n      - name: server\n        image: vllm/vllm-openai:v0.10.1\n        resources:\n          limits:\n            nvidia.com/gpu: 1\n`;

const judged = (files: Record<string, string>) => {
  const root = writeTree('taint-not-tolerated-', files);
  const read = readManifests([path.join(root)]);
  return ruleFound('taint-not-tolerated', read.manifests, { platform: 'kserve', alone: true, ...read }).map((f) => `${f.severity} ${f.object}: ${f.message}`);
};

describe('taint-not-tolerated: node pools of the Terraform', () => {
  test('a Deployment pinned to an AKS pool whose Terraform taints it, without the toleration: an error naming the pool and its file', () => {
    expect(judged({ 'infra/aks.tf': aks('["workload=inference:NoSchedule"]'), 'd.yaml': deployment('') })).toEqual([
      expect.stringMatching(
        new RegExp(
          "^error Deployment/llm/chat: selects the nodes of AKS node pool 'infer' \\(terraform \\S*infra/aks\\.tf line 9\\) \\(tainted workload=inference:NoSchedule\\) but tolerates no such taint: " +
            'the pods stay Pending \\("node\\(s\\) had untolerated taint"\\); add a toleration \\{key: workload, operator: Exists, effect: NoSchedule\\}$',
        ),
      ),
    ]);
  });

  test('near misses: the toleration given, a taint on the GPU resource the pod requests, taints not evaluated', () => {
    const tolerated = '      tolerations:\n      - {key: workload, operator: Equal, value: inference, effect: NoSchedule}\n';
    expect(judged({ 'infra/aks.tf': aks('["workload=inference:NoSchedule"]'), 'd.yaml': deployment(tolerated) })).toEqual([]);
    expect(judged({ 'infra/aks.tf': aks('["nvidia.com/gpu=present:NoSchedule"]'), 'd.yaml': deployment('') })).toEqual([]);
    expect(judged({ 'infra/aks.tf': aks('var.taints'), 'd.yaml': deployment('') })).toEqual([]);
  });
});
