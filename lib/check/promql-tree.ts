/**
 * PromQL's expression structure, read well enough to tell which metric names a query's result rests on: binary
 * operators with their precedence (prometheus promql/parser generated_parser.y: `or` lowest, then `and` and
 * `unless`, comparisons, `+ -`, `* / % atan2`, `^` right-associative), function calls and aggregations (with their
 * `by`/`without` clauses before or after the arguments), selectors with label matchers, ranges, subqueries and the
 * `offset`/`@` modifiers. A query it cannot read gives undefined: the caller then takes every name as read.
 */

/** A node of a read expression: what decides whether the query returns series. */
export type PromNode =
  | SelectorNode
  | { readonly type: 'literal' }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly PromNode[] }
  | { readonly type: 'binary'; readonly op: string; readonly left: PromNode; readonly right: PromNode };

/** A label matcher of a selector, its value unquoted (`job="api"`: job, =, api). */
export interface LabelMatcher {
  readonly label: string;
  readonly op: string;
  readonly value: string;
}

/** A vector selector: the metric name it reads, and its label matchers but the name's. */
export interface SelectorNode {
  readonly type: 'selector';
  readonly name?: string;
  readonly matchers?: readonly LabelMatcher[];
}

/** A token; a dashboard's variable (`$__rate_interval`, `${window}`) reads as a duration, where it stands in a range. */
type Token = { readonly kind: 'ident' | 'number' | 'string' | 'op' | 'punct' | 'duration'; readonly text: string };

const TOKEN =
  /\s+|#[^\n]*|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|((?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*|\$\{?\w+(?::\w+)?\}?)|(0x[0-9a-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)|([A-Za-z_:][A-Za-z0-9_:]*)|(==|!=|<=|>=|=~|!~|[-+*/%^<>=])|([(){}[\],@])/giy;

/** The query's tokens; undefined where a character is none of PromQL's. */
function tokens(query: string): Token[] | undefined {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    const m = TOKEN.exec(query);
    if (!m) return undefined;
    if (m[1]) out.push({ kind: 'string', text: m[1] });
    else if (m[2]) out.push({ kind: 'duration', text: m[2] });
    else if (m[3]) out.push({ kind: 'number', text: m[3] });
    else if (m[4]) out.push({ kind: 'ident', text: m[4] });
    else if (m[5]) out.push({ kind: 'op', text: m[5] });
    else if (m[6]) out.push({ kind: 'punct', text: m[6] });
  }
  return out;
}

/** Binary operators and their precedence (higher binds tighter). */
const PRECEDENCE: Readonly<Record<string, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '>=': 3,
  '<': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

/** PromQL's keywords (promql/parser lex.go key): no metric or function is named so. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2']);

/** Words that are numbers in PromQL. */
const NUMBER_WORDS = new Set(['inf', 'nan']);

/** A recursive-descent reader over the tokens; throws on what it cannot read (caught by promqlTree). */
class Reader {
  private at = 0;
  constructor(private readonly toks: readonly Token[]) {}

  public done(): boolean {
    return this.at >= this.toks.length;
  }

  private peek(offset = 0): Token | undefined {
    return this.toks[this.at + offset];
  }

  private next(): Token {
    const t = this.toks[this.at++];
    if (!t) throw new Error('unexpected end');
    return t;
  }

  private expect(text: string): void {
    if (this.next().text !== text) throw new Error(`expected ${text}`);
  }

  private binaryOp(): string | undefined {
    const t = this.peek();
    if (!t) return undefined;
    const word = t.text.toLowerCase();
    return (t.kind === 'op' || t.kind === 'ident') && PRECEDENCE[word] !== undefined ? word : undefined;
  }

