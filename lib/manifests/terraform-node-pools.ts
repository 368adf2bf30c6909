import * as fs from 'fs';
import * as path from 'path';
import { INSTANCE_TYPE_LABEL } from '../k8s/keys';
import type { GitCheckout } from './git-checkout';
import { workTreeOf } from './work-tree';
import { HclBlock, HclBody } from './hcl';
import { asString, evaluate, HclScope, HclValue, isMap, UNKNOWN } from './hcl-values';
import { copiesOf, ModuleInstance, moduleInstances, stringAttribute, terraformModules } from './terraform-modules';
import { terraformHeredocManifests } from './terraform-manifests';
import { parseDocuments } from './yaml-documents';
import { Loose, mapping } from './access';

/** The cloud whose managed node pools a Terraform resource makes. */
export type PoolCloud = 'gke' | 'eks' | 'aks';

/** The label each cloud puts on a pool's nodes with the pool's name (GKE, EKS managed node groups, AKS agent pools). */
export const POOL_NAME_LABELS: Readonly<Record<PoolCloud, string>> = {
  gke: 'cloud.google.com/gke-nodepool',
  eks: 'eks.amazonaws.com/nodegroup',
  aks: 'kubernetes.azure.com/agentpool',
};

/** A node taint a pool's nodes carry, as Kubernetes writes it. */
export interface PoolTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** A node pool a Terraform configuration declares; a field not known from the text is undefined. */
export interface TerraformNodePool {
  readonly cloud: PoolCloud;
  /** Its name; undefined where it is not known (an interpolation not evaluated, a name_prefix, count or for_each). */
  readonly name?: string;
  /** The cluster it belongs to (a key: the instance and resource, or the cluster's name); undefined where not known. */
  readonly cluster?: string;
  /** The labels its nodes carry that the configuration states, its name's label among them; undefined where not known. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Its NoSchedule and NoExecute taints; undefined where not known. */
  readonly taints?: readonly PoolTaint[];
  /** Whether its nodes have GPUs: a GPU attached or a GPU machine type; undefined where not known. */
  readonly gpus?: boolean;
  /** What says so: the accelerator and count, or the machine type. */
  readonly gpuWhy?: string;
  /**
   * A GKE pool's one guest_accelerator: its type, its count per node and its MIG gpu_partition_size; undefined where
   * there is none, several, or a field not given literally.
   */
  readonly accelerator?: { readonly type: string; readonly count: number; readonly partition?: string };
  readonly machineTypes?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /**
   * Why the pool may not exist: its count or for_each is not known from the files (a variable no default or variable
   * file beside it sets; -var may set it). Undefined where it exists: no count or for_each, or one that resolves above 0.
   */
  readonly mayExist?: string;
  readonly file: string;
  readonly line: number;
}

/** A cluster a Terraform configuration declares, and whether its own settings create node pools on demand. */
export interface TerraformCluster {
  readonly cloud: PoolCloud;
  readonly key: string;
  /** The resource that declares it, `<module instance> <type>.<label>`, where a resource does. */
  readonly resource?: string;
  readonly name?: string;
  /** Node auto-provisioning (GKE NAP, Autopilot; AKS node auto-provisioning): true, false, or undefined where not known. */
  readonly autoCreation?: boolean;
  readonly file: string;
  readonly line: number;
}

export interface TerraformNodePools {
  readonly pools: readonly TerraformNodePool[];
  /**
   * The pools whose count resolves to 0 (or for_each to none) from the files, with why: they do not exist as the files
   * set their variables, but a -var may set them otherwise, so a pin naming one is not said to name no pool.
   */
  readonly absentPools: readonly (TerraformNodePool & { readonly absent: string })[];
  readonly clusters: readonly TerraformCluster[];
  /** The .tf files read. */
  readonly files: readonly string[];
  /** The .tf files that write a GKE ComputeClass or a Karpenter NodePool (a kubernetes_manifest or kubectl_manifest naming the kind), with their texts. */
  readonly manifestTexts: readonly { readonly file: string; readonly text: string }[];
  /** The Karpenter NodePools the configuration applies whole (heredocKarpenterPools, or a kubernetes_manifest of HCL). */
  readonly karpenterNodePools: readonly TerraformKarpenterPool[];
  /** The .tf files that name Karpenter at all: its nodes may come from NodePools the configuration does not hold. */
  readonly karpenterFiles: readonly string[];
}

/** A Karpenter NodePool a Terraform configuration applies: its manifest, the file and the line it starts on. */
export interface TerraformKarpenterPool {
  readonly manifest: Loose;
  readonly file: string;
  readonly line: number;
}

interface Declared {
  readonly block: HclBlock;
  readonly file: string;
  readonly inst: ModuleInstance;
  /** In one instance of a repeated block (copiesOf): its name is read, unknown where made of a count.index or each not known. */
  readonly copy?: boolean;
}

const EFFECTS: Readonly<Record<string, string>> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
  NoSchedule: 'NoSchedule',
  NoExecute: 'NoExecute',
  PreferNoSchedule: 'PreferNoSchedule',
};

