import { runChecks } from '../../lib';
import { acceleratorBuildOf, vllmVersionOfImageReference } from '../../lib/catalog/vllm-images';
import { vllmServerEntrypoint } from '../../lib/check/command-line';
import { readManifests } from '../../lib/manifests/read-manifests';
import { dockerfileBase, treeImages } from '../../lib/manifests/script-images';
import { derivedImageOf, withDerivedImages } from '../../lib/private/image-lineage';
import { writeTree } from '../setup/kustomize-build';

describe("dockerfileBase: the image a Dockerfile's final stage starts from", () => {
  test.each([
    ['FROM vllm/vllm-openai:v0.8.5\nRUN pip install extra\n', 'vllm/vllm-openai:v0.8.5', false],
    ['ARG VLLM_TAG=v0.6.3\nFROM vllm/vllm-openai:${VLLM_TAG}\n', 'vllm/vllm-openai:v0.6.3', false],
    ['FROM --platform=linux/amd64 vllm/vllm-openai:v0.9.2 AS base\nFROM base\nCOPY app /app\n', 'vllm/vllm-openai:v0.9.2', false],
    [
      'FROM python:3.12 AS build\nRUN make\nFROM vllm/vllm-openai:v0.9.2\nCOPY --from=build /out /out\nENTRYPOINT ["/out/run.sh"]\n',
      'vllm/vllm-openai:v0.9.2',
      true,
    ],
    ['FROM vllm/vllm-openai:v0.9.2 AS base\nCMD ["--model", "x"]\nfrom base as final\n', 'vllm/vllm-openai:v0.9.2', true],
  ])('%j starts from %s (own entrypoint: %s)', (text, base, ownEntrypoint) => {
    expect(dockerfileBase(text)).toEqual({ base, ownEntrypoint });
  });

  test('a base left to a build argument without a default, or no FROM at all, is not known', () => {
    expect(dockerfileBase('ARG BASE\nFROM ${BASE}\n')).toBeUndefined();
    expect(dockerfileBase('# empty\n')).toBeUndefined();
  });
});

