import * as YAML from 'yaml';
import { fluxWorkTree } from '../setup/flux-work-tree';
import { cliInProcess, podWorkload, writeTree } from '../util';
import { machineTypeGpus } from '../../lib/catalog/machine-type-gpus';
import { proseGpuModels } from '../../lib/catalog/prose-gpus';
import { proseGpuMentions } from '../../lib/manifests/prose-gpus';

/**
 * gpu-memory-fit (and vllm-gpu-generation) where the GPU is named outside the Kubernetes objects: the node pools a
 * Terraform configuration declares (a GKE guest_accelerator, an EKS node group's instance types, an AKS vm_size, a
 * Karpenter NodePool it applies), judged as a label naming the GPU is; and a README's sentence, a warning. Each source
 * has a tree it fires on and a near miss.
 */
interface Finding {
  rule: string;
  severity: string;
  object: string;
  message: string;
}
const RULES = ['gpu-memory-fit', 'vllm-gpu-generation', 'gpu-count-exceeds-node'];

async function check(dir: string): Promise<Finding[]> {
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return (report.findings as Finding[]).filter((f) => RULES.includes(f.rule));
}
const findings = (files: Record<string, string>) => check(writeTree('tf-gpu-fit-', files));
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.severity}`);

/** A Deployment serving `model` with vLLM on one GPU (or `gpus`), placed by `pod` (nodeSelector, tolerations). */
function vllm(model: string, args: string[] = [], pod: object = {}, gpus = 1, image = 'vllm/vllm-openai:v0.10.1'): string {
  return YAML.stringify(
    podWorkload('llm', 'ai', {
      ...pod,
      containers: [
        {
          name: 'vllm',
          image,
          args: ['--model', model, ...args],
          env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }],
          resources: { limits: { 'nvidia.com/gpu': String(gpus) } },
        },
      ],
    }),
  );
}
const TOLERATES_GPU = { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] };
const LLAMA_8B = 'meta-llama/Llama-3.1-8B-Instruct';
const QWEN_7B = 'Qwen/Qwen2.5-7B-Instruct';

/** A GKE cluster without its default pool, a CPU pool, and GPU pools of the accelerators given (name → type). */
function gke(gpuPools: Record<string, string>, cluster = ''): string {
  const pools = Object.entries(gpuPools).map(
    ([name, type]) =>
      `resource "google_container_node_pool" "${name}" {\n  name    = "${name}"\n  cluster = google_container_cluster.main.name\n  node_config {\n    machine_type = "n1-standard-8"\n` +
      `    guest_accelerator {\n      type  = "${type}"\n      count = 1\n    }\n  }\n}\n`,
  );
  return (
    `resource "google_container_cluster" "main" {\n  name                     = "llm"\n  remove_default_node_pool = true\n  initial_node_count       = 1\n${cluster}}\n` +
    'resource "google_container_node_pool" "cpu" {\n  name    = "cpu"\n  cluster = google_container_cluster.main.name\n  node_config {\n    machine_type = "e2-standard-4"\n  }\n}\n' +
    pools.join('')
  );
}

describe('GKE: a guest_accelerator of a node pool', () => {
  test('Llama-3.1-8B in BF16 on the one V100 pool of the cluster: an error naming the pool, its file, the GPU and the figures', async () => {
    const f = await findings({ 'infra/gke.tf': gke({ 'gpu-pool': 'nvidia-tesla-v100' }), 'k8s/vllm.yaml': vllm(LLAMA_8B, [], TOLERATES_GPU) });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toContain('on 1 × V100-16GB: the 14.20 GiB budget (0.9 × 15.78 GiB) minus weights 14.99');
    expect(f[0].message).toMatch(/GKE node pool 'gpu-pool' \(terraform \S*infra\/gke\.tf line 13: guest_accelerator nvidia-tesla-v100 × 1\)/);
    expect(f[0].message).toMatch(
      /the pods request nvidia\.com\/gpu and pin no pool, so they land on a GPU pool of the cluster \(terraform \S*infra\/gke\.tf line 1\)/,
    );
    // the fixes: more GPUs of the kind, a larger one
    expect(f[0].message).toContain('What would fit: tensor-parallel-size 4 on 4 × V100-16GB');
  });

  test('an InferenceService on the KServe vLLM runtime lands there too: the same verdict', async () => {
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm-runtime', namespace: 'ai' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.1', args: ['--port=8080', '--model=/mnt/models'] }],
      },
    };
    const gpu = { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' };
    const service = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', namespace: 'ai', annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
      spec: {
        predictor: {
          ...TOLERATES_GPU,
          model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-runtime', storageUri: `hf://${LLAMA_8B}`, resources: { requests: gpu, limits: gpu } },
        },
      },
    };
    const f = await findings({
      'infra/gke.tf': gke({ 'gpu-pool': 'nvidia-tesla-v100' }),
      'k8s/isvc.yaml': [runtime, service].map((o) => YAML.stringify(o)).join('---\n'),
    });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0]).toMatchObject({ object: 'InferenceService/ai/llm' });
    expect(f[0].message).toMatch(/^no_kv_memory on 1 × V100-16GB: .*GKE node pool 'gpu-pool'/);
  });

  test('vLLM 0.8.4 runs the bfloat16 checkpoint in bfloat16, which a V100 (compute capability 7.0) lacks: vllm-gpu-generation says so too', async () => {
    const f = await findings({
      'infra/gke.tf': gke({ 'gpu-pool': 'nvidia-tesla-v100' }),
      'k8s/vllm.yaml': vllm(QWEN_7B, ['--max-model-len', '4096', '--tensor-parallel-size', '2'], TOLERATES_GPU, 2, 'vllm/vllm-openai:v0.8.4'),
    });
    const generation = f.filter((x) => x.rule === 'vllm-gpu-generation');
    expect(brief(generation)).toEqual(['vllm-gpu-generation error']);
    expect(generation[0].message).toContain(
      'whose config.json says torch_dtype bfloat16; image vllm/vllm-openai:v0.8.4 is vLLM 0.8.4); V100-16GB has compute capability 7.0',
    );
    // two GPUs per pod on pools of one: the count is the pool's guest_accelerator count
    expect(f.find((x) => x.rule === 'gpu-count-exceeds-node')?.message).toMatch(
      /one pod requests 2 nvidia\.com\/gpu but the nodes it selects have 1 \(GKE node pool 'gpu-pool'/,
    );
  });

  test('pinned by name: the pool pinned decides, whatever the others carry', async () => {
    const pools = gke({ t4: 'nvidia-tesla-t4', l4: 'nvidia-l4' });
    const on = (pool: string) => ({ nodeSelector: { 'cloud.google.com/gke-nodepool': pool }, ...TOLERATES_GPU });
    const t4 = await findings({ 'infra/gke.tf': pools, 'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], on('t4')) });
    expect(brief(t4)).toEqual(['gpu-memory-fit error']);
    expect(t4[0].message).toMatch(/oom_weights on 1 × T4: .*GKE node pool 't4' .*the pool its nodeSelector pins by cloud\.google\.com\/gke-nodepool/);
    expect(await findings({ 'infra/gke.tf': pools, 'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], on('l4')) })).toEqual([]);
  });

  test('unpinned over a T4 pool and an L4 pool: a warning naming the T4, since the pods may land on the L4', async () => {
    const f = await findings({
      'infra/gke.tf': gke({ t4: 'nvidia-tesla-t4', l4: 'nvidia-l4' }),
      'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU),
    });
    expect(brief(f)).toEqual(['gpu-memory-fit warning']);
    expect(f[0].message).toMatch(
      /^container 'vllm': .*the GPU pools of cluster 'llm' that the pods may land on carry several GPUs and the model does not start on some: T4 \(GKE node pool 't4'/,
    );
    expect(f[0].message).toMatch(/It may start on L4 \(GKE node pool 'l4' .*pin a pool with one of those by its cloud\.google\.com\/gke-nodepool label/);
  });

  test('near misses: an A100 pool holds it; node auto-provisioning may make any pool; a pool name not evaluated may be the one pinned', async () => {
    expect(await findings({ 'infra/gke.tf': gke({ a100: 'nvidia-tesla-a100' }), 'k8s/vllm.yaml': vllm(LLAMA_8B, [], TOLERATES_GPU) })).toEqual([]);
    const nap = await findings({
      'infra/gke.tf': gke({ 'gpu-pool': 'nvidia-tesla-v100' }, '  cluster_autoscaling {\n    enabled = true\n  }\n'),
      'k8s/vllm.yaml': vllm(LLAMA_8B, [], TOLERATES_GPU),
    });
    expect(brief(nap)).toEqual(['gpu-count-exceeds-node info']);
    const unnamed = await findings({
      'infra/gke.tf':
        gke({ 'gpu-pool': 'nvidia-tesla-v100' }) +
        'variable "env" {}\nresource "google_container_node_pool" "x" {\n  name = "${var.env}-gpu"\n  cluster = "llm"\n}\n',
      'k8s/vllm.yaml': vllm(LLAMA_8B, [], { nodeSelector: { 'cloud.google.com/gke-nodepool': 'gpu-pool' } }),
    });
    expect(brief(unnamed)).toEqual(['gpu-count-exceeds-node info']);
  });
});

/** An EKS cluster, a system node group and a GPU node group of `types`, tainted for GPUs. */
const eks = (types: string[], more = '') =>
  'resource "aws_eks_cluster" "main" {\n  name     = "llm"\n  role_arn = aws_iam_role.cluster.arn\n}\n' +
  'resource "aws_eks_node_group" "system" {\n  cluster_name    = aws_eks_cluster.main.name\n  node_group_name = "system"\n  instance_types  = ["m5.large"]\n}\n' +
  `resource "aws_eks_node_group" "gpu" {\n  cluster_name    = aws_eks_cluster.main.name\n  node_group_name = "gpu"\n  instance_types  = ${JSON.stringify(types)}\n` +
  '  taint {\n    key    = "nvidia.com/gpu"\n    value  = "true"\n    effect = "NO_SCHEDULE"\n  }\n}\n' +
  more;

describe('EKS: the instance types of a managed node group', () => {
  test("Llama-3.1-8B on a g6.xlarge (one L4) at vLLM's default max-model-len (131072): one sequence's KV cache does not fit", async () => {
    const f = await findings({ 'terraform/eks.tf': eks(['g6.xlarge']), 'k8s/vllm.yaml': vllm(LLAMA_8B, [], TOLERATES_GPU) });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toContain(
      'kv_too_small on 1 × L4: 3.51 GiB of KV cache hold 28784 tokens, fewer than one sequence of max-model-len 131072 needs (16.00 GiB)',
    );
    expect(f[0].message).toContain('max-model-len 28784 or less');
    expect(f[0].message).toMatch(/EKS managed node group 'gpu' \(terraform \S*terraform\/eks\.tf line 10: instance type g6\.xlarge, 1 × L4 per node\)/);
  });

  test('a g4dn.xlarge (one T4) pool: 8B weights in BF16 exceed what it shows CUDA', async () => {
    const f = await findings({ 'terraform/eks.tf': eks(['g4dn.xlarge']), 'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU) });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toContain('oom_weights on 1 × T4: weights need 14.99 GiB per GPU but one T4 has 14.57 GiB visible to CUDA');
  });

  test('near misses: a shorter max-model-len fits the L4; Karpenter named in the Terraform may launch other nodes; a toleration missing keeps the pods off the pool', async () => {
    expect(await findings({ 'terraform/eks.tf': eks(['g6.xlarge']), 'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU) })).toEqual([]);
    const karpenter = 'resource "helm_release" "karpenter" {\n  name  = "karpenter"\n  chart = "karpenter"\n}\n';
    expect(brief(await findings({ 'terraform/eks.tf': eks(['g6.xlarge'], karpenter), 'k8s/vllm.yaml': vllm(LLAMA_8B, [], TOLERATES_GPU) }))).toEqual([
      'gpu-count-exceeds-node info',
    ]);
    // the pool's taint is on a key the pod does not tolerate: no pool of the Terraform takes it
    const tainted = eks(['g6.xlarge']).replace('key    = "nvidia.com/gpu"', 'key    = "dedicated"');
    expect(brief(await findings({ 'terraform/eks.tf': tainted, 'k8s/vllm.yaml': vllm(LLAMA_8B, [], TOLERATES_GPU) }))).toEqual(['gpu-count-exceeds-node info']);
  });
});

/** An EKS cluster, a system node group and a T4 node group made `count` times (`variables`: the variables it reads). */
const eksCounted = (count: string, variables: string) =>
  variables +
  eks(['m5.large']).replace(/resource "aws_eks_node_group" "gpu"[\s\S]*$/, '') +
  `resource "aws_eks_node_group" "gpu" {\n  count           = ${count}\n  cluster_name    = aws_eks_cluster.main.name\n  node_group_name = "gpu"\n` +
  '  instance_types  = ["g4dn.xlarge"]\n}\n';

describe('Terraform pools that exist only under a condition: count and for_each', () => {
  const deploy = vllm(LLAMA_8B, ['--max-model-len', '8192']);

  test('count = var.enable_gpu ? 1 : 0, set true by terraform.tfvars over a false default: the pool exists and is judged', async () => {
    const tf = eksCounted('var.enable_gpu ? 1 : 0', 'variable "enable_gpu" {\n  type    = bool\n  default = false\n}\n');
    const f = await findings({ 'infra/eks.tf': tf, 'infra/terraform.tfvars': 'enable_gpu = true\n', 'k8s/vllm.yaml': deploy });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toMatch(/oom_weights on 1 × T4: .*EKS managed node group 'gpu' \(terraform \S*infra\/eks\.tf line \d+: instance type g4dn\.xlarge/);
    // count = var.gpu_nodes, 2 by default: the same
    expect(
      brief(await findings({ 'infra/eks.tf': eksCounted('var.gpu_nodes', 'variable "gpu_nodes" {\n  default = 2\n}\n'), 'k8s/vllm.yaml': deploy })),
    ).toEqual(['gpu-memory-fit error']);
  });

  test('a count the files do not resolve: the pool may exist, a warning that says so', async () => {
    const f = await findings({ 'infra/eks.tf': eksCounted('var.enable_gpu ? 1 : 0', 'variable "enable_gpu" {\n  type = bool\n}\n'), 'k8s/vllm.yaml': deploy });
    expect(brief(f)).toEqual(['gpu-memory-fit warning']);
    expect(f[0].message).toContain('oom_weights on 1 × T4');
    expect(f[0].message).toContain(
      "the count of aws_eks_node_group 'gpu' is not known from the files (a variable no default or variable file beside it sets, which -var may), so it may not exist",
    );
  });

  test('near misses: the count resolves to 0 (the default false, no variable file), so only the CPU group exists; a fitting GPU under a condition', async () => {
    const off = eksCounted('var.enable_gpu ? 1 : 0', 'variable "enable_gpu" {\n  default = false\n}\n');
    expect(brief(await findings({ 'infra/eks.tf': off, 'k8s/vllm.yaml': deploy }))).toEqual(['gpu-count-exceeds-node info']);
    const l4 = eksCounted('var.enable_gpu ? 1 : 0', 'variable "enable_gpu" {}\n').replace('g4dn.xlarge', 'g6.xlarge');
    expect(await findings({ 'infra/eks.tf': l4, 'k8s/vllm.yaml': deploy })).toEqual([]);
  });

  /** GKE pools made for_each entry of var.gpu_pools (name → accelerator), its default as given. */
  const gkeForEach = (pools: string) =>
    `variable "gpu_pools" {\n  type = map(object({ accelerator = string, count = number }))\n  default = ${pools}\n}\n` +
    gke({}) +
    'resource "google_container_node_pool" "gpu" {\n  for_each = var.gpu_pools\n  name     = each.key\n  cluster  = google_container_cluster.main.name\n' +
    '  node_config {\n    machine_type = "n1-standard-8"\n    guest_accelerator {\n      type  = each.value.accelerator\n      count = each.value.count\n    }\n  }\n}\n';

  test('for_each = var.gpu_pools: one pool per key, each named and judged by its own accelerator', async () => {
    const f = await findings({
      'infra/gke.tf': gkeForEach('{\n    t4 = { accelerator = "nvidia-tesla-t4", count = 1 }\n  }'),
      'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU),
    });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toMatch(/GKE node pool 't4' \(terraform \S*infra\/gke\.tf line \d+: guest_accelerator nvidia-tesla-t4 × 1\)/);
  });

  test('near misses of for_each: a *.auto.tfvars replaces the map with an L4 pool; an empty map makes none', async () => {
    const t4 = gkeForEach('{\n    t4 = { accelerator = "nvidia-tesla-t4", count = 1 }\n  }');
    const deployed = vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU);
    const auto = 'gpu_pools = {\n  l4 = { accelerator = "nvidia-l4", count = 1 }\n}\n';
    expect(await findings({ 'infra/gke.tf': t4, 'infra/gpu.auto.tfvars': auto, 'k8s/vllm.yaml': deployed })).toEqual([]);
    expect(brief(await findings({ 'infra/gke.tf': gkeForEach('{}'), 'k8s/vllm.yaml': deployed }))).toEqual(['gpu-count-exceeds-node info']);
  });
});

/** A cluster of terraform-aws-modules/eks with a system group and the managed groups given (HCL of the map's entries). */
const eksModule = (groups: string, more = '') =>
  'module "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "~> 20.0"\n  cluster_name = "llm"\n' +
  `  eks_managed_node_groups = {\n    system = {\n      instance_types = ["m5.large"]\n    }\n${groups}  }\n${more}}\n`;
const moduleGpuGroup = (type: string) =>
  `    gpu = {\n      instance_types = ["${type}"]\n      labels = { workload = "llm" }\n      taints = {\n        gpu = { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" }\n      }\n    }\n`;
/** A GKE cluster of terraform-google-modules/kubernetes-engine (its private-cluster variant) with the node_pools given. */
const gkeModule = (pools: string, more = '') =>
  'module "gke" {\n  source = "terraform-google-modules/kubernetes-engine/google//modules/private-cluster"\n  name   = "llm"\n  remove_default_node_pool = true\n' +
  `  node_pools = [\n    { name = "cpu", machine_type = "e2-standard-4" },\n${pools}  ]\n${more}}\n`;

describe('clusters of the public Terraform modules', () => {
  const deploy = vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU);

  test('terraform-aws-modules/eks: a managed group of g4dn.xlarge (one T4) is judged, named by the module call', async () => {
    const f = await findings({ 'infra/eks.tf': eksModule(moduleGpuGroup('g4dn.xlarge')), 'k8s/vllm.yaml': deploy });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toMatch(
      /oom_weights on 1 × T4: .*EKS managed node group \(its name not evaluated\) \(terraform \S*infra\/eks\.tf line 1: instance type g4dn\.xlarge/,
    );
  });

  test('an aws_eks_node_group beside the module names the cluster by its cluster_name output; a self-managed group counts as a pool of the cluster', async () => {
    const group =
      'resource "aws_eks_node_group" "gpu" {\n  cluster_name    = module.eks.cluster_name\n  node_group_name = "gpu"\n  instance_types  = ["g4dn.xlarge"]\n}\n';
    const f = await findings({ 'infra/eks.tf': eksModule('') + group, 'k8s/vllm.yaml': deploy });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toMatch(/EKS managed node group 'gpu' \(terraform \S*infra\/eks\.tf line 11/);
    // a self-managed group of L4s beside it: the pods may land there, a warning
    const selfManaged = '  self_managed_node_groups = {\n    l4 = {\n      instance_type = "g6.xlarge"\n    }\n  }\n';
    expect(brief(await findings({ 'infra/eks.tf': eksModule('', selfManaged) + group, 'k8s/vllm.yaml': deploy }))).toEqual(['gpu-memory-fit warning']);
  });

  test('near misses of the EKS module: an L4 group; a self-managed group of a type not written (its default varies by release)', async () => {
    expect(await findings({ 'infra/eks.tf': eksModule(moduleGpuGroup('g6.xlarge')), 'k8s/vllm.yaml': deploy })).toEqual([]);
    const unwritten = '  self_managed_node_groups = {\n    other = {\n      min_size = 1\n    }\n  }\n';
    expect(brief(await findings({ 'infra/eks.tf': eksModule(moduleGpuGroup('g4dn.xlarge'), unwritten), 'k8s/vllm.yaml': deploy }))).toEqual([
      'gpu-count-exceeds-node info',
    ]);
  });

  test('terraform-google-modules/kubernetes-engine: a node pool of accelerator_type nvidia-tesla-t4 is judged by its name', async () => {
    const t4 = '    { name = "t4-pool", machine_type = "n1-standard-8", accelerator_type = "nvidia-tesla-t4", accelerator_count = 1 },\n';
    const f = await findings({ 'infra/gke.tf': gkeModule(t4), 'k8s/vllm.yaml': deploy });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toMatch(
      /oom_weights on 1 × T4: .*GKE node pool 't4-pool' \(terraform \S*infra\/gke\.tf line 1: guest_accelerator nvidia-tesla-t4 × 1\)/,
    );
  });

  test('near misses of the GKE module: an L4 pool; node auto-provisioning on; an Autopilot variant', async () => {
    const pool = (type: string) => `    { name = "gpu", machine_type = "g2-standard-8", accelerator_type = "${type}", accelerator_count = 1 },\n`;
    expect(await findings({ 'infra/gke.tf': gkeModule(pool('nvidia-l4')), 'k8s/vllm.yaml': deploy })).toEqual([]);
    const t4 = pool('nvidia-tesla-t4').replace('g2-standard-8', 'n1-standard-8');
    const nap = gkeModule(t4, '  cluster_autoscaling = {\n    enabled = true\n  }\n');
    expect(brief(await findings({ 'infra/gke.tf': nap, 'k8s/vllm.yaml': deploy }))).toEqual(['gpu-count-exceeds-node info']);
    const autopilot = gkeModule(t4).replace('//modules/private-cluster', '//modules/beta-autopilot-private-cluster');
    expect(brief(await findings({ 'infra/gke.tf': autopilot, 'k8s/vllm.yaml': deploy }))).toEqual(['gpu-count-exceeds-node info']);
  });
});

/** An AKS cluster of a system pool and a GPU pool of `size`, tainted sku=gpu. */
const aks = (size: string) =>
  'resource "azurerm_kubernetes_cluster" "aks" {\n  name = "llm-aks"\n  default_node_pool {\n    name    = "system"\n    vm_size = "Standard_D4s_v5"\n  }\n}\n' +
  `resource "azurerm_kubernetes_cluster_node_pool" "gpu" {\n  name                  = "gpu"\n  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id\n  vm_size               = "${size}"\n  node_taints           = ["sku=gpu:NoSchedule"]\n}\n`;
const ON_AKS_GPU = {
  nodeSelector: { 'kubernetes.azure.com/agentpool': 'gpu' },
  tolerations: [{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
};

describe('AKS: the vm_size of a node pool', () => {
  test('Mistral-7B-v0.3 on a Standard_NC6s_v3 (one 16 GB V100, not in the instance catalog) at its 32768 tokens', async () => {
    const f = await findings({ 'infra/aks.tf': aks('Standard_NC6s_v3'), 'k8s/vllm.yaml': vllm('mistralai/Mistral-7B-Instruct-v0.3', [], ON_AKS_GPU) });
    expect(brief(f)).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toContain('kv_too_small on 1 × V100-16GB');
    expect(f[0].message).toContain('fewer than one sequence of max-model-len 32768 needs (4.00 GiB)');
    expect(f[0].message).toMatch(/AKS node pool 'gpu' \(terraform \S*infra\/aks\.tf line 8: vm_size Standard_NC6s_v3, 1 × V100-16GB per node\)/);
  });

  test('near miss: at --max-model-len 1024 it starts; an A100 size fits at any length', async () => {
    expect(
      await findings({
        'infra/aks.tf': aks('Standard_NC6s_v3'),
        'k8s/vllm.yaml': vllm('mistralai/Mistral-7B-Instruct-v0.3', ['--max-model-len', '1024'], ON_AKS_GPU),
      }),
    ).toEqual([]);
    expect(
      await findings({ 'infra/aks.tf': aks('Standard_NC24ads_A100_v4'), 'k8s/vllm.yaml': vllm('mistralai/Mistral-7B-Instruct-v0.3', [], ON_AKS_GPU) }),
    ).toEqual([]);
  });
});

/** A Karpenter NodePool a kubectl_manifest applies, requiring `gpu` by instance-gpu-name (a variable's interpolation in the node class). */
const karpenterPool = (gpu: string) =>
  'resource "kubectl_manifest" "gpu_nodepool" {\n  yaml_body = <<-YAML\n    apiVersion: karpenter.sh/v1\n    kind: NodePool\n    metadata:\n      name: gpu\n    spec:\n      template:\n        spec:\n' +
  '          nodeClassRef:\n            group: karpenter.k8s.aws\n            kind: EC2NodeClass\n            name: ${var.node_class}\n          requirements:\n' +
  `            - key: karpenter.k8s.aws/instance-gpu-name\n              operator: In\n              values: ["${gpu}"]\n` +
  '          taints:\n            - key: nvidia.com/gpu\n              effect: NoSchedule\n  YAML\n}\n';

describe('Karpenter: a NodePool the Terraform applies', () => {
  test('its instance-gpu-name requirement names the T4: an error naming the NodePool and its file', async () => {
    const f = await findings({ 'tf/karpenter.tf': karpenterPool('t4'), 'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU) });
    expect(brief(f).filter((b) => b.startsWith('gpu-memory-fit'))).toEqual(['gpu-memory-fit error']);
    expect(f[0].message).toContain('oom_weights on 1 × T4');
    expect(f[0].message).toMatch(
      /karpenter\.k8s\.aws\/instance-gpu-name=t4; a requirement of Karpenter NodePool 'gpu' \(terraform \S*tf\/karpenter\.tf line 3\) that takes the pods/,
    );
  });

  test('a kubernetes_manifest written as an HCL object is read the same; one with a value Terraform fills is not', async () => {
    const hcl = (values: string) =>
      'resource "kubernetes_manifest" "gpu" {\n  manifest = {\n    apiVersion = "karpenter.sh/v1"\n    kind       = "NodePool"\n    metadata   = { name = "gpu" }\n' +
      '    spec = {\n      template = {\n        spec = {\n          nodeClassRef = { group = "karpenter.k8s.aws", kind = "EC2NodeClass", name = "default" }\n' +
      `          requirements = [{ key = "karpenter.k8s.aws/instance-gpu-name", operator = "In", values = ${values} }]\n` +
      '          taints = [{ key = "nvidia.com/gpu", effect = "NoSchedule" }]\n        }\n      }\n    }\n  }\n}\nvariable "gpu" {}\n';
    const deploy = vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU);
    const f = await findings({ 'tf/karpenter.tf': hcl('["t4"]'), 'k8s/vllm.yaml': deploy });
    expect(f[0].message).toMatch(/oom_weights on 1 × T4: .*a requirement of Karpenter NodePool 'gpu' \(terraform \S*tf\/karpenter\.tf line 1\)/);
    expect(brief(await findings({ 'tf/karpenter.tf': hcl('[var.gpu]'), 'k8s/vllm.yaml': deploy }))).toEqual(['gpu-count-exceeds-node info']);
  });

  test('near misses: an L40S NodePool holds it; a requirement Terraform fills from a variable is not read', async () => {
    expect(
      brief(await findings({ 'tf/karpenter.tf': karpenterPool('l40s'), 'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU) })),
    ).not.toContain('gpu-memory-fit error');
    const variable = await findings({
      'tf/karpenter.tf': karpenterPool('${var.gpu}'),
      'k8s/vllm.yaml': vllm(LLAMA_8B, ['--max-model-len', '8192'], TOLERATES_GPU),
    });
    expect(brief(variable)).toEqual(['gpu-count-exceeds-node info']);
  });
});

describe("a README's sentence naming the GPU", () => {
  const readme = (sentence: string) => `# Chat service\n\n${sentence}\n\n\`\`\`bash\nkubectl apply -f deploy/\n\`\`\`\n`;
  const deploy = vllm(QWEN_7B, ['--max-model-len', '4096']);

  test('"tested on an RTX 2080 Ti" (11 GB): a warning naming the file and line, only where the tree names no GPU', async () => {
    const f = await findings({ 'README.md': readme('Tested on an RTX 2080 Ti.'), 'deploy/vllm.yaml': deploy });
    expect(brief(f)).toEqual(['gpu-memory-fit warning', 'gpu-count-exceeds-node info']);
    expect(f[0].message).toContain('oom_weights on 1 × RTX 2080 Ti: weights need 14.19 GiB per GPU but one RTX 2080 Ti has 11.00 GiB visible to CUDA');
    expect(f[0].message).toMatch(/\S*README\.md line 3: "Tested on an RTX 2080 Ti\."; a README says so/);
    // the tree's own node selection names an L40S: the README is not read
    const pinned = vllm(QWEN_7B, ['--max-model-len', '4096'], { nodeSelector: { 'node.kubernetes.io/instance-type': 'g6e.xlarge' } });
    expect(await findings({ 'README.md': readme('Tested on an RTX 2080 Ti.'), 'deploy/vllm.yaml': pinned })).toEqual([]);
  });

  test('"a 24 GB GPU" and a README above the checked folder, in its repository', async () => {
    const root = fluxWorkTree({ 'README.md': readme('Requires a 24 GB GPU.'), 'deploy/vllm.yaml': vllm(LLAMA_8B) }, undefined);
    const f = await check(`${root}/deploy`);
    expect(brief(f)).toEqual(['gpu-memory-fit warning', 'gpu-count-exceeds-node info']);
    expect(f[0].message).toContain('kv_too_small on 1 × GPU of 24 GB');
    expect(f[0].message).toMatch(/README\.md line 3: "Requires a 24 GB GPU\."/);
  });

  test('near misses: a GPU it fits, several of which one fits, a sentence that says not, a GPU named only in a code block', async () => {
    for (const sentence of [
      'Tested on an RTX 4090.',
      'Runs on an RTX 2080 Ti or an A100.',
      'Not tested on an RTX 2080 Ti.',
      'The team likes the RTX 2080 Ti.',
      '```\n# tested on an RTX 2080 Ti\n```',
    ])
      expect(brief(await findings({ 'README.md': readme(sentence), 'deploy/vllm.yaml': deploy }))).toEqual(['gpu-count-exceeds-node info']);
  });
});

describe('what the readers take from the text', () => {
  test("a README's lines: the GPU words in canonical form, sizes, the context that makes them the tree's, and the lines left out", () => {
    const text = [
      '# Setup',
      'Tested on an NVIDIA GeForce RTX3090 and a Tesla T4.',
      '| GPU | A100 80GB |',
      'Requires 16GB of VRAM.',
      'Needs a GPU with 48 GB.',
      'We benchmarked the L4 too.',
      'Needs more than 16 GB of VRAM.',
      '```',
      'runs on an H100',
      '```',
      '    runs on an H200 (an indented code block)',
    ].join('\n');
    expect(
      proseGpuMentions([
        { script: 'docs/README.md', text },
        { script: 'run.sh', text },
      ]).map((m) => [m.line, m.gpus]),
    ).toEqual([
      [2, ['RTX 3090', 'T4']],
      [3, ['A100 80GB']],
      [4, ['16 GB']],
      [5, ['48 GB']],
    ]);
  });

  test('the GPUs those words name: the catalog, an RTX card, a size; an A100 without its size may be either', () => {
    const names = (words: string) => proseGpuModels(words)?.map((g) => [g.name, g.cudaVisibleGiB, g.computeCapability]);
    expect(names('T4')).toEqual([['T4', 14.57, '7.5']]);
    expect(names('A100')).toEqual([
      ['A100-40GB', 39.5, '8.0'],
      ['A100-80GB', 79.25, '8.0'],
    ]);
    expect(names('A100 80GB')).toEqual([['A100-80GB', 79.25, '8.0']]);
    expect(names('V100 32GB')).toEqual([['V100 32GB', 32, '7.0']]);
    expect(names('RTX 2080 Ti')).toEqual([['RTX 2080 Ti', 11, '7.5']]);
    expect(names('24 GB')).toEqual([['GPU of 24 GB', 24, 'unknown']]);
    expect(names('RTX 1080')).toBeUndefined();
  });

  test('the GPUs of a machine type: the instance catalog, else the sizes of the table; none for a type without GPUs', () => {
    const of = (t: string) => {
      const m = machineTypeGpus(t);
      return m && [m.gpu.name, m.count, m.type?.name];
    };
    expect(of('g4dn.xlarge')).toEqual(['T4', 1, 'g4dn.xlarge']);
    expect(of('Standard_NC24s_v3')).toEqual(['V100-16GB', 4, undefined]);
    expect(of('standard_nc6s_v3')).toEqual(['V100-16GB', 1, undefined]);
    expect(of('a3-highgpu-2g')).toEqual(['H100-80GB', 2, undefined]);
    expect(of('m5.large')).toBeUndefined();
  });
});
