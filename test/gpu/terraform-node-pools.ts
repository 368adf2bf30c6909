import { parseHcl } from '../../lib/manifests/hcl';
import { evaluate, UNKNOWN } from '../../lib/manifests/hcl-values';
import { terraformNodePools } from '../../lib/manifests/terraform-node-pools';
import { prng } from '../setup/prng';
import { cpuMsSince } from '../setup/promptly';
import { cliInProcess, writeTree } from '../util';

/** The node pools of a folder holding the files given, as the reader names them (relative paths). */
const poolsOf = (files: Record<string, string>) => {
  const root = writeTree('tf-pools-', files);
  return terraformNodePools([{ root, name: (abs) => abs.slice(root.length + 1) }]);
};

const value = (text: string, variables: Record<string, unknown> = {}) =>
  evaluate(parseHcl(`x = ${text}\n`).attributes.get('x')?.expr, { variables: new Map(Object.entries(variables) as never), locals: new Map() });

describe('HCL subset reader', () => {
  test('literals, templates, lists, objects and functions', () => {
    expect(value('"a-${var.b}-c"', { b: 'x' })).toBe('a-x-c');
    expect(value('format("%s-spt-%s", var.c, "trn")', { c: 'prod' })).toBe('prod-spt-trn');
    expect(value('[1, true, null, "s"]')).toEqual([1, true, null, 's']);
    expect(value('{ a = "1", "b.c/d" : 2 }')).toEqual({ a: '1', 'b.c/d': 2 });
    expect(value('join("-", ["a", "b"])')).toBe('a-b');
    expect(value('lower(upper("Ab"))')).toBe('ab');
    expect(value('merge({a = 1}, {b = 2})')).toEqual({ a: 1, b: 2 });
    expect(value('var.m["k"]', { m: { k: 'v' } })).toBe('v');
  });

  test('operators and conditionals, with HCL precedence; each and count of a repeated block', () => {
    expect(value('var.enable_gpu ? 1 : 0', { enable_gpu: true })).toBe(1);
    expect(value('var.enable_gpu ? 1 : 0', { enable_gpu: 'false' })).toBe(0);
    expect(value('var.n > 0 && var.env == "prod" ? var.n : 0', { n: 2, env: 'prod' })).toBe(2);
    expect(value('1 + 2 * 3 - -1')).toBe(8);
    expect(value('!var.off || var.missing', { off: false })).toBe(true);
    expect(value('var.missing && false')).toBe(false);
    expect(value('length(var.pools) == 0 ? "none" : "some"', { pools: { gpu: {} } })).toBe('some');
    expect(value('contains(["a", "b"], var.x)', { x: 'b' })).toBe(true);
    expect(value('"1" == 1')).toBe(false);
    const scope = { variables: new Map(), locals: new Map(), each: { key: 'gpu', value: { type: 'g5.xlarge' } }, index: 2 };
    expect(evaluate(parseHcl('x = "${each.key}-${count.index}-${each.value.type}"\n').attributes.get('x')?.expr, scope)).toBe('gpu-2-g5.xlarge');
  });

  test('what it cannot evaluate is UNKNOWN: other references, operators, conditionals, for, heredocs, directives', () => {
    for (const text of [
      'google_container_cluster.main.name',
      '"${var.missing}-x"',
      'var.missing == "b" ? "c" : "d"',
      'var.a ? 1 : 0',
      '1 + var.missing',
      '1 / 0',
      '[for s in var.l : upper(s)]',
      '<<EOT\nhello\nEOT',
      '"%{ if true }x%{ endif }"',
      'format("%08d", 3)',
      'each.key',
      'sha1("x")',
    ])
      expect(value(text, { a: 'b' })).toBe(UNKNOWN);
  });

  test('blocks, labels, one-line blocks and comments', () => {
    const body = parseHcl(
      '# comment\nresource "a" "b" { /* c */\n  scaling { min = 1 }\n  name = "n" // trailing\n  nested {\n    k = "v"\n  }\n}\nlocals {\n  z = 1\n}\n',
    );
    expect(body.blocks.map((b) => [b.type, b.labels, b.line])).toEqual([
      ['resource', ['a', 'b'], 2],
      ['locals', [], 9],
    ]);
    const r = body.blocks[0].body;
    expect([...r.attributes.keys()]).toEqual(['name']);
    expect(r.blocks.map((b) => b.type)).toEqual(['scaling', 'nested']);
  });

  test('fuzz: hostile and truncated text never throws and ends promptly', () => {
    const random = prng(20261207);
    const seed =
      'resource "google_container_node_pool" "p" {\n  name = format("%s-x", var.c)\n  node_config {\n    labels = { a = "b" }\n    taint { key = "k" effect = "NO_SCHEDULE" }\n  }\n}\nvariable "c" { default = "x" }\n';
    const pieces = ['{', '}', '[', ']', '(', ')', '"', '${', '%{', '<<EOT\n', '/*', '#', '=', '?', ':', ',', '\n', '\\', 'for ', '...', '.*', '-', '!'];
    const started = process.cpuUsage();
    for (let i = 0; i < 400; i++) {
      let text = seed;
      for (let k = 0; k < 8; k++) {
        const at = Math.floor(random() * text.length);
        text =
          random() < 0.5
            ? text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at)
            : text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 5));
      }
      expect(() => parseHcl(text)).not.toThrow();
    }
    const deep = `${'x = '.repeat(1)}${'['.repeat(50_000)}${'{'.repeat(50_000)}${'!'.repeat(50_000)}${'"${'.repeat(20_000)}`;
    expect(() => parseHcl(deep)).not.toThrow();
    expect(() => parseHcl('a = "'.repeat(100_000))).not.toThrow();
    expect(cpuMsSince(started)).toBeLessThan(10_000);
  });
});