/** Whether a block is repeated (count, for_each) or written by a `dynamic` block: its name is then not one. */
const repeated = (b: HclBlock) => b.body.attributes.has('count') || b.body.attributes.has('for_each');
/** Whether a declaration's name is not known for its repetition: repeated, and not read per instance (copiesOf). */
const nameless = (d: Declared) => repeated(d.block) && !d.copy;
const dynamicOf = (body: HclBody, type: string) => body.blocks.some((b) => b.type === 'dynamic' && b.labels[0] === type);

/** A map of strings, undefined where it or a value is not known. */
function stringMapOf(v: HclValue): Record<string, string> | undefined {
  if (v === null) return {};
  if (!isMap(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = asString(x);
    if (s === undefined) return undefined;
    out[k] = s;
  }
  return out;
}

/** A list of strings, undefined where it or an item is not known. */
function stringList(v: HclValue): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = (v as HclValue[]).map(asString);
  return out.every((s): s is string => s !== undefined) ? out : undefined;
}

/** Taints written as `{key, value, effect}` maps (GKE, EKS, terraform modules): PreferNoSchedule keeps no pod off. */
function taintsOf(items: readonly HclValue[]): PoolTaint[] | undefined {
  const out: PoolTaint[] = [];
  for (const t of items) {
    if (!isMap(t)) return undefined;
    const key = asString(t.key ?? UNKNOWN);
    const effect = EFFECTS[asString(t.effect ?? UNKNOWN) ?? ''];
    const value = t.value === undefined || t.value === null ? undefined : asString(t.value);
    if (key === undefined || effect === undefined || (t.value !== undefined && t.value !== null && value === undefined)) return undefined;
    if (effect !== 'PreferNoSchedule') out.push({ key, ...(value ? { value } : {}), effect });
  }
  return out;
}

/** The taint blocks of a body (or its attribute of that name, a list), read in the scope; undefined where not known. */
function blockTaints(body: HclBody, type: string, scope: HclScope): PoolTaint[] | undefined {
  if (dynamicOf(body, type)) return undefined;
  const attr = body.attributes.get(type);
  if (attr) {
    const v = evaluate(attr.expr, scope);
    return Array.isArray(v) ? taintsOf(v as HclValue[]) : undefined;
  }
  return taintsOf(body.blocks.filter((b) => b.type === type).map((b) => blockValue(b.body, scope)));
}

/** A block's attributes as a map of their values (nested blocks left out). */
function blockValue(body: HclBody, scope: HclScope): Record<string, HclValue> {
  return Object.fromEntries([...body.attributes].map(([k, a]) => [k, evaluate(a.expr, scope)]));
}

const numberOf = (v: HclValue): number | undefined => (typeof v === 'number' ? v : undefined);
const sub = (body: HclBody, type: string): HclBody | undefined => body.blocks.find((b) => b.type === type)?.body;

/** GKE machine families whose machine types come with GPUs attached (A2, A3, A4, G2, G4: compute docs, "GPU machine types"). */
const GKE_GPU_FAMILIES = /^(a2|a3|a4|g2|g4)-/;

/** A GKE node_config's GPUs: guest_accelerator (a block or a list), else the machine type (e2-medium where none is written). */
function gkeGpus(
  config: HclBody | undefined,
  scope: HclScope,
): { gpus?: boolean; why?: string; machine?: string; accelerator?: TerraformNodePool['accelerator'] } {
  const written = config?.attributes.has('machine_type');
  const machine = written ? stringAttribute(config!, 'machine_type', scope) : 'e2-medium';
  if (config && dynamicOf(config, 'guest_accelerator')) return { machine };
  const attr = config?.attributes.get('guest_accelerator');
  const listed = attr ? evaluate(attr.expr, scope) : (config?.blocks.filter((b) => b.type === 'guest_accelerator') ?? []).map((b) => blockValue(b.body, scope));
  if (!Array.isArray(listed)) return { machine };
  const accelerators = (listed as HclValue[]).filter((a) => !(isMap(a) && a.count === 0));
  if (accelerators.length) {
    const a = accelerators[0];
    const name = isMap(a) ? asString(a.type ?? UNKNOWN) : undefined;
    const count = isMap(a) ? numberOf(a.count ?? UNKNOWN) : undefined;
    const why = `guest_accelerator ${name ?? '(a GPU)'}${count ? ` × ${count}` : ''}`;
    // one entry, its fields given literally, tells what a node holds; several, or a field not evaluated, do not
    const partition = isMap(a) ? a.gpu_partition_size : undefined;
    const literal =
      accelerators.length === 1 &&
      name !== undefined &&
      count !== undefined &&
      (partition === undefined || partition === null || typeof partition === 'string');
    const accelerator = literal ? { type: name, count, ...(typeof partition === 'string' ? { partition } : {}) } : undefined;
    return { gpus: true, why, machine, ...(accelerator ? { accelerator } : {}) };
  }
  if (machine === undefined) return {};
  if (GKE_GPU_FAMILIES.test(machine)) return { gpus: true, why: `machine type ${machine}`, machine };
  return { gpus: false, why: `machine type ${machine} and no guest_accelerator`, machine };
}

/** The GKE cluster a node pool's `cluster` names: a google_container_cluster of the same instance, else the name written. */
function gkeClusterKey(body: HclBody, inst: ModuleInstance): string | undefined {
  const expr = body.attributes.get('cluster')?.expr;
  if (expr?.t === 'ref' && expr.path[0] === 'google_container_cluster' && typeof expr.path[1] === 'string')
    return `${inst.key} google_container_cluster.${expr.path[1]}`;
  const name = asString(evaluate(expr, inst.scope));
  return name === undefined ? undefined : `name:${name.split('/').pop()}`;
}

