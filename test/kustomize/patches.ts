import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readManifests } from '../../lib';
import { kubectlBinary, kubectlEnv } from '../setup/kubectl';
import { casesAhead } from '../setup/kustomize-build';
import { cliInProcess, tempDir } from '../util';
import type { ManifestReadError } from '../../lib/manifests/loaded';

/** What the findings on remote bases not followed carry: the checks the reader could not verify behind them. */
const onRemoteBase = (errors: readonly ManifestReadError[]) =>
  errors.filter((e) => /is remote: not followed/.test(e.message)).flatMap((e) => e.consequences ?? []);

/**
 * kustomize-patch-invalid and the patches the reader applies, against kubectl kustomize: the reader refuses exactly
 * when kubectl does, and where it applies a patch, the objects it reads are the objects kubectl builds.
 */

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1
          env:
            - {name: A, value: "1"}
        - name: sidecar
          image: registry.example.com/sidecar:1
`;

const json6902 = (ops: string) => `resources: [d.yaml]\npatches:\n  - target: {kind: Deployment, name: web}\n    patch: |-\n${ops.replace(/^/gm, '      ')}\n`;

/** [case, kustomization, other files, what the reader says when it refuses (undefined: it accepts)] */
const CASES: [string, string, Record<string, string>, RegExp | undefined][] = [
  ['JSON 6902 replace', json6902('- op: replace\n  path: /spec/replicas\n  value: 3'), {}, undefined],
  [
    'JSON 6902 add to a list and remove',
    json6902('- op: add\n  path: /spec/template/spec/containers/0/args\n  value: ["--port=8080"]\n- op: remove\n  path: /spec/template/spec/containers/1'),
    {},
    undefined,
  ],
  [
    'JSON 6902 add at the end of a list (-)',
    json6902('- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: B, value: "2"}'),
    {},
    undefined,
  ],
  ['JSON 6902 with an unknown op', json6902('- op: ad\n  path: /spec/replicas\n  value: 3'), {}, /op "ad", not one of add/],
  ['JSON 6902 replace of a key not there (evanphx adds it)', json6902('- op: replace\n  path: /spec/paused\n  value: true'), {}, undefined],
  ['JSON 6902 move from a path that is not there', json6902('- op: move\n  from: /spec/nope\n  path: /spec/x'), {}, /the path does not exist/],
  ['JSON 6902 test that fails', json6902('- op: test\n  path: /spec/replicas\n  value: 2'), {}, /the value differs/],
  ['JSON 6902 without path', json6902('- op: remove'), {}, /has no path/],
  ['JSON 6902 move without from', json6902('- op: move\n  path: /spec/replicas'), {}, /has no from/],
  ['JSON 6902 replace under a parent that is not there', json6902('- op: replace\n  path: /spec/x/y\n  value: 1'), {}, /does not exist/],
  ['JSON 6902 remove of a path that is not there', json6902('- op: remove\n  path: /spec/template/spec/nodeSelector'), {}, /the path does not exist/],
  [
    'an inline patch that is not YAML',
    'resources: [d.yaml]\npatches:\n  - target: {kind: Deployment, name: web}\n    patch: "- op: [replace\\n"\n',
    {},
    /is not valid YAML/,
  ],
  [
    'a strategic-merge patch (containers merged by name, env merged by name)',
    'resources: [d.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      spec:\n        replicas: 2\n        template:\n          spec:\n            containers:\n              - name: web\n                image: registry.example.com/web:2\n                env:\n                  - {name: C, value: "3"}\n',
    {},
    undefined,
  ],
  [
    'patchesStrategicMerge from a file',
    'resources: [d.yaml]\npatchesStrategicMerge: [p.yaml]\n',
    {
      'p.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n          image: registry.example.com/sidecar:2\n',
    },
    undefined,
  ],
  [
    'patchesJson6902 from a file',
    'resources: [d.yaml]\npatchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: web}\n    path: p.yaml\n',
    { 'p.yaml': '- op: replace\n  path: /spec/replicas\n  value: 5\n' },
    undefined,
  ],
  [
    'a strategic-merge patch of a custom resource (its lists are replaced whole)',
    'resources: [d.yaml, isvc.yaml]\npatches:\n  - patch: |-\n      apiVersion: serving.kserve.io/v1beta1\n      kind: InferenceService\n      metadata: {name: llm}\n      spec:\n        predictor:\n          containers:\n            - name: kserve-container\n              args: [--b]\n',
    {
      'isvc.yaml':
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: llm}\nspec:\n  predictor:\n    containers:\n      - {name: kserve-container, image: x, args: [--a]}\n      - {name: side, image: y}\n',
    },
    undefined,
  ],
  [
    'a strategic-merge patch of an object not in the build',
    'resources: [d.yaml]\npatchesStrategicMerge:\n  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: other}\n    spec: {replicas: 2}\n',
    {},
    /not in this build/,
  ],
  [
    'a patch with both patch and path',
    'resources: [d.yaml]\npatches:\n  - path: p.yaml\n    patch: "{}"\n',
    { 'p.yaml': '{}' },
    /sets both 'patch' and 'path'/,
  ],
  ['a patch file that is missing', 'resources: [d.yaml]\npatches:\n  - path: gone.yaml\n', {}, /does not exist/],
  [
    'a patch file outside the folder',
    'resources: [d.yaml]\npatches:\n  - path: ../p.yaml\n    target: {kind: Deployment}\n',
    {},
    /outside the kustomization's folder/,
  ],
];

function build(kustomization: string, files: Record<string, string>): string {
  const top = tempDir('kustomize-patch-');
  fs.writeFileSync(path.join(top, 'p.yaml'), '- op: replace\n  path: /spec/replicas\n  value: 4\n');
  const dir = path.join(top, 'root');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization);
  fs.writeFileSync(path.join(dir, 'd.yaml'), DEPLOYMENT);
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

function kubectl(dir: string): { objects: unknown[] } | { error: string } {
  try {
    return {
      objects: YAML.parseAllDocuments(execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe', env: kubectlEnv() })).map((d) =>
        d.toJS(),
      ),
    };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e) };
  }
}

describe('kustomize patches, against kubectl kustomize', () => {
  // every case's folder written and its kubectl build started by the first case (buildsAhead)
  const ahead = casesAhead(CASES, ([, kustomization, files]) => build(kustomization, files));
  test.each(CASES)('%s', async (name, _kustomization, _files, says) => {
    const { dir, built: building } = ahead(name);
    const { manifests, errors } = readManifests([dir]);
    const refusals = errors.filter((e) => e.severity === 'error');
    if (says) expect(refusals.map((e) => e.message)).toContainEqual(expect.stringMatching(says));
    else expect(refusals).toEqual([]);
    // nothing is left unapplied in these simple cases
    expect(errors.filter((e) => e.severity === 'warning')).toEqual([]);
    const built = await building;
    expect({ kubectlRefuses: 'error' in built, readerRefuses: refusals.length > 0 }).toEqual({
      kubectlRefuses: refusals.length > 0,
      readerRefuses: refusals.length > 0,
    });
    if ('objects' in built) expect(manifests.map((m) => m.manifest)).toEqual(built.objects);
  });

  test('a broken inline patch is a kustomize-patch-invalid error naming the kustomization and the entry, and the fixed one is not', async () => {
    const broken = build(json6902('- op: replace\n  path: /spec/replicas\n  value: 2\n- op: ad\n  path: /spec/paused\n  value: true'), {});
    const r = await cliInProcess(['check', broken, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).findings).toContainEqual(
      expect.objectContaining({
        rule: 'kustomize-patch-invalid',
        severity: 'error',
        file: path.join(broken, 'kustomization.yaml'),
        message: expect.stringMatching(/^patches\[0\] operation 2 has op "ad", not one of add, remove, replace, move, copy, test: kustomize build fails/),
      }),
    );
    const fixed = build(json6902('- op: replace\n  path: /spec/replicas\n  value: 2'), {});
    const ok = await cliInProcess(['check', fixed, '--json']);
    expect(JSON.parse(ok.out).findings.filter((f: { rule: string }) => f.rule === 'kustomize-patch-invalid' || f.rule === 'input-not-followed')).toEqual([]);
  });

  test('an operation without value is built by kustomize with null: a kustomize-patch-invalid warning, and the null is what the reader reads too', () => {
    const dir = build(json6902('- op: replace\n  path: /spec/replicas'), {});
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'warning',
        kind: 'kustomize-patch-invalid',
        message: expect.stringMatching(/^patches\[0\] operation 1 \(replace \/spec\/replicas\) has no value: kustomize sets null/),
      }),
    ]);
    const built = kubectl(dir);
    expect('objects' in built && built.objects).toEqual(manifests.map((m) => m.manifest));
  });

  // kustomize adds every resource, remote ones included, before any patch or replicas entry runs (kusttarget.go
  // AccumulateTarget, then the transformers): an object the reader did not build may come from the remote base
  test.each([
    ['a strategic-merge patch without target', 'patches: [{path: argocd.yaml}]\n', /patches\[0\] patches ArgoCD 'openshift-gitops', which is not in /],
    [
      'a patchesStrategicMerge entry',
      'patchesStrategicMerge: [argocd.yaml]\n',
      /patchesStrategicMerge\[0\] patches ArgoCD 'openshift-gitops', which is not in /,
    ],
    ['a replicas entry', 'replicas: [{name: gitops-server, count: 2}]\n', /replicas names 'gitops-server', which is no Deployment/],
    // resWrangler.appendReplaceOrMerge looks for the object among every resource accumulated, remote ones included
    [
      'a generator that replaces a ConfigMap',
      'configMapGenerator: [{name: gitops-config, behavior: replace, literals: [a=1]}]\n',
      /configMapGenerator\[0\] has behavior: replace, but no ConfigMap 'gitops-config' is in /,
    ],
    [
      'a generator that merges into a ConfigMap',
      'configMapGenerator: [{name: gitops-config, behavior: merge, literals: [a=1]}]\n',
      /configMapGenerator\[0\] has behavior: merge, but no ConfigMap 'gitops-config' is in /,
    ],
  ])('%s whose object may come from a remote base is a warning; without the remote base an error kubectl agrees with', (_, entry, says) => {
    const files = {
      'argocd.yaml': 'apiVersion: argoproj.io/v1beta1\nkind: ArgoCD\nmetadata:\n  name: openshift-gitops\nspec:\n  rbac: {defaultPolicy: role:readonly}\n',
    };
    const remote = build(`resources:\n  - d.yaml\n  - https://github.com/example/gitops-catalog/openshift-gitops-operator/instance?ref=main\n${entry}`, files);
    const withRemote = readManifests([remote]).errors;
    expect(withRemote.filter((e) => e.severity === 'error')).toEqual([]);
    // with the remote base unread, nothing claims a failed build: what the reader could not verify is said on the
    // remote base's warning, the likely source of the object, not as a finding of its own
    expect(withRemote.filter((e) => says.test(e.message))).toEqual([]);
    const warned = onRemoteBase(withRemote).find((c) => says.test(c.message));
    expect(warned?.message).toMatch(/^not verifiable: .*; the object may come from this remote base$/);
    expect(warned?.message).not.toMatch(/build fails|refuses the build|nothing of this root deploys/);
    const local = build(`resources: [d.yaml]\n${entry}`, files);
    expect(readManifests([local]).errors).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(says) }));
    expect(kubectl(local)).toEqual({ error: expect.any(String) });
  });

  test('transformer plugins change objects but add none: a replicas entry naming no object stays an error beside them', () => {
    const dir = build('resources: [d.yaml]\ntransformers: [labels.yaml]\nreplicas: [{name: gitops-server, count: 2}]\n', {
      'labels.yaml':
        'apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: team\nlabels:\n  team: ml\nfieldSpecs:\n  - path: metadata/labels\n    create: true\n',
    });
    expect(readManifests([dir]).errors).toContainEqual(
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/replicas names 'gitops-server', which is no Deployment/) }),
    );
    expect(kubectl(dir)).toEqual({ error: expect.stringMatching(/gitops-server/) });
  });

  test('a patch whose object was in a resource file the kustomization misses is not said to select nothing: the build fails anyway', () => {
    const dir = build(
      'resources: [d.yaml, service.yaml]\npatches:\n  - target: {kind: Service, name: web}\n    patch: "- {op: replace, path: /spec/type, value: NodePort}"\n',
      {},
    );
    const { errors } = readManifests([dir]);
    expect(errors.filter((e) => /selects no object/.test(e.message))).toEqual([]);
    expect(errors).toContainEqual(
      expect.objectContaining({ severity: 'error', kind: 'kustomize-build-fails', message: expect.stringMatching(/service\.yaml/) }),
    );
  });

  test('a strategic-merge patch of an object from a file the load restrictor refuses is a consequence of that refusal, as kubectl stops there', () => {
    const top = tempDir('kustomize-refused-');
    fs.mkdirSync(path.join(top, 'shared'));
    fs.writeFileSync(path.join(top, 'shared', 'd.yaml'), DEPLOYMENT);
    fs.mkdirSync(path.join(top, 'base'));
    fs.writeFileSync(path.join(top, 'base', 'kustomization.yaml'), 'resources: [../shared/d.yaml]\n');
    fs.mkdirSync(path.join(top, 'overlay'));
    const patch = '  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {replicas: 3}\n';
    fs.writeFileSync(path.join(top, 'overlay', 'kustomization.yaml'), `resources: [../base]\npatchesStrategicMerge:\n${patch}`);
    const { errors } = readManifests([path.join(top, 'overlay')]);
    expect(errors.map((e) => [e.severity, e.kind, e.file.slice(top.length)])).toEqual([['error', 'kustomize-build-fails', '/base/kustomization.yaml']]);
    expect(errors[0].consequences).toEqual([
      {
        file: path.join(top, 'overlay', 'kustomization.yaml'),
        message: expect.stringMatching(/^patchesStrategicMerge\[0\] patches Deployment 'web', which is not in this build/),
      },
    ]);
    const built = kubectl(path.join(top, 'overlay'));
    expect('error' in built && built.error).toMatch(/security; file .*d\.yaml' is not in or below/);
    // a patch of an object the build holds, in another version, is wrong whatever else kustomize refuses: said still
    fs.writeFileSync(path.join(top, 'base', 'd.yaml'), DEPLOYMENT);
    fs.writeFileSync(path.join(top, 'base', 'kustomization.yaml'), 'resources: [d.yaml, ../shared/d.yaml]\n');
    fs.writeFileSync(
      path.join(top, 'overlay', 'kustomization.yaml'),
      `resources: [../base]\npatchesStrategicMerge:\n${patch.replace('apps/v1', 'apps/v1beta2')}`,
    );
    expect(readManifests([path.join(top, 'overlay')]).errors.map((e) => [e.kind, e.file.slice(top.length)])).toEqual([
      ['kustomize-build-fails', '/base/kustomization.yaml'],
      ['kustomize-patch-invalid', '/overlay/kustomization.yaml'],
    ]);
    fs.writeFileSync(path.join(top, 'overlay', 'kustomization.yaml'), `resources: [../base]\npatchesStrategicMerge:\n${patch}`);
    // near miss: the same object inside the base's folder builds, and the patch applies
    fs.writeFileSync(path.join(top, 'base', 'd.yaml'), DEPLOYMENT);
    fs.writeFileSync(path.join(top, 'base', 'kustomization.yaml'), 'resources: [d.yaml]\n');
    expect(readManifests([path.join(top, 'overlay')]).errors).toEqual([]);
  });

  test('a patch that selects by label is reported as not applied (a warning), never guessed', () => {
    const dir = build(
      'resources: [d.yaml]\npatches:\n  - target: {labelSelector: app=web}\n    patch: "- {op: replace, path: /spec/replicas, value: 2}"\n',
      {},
    );
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^patches\[0\] selects by label or annotation/) })]);
    expect((manifests[0].manifest as any).spec.replicas).toBe(1);
  });
});

