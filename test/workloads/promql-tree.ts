import { namesTheQueryRestsOn, promqlTree, yieldOf } from '../../lib/check/promql-tree';
import { promqlSyntaxError } from '../../lib/check/promql-syntax';
import { promqlMetrics } from '../../lib/check/promql-metrics';
import { prng } from '../setup/prng';

/**
 * The PromQL reading the metric rules judge emptiness with: operator precedence and `or` alternatives as Prometheus's
 * parser reads them (promql/parser generated_parser.y), and never an exception on what users write.
 */
const dead = new Set(['vllm_a', 'vllm_b', 'vllm_c']);
const rests = (q: string) => [...namesTheQueryRestsOn(q, dead)].sort();

describe('promqlTree', () => {
  test('`or` binds loosest, `and` and `unless` tighter, arithmetic tighter still, `^` to the right', () => {
    expect(promqlTree('a or b and c')).toEqual({
      type: 'binary',
      op: 'or',
      left: { type: 'selector', name: 'a' },
      right: { type: 'binary', op: 'and', left: { type: 'selector', name: 'b' }, right: { type: 'selector', name: 'c' } },
    });
    expect(promqlTree('a + b * c')).toMatchObject({ op: '+', right: { op: '*' } });
    expect(promqlTree('a ^ b ^ c')).toMatchObject({ op: '^', left: { name: 'a' }, right: { op: '^' } });
    expect(promqlTree('a / on(pod) group_left(model) b > bool 3')).toMatchObject({ op: '>', left: { op: '/' }, right: { type: 'literal' } });
  });

  test('aggregations with their clause before or after the arguments, selectors by __name__, ranges, subqueries and modifiers', () => {
    expect(promqlTree('sum by (le) (rate(x_bucket{a="b"}[5m]))')).toEqual({
      type: 'call',
      name: 'sum',
      args: [{ type: 'call', name: 'rate', args: [{ type: 'selector', name: 'x_bucket', matchers: [{ label: 'a', op: '=', value: 'b' }] }] }],
    });
    expect(promqlTree('topk(3, sum(x) without (pod))')).toMatchObject({ name: 'topk', args: [{ type: 'literal' }, { name: 'sum' }] });
    expect(promqlTree('{__name__="vllm:x", job=~"v.*"} offset -5m')).toEqual({
      type: 'selector',
      name: 'vllm:x',
      matchers: [{ label: 'job', op: '=~', value: 'v.*' }],
    });
    expect(promqlTree('up')).toEqual({ type: 'selector', name: 'up' });
    expect(promqlTree('max_over_time(x[1h:5m] @ end())')).toMatchObject({ args: [{ name: 'x' }] });
    expect(promqlTree('rate(x[$__rate_interval])')).toMatchObject({ args: [{ name: 'x' }] });
    expect(promqlTree('-x + Inf')).toMatchObject({ op: '+', left: { name: 'x' }, right: { type: 'literal' } });
  });

  test('what is no PromQL reads as nothing: unbalanced parentheses, a trailing operator, stray characters', () => {
    for (const q of ['sum(x', 'x +', 'x ) (', 'x ; y', '', 'by (pod)', 'x{a="b"']) expect({ q, tree: promqlTree(q) }).toEqual({ q, tree: undefined });
  });
});

describe('namesTheQueryRestsOn', () => {
  test('a dead name beside a live alternative is not rested on; dead alternatives all are; a constant alternative saves nothing', () => {
    expect(rests('sum(vllm:x) or sum(vllm_a)')).toEqual([]);
    expect(rests('sum(vllm_a) or sum(vllm_b)')).toEqual(['vllm_a', 'vllm_b']);
    expect(rests('sum(vllm_a) or vector(0)')).toEqual(['vllm_a']);
    expect(rests('(vllm:x or vllm_a) / vllm_b')).toEqual(['vllm_b']);
    expect(rests('vllm_a * vllm_b')).toEqual(['vllm_a', 'vllm_b']);
    expect(rests('vllm:x unless vllm_a')).toEqual([]);
    expect(rests('vllm_a unless vllm:x')).toEqual(['vllm_a']);
    expect(rests('absent(vllm_a)')).toEqual(['vllm_a']);
    expect(rests('absent(vllm:x) and absent(vllm_a)')).toEqual([]);
    expect(rests('label_replace(vllm_a, "dst", "$1", "src", "(.*)") or up')).toEqual([]);
    // a query that does not read as PromQL: every dead name it mentions, as before
    expect(rests('sum(vllm_a or')).toEqual(['vllm_a', 'vllm_b', 'vllm_c']);
  });

  test('yields: a constant, an empty selection and series', () => {
    expect(yieldOf(promqlTree('vector(1)')!, dead)).toBe('const');
    expect(yieldOf(promqlTree('sum(vllm_a) + 1')!, dead)).toBe('empty');
    expect(yieldOf(promqlTree('time() - max(vllm:x)')!, dead)).toBe('data');
  });
});

