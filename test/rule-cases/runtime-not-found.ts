import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/** A scikit-learn service that names no runtime, in the namespace the tree creates (an Open Data Hub name). */
const SERVICE = [
  'apiVersion: v1',
  'kind: Namespace',
  'metadata: {name: opendatahub}',
  '---',
  'apiVersion: serving.kserve.io/v1beta1',
  'kind: InferenceService',
  'metadata: {name: churn, namespace: opendatahub}',
  'spec:',
  '  predictor:',
  '    sklearn: {storageUri: "s3://models/churn/v3/"}',
  '',
].join('\n');

/** A bootstrap script that drives the cluster with OpenShift's client. */
const BOOTSTRAP = '#!/bin/sh\nset -e\noc apply -k argocd/\n';

/** An Argo CD Application installing `chart` of `repo` at 0.13.0. */
const chartApplication = (chart: string, repo = 'https://kserve.github.io/helm-charts') =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: kserve, namespace: openshift-gitops}',
    'spec:',
    '  project: default',
    '  destination: {server: https://kubernetes.default.svc, namespace: kserve}',
    `  source: {repoURL: '${repo}', chart: ${chart}, targetRevision: 0.13.0}`,
    '',
  ].join('\n');

interface Checked {
  platform: { id: string; reason: string };
  findings: [string, string][];
}

async function checked(files: Record<string, string>): Promise<Checked> {
  const dir = writeTree('runtime-not-found-', files);
  const { out } = await cliInProcess(['check', dir, '--json']);
  const report = JSON.parse(out) as { platform: { id: string; reason: string }; findings: { rule: string; severity: string; message: string }[] };
  return { platform: report.platform, findings: report.findings.filter((f) => f.rule === 'runtime-not-found').map((f) => [f.severity, f.message]) };
}