/**
 * One GKE node pool from its body (a google_container_node_pool, or a cluster's node_pool block), named by its `name`
 * attribute (`naming` true), or as given (a string), or not known (undefined).
 */
function gkePool(d: Declared, body: HclBody, cluster: string | undefined, naming: boolean | string | undefined): TerraformNodePool {
  const { inst } = d;
  const name = typeof naming === 'string' ? naming : naming && !body.attributes.has('name_prefix') ? stringAttribute(body, 'name', inst.scope) : undefined;
  const config = sub(body, 'node_config');
  const gpu = gkeGpus(config, inst.scope);
  const own = config ? (config.attributes.has('labels') ? stringMapOf(evaluate(config.attributes.get('labels')?.expr, inst.scope)) : {}) : {};
  const taints = config ? blockTaints(config, 'taint', inst.scope) : [];
  const scaling = sub(body, 'autoscaling');
  const labels =
    own && name !== undefined ? { ...own, [POOL_NAME_LABELS.gke]: name, ...(gpu.machine ? { [INSTANCE_TYPE_LABEL]: gpu.machine } : {}) } : undefined;
  return {
    cloud: 'gke',
    ...(name !== undefined ? { name } : {}),
    ...(cluster ? { cluster } : {}),
    ...(labels ? { labels } : {}),
    ...(taints ? { taints } : {}),
    ...(gpu.gpus !== undefined ? { gpus: gpu.gpus, gpuWhy: gpu.why } : {}),
    ...(gpu.accelerator ? { accelerator: gpu.accelerator } : {}),
    ...(gpu.machine ? { machineTypes: [gpu.machine] } : {}),
    ...minMax(scaling, inst.scope, 'min_node_count', 'max_node_count'),
    file: d.file,
    line: d.block.line,
  };
}

function minMax(body: HclBody | undefined, scope: HclScope, min: string, max: string): { min?: number; max?: number } {
  if (!body) return {};
  const lo = numberOf(evaluate(body.attributes.get(min)?.expr, scope));
  const hi = numberOf(evaluate(body.attributes.get(max)?.expr, scope));
  return { ...(lo !== undefined ? { min: lo } : {}), ...(hi !== undefined ? { max: hi } : {}) };
}

/**
 * A google_container_cluster: its key, name, whether it auto-creates pools (enable_autopilot, or
 * cluster_autoscaling.enabled: node auto-provisioning), and its own pools: the node_pool blocks, else the
 * default-pool GKE makes unless remove_default_node_pool is true (terraform-provider-google
 * resource_container_cluster.go; GKE names the default pool `default-pool`).
 */
function gkeCluster(d: Declared): { cluster: TerraformCluster; pools: TerraformNodePool[] } {
  const { block, inst } = d;
  const key = `${inst.key} google_container_cluster.${block.labels[1] ?? ''}`;
  const name = repeated(block) ? undefined : stringAttribute(block.body, 'name', inst.scope);
  const autopilot = evaluate(block.body.attributes.get('enable_autopilot')?.expr, inst.scope);
  const scaling = sub(block.body, 'cluster_autoscaling');
  const nap = scaling ? evaluate(scaling.attributes.get('enabled')?.expr, inst.scope) : false;
  const on = (v: HclValue, absent: boolean) => (v === true ? true : v === false || absent ? false : undefined);
  const a = on(autopilot, !block.body.attributes.has('enable_autopilot'));
  const n = dynamicOf(block.body, 'cluster_autoscaling') ? undefined : on(nap, !scaling?.attributes.has('enabled'));
  const autoCreation = a === true || n === true ? true : a === false && n === false ? false : undefined;
  const cluster: TerraformCluster = {
    cloud: 'gke',
    key,
    ...(name ? { name } : {}),
    ...(autoCreation !== undefined ? { autoCreation } : {}),
    file: d.file,
    line: block.line,
  };
  const inline = block.body.blocks.filter((b) => b.type === 'node_pool');
  if (inline.length || dynamicOf(block.body, 'node_pool')) return { cluster, pools: inline.map((p) => gkePool({ ...d, block: p }, p.body, key, true)) };
  const removed = evaluate(block.body.attributes.get('remove_default_node_pool')?.expr, inst.scope);
  if (removed === true || autopilot === true) return { cluster, pools: [] };
  const known = removed === false || !block.body.attributes.has('remove_default_node_pool');
  const config: HclBody = { attributes: new Map(), blocks: block.body.blocks.filter((b) => b.type === 'node_config') };
  return { cluster, pools: [gkePool(d, config, key, known ? 'default-pool' : undefined)] };
}

/** EC2 instance families with NVIDIA GPUs (p, g; not the Neuron trn/inf or Gaudi dl): EC2 accelerated computing. */
const EC2_GPU = /^(p\d|g\d)/;
const EC2_OTHER_ACCELERATOR = /^(trn|inf|dl)\d/;

