import * as path from 'path';
import { readManifests } from '../../lib';
import { kubectlBinary } from '../setup/kubectl';
import { kubectlBuild, sorted, writeTree } from '../setup/kustomize-build';
import { cliInProcess } from '../util';

/**
 * A kustomization that lists a resource file that is not there: kustomize stops at the first missing resource
 * (api/internal/accumulator), so nothing of the root is built. The reader refuses it too, and still checks what the
 * root could build: the listed files that exist, and the files of its folder it names nowhere (the likely renamed
 * resource), with the kustomization's transformers, said once as a warning.
 */

const RUNTIME =
  'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: vllm-cuda\nspec:\n  containers:\n    - name: kserve-container\n      image: quay.io/example/vllm@sha256:' +
  'a'.repeat(64) +
  '\n';
const SERVICE = (runtime: string) =>
  `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: chat\nspec:\n  predictor:\n    model:\n      modelFormat: {name: vLLM}\n      runtime: ${runtime}\n      storageUri: oci://quay.io/example/model@sha256:${'b'.repeat(64)}\n`;

function tree(listed: string, runtime = 'vllm-cuda'): string {
  return writeTree(
    {
      'kustomization.yaml': `namespace: team-a\nresources:\n  - runtime.yaml\n  - ${listed}\npatches:\n  - path: patch-runtime.yaml\n`,
      'runtime.yaml': RUNTIME,
      'service-v2.yaml': SERVICE(runtime),
      // a patch file and a JSON 6902 list are no resources, named or not
      'patch-runtime.yaml': 'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: vllm-cuda\nspec:\n  multiModel: false\n',
      'ops.yaml': '- op: replace\n  path: /spec/replicas\n  value: 2\n',
    },
    'kustomize-missing-',
  );
}

describe('a kustomization whose resource file is missing', () => {
  test('kubectl refuses it; the reader refuses it too, and reads the unlisted resource file as if listed, with the namespace, once', () => {
    const dir = tree('service.yaml');
    expect(kubectlBuild(dir)).toEqual({ error: expect.stringMatching(/service\.yaml/) });
    const { manifests, errors, leftOut } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'error',
        kind: 'kustomize-build-fails',
        message: expect.stringMatching(/^lists 'service\.yaml', which does not exist/),
      }),
      expect.objectContaining({
        severity: 'warning',
        kind: 'kustomize-build-fails',
        message:
          "lists 'service.yaml', which does not exist, and names nowhere service-v2.yaml of its folder (likely the renamed resource): it is checked as if listed, although kustomize build fails; list it in resources instead of the missing name",
      }),
    ]);
    expect(manifests.map((m: any) => [path.basename(m.file ?? ''), m.manifest.kind, m.manifest.metadata.namespace])).toEqual([
      ['runtime.yaml', 'ServingRuntime', 'team-a'],
      ['service-v2.yaml', 'InferenceService', 'team-a'],
    ]);
    // the runtime patch applied, as in the build; nothing is left out twice
    expect((manifests[0].manifest as any).spec.multiModel).toBe(false);
    expect(leftOut.map((m) => path.basename(m.file ?? ''))).toEqual([]);
  });

  test('listing the renamed file, kubectl builds exactly the objects the reader read before, and nothing is said', () => {
    const broken = readManifests([tree('service.yaml')]).manifests.map((m) => m.manifest);
    const dir = tree('service-v2.yaml');
    const built = kubectlBuild(dir);
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    expect('objects' in built && sorted(built.objects)).toEqual(sorted(broken));
    expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted(broken));
  });

  test('through the CLI, the renamed file’s InferenceService is checked: its runtime name matches none of the build', async () => {
    const r = await cliInProcess(['check', tree('service.yaml', 'vllm-cuda-old'), '--json']);
    const findings = JSON.parse(r.out).findings as { rule: string; object: string }[];
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'runtime-not-found', object: 'InferenceService/team-a/chat' }));
    const ok = await cliInProcess(['check', tree('service.yaml'), '--json']);
    expect((JSON.parse(ok.out).findings as { rule: string }[]).filter((f) => f.rule === 'runtime-not-found')).toEqual([]);
  });

  test('with --kustomize kubectl, kustomize stops at the missing file and the reader builds what exists instead: one refusal, the renamed file checked', async () => {
    const r = await cliInProcess(['check', tree('service.yaml', 'vllm-cuda-old'), '--kustomize', kubectlBinary(), '--json']);
    const findings = JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[];
    expect(findings.filter((f) => f.rule === 'kustomize-build-fails').map((f) => [f.severity, f.message.slice(0, 40)])).toEqual([
      ['error', "lists 'service.yaml', which does not exi"],
      ['warning', "lists 'service.yaml', which does not exi"],
    ]);
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'runtime-not-found', object: 'InferenceService/team-a/chat' }));
  });

  test('a missing folder entry reads nothing in its place: only files are renamed resources', () => {
    const dir = writeTree(
      { 'kustomization.yaml': 'resources: [../gone]\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' },
      'kustomize-missing-',
    );
    const { errors } = readManifests([dir]);
    expect(errors).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^lists '\.\.\/gone', which does not exist/) })]);
    expect(kubectlBuild(dir)).toEqual({ error: expect.any(String) });
  });
});

describe('only a file named like the missing one is read in its place', () => {
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  const read = (files: Record<string, string>) =>
    readManifests([writeTree(files, 'kustomize-renamed-')])
      .manifests.map((m) => path.basename(m.file ?? ''))
      .sort();

  test('a leftover with an unrelated name is not read: the missing file was deleted, not renamed', () => {
    expect(read({ 'kustomization.yaml': 'resources: [model-serving.yaml, runtime.yaml]\n', 'runtime.yaml': CM('r'), 'object-store.yaml': CM('o') })).toEqual([
      'runtime.yaml',
    ]);
  });

  test('names a few letters apart, with a suffix, or sharing a distinctive word are read', () => {
    const k = 'resources: [inference-service.yaml, granite-runtime.yaml, settings.yaml]\n';
    expect(
      read({
        'kustomization.yaml': k,
        'inferenceservice.yaml': CM('i'),
        'runtime-granite-v2.yaml': CM('g'),
        'settings-old.yaml': CM('s'),
        'notes.yaml': CM('n'),
      }),
    ).toEqual(['inferenceservice.yaml', 'runtime-granite-v2.yaml', 'settings-old.yaml']);
  });
});

describe('a runtime file the kustomization leaves out, in a root kustomize refuses', () => {
  const findings = async (resources: string) => {
    const dir = writeTree(
      { 'kustomization.yaml': `namespace: team-a\nresources:\n${resources}`, 'service.yaml': SERVICE('vllm-cuda'), 'object-store.yaml': RUNTIME },
      'kustomize-failed-runtime-',
    );
    const r = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string }[]).filter((f) => ['runtime-not-found', 'kustomize-build-fails'].includes(f.rule));
  };

  test('the failed build is the one error: the root delivers nothing, so the unlisted runtime is no second mistake', async () => {
    expect(await findings('  - service.yaml\n  - chat-template.yaml\n')).toEqual([
      expect.objectContaining({ rule: 'kustomize-build-fails', severity: 'error' }),
    ]);
  });

  test('near miss: a root that builds and leaves the runtime file out is an error of runtime-not-found', async () => {
    expect(await findings('  - service.yaml\n')).toEqual([expect.objectContaining({ rule: 'runtime-not-found', severity: 'error' })]);
  });
});