describe('runtime-not-found: a tree that installs upstream KServe itself is judged on upstream KServe', () => {
  test("an Argo CD Application of KServe's `kserve` chart outweighs a namespace named opendatahub and `oc` in a script: the predictor gets KServe's sklearn runtime", async () => {
    const { platform, findings } = await checked({
      'apps/kserve.yaml': chartApplication('kserve'),
      'serving/isvc.yaml': SERVICE,
      'scripts/bootstrap.sh': BOOTSTRAP,
    });
    expect(findings).toEqual([]);
    expect(platform.id).toBe('kserve');
    expect(platform.reason).toMatch(
      /Application\/openshift-gitops\/kserve \(https:\/\/kserve\.github\.io\/helm-charts\) installs KServe's chart kserve 0\.13\.0 \(upstream KServe 0\.13\)/,
    );
    expect(platform.reason).toMatch(/overruled.*is in namespace opendatahub \(OpenShift AI\)/);
  });

  test('the same chart from the OCI registry, as an Argo CD source of the chart or of the artifact, and as a Flux HelmRelease', async () => {
    for (const app of [chartApplication('kserve', 'oci://ghcr.io/kserve/charts'), chartApplication('kserve', 'ghcr.io/kserve/charts')])
      expect((await checked({ 'apps/kserve.yaml': app, 'serving/isvc.yaml': SERVICE })).findings).toEqual([]);
    const artifact = chartApplication('kserve', 'oci://ghcr.io/kserve/charts/kserve').replace(', chart: kserve', ", path: '.'");
    expect((await checked({ 'apps/kserve.yaml': artifact, 'serving/isvc.yaml': SERVICE })).platform.id).toBe('kserve');
    const flux = [
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: HelmRepository',
      'metadata: {name: kserve, namespace: flux-system}',
      'spec: {type: oci, url: oci://ghcr.io/kserve/charts}',
      '---',
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata: {name: kserve, namespace: flux-system}',
      'spec:',
      '  chart: {spec: {chart: kserve, version: v0.13.0, sourceRef: {kind: HelmRepository, name: kserve}}}',
      '',
    ].join('\n');
    const { platform, findings } = await checked({ 'flux/kserve.yaml': flux, 'serving/isvc.yaml': SERVICE });
    expect([platform.id, findings]).toEqual(['kserve', []]);
  });

  test('near miss: the tree installs only the kserve-crd chart, which creates no ClusterServingRuntime: the error stays, saying why', async () => {
    const { platform, findings } = await checked({
      'apps/kserve.yaml': chartApplication('kserve-crd'),
      'serving/isvc.yaml': SERVICE,
      'scripts/bootstrap.sh': BOOTSTRAP,
    });
    expect(platform.id).toBe('kserve');
    expect(findings).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.predictor\.model\.runtime is unset \(spec\.predictor\.sklearn becomes a model of format 'sklearn'\) and no runtime in namespace 'opendatahub' or among the tree's ClusterServingRuntimes \(the tree installs KServe itself, and none of its installs creates KServe's runtimes: Application\/openshift-gitops\/kserve .* installs KServe's chart kserve-crd 0\.13\.0\)/,
        ),
      ],
    ]);
  });

  test("KServe's release manifests through a kustomization or a script: kserve.yaml alone creates no runtime, kserve-cluster-resources.yaml does", async () => {
    const release = 'https://github.com/kserve/kserve/releases/download/v0.13.0';
    const kustomized = (resources: string[]) => ({
      'kserve/kustomization.yaml': `resources:\n${resources.map((r) => `  - ${release}/${r}\n`).join('')}`,
      'serving/isvc.yaml': SERVICE,
    });
    expect((await checked(kustomized(['kserve.yaml', 'kserve-cluster-resources.yaml']))).findings).toEqual([]);
    const alone = await checked(kustomized(['kserve.yaml']));
    expect(alone.platform.id).toBe('kserve');
    expect(alone.findings).toEqual([
      ['error', expect.stringMatching(/none of its installs creates KServe's runtimes: \S*kustomization\.yaml installs '.*kserve\.yaml'/)],
    ]);
    const script = `#!/bin/sh\nhelm install kserve oci://ghcr.io/kserve/charts/kserve --version v0.13.0 -n kserve --create-namespace\n`;
    expect(await checked({ 'install.sh': script, 'serving/isvc.yaml': SERVICE })).toEqual({
      platform: expect.objectContaining({ id: 'kserve' }),
      findings: [],
    });
  });

  test('an Open Data Hub tree (operator Subscription and DataScienceCluster) is not affected: OpenShift AI installs no ClusterServingRuntimes', async () => {
    const odh = [
      'apiVersion: operators.coreos.com/v1alpha1',
      'kind: Subscription',
      'metadata: {name: opendatahub-operator, namespace: openshift-operators}',
      'spec: {name: opendatahub-operator, channel: fast, source: community-operators, sourceNamespace: openshift-marketplace}',
      '---',
      'apiVersion: datasciencecluster.opendatahub.io/v1',
      'kind: DataScienceCluster',
      'metadata: {name: default-dsc}',
      'spec: {components: {kserve: {managementState: Managed}}}',
      '',
    ].join('\n');
    const { platform, findings } = await checked({ 'operators/odh.yaml': odh, 'serving/isvc.yaml': SERVICE, 'scripts/bootstrap.sh': BOOTSTRAP });
    expect(platform.id).toMatch(/^rhoai-/);
    expect(findings).toEqual([['error', expect.stringMatching(/no runtime in namespace 'opendatahub' \(OpenShift AI installs no ClusterServingRuntimes\)/)]]);
  });
});

/** A vLLM service that names no runtime, in the namespace the tree creates, and a script installing KServe `version`. */
const vllmAtRelease = (version: string) => ({
  'install.sh': `#!/bin/sh\nset -e\nKSERVE_VERSION="${version}"\nhelm upgrade --install kserve oci://ghcr.io/kserve/charts/kserve --version "\${KSERVE_VERSION}" -n kserve --create-namespace\n`,
  'serving/isvc.yaml': [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata: {name: chat}',
    '---',
    'apiVersion: serving.kserve.io/v1beta1',
    'kind: InferenceService',
    'metadata: {name: assistant, namespace: chat}',
    'spec:',
    '  predictor:',
    '    model:',
    '      modelFormat: {name: vLLM}',
    '      storageUri: hf://example-org/assistant-8b',
    '',
  ].join('\n'),
});