/** GPUs from instance types: any GPU type is a GPU pool; all known and none an accelerator is none. */
function ec2Gpus(types: readonly string[] | undefined): { gpus?: boolean; why?: string } {
  if (!types) return {};
  if (types.some((t) => EC2_GPU.test(t))) return { gpus: true, why: `instance types ${types.join(', ')}` };
  if (types.some((t) => EC2_OTHER_ACCELERATOR.test(t))) return {};
  return { gpus: false, why: `instance types ${types.join(', ')}` };
}

/**
 * The EKS cluster a node group's cluster_name names: the name written (`name:prod`), an EKS module's cluster_name output
 * (`module.eks.cluster_name`), or an aws_eks_cluster of the same
 * instance it refers to (`aws_eks_cluster.main.name`), resolved to that cluster's key once all are read (resolved()).
 */
function eksClusterKey(body: HclBody, inst: ModuleInstance): string | undefined {
  const expr = body.attributes.get('cluster_name')?.expr;
  if (expr?.t === 'ref' && expr.path[0] === 'aws_eks_cluster' && typeof expr.path[1] === 'string')
    return `resource:${inst.key} aws_eks_cluster.${expr.path[1]}`;
  // the cluster_name (cluster_id before v18) output of a terraform-aws-modules/eks call (its outputs.tf)
  if (expr?.t === 'ref' && expr.path[0] === 'module' && typeof expr.path[1] === 'string' && /^cluster_(name|id)$/.test(String(expr.path[2])))
    return `resource:${inst.key} module.${expr.path[1]}`;
  const name = asString(evaluate(expr, inst.scope));
  return name === undefined ? undefined : `name:${name}`;
}

/** An aws_eks_node_group (terraform-provider-aws: node_group_name, or a prefix; instance_types default t3.medium). */
function eksNodeGroup(d: Declared): TerraformNodePool {
  const { block, inst } = d;
  const b = block.body;
  const name = nameless(d) || b.attributes.has('node_group_name_prefix') ? undefined : stringAttribute(b, 'node_group_name', inst.scope);
  const cluster = eksClusterKey(b, inst);
  const typesAttr = b.attributes.get('instance_types');
  const types = typesAttr ? stringList(evaluate(typesAttr.expr, inst.scope)) : sub(b, 'launch_template') ? undefined : ['t3.medium'];
  const own = b.attributes.has('labels') ? stringMapOf(evaluate(b.attributes.get('labels')?.expr, inst.scope)) : {};
  const taints = blockTaints(b, 'taint', inst.scope);
  const gpu = ec2Gpus(types);
  const labels =
    own && name !== undefined ? { ...own, [POOL_NAME_LABELS.eks]: name, ...(types?.length === 1 ? { [INSTANCE_TYPE_LABEL]: types[0] } : {}) } : undefined;
  return {
    cloud: 'eks',
    ...(name !== undefined ? { name } : {}),
    ...(cluster !== undefined ? { cluster } : {}),
    ...(labels ? { labels } : {}),
    ...(taints ? { taints } : {}),
    ...(gpu.gpus !== undefined ? { gpus: gpu.gpus, gpuWhy: gpu.why } : {}),
    ...(types ? { machineTypes: types } : {}),
    ...minMax(sub(b, 'scaling_config'), inst.scope, 'min_size', 'max_size'),
    file: d.file,
    line: block.line,
  };
}

/** AKS taints as written (`key=value:NoSchedule`). */
function aksTaints(v: HclValue): PoolTaint[] | undefined {
  if (v === null) return [];
  const list = stringList(v);
  if (!list) return undefined;
  const parsed = list.map((t) => /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(t));
  if (parsed.some((m) => !m || !EFFECTS[m[3]])) return undefined;
  return parsed.map((m) => ({ key: m![1], ...(m![2] ? { value: m![2] } : {}), effect: EFFECTS[m![3]] })).filter((t) => t.effect !== 'PreferNoSchedule');
}

/** An AKS pool: an azurerm_kubernetes_cluster_node_pool, or a cluster's default_node_pool (N-series VM sizes have GPUs). */
function aksPool(d: Declared, body: HclBody, cluster: string | undefined): TerraformNodePool {
  const { inst } = d;
  const name = nameless(d) && body === d.block.body ? undefined : stringAttribute(body, 'name', inst.scope);
  const size = stringAttribute(body, 'vm_size', inst.scope);
  const own = body.attributes.has('node_labels') ? stringMapOf(evaluate(body.attributes.get('node_labels')?.expr, inst.scope)) : {};
  const taints = body.attributes.has('node_taints') ? aksTaints(evaluate(body.attributes.get('node_taints')?.expr, inst.scope)) : [];
  const labels =
    own && name !== undefined ? { ...own, [POOL_NAME_LABELS.aks]: name, agentpool: name, ...(size ? { [INSTANCE_TYPE_LABEL]: size } : {}) } : undefined;
  return {
    cloud: 'aks',
    ...(name !== undefined ? { name } : {}),
    ...(cluster ? { cluster } : {}),
    ...(labels ? { labels } : {}),
    ...(taints ? { taints } : {}),
    ...(size !== undefined ? { gpus: /^Standard_N/i.test(size), gpuWhy: `vm_size ${size}`, machineTypes: [size] } : {}),
    ...minMax(body, inst.scope, 'min_count', 'max_count'),
    file: d.file,
    line: d.block.line,
  };
}

