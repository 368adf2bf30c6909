import { RuleMetadata } from './rule';

/** The README's table of rules, generated from the rules' own metadata (a test keeps the README equal to it). */
export function rulesMarkdownTable(rules: readonly RuleMetadata[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| rule | severity | applies to | judged when | failing example | fix | guards against |',
    '|---|---|---|---|---|---|---|',
    ...rules.map(
      (r) => `| \`${r.id}\` | ${r.severity} | ${r.appliesTo.join(', ')} | ${cell(r.premise)} | ${cell(r.example)} | ${cell(r.fix)} | ${cell(r.source)} |`,
    ),
  ].join('\n');
}

export const RULES_TABLE_START = '<!-- rules table: generated from the rules by `npm run docs`; do not edit -->';
export const RULES_TABLE_END = '<!-- end of rules table -->';