// kustomize's PatchTransformer applies a patch to m.Select(target) and says nothing when that is empty; kyaml resid
// Gvk.IsSelected compares group, version and kind one by one, so `version: apps/v1` matches no Deployment
describe('a patch target that selects nothing, against kubectl kustomize', () => {
  const replicas = '    patch: "- {op: replace, path: /spec/replicas, value: 3}"\n';
  const replicasOf = (objects: unknown[]) => (objects.find((o: any) => o.kind === 'Deployment') as any).spec.replicas;

  test.each([
    [
      'a version holding group/version',
      '{version: apps/v1, kind: Deployment, name: web}',
      /version 'apps\/v1' holds a group\/version.*write group: apps, version: v1 to select Deployment 'web'/,
      'error',
    ],
    [
      'a group that is not the object’s',
      '{group: extensions, kind: Deployment, name: web}',
      /nearest object is Deployment 'web' \(group apps, version v1\)/,
      'error',
    ],
    // naming nothing of the build: perhaps a patch kept for an optional component
    ['a name no object has', '{kind: Deployment, name: webb}', /selects no object of this build.*point it at an object of the build, or remove it/, 'warning'],
    [
      'a namespace no object is in',
      '{kind: Deployment, name: web, namespace: other}',
      /Deployment 'web' \(group apps, version v1\) has no namespace when the patches run/,
      'error',
    ],
  ])(
    '%s: kubectl builds without applying it, the reader says so (an error where the target was meant for an object of the build)',
    (_, target, says, severity) => {
      const dir = build(`resources: [d.yaml]\npatches:\n  - target: ${target}\n${replicas}`, {});
      const built = kubectl(dir);
      expect('objects' in built && replicasOf(built.objects)).toBe(1);
      const { manifests, errors } = readManifests([dir]);
      expect(replicasOf(manifests.map((m) => m.manifest))).toBe(1);
      expect(errors).toEqual([
        expect.objectContaining({
          severity,
          kind: 'kustomize-patch-invalid',
          file: path.join(dir, 'kustomization.yaml'),
          message: expect.stringMatching(
            new RegExp(`^patches\\[0\\] target .* selects no object of this build: kustomize applies the patch to nothing, without an error`),
          ),
        }),
      ]);
      expect(errors[0].message).toMatch(says);
    },
  );

  test('the same target with group and version apart selects the Deployment: applied, as kubectl applies it, and nothing said', () => {
    const dir = build(`resources: [d.yaml]\npatches:\n  - target: {group: apps, version: v1, kind: Deployment, name: web}\n${replicas}`, {});
    const built = kubectl(dir);
    expect('objects' in built && replicasOf(built.objects)).toBe(3);
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    expect(replicasOf(manifests.map((m) => m.manifest))).toBe(3);
  });

  test('a patchesJson6902 entry that selects nothing is said too', () => {
    const dir = build('resources: [d.yaml]\npatchesJson6902:\n  - target: {group: apps, version: v1beta1, kind: Deployment, name: web}\n    path: p.yaml\n', {
      'p.yaml': '- op: replace\n  path: /spec/replicas\n  value: 5\n',
    });
    expect('objects' in kubectl(dir)).toBe(true);
    expect(readManifests([dir]).errors).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /^patchesJson6902\[0\] target \{group: apps, version: v1beta1, kind: Deployment, name: web\} selects no object.*version v1\)/,
        ),
      }),
    ]);
  });

  test('in a Component, or after a remote base the reader did not follow, it is a warning', () => {
    const dir = build('resources: [d.yaml]\ncomponents: [c]\n', {});
    fs.mkdirSync(path.join(dir, 'c'));
    fs.writeFileSync(
      path.join(dir, 'c', 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target: {kind: StatefulSet, name: web}\n${replicas}`,
    );
    expect('objects' in kubectl(dir)).toBe(true);
    expect(readManifests([dir]).errors).toEqual([
      expect.objectContaining({
        severity: 'warning',
        kind: 'kustomize-patch-invalid',
        message: expect.stringMatching(/selects no object.*this Component is meant for several builds/),
      }),
    ]);
    const remote = build(
      `resources:\n  - d.yaml\n  - https://github.com/example/catalog/web?ref=main\npatches:\n  - target: {kind: StatefulSet, name: web}\n${replicas}`,
      {},
    );
    const errors = readManifests([remote]).errors;
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    expect(onRemoteBase(errors)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^not verifiable: .*selects no object of the part of this build the reader followed.*may come from this remote base/),
      }),
    ]);
    // near miss: behind a step of another kind (a Helm chart the reader does not render), a finding of its own
    const chart = build(
      `resources: [d.yaml]\nhelmCharts:\n  - {name: web, repo: https://charts.example.com, version: 1.0.0}\npatches:\n  - target: {kind: StatefulSet, name: web}\n${replicas}`,
      {},
    );
    expect(readManifests([chart]).errors).toContainEqual(
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^not verifiable: .*did not follow all of this build/) }),
    );
  });

  test('a root on a remote base whose patches and replacement name only objects of that base: each is not verifiable, none says the build fails or the patch has no effect', () => {
    const root = build(
      [
        'resources:',
        '  - https://github.com/example-org/inference-stack//deploy/base?ref=v0.3.0',
        'patches:',
        '  - target: {kind: Deployment, name: model-server}',
        '    patch: |-',
        '      - op: replace',
        '        path: /spec/replicas',
        '        value: 2',
        '  - path: decode.yaml',
        'replacements:',
        '  - source: {kind: ConfigMap, name: model-settings, fieldPath: data.model}',
        '    targets:',
        '      - select: {kind: Deployment, name: decode}',
        '        fieldPaths: [spec.template.spec.containers.0.args.0]',
        '',
      ].join('\n'),
      { 'decode.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: decode\nspec:\n  replicas: 3\n' },
    );
    const errors = readManifests([root]).errors;
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    // one finding, the remote base's, carries the three
    expect(errors.filter((e) => /patches\[|replacement 1/.test(e.message))).toEqual([]);
    const judged = onRemoteBase(errors);
    expect(judged.map((e) => e.message.split(' ').slice(0, 4).join(' '))).toEqual([
      'not verifiable: patches[1] patches',
      'not verifiable: patches[0] target',
      'not verifiable: replacement 1:',
    ]);
    for (const e of judged) expect(e.message).not.toMatch(/build fails|refuses the build|cannot sync|has no effect/);
  });
});

