import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('hpa-target-shared', docs);

const hpa = (name: string, target: string, namespace: string | null = 'ai', kind = 'Deployment'): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: target }, minReplicas: 1, maxReplicas: 3 },
});

describe('hpa-target-shared', () => {
  test('two HPAs on one Deployment: one finding, on the second by name, naming the first and AmbiguousSelector', () => {
    const expected = [
      expect.stringMatching(
        /^warning HorizontalPodAutoscaler\/ai\/by-queue: spec\.scaleTargetRef names Deployment 'chat', which HorizontalPodAutoscaler\/ai\/by-gpu also scales: .*AmbiguousSelector.*if they are applied together.*keep one HPA for 'chat'/,
      ),
    ];
    expect(found([hpa('by-queue', 'chat'), hpa('by-gpu', 'chat')])).toEqual(expected);
    expect(found([hpa('by-gpu', 'chat'), hpa('by-queue', 'chat')])).toEqual(expected);
  });

  test('three HPAs without namespaces, which an apply puts together: each but the first is told', () => {
    expect(found([hpa('a', 'chat', null), hpa('b', 'chat', null), hpa('c', 'chat', null)])).toEqual([
      expect.stringMatching(/^warning HorizontalPodAutoscaler\/b: .*HorizontalPodAutoscaler\/a, HorizontalPodAutoscaler\/c also scale:/),
      expect.stringMatching(/^warning HorizontalPodAutoscaler\/c: .*HorizontalPodAutoscaler\/a, HorizontalPodAutoscaler\/b also scale:/),
    ]);
  });

  test('near misses: other targets, another kind of one name, another namespace, one HPA read twice', () => {
    expect(found([hpa('chat', 'chat'), hpa('embed', 'embed')])).toEqual([]);
    expect(found([hpa('a', 'chat'), hpa('b', 'chat', 'ai', 'StatefulSet')])).toEqual([]);
    expect(found([hpa('a', 'chat'), hpa('b', 'chat', 'other')])).toEqual([]);
    expect(found([hpa('a', 'chat'), hpa('a', 'chat')])).toEqual([]);
  });
});