  public expression(min = 1): PromNode {
    let left = this.unary();
    for (let op = this.binaryOp(); op && PRECEDENCE[op] >= min; op = this.binaryOp()) {
      this.at++;
      this.matchingModifiers();
      const right = this.expression(op === '^' ? PRECEDENCE[op] : PRECEDENCE[op] + 1);
      left = { type: 'binary', op, left, right };
    }
    return left;
  }

  /** `bool`, `on(…)`/`ignoring(…)` and `group_left(…)`/`group_right(…)` after a binary operator: they change no emptiness. */
  private matchingModifiers(): void {
    for (;;) {
      const word = this.peek()?.text.toLowerCase();
      if (word === 'bool') this.at++;
      else if (word === 'on' || word === 'ignoring') {
        this.at++;
        this.labelList();
      } else if (word === 'group_left' || word === 'group_right') {
        this.at++;
        if (this.peek()?.text === '(') this.labelList();
      } else return;
    }
  }

  private labelList(): void {
    this.expect('(');
    while (this.peek()?.text !== ')') this.next();
    this.expect(')');
  }

  private unary(): PromNode {
    const t = this.peek();
    if (t?.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.at++;
      return this.unary();
    }
    return this.postfix(this.primary());
  }

  /** Ranges, subqueries and modifiers after an expression: the same series, or none. */
  private postfix(node: PromNode): PromNode {
    for (;;) {
      const t = this.peek();
      if (t?.text === '[') {
        while (this.next().text !== ']');
      } else if (t?.text.toLowerCase() === 'offset') {
        this.at++;
        if (this.peek()?.text === '-') this.at++;
        this.next();
      } else if (t?.text === '@') {
        this.at++;
        const at = this.next();
        if (at.kind === 'ident' && this.peek()?.text === '(') {
          this.expect('(');
          this.expect(')');
        }
      } else return node;
    }
  }

