/**
 * The metric names a PromQL expression selects, read well enough to tell whose metrics a query reads: strings,
 * label matchers, ranges and the label lists of grouping and matching clauses are dropped, then every identifier
 * that is not a function call, a keyword or a number is a metric name.
 */

/** PromQL's keywords and operators written as words (prometheus promql/parser lex.go key). */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan']);

/** Metric names the expression selects, in order of first use; empty when it selects none (a constant). */
export function promqlMetrics(query: string): string[] {
  const bare = query
    .replace(/#.*$/gm, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const after = bare.slice((m.index ?? 0) + word.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(word.toLowerCase())) continue;
    // the unit of a duration (offset 5m) or an exponent (1e3) follows a digit
    if (/\d$/.test(bare.slice(0, m.index))) continue;
    if (!names.includes(word)) names.push(word);
  }
  return names;
}
