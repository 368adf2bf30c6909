import { Command, ControlNode, Node, Operand, Pipeline } from './template-nodes';
import { formatValue, GoMethod, isGoMap, isNil, NotRendered, TemplateError, truth, typeOf } from './go-values';
import { ValueReads } from './value-reads';

/** A template function: its arguments evaluated (the piped value last), and the executor that calls it. */
export type TemplateFunc = (args: unknown[], cx: Exec) => unknown;

/** Objects whose missing fields are errors, as Go structs' are (Helm's .Release, .Chart, .Capabilities). */
export const STRUCTS = new WeakSet<object>();

/**
 * Bounds of one render, each with its reason: Helm stops an include nested deeper than 1000 (helm pkg/engine/engine.go
 * recursionMaxNums); a step budget and an output size keep hostile input from hanging the check or filling memory.
 */
export interface ExecLimits {
  readonly maxDepth: number;
  readonly maxSteps: number;
  readonly maxOutput: number;
}

export const DEFAULT_LIMITS: ExecLimits = { maxDepth: 1000, maxSteps: 20_000_000, maxOutput: 32 * 1024 * 1024 };

class Jump extends Error {
  constructor(public readonly kind: 'break' | 'continue') {
    super(kind);
  }
}

interface Frame {
  vars: { name: string; value: unknown }[];
  readonly out: string[];
}

/**
 * The executor of Go's text/template (go/src/text/template/exec.go), with Helm's option missingkey=zero (a missing
 * map key is the zero value; printed, it is `<no value>`, which Helm's engine then removes).
 */
export class Exec {
  private steps = 0;
  private size = 0;
  public depth = 0;
  /** The name of the template being run (for errors, and tpl). */
  public name = '';
  /** What the templates read of the values (helm-value-ignored). */
  public readonly reads = new ValueReads();

  constructor(
    public readonly templates: Map<string, Node[]>,
    public readonly funcs: ReadonlyMap<string, TemplateFunc>,
    public readonly limits: ExecLimits = DEFAULT_LIMITS,
  ) {}

  /** Runs a template's nodes with `dot` as `.` and `$`, returning its text. */
  public run(nodes: readonly Node[], dot: unknown, name: string): string {
    const saved = this.name;
    this.name = name;
    if (++this.depth > this.limits.maxDepth)
      throw new TemplateError(
        `template: ${name}: rendering template has a nested reference name: ${name}: the include depth passes Helm's limit of ${this.limits.maxDepth}`,
      );
    try {
      const frame: Frame = { vars: [{ name: '$', value: dot }], out: [] };
      this.walk(frame, nodes, dot);
      return frame.out.join('');
    } finally {
      this.depth--;
      this.name = saved;
    }
  }

  public fail(msg: string): never {
    throw new TemplateError(`template: ${this.name}: ${msg}`);
  }

  private tick(): void {
    if (++this.steps > this.limits.maxSteps)
      throw new NotRendered(`the templates take more than ${this.limits.maxSteps} steps (a bound of this check against templates that never end)`);
  }

  private write(frame: Frame, s: string): void {
    this.size += s.length;
    if (this.size > this.limits.maxOutput) throw new NotRendered(`the output passes ${this.limits.maxOutput} characters (a bound of this check)`);
    frame.out.push(s);
  }

  private walk(frame: Frame, nodes: readonly Node[], dot: unknown): void {
    for (const n of nodes) {
      this.tick();
      this.node(frame, n, dot);
    }
  }

  private node(frame: Frame, n: Node, dot: unknown): void {
    switch (n.t) {
      case 'text':
        return this.write(frame, n.text);
      case 'action': {
        const v = this.pipeline(frame, n.pipe, dot);
        if (n.pipe.decl.length) return;
        this.reads.all(v);
        this.write(frame, isNil(v) ? '<no value>' : formatValue(v));
        return;
      }
      case 'if':
      case 'with':
        return this.scoped(frame, () => {
          const v = this.pipeline(frame, n.pipe, dot);
          if (truth(v)) this.walk(frame, n.list, n.t === 'with' ? v : dot);
          else if (n.elseList) this.walk(frame, n.elseList, dot);
        });
      case 'range':
        return this.scoped(frame, () => this.range(frame, n, dot));
      case 'template':
        return this.template(frame, n, dot);
      case 'break':
      case 'continue':
        throw new Jump(n.t);
    }
  }

  /** Runs `body` and drops the variables it declared (a block's variables end with it). */
  private scoped(frame: Frame, body: () => void): void {
    const mark = frame.vars.length;
    try {
      body();
    } finally {
      frame.vars.length = mark;
    }
  }

  private template(frame: Frame, n: Extract<Node, { t: 'template' }>, dot: unknown): void {
    const body = this.templates.get(n.name);
    if (!body) this.fail(`${n.line}: no such template "${n.name}"`);
    const v = n.pipe ? this.pipeline(frame, n.pipe, dot) : undefined;
    this.write(frame, this.run(body, v, n.name));
  }

  private range(frame: Frame, n: ControlNode, dot: unknown): void {
    const v = this.pipeline(frame, n.pipe, dot, false);
    const items = rangeItems(v, (m) => this.fail(m));
    // a range over a map asks it every key
    for (const [k] of isGoMap(v) ? items : []) this.reads.key(v, String(k));
    if (!items.length) {
      if (n.elseList) this.walk(frame, n.elseList, dot);
      return;
    }
    const mark = frame.vars.length;
    for (const [k, x] of items) {
      frame.vars.length = mark;
      if (n.pipe.decl.length === 1) frame.vars.push({ name: n.pipe.decl[0], value: typeof v === 'bigint' ? k : x });
      if (n.pipe.decl.length === 2) frame.vars.push({ name: n.pipe.decl[0], value: k }, { name: n.pipe.decl[1], value: x });
      try {
        this.walk(frame, n.list, typeof v === 'bigint' ? k : x);
      } catch (e) {
        if (!(e instanceof Jump)) throw e;
        if (e.kind === 'break') break;
      }
    }
  }