  private primary(): PromNode {
    const t = this.next();
    if (t.text === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (t.kind === 'number' || t.kind === 'string' || t.kind === 'duration') return { type: 'literal' };
    if (t.text === '{') return this.selector(undefined);
    if (t.kind !== 'ident' || KEYWORDS.has(t.text.toLowerCase())) throw new Error(`unexpected ${t.text}`);
    if (NUMBER_WORDS.has(t.text.toLowerCase())) return { type: 'literal' };
    const grouping = () => {
      const word = this.peek()?.text.toLowerCase();
      if (word === 'by' || word === 'without') {
        this.at++;
        this.labelList();
      }
    };
    const clauseFirst = ['by', 'without'].includes(this.peek()?.text.toLowerCase() ?? '') && this.peek(1)?.text === '(';
    if (clauseFirst) grouping();
    if (this.peek()?.text === '(') {
      const args = this.args();
      grouping();
      return { type: 'call', name: t.text.toLowerCase(), args };
    }
    if (clauseFirst) throw new Error('grouping without arguments');
    if (this.peek()?.text === '{') {
      this.at++;
      return this.selector(t.text);
    }
    return { type: 'selector', name: t.text };
  }

  private args(): PromNode[] {
    this.expect('(');
    const args: PromNode[] = [];
    while (this.peek()?.text !== ')') {
      args.push(this.expression());
      if (this.peek()?.text === ',') this.at++;
      else break;
    }
    this.expect(')');
    return args;
  }

  /** Label matchers after `{`: the name is __name__'s where a matcher says it with `=` and none is written before. */
  private selector(name: string | undefined): PromNode {
    let named = name;
    const matchers: LabelMatcher[] = [];
    while (this.peek()?.text !== '}') {
      const label = this.next();
      const op = this.peek()?.kind === 'op' ? this.next().text : undefined;
      if (op === undefined) {
        // a bare quoted name ({"vllm:x"}, Prometheus 3's UTF-8 names)
        if (label.kind === 'string' && named === undefined) named = label.text.slice(1, -1);
      } else {
        const value = this.next();
        if (label.text === '__name__' && op === '=' && value.kind === 'string' && named === undefined) named = value.text.slice(1, -1);
        else if (value.kind === 'string') matchers.push({ label: label.text, op, value: value.text.slice(1, -1) });
      }
      if (this.peek()?.text === ',') this.at++;
      else break;
    }
    this.expect('}');
    return { type: 'selector', name: named, ...(matchers.length ? { matchers } : {}) };
  }
}

/** The query's expression structure, or undefined where it does not read as PromQL. */
export function promqlTree(query: string): PromNode | undefined {
  const toks = tokens(query);
  if (!toks?.length) return undefined;
  try {
    const reader = new Reader(toks);
    const tree = reader.expression();
    return reader.done() ? tree : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What an expression returns, given the names no series has: 'data' (series of a metric that exists, or may),
 * 'const' (only what no metric decides: numbers, vector(0), absent() of an empty selection) or 'empty' (nothing).
 */
export type Yield = 'data' | 'const' | 'empty';

/** Functions whose result is a constant whatever their argument (vector(s), time(), pi()). */
const CONSTANT_FUNCTIONS = new Set(['vector', 'time', 'pi', 'minute', 'hour', 'day_of_week', 'day_of_month', 'days_in_month', 'month', 'year']);

/** absent() and absent_over_time() return 1 when their selection is empty, nothing when it has series. */
const ABSENT_FUNCTIONS = new Set(['absent', 'absent_over_time']);

/** The yield of operands that must all return series (arithmetic, comparison, `and`, a function's arguments). */
function together(parts: readonly Yield[]): Yield {
  if (parts.includes('empty')) return 'empty';
  return parts.includes('data') ? 'data' : 'const';
}

/**
 * What the expression yields where `dead` selects nothing: a set of metric names no series has, or a test of each
 * selector (one whose label matchers no series carries).
 */
export function yieldOf(node: PromNode, dead: ReadonlySet<string> | ((s: SelectorNode) => boolean)): Yield {
  switch (node.type) {
    case 'literal':
      return 'const';
    case 'selector':
      if (typeof dead === 'function') return dead(node) ? 'empty' : 'data';
      return node.name !== undefined && dead.has(node.name) ? 'empty' : 'data';
    case 'call': {
      // minute(), hour() and the like take the time when given no argument
      if (CONSTANT_FUNCTIONS.has(node.name) && (node.name === 'vector' || !node.args.length)) return 'const';
      const parts = node.args.filter((a) => a.type !== 'literal').map((a) => yieldOf(a, dead));
      if (ABSENT_FUNCTIONS.has(node.name)) return parts[0] === 'empty' ? 'const' : parts[0] === 'data' ? 'data' : 'empty';
      return together(parts);
    }
    case 'binary': {
      const left = yieldOf(node.left, dead);
      const right = yieldOf(node.right, dead);
      if (node.op === 'or') return left === 'data' || right === 'data' ? 'data' : left === 'const' || right === 'const' ? 'const' : 'empty';
      if (node.op === 'unless') return left;
      return together([left, right]);
    }
  }
}

/**
 * The names of `dead` (those no series has) whose absence the query's result rests on: every one where the query
 * cannot be read; else a name that empties the query (or leaves it only its constants: `or vector(0)`, `absent()`)
 * with every other name alive, or that, alive, would change what the query returns as written. A name whose `or`
 * alternative reads a live metric (`sum(vllm:x) or sum(vllm_x)`) is not one of them.
 */
export function namesTheQueryRestsOn(query: string, dead: ReadonlySet<string>): Set<string> {
  const tree = promqlTree(query);
  if (!tree) return new Set(dead);
  const all = yieldOf(tree, dead);
  return new Set(
    [...dead].filter((name) => {
      if (yieldOf(tree, new Set([name])) !== 'data') return true;
      if (all === 'data') return false;
      const others = new Set([...dead].filter((d) => d !== name));
      return yieldOf(tree, others) !== all;
    }),
  );
}