// kustomize resolves a strategic-merge patch without a target by its own id (resid ResId.Equals: group, version,
// kind, name and namespace), so a patch written for another version of the kind matches nothing and fails the build
describe('a strategic-merge patch without a target is matched on its apiVersion too, as kubectl kustomize matches it', () => {
  const dsc = (version: string, field: string) =>
    `apiVersion: datasciencecluster.opendatahub.io/${version}\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    ${field}:\n      managementState: Managed\n`;

  test('a v1 patch on a v2 object: kubectl refuses the build, and so does the reader, naming both versions', () => {
    const dir = build('resources: [dsc.yaml]\npatches:\n  - path: patch.yaml\n', {
      'dsc.yaml': dsc('v2', 'aipipelines'),
      'patch.yaml': dsc('v1', 'datasciencepipelines'),
    });
    expect(kubectl(dir)).toEqual({ error: expect.stringMatching(/no resource matches strategic merge patch/) });
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /patches DataScienceCluster 'default-dsc' as datasciencecluster\.opendatahub\.io\/v1, but the build's one is datasciencecluster\.opendatahub\.io\/v2/,
        ),
      }),
    );
    // not merged into the v2 object
    expect(JSON.stringify(manifests.map((m) => m.manifest))).not.toContain('datasciencepipelines');
  });

  test('near miss: the same version merges, as kubectl merges it', () => {
    const dir = build('resources: [dsc.yaml]\npatches:\n  - path: patch.yaml\n', { 'dsc.yaml': dsc('v2', 'aipipelines'), 'patch.yaml': dsc('v2', 'kserve') });
    const built = kubectl(dir);
    expect('objects' in built && JSON.stringify(built.objects)).toContain('kserve');
    const { manifests, errors } = readManifests([dir]);
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    expect(JSON.stringify(manifests.map((m) => m.manifest))).toContain('kserve');
  });
});
