import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { cliInProcess, ruleFindings, writeTree } from '../util';

/**
 * knative-feature-disabled: the pod-spec fields Knative Serving's PodSpecMask drops unless a config-features flag is
 * not Disabled (knative/serving fieldmask.go; features_test.go for the flag values, case-insensitive, Allowed lets through).
 */
const RUNTIME = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm-runtime', namespace: 'ai' },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'quay.io/vllm/vllm@sha256:30183ac1aada99c8696c8cff00945a22eb7a904acb66876fe99d92a25a35f6c4' }],
  },
};

function isvc(mode: string | undefined, predictor: object): object {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'ai', ...(mode ? { annotations: { 'serving.kserve.io/deploymentMode': mode } } : {}) },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-runtime', storageUri: 'pvc://models/m' }, ...predictor } },
  };
}

const configFeatures = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'config-features', namespace: 'knative-serving' },
  data,
});

async function found(platform: string, objects: object[]): Promise<[string, string][]> {
  const dir = writeTree('knative-features-', { 'tree.yaml': [RUNTIME, ...objects].map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', platform, '--json'])).out);
  return report.findings
    .filter((f: { rule: string }) => f.rule === 'knative-feature-disabled')
    .map((f: { severity: string; message: string }) => [f.severity, f.message]);
}

const INIT = { initContainers: [{ name: 'warm', image: 'registry.example.com/tools/warm:1.0' }] };

describe('knative-feature-disabled', () => {
  test("an error when the tree's config-features leaves the flag off (absent: Knative's default, Disabled)", async () => {
    const f = await found('rhoai-2', [
      isvc('Serverless', { nodeSelector: { gpu: 'a100' }, ...INIT }),
      configFeatures({ 'kubernetes.podspec-nodeselector': 'Disabled' }),
    ]);
    expect(f.map(([s, m]) => [s, m.slice(0, m.indexOf(' is set'))])).toEqual([
      ['error', 'spec.predictor.initContainers'],
      ['error', 'spec.predictor.nodeSelector'],
    ]);
    expect(f[1][1]).toMatch(/ConfigMap config-features leaves kubernetes.podspec-nodeselector off/);
  });

  test("without Knative settings in the tree: a warning naming what is assumed; OpenShift AI's operator turns some flags on", async () => {
    const rhoai = await found('rhoai-2', [isvc('Serverless', { nodeSelector: { gpu: 'a100' }, tolerations: [{ key: 'gpu', operator: 'Exists' }], ...INIT })]);
    expect(rhoai.map(([s]) => s)).toEqual(['warning']);
    expect(rhoai[0][1]).toMatch(
      /^spec.predictor.initContainers is set: .*Assumed: kubernetes.podspec-init-containers is as in the KnativeServing OpenShift AI's operator creates/,
    );
    const upstream = await found('kserve', [isvc('Knative', { hostNetwork: true, volumes: [{ name: 'dev', hostPath: { path: '/dev/shm' } }] })]);
    expect(upstream.map(([s, m]) => [s, m.slice(0, m.indexOf(' is set'))])).toEqual([
      ['warning', 'spec.predictor.hostNetwork'],
      ['warning', 'spec.predictor.volumes[0] (dev).hostPath'],
    ]);
    expect(upstream[0][1]).toMatch(/Assumed: kubernetes.podspec-hostnetwork is as in Knative's defaults/);
    // Knative Eventing's config-features says nothing of Serving's: the flag is assumed, a warning
    const eventing = { ...configFeatures({}), metadata: { name: 'config-features', namespace: 'knative-eventing' } };
    expect((await found('kserve', [isvc('Serverless', INIT), eventing])).map(([s]) => s)).toEqual(['warning']);
  });

  test("an unset mode where the platform's default is Knative is a warning even against the tree's settings", async () => {
    const f = await found('rhoai-2', [isvc(undefined, INIT), configFeatures({})]);
    expect(f.map(([s]) => s)).toEqual(['warning']);
    expect(f[0][1]).toMatch(/Assumed: the service runs in Knative mode/);
  });

  test("the ServingRuntime's pod fields go into the revision too", async () => {
    const runtime = { ...RUNTIME, spec: { ...RUNTIME.spec, affinity: { nodeAffinity: {} }, nodeSelector: { a: 'b' } } };
    const dir = writeTree('knative-features-', {
      'tree.yaml': [runtime, isvc('Serverless', {}), configFeatures({})].map((o) => YAML.stringify(o)).join('---\n'),
    });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'rhoai-2', '--json'])).out);
    const mine = report.findings
      .filter((f: { rule: string }) => f.rule === 'knative-feature-disabled')
      .map((f: { message: string }) => f.message.slice(0, f.message.indexOf(' is set')));
    expect(mine).toEqual(['ServingRuntime vllm-runtime spec.affinity', 'ServingRuntime vllm-runtime spec.nodeSelector']);
  });

  test('silent in raw mode, on Allowed or enabled flags, on emptyDir, on false booleans and on storageUri pvc://', async () => {
    const fields = { nodeSelector: { gpu: 'a100' }, hostIPC: false, volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }] };
    expect(await found('rhoai-2', [isvc('RawDeployment', { ...INIT, ...fields })])).toEqual([]);
    expect(await found('rhoai-3.0', [isvc('Serverless', INIT)])).toEqual([]);
    expect(
      await found('kserve', [
        isvc('Serverless', { ...INIT, ...fields }),
        configFeatures({ 'kubernetes.podspec-nodeselector': 'Allowed', 'kubernetes.podspec-init-containers': 'ENABLED' }),
      ]),
    ).toEqual([]);
  });
});

