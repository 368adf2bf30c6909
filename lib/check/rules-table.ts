import * as fs from 'fs';
import * as path from 'path';
import { RuleMetadata } from './rule';

/** The manifest fragments a rule's `example` quotes in backticks: each occurs in the rule's fires fixture. */
export function exampleFragments(example: string): string[] {
  return [...example.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/**
 * The README's table of rules, generated from the rules' own metadata (a test keeps the README equal to it).
 * `fixtureOf` gives the folder, relative to the page, of the manifest tree a rule fires on; its id links there.
 */
export function rulesMarkdownTable(rules: readonly RuleMetadata[], fixtureOf: (id: string) => string | undefined = () => undefined): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const id = (r: RuleMetadata) => {
    const folder = fixtureOf(r.id);
    return folder ? `[\`${r.id}\`](${folder})` : `\`${r.id}\``;
  };
  return [
    '| rule | severity | applies to | judged when | failing example | fix | guards against |',
    '|---|---|---|---|---|---|---|',
    ...rules.map(
      (r) => `| ${id(r)} | ${r.severity} | ${r.appliesTo.join(', ')} | ${cell(r.premise)} | ${cell(r.example)} | ${cell(r.fix)} | ${cell(r.source)} |`,
    ),
  ].join('\n');
}

/** Where the rules page (docs/reference/validate-and-check.md) finds each rule's fires fixture in a checkout at `root`. */
export function fixtureLinks(root: string): (id: string) => string | undefined {
  return (id) => (fs.existsSync(path.join(root, 'test', 'rules', id, 'fires')) ? `../../test/rules/${id}/fires/` : undefined);
}

export const RULES_TABLE_START = '<!-- rules table: generated from the rules by `npm run docs`; do not edit -->';
export const RULES_TABLE_END = '<!-- end of rules table -->';
