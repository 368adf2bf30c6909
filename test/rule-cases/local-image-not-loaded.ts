import { execFileSync } from 'child_process';
import * as path from 'path';
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

  test('a README build with no tag and no pull policy: an error for a one-part name (docker.io/library holds only official images)', () => {
    const readme = '# Monitor\n\n```bash\npodman build -t monitor .\nkubectl apply -f k8s/\n```\n';
    expect(verdicts({ 'README.md': readme, 'k8s/deploy.yaml': deployment('monitor') })).toEqual([
      ['error', "container 'monitor' runs 'monitor', which the tree builds (`podman build -t monitor .` (README.md:4))"],
    ]);
  });

  test('an <org>/<name> the tree builds is how an image is published on Docker Hub: a note, whatever the tag', () => {
    const readme = '# Monitor\n\n```bash\npodman build -t team/monitor .\nkubectl apply -f k8s/\n```\n';
    const findings = (image: string, build = readme) => {
      const root = writeTree('local-image-org.', { 'README.md': build, 'k8s/deploy.yaml': deployment(image) });
      const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
      return runChecks(manifests, { platform: 'kserve', ...delivery }).filter((f) => f.rule === 'local-image-not-loaded');
    };
    const [noTag] = findings('team/monitor');
    expect(noTag.severity).toBe('info');
    expect(noTag.message).toContain(
      "the kubelet pulls docker.io/team/monitor, the Docker Hub account's repository, which is how such an image is published: it holds the image if the build is pushed there",
    );
    expect(noTag.message).toContain('load it onto the nodes (kind load docker-image, k3d image import, minikube image load)');
    // built as 1.0 in the README, run as :latest: the message says the build is not of that tag
    const other = findings('team/monitor:latest', readme.replace('team/monitor .', 'team/monitor:1.0 .'));
    expect(other.map((f) => [f.severity, f.message.split(' and no step')[0]])).toEqual([
      [
        'info',
        "container 'monitor' runs 'team/monitor:latest', which the tree builds (`podman build -t team/monitor:1.0 .` (README.md:4), tagged 1.0, not the tag the container names)",
      ],
    ]);
  });

  test("a one-part name of one of Docker's official images pulls Docker's image, not the build: a warning", () => {
    const [v] = verdicts({ 'nginx/Dockerfile': 'FROM nginx:1.27\n', 'k8s/deploy.yaml': deployment('nginx:latest') });
    expect(v).toEqual(['warning', "container 'monitor' runs 'nginx:latest', which the tree builds (nginx/Dockerfile)"]);
  });

  test("podman's local store (localhost/<name>) is served by no registry: an error where pulled at every start, else a warning", () => {
    const script = '#!/bin/bash\npodman build -t monitor:latest .\n';
    expect(verdicts({ 'build.sh': script, 'k8s/deploy.yaml': deployment('localhost/monitor:latest') })).toEqual([
      ['error', "container 'monitor' runs 'localhost/monitor:latest', which the tree builds (`podman build -t monitor:latest .` (build.sh:2))"],
    ]);
    expect(verdicts({ 'build.sh': script, 'k8s/deploy.yaml': deployment('localhost/monitor:latest', 'IfNotPresent') }).map((v) => v[0])).toEqual(['warning']);
  });

  test('on a cluster the tree creates (kind, minikube), the nodes lack the build: Never is an error whatever the name, IfNotPresent one for an unservable name', () => {
    const kind = '#!/bin/bash\nkind create cluster --name dev\ndocker build -t team/monitor:0.3.0 -t monitor:0.3.0 .\nkubectl apply -f k8s/\n';
    const never = verdicts({ 'setup.sh': kind, 'k8s/deploy.yaml': deployment('team/monitor:0.3.0', 'Never') });
    expect(never.map((v) => v[0])).toEqual(['error']);
    const root = writeTree('local-image-kind.', { 'setup.sh': kind, 'k8s/deploy.yaml': deployment('monitor:0.3.0') });
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
    const [pinned] = runChecks(manifests, { platform: 'kserve', ...delivery }).filter((f) => f.rule === 'local-image-not-loaded');
    expect(pinned.severity).toBe('error');
    expect(pinned.message).toMatch(
      /the nodes of the cluster the tree creates \(`kind create cluster --name dev` \(\S*setup\.sh:2\)\) do not hold the local build/,
    );
    expect(pinned.message).toContain('load it onto the nodes (kind load docker-image monitor:0.3.0)');
    // an <org>/<name> pulled from Docker Hub may well be there: a note
    expect(verdicts({ 'setup.sh': kind, 'k8s/deploy.yaml': deployment('team/monitor:0.3.0') }).map((v) => v[0])).toEqual(['info']);
  });

  test("near misses: Never with no cluster the tree creates, and minikube's none driver (the host's own engine), stay warnings", () => {
    const build = 'docker build -t monitor:0.3.0 .\n';
    expect(verdicts({ 'build.sh': `#!/bin/bash\n${build}`, 'k8s/deploy.yaml': deployment('monitor:0.3.0', 'Never') }).map((v) => v[0])).toEqual(['warning']);
    const none = `#!/bin/bash\nsudo minikube start --driver=none\n${build}`;
    expect(verdicts({ 'build.sh': none, 'k8s/deploy.yaml': deployment('monitor:0.3.0', 'Never') }).map((v) => v[0])).toEqual(['warning']);
    expect(verdicts({ 'build.sh': none, 'k8s/deploy.yaml': deployment('monitor:0.3.0') }).map((v) => v[0])).toEqual(['warning']);
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

  const LOADS: [string, Record<string, string>][] = [
    ['a kind load step', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\nkind load docker-image monitor:latest\n' }],
    ['a retag loaded onto kind', { 'build.sh': '#!/bin/bash\ndocker tag vllm/vllm-openai:v0.8.5 monitor:latest\nkind load docker-image monitor:latest\n' }],
    ['k3d image import', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\nk3d image import monitor:latest -c dev\n' }],
    // the names a docker save pipes into the import are the ones loaded
    ['microk8s ctr image import', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\ndocker save monitor:latest | microk8s ctr image import -\n' }],
  ];

  test.each(LOADS)('%s with :latest and no pull policy: defaulted to Always, the kubelet pulls instead of using the loaded copy, an error', (_, files) => {
    expect(verdicts({ ...files, 'k8s/deploy.yaml': deployment('monitor:latest') })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'monitor' runs 'monitor:latest', which the tree builds and `.*` \(build.sh:\d\) loads onto the nodes, but with :latest and no imagePullPolicy .*defaults it to Always.* the kubelet pulls it at every start instead of using the loaded copy .*ErrImagePull.*set imagePullPolicy: IfNotPresent/,
        ),
      ],
    ]);
  });

  test.each(LOADS)('near miss, %s with imagePullPolicy IfNotPresent or Never: the loaded copy runs', (_, files) => {
    expect(verdicts({ ...files, 'k8s/deploy.yaml': deployment('monitor:latest', 'IfNotPresent') })).toEqual([]);
    expect(verdicts({ ...files, 'k8s/deploy.yaml': deployment('monitor:latest', 'Never') })).toEqual([]);
  });

  test('a loaded <org>/<name> pulled at every start runs what was pushed there, if anything: a warning', () => {
    const script = '#!/bin/bash\ndocker build -t team/monitor:latest .\nkind load docker-image team/monitor:latest\n';
    expect(verdicts({ 'build.sh': script, 'k8s/deploy.yaml': deployment('team/monitor:latest') }).map((v) => v[0])).toEqual(['warning']);
  });

  test.each([
    ['a push', { 'build.sh': '#!/bin/bash\ndocker build -t monitor:latest .\ndocker push monitor:latest\n' }],
    ['a skaffold.yaml', { 'monitor/Dockerfile': DOCKERFILE, 'skaffold.yaml': 'apiVersion: skaffold/v4beta11\nkind: Config\n' }],
    // builds into the node's own engine or containerd namespace
    ['minikube docker-env of a profile', { 'build.sh': '#!/bin/bash\neval "$(minikube -p "$PROFILE" docker-env)"\ndocker build -t monitor:latest .\n' }],
    ['minikube image build', { 'build.sh': '#!/bin/bash\nminikube image build -t monitor:latest .\n' }],
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

describe('local-image-not-loaded: a one-part name the tree does not build, none of Docker official images (docker.io/library/<name> does not exist)', () => {
  /** The severity and image of each finding, for a Deployment per image and the other files given. */
  const judged = (images: (string | [string, string])[], files: Record<string, string> = {}, platform: 'kserve' | 'rhoai-3.0' = 'kserve') => {
    const docs = images.map((i, n) =>
      deployment(typeof i === 'string' ? i : i[0], typeof i === 'string' ? undefined : i[1]).replace('name: monitor,', `name: app-${n},`),
    );
    const root = writeTree('local-image-unbuilt.', { ...files, ...Object.fromEntries(docs.map((d, n) => [`k8s/app-${n}.yaml`, d])) });
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
    return runChecks(manifests, { platform, ...delivery })
      .filter((f) => f.rule === 'local-image-not-loaded')
      .map((f) => [f.severity, /runs '([^']+)'/.exec(f.message)?.[1]])
      .sort();
  };

  test('pulled at every start (:latest, no tag, Always): an error; a pinned tag a node may hold: a warning', () => {
    expect(judged(['my-server:latest', 'vllm-custom', ['vllm-custom:0.6.1', 'Always'], 'vllm-custom:0.6.2'])).toEqual([
      ['error', 'my-server:latest'],
      ['error', 'vllm-custom'],
      ['error', 'vllm-custom:0.6.1'],
      ['warning', 'vllm-custom:0.6.2'],
    ]);
  });

  test('the message names the repository pulled and the way out', () => {
    const root = writeTree('local-image-unbuilt-message.', { 'k8s/app.yaml': deployment('my-server:latest') });
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
    const [f] = runChecks(manifests, { platform: 'kserve', ...delivery }).filter((x) => x.rule === 'local-image-not-loaded');
    expect(f.message).toContain('the kubelet pulls docker.io/library/my-server, where only Docker');
    expect(f.message).toContain('with :latest the kubelet pulls it at every start');
    expect(f.message).toContain('push it to a registry the nodes reach');
  });

  test('on the nodes of a kind cluster the tree creates, a pinned tag is an error too', () => {
    const script = '#!/bin/sh\nkind create cluster --name lab\nkubectl apply -f k8s/\n';
    expect(judged(['vllm-custom:0.6.1'], { 'up.sh': script })).toEqual([['error', 'vllm-custom:0.6.1']]);
  });

  test('near miss: official images, and one Docker retired but still serves', () => {
    expect(judged(['nginx', 'busybox', 'python:3.11', 'library/redis:7', 'centos:7'])).toEqual([]);
  });

  test('near miss: a name a script loads onto the nodes, pinned or IfNotPresent; loaded but pulled at every start is an error', () => {
    const script = '#!/bin/sh\nkind load docker-image vllm-custom:0.6.1 --name lab\nminikube -p lab image load embedder\n';
    expect(judged(['vllm-custom:0.6.1', ['embedder', 'IfNotPresent']], { 'load.sh': script })).toEqual([]);
    expect(judged(['vllm-custom:latest'], { 'load.sh': script })).toEqual([['error', 'vllm-custom:latest']]);
  });

  test('a load of an image named by a variable may be this one: a pinned tag is a warning, :latest still an error', () => {
    const script = '#!/bin/sh\nkind load docker-image "$IMAGE"\n';
    expect(judged(['vllm-custom:0.6.1', 'my-server:latest'], { 'load.sh': script })).toEqual([
      ['error', 'my-server:latest'],
      ['warning', 'vllm-custom:0.6.1'],
    ]);
  });

  test('on OpenShift an ImageStream of the name may resolve it: a warning; silent where the tree makes the ImageStream', () => {
    expect(judged(['my-server:latest'], {}, 'rhoai-3.0')).toEqual([['warning', 'my-server:latest']]);
    const stream = 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: my-server, namespace: tools}\nspec: {lookupPolicy: {local: true}}\n';
    expect(judged(['my-server:latest'], { 'k8s/stream.yaml': stream }, 'rhoai-3.0')).toEqual([]);
  });
});

describe('local-image-not-loaded: a one-part name a kustomize build delivers', () => {
  /** The severity of each finding on a tree whose Deployment runs `image`, built by a kustomization when `kustomized`. */
  const severities = (image: string, kustomized: boolean): string[] => {
    const files: Record<string, string> = { 'k8s/app.yaml': deployment(image) };
    if (kustomized)
      files['k8s/kustomization.yaml'] = [
        'resources:',
        '  - app.yaml',
        'images:',
        '  - name: llm-server',
        '    newName: llm-server',
        '    newTag: latest',
        '',
      ].join('\n');
    const root = writeTree('local-image-kustomized.', files);
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
    return runChecks(manifests, { platform: 'kserve', ...delivery })
      .filter((f) => f.rule === 'local-image-not-loaded')
      .map((f) => f.severity);
  };

  test('a logical name a pipeline may set with `kustomize edit set image`: a warning that says so', () => {
    expect(severities('llm-server', true)).toEqual(['warning']);
  });

  test('the same Deployment applied as a plain file: pulled at every start from docker.io/library, an error', () => {
    expect(severities('llm-server:latest', false)).toEqual(['error']);
  });
});

describe('local-image-not-loaded: a load step of the repository above the checked folder, or by a variable the script sets', () => {
  /** The severity and image of each finding on `checked` of a git repository made of `files`. */
  const inRepository = (files: Record<string, string>, checked: string) => {
    const root = writeTree('local-image-repo.', files);
    execFileSync('git', ['init', '-q', root]);
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([path.join(root, checked)]);
    return runChecks(manifests, { platform: 'kserve', ...delivery })
      .filter((f) => f.rule === 'local-image-not-loaded')
      .map((f) => [f.severity, /runs '([^']+)'/.exec(f.message)?.[1]]);
  };
  const readme = '# Ranker\n\n```sh\ndocker build -t ranker:0.3.1 .\nk3d image import ranker:0.3.1 -c lab\nkubectl apply -f deploy/\n```\n';

  test("near miss: the repository's README, one folder above the checked one, imports the image into k3d", () => {
    expect(inRepository({ 'README.md': readme, 'deploy/app.yaml': deployment('ranker:0.3.1', 'Never') }, 'deploy')).toEqual([]);
  });

  test('near miss: a script of the repository loads the image through a variable it sets', () => {
    const script = '#!/bin/bash\nset -e\nIMAGE_REF="ranker:0.3.1"\ndocker build -t "$IMAGE_REF" .\nminikube image load "$IMAGE_REF"\n';
    expect(inRepository({ 'scripts/up.sh': script, 'deploy/app.yaml': deployment('ranker:0.3.1', 'Never') }, 'deploy')).toEqual([]);
  });

  test("near miss: the README above builds the image into minikube's node (`minikube image build -t`), one of the alternatives a prose `or` separates", () => {
    const alternatives = [
      '# Ranker',
      '',
      '```bash',
      'docker build -t acme/ranker:latest .',
      'docker push acme/ranker:latest',
      'or',
      'minikube image build -t ranker:latest .',
      'kubectl apply -f deploy/app.yaml',
      '```',
      '',
    ].join('\n');
    expect(inRepository({ 'README.md': alternatives, 'deploy/app.yaml': deployment('ranker:latest', 'Never') }, 'deploy')).toEqual([]);
    // podman's build and the `-p PROFILE` form of minikube's
    const podman = alternatives.replace('docker build', 'podman build').replace('minikube image build', 'minikube -p lab image build');
    expect(inRepository({ 'README.md': podman, 'deploy/app.yaml': deployment('ranker:latest', 'Never') }, 'deploy')).toEqual([]);
  });

  test('still found: the README above builds only the Docker Hub name it pushes (acme/ranker), not the one-part name the pod runs', () => {
    const pushed = '# Ranker\n\n```bash\ndocker build -t acme/ranker:latest .\ndocker push acme/ranker:latest\nkubectl apply -f deploy/app.yaml\n```\n';
    expect(inRepository({ 'README.md': pushed, 'deploy/app.yaml': deployment('ranker:latest', 'Never') }, 'deploy')).toEqual([['warning', 'ranker:latest']]);
  });

  test('still found: the README above loads another image, or nothing loads it', () => {
    const other = readme.replace(/ranker:0\.3\.1/g, 'scorer:0.3.1');
    expect(inRepository({ 'README.md': other, 'deploy/app.yaml': deployment('ranker:0.3.1', 'Never') }, 'deploy')).toEqual([['warning', 'ranker:0.3.1']]);
    expect(inRepository({ 'README.md': '# Ranker\n', 'deploy/app.yaml': deployment('ranker:0.3.1', 'Never') }, 'deploy')).toEqual([
      ['warning', 'ranker:0.3.1'],
    ]);
  });
});

describe('local-image-not-loaded: with imagePullPolicy Never the kubelet pulls nothing', () => {
  const messages = (files: Record<string, string>) => {
    const root = writeTree('local-image.', files);
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
    return runChecks(manifests, { platform: 'kserve', ...delivery })
      .filter((f) => f.rule === 'local-image-not-loaded')
      .map((f) => [f.severity, f.message]);
  };

  test('an image nothing builds or loads, run with Never: the message says nothing is pulled, and where the name would resolve only as what a pull would meet', () => {
    expect(messages({ 'k8s/deploy.yaml': deployment('monitor:latest', 'Never') })).toEqual([
      [
        'warning',
        "container 'monitor' runs 'monitor:latest', which nothing in the tree builds, loads onto the nodes or pushes: with imagePullPolicy Never the kubelet pulls nothing: the pod starts only on a node that already holds it (loaded there by hand: the tree does not show it), and no registry could serve it were it pulled (docker.io/library/monitor, where a name with no registry resolves, holds only Docker's official images): push it to a registry the nodes reach and name that registry, or load it onto the nodes (kind load docker-image, minikube image load) with a pinned tag and imagePullPolicy: IfNotPresent",
      ],
    ]);
  });

  test('near miss: with IfNotPresent the kubelet pulls from docker.io/library, as the message says', () => {
    expect(messages({ 'k8s/deploy.yaml': deployment('monitor:1.0.0', 'IfNotPresent') })).toEqual([
      ['warning', expect.stringContaining('with no registry in its name the kubelet pulls docker.io/library/monitor, where only')],
    ]);
  });

  test('a build of the tree run with Never: the message gives no pull from docker.io', () => {
    const [[severity, message]] = messages({ 'monitor/Dockerfile': DOCKERFILE, 'k8s/deploy.yaml': deployment('monitor:1.2.0', 'Never') });
    expect(severity).toBe('warning');
    expect(message).toBe(
      "container 'monitor' runs 'monitor:1.2.0', which the tree builds (monitor/Dockerfile) and no step loads onto the nodes or pushes: with imagePullPolicy Never the kubelet pulls nothing: the pod starts only on a node that shares the builder's engine (assumed not): push it to a registry and name that registry, or load it onto the nodes (kind load docker-image, k3d image import, minikube image load) with a pinned tag and imagePullPolicy: IfNotPresent",
    );
  });
});

describe('local-image-not-loaded: Knative resolves the tag to a digest from the registry before any pod runs', () => {
  /** An InferenceService running `image`, with the deployment mode annotation when given. */
  const isvc = (image: string, mode?: string) =>
    [
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata:',
      '  name: scorer',
      '  namespace: ml',
      ...(mode ? ['  annotations:', `    serving.kserve.io/deploymentMode: ${mode}`] : []),
      'spec:',
      '  predictor:',
      '    containers:',
      `      - {name: kserve-container, image: "${image}", imagePullPolicy: IfNotPresent}`,
      '',
    ].join('\n');
  const loadReadme = '# Scorer\n\n```sh\ndocker build -t scorer:0.2.0 .\nkind load docker-image scorer:0.2.0\nkubectl apply -f isvc.yaml\n```\n';
  const knativeSkip = (registries: string) =>
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: config-deployment, namespace: knative-serving}',
      'data:',
      `  registries-skipping-tag-resolving: "${registries}"`,
      '',
    ].join('\n');

  test('Serverless said: a one-part name loaded onto the nodes is still an error, the fix naming the tag-resolution skip', () => {
    const root = writeTree('local-image-knative.', { 'README.md': loadReadme, 'isvc.yaml': isvc('scorer:0.2.0', 'Serverless') });
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
    const found = runChecks(manifests, { platform: 'kserve', ...delivery }).filter((f) => f.rule === 'local-image-not-loaded');
    expect(found.map((f) => [f.severity, f.object])).toEqual([['error', 'InferenceService/ml/scorer']]);
    expect(found[0].message).toContain('failed to resolve image to digest');
    expect(found[0].message).toContain('registries-skipping-tag-resolving');
    expect(found[0].message).toContain('kind.local/');
  });

  test('the mode unset (Knative assumed as the default): a warning with the same cause; not built nor loaded, likewise', () => {
    expect(verdicts({ 'README.md': loadReadme, 'isvc.yaml': isvc('scorer:0.2.0') }).map((v) => v[0])).toEqual(['warning']);
    const [f] = verdicts({ 'isvc.yaml': isvc('scorer:0.2.0', 'Serverless') });
    expect(f[0]).toBe('error');
  });

  test('near misses: RawDeployment with the load, a registry Knative skips, a tree that adds Docker Hub to the skipped registries', () => {
    expect(verdicts({ 'README.md': loadReadme, 'isvc.yaml': isvc('scorer:0.2.0', 'RawDeployment') })).toEqual([]);
    expect(
      verdicts({ 'README.md': loadReadme.replace(/scorer:0\.2\.0/g, 'kind.local/scorer:0.2.0'), 'isvc.yaml': isvc('kind.local/scorer:0.2.0', 'Serverless') }),
    ).toEqual([]);
    expect(
      verdicts({ 'README.md': loadReadme, 'isvc.yaml': isvc('scorer:0.2.0', 'Serverless'), 'knative.yaml': knativeSkip('kind.local,index.docker.io') }),
    ).toEqual([]);
  });
});

describe("local-image-not-loaded: an InferenceService's transformer and explainer containers", () => {
  const isvc = (component: 'transformer' | 'explainer', image: string) =>
    [
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata: {name: income, namespace: ml, annotations: {serving.kserve.io/deploymentMode: RawDeployment}}',
      'spec:',
      '  predictor: {sklearn: {storageUri: "s3://models/income"}}',
      `  ${component}:`,
      '    containers:',
      `      - {name: kserve-container, image: "${image}"}`,
      '',
    ].join('\n');

  test.each(['transformer', 'explainer'] as const)(
    'the %s container runs a one-part name the tree builds and loads, pulled at every start: an error',
    (component) => {
      const script = '#!/bin/bash\ndocker build -t income-helper:latest .\nkind load docker-image income-helper:latest\n';
      expect(verdicts({ 'build.sh': script, 'k8s/isvc.yaml': isvc(component, 'income-helper:latest') })).toEqual([
        [
          'error',
          expect.stringMatching(
            new RegExp(`^spec\\.${component} container 'kserve-container' runs 'income-helper:latest', which the tree builds and .* loads onto the nodes`),
          ),
        ],
      ]);
    },
  );

  test('near miss: the same component image pinned, which the kubelet takes from the node', () => {
    const script = '#!/bin/bash\ndocker build -t income-helper:1.2.0 .\nkind load docker-image income-helper:1.2.0\n';
    expect(verdicts({ 'build.sh': script, 'k8s/isvc.yaml': isvc('explainer', 'income-helper:1.2.0') })).toEqual([]);
  });
});

// each tool's documented load into the runtime the kubelet reads, and the name matched as that runtime looks it up
describe('local-image-not-loaded: the loads of kind, k3d, minikube, k3s, MicroK8s, containerd and nerdctl', () => {
  const inRepository = (load: string, image = 'ranker:0.3.1') => {
    const readme = `# Ranker\n\n\`\`\`bash\ndocker build -t ranker:0.3.1 .\n${load}\nkubectl apply -f deploy/\n\`\`\`\n`;
    const root = writeTree('local-image-loads.', { 'README.md': readme, 'deploy/app.yaml': deployment(image, 'IfNotPresent') });
    execFileSync('git', ['init', '-q', root]);
    const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([path.join(root, 'deploy')]);
    return runChecks(manifests, { platform: 'kserve', ...delivery })
      .filter((f) => f.rule === 'local-image-not-loaded')
      .map((f) => [f.severity, f.message]);
  };

  test.each([
    ['kind load docker-image with its cluster', 'kind load docker-image ranker:0.3.1 --name lab'],
    ['a kind load of the repository, which docker save makes of each tag', 'kind load docker-image ranker'],
    ['kind load image-archive of the archive docker save wrote', 'docker save ranker:0.3.1 -o ranker.tar\nkind load image-archive ranker.tar'],
    ['k3d image import', 'k3d image import ranker:0.3.1 -c lab'],
    ['minikube image load', 'minikube -p lab image load ranker:0.3.1'],
    ['a docker save piped into k3s ctr, with sudo', 'docker save ranker:0.3.1 | sudo k3s ctr images import -'],
    ['k3s ctr import of the archive a redirection wrote', 'docker save ranker:0.3.1 > ranker.tar\nsudo k3s ctr -n k8s.io images import ./ranker.tar'],
    ["containerd's ctr in the k8s.io namespace", 'docker save ranker:0.3.1 | sudo ctr -n=k8s.io image import -'],
    ['ctr with CONTAINERD_NAMESPACE=k8s.io', 'docker save ranker:0.3.1 | CONTAINERD_NAMESPACE=k8s.io ctr i import -'],
    ['microk8s ctr image import', 'docker save ranker:0.3.1 | microk8s ctr image import -'],
    ['microk8s images import from standard input', 'docker save ranker:0.3.1 > r.tar && microk8s images import < r.tar'],
    ['nerdctl load in the k8s.io namespace', 'docker save -o r.tar ranker:0.3.1\nnerdctl --namespace k8s.io load -i r.tar'],
    ['a docker save of the repository, each tag', 'docker save ranker | sudo k3s ctr images import -'],
    ['podman save of a fully named image, into minikube', 'podman save --output r.tar docker.io/library/ranker:0.3.1 && minikube image load r.tar'],
  ])('near miss: %s', (_, load) => {
    expect(inRepository(load)).toEqual([]);
  });

  test('minikube loads ranker:latest for a name without a tag: the pod naming 0.3.1 is not served, and the message names the load', () => {
    expect(inRepository('minikube image load ranker')).toEqual([
      [
        'warning',
        expect.stringContaining(
          "(`minikube image load ranker` (README.md:5) loads ranker:latest, which is not the image the runtime looks up for 'ranker:0.3.1')",
        ),
      ],
    ]);
  });

  test("podman saves its build as localhost/ranker: the runtime does not take it for 'ranker:0.3.1'", () => {
    expect(inRepository('podman save ranker:0.3.1 | sudo k3s ctr images import -')).toEqual([
      ['warning', expect.stringContaining('loads localhost/ranker:0.3.1, which is not the image the runtime looks up')],
    ]);
    expect(inRepository('podman save ranker:0.3.1 | sudo k3s ctr images import -', 'localhost/ranker:0.3.1')).toEqual([]);
  });

  test("containerd's ctr in its default namespace loads where the kubelet does not look: still found", () => {
    expect(inRepository('docker save ranker:0.3.1 | sudo ctr images import -').map(([s]) => s)).toEqual(['warning']);
  });

  test('an archive no save of the script wrote may hold it: a warning that says so', () => {
    expect(inRepository('sudo k3s ctr images import /opt/images/bundle.tar')).toEqual([
      ['warning', expect.stringContaining('(unless `sudo k3s ctr images import /opt/images/bundle.tar` (README.md:5) loads it, which the tree does not tell)')],
    ]);
  });
});
