import { Command, Node, Operand, ParsedTemplate, Pipeline } from './template-nodes';
import { lex, TemplateSyntaxError, Token } from './template-lex';

/**
 * The parser of Go's text/template (go/src/text/template/parse/parse.go): actions, if/else if/else, range, with/else
 * with/else, define, block, template, break and continue (inside range only), pipelines with declarations.
 */
export function parseTemplate(src: string, name: string): ParsedTemplate {
  const p = new Parser(lex(src, name), name);
  const root = p.list(false);
  if (root.stop !== 'eof') p.fail(`unexpected {{${root.stop}}}`);
  return { root: root.nodes, defines: p.defines };
}

type Stop = 'eof' | 'end' | 'else';

class Parser {
  public readonly defines = new Map<string, Node[]>();
  private i = 0;
  private line = 1;
  private rangeDepth = 0;

  constructor(
    private readonly toks: readonly Token[],
    private readonly name: string,
  ) {}

  public fail(msg: string): never {
    throw new TemplateSyntaxError(`template: ${this.name}:${this.line}: ${msg}`);
  }

  /** Nodes up to `{{end}}`, `{{else …}}` or the end of the text (which leaves the `else` action's rest unread). */
  public list(inner: boolean): { nodes: Node[]; stop: Stop } {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.toks[this.i++];
      if (!t) {
        if (inner) this.fail('unexpected EOF');
        return { nodes, stop: 'eof' };
      }
      if (t.k === 'text') nodes.push({ t: 'text', text: t.v });
      if (t.k !== 'open') continue;
      this.line = t.line;
      const stop = this.action(nodes);
      if (stop) return { nodes, stop };
    }
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private next(): Token {
    const t = this.toks[this.i++];
    if (!t) this.fail('unexpected EOF');
    return t;
  }

  private word(): string | undefined {
    const t = this.peek();
    return t?.k === 'word' ? t.v : undefined;
  }

  private expectClose(context: string): void {
    if (this.next().k !== 'close') this.fail(`unexpected token in ${context}`);
  }

  /** One action: pushes its node; returns the stop it is (`end`, `else`). */
  private action(nodes: Node[]): Stop | undefined {
    const w = this.word();
    if (w === 'end') {
      this.i++;
      this.expectClose('end');
      return 'end';
    }
    if (w === 'else') {
      this.i++;
      return 'else';
    }
    if (w === 'if' || w === 'with' || w === 'range') {
      this.i++;
      nodes.push(this.control(w));
    } else if (w === 'define' || w === 'block') {
      this.i++;
      this.define(w, nodes);
    } else if (w === 'template') {
      this.i++;
      nodes.push(this.templateCall());
    } else if (w === 'break' || w === 'continue') {
      this.i++;
      if (!this.rangeDepth) this.fail(`{{${w}}} outside {{range}}`);
      this.expectClose(w);
      nodes.push({ t: w });
    } else nodes.push({ t: 'action', pipe: this.pipeline('command', false) });
    return undefined;
  }

  /** if/with/range: the pipeline, the list, and an else branch (an `else if`/`else with` nests and shares the end). */
  private control(kind: 'if' | 'with' | 'range'): Node {
    const pipe = this.pipeline(kind, kind === 'range');
    if (kind === 'range') this.rangeDepth++;
    const body = this.list(true);
    if (kind === 'range') this.rangeDepth--;
    if (body.stop === 'end') return { t: kind, pipe, list: body.nodes };
    const again = this.word();
    if ((again === 'if' && kind === 'if') || (again === 'with' && kind === 'with')) {
      this.i++;
      return { t: kind, pipe, list: body.nodes, elseList: [this.control(again)] };
    }
    this.expectClose('else');
    const rest = this.list(true);
    if (rest.stop !== 'end') this.fail('expected end; found else');
    return { t: kind, pipe, list: body.nodes, elseList: rest.nodes };
  }

  private templateName(context: string): string {
    const t = this.next();
    if (t.k !== 'string') this.fail(`unexpected token in ${context} clause`);
    return t.v;
  }

  private define(kind: 'define' | 'block', nodes: Node[]): void {
    const name = this.templateName(kind);
    const line = this.line;
    const pipe = kind === 'block' ? this.pipeline('block', false) : (this.expectClose('define'), undefined);
    const body = this.list(true);
    if (body.stop !== 'end') this.fail(`unexpected {{else}} in ${kind}`);
    this.defines.set(name, body.nodes);
    if (kind === 'block') nodes.push({ t: 'template', name, pipe, line });
  }

