import * as path from 'path';
import * as YAML from 'yaml';
import { cliInProcess, ruleFindings, writeTree } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('flux-dependency-not-found', docs);

const kustomization = (name: string, namespace: string, dependsOn?: Doc[]): Doc => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace },
  spec: {
    interval: '30m',
    path: `./${name}`,
    prune: true,
    sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
    ...(dependsOn ? { dependsOn } : {}),
  },
});
const release = (name: string, namespace: string, dependsOn?: Doc[]): Doc => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, namespace },
  spec: {
    interval: '30m',
    chart: { spec: { chart: name, sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } },
    ...(dependsOn ? { dependsOn } : {}),
  },
});

describe('flux-dependency-not-found', () => {
  test('a dependsOn entry without namespace naming a Kustomization defined only in another namespace: an error with the namespace to write', () => {
    expect(found([kustomization('storage-operator', 'storage'), kustomization('inference', 'flux-system', [{ name: 'storage-operator' }])])).toEqual([
      expect.stringMatching(
        /^error Kustomization\/flux-system\/inference: spec\.dependsOn\[0\] names Kustomization 'storage-operator', with no namespace, so in the object's own, 'flux-system', but the tree and its repository define Kustomization 'storage-operator' only in 'storage' .*never reconciles this object; write namespace: storage$/,
      ),
    ]);
  });

  test('a HelmRelease waits for HelmReleases; a namespace written wrongly is judged too', () => {
    expect(found([release('database', 'data'), release('gateway', 'serving', [{ name: 'database', namespace: 'db' }])])).toEqual([
      expect.stringMatching(/^error HelmRelease\/serving\/gateway: spec\.dependsOn\[0\] names HelmRelease 'database' in namespace 'db', but .* only in 'data'/),
    ]);
  });

  test('near misses: the namespace written, a namesake in the own namespace, a name the files do not define, another kind of the same name', () => {
    expect(
      found([kustomization('storage-operator', 'storage'), kustomization('inference', 'flux-system', [{ name: 'storage-operator', namespace: 'storage' }])]),
    ).toEqual([]);
    expect(
      found([
        kustomization('storage-operator', 'storage'),
        kustomization('storage-operator', 'flux-system'),
        kustomization('inference', 'flux-system', [{ name: 'storage-operator' }]),
      ]),
    ).toEqual([]);
    expect(found([kustomization('inference', 'flux-system', [{ name: 'cert-manager' }])])).toEqual([]);
    expect(found([release('storage-operator', 'storage'), kustomization('inference', 'flux-system', [{ name: 'storage-operator' }])])).toEqual([]);
  });
});

