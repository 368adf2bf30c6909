import * as path from 'path';
import { HclBlock, HclBody, HclExpr, parseHcl } from './hcl';
import { asString, evaluate, HclScope, HclValue, isMap, UNKNOWN } from './hcl-values';
import { terraformConfigurationFiles } from './terraform-files';
import { isWithin } from './repository-scripts';

/** A folder of .tf files: one Terraform module (terraform internal/configs: a module is the .tf files of one directory). */
export interface TerraformModule {
  /** The folder, absolute. */
  readonly dir: string;
  /** Its blocks, each with the file (as the reader names it) it is written in. */
  readonly blocks: readonly { readonly block: HclBlock; readonly file: string }[];
  /** Its variable files: auto-loaded ones (terraform.tfvars, *.auto.tfvars) apart from those passed with -var-file. */
  readonly autoVars: readonly HclBody[];
}

/** A variable file passed with -var-file (not auto-loaded), with its folder. */
export interface VariableFile {
  readonly dir: string;
  readonly body: HclBody;
}

/** One instance of a module: the scope its expressions are read in, and a key that tells instances apart. */
export interface ModuleInstance {
  readonly module: TerraformModule;
  readonly scope: HclScope;
  readonly key: string;
  /** Why the instance may not exist: its module call's count or for_each (or a caller's) is not known from the files. */
  readonly mayExist?: string;
  /** Why it does not exist as the files set their variables: its call's count is 0 (or a caller's); -var may make it. */
  readonly absent?: string;
}

/** Module instances past these are not followed: a repository's configurations call some tens of modules. */
const MAX_INSTANCES = 200;
const MAX_NESTING = 6;

/**
 * The Terraform modules of the folders (each a work tree or checked folder; a file read from two is read once),
 * with the .tf and .tfvars files read, relative names as `name` gives them.
 */
export function terraformModules(roots: readonly { readonly root: string; readonly name: (abs: string) => string }[]): {
  modules: TerraformModule[];
  files: string[];
  otherVars: VariableFile[];
  manifestTexts: { file: string; text: string }[];
  /** The .tf files that name Karpenter (a module, chart or manifest of it): nodes may come from NodePools applied elsewhere. */
  karpenterFiles: string[];
} {
  const seen = new Set<string>();
  const byDir = new Map<string, { blocks: { block: HclBlock; file: string }[]; autoVars: HclBody[] }>();
  const otherVars: VariableFile[] = [];
  const files: string[] = [];
  const manifestTexts: { file: string; text: string }[] = [];
  const karpenterFiles: string[] = [];
  for (const { root, name } of roots)
    for (const f of terraformConfigurationFiles(root)) {
      const abs = path.resolve(root, f.script);
      if (seen.has(abs)) continue;
      seen.add(abs);
      const dir = path.dirname(abs);
      const entry = byDir.get(dir) ?? { blocks: [], autoVars: [] };
      byDir.set(dir, entry);
      const body = parseHcl(f.text);
      const base = path.basename(abs);
      if (base.endsWith('.tf')) {
        entry.blocks.push(...body.blocks.map((block) => ({ block, file: name(abs) })));
        files.push(name(abs));
        if (/\bComputeClass\b|\bNodePool\b/.test(f.text)) manifestTexts.push({ file: name(abs), text: f.text });
        if (/karpenter/i.test(f.text)) karpenterFiles.push(name(abs));
      } else if (base === 'terraform.tfvars' || base.endsWith('.auto.tfvars')) entry.autoVars.push(body);
      else otherVars.push({ dir, body });
    }
  const modules = [...byDir].filter(([, e]) => e.blocks.length).map(([dir, e]) => ({ dir, ...e }));
  return { modules, files, otherVars, manifestTexts, karpenterFiles };
}

/** A local module source (`./modules/pool`, `../pool`): the folder it names; registry and git sources are none. */
function localSource(call: HclBlock, from: string): string | undefined {
  const source = call.body.attributes.get('source')?.expr;
  const s = source?.t === 'tpl' && source.parts.length === 1 && typeof source.parts[0] === 'string' ? source.parts[0] : undefined;
  return s && /^\.\.?\//.test(s) ? path.resolve(from, s) : undefined;
}

