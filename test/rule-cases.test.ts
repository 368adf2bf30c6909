import * as path from 'path';
import type * as Engine from '../lib/check/engine';
import { REGISTERED_RULES } from '../lib/check/registry';
import { runEachFile } from './setup/drop-in';
import { narrowTo, rulesNamed, widen } from './setup/rule-scope';

/**
 * The cases of one rule each, test/rule-cases/<rule-id>.ts, run as one suite (test/setup/drop-in.ts). A new rule's
 * cases go in a new file of that folder: nothing here lists them.
 *
 * A rule's cases judge that rule: each file's cases run the check with its own rule and the rules the file names in
 * quotes (test/setup/rule-scope.ts), not with all 400, as kube-linter's tests/checks run a check alone. The engine
 * judges each rule apart (lib/check/engine.ts ruleFindings: no rule reads another's findings), so a rule's findings
 * are the same alone as in the whole check; what a case says of the whole output (an exit code, an empty list) holds
 * of those rules. Running all 400 for every case was about half of this suite's CPU. The whole check, with every rule,
 * runs on each rule's fires/ and near-miss/ trees in test/rules.test.ts (a rule's `example` shows in its fires/ tree):
 * a rule that throws on another's input, or a finding that needs every rule, is caught there.
 * `RULE_CASES=whole npx jest test/rule-cases.test.ts` runs every case through the whole check.
 */
jest.mock('../lib/check/engine', () => {
  const actual = jest.requireActual<typeof Engine>('../lib/check/engine');
  const { scoped } = jest.requireActual<typeof import('./setup/rule-scope')>('./setup/rule-scope');
  return {
    ...actual,
    runChecks: (objects: readonly Engine.CheckInput[], options?: Engine.CheckOptions) => actual.runChecks(objects, scoped(options)),
    checkObjects: (objects: readonly Engine.CheckInput[], options?: Engine.CheckOptions) => actual.checkObjects(objects, scoped(options)),
  };
});

const IDS = REGISTERED_RULES.map((r) => r.id);

runEachFile(path.join(__dirname, 'rule-cases'), (file, name) => {
  beforeAll(() => narrowTo(rulesNamed(file, name, IDS)));
  afterAll(() => widen());
});