describe("runtime-not-found: KServe's runtimes at the release the tree installs", () => {
  test('KServe 0.16 has no runtime for format vLLM (kserve-vllmserver came with 0.20): the error says which release would', async () => {
    const { findings } = await checked(vllmAtRelease('v0.16.0'));
    expect(findings).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.predictor\.model\.runtime is unset and no runtime in namespace 'chat' or among the ClusterServingRuntimes auto-selects format 'vLLM' \(the tree creates namespace 'chat'\): .*KServe's kserve-vllmserver \(from KServe 0\.20\) would auto-select it, but the tree installs KServe 0\.16 \(\S*install\.sh installs 'oci:\/\/ghcr\.io\/kserve\/charts\/kserve:v0\.16\.0'/,
        ),
      ],
    ]);
  });

  test('near miss: the same tree installing KServe 0.20, which has kserve-vllmserver, gives no finding', async () => {
    expect((await checked(vllmAtRelease('v0.20.0'))).findings).toEqual([]);
  });

  test('near miss: a release the script does not state (a branch) is not judged by release: no finding', async () => {
    expect((await checked(vllmAtRelease('master'))).findings).toEqual([]);
  });
});

describe('runtime-not-found: the ClusterServingRuntimes the repository around the checked folder installs', () => {
  const service = [
    'apiVersion: serving.kserve.io/v1beta1',
    'kind: InferenceService',
    'metadata: {name: scorer, namespace: scoring}',
    'spec:',
    '  predictor:',
    '    model:',
    '      modelFormat: {name: sklearn}',
    '      runtime: house-sklearn',
    '      storageUri: gs://bucket/model',
    '',
  ].join('\n');
  const runtime = [
    'apiVersion: serving.kserve.io/v1alpha1',
    'kind: ClusterServingRuntime',
    'metadata: {name: house-sklearn}',
    'spec:',
    '  supportedModelFormats: [{name: sklearn, version: "1", autoSelect: true}]',
    // KServe fills the runtime's {{.Name}} when it makes the predictor: the file is a manifest, not a Helm template
    '  containers: [{name: kserve-container, image: "kserve/sklearnserver:v0.10.0", args: ["--model_name={{.Name}}"]}]',
    '',
  ].join('\n');
  const report = async (files: Record<string, string>, options: string[]) => {
    const root = writeTree('runtime-repo-', files);
    fs.mkdirSync(path.join(root, '.git'));
    return JSON.parse((await cliInProcess(['check', path.join(root, 'samples'), ...options, '--json'])).out) as {
      platform: { id: string };
      findings: { rule: string; severity: string }[];
    };
  };
  const found = async (files: Record<string, string>) =>
    (await report(files, ['--platform', 'kserve'])).findings.filter((f) => f.rule === 'runtime-not-found').map((f) => f.severity);

  test("the repository's install manifest defines the named runtime: the note naming its file, not the warning", async () => {
    expect(await found({ 'samples/isvc.yaml': service, 'install/runtimes.yaml': runtime })).toEqual(['info']);
  });

  test('a service that names no runtime: the repository runtime auto-selects its format, no finding', async () => {
    const unnamed = service.replace('      runtime: house-sklearn\n', '').replace('{name: sklearn}', '{name: house-format}');
    const custom = runtime.replace('{name: sklearn,', '{name: house-format,');
    expect(await found({ 'samples/isvc.yaml': unnamed, 'install/runtimes.yaml': custom })).toEqual([]);
    expect(await found({ 'samples/isvc.yaml': unnamed })).toEqual(['warning']);
  });

  test('no such runtime in the repository (or one of another name): still the warning', async () => {
    expect(await found({ 'samples/isvc.yaml': service })).toEqual(['warning']);
    expect(await found({ 'samples/isvc.yaml': service, 'install/runtimes.yaml': runtime.replace('house-sklearn', 'other-sklearn') })).toEqual(['warning']);
  });

  test("an OpenShift mark alone (a Route annotation) leaves the platform to the repository, whose runtime's upstream image tells upstream KServe; the runtime still explains the name", async () => {
    const marked = service.replace(
      'metadata: {name: scorer, namespace: scoring}',
      'metadata: {name: scorer, namespace: scoring, annotations: {route.openshift.io/termination: edge}}',
    );
    const withRuntime = await report({ 'samples/isvc.yaml': marked, 'install/runtimes.yaml': runtime }, []);
    expect(withRuntime.platform.id).toBe('kserve');
    expect(withRuntime.findings.filter((f) => f.rule === 'runtime-not-found').map((f) => f.severity)).toEqual(['info']);
    // near miss: no runtime of the name in the repository, OpenShift AI assumed, the warning of the assumed platform stays
    const without = await report({ 'samples/isvc.yaml': marked }, []);
    expect(without.platform.id).toMatch(/^rhoai-/);
    expect(without.findings.filter((f) => f.rule === 'runtime-not-found').map((f) => f.severity)).toEqual(['warning']);
  });

  test('a Helm template of the runtime in the repository is no manifest until rendered: the warning stays', async () => {
    const helm = runtime.replace('name: house-sklearn', 'name: {{ .Values.runtimeName | default "house-sklearn" }}');
    expect(await found({ 'samples/isvc.yaml': service, 'chart/templates/runtime.yaml': helm })).toEqual(['warning']);
  });
});

