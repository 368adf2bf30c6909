import * as fs from 'fs';
import * as path from 'path';
import type { CelInput } from '@bufbuild/cel';
import { isMapping, Loose, mapping } from '../manifests/access';

/** A CEL rule of a CRD schema (`x-kubernetes-validations`) that an object breaks. */
export interface CelViolation {
  readonly field: string;
  readonly message: string;
  /** The rule's expression. */
  readonly rule: string;
}

/**
 * Evaluates the CEL rules (`x-kubernetes-validations`) of a CRD's OpenAPI schema on an object, as the API server
 * does on create, with `self` bound to the value at each rule's place. Rules about transitions (`oldSelf`) need the
 * stored object and are skipped; a rule that uses a Kubernetes CEL library function the evaluator lacks
 * (quantities, URLs, IPs) cannot be judged and is skipped too.
 */
export function celViolations(schema: unknown, value: unknown, field = ''): CelViolation[] {
  const s = mapping(schema);
  const out: CelViolation[] = [];
  if (value === undefined) return out;
  for (const rule of Array.isArray(s['x-kubernetes-validations']) ? (s['x-kubernetes-validations'] as Loose[]) : []) {
    const expr = typeof rule.rule === 'string' ? rule.rule : '';
    if (!expr || expr.includes('oldSelf')) continue;
    const program = programOf(expr);
    if (!program) continue;
    let result: unknown;
    try {
      result = program({ self: toCel(value) as CelInput });
    } catch {
      continue;
    }
    if (result === false) {
      const message = typeof rule.message === 'string' ? rule.message : `fails the rule ${expr}`;
      out.push({ field: `${field}${typeof rule.fieldPath === 'string' ? rule.fieldPath : ''}`.replace(/^\./, ''), message, rule: expr });
    }
  }
  const props = mapping(s.properties);
  if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) {
      const child = props[k] ?? (isMapping(s.additionalProperties) ? s.additionalProperties : undefined);
      if (child) out.push(...celViolations(child, v, field ? `${field}.${k}` : k));
    }
  } else if (Array.isArray(value) && isMapping(s.items)) {
    value.forEach((v, i) => out.push(...celViolations(s.items, v, `${field}[${i}]`)));
  }
  return out;
}

/** A rule planned for evaluation: its result on the bindings (a CelError when it cannot be judged). */
type Program = (bindings: { self: CelInput }) => unknown;

/**
 * Each rule's program, parsed and planned on its first evaluation (null when it does not parse or plan): `run` would
 * parse and plan the expression again, in a new environment, on every object. The evaluator itself is loaded on the
 * first rule evaluated: most kinds have none.
 */
const programs = new Map<string, Program | null>();
let environment: import('@bufbuild/cel').CelEnv | undefined;

function programOf(expr: string): Program | null {
  let program = programs.get(expr);
  if (program === undefined) {
    const cel = evaluator();
    environment ??= cel.celEnv();
    try {
      program = cel.plan(environment, cel.parse(expr));
    } catch {
      program = null;
    }
    programs.set(expr, program);
  }
  return program;
}

/**
 * The evaluator: the build's bundle of @bufbuild/cel with the packages it imports (scripts/bundle-library.js
 * bundleCel), one module to load instead of some 130; the package itself when run from the sources.
 */
function evaluator(): typeof import('@bufbuild/cel') {
  const bundled = path.join(__dirname, 'cel.bundle.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  return require(fs.existsSync(bundled) ? bundled : '@bufbuild/cel') as typeof import('@bufbuild/cel');
}

/** JSON as the CEL evaluator reads it: mappings as maps, whole numbers as ints. */
function toCel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toCel);
  if (isMapping(v)) return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return v;
}

/** A node of a parsed CEL expression (cel.expr.Expr), as far as paths are read from it. */
interface CelNode {
  readonly exprKind?: { readonly case?: string; readonly value?: unknown };
}

/** The field chain a select (or a string index) expression reads from an identifier: `auth.identity.tier`, `auth.identity["tier"]`. */
function chainOf(node: CelNode): string[] | undefined {
  const kind = node.exprKind;
  if (kind?.case === 'identExpr') return [String(mapping(kind.value).name)];
  if (kind?.case === 'selectExpr') {
    const v = mapping(kind.value);
    const head = chainOf(mapping(v.operand));
    return head && [...head, String(v.field)];
  }
  if (kind?.case === 'callExpr' && mapping(kind.value).function === '_[_]') {
    const [operand, index] = (mapping(kind.value).args ?? []) as CelNode[];
    const key = index?.exprKind?.case === 'constExpr' ? mapping(mapping(index.exprKind.value).constantKind) : {};
    const head = operand && chainOf(operand);
    return head && key.case === 'stringValue' ? [...head, String(key.value)] : undefined;
  }
  return undefined;
}

/** Every node under a parsed expression, depth first. */
function childrenOf(node: CelNode): CelNode[] {
  const v = mapping(node.exprKind?.value);
  const kids: unknown[] = [v.operand, v.target, ...(Array.isArray(v.args) ? v.args : []), v.iterRange, v.accuInit, v.loopCondition, v.loopStep, v.result];
  for (const e of Array.isArray(v.elements) ? v.elements : []) kids.push(e);
  for (const e of Array.isArray(v.entries) ? (v.entries as Loose[]) : []) kids.push(e.mapKey, e.value);
  return kids.filter((k): k is CelNode => isMapping(k) && 'exprKind' in k);
}

/**
 * The longest field chains a CEL expression reads from its variables (`auth.identity.tier` as ['auth', 'identity',
 * 'tier']), has() tests included; undefined when the expression does not parse.
 */
export function celReadPaths(expr: string): string[][] | undefined {
  let root: CelNode;
  try {
    root = mapping(evaluator().parse(expr)).expr as CelNode;
  } catch {
    return undefined;
  }
  const out: string[][] = [];
  const walk = (node: CelNode) => {
    const chain = chainOf(node);
    if (chain && chain.length > 1) return void out.push(chain);
    childrenOf(node).forEach(walk);
  };
  walk(root);
  return out;
}
