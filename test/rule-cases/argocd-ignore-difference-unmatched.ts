import { ruleFound, treeRuleFound } from '../util';

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

  describe('entries with a name or namespace, judged against what the Application delivers', () => {
    const application = (entries: object[], syncOptions: string[] = [], source: object = {}) =>
      JSON.stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'chat', namespace: 'openshift-gitops' },
        spec: {
          project: 'default',
          source: { repoURL: 'https://git.example.com/platform/serving.git', targetRevision: 'main', path: 'chat/deploy', ...source },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'chat-prod' },
          ignoreDifferences: entries,
          syncPolicy: { automated: { selfHeal: true }, syncOptions },
        },
      });
    const deployment = (replicas: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: chat}\nspec:\n${replicas}  selector: {matchLabels: {app: chat}}\n  template:\n    metadata: {labels: {app: chat}}\n    spec: {containers: [{name: web, image: 'registry.example.com/chat/web:2.3.1'}]}\n`;
    const webhook =
      'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: chat-policy}\nwebhooks:\n  - name: check.chat.example.com\n    admissionReviewVersions: [v1]\n    sideEffects: None\n    clientConfig: {service: {name: chat, namespace: chat-prod}, caBundle: Zm9v}\n';
    const found = (app: string, objects = deployment('  replicas: 2\n'), extra: Record<string, string> = {}) =>
      treeRuleFound('argocd-ignore-difference-unmatched', 'argocd-ignore-names-', {
        'apps/chat.yaml': app,
        'chat/deploy/objects.yaml': objects,
        ...extra,
      });

    test('a name no delivered object has: a warning naming the entry and the objects of its kind', async () => {
      expect(
        await found(
          application([{ group: 'apps', kind: 'Deployment', name: 'chat-server', jsonPointers: ['/spec/replicas'] }], ['RespectIgnoreDifferences=true']),
        ),
      ).toEqual([
        {
          severity: 'warning',
          object: 'Application/openshift-gitops/chat',
          message: expect.stringMatching(
            /^spec\.ignoreDifferences\[0\] \(kind Deployment, group 'apps', name 'chat-server'\) matches no object the Application delivers: .*group, kind, name and namespace all match.*of that kind it delivers Deployment 'chat' in namespace 'chat-prod'/,
          ),
        },
      ]);
    });

    test('a namespace other than the destination the namespace-less Deployment is compared in', async () => {
      const [f] = await found(
        application([{ group: 'apps', kind: 'Deployment', namespace: 'chat', jsonPointers: ['/spec/replicas'] }], ['RespectIgnoreDifferences=true']),
      );
      expect(f).toMatchObject({ severity: 'warning', message: expect.stringMatching(/\(kind Deployment, group 'apps', namespace 'chat'\) matches no object/) });
    });

    test('a kind the Application delivers none of, by name', async () => {
      const [f] = await found(application([{ kind: 'ConfigMap', name: 'chat-settings', jsonPointers: ['/data'] }]));
      expect(f.message).toMatch(/it delivers no object of that group and kind/);
    });

    test('without RespectIgnoreDifferences, an entry keeping an autoscaled replica count the manifest sets: a note that sync still overwrites it', async () => {
      expect(await found(application([{ group: 'apps', kind: 'Deployment', name: 'chat', jsonPointers: ['/spec/replicas'] }]))).toEqual([
        {
          severity: 'info',
          object: 'Application/openshift-gitops/chat',
          message: expect.stringMatching(
            /^spec\.ignoreDifferences\[0\] keeps spec\.replicas, which an autoscaler .* writes, out of the diff, but Deployment 'chat' in namespace 'chat-prod' sets it itself \(2\) and syncPolicy\.syncOptions lacks RespectIgnoreDifferences=true: .*each sync still applies the manifest's value/,
          ),
        },
      ]);
    });

    test('a webhook caBundle the manifest sets, kept out by a jq path: the note too', async () => {
      const [f] = await found(
        application([
          { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
        ]),
        webhook,
      );
      expect(f).toMatchObject({
        severity: 'info',
        message: expect.stringMatching(/keeps caBundle, which a CA injector .* writes.*ValidatingWebhookConfiguration 'chat-policy' sets it itself/),
      });
    });

    test.each([
      [
        'the name and namespace of the delivered Deployment',
        [{ group: 'apps', kind: 'Deployment', name: 'chat', namespace: 'chat-prod', jsonPointers: ['/spec/replicas'] }],
        ['RespectIgnoreDifferences=true'],
        {},
        undefined,
      ],
      ['a glob kind with a name', [{ group: '*', kind: 'Deploy*', name: 'chat', jsonPointers: ['/metadata/labels'] }], [], {}, undefined],
      [
        'the replica count the manifest leaves to the autoscaler',
        [{ group: 'apps', kind: 'Deployment', name: 'chat', jsonPointers: ['/spec/replicas'] }],
        [],
        {},
        deployment(''),
      ],
      [
        'a name, where a Helm source renders the folder with its own values',
        [{ group: 'apps', kind: 'Deployment', name: 'chat-server' }],
        [],
        { helm: { valueFiles: ['values.yaml'] } },
        undefined,
      ],
      [
        'a name, where the source adds a kustomize name prefix',
        [{ group: 'apps', kind: 'Deployment', name: 'prod-chat' }],
        [],
        { kustomize: { namePrefix: 'prod-' } },
        undefined,
      ],
    ])('near miss: %s', async (_, entries, options, source, objects) => {
      expect(await found(application(entries, options, source), objects)).toEqual([]);
    });

    test('near miss: a folder whose kustomization builds a remote base the reader does not follow', async () => {
      const files = { 'chat/deploy/kustomization.yaml': 'resources:\n  - objects.yaml\n  - https://github.com/example-org/chat-base//deploy?ref=v1.2.0\n' };
      expect(await found(application([{ group: 'apps', kind: 'Deployment', name: 'chat-server' }]), undefined, files)).toEqual([]);
    });
  });
});
