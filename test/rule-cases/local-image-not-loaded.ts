import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';
import { lazyTreeImages } from '../../lib/manifests/script-images';

const deployment = (image: string, policy?: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: monitor, namespace: tools}',
    'spec:',
    '  selector: {matchLabels: {app: monitor}}',
    '  template:',
    '    metadata: {labels: {app: monitor}}',
    '    spec:',
    '      containers:',
    `        - {name: monitor, image: "${image}"${policy ? `, imagePullPolicy: ${policy}` : ''}}`,
    '',
  ].join('\n');

/** The local-image-not-loaded findings of a tree, as severity and the message's head. */
function verdicts(files: Record<string, string>): string[][] {
  const root = writeTree('local-image.', files);
  const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
  return runChecks(manifests, { platform: 'kserve', ...delivery })
    .filter((f) => f.rule === 'local-image-not-loaded')
    .map((f) => [f.severity, f.message.split(' and no step')[0]]);
}

const DOCKERFILE = 'FROM python:3.12-slim\n';

describe('local-image-not-loaded', () => {
  test('a folder of that name holding a Dockerfile, a pinned tag: a warning naming the folder', () => {
    expect(verdicts({ 'monitor/Dockerfile': DOCKERFILE, 'k8s/deploy.yaml': deployment('monitor:1.2.0') })).toEqual([
      ['warning', "container 'monitor' runs 'monitor:1.2.0', which the tree builds (monitor/Dockerfile)"],
    ]);
  });

  test('a README build with no tag and no pull policy: an error (pulled at every start)', () => {
    const readme = '# Monitor\n\n```bash\npodman build -t team/monitor .\nkubectl apply -f k8s/\n```\n';
    expect(verdicts({ 'README.md': readme, 'k8s/deploy.yaml': deployment('team/monitor') })).toEqual([
      ['error', "container 'monitor' runs 'team/monitor', which the tree builds (`podman build -t team/monitor .` (README.md:4))"],
    ]);
  });

  test('nerdctl in its default namespace, or minikube used only to start the cluster, loads nothing: the error stays', () => {
    for (const script of ['#!/bin/bash\nnerdctl build -t monitor:latest .\n', '#!/bin/bash\nminikube start -p dev\ndocker build -t monitor:latest .\n'])
      expect(verdicts({ 'build.sh': script, 'k8s/deploy.yaml': deployment('monitor:latest') }).map((v) => v[0])).toEqual(['error']);
  });

  test('a retag (docker tag SOURCE NAME) is an image of the tree too: loaded by nothing, the error', () => {
    const retag = '#!/bin/bash\ndocker tag vllm/vllm-openai:v0.8.5 monitor:latest\n';
    expect(verdicts({ 'build.sh': retag, 'k8s/deploy.yaml': deployment('monitor:latest') })).toEqual([
      ['error', "container 'monitor' runs 'monitor:latest', which the tree builds (`docker tag vllm/vllm-openai:v0.8.5 monitor:latest` (build.sh:2))"],
    ]);
  });

  test(':latest with imagePullPolicy IfNotPresent: a warning, not an error', () => {
    const verdict = verdicts({ 'Dockerfile.monitor': DOCKERFILE, 'deploy.yaml': deployment('monitor:latest', 'IfNotPresent') });
    expect(verdict.map((v) => v[0])).toEqual(['warning']);
  });

  test.each([
    ['a kind load step', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\nkind load docker-image monitor:latest\n' }],
    ['a push', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\ndocker push monitor:latest\n' }],
    ['a retag loaded onto kind', { 'build.sh': '#!/bin/bash\ndocker tag vllm/vllm-openai:v0.8.5 monitor:latest\nkind load docker-image monitor:latest\n' }],
    ['a skaffold.yaml', { 'monitor/Dockerfile': DOCKERFILE, 'skaffold.yaml': 'apiVersion: skaffold/v4beta11\nkind: Config\n' }],
    // builds into the node's own engine or containerd namespace
    ['minikube docker-env of a profile', { 'build.sh': '#!/bin/bash\neval "$(minikube -p "$PROFILE" docker-env)"\ndocker build -t monitor:latest .\n' }],
    ['minikube image build', { 'build.sh': '#!/bin/bash\nminikube image build -t monitor:latest .\n' }],
    ['k3d image import', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\nk3d image import monitor:latest -c dev\n' }],
    ['microk8s ctr image import', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\ndocker save monitor:latest | microk8s ctr image import -\n' }],
    ['nerdctl in the k8s.io namespace', { 'build.sh': '#!/bin/bash\nnerdctl --namespace k8s.io build -t monitor:latest .\n' }],
  ])('near miss, %s: nothing', (_, files) => {
    expect(verdicts({ ...files, 'k8s/deploy.yaml': deployment('monitor:latest') })).toEqual([]);
  });

  test.each([
    ['an image with a registry', 'ghcr.io/team/monitor:latest'],
    ['an image the tree does not build', 'redis:latest'],
    ['a placeholder image', 'monitor:REPLACE_ME'],
  ])('near miss, %s: nothing', (_, image) => {
    expect(verdicts({ 'monitor/Dockerfile': DOCKERFILE, 'redis-tools/Dockerfile': DOCKERFILE, 'k8s/deploy.yaml': deployment(image) })).toEqual([]);
  });
});

describe("the tree's images: walked in locale order, and only when a container names an image with no registry", () => {
  test('two folders of one name at one depth: the message names the first in locale order (a before B)', () => {
    const files = { 'B/monitor/Dockerfile': DOCKERFILE, 'a/monitor/Dockerfile': DOCKERFILE, 'k8s/deploy.yaml': deployment('monitor:1.2.0') };
    expect(verdicts(files)).toEqual([['warning', "container 'monitor' runs 'monitor:1.2.0', which the tree builds (a/monitor/Dockerfile)"]]);
  });

  test('the rule reads the images only for a container whose image has no registry', () => {
    const reads: string[] = [];
    const root = writeTree('local-image-lazy.', { 'monitor/Dockerfile': DOCKERFILE, 'k8s/deploy.yaml': deployment('ghcr.io/team/monitor:1.0') });
    const { manifests } = readManifests([root]);
    const treeImages = {
      get built() {
        reads.push('built');
        return [{ repository: 'monitor', how: 'monitor/Dockerfile' }];
      },
    };
    runChecks(manifests, { platform: 'kserve', treeImages });
    expect(reads).toEqual([]);
    const unregistered = readManifests([writeTree('local-image-lazy.', { 'k8s/deploy.yaml': deployment('monitor:1.0') })]).manifests;
    expect(runChecks(unregistered, { platform: 'kserve', treeImages }).filter((f) => f.rule === 'local-image-not-loaded')).toHaveLength(1);
    expect(reads).toEqual(['built']);
  });

  test('the images of a read are found once, when first asked', () => {
    let finds = 0;
    const images = lazyTreeImages(() => {
      finds++;
      return { built: [{ repository: 'monitor', how: 'monitor/Dockerfile' }], delivered: 'kind load docker-image monitor' };
    });
    expect(finds).toBe(0);
    expect(images.built.map((b) => b.how)).toEqual(['monitor/Dockerfile']);
    expect(images.delivered).toBe('kind load docker-image monitor');
    expect(finds).toBe(1);
  });
});

describe('image-not-pinned on an image the tree builds or tags itself', () => {
  const pinning = (files: Record<string, string>) => {
    const root = writeTree('local-pin.', files);
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
    return runChecks(manifests, { platform: 'kserve', ...delivery })
      .filter((f) => f.rule === 'image-not-pinned')
      .map((f) => [f.severity, f.message.replace(/: .*/s, '')]);
  };

  test('a moving tag of a local build or a local retag: a note, naming the step (no registry holds a digest of it)', () => {
    const script = '#!/bin/bash\neval "$(minikube docker-env)"\ndocker build -t monitor:latest .\n';
    expect(pinning({ 'build.sh': script, 'k8s/deploy.yaml': deployment('monitor:latest', 'IfNotPresent') })).toEqual([
      ['info', "container 'monitor' uses monitor:latest, which the tree builds or tags itself (`docker build -t monitor:latest .` (build.sh:3))"],
    ]);
    const retag =
      '#!/bin/bash\ndocker pull vllm/vllm-openai:v0.8.5\ndocker tag vllm/vllm-openai:v0.8.5 monitor:latest\nkind load docker-image monitor:latest\n';
    expect(pinning({ 'build.sh': retag, 'k8s/deploy.yaml': deployment('monitor:latest') }).map((f) => f[0])).toEqual(['info']);
  });

  test('near miss: the same tag of an image the tree does not build, or of one named with a registry, stays a warning', () => {
    const script = '#!/bin/bash\ndocker build -t monitor:latest .\ndocker push monitor:latest\n';
    expect(pinning({ 'build.sh': script, 'k8s/deploy.yaml': deployment('exporter:latest') }).map((f) => f[0])).toEqual(['warning']);
    const pushed = '#!/bin/bash\ndocker build -t quay.io/team/monitor:latest .\ndocker push quay.io/team/monitor:latest\n';
    expect(pinning({ 'build.sh': pushed, 'k8s/deploy.yaml': deployment('quay.io/team/monitor:latest') }).map((f) => f[0])).toEqual(['warning']);
  });
});