describe('hostile configurations end promptly', () => {
  test('locals that double at each step, modules calling each other, mutated pool resources', () => {
    const locals = Array.from({ length: 40 }, (_, i) => `  l${i} = [local.l${i + 1}, local.l${i + 1}, "\${local.l${i + 1}}"]`).join('\n');
    const started = process.cpuUsage();
    const read = poolsOf({
      'a/main.tf':
        `locals {\n${locals}\n  l40 = "x"\n}\nmodule "b" {\n  source = "../b"\n  n = local.l0\n}\nmodule "a" {\n  source = "./"\n}\n` +
        'resource "google_container_node_pool" "p" {\n  name = local.l0\n  cluster = "c"\n}\n',
      'b/main.tf': 'variable "n" {}\nmodule "a" {\n  source = "../a"\n}\nmodule "a2" {\n  source = "../a"\n}\n',
      // the root that calls the circle (Terraform itself refuses a circle of module calls)
      'c/main.tf': 'module "a" {\n  source = "../a"\n}\n',
    });
    expect(read.pools.length).toBeGreaterThan(0);
    expect(read.pools.every((p) => p.name === undefined)).toBe(true);
    const random = prng(7);
    for (let i = 0; i < 30; i++) {
      const text =
        'resource "aws_eks_node_group" "g" {\n  node_group_name = "g"\n  taint {\n    key = "k"\n    effect = "NO_SCHEDULE"\n  }\n  labels = { a = "b" }\n}\n'
          .split('')
          .filter(() => random() > 0.05)
          .join('');
      expect(() => poolsOf({ 'x.tf': text, 'terraform.tfvars': text })).not.toThrow();
    }
    expect(cpuMsSince(started)).toBeLessThan(15_000);
  });
});