/** The locals of a module, by name (every locals block of its files). */
function localsOf(m: TerraformModule): Map<string, HclExpr> {
  const out = new Map<string, HclExpr>();
  for (const { block } of m.blocks) if (block.type === 'locals') for (const [k, a] of block.body.attributes) out.set(k, a.expr);
  return out;
}

/**
 * The value of a root module's variable: an auto-loaded variable file's (terraform.tfvars before *.auto.tfvars, the
 * last one setting it wins: terraform command/meta_vars.go), else its default where every other variable file that
 * sets it agrees with it (a -var-file may be passed), else the one value those files agree on where it has no default.
 */
function rootVariable(name: string, declared: HclBlock, m: TerraformModule, otherVars: readonly VariableFile[]): HclValue {
  const empty: HclScope = { variables: new Map(), locals: new Map() };
  const auto = m.autoVars.filter((b) => b.attributes.has(name));
  if (auto.length) return evaluate(auto[auto.length - 1].attributes.get(name)?.expr, empty);
  // a -var-file lies beside the configuration: in its folder, below it, or below the folder above (envs/prod.tfvars)
  const near = (dir: string) => isWithin(dir, path.dirname(m.dir));
  const given: HclValue[] = otherVars.filter((f) => near(f.dir) && f.body.attributes.has(name)).map((f) => evaluate(f.body.attributes.get(name)?.expr, empty));
  const fallback = declared.body.attributes.get('default');
  const values: HclValue[] = fallback ? [evaluate(fallback.expr, empty), ...given] : given;
  if (!values.length) return UNKNOWN;
  const first = JSON.stringify(values[0]);
  return values.every((v) => v !== UNKNOWN && JSON.stringify(v) === first) ? values[0] : UNKNOWN;
}

/**
 * The instances of every module: one per call of it by a `module` block of another (its arguments read in the
 * caller's instance, one per count.index or for_each key where known: copiesOf; one marked absent where count is 0), and one as a root
 * module for a folder no module calls (its variables from the variable files and defaults).
 */
export function moduleInstances(modules: readonly TerraformModule[], otherVars: readonly VariableFile[]): ModuleInstance[] {
  const byDir = new Map(modules.map((m) => [m.dir, m]));
  const called = new Set<string>();
  for (const m of modules) for (const { block } of m.blocks) if (block.type === 'module') called.add(localSource(block, m.dir) ?? '');
  const out: ModuleInstance[] = [];
  const visit = (inst: ModuleInstance, depth: number) => {
    out.push(inst);
    if (depth >= MAX_NESTING) return;
    for (const { block } of inst.module.blocks) {
      const target = block.type === 'module' ? byDir.get(localSource(block, inst.module.dir) ?? '') : undefined;
      if (!target) continue;
      for (const { inst: caller, which: one, absent } of copiesOf(block, inst)) {
        if (out.length >= MAX_INSTANCES) break;
        const variables = new Map<string, HclValue>();
        for (const { block: v } of target.blocks.filter((b) => b.block.type === 'variable')) {
          const name = v.labels[0] ?? '';
          const arg = block.body.attributes.get(name);
          const fallback = v.body.attributes.get('default');
          variables.set(
            name,
            arg ? evaluate(arg.expr, caller.scope) : fallback ? evaluate(fallback.expr, { variables: new Map(), locals: new Map() }) : UNKNOWN,
          );
        }
        const which = one !== undefined ? `[${JSON.stringify(one)}]` : '';
        const key = `${inst.key} module.${block.labels[0] ?? ''}${which}`;
        const gone = absent ?? inst.absent;
        visit(
          {
            module: target,
            scope: { variables, locals: localsOf(target) },
            key,
            ...(caller.mayExist ? { mayExist: caller.mayExist } : {}),
            ...(gone ? { absent: gone } : {}),
          },
          depth + 1,
        );
      }
    }
  };
  for (const m of modules.filter((x) => !called.has(x.dir))) {
    const variables = new Map<string, HclValue>();
    for (const { block } of m.blocks.filter((b) => b.block.type === 'variable')) {
      const name = block.labels[0] ?? '';
      variables.set(name, rootVariable(name, block, m, otherVars));
    }
    if (out.length < MAX_INSTANCES) visit({ module: m, scope: { variables, locals: localsOf(m) }, key: m.dir }, 0);
  }
  return out;
}