  private templateCall(): Node {
    const name = this.templateName('template');
    const line = this.line;
    if (this.peek()?.k === 'close') {
      this.i++;
      return { t: 'template', name, line };
    }
    return { t: 'template', name, pipe: this.pipeline('template', false), line };
  }

  /** `[$x[, $y] (:=|=)] command [| command]…` up to the action's close (or a `)` when `paren`). */
  public pipeline(context: string, multiDecl: boolean, paren = false): Pipeline {
    const { decl, assign } = this.declarations(multiDecl);
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.command(context));
      const t = this.next();
      if (t.k === 'close' && !paren) break;
      if (t.k === 'op' && t.v === ')' && paren) break;
      if (!(t.k === 'op' && t.v === '|')) this.fail(`unexpected ${describe(t)} in ${context}`);
    }
    return { decl, assign, cmds, line: this.line };
  }

  private declarations(multi: boolean): { decl: string[]; assign: boolean } {
    const start = this.i;
    const names: string[] = [];
    for (;;) {
      const v = this.peek();
      if (v?.k !== 'var') break;
      this.i++;
      names.push(v.v);
      const op = this.peek();
      if (op?.k === 'op' && (op.v === ':=' || op.v === '=')) {
        this.i++;
        return { decl: names, assign: op.v === '=' };
      }
      if (!(op?.k === 'op' && op.v === ',' && multi && names.length < 2)) break;
      this.i++;
    }
    this.i = start;
    return { decl: [], assign: false };
  }

  private command(context: string): Command {
    const args: Operand[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.k === 'close' || (t.k === 'op' && (t.v === '|' || t.v === ')'))) break;
      args.push(this.operand());
    }
    if (!args.length) this.fail(`missing value for ${context}`);
    return { args };
  }

  private operand(): Operand {
    const node = this.term();
    const names: string[] = [];
    for (let t = this.peek(); t?.k === 'field' && t.adj; t = this.peek()) {
      names.push(t.v);
      this.i++;
    }
    if (!names.length) return node;
    if (node.t === 'field' || node.t === 'var') return { ...node, names: [...node.names, ...names] };
    return { t: 'chain', node, names };
  }

  private term(): Operand {
    const t = this.next();
    switch (t.k) {
      case 'field':
        return t.v ? { t: 'field', names: [t.v] } : { t: 'dot' };
      case 'var':
        return { t: 'var', name: t.v, names: [] };
      case 'string':
        return { t: 'string', value: t.v };
      case 'number':
      case 'char':
        return { t: 'number', text: t.v, value: numberValue(t.v, t.k === 'char', (m) => this.fail(m)) };
      case 'op':
        if (t.v === '(') return { t: 'pipe', pipe: this.pipeline('parenthesized pipeline', false, true) };
        break;
      case 'word':
        if (t.v === 'nil') return { t: 'nil' };
        if (t.v === 'true' || t.v === 'false') return { t: 'bool', value: t.v === 'true' };
        return { t: 'ident', name: t.v };
    }
    return this.fail(`unexpected ${describe(t)} in operand`);
  }
}

function describe(t: Token): string {
  return 'v' in t ? `"${t.v}"` : t.k === 'close' ? '"}}"' : t.k;
}

/**
 * A number constant as text/template reads it for an argument of type interface{} (exec.go idealConstant): an
 * integer is an int, a constant with a point or exponent a float64; a character constant is an int.
 */
function numberValue(text: string, char: boolean, fail: (m: string) => never): number | bigint {
  if (char) return BigInt(text);
  const clean = text.replace(/_/g, '');
  const hex = /^[+-]?0[xXbBoO]/.test(clean);
  if (!hex && /[.eE]/.test(clean)) {
    const f = Number(clean);
    if (Number.isNaN(f)) fail(`illegal number syntax: "${text}"`);
    return f;
  }
  try {
    const neg = clean.startsWith('-');
    const body = clean.replace(/^[+-]/, '');
    const octal = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body;
    const n = BigInt(octal);
    return neg ? -n : n;
  } catch {
    return fail(`illegal number syntax: "${text}"`);
  }
}