describe('knative-feature-disabled: a Knative Service or Configuration of the tree', () => {
  const ksvc = (kind: string, pod: object) => ({
    apiVersion: 'serving.knative.dev/v1',
    kind,
    metadata: { name: 'api', namespace: 'ai' },
    spec: { template: { spec: { containers: [{ image: 'x:1' }], ...pod } } },
  });
  const features = (data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'config-features', namespace: 'knative-serving' },
    data,
  });
  const found = (docs: object[]) => ruleFindings('knative-feature-disabled', docs as Record<string, unknown>[]);
  const PVC = { volumes: [{ name: 'weights', persistentVolumeClaim: { claimName: 'weights' } }] };

  test("an error where the tree's config-features leaves the flag off; a warning on Knative's defaults", () => {
    expect(found([ksvc('Service', PVC), features({ 'kubernetes.podspec-persistent-volume-claim': 'disabled' })])).toEqual([
      expect.stringMatching(
        /^error Service\/ai\/api: spec\.template\.spec\.volumes\[0\] \(weights\)\.persistentVolumeClaim is set and ConfigMap config-features leaves kubernetes\.podspec-persistent-volume-claim off: Knative's webhook refuses the Service/,
      ),
    ]);
    expect(found([ksvc('Configuration', { nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Exists' }] })])).toEqual([
      expect.stringMatching(
        /^warning Configuration\/ai\/api: spec\.template\.spec\.nodeSelector is set: .*Assumed: kubernetes\.podspec-nodeselector is as in Knative's defaults/,
      ),
      expect.stringMatching(/^warning Configuration\/ai\/api: spec\.template\.spec\.tolerations is set/),
    ]);
  });

  test('near misses: the flag enabled, an emptyDir, a core Service', () => {
    expect(found([ksvc('Service', PVC), features({ 'kubernetes.podspec-persistent-volume-claim': 'enabled' })])).toEqual([]);
    expect(found([ksvc('Service', { volumes: [{ name: 'tmp', emptyDir: {} }] })])).toEqual([]);
    expect(found([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'ai' }, spec: { template: { spec: PVC } } }])).toEqual([]);
  });
});