/** An azurerm_kubernetes_cluster: node auto-provisioning (node_provisioning_profile mode Auto) and its default_node_pool. */
function aksCluster(d: Declared): { cluster: TerraformCluster; pools: TerraformNodePool[] } {
  const { block, inst } = d;
  const key = `${inst.key} azurerm_kubernetes_cluster.${block.labels[1] ?? ''}`;
  const profile = sub(block.body, 'node_provisioning_profile');
  const mode = profile ? evaluate(profile.attributes.get('mode')?.expr, inst.scope) : 'Manual';
  const autoCreation = mode === 'Auto' ? true : typeof mode === 'string' ? false : undefined;
  const name = stringAttribute(block.body, 'name', inst.scope);
  const cluster: TerraformCluster = {
    cloud: 'aks',
    key,
    ...(name ? { name } : {}),
    ...(autoCreation !== undefined ? { autoCreation } : {}),
    file: d.file,
    line: block.line,
  };
  const pool = sub(block.body, 'default_node_pool');
  return { cluster, pools: pool ? [aksPool(d, pool, key)] : [] };
}

/** The AKS cluster a pool's kubernetes_cluster_id names: an azurerm_kubernetes_cluster of the same instance. */
function aksClusterKey(body: HclBody, inst: ModuleInstance): string | undefined {
  const expr = body.attributes.get('kubernetes_cluster_id')?.expr;
  return expr?.t === 'ref' && expr.path[0] === 'azurerm_kubernetes_cluster' ? `${inst.key} azurerm_kubernetes_cluster.${String(expr.path[1])}` : undefined;
}

/** Karpenter's NodePool (karpenter.sh v1 and v1beta1). */
const isKarpenterNodePool = (m: Loose): boolean => m.kind === 'NodePool' && /^karpenter\.sh\//.test(String(m.apiVersion ?? ''));

/**
 * Whether what a NodePool launches, and for which pods, is known from the text: its requirements, node labels and
 * taints hold no interpolation Terraform fills (`${var.gpu}`, `%{ if … }`), which a heredoc keeps as written (its
 * nodeClassRef may: the node class does not choose the instance).
 */
function literalTemplate(m: Loose): boolean {
  const template = mapping(mapping(m.spec).template);
  const spec = mapping(template.spec);
  const read = [spec.requirements, spec.taints, spec.startupTaints, mapping(template.metadata).labels];
  return read.every((v) => v === undefined || fullyKnown(v as HclValue)) && !/[$%]\{/.test(JSON.stringify(read));
}

/** Whether an HCL value holds no UNKNOWN at any depth (a YAML value always does). */
function fullyKnown(v: HclValue): boolean {
  if (v === UNKNOWN) return false;
  if (Array.isArray(v)) return (v as HclValue[]).every(fullyKnown);
  return !isMap(v) || Object.values(v).every(fullyKnown);
}

/**
 * The Karpenter NodePools a configuration applies whole: the heredocs of kubectl_manifest's yaml_body and
 * kubernetes_manifest's yamldecode (terraformHeredocManifests) in the files that name the kind, each with a literal
 * template (a kubernetes_manifest written as an HCL object is read with the resources: declared()).
 */
function heredocKarpenterPools(texts: readonly { readonly file: string; readonly text: string }[]): TerraformKarpenterPool[] {
  return texts.flatMap(({ file, text }) =>
    terraformHeredocManifests(file, text).flatMap((h) =>
      parseDocuments(h.yaml)
        .objects.filter((o) => isKarpenterNodePool(o.manifest) && literalTemplate(o.manifest))
        .map((o) => ({ manifest: o.manifest, file, line: h.line + o.line - 1 })),
    ),
  );
}

/** What one resource or module block declares. */
function declared(d: Declared): { clusters: TerraformCluster[]; pools: TerraformNodePool[]; karpenter?: TerraformKarpenterPool } {
  const { block, inst } = d;
  const kind = block.type === 'resource' ? block.labels[0] : block.type === 'module' ? 'module' : '';
  const one = (r: { cluster: TerraformCluster; pools: TerraformNodePool[] }) => ({ clusters: [r.cluster], pools: r.pools });
  switch (kind) {
    case 'google_container_cluster':
      return one(gkeCluster(d));
    case 'google_container_node_pool':
      return { clusters: [], pools: [gkePool(d, block.body, gkeClusterKey(block.body, inst), nameless(d) ? undefined : true)] };
    case 'aws_eks_node_group':
      return { clusters: [], pools: [eksNodeGroup(d)] };
    case 'aws_eks_cluster': {
      const name = repeated(block) ? undefined : stringAttribute(block.body, 'name', inst.scope);
      return {
        clusters: [
          {
            cloud: 'eks',
            key: name ? `name:${name}` : `${inst.key} aws_eks_cluster.${block.labels[1]}`,
            resource: `${inst.key} aws_eks_cluster.${block.labels[1]}`,
            ...(name ? { name } : {}),
            autoCreation: false,
            file: d.file,
            line: block.line,
          },
        ],
        pools: [],
      };
    }
    case 'azurerm_kubernetes_cluster':
      return one(aksCluster(d));
    case 'azurerm_kubernetes_cluster_node_pool':
      return { clusters: [], pools: [aksPool(d, block.body, aksClusterKey(block.body, inst))] };
    case 'module':
      return /terraform-google-modules\/(terraform-google-)?kubernetes-engine/.test(moduleSource(d)) ? gkeModule(d) : eksModule(d);
    case 'kubernetes_manifest': {
      // an HCL object of literal values is the manifest (one with a value not evaluated is UNKNOWN, not read)
      const m = evaluate(block.body.attributes.get('manifest')?.expr, inst.scope);
      const manifest: Loose | undefined = isMap(m) ? m : undefined;
      return manifest && !repeated(block) && isKarpenterNodePool(manifest) && literalTemplate(manifest)
        ? { clusters: [], pools: [], karpenter: { manifest, file: d.file, line: block.line } }
        : { clusters: [], pools: [] };
    }
    default:
      return { clusters: [], pools: [] };
  }
}

const moduleSource = (d: Declared) => asString(evaluate(d.block.body.attributes.get('source')?.expr, d.inst.scope)) ?? '';

/** A map of a module input, merged over its defaults input (absent: none); undefined where either is not known. */
function groupsOf(d: Declared, input: string, defaultsInput: string): Record<string, Record<string, HclValue>> | undefined {
  const attr = d.block.body.attributes.get(input);
  const groups = attr ? evaluate(attr.expr, d.inst.scope) : {};
  const defaultsAttr = d.block.body.attributes.get(defaultsInput);
  const defaults = defaultsAttr ? evaluate(defaultsAttr.expr, d.inst.scope) : {};
  if (!isMap(groups) || !isMap(defaults) || !Object.values(groups).every((g) => isMap(g) || g === null)) return undefined;
  return Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, { ...defaults, ...(isMap(g) ? g : {}) }]));
}

