import * as fs from 'fs';
import type { CheckOptions } from '../../lib/check/engine';

/**
 * The rules a check runs while the cases of one rule run (test/rule-cases.test.ts): the rule, and every other rule
 * whose id the file names in quotes (a case that says which rule takes a finding, or that another stays silent, reads
 * that rule's findings too). Unset, every rule runs.
 */
let scope: readonly string[] | undefined;

/** `RULE_CASES=whole` runs every case through the whole check, as a user's run does (slower; for comparing). */
const WHOLE = process.env.RULE_CASES === 'whole';

/** The rule ids a case file names: its own (the file's name) and the ids of `known` it quotes. */
export function rulesNamed(file: string, own: string, known: readonly string[]): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [own, ...known.filter((id) => id !== own && (text.includes(`'${id}'`) || text.includes(`"${id}"`) || text.includes(`\`${id}\``)))];
}

/** From now on a check runs these rules (and no other), until widen(). */
export function narrowTo(rules: readonly string[]): void {
  scope = WHOLE ? undefined : rules;
}

/** From now on a check runs every rule. */
export function widen(): void {
  scope = undefined;
}

/** The options of a check, with the rules of the scope where they choose none themselves. */
export function scoped<T extends CheckOptions>(options: T | undefined): T {
  return (scope && !options?.rules ? { ...options, rules: scope } : (options ?? {})) as T;
}