describe('knative-feature-disabled: the default mode the repository around the checked folder installs', () => {
  /** The rule's findings on `serving/` of a git work tree that also holds the files given (an install outside the folder). */
  async function inRepository(files: Record<string, string>): Promise<string[]> {
    const tree = [RUNTIME, isvc(undefined, { nodeSelector: { gpu: 'a100' } })].map((o) => YAML.stringify(o)).join('---\n');
    const root = writeTree('knative-repo-', { 'serving/tree.yaml': tree, ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const report = JSON.parse((await cliInProcess(['check', path.join(root, 'serving'), '--platform', 'kserve', '--json'])).out);
    return report.findings.filter((f: { rule: string }) => f.rule === 'knative-feature-disabled').map((f: { severity: string }) => f.severity);
  }
  const VALUES = (mode: string) =>
    `kserve:\n  controller:\n    deploymentMode: ${mode}\n    ingress:\n      domainTemplate: "{{ .Name }}.{{ .IngressDomain }}"\n`;

  test('near misses: a Helm values file, an Application passing the chart values, or an inferenceservice-config of the repository sets raw mode', async () => {
    expect(await inRepository({ 'install/kserve-values.yaml': VALUES('RawDeployment') })).toEqual([]);
    const app =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: kserve\n  namespace: argocd\nspec:\n  source:\n    chart: kserve-resources\n' +
      '    repoURL: ghcr.io/kserve/charts\n    helm:\n      valuesObject:\n        kserve:\n          controller:\n            deploymentMode: Standard\n';
    expect(await inRepository({ 'argocd/kserve.yaml': app })).toEqual([]);
    const config =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inferenceservice-config\n  namespace: kserve\ndata:\n  deploy: \'{"defaultDeploymentMode": "RawDeployment"}\'\n';
    expect(await inRepository({ 'platform/config.yaml': config })).toEqual([]);
  });

  test('still a warning: installs of the repository that disagree, or one that keeps Knative', async () => {
    expect(await inRepository({ 'a/values.yaml': VALUES('RawDeployment'), 'b/values.yaml': VALUES('Serverless') })).toEqual(['warning']);
    expect(await inRepository({ 'a/values.yaml': VALUES('Knative') })).toEqual(['warning']);
  });
});

describe('knative-feature-disabled: flags a script of the tree patches into config-features or a KnativeServing', () => {
  async function withScript(script: string, predictor: object): Promise<[string, string][]> {
    const tree = [RUNTIME, isvc('Serverless', predictor)].map((o) => YAML.stringify(o)).join('---\n');
    const dir = writeTree('knative-patched-', { 'tree.yaml': tree, 'scripts/setup.sh': script });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'knative-feature-disabled')
      .map((f: { severity: string; message: string }) => [f.severity, f.message]);
  }
  const SELECTOR = { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L40S' } };
  const patch = (body: string, target = 'configmap config-features -n knative-serving') => `#!/bin/bash\nkubectl patch ${target} --type merge -p '${body}'\n`;

  test('a merge patch of config-features (JSON or YAML), a JSON patch, or a KnativeServing patch enabling the flag: no finding', async () => {
    expect(await withScript(patch('{"data":{"kubernetes.podspec-nodeselector":"enabled"}}'), SELECTOR)).toEqual([]);
    expect(await withScript(patch('data: {kubernetes.podspec-nodeselector: enabled}'), SELECTOR)).toEqual([]);
    const json = `kubectl patch cm/config-features -n knative-serving --type json -p '[{"op":"add","path":"/data/kubernetes.podspec-nodeselector","value":"enabled"}]'\n`;
    expect(await withScript(json, SELECTOR)).toEqual([]);
    const serving = patch(
      '{"spec":{"config":{"features":{"kubernetes.podspec-nodeselector":"enabled"}}}}',
      'knativeserving knative-serving -n knative-serving',
    );
    expect(await withScript(serving, SELECTOR)).toEqual([]);
  });

  test('a patch disabling the flag: an error naming the patch', async () => {
    expect(await withScript(patch('{"data":{"kubernetes.podspec-nodeselector":"disabled"}}'), SELECTOR)).toEqual([
      [
        'error',
        "spec.predictor.nodeSelector is set in Knative mode and the patch of ConfigMap config-features at scripts/setup.sh:2 leaves kubernetes.podspec-nodeselector off: Knative refuses it unless kubernetes.podspec-nodeselector is enabled, so KServe's Knative Service gets no revision and the service never becomes ready; enable it in the KnativeServing (spec.config.features) or drop the field",
      ],
    ]);
  });

  test("near misses that stay warnings: a patch of another flag (the rest is the cluster's), or of Knative Eventing's config-features", async () => {
    const other = await withScript(patch('{"data":{"kubernetes.podspec-volumes-emptydir":"enabled"}}'), SELECTOR);
    expect(other.map(([s]) => s)).toEqual(['warning']);
    expect(other[0][1]).toMatch(
      /Assumed: kubernetes.podspec-nodeselector is as in Knative's defaults \(the patch of ConfigMap config-features at scripts\/setup.sh:2 does not set it, and the tree holds no config-features or KnativeServing\)/,
    );
    const eventing = await withScript(
      patch('{"data":{"kubernetes.podspec-nodeselector":"enabled"}}', 'configmap config-features -n knative-eventing'),
      SELECTOR,
    );
    expect(eventing.map(([s]) => s)).toEqual(['warning']);
  });
});

describe('knative-feature-disabled: flags the repository around the checked folder sets for Knative Serving', () => {
  /** The rule's findings on `apps/chat/` of a git work tree that also holds the files given. */
  async function inRepository(files: Record<string, string>): Promise<[string, string][]> {
    const tree = [RUNTIME, isvc('Serverless', { nodeSelector: { pool: 'l40s' } })].map((o) => YAML.stringify(o)).join('---\n');
    const root = writeTree('knative-repo-flags-', { 'apps/chat/tree.yaml': tree, ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const report = JSON.parse((await cliInProcess(['check', path.join(root, 'apps/chat'), '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'knative-feature-disabled')
      .map((f: { severity: string; message: string }) => [f.severity, f.message]);
  }
  const generator = (literal: string) =>
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: knative-serving\nresources:\n' +
    '  - https://github.com/knative/serving/releases/download/knative-v1.15.0/serving-core.yaml\n' +
    `configMapGenerator:\n  - name: config-features\n    behavior: merge\n    literals:\n      - ${literal}\n`;

  test("a kustomization's configMapGenerator merging the flag into config-features, a ConfigMap, a KnativeServing: no finding", async () => {
    expect(await inRepository({ 'platform/knative/kustomization.yaml': generator('kubernetes.podspec-nodeselector=enabled') })).toEqual([]);
    const map = YAML.stringify(configFeatures({ 'kubernetes.podspec-nodeselector': 'enabled' }));
    expect(await inRepository({ 'platform/knative/features.yaml': map })).toEqual([]);
    const serving = YAML.stringify({
      apiVersion: 'operator.knative.dev/v1beta1',
      kind: 'KnativeServing',
      metadata: { name: 'knative-serving', namespace: 'knative-serving' },
      spec: { config: { features: { 'kubernetes.podspec-nodeselector': 'enabled' } } },
    });
    expect(await inRepository({ 'platform/serving.yaml': serving })).toEqual([]);
    const env = generator('x=y').replace('    literals:\n      - x=y\n', '    envs:\n      - features.env\n');
    expect(
      await inRepository({ 'platform/knative/kustomization.yaml': env, 'platform/knative/features.env': 'kubernetes.podspec-nodeselector=enabled\n' }),
    ).toEqual([]);
  });

  test('near misses that stay warnings: a generator of another flag, or one turning the flag off (named)', async () => {
    const other = await inRepository({ 'platform/knative/kustomization.yaml': generator('kubernetes.podspec-affinity=enabled') });
    expect(other.map(([s]) => s)).toEqual(['warning']);
    const off = await inRepository({ 'platform/knative/kustomization.yaml': generator('kubernetes.podspec-nodeselector=disabled') });
    expect(off.map(([s]) => s)).toEqual(['warning']);
    expect(off[0][1]).toMatch(
      /Assumed: kubernetes\.podspec-nodeselector is as in .*platform\/knative\/kustomization\.yaml \(configMapGenerator config-features, behavior merge\), outside the checked folder, which sets it to disabled\./,
    );
  });
});
