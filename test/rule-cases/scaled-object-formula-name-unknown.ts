import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('scaled-object-formula-name-unknown', docs);

const so = (formula: string, triggers: Doc[]): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'llm', namespace: 'ai' },
  spec: { scaleTargetRef: { name: 'llm' }, advanced: { scalingModifiers: { formula, target: '2' } }, triggers },
});
const prom = (name?: string): Doc => ({ type: 'prometheus', ...(name ? { name } : {}), metadata: { query: 'sum(q)', threshold: '3' } });

describe('scaled-object-formula-name-unknown', () => {
  test('a formula over a trigger that has no name: refused, naming the name read', () => {
    expect(found([so('clamp(queue * 50, 1, 10)', [prom()])])).toEqual([
      expect.stringMatching(
        /^error ScaledObject\/ai\/llm: spec\.advanced\.scalingModifiers\.formula reads 'queue', which no trigger of the ScaledObject is named, and no trigger other than cpu or memory has a name: KEDA compiles the formula .*refuses the ScaledObject/,
      ),
    ]);
  });

  test('a misspelt name, and a cpu trigger named in the formula (left out of the environment)', () => {
    expect(found([so('waiting + runing', [prom('waiting'), prom('running')])])).toEqual([
      expect.stringMatching(/reads 'runing', .*the triggers it can read are named 'waiting', 'running'/),
    ]);
    expect(found([so('load + waiting', [prom('waiting'), { type: 'cpu', name: 'load', metricType: 'Utilization', metadata: { value: '50' } }])])).toEqual([
      expect.stringMatching(/reads 'load', .*cpu and memory triggers are left out/),
    ]);
  });

  test('near misses: named triggers, functions, literals, members, let bindings, $env, keywords, no formula', () => {
    expect(found([so('max(a, b) / 2', [prom('a'), prom('b')])])).toEqual([]);
    expect(found([so('a > 3 and not (b < 1) ? a : b ?? 0', [prom('a'), prom('b')])])).toEqual([]);
    expect(found([so('let x = a * 2; x + 1e3 + 0.5', [prom('a')])])).toEqual([]);
    expect(found([so('"queue" == \'queue\' ? a : a', [prom('a')])])).toEqual([]);
    expect(found([so('len($env) + a', [prom('a')])])).toEqual([]);
    expect(found([{ ...so('', [prom()]), spec: { scaleTargetRef: { name: 'llm' }, triggers: [prom()] } }])).toEqual([]);
  });
});