/** Taints as the EKS module takes them: a map of `{key, value, effect}` (v19 on) or a list of them. */
function moduleTaints(v: HclValue | undefined): PoolTaint[] | undefined {
  if (v === undefined || v === null) return [];
  return isMap(v) ? taintsOf(Object.values(v)) : Array.isArray(v) ? taintsOf(v as HclValue[]) : undefined;
}

/**
 * An EKS managed node group of the module (modules/eks-managed-node-group): instance_types (default t3.medium, the
 * service's), labels, taints; named by its key or `name` as a prefix unless use_name_prefix is false.
 */
function moduleManagedGroup(key: string, v: Record<string, HclValue>, cluster: string, d: Declared): TerraformNodePool {
  const name = v.use_name_prefix !== false ? undefined : asString(v.name ?? key);
  const types = v.instance_types === undefined ? ['t3.medium'] : stringList(v.instance_types);
  const own = v.labels === undefined || v.labels === null ? {} : stringMapOf(v.labels);
  const taints = moduleTaints(v.taints);
  const gpu = ec2Gpus(types);
  const labels = own && name !== undefined ? { ...own, [POOL_NAME_LABELS.eks]: name } : undefined;
  return {
    cloud: 'eks',
    ...(name !== undefined ? { name } : {}),
    cluster,
    ...(labels ? { labels } : {}),
    ...(taints ? { taints } : {}),
    ...(gpu.gpus !== undefined ? { gpus: gpu.gpus, gpuWhy: gpu.why } : {}),
    ...(types ? { machineTypes: types } : {}),
    file: d.file,
    line: d.block.line,
  };
}

/**
 * A self-managed node group of the module (modules/self-managed-node-group): an Auto Scaling group of one
 * instance_type (its default differs between releases: not assumed). Its nodes carry no node group label, and their
 * labels and taints come from kubelet flags in the user data, which are not read: a pool of no name, labels nor taints known.
 */
function moduleSelfManagedGroup(v: Record<string, HclValue>, cluster: string, d: Declared): TerraformNodePool {
  const type = v.instance_type === undefined ? undefined : asString(v.instance_type);
  const gpu = ec2Gpus(type ? [type] : undefined);
  return {
    cloud: 'eks',
    cluster,
    ...(gpu.gpus !== undefined ? { gpus: gpu.gpus, gpuWhy: gpu.why } : {}),
    ...(type ? { machineTypes: [type] } : {}),
    file: d.file,
    line: d.block.line,
  };
}

/**
 * The node groups of terraform-aws-modules/eks (a registry or git source naming it; its variables.tf):
 * eks_managed_node_groups over eks_managed_node_group_defaults, and self_managed_node_groups over
 * self_managed_node_group_defaults, each key a group; the cluster named by cluster_name (v20) or name (v21), which a
 * node group outside the module names through its cluster_name output.
 */
