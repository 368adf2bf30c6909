import * as yaml from 'yaml';
import { cliInProcess, ruleFound, writeTree } from '../util';

const model = {
  manifest: {
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferenceModel',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { modelName: 'chat', poolRef: { name: 'p' } },
  },
};
const pool = (apiVersion: string) => ({ manifest: { apiVersion, kind: 'InferencePool', metadata: { name: 'p', namespace: 'llm' }, spec: {} } });
const picker = (image: string) => ({
  manifest: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'picker', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'picker' } },
      template: { metadata: { labels: { app: 'picker' } }, spec: { containers: [{ name: 'epp', image, args: ['--pool-name', 'p'] }] } },
    },
  },
});

const found = (...manifests: { manifest: object }[]) => ruleFound('inference-model-removed', manifests);

describe('inference-model-removed: InferenceModel in a v1.x tree', () => {
  test('beside a v1 pool: an error with the successor', () => {
    const [f] = found(model, pool('inference.networking.k8s.io/v1'));
    expect(f.severity).toBe('error');
    expect(f.object).toBe('InferenceModel/llm/chat');
    expect(f.message).toMatch(
      /last served by the Gateway API Inference Extension v0\.5\.1.*InferencePool p is inference\.networking\.k8s\.io\/v1.*no matches for kind.*write an inference\.networking\.x-k8s\.io\/v1alpha2 InferenceObjective/,
    );
  });

  test('with a v1.x picker image: an error; with a moving tag, which is no version fact: a note', () => {
    expect(found(model, picker('registry.k8s.io/gateway-api-inference-extension/epp:v1.1.0')).map((f) => f.severity)).toEqual(['error']);
    expect(found(model, picker('us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/epp:main')).map((f) => f.severity)).toEqual([
      'info',
    ]);
  });

  test('near misses: an alpha pool with a v0.5.1 picker, or nothing telling the release', () => {
    expect(found(model, pool('inference.networking.x-k8s.io/v1alpha2'), picker('registry.k8s.io/gateway-api-inference-extension/epp:v0.5.1'))).toEqual([]);
    expect(found(model)).toEqual([]);
  });
});

describe('inference-model-removed: the release a script installs outranks a picker image', () => {
  const files = (script: string, image: string) => ({
    'model.yaml': yaml.stringify(model.manifest),
    'picker.yaml': yaml.stringify(picker(image).manifest),
    'install.sh': script,
  });
  const install = (tag: string) =>
    `#!/bin/sh\nset -e\nINF_EXT_VERSION="${tag}"\nkubectl apply -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/\${INF_EXT_VERSION}/manifests.yaml\nkubectl apply -f .\n`;
  const treeFound = async (f: Record<string, string>) => {
    const r = await cliInProcess(['check', writeTree('inference-release-', f), '--platform', 'kserve', '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[])
      .filter((x) => x.rule === 'inference-model-removed')
      .map((x) => [x.severity, x.message]);
  };
  const MAIN = 'us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/epp:main';

  test('near miss: the script installs v0.2.0 (the tag in a variable) and the picker runs main: no finding', async () => {
    expect(await treeFound(files(install('v0.2.0'), MAIN))).toEqual([]);
  });

  test('near miss: a v0.x release installed beside a v1.x picker image: the CRDs serve the kind, no finding', async () => {
    expect(await treeFound(files(install('v0.5.1'), 'registry.k8s.io/gateway-api-inference-extension/epp:v1.1.0'))).toEqual([]);
  });

  test('the script installs v1.0.0: an error naming the install step', async () => {
    expect(await treeFound(files(install('v1.0.0'), MAIN))).toEqual([
      [
        'error',
        expect.stringMatching(
          /the tree is of v1\.x \(\/\S*\/install\.sh:4 installs the extension's v1\.0\.0 release manifests\): v1\.x CRDs define no InferenceModel/,
        ),
      ],
    ]);
  });
});