describe('node pools of a Terraform configuration', () => {
  const gke =
    'variable "cluster_name" {\n  default = "atlas"\n}\n' +
    'resource "google_container_cluster" "main" {\n  name = var.cluster_name\n  remove_default_node_pool = true\n  initial_node_count = 1\n}\n' +
    'resource "google_container_node_pool" "trn" {\n  name    = "${var.cluster_name}-spt-trn"\n  cluster = google_container_cluster.main.name\n' +
    '  autoscaling {\n    min_node_count = 0\n    max_node_count = 4\n  }\n  node_config {\n    machine_type = "g2-standard-8"\n    spot = true\n' +
    '    labels = {\n      team = "ml"\n    }\n    taint {\n      key    = "dedicated"\n      value  = "training"\n      effect = "NO_SCHEDULE"\n    }\n  }\n}\n' +
    'resource "google_container_node_pool" "cpu" {\n  name    = format("%s-cpu", var.cluster_name)\n  cluster = google_container_cluster.main.id\n  node_config {\n    machine_type = "n2-standard-4"\n  }\n}\n';

  test('GKE pools: names through variables and format, labels, taints, GPUs by machine type, autoscaling, one cluster', () => {
    const read = poolsOf({ 'infra/gke.tf': gke });
    expect(read.files).toEqual(['infra/gke.tf']);
    expect(read.clusters.map((c) => [c.cloud, c.name, c.autoCreation])).toEqual([['gke', 'atlas', false]]);
    const [trn, cpu] = read.pools;
    expect(trn).toMatchObject({
      name: 'atlas-spt-trn',
      labels: { team: 'ml', 'cloud.google.com/gke-nodepool': 'atlas-spt-trn', 'node.kubernetes.io/instance-type': 'g2-standard-8' },
      taints: [{ key: 'dedicated', value: 'training', effect: 'NoSchedule' }],
      gpus: true,
      min: 0,
      max: 4,
      file: 'infra/gke.tf',
      line: 9,
    });
    expect(cpu).toMatchObject({ name: 'atlas-cpu', gpus: false, taints: [] });
    expect(trn.cluster).toBe(cpu.cluster);
    expect(trn.cluster).toBe(read.clusters[0].key);
  });

  test('a tfvars value overrides the default; a variable without a value, a count not known and name_prefix leave the name unknown', () => {
    expect(poolsOf({ 'gke.tf': gke, 'terraform.tfvars': 'cluster_name = "borealis"\n' }).pools[0].name).toBe('borealis-spt-trn');
    const unknown = poolsOf({
      'gke.tf':
        'variable "env" {}\nresource "google_container_node_pool" "a" {\n  name = "${var.env}-gpu"\n  cluster = "c"\n}\n' +
        'variable "n" {}\nresource "google_container_node_pool" "b" {\n  count = var.n\n  name = "gpu-${count.index}"\n  cluster = "c"\n}\n' +
        'resource "google_container_node_pool" "c" {\n  name_prefix = "gpu-"\n  cluster = "c"\n}\n',
    });
    expect(unknown.pools.map((p) => p.name)).toEqual([undefined, undefined, undefined]);
    // two -var-file candidates that disagree: unknown
    expect(poolsOf({ 'gke.tf': gke, 'envs/a.tfvars': 'cluster_name = "a"\n', 'envs/b.tfvars': 'cluster_name = "b"\n' }).pools[0].name).toBeUndefined();
  });

  test('GKE: guest_accelerator, node auto-provisioning, the default pool, a local module called twice', () => {
    const read = poolsOf({
      'main.tf':
        'resource "google_container_cluster" "c" {\n  name = "c"\n  cluster_autoscaling {\n    enabled = true\n  }\n  node_config {\n    machine_type = "n1-standard-8"\n    guest_accelerator {\n      type  = "nvidia-tesla-t4"\n      count = 2\n    }\n  }\n}\n' +
        'module "east" {\n  source = "./pool"\n  name = "east-gpu"\n}\nmodule "west" {\n  source = "./pool"\n  name = "west-gpu"\n}\n',
      'pool/main.tf': 'variable "name" {}\nresource "google_container_node_pool" "p" {\n  name = var.name\n  cluster = "c"\n}\n',
    });
    expect(read.clusters[0].autoCreation).toBe(true);
    expect(read.pools.map((p) => [p.name, p.gpus, p.gpuWhy])).toEqual([
      ['default-pool', true, 'guest_accelerator nvidia-tesla-t4 × 2'],
      ['east-gpu', false, 'machine type e2-medium and no guest_accelerator'],
      ['west-gpu', false, 'machine type e2-medium and no guest_accelerator'],
    ]);
    expect(read.pools[1].cluster).toBe(read.clusters[0].key);
  });

  test('EKS node groups and the terraform-aws-modules/eks map; AKS pools', () => {
    const read = poolsOf({
      'eks.tf':
        'resource "aws_eks_node_group" "g" {\n  cluster_name = "prod"\n  node_group_name = "gpu-a10"\n  instance_types = ["g5.2xlarge"]\n  labels = { role = "gpu" }\n' +
        '  taint {\n    key = "nvidia.com/gpu"\n    effect = "NO_SCHEDULE"\n  }\n  scaling_config {\n    min_size = 1\n    max_size = 3\n    desired_size = 1\n  }\n}\n' +
        'module "eks" {\n  source = "terraform-aws-modules/eks/aws"\n  cluster_name = "prod"\n  eks_managed_node_groups = {\n    cpu = {\n      use_name_prefix = false\n      instance_types = ["m6i.large"]\n    }\n    gpu = {\n      instance_types = ["p4d.24xlarge"]\n    }\n  }\n}\n',
      'aks.tf':
        'resource "azurerm_kubernetes_cluster" "k" {\n  name = "k"\n  default_node_pool {\n    name = "system"\n    vm_size = "Standard_D4s_v5"\n  }\n}\n' +
        'resource "azurerm_kubernetes_cluster_node_pool" "gpu" {\n  name = "gpu"\n  kubernetes_cluster_id = azurerm_kubernetes_cluster.k.id\n  vm_size = "Standard_NC24ads_A100_v4"\n  node_taints = ["sku=gpu:NoSchedule"]\n}\n',
    });
    expect(read.pools.map((p) => [p.cloud, p.name, p.gpus, p.taints])).toEqual([
      ['aks', 'system', false, []],
      ['aks', 'gpu', true, [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }]],
      ['eks', 'gpu-a10', true, [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]],
      ['eks', 'cpu', false, []],
      ['eks', undefined, true, []],
    ]);
    expect(read.pools[2]).toMatchObject({ min: 1, max: 3, labels: { role: 'gpu', 'eks.amazonaws.com/nodegroup': 'gpu-a10' } });
    expect(new Set(read.pools.filter((p) => p.cloud === 'eks').map((p) => p.cluster)).size).toBe(1);
    expect(read.pools[1].cluster).toBe(read.clusters.find((c) => c.cloud === 'aks')?.key);
  });
});

