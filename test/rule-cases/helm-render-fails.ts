import { treeRuleFound } from '../util';

const app = (helm: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: chat, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source:',
    '    repoURL: https://git.example.com/team/models.git',
    '    path: deploy/chat',
    ...(helm ? ['    helm:', ...helm.split('\n').map((l) => `      ${l}`)] : []),
    '  destination: {server: https://kubernetes.default.svc, namespace: chat}',
    '  syncPolicy: {syncOptions: [CreateNamespace=true]}',
  ].join('\n');

const chart = (template: string, values = 'size: 1\n') => ({
  'deploy/chat/Chart.yaml': 'apiVersion: v2\nname: chat\nversion: 1.0.0\n',
  'deploy/chat/values.yaml': values,
  'deploy/chat/templates/config.yaml': template,
});

const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chat\ndata:\n';

const found = (files: Record<string, string>) => treeRuleFound('helm-render-fails', 'helm-render-', files);
const notRendered = async (files: Record<string, string>) =>
  (await treeRuleFound('input-not-followed', 'helm-render-', files)).filter((f) => f.message.includes('is a Helm chart not rendered'));

describe('helm-render-fails', () => {
  test('a required value the delivery leaves out: an error naming the chart, the Application and the message', async () => {
    const f = await found({ 'apps/chat.yaml': app(''), ...chart(`${CONFIG}  model: {{ required "set model" .Values.model }}\n`) });
    expect(f).toEqual([
      {
        severity: 'error',
        object: expect.stringMatching(/deploy\/chat$/),
        message: expect.stringMatching(/Application\/argocd\/chat delivers it: .*set model/),
      },
    ]);
  });

  test('fail, a field of nil and output that is no YAML fail as helm fails', async () => {
    for (const t of [`{{ fail "unsupported" }}`, `${CONFIG}  x: {{ .Values.none.deeper }}\n`, `${CONFIG}  x: [open\n`]) {
      expect((await found({ 'apps/chat.yaml': app(''), ...chart(t) })).map((x) => x.severity)).toEqual(['error']);
    }
  });

  test('near miss: the Application gives the required value (parameters, values, valuesObject)', async () => {
    const t = `${CONFIG}  model: {{ required "set model" .Values.model }}\n`;
    for (const helm of ['parameters:\n- {name: model, value: granite}', 'values: |\n  model: granite', 'valuesObject: {model: granite}']) {
      expect(await found({ 'apps/chat.yaml': app(helm), ...chart(t) })).toEqual([]);
    }
  });

  test('a values file the repository does not hold, the tree being its git work tree from the root: an error (manifest generation fails)', async () => {
    const t = `${CONFIG}  model: {{ .Values.model }}\n`;
    const files = { '.git/HEAD': 'ref: refs/heads/main\n', 'apps/chat.yaml': app('valueFiles: [values-prod.yaml]'), ...chart(t) };
    expect(await found(files)).toEqual([
      {
        severity: 'error',
        object: expect.stringMatching(/deploy\/chat$/),
        message: expect.stringMatching(/values file values-prod\.yaml is not in the repository .*manifest generation fails/),
      },
    ]);
    expect(await found({ ...files, 'apps/chat.yaml': app('valueFiles: [values-prod.yaml]\nignoreMissingValueFiles: true') })).toEqual([]);
  });

  test('near miss: a values file outside the input, or a random function, leaves the chart unrendered with a warning, no error', async () => {
    const t = `${CONFIG}  model: {{ required "set model" .Values.model }}\n`;
    const missing = { 'apps/chat.yaml': app('valueFiles: [../../env/prod.yaml]'), ...chart(t) };
    expect(await found(missing)).toEqual([]);
    expect(await notRendered(missing)).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/values file \.\.\/\.\.\/env\/prod\.yaml is not in the checked files/) }),
    ]);
    const random = { 'apps/chat.yaml': app(''), ...chart(`${CONFIG}  token: {{ randAlphaNum 12 }}\n`) };
    expect(await found(random)).toEqual([]);
    expect(await notRendered(random)).toEqual([expect.objectContaining({ message: expect.stringMatching(/randAlphaNum, whose output is random/) })]);
  });

  const appSet = (helm: string, extra = '') =>
    [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: ApplicationSet',
      'metadata: {name: chat-envs, namespace: argocd}',
      'spec:',
      '  generators:',
      '  - list:',
      '      elements:',
      '      - {stage: test, ns: chat-test}',
      '      - {stage: live, ns: chat-live}',
      ...(extra ? [extra] : []),
      '  template:',
      "    metadata: {name: 'chat-{{stage}}'}",
      '    spec:',
      '      project: default',
      '      source:',
      '        repoURL: https://git.example.com/team/models.git',
      '        path: deploy/chat',
      '        helm:',
      ...helm.split('\n').map((l) => `          ${l}`),
      "      destination: {server: https://kubernetes.default.svc, namespace: '{{ns}}'}",
    ].join('\n');

  test("an ApplicationSet's list elements each make an Application whose values file the repository does not hold: an error per element, naming it", async () => {
    const t = `${CONFIG}  model: {{ .Values.model }}\n`;
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'apps/chat.yaml': appSet('valueFiles: [values.yaml, "values-{{stage}}.yaml"]'),
      ...chart(t),
      'deploy/chat/values-live.yaml': 'model: granite\n',
    };
    expect(await found(files)).toEqual([
      {
        severity: 'error',
        object: expect.stringMatching(/deploy\/chat$/),
        message:
          "helm template fails on this chart as Application/argocd/chat-test (generated by ApplicationSet/argocd/chat-envs's list generator element {stage: test, ns: chat-test}) delivers it: " +
          "its values file values-test.yaml is not in the repository (deploy/chat/values-test.yaml does not exist at its root's git work tree), so Argo CD's manifest generation fails",
      },
    ]);
  });

  test('near miss: ignoreMissingValueFiles, every values file present, or a generator with its own template (not followed)', async () => {
    const t = `${CONFIG}  model: {{ .Values.model }}\n`;
    const base = { '.git/HEAD': 'ref: refs/heads/main\n', ...chart(t) };
    const ignore = appSet('valueFiles: ["values-{{stage}}.yaml"]\nignoreMissingValueFiles: true');
    expect(await found({ ...base, 'apps/chat.yaml': ignore })).toEqual([]);
    const both = { 'deploy/chat/values-test.yaml': 'model: a\n', 'deploy/chat/values-live.yaml': 'model: b\n' };
    expect(await found({ ...base, ...both, 'apps/chat.yaml': appSet('valueFiles: ["values-{{stage}}.yaml"]') })).toEqual([]);
    const own = appSet('valueFiles: ["values-{{stage}}.yaml"]', '      template: {metadata: {labels: {team: chat}}}');
    expect(await found({ ...base, 'apps/chat.yaml': own })).toEqual([]);
  });

  test("the chart an ApplicationSet's element delivers is rendered with that element's values, in its namespace", async () => {
    const t = `${CONFIG}  model: {{ required "set model" .Values.model }}\n`;
    const files = {
      'apps/chat.yaml': appSet('parameters:\n- {name: model, value: "granite-{{stage}}"}'),
      ...chart(t),
    };
    expect(await found(files)).toEqual([]);
    expect(await notRendered(files)).toEqual([]);
  });
});