describe('flux-dependency-not-found: a dependency no applied file defines', () => {
  const yaml = (...docs: Doc[]) => docs.map((d) => YAML.stringify(d)).join('---\n');
  const source = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { url: 'https://git.example.com/lab.git' },
  };
  const chat = kustomization('chat', 'assistants', [{ name: 'chat-model', namespace: 'assistants' }]);
  const model = kustomization('chat-model', 'assistants');
  const run = async (files: Record<string, string>) => {
    const dir = writeTree('flux-dependency-', files);
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return {
      dir,
      found: (report.findings as { rule: string; severity: string; object: string; message: string }[])
        .filter((f) => f.rule === 'flux-dependency-not-found')
        .map((f) => `${f.severity} ${f.object}: ${f.message}`),
    };
  };

  test('defined only in a switched-off file (ks.dis): an error naming the file', async () => {
    const { dir, found } = await run({ 'apps/chat/ks.yaml': yaml(chat), 'apps/chat-model/ks.dis': yaml(model) });
    expect(found).toEqual([
      `error Kustomization/assistants/chat: spec.dependsOn[0] names Kustomization 'chat-model' in namespace 'assistants', which only ${path.join(dir, 'apps/chat-model/ks.dis')} defines, a file Flux never applies (kustomize and Flux read *.yaml, *.yml and *.json files): ` +
        `the controller never finds it ("dependency 'assistants/chat-model' not found"), and never reconciles this object; restore the file (rename it to .yaml and list it in its kustomization), or remove the dependsOn entry`,
    ]);
  });

  test('defined only in a file renamed ks.yaml.disabled, the dependent checked from its own folder: an error', async () => {
    const { found } = await run({
      'kubernetes/apps/ai/kustomization.yaml': 'resources: [open-chat/ks.yaml]\n',
      'kubernetes/apps/ai/open-chat/ks.yaml': yaml(chat),
      'kubernetes/apps/ai/chat-model/ks.yaml.disabled': yaml(model),
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^error Kustomization\/assistants\/chat: spec\.dependsOn\[0\] names Kustomization 'chat-model' in namespace 'assistants', which only .*chat-model\/ks\.yaml\.disabled defines, a file Flux never applies/,
      ),
    ]);
  });

  test('near miss: the dependency defined in another cluster folder, which a parent Kustomization applies: silent', async () => {
    const parent = {
      ...kustomization('cluster-shared', 'flux-system'),
      spec: { ...kustomization('cluster-shared', 'flux-system').spec, path: './clusters/shared' },
    };
    const { found } = await run({
      'flux/sync.yaml': yaml(source, parent),
      'clusters/main/apps/chat/ks.yaml': yaml(chat),
      'clusters/shared/chat-model/ks.yaml': yaml(model),
    });
    expect(found).toEqual([]);
  });

  test("defined only in a file its folder's kustomization does not list: an error", async () => {
    const { found } = await run({
      'apps/kustomization.yaml': 'resources: [chat/ks.yaml]\n',
      'apps/chat/ks.yaml': yaml(chat),
      'apps/chat-model/ks.yaml': yaml(model),
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^error Kustomization\/assistants\/chat: .*which only .*chat-model\/ks\.yaml defines, a file no kustomization lists: the controller never finds it/,
      ),
    ]);
  });

  test("defined nowhere in a repository that is the cluster's Flux root and defines other Kustomizations there: a warning", async () => {
    const { found } = await run({
      'flux/sync.yaml': yaml(source),
      'apps/chat/ks.yaml': yaml(chat),
      'apps/docs/ks.yaml': yaml(kustomization('docs', 'assistants')),
    });
    expect(found).toEqual([
      "warning Kustomization/assistants/chat: spec.dependsOn[0] names Kustomization 'chat-model' in namespace 'assistants', which no file of the tree or its repository defines (it defines 1 other Kustomization there): " +
        "unless another repository's sync creates it, the controller never finds it (\"dependency 'assistants/chat-model' not found\"), and never reconciles this object; add the Kustomization, or remove the dependsOn entry",
    ]);
  });

  test.each([
    ['the dependency applied', { 'apps/chat/ks.yaml': yaml(chat), 'apps/chat-model/ks.yaml': yaml(model) }],
    [
      'defined nowhere, with no Flux root in the repository (another repository may make it)',
      { 'apps/chat/ks.yaml': yaml(chat), 'apps/docs/ks.yaml': yaml(kustomization('docs', 'assistants')) },
    ],
    [
      'defined nowhere, beside a ResourceSet that may generate it',
      {
        'flux/sync.yaml': yaml(source, {
          apiVersion: 'fluxcd.controlplane.io/v1',
          kind: 'ResourceSet',
          metadata: { name: 'apps', namespace: 'assistants' },
          spec: {},
        }),
        'apps/chat/ks.yaml': yaml(chat),
        'apps/docs/ks.yaml': yaml(kustomization('docs', 'assistants')),
      },
    ],
    [
      'the waiting Kustomization itself in a file no kustomization lists',
      {
        'apps/kustomization.yaml': 'resources: [docs/ks.yaml]\n',
        'apps/docs/ks.yaml': yaml(kustomization('docs', 'assistants')),
        'apps/chat/ks.yaml': yaml(chat),
        'apps/chat-model/ks.dis': yaml(model),
      },
    ],
  ])('near miss, %s: silent', async (_, files) => {
    expect((await run(files as Record<string, string>)).found).toEqual([]);
  });
});