describe('pools repeated by count and for_each, in resources and local module calls', () => {
  const group =
    'variable "types" {}\nresource "aws_eks_node_group" "g" {\n  cluster_name    = "ml"\n  node_group_name = "gpu"\n  instance_types  = var.types\n}\n';
  const caller = (count: string) => `variable "gpu" {}\nmodule "gpu" {\n  source = "./modules/gpu"\n  count  = ${count}\n  types  = ["g5.xlarge"]\n}\n`;

  test('a module called under a condition: its pools exist, may exist, or are absent as the count resolves', () => {
    const on = poolsOf({ 'main.tf': caller('1'), 'modules/gpu/main.tf': group });
    expect(on.pools.map((p) => [p.name, p.machineTypes, p.mayExist])).toEqual([['gpu', ['g5.xlarge'], undefined]]);
    const may = poolsOf({ 'main.tf': caller('var.gpu ? 1 : 0'), 'modules/gpu/main.tf': group });
    expect(may.pools.map((p) => [p.name, p.mayExist])).toEqual([['gpu', expect.stringContaining("the count of module 'gpu' is not known from the files")]]);
    const off = poolsOf({ 'main.tf': caller('var.gpu ? 1 : 0'), 'terraform.tfvars': 'gpu = false\n', 'modules/gpu/main.tf': group });
    expect(off.pools).toEqual([]);
    expect(off.absentPools.map((p) => [p.name, p.absent])).toEqual([['gpu', "the count of module 'gpu' is 0 as the files set it"]]);
  });

  test('count.index and each name the copies; a list of strings is a set of keys', () => {
    const read = poolsOf({
      'pools.tf':
        'resource "google_container_node_pool" "n" {\n  count   = 2\n  name    = "gpu-${count.index}"\n  cluster = "c"\n}\n' +
        'resource "google_container_node_pool" "e" {\n  for_each = toset(["a", "b"])\n  name     = "pool-${each.value}"\n  cluster  = "c"\n}\n',
    });
    expect(read.pools.map((p) => p.name)).toEqual(['gpu-0', 'gpu-1', 'pool-a', 'pool-b']);
  });
});

describe('check says which Terraform pools it read (terraform:)', () => {
  const files = {
    'infra/gke.tf':
      'resource "google_container_node_pool" "a" {\n  name = "vela-cpu"\n  cluster = "vela"\n}\n' +
      'variable "pools" {}\nresource "google_container_node_pool" "b" {\n  for_each = var.pools\n  name = each.key\n  cluster = "vela"\n}\n',
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: app\ndata:\n  a: b\n',
  };
  const note =
    /^2 node pools \(2 GKE\) from \S*infra\/gke\.tf; 1 with a name not evaluated \(count, for_each, a prefix or an expression\), so pool names are not judged for that cloud$/;

  test('in the text footer, the JSON and the SARIF run properties', async () => {
    const root = writeTree('tf-note-', files);
    const text = await cliInProcess(['check', root, '--platform', 'kserve']);
    expect(text.out.split('\n').filter((l) => l.startsWith('terraform: '))).toEqual([
      expect.stringMatching(new RegExp(note.source.replace('^', '^terraform: '))),
    ]);
    const json = JSON.parse((await cliInProcess(['check', root, '--platform', 'kserve', '--json'])).out);
    expect(json.terraform).toMatch(note);
    const sarif = JSON.parse((await cliInProcess(['check', root, '--platform', 'kserve', '--format', 'sarif'])).out);
    expect(sarif.runs[0].properties.terraform).toMatch(note);
  });

  test('no Terraform: no note', async () => {
    const json = JSON.parse((await cliInProcess(['check', writeTree('tf-note-', { 'cm.yaml': files['cm.yaml'] }), '--platform', 'kserve', '--json'])).out);
    expect(json.terraform).toBeUndefined();
  });
});