function eksModule(d: Declared): { clusters: TerraformCluster[]; pools: TerraformNodePool[] } {
  const { block, inst } = d;
  const source = moduleSource(d);
  if (!/terraform-aws-modules\/(terraform-aws-)?eks/.test(source) || /\/\/modules\//.test(source)) return { clusters: [], pools: [] };
  const clusterName = stringAttribute(block.body, 'cluster_name', inst.scope) ?? stringAttribute(block.body, 'name', inst.scope);
  const resource = `${inst.key} module.${block.labels[0]}`;
  const key = clusterName ? `name:${clusterName}` : resource;
  const cluster: TerraformCluster = {
    cloud: 'eks',
    key,
    resource,
    ...(clusterName ? { name: clusterName } : {}),
    autoCreation: false,
    file: d.file,
    line: block.line,
  };
  const unknownGroups = { cloud: 'eks' as const, cluster: key, file: d.file, line: block.line };
  const managed = groupsOf(d, 'eks_managed_node_groups', 'eks_managed_node_group_defaults');
  const selfManaged = groupsOf(d, 'self_managed_node_groups', 'self_managed_node_group_defaults');
  return {
    clusters: [cluster],
    pools: [
      ...(managed ? Object.entries(managed).map(([k, v]) => moduleManagedGroup(k, v, key, d)) : [unknownGroups]),
      ...(selfManaged ? Object.values(selfManaged).map((v) => moduleSelfManagedGroup(v, key, d)) : [unknownGroups]),
    ],
  };
}

/** A module input's value, `absent` where not written. */
const inputOf = (d: Declared, name: string, absent: HclValue): HclValue => {
  const attr = d.block.body.attributes.get(name);
  return attr ? evaluate(attr.expr, d.inst.scope) : absent;
};

/**
 * One pool of the GKE module's node_pools (its cluster.tf google_container_node_pool "pools", for_each by name):
 * machine_type (default e2-medium), accelerator_type × accelerator_count (default 0) with gpu_partition_size, the
 * labels cluster_name and node_pool it adds with node_pools_labels' `all` and the pool's own, the taints of
 * node_pools_taints' `all` and the pool's own, min_count and max_count (defaults 1 and 100).
 */
function gkeModulePool(v: Record<string, HclValue>, d: Declared, cluster: { key: string; name?: string }): TerraformNodePool {
  const name = asString(v.name ?? UNKNOWN);
  const machine = v.machine_type === undefined ? 'e2-medium' : asString(v.machine_type);
  const count = v.accelerator_count === undefined ? 0 : numberOf(v.accelerator_count);
  const type = v.accelerator_type === undefined ? undefined : asString(v.accelerator_type);
  const partition = v.gpu_partition_size;
  const perPool = (input: string, absent: HclValue): HclValue[] | undefined => {
    const all = inputOf(d, input, absent);
    if (!isMap(all) || name === undefined) return undefined;
    return [all.all ?? (Array.isArray(absent) ? [] : {}), all[name] ?? (Array.isArray(absent) ? [] : {})];
  };
  const labelMaps = perPool('node_pools_labels', {})?.map(stringMapOf);
  const taintLists = perPool('node_pools_taints', []);
  const taints = taintLists?.every(Array.isArray) ? taintsOf((taintLists as HclValue[][]).flat()) : undefined;
  const labels =
    labelMaps?.every((m) => m) && cluster.name !== undefined && name !== undefined
      ? {
          cluster_name: cluster.name,
          node_pool: name,
          ...labelMaps[0],
          ...labelMaps[1],
          [POOL_NAME_LABELS.gke]: name,
          ...(machine ? { [INSTANCE_TYPE_LABEL]: machine } : {}),
        }
      : undefined;
  const accelerated = count !== undefined && count > 0;
  const literal = accelerated && type !== undefined && (partition === undefined || partition === null || typeof partition === 'string');
  const gpus = count === undefined ? undefined : accelerated ? true : machine === undefined ? undefined : GKE_GPU_FAMILIES.test(machine);
  return {
    cloud: 'gke',
    ...(name !== undefined ? { name } : {}),
    cluster: cluster.key,
    ...(labels ? { labels } : {}),
    ...(taints ? { taints } : {}),
    ...(gpus !== undefined ? { gpus, gpuWhy: accelerated ? `accelerator_type ${type ?? '(a GPU)'} × ${count}` : `machine type ${machine}` } : {}),
    ...(literal ? { accelerator: { type: type, count: count, ...(typeof partition === 'string' ? { partition } : {}) } } : {}),
    ...(machine ? { machineTypes: [machine] } : {}),
    ...(numberOf(v.min_count ?? 1) !== undefined ? { min: numberOf(v.min_count ?? 1) } : {}),
    ...(numberOf(v.max_count ?? 100) !== undefined ? { max: numberOf(v.max_count ?? 100) } : {}),
    file: d.file,
    line: d.block.line,
  };
}

/**
 * A cluster of terraform-google-modules/kubernetes-engine (the root module and its private-cluster and beta variants;
 * their variables.tf and cluster.tf): named by `name`; node auto-provisioning by cluster_autoscaling.enabled (false
 * by default), on in the Autopilot variants; its node_pools, and the default-pool GKE makes unless
 * remove_default_node_pool (false by default), of node_pools[0]'s machine type and no accelerator.
 */
function gkeModule(d: Declared): { clusters: TerraformCluster[]; pools: TerraformNodePool[] } {
  const source = moduleSource(d);
  const variant = /\/\/modules\/([\w-]+)/.exec(source)?.[1];
  const autopilot = variant !== undefined && /autopilot/.test(variant);
  if (variant !== undefined && !autopilot && !/^(beta-)?(private|public)-cluster(-update-variant)?$/.test(variant)) return { clusters: [], pools: [] };
  const name = asString(inputOf(d, 'name', UNKNOWN));
  const resource = `${d.inst.key} module.${d.block.labels[0]}`;
  const key = name ? `name:${name}` : resource;
  const scaling = inputOf(d, 'cluster_autoscaling', {});
  const nap = autopilot ? true : isMap(scaling) ? (scaling.enabled === undefined ? false : scaling.enabled) : UNKNOWN;
  const cluster: TerraformCluster = {
    cloud: 'gke',
    key,
    resource,
    ...(name ? { name } : {}),
    ...(typeof nap === 'boolean' ? { autoCreation: nap } : {}),
    file: d.file,
    line: d.block.line,
  };
  if (autopilot) return { clusters: [cluster], pools: [] };
  const listed = inputOf(d, 'node_pools', [{ name: 'default-node-pool' }]);
  const unknownPool: TerraformNodePool = { cloud: 'gke', cluster: key, file: d.file, line: d.block.line };
  if (!Array.isArray(listed)) return { clusters: [cluster], pools: [unknownPool] };
  const pools = (listed as HclValue[]).map((v) => (isMap(v) ? gkeModulePool(v, d, { key, ...(name ? { name } : {}) }) : unknownPool));
  const removed = inputOf(d, 'remove_default_node_pool', false);
  if (removed !== true) {
    const first = isMap(listed[0] ?? UNKNOWN) ? (listed[0] as Record<string, HclValue>) : {};
    const machine = first.machine_type === undefined ? 'e2-medium' : asString(first.machine_type);
    const known = removed === false && machine !== undefined;
    const gpus = machine !== undefined && GKE_GPU_FAMILIES.test(machine);
    const labels = { [POOL_NAME_LABELS.gke]: 'default-pool', [INSTANCE_TYPE_LABEL]: machine ?? '' };
    const pool: TerraformNodePool = {
      cloud: 'gke',
      name: 'default-pool',
      cluster: key,
      labels,
      taints: [],
      gpus,
      gpuWhy: `machine type ${machine}`,
      machineTypes: [machine ?? ''],
      file: d.file,
      line: d.block.line,
    };
    pools.push(known ? pool : unknownPool);
  }
  return { clusters: [cluster], pools };
}

/**
 * The node pools and clusters the Terraform configurations under the folders declare (google_container_node_pool and
 * google_container_cluster, aws_eks_node_group and aws_eks_cluster, azurerm_kubernetes_cluster_node_pool and
 * azurerm_kubernetes_cluster, terraform-aws-modules/eks), read in every instance of their module.
 */
export function terraformNodePools(roots: readonly { readonly root: string; readonly name: (abs: string) => string }[]): TerraformNodePools {
  const { modules, files, otherVars, manifestTexts, karpenterFiles } = terraformModules(roots);
  const pools: TerraformNodePool[] = [];
  const absent: (TerraformNodePool & { absent: string })[] = [];
  const clusters: TerraformCluster[] = [];
  const karpenter = heredocKarpenterPools(manifestTexts);
  for (const inst of moduleInstances(modules, otherVars))
    for (const { block, file } of inst.module.blocks)
      for (const copy of copiesOf(block, inst)) {
        const found = declared({ block, file, inst: copy.inst, copy: copy.named });
        const gone = copy.absent ?? copy.inst.absent;
        if (gone) {
          absent.push(...found.pools.map((p) => ({ ...p, absent: gone })));
          continue;
        }
        pools.push(...found.pools.map((p) => (copy.inst.mayExist ? { ...p, mayExist: copy.inst.mayExist } : p)));
        clusters.push(...found.clusters);
        if (found.karpenter) karpenter.push(found.karpenter);
      }
  return {
    pools: pools.map((p) => resolved(p, clusters)),
    absentPools: absent,
    clusters,
    files: [...new Set(files)],
    manifestTexts,
    karpenterNodePools: karpenter,
    karpenterFiles,
  };
}

/**
 * A pool naming its cluster by name (`cluster = "prod"`) belongs to the one cluster resource of that name, where there
 * is one; one referring to a cluster resource, to that resource's cluster.
 */
function resolved(p: TerraformNodePool, all: readonly TerraformCluster[]): TerraformNodePool {
  if (p.cluster?.startsWith('resource:')) {
    const declaring = all.find((c) => c.cloud === p.cloud && `resource:${c.resource}` === p.cluster);
    return declaring ? { ...p, cluster: declaring.key } : p;
  }
  if (!p.cluster?.startsWith('name:')) return p;
  const named = all.filter((c) => c.cloud === p.cloud && `name:${c.name}` === p.cluster);
  return named.length === 1 ? { ...p, cluster: named[0].key } : p;
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The node pools the Terraform of the checked folders and of the git work trees they are subfolders of declares
 * (the bounded walk terraformFiles makes; a file is named as the checked folder is: `deploy/../infra/gke.tf`).
 */
export function checkedTerraformPools(folders: readonly string[], checkouts: readonly GitCheckout[]): TerraformNodePools {
  const named = (folder: string) => {
    const real = realpath(folder);
    return (abs: string) => path.join(folder, path.relative(real, abs)).split(path.sep).join('/');
  };
  const trees = checkouts
    .filter((c) => c.within !== '.')
    .flatMap((c) => {
      const tree = c.workTree ?? workTreeOf(c);
      return tree ? [{ root: tree.root, name: named(c.folder) }] : [];
    });
  return terraformNodePools([...folders.map((f) => ({ root: realpath(f), name: named(f) })), ...trees]);
}
