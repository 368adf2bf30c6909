import { podTemplatesOf } from '../lib/check/pod-templates';

/** The pod templates of the kinds that run several kinds of pods, at the paths their APIs define. */
describe('podTemplatesOf', () => {
  const pod = (image: string) => ({ metadata: { labels: { image } }, spec: { containers: [{ name: 'c', image }] } });

  test("an AIBrix StormService's roles are under spec.template.spec.roles (aibrix api/orchestration/v1alpha1 StormServiceSpec.Template, RoleSpec.Template)", () => {
    const storm = {
      kind: 'StormService',
      spec: { template: { spec: { roles: [{ name: 'prefill', template: pod('p') }, { name: 'decode', template: pod('d') }, { name: 'router' }] } } },
    };
    expect(podTemplatesOf(storm).map((t) => [t.path, t.template.metadata.labels.image])).toEqual([
      ['spec.template.spec.roles[0].template', 'p'],
      ['spec.template.spec.roles[1].template', 'd'],
    ]);
  });

  test('a RoleSet keeps its roles under spec.roles; a StormService written like one has no pods there', () => {
    const roles = { roles: [{ name: 'worker', template: pod('w') }] };
    expect(podTemplatesOf({ kind: 'RoleSet', spec: roles }).map((t) => t.path)).toEqual(['spec.roles[0].template']);
    expect(podTemplatesOf({ kind: 'StormService', spec: roles })).toEqual([]);
  });
});