  /** A pipeline's value; its declarations are set (for a range, the caller sets them per element). */
  private pipeline(frame: Frame, pipe: Pipeline, dot: unknown, declare = true): unknown {
    let v: unknown = undefined;
    let piped = false;
    for (const cmd of pipe.cmds) {
      v = this.command(frame, cmd, dot, piped, v);
      piped = true;
    }
    if (declare && pipe.decl.length) this.declare(frame, pipe, v);
    return v;
  }

  private declare(frame: Frame, pipe: Pipeline, v: unknown): void {
    const name = pipe.decl[0];
    if (!pipe.assign) {
      frame.vars.push({ name, value: v });
      return;
    }
    for (let i = frame.vars.length - 1; i >= 0; i--)
      if (frame.vars[i].name === name) {
        frame.vars[i].value = v;
        return;
      }
    this.fail(`undefined variable: ${name}`);
  }

  private command(frame: Frame, cmd: Command, dot: unknown, piped: boolean, final: unknown): unknown {
    const [first, ...rest] = cmd.args;
    const extra = () => [...rest.map((a) => this.arg(frame, a, dot)), ...(piped ? [final] : [])];
    switch (first.t) {
      case 'ident':
        return this.call(frame, first.name, rest, dot, piped, final);
      case 'field':
        return this.fields(dot, first.names, extra);
      case 'var':
        return first.names.length
          ? this.fields(this.variable(frame, first.name), first.names, extra)
          : this.noArgs(this.variable(frame, first.name), rest.length || piped);
      case 'chain':
        return this.fields(this.arg(frame, first.node, dot), first.names, extra);
      default:
        return this.noArgs(this.arg(frame, first, dot), rest.length > 0 || piped);
    }
  }

  private noArgs(v: unknown, given: boolean | number): unknown {
    if (given) this.fail(`can't give argument to non-function ${formatValue(v)}`);
    return v;
  }

  private call(frame: Frame, name: string, rest: readonly Operand[], dot: unknown, piped: boolean, final: unknown): unknown {
    // and/or evaluate their operands only as far as the result needs (exec.go evalCall, Go 1.18)
    if (name === 'and' || name === 'or') {
      const ops: (() => unknown)[] = [...rest.map((a) => () => this.arg(frame, a, dot)), ...(piped ? [() => final] : [])];
      if (!ops.length) this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: unknown;
      for (const op of ops) {
        v = op();
        if (truth(v) === (name === 'or')) return v;
      }
      return v;
    }
    const fn = this.funcs.get(name);
    if (!fn) throw new NotRendered(`the templates call ${name}, a function this check does not implement`);
    const args = [...rest.map((a) => this.arg(frame, a, dot)), ...(piped ? [final] : [])];
    this.reads.call(name, args);
    return fn(args, this);
  }

  private variable(frame: Frame, name: string): unknown {
    for (let i = frame.vars.length - 1; i >= 0; i--) if (frame.vars[i].name === name) return frame.vars[i].value;
    return this.fail(`undefined variable "${name}"`);
  }

  /** An argument's value. */
  private arg(frame: Frame, a: Operand, dot: unknown): unknown {
    switch (a.t) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
      case 'string':
      case 'number':
        return a.value;
      case 'field':
        return this.fields(dot, a.names, () => []);
      case 'var':
        return this.fields(this.variable(frame, a.name), a.names, () => []);
      case 'chain':
        return this.fields(this.arg(frame, a.node, dot), a.names, () => []);
      case 'pipe':
        return this.pipeline(frame, a.pipe, dot);
      case 'ident':
        return this.call(frame, a.name, [], dot, false, undefined);
    }
  }

  /** `.a.b.c` from a receiver; the last may be a method called with the command's arguments. */
  private fields(receiver: unknown, names: readonly string[], args: () => unknown[]): unknown {
    let v = receiver;
    names.forEach((name, i) => {
      v = this.field(v, name, i === names.length - 1 ? args : undefined);
    });
    if (!names.length && args().length) this.fail(`can't give argument to non-function`);
    return v;
  }

  private field(receiver: unknown, name: string, args: (() => unknown[]) | undefined): unknown {
    if (isNil(receiver)) this.fail(`nil pointer evaluating interface {}.${name}`);
    if (!isGoMap(receiver)) return this.fail(`can't evaluate field ${name} in type ${typeOf(receiver)}`);
    const has = Object.prototype.hasOwnProperty.call(receiver, name);
    this.reads.key(receiver, name);
    if (!has && STRUCTS.has(receiver)) this.fail(`can't evaluate field ${name} in type ${typeOf(receiver)}`);
    const v = has ? receiver[name] : undefined;
    const given = args ? args() : [];
    if (v instanceof GoMethod) return v.call(...given);
    if (given.length) this.fail(`${name} has arguments but cannot be invoked as function`);
    return v;
  }
}

/** What a range visits: a slice's elements, a map's values in key order, an integer's 0…n-1 (Go 1.22). */
function rangeItems(v: unknown, fail: (m: string) => never): [unknown, unknown][] {
  if (isNil(v)) return [];
  if (Array.isArray(v)) return v.map((x, i) => [BigInt(i), x]);
  if (typeof v === 'bigint') return Array.from({ length: Number(v > 0n ? v : 0n) }, (_, i) => [BigInt(i), BigInt(i)]);
  if (isGoMap(v))
    return Object.keys(v)
      .sort()
      .map((k) => [k, v[k]]);
  return fail(`range can't iterate over ${formatValue(v)}`);
}