describe('runtime-not-found: a runtime field a configurations file adds to the namePrefix field specs', () => {
  const RUNTIME =
    'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata: {name: bench-vllm}\nspec:\n  supportedModelFormats: [{name: vLLM}]\n  containers: [{name: kserve-container, image: docker.io/vllm/vllm-openai:v0.8.5}]\n';
  const SERVICE_OF_RUNTIME =
    'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: bench}\nspec:\n  predictor:\n    model: {modelFormat: {name: vLLM}, runtime: bench-vllm, storageUri: "pvc://models/granite"}\n';
  const tree = (affixes: string | undefined) => ({
    'overlay/kustomization.yaml': 'namePrefix: granite-\nresources: [../shared]\n',
    'shared/kustomization.yaml': `namespace: llm-bench\nresources: [runtime.yaml, service.yaml]\n${affixes ? 'configurations: [affixes.yaml]\n' : ''}`,
    'shared/runtime.yaml': RUNTIME,
    'shared/service.yaml': SERVICE_OF_RUNTIME,
    ...(affixes ? { 'shared/affixes.yaml': affixes } : {}),
  });
  const run = async (files: Record<string, string>) => {
    const dir = writeTree('runtime-prefixed-', files);
    const { out } = await cliInProcess(['check', path.join(dir, 'overlay'), '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object?: string; message: string }[] }).findings;
  };

  test('the prefix reaches the runtime field as it reaches the runtime: no finding, and the section is applied (no warning)', async () => {
    const findings = await run(tree('namePrefix:\n  - path: metadata/name\n  - {kind: InferenceService, path: spec/predictor/model/runtime}\n'));
    expect(findings.filter((f) => f.rule === 'runtime-not-found' || f.rule === 'input-not-followed')).toEqual([]);
  });

  test('near miss: without the configurations file the runtime field keeps its written name: the error stays', async () => {
    const findings = (await run(tree(undefined))).filter((f) => f.rule === 'runtime-not-found');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/^ServingRuntime 'bench-vllm' is in the build as 'granite-bench-vllm'.*renamed it/),
      }),
    ]);
  });

  test('near miss: a field spec of another kind leaves the runtime field alone: the error stays', async () => {
    const findings = await run(tree('namePrefix:\n  - {kind: InferenceGraph, path: spec/predictor/model/runtime}\n'));
    expect(findings.filter((f) => f.rule === 'runtime-not-found').map((f) => f.severity)).toEqual(['error']);
  });
});