/** Pieces of the queries users write, joined at random, and mutated character by character. */
const PIECES = [
  'sum(',
  ')',
  'rate(',
  'vllm:num_requests_running',
  'vllm_a',
  '{namespace="ai",pod=~"x.*"}',
  '[5m]',
  '[1h:1m]',
  ' or ',
  ' and ',
  ' unless ',
  ' / ',
  ' * on(pod) group_left ',
  ' by (le) ',
  'histogram_quantile(0.95, ',
  ', ',
  'vector(0)',
  'absent(',
  ' offset 5m',
  ' @ 1700000000',
  '"str"',
  '-',
  '^',
  '# note\n',
  '$__rate_interval',
  '{',
  '}',
  '(',
];

describe('fuzzing the PromQL reader (seeded)', () => {
  test('2000 random and mutated queries: a tree or undefined, never an exception; the names rested on are names the query reads', () => {
    const random = prng(20261207);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    let read = 0;
    for (let i = 0; i < 2000; i++) {
      let q = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(PIECES)).join('');
      if (random() < 0.3) {
        const at = Math.floor(random() * (q.length + 1));
        q = q.slice(0, at) + pick(['(', ')', '{', '"', ',', ' ', '[', ']', '`', '\\']) + q.slice(at + 1);
      }
      const tree = promqlTree(q);
      if (tree) read++;
      const names = new Set(promqlMetrics(q).filter((m) => m.startsWith('vllm')));
      const rested = namesTheQueryRestsOn(q, names);
      expect({ q, outside: [...rested].filter((n) => !names.has(n)) }).toEqual({ q, outside: [] });
    }
    // the pieces make well-formed queries now and then, so the structure is exercised too
    expect(read).toBeGreaterThan(25);
  });

  test('500 queries drawn from the grammar all read, with every name they select in the tree', () => {
    const random = prng(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const gen = (depth: number): string => {
      const leaf = () => pick(['vllm_a', 'vllm:num_requests_running{ns="ai"}', 'up', '3', 'vector(0)', '{__name__="vllm_b"}']);
      if (depth === 0) return leaf();
      switch (Math.floor(random() * 6)) {
        case 0:
          return `${gen(depth - 1)} ${pick(['or', 'and', 'unless', '+', '/', '>', '^', '* on(pod) group_left(model)'])} ${gen(depth - 1)}`;
        case 1:
          return `${pick(['sum', 'max', 'avg'])}${pick(['', ' by (pod)', ' without (le)'])}(${gen(depth - 1)})`;
        case 2:
          return `rate(${pick(['vllm_a', 'vllm_c_total'])}[${pick(['5m', '$__rate_interval', '1h:1m'])}])`;
        case 3:
          return `histogram_quantile(0.9, ${gen(depth - 1)})`;
        case 4:
          return `absent(${gen(depth - 1)})`;
        default:
          return `(${gen(depth - 1)})`;
      }
    };
    for (let i = 0; i < 500; i++) {
      const q = gen(1 + Math.floor(random() * 4));
      expect({ q, read: promqlTree(q) !== undefined }).toEqual({ q, read: true });
    }
  });
});

describe("promqlSyntaxError: the delimiter errors of Prometheus's lexer, in its words", () => {
  // the failing cases of prometheus promql/parser/parse_test.go whose error the lexer gives
  test.each([
    ['(1))', "unexpected right parenthesis ')'"],
    ['((1)', 'unclosed left parenthesis'],
    ['(', 'unclosed left parenthesis'],
    ['{', 'unexpected end of input inside braces'],
    ['}', "unexpected character: '}'"],
    ['some{', 'unexpected end of input inside braces'],
    ['some}', "unexpected character: '}'"],
    ['foo[5m', 'unclosed left bracket'],
    ['foo]', "unexpected right bracket ']'"],
    ['foo[5m[', "unexpected left bracket '['"],
    ['foo{a="b"{', "unexpected left brace '{'"],
    ['foo{a="b}', 'unterminated quoted string'],
    ['foo{a=`b}', 'unterminated raw string'],
  ])('%s: %s', (query, message) => {
    expect(promqlSyntaxError(query)?.message).toBe(message);
  });

  test('the position is of the delimiter, or the end for what is left open, by line and column', () => {
    const query = 'histogram_quantile(\n  0.95,\n  sum by (le) (rate(x_bucket[5m]))\n)\n)\n';
    expect(promqlSyntaxError(query)).toEqual({ message: "unexpected right parenthesis ')'", line: 5, column: 1 });
    expect(promqlSyntaxError('sum(rate(x[5m])')).toEqual({ message: 'unclosed left parenthesis', line: 1, column: 16 });
  });

  test.each([
    'sum by (foo)(some_metric)',
    'test{a="b"}[5y] OFFSET 3d',
    'max_over_time(rate(x[5m])[30m:1m])',
    'count_values("value)", some_metric)',
    'foo{a="}", b=~"(x"} # a comment with )',
    "sum(rate(x{job='a\\'b'}[5m])) / on (pod) group_left sum(y)",
    // templates are not PromQL until rendered: not judged
    'sum(rate(http_requests_total{service="{{args.service-name}}"}[5m]))',
    'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>))',
    'sum(rate(x[$__rate_interval])))',
  ])('no delimiter error: %s', (query) => {
    expect(promqlSyntaxError(query)).toBeUndefined();
  });
});
