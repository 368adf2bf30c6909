import { ALL_RULES, runChecks } from '../../lib/check/engine';
import { Rule } from '../../lib/check/rule';
import { readsRunContext } from '../../lib/private/run-memo';

/** A rule of the test's own, added to the engine's list for the test and taken out after it. */
function withRule<T>(rule: Rule, run: () => T): T {
  const rules = ALL_RULES as Rule[];
  rules.push(rule);
  try {
    return run();
  } finally {
    rules.splice(rules.indexOf(rule), 1);
  }
}

function testRule(id: string, scope: Rule['scope'], check: Rule['check']): Rule {
  return { id, title: id, severity: 'warning', appliesTo: ['ConfigMap'], premise: '-', example: '-', fix: '-', source: '-', scope, check };
}

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { a: '1' } });

describe("rules of scope 'object'", () => {
  test("a rule of scope 'object' that reads the graph stops the run with an error naming it, even where it catches the error itself", () => {
    const reads = testRule('test-object-reads-graph', 'object', (_o, ctx) => [{ message: `${ctx.graph.objects.length}` }]);
    expect(() => withRule(reads, () => runChecks([{ manifest: configMap('a') }], { rules: [reads.id] }))).toThrow(
      /rule test-object-reads-graph declares scope 'object' but its check read ctx\.graph/,
    );
    const swallows = testRule('test-object-swallows', 'object', (o, ctx) => {
      try {
        return [{ message: `${ctx.modelOf(o)?.name}` }];
      } catch {
        return [];
      }
    });
    expect(() => withRule(swallows, () => runChecks([{ manifest: configMap('a') }], { rules: [swallows.id] }))).toThrow(/read ctx\.modelOf/);
  });

  test("a rule of the default scope reads the graph, and a rule's own error on an object is still a finding", () => {
    const counts = testRule('test-graph-counts', undefined, (_o, ctx) => [{ message: `one of ${ctx.graph.ofKind('ConfigMap').length}` }]);
    const throws = testRule('test-object-throws', 'object', () => {
      throw new Error('a field of another type');
    });
    const objects = [{ manifest: configMap('a') }, { manifest: configMap('b') }];
    const findings = withRule(counts, () => withRule(throws, () => runChecks(objects, { rules: [counts.id, throws.id] })));
    expect(findings.filter((f) => f.rule === counts.id).map((f) => f.message)).toEqual(['one of 2', 'one of 2']);
    expect(findings.filter((f) => f.rule === throws.id).map((f) => f.message)).toEqual([
      expect.stringContaining('could not be judged: a field has a type no schema allows (a field of another type)'),
      expect.stringContaining('could not be judged'),
    ]);
  });

  test('the problems of an unchanged object are kept past the run: judged again once it changes, on another platform or for another file', () => {
    let calls = 0;
    const rule = testRule('test-object-kept', 'object', (o, ctx) => [{ message: `${++calls} ${o.manifest.data?.a} ${ctx.platform} ${o.file}` }]);
    const m = configMap('a');
    const run = (options: Parameters<typeof runChecks>[1] = {}, file = 'a.yaml') =>
      withRule(rule, () => runChecks([{ manifest: m, file }], { rules: [rule.id], platform: 'kserve', ...options })).map((f) => f.message);
    expect(run()).toEqual(['1 1 kserve a.yaml']);
    expect(run()).toEqual(['1 1 kserve a.yaml']);
    m.data.a = '2';
    expect(run()).toEqual(['2 2 kserve a.yaml']);
    expect(run({ platform: 'rhoai-3.0' })).toEqual(['3 2 rhoai-3.0 a.yaml']);
    expect(run({}, 'b.yaml')).toEqual(['4 2 kserve b.yaml']);
    expect(run()).toEqual(['2 2 kserve a.yaml']);
    // an equal object is another object: judged afresh
    expect(withRule(rule, () => runChecks([{ manifest: configMap('a'), file: 'a.yaml' }], { rules: [rule.id], platform: 'kserve' }))[0].message).toBe(
      '5 1 kserve a.yaml',
    );
  });

  test("a rule of scope 'object' that read the run's context (the tree's mounted files) is judged afresh each run", () => {
    let calls = 0;
    const rule = testRule('test-object-context', 'object', () => {
      readsRunContext();
      return [{ message: `${++calls}` }];
    });
    const m = configMap('a');
    const run = () => withRule(rule, () => runChecks([{ manifest: m }], { rules: [rule.id] })).map((f) => f.message);
    expect(run()).toEqual(['1']);
    expect(run()).toEqual(['2']);
  });

  test("no rule of scope 'object' says its problems on another object (judgesDelivery), and the default scope is the graph's", () => {
    const objectRules = ALL_RULES.filter((r) => r.scope === 'object');
    expect(objectRules.length).toBeGreaterThan(50);
    expect(objectRules.filter((r) => r.judgesDelivery).map((r) => r.id)).toEqual([]);
    expect(ALL_RULES.filter((r) => r.scope !== undefined && r.scope !== 'object' && r.scope !== 'graph')).toEqual([]);
  });
});
