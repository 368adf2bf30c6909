/**
 * The parse tree of a Go text/template, as go/src/text/template/parse/node.go shapes it: a list of text, actions and
 * control structures; pipelines of commands; commands of operands.
 */

/** An operand of a command (parse.Node kinds that evaluate to a value). */
export type Operand =
  | { readonly t: 'field'; readonly names: readonly string[] }
  | { readonly t: 'var'; readonly name: string; readonly names: readonly string[] }
  | { readonly t: 'dot' }
  | { readonly t: 'nil' }
  | { readonly t: 'bool'; readonly value: boolean }
  | { readonly t: 'string'; readonly value: string }
  | { readonly t: 'number'; readonly text: string; readonly value: number | bigint }
  | { readonly t: 'ident'; readonly name: string }
  | { readonly t: 'pipe'; readonly pipe: Pipeline }
  | { readonly t: 'chain'; readonly node: Operand; readonly names: readonly string[] };

/** One command of a pipeline: a function or method with its arguments, or a value. */
export interface Command {
  readonly args: readonly Operand[];
}

/** A pipeline, with the variables it declares (`$x :=`) or assigns (`$x =`). */
export interface Pipeline {
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly cmds: readonly Command[];
  readonly line: number;
}

export type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'action'; readonly pipe: Pipeline }
  | ControlNode
  | { readonly t: 'template'; readonly name: string; readonly pipe?: Pipeline; readonly line: number }
  | { readonly t: 'break' | 'continue' };

/** A parsed template: its body and the templates it defines (`define`, `block`), by name. */
export interface ParsedTemplate {
  readonly root: Node[];
  readonly defines: Map<string, Node[]>;
}

/** if, with or range: the pipeline, the list it runs, and the else branch. */
export interface ControlNode {
  readonly t: 'if' | 'with' | 'range';
  readonly pipe: Pipeline;
  readonly list: Node[];
  readonly elseList?: Node[];
}