/** A string attribute's value, undefined where it is not written or not known. */
export function stringAttribute(body: HclBody, name: string, scope: HclScope): string | undefined {
  return asString(evaluate(body.attributes.get(name)?.expr, scope));
}

/** The resources and modules whose count or for_each is read: those making node pools (a cluster's own pools follow it). */
const COPIED = new Set(['google_container_node_pool', 'aws_eks_node_group', 'azurerm_kubernetes_cluster_node_pool', 'module']);
/** Instances of one repeated block past this are not told apart: configurations repeat a pool a few times, not hundreds. */
const MAX_COPIES = 32;

/**
 * One instance of a block: the module instance its expressions are read in (with its count.index or each where known),
 * and whether its name is read: a name built of count.index or each not known is then unknown itself.
 */
export interface Copy {
  readonly inst: ModuleInstance;
  readonly named: boolean;
  /** Its count.index or each.key, where known (a module instance's key tells instances apart by it). */
  readonly which?: string | number;
  /** Set where the block makes no instance (count 0, for_each empty): why, for a reader that names it as absent. */
  readonly absent?: string;
}

/**
 * The instances Terraform makes of a block (terraform internal/configs: count and for_each): one where neither is
 * written; none where count is 0 or for_each is empty (no such object exists: one marked `absent` stands for it);
 * one per count.index or for_each key
 * where the value is known (a map's keys, or a set of strings); else one whose count.index and each are not known,
 * that may exist. A variable's value is read as terraformModules does: an auto-loaded variable file, else its default.
 */
export function copiesOf(block: HclBlock, inst: ModuleInstance): Copy[] {
  const kind = block.type === 'module' ? 'module' : block.type === 'resource' ? (block.labels[0] ?? '') : '';
  const count = block.body.attributes.get('count');
  const each = block.body.attributes.get('for_each');
  if (!COPIED.has(kind) || (!count && !each)) return [{ inst, named: false }];
  const what = `${kind === 'module' ? 'module' : kind} '${block.labels[kind === 'module' ? 0 : 1] ?? ''}'`;
  const unknown = (attr: string): Copy[] => [
    {
      inst: {
        ...inst,
        mayExist: `the ${attr} of ${what} is not known from the files (a variable no default or variable file beside it sets, which -var may), so it may not exist`,
      },
      named: true,
    },
  ];
  const scoped = (extra: Partial<HclScope>): Copy => ({
    inst: { ...inst, scope: { ...inst.scope, ...extra } },
    named: true,
    which: extra.each?.key ?? extra.index,
  });
  if (count) {
    const v = evaluate(count.expr, inst.scope);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
    if (n === undefined || !Number.isInteger(n) || n < 0) return unknown('count');
    if (n === 0) return [{ inst, named: true, absent: `the count of ${what} is 0 as the files set it` }];
    return Array.from({ length: Math.min(n, MAX_COPIES) }, (_, index) => scoped({ index }));
  }
  const v = evaluate(each!.expr, inst.scope);
  const entries: [string, HclValue][] | undefined = isMap(v)
    ? Object.entries(v)
    : Array.isArray(v) && (v as HclValue[]).every((x) => typeof x === 'string')
      ? (v as string[]).map((x) => [x, x])
      : undefined;
  if (!entries) return unknown('for_each');
  if (!entries.length) return [{ inst, named: true, absent: `the for_each of ${what} is empty as the files set it` }];
  return entries.slice(0, MAX_COPIES).map(([key, value]) => scoped({ each: { key, value } }));
}
