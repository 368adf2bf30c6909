import { ruleFound } from '../util';

// argo-cd diff_normalizer.go: an ignoreDifferences entry applies to resources whose group and kind it matches (glob)
const app = (entries: object[], annotations: object = {}) => ({
  manifest: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'access', namespace: 'openshift-gitops', annotations },
    spec: {
      project: 'default',
      source: { repoURL: 'https://example.com/a.git', path: 'x' },
      destination: { server: 'https://kubernetes.default.svc' },
      ignoreDifferences: entries,
    },
  },
});
const appSet = (entries: object[]) => ({
  manifest: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'ops', namespace: 'openshift-gitops' },
    spec: {
      generators: [{ list: { elements: [{ name: 'a' }] } }],
      template: {
        metadata: { name: '{{name}}' },
        spec: {
          project: 'default',
          source: { repoURL: 'https://example.com/a.git', path: '{{name}}' },
          destination: { server: 'https://kubernetes.default.svc' },
          ignoreDifferences: entries,
        },
      },
    },
  },
});
const found = (o: { manifest: object }) => ruleFound('argocd-ignore-difference-unmatched', [o]);

describe('argocd-ignore-difference-unmatched', () => {
  test('kind Group under rbac.authorization.k8s.io: a warning naming the entry and that nothing matches', () => {
    expect(found(app([{ group: 'rbac.authorization.k8s.io', kind: 'Group', jqPathExpressions: ['.users'] }]))).toEqual([
      {
        severity: 'warning',
        object: 'Application/openshift-gitops/access',
        message: expect.stringMatching(
          /^spec\.ignoreDifferences\[0\] names kind Group in group 'rbac\.authorization\.k8s\.io', which does not serve it: the entry matches no resource Argo CD compares/,
        ),
      },
    ]);
  });

  test('a core kind without its group is looked up in the core group; a kind served elsewhere is named with its group', () => {
    const [f] = found(app([{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]));
    expect(f.message).toMatch(/names kind Deployment in group '', which does not serve it.*Deployment is served in apps: write that group/);
  });

  test("an ApplicationSet's template: said once on the ApplicationSet, not on each generated Application", () => {
    expect(found(appSet([{ group: 'apps', kind: 'Route' }])).map((f) => [f.object, f.message.split(' names')[0]])).toEqual([
      ['ApplicationSet/openshift-gitops/ops', 'spec.template.spec.ignoreDifferences[0]'],
    ]);
  });

  test.each([
    ['the group that serves it', { group: 'user.openshift.io', kind: 'Group' }],
    ['a core kind', { kind: 'ConfigMap', jsonPointers: ['/data'] }],
    ['globs', { group: '*', kind: '*Binding' }],
    ['a group the table does not know (an operator of the cluster)', { group: 'example.com', kind: 'Widget' }],
    ["a kind of the platform's KServe", { group: 'serving.kserve.io', kind: 'InferenceService' }],
  ])('near miss: %s', (_, entry) => {
    expect(found(app([entry]))).toEqual([]);
  });
});