describe('treeImages: images the tree tags or builds from another', () => {
  test('a tag in a script, and builds found by -f behind a variable or by their context folder', () => {
    const root = writeTree({
      'k8s/deploy.sh': [
        'docker tag vllm/vllm-openai:latest teaching-vllm:latest',
        'docker build -f "$K8S_DIR/Dockerfile.server" -t lab/server:2 "$ROOT_DIR"',
        'docker build -t lab/worker:1 "$ROOT_DIR/worker"',
        'docker build -t lab/unknown:1 "$ROOT_DIR/elsewhere"',
        '',
      ].join('\n'),
      'k8s/Dockerfile.server': 'FROM vllm/vllm-openai:v0.8.5\n',
      'worker/Dockerfile': 'FROM rocm/vllm:latest\nENTRYPOINT ["python3", "worker.py"]\n',
      'k8s/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    });
    const { derived } = readManifests([root]).treeImages;
    expect(derived?.map((d) => [d.image, d.base, d.keepsEntrypoint])).toEqual([
      ['teaching-vllm:latest', 'vllm/vllm-openai:latest', true],
      ['lab/server:2', 'vllm/vllm-openai:v0.8.5', true],
      ['lab/worker:1', 'rocm/vllm:latest', false],
    ]);
    expect(derived?.[1].how).toBe(
      'built from k8s/Dockerfile.server (FROM vllm/vllm-openai:v0.8.5) by `docker build -f "$K8S_DIR/Dockerfile.server" -t lab/server:2 "$ROOT_DIR"` (k8s/deploy.sh:2)',
    );
  });

  test("the WORKDIR a build sets, its last absolute one along the stages: '' when not known here, absent when none", () => {
    expect(dockerfileBase('FROM rayproject/ray:2.40.0\nWORKDIR /tmp\nWORKDIR /opt/app\n')).toEqual({
      base: 'rayproject/ray:2.40.0',
      ownEntrypoint: false,
      workdir: '/opt/app',
    });
    expect(dockerfileBase('FROM rayproject/ray:2.40.0 AS deps\nWORKDIR /srv\nFROM deps\nRUN true\n')?.workdir).toBe('/srv');
    expect(dockerfileBase('FROM rayproject/ray:2.40.0\nWORKDIR $HOME/app\n')?.workdir).toBe('');
    expect(dockerfileBase('FROM rayproject/ray:2.40.0\nRUN pip install uv\n')).not.toHaveProperty('workdir');
  });

  test('a folder without scripts derives nothing', () => {
    expect(treeImages(writeTree({ 'a.yaml': 'kind: ConfigMap\n' }), []).derived).toBeUndefined();
  });
});

describe('a derived image runs its base: entrypoint, vLLM version and accelerator build', () => {
  const derived = [
    { image: 'lab/server:2', base: 'vllm/vllm-openai:v0.8.5', how: 'built from Dockerfile', keepsEntrypoint: true },
    { image: 'lab/server-prod:2', base: 'lab/server:2', how: 'tagged from lab/server:2', keepsEntrypoint: true },
    { image: 'lab/own-entry:1', base: 'vllm/vllm-openai:v0.8.5', how: 'built from own/Dockerfile', keepsEntrypoint: false },
    { image: 'lab/rocm:1', base: 'rocm/vllm:latest', how: 'tagged', keepsEntrypoint: true },
  ];

  test('within a run: the base is followed through a chain; an own entrypoint keeps the version but not the program', () => {
    withDerivedImages(derived, () => {
      expect(vllmServerEntrypoint('lab/server:2')).toEqual(['vllm', 'serve']);
      expect(vllmServerEntrypoint('docker.io/lab/server-prod:2')).toEqual(['vllm', 'serve']);
      expect(vllmServerEntrypoint('lab/own-entry:1')).toBeUndefined();
      expect(vllmServerEntrypoint('lab/server:3')).toBeUndefined();
      expect(vllmVersionOfImageReference('lab/server-prod:2')).toEqual({
        version: '0.8.5',
        how: 'a vLLM release tag of vllm/vllm-openai:v0.8.5, tagged from lab/server:2, built from Dockerfile',
      });
      expect(vllmVersionOfImageReference('lab/own-entry:1')?.version).toBe('0.8.5');
      expect(acceleratorBuildOf('lab/rocm:1')?.build).toBe('ROCm');
      expect(derivedImageOf('lab/server')).toBeUndefined(); // lab/server:latest is not lab/server:2
    });
  });

  test('outside a run nothing is derived', () => {
    expect(vllmServerEntrypoint('lab/server:2')).toBeUndefined();
    expect(vllmVersionOfImageReference('lab/server:2')).toBeUndefined();
  });

  test("a vLLM rule judges the built image at its base's version (vllm-port-env-taken before 0.6.2)", () => {
    const deployment = (image: string) =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: chat, namespace: ai}',
        'spec:',
        '  selector: {matchLabels: {app: chat}}',
        '  template:',
        '    metadata: {labels: {app: chat}}',
        '    spec:',
        '      containers:',
        '        - name: server',
        `          image: ${image}`,
        '          args: [--model, Qwen/Qwen2.5-0.5B-Instruct, --port, "8000"]',
        '          env: [{name: VLLM_PORT, value: "8000"}]',
        '',
      ].join('\n');
    const found = (files: Record<string, string>) => {
      const r = readManifests([writeTree(files)]);
      return runChecks(r.manifests, { platform: 'kserve', ...r, rules: ['vllm-port-env-taken'] }).map((f) => `${f.severity}: ${f.message}`);
    };
    const tree = {
      'build.sh': 'docker build -t lab/chat:1 ./image\n',
      'image/Dockerfile': 'FROM vllm/vllm-openai:v0.5.4\n',
      'deploy.yaml': deployment('lab/chat:1'),
    };
    expect(found(tree)).toEqual([
      expect.stringMatching(/^error: .*vLLM 0\.5\.4 \(a vLLM release tag of vllm\/vllm-openai:v0\.5\.4, built from image\/Dockerfile/),
    ]);
    // a base from 0.6.2 on binds its port first; an image the tree does not build is not known
    expect(found({ ...tree, 'image/Dockerfile': 'FROM vllm/vllm-openai:v0.6.3\n' })).toEqual([]);
    expect(found({ ...tree, 'deploy.yaml': deployment('lab/other:1') })).toEqual([]);
  });
});
