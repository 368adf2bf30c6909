import { treeKserveRelease } from '../../lib/check/kserve-release';
import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { inferPlatform } from '../../lib/check/platform';
import { cliInProcess, ROOT, tempDir, writeTree } from '../util';

const DIST = path.join(ROOT, 'dist');
const DIST_34 = path.join(ROOT, 'examples', 'dist-rhoai-3.4');

type Json = {
  platform: { id: string; source: string; reason: string };
  kueue: { release: string; redHat?: string; source: string; reason: string };
  findings: { rule: string; severity: string; object: string; message: string }[];
};
const checkJson = async (...args: string[]): Promise<Json> => JSON.parse((await cliInProcess(['check', ...args, '--json'])).out) as Json;
const deprecated = (j: Json) => j.findings.filter((f) => f.rule === 'deprecated-api-version');

describe('check on the platform the tree targets', () => {
  test('--platform rhoai-3.4 on the 3.0 tree reports deprecated-api-version on each Kueue object, naming the replacement', async () => {
    const j = await checkJson(DIST, '--platform', 'rhoai-3.4');
    const kueue = deprecated(j).filter((f) => !f.object.startsWith('InferenceService/'));
    expect(kueue.map((f) => f.object).sort()).toEqual([
      'ClusterQueue/rhoai-main-queue',
      'LocalQueue/private-ai/default',
      'ResourceFlavor/cpu-batch',
      'ResourceFlavor/nvidia-l4-1gpu',
      'ResourceFlavor/nvidia-l4-4gpu',
    ]);
    // nothing in the tree tells the Kueue release: OpenShift AI 3.4's default, Red Hat build of Kueue 1.3, is assumed and
    // said, and the advice carries its condition (an earlier Kueue refuses v1beta2): a note, not a change to make on a guess
    for (const f of kueue) {
      expect(f.severity).toBe('info');
      expect(f.message).toMatch(
        /^kueue.x-k8s.io\/v1beta1 is deprecated where the cluster runs Kueue 0.16 and later .*Kueue 0.15 and later serve kueue.x-k8s.io\/v1beta2: .*write kueue.x-k8s.io\/v1beta2.*but on an earlier Kueue .* is not served .*\. Kueue 0.16 \(Red Hat build of Kueue 1.3\) is assumed \(the default for rhoai-3.4.*--kueue <version>/,
      );
    }
    // stated, the advice is exact
    const stated = deprecated(await checkJson(DIST, '--platform', 'rhoai-3.4', '--kueue', '1.3')).filter((f) => f.object === 'ClusterQueue/rhoai-main-queue');
    expect(stated.map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        expect.stringMatching(/^kueue.x-k8s.io\/v1beta1 is deprecated on Kueue 0.16 \(Red Hat build of Kueue 1.3\): .*write kueue.x-k8s.io\/v1beta2/),
      ],
    ]);
    expect(kueue.find((f) => f.object.startsWith('ClusterQueue'))!.message).toMatch(/\(flavorFungibility.whenCanBorrow Borrow becomes MayStopSearch\)/);
    // the deployment mode the 3.0 tree writes is an alias there, named with its replacement
    const services = deprecated(j).filter((f) => f.object.startsWith('InferenceService/'));
    expect(services.map((f) => f.object).sort()).toEqual([
      'InferenceService/private-ai/mistral-small-24b',
      'InferenceService/private-ai/mistral-small-24b-tp4',
    ]);
    for (const f of services) expect(f.message).toMatch(/'RawDeployment' is a deprecated alias on OpenShift AI 3.4 .*write 'Standard'/);
  });

  test('the text output counts the Kueue v1beta1 deprecation once for the tree; --verbose lists each object', async () => {
    const text = (await cliInProcess(['check', DIST, '--platform', 'rhoai-3.4', '--wide'])).out;
    const rows = text.split('\n').filter((l) => l.includes('deprecated-api-version') && l.includes('kueue.x-k8s.io/v1beta1'));
    expect(rows).toEqual([
      expect.stringMatching(
        /5 objects +Kueue objects in kueue.x-k8s.io\/v1beta1, deprecated from Kueue 0.16 and later: write kueue.x-k8s.io\/v1beta2 only where the cluster runs Kueue 0.15 and later .*\(5 objects; --verbose lists each\)/,
      ),
    ]);
    const verbose = (await cliInProcess(['check', DIST, '--platform', 'rhoai-3.4', '--wide', '--verbose'])).out;
    expect(verbose.split('\n').filter((l) => l.includes('deprecated-api-version') && l.includes('kueue.x-k8s.io/v1beta1 is deprecated')).length).toBe(5);
  });

  test('on the 3.4 tree, for 3.4, none; for 3.0 its v1beta2 objects tell a Kueue that serves them, and --kueue 1.2 refuses them', async () => {
    expect(deprecated(await checkJson(DIST_34, '--platform', 'rhoai-3.4'))).toEqual([]);
    const j30 = await checkJson(DIST_34, '--platform', 'rhoai-3.0');
    // on OpenShift AI 3.x Kueue is the separate Red Hat build: v1beta2 objects mean one that serves v1beta2 (1.3, Kueue 0.16)
    expect(j30.kueue).toEqual({
      release: '0.16',
      redHat: '1.3',
      source: 'tree',
      reason: expect.stringMatching(/ is kueue.x-k8s.io\/v1beta2, which Kueue serves from 0.15 on/),
    });
    expect(j30.findings.filter((f) => f.rule === 'kind-not-served')).toEqual([]);
    const on12 = await checkJson(DIST_34, '--platform', 'rhoai-3.0', '--kueue', '1.2');
    expect(on12.kueue).toEqual({ release: '0.14', redHat: '1.2', source: 'flag', reason: '--kueue 1.2' });
    // an unserved version is kind-not-served's error, not a deprecation
    expect(deprecated(on12)).toEqual([]);
    const refused = on12.findings.filter((f) => f.rule === 'kind-not-served');
    expect(refused.length).toBe(5);
    expect(
      refused.every(
        (f) =>
          f.severity === 'error' &&
          /^kueue.x-k8s.io\/v1beta2 is not served for \w+ by Kueue 0.14 \(Red Hat build of Kueue 1.2\) \(--kueue 1.2\): .* write kueue.x-k8s.io\/v1beta1$/.test(
            f.message,
          ),
      ),
    ).toBe(true);
  });

  test("t02's pattern: OpenShift AI 3.3 with a kueue-operator Subscription on stable-v1.3 and v1beta2 queues: no finding on the queues", () => {
    const tree = [
      {
        manifest: {
          apiVersion: 'operators.coreos.com/v1alpha1',
          kind: 'Subscription',
          metadata: { name: 'kueue-operator', namespace: 'openshift-kueue-operator' },
          spec: {
            channel: 'stable-v1.3',
            installPlanApproval: 'Automatic',
            name: 'kueue-operator',
            source: 'redhat-operators',
            sourceNamespace: 'openshift-marketplace',
          },
        },
      },
      { manifest: { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ResourceFlavor', metadata: { name: 'gpu' }, spec: {} } },
      {
        manifest: {
          apiVersion: 'kueue.x-k8s.io/v1beta2',
          kind: 'LocalQueue',
          metadata: { name: 'models', namespace: 'serving' },
          spec: { clusterQueue: 'models' },
        },
      },
    ];
    const rules = ['kind-not-served', 'deprecated-api-version'];
    expect(runChecks(tree, { platform: 'rhoai-3.3', rules })).toEqual([]);
    // the same queues on a cluster subscribed to stable-v1.2: refused, naming the Subscription
    const on12 = [{ manifest: { ...tree[0].manifest, spec: { ...tree[0].manifest.spec, channel: 'stable-v1.2' } } }, ...tree.slice(1)];
    const refused = runChecks(on12, { platform: 'rhoai-3.3', rules });
    expect(refused.map((f) => [f.severity, f.object])).toEqual([
      ['error', 'LocalQueue/serving/models'],
      ['error', 'ResourceFlavor/gpu'],
    ]);
    expect(refused[0].message).toMatch(
      /by Kueue 0.14 \(Red Hat build of Kueue 1.2\) \(Subscription\/openshift-kueue-operator\/kueue-operator subscribes kueue-operator channel stable-v1.2/,
    );
  });

  // kubernetes-sigs/kueue apis/config is the format of controller_manager_config.yaml, not a served API
  test("Kueue's configuration file as an object: an error where the tree delivers it, a note where nothing applies it", () => {
    const config = { apiVersion: 'config.kueue.x-k8s.io/v1beta2', kind: 'Configuration', fairSharing: { enable: true } };
    const on = (input: { manifest: unknown; kustomizations?: string[] }[]) =>
      runChecks(input, { platform: 'rhoai-3.0', rules: ['kind-not-served'] }).map((f) => [f.severity, f.message.slice(0, 80)]);
    expect(on([{ manifest: config, kustomizations: ['/repo/kueue'] }])).toEqual([
      ['error', "config.kueue.x-k8s.io/v1beta2 Configuration is the format of Kueue's manager con"],
    ]);
    // among loose files nothing hands it to the API server: the component's configuration, a note (the kubelet's too);
    // a cluster-creation tool's (kind's), read before any API server exists, is that tool's file: silent
    expect(on([{ manifest: config }])).toEqual([['info', expect.stringMatching(/^config.kueue.x-k8s.io\/v1beta2 Configuration is the format/)]]);
    const kubelet = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', maxPods: 250 };
    expect(on([{ manifest: kubelet }])).toEqual([
      ['info', expect.stringMatching(/^kubelet.config.k8s.io\/v1beta1 KubeletConfiguration is the format of the kubelet'/)],
    ]);
    const kindCluster = { apiVersion: 'kind.x-k8s.io/v1alpha4', kind: 'Cluster', nodes: [{ role: 'control-plane' }] };
    expect(on([{ manifest: kindCluster }])).toEqual([]);
    expect(on([{ manifest: kindCluster, kustomizations: ['/repo/app'] }])).toEqual([['error', expect.stringMatching(/^kind.x-k8s.io\/v1alpha4 Cluster/)]]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(on([{ manifest: config }, { manifest: cm, kustomizations: ['/repo/app'] }]).map(([s]) => s)).toEqual(['info']);
  });

  test("a tool's configuration beside files the tree's scripts apply one by one is the tool's file (kind create cluster --config): silent; applied by a script, an error", () => {
    const files = {
      'manifests/kind-cluster.yaml': 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n  - role: control-plane\n',
      'manifests/k3d.yaml': 'apiVersion: k3d.io/v1alpha5\nkind: Simple\nmetadata: {name: lab}\nservers: 1\n',
      'manifests/queue.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n',
    };
    const on = (extra: Record<string, string>) => {
      const { manifests, ...delivery } = readManifests([writeTree('tool-config-', { ...files, ...extra })]);
      return runChecks(manifests, { platform: 'rhoai-3.0', rules: ['kind-not-served'], scriptApplied: delivery.scriptApplied }).map((f) => [
        f.severity,
        f.object,
      ]);
    };
    // the script enters the tree's root from its own folder, as scripts run from anywhere do
    const create =
      '#!/bin/bash\nset -e\ncd "$(dirname "$0")/.."\nkind create cluster --config manifests/kind-cluster.yaml\nk3d cluster create --config manifests/k3d.yaml\n';
    expect(on({ 'scripts/up.sh': `${create}kubectl apply -f manifests/queue.yaml\n` })).toEqual([]);
    expect(on({ 'scripts/up.sh': `${create}kubectl apply -f manifests/\n` })).toEqual([
      ['error', 'Cluster/<no name>'],
      ['error', 'Simple/lab'],
    ]);
    // no script applies anything: cluster-creation files among loose ones are still the tools' own
    expect(on({})).toEqual([]);
  });

  test('a Kueue version unserved only on the assumed Kueue is a warning naming the assumption; stated, an error or nothing', () => {
    const cohort = { manifest: { apiVersion: 'kueue.x-k8s.io/v1alpha1', kind: 'Cohort', metadata: { name: 'org' }, spec: {} } };
    const on = (kueue?: string) =>
      runChecks([cohort], { platform: 'rhoai-3.0', rules: ['kind-not-served'], ...(kueue ? { kueue } : {}) }).map((f) => [f.severity, f.message]);
    expect(on()).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^kueue.x-k8s.io\/v1alpha1 is not served for Cohort by Kueue 0.14 \(Red Hat build of Kueue 1.2\): .*write kueue.x-k8s.io\/v1beta1\. Kueue 0.14 .* is assumed .*--kueue <version>/,
        ),
      ],
    ]);
    // Red Hat build of Kueue 1.1 is Kueue 0.12, whose Cohort is v1alpha1 only (kueue v0.12.0 CRDs)
    expect(on('1.1')).toEqual([]);
    expect(on('v0.12.8')).toEqual([]);
    expect(on('1.2')).toEqual([['error', expect.stringMatching(/by Kueue 0.14 \(Red Hat build of Kueue 1.2\) \(--kueue 1.2\)/)]]);
    expect(() => runChecks([cohort], { kueue: '2.0' })).toThrow(
      /--kueue 2.0: not a Kueue release the tool knows; write a Red Hat build of Kueue release \(1.0, 1.1, 1.2, 1.3, 1.4/,
    );
  });

  test('without --platform the tree tells it, and the output says which and why (text, JSON, SARIF)', async () => {
    const j = await checkJson(DIST_34);
    expect(j.platform).toEqual({ id: 'rhoai-3.4', source: 'inferred', reason: expect.stringMatching(/inferred from the tree: .*deploymentMode Standard/) });
    expect(j.findings).toEqual((await checkJson(DIST_34, '--platform', 'rhoai-3.4')).findings);
    const text = (await cliInProcess(['check', DIST_34])).out;
    expect(text).toMatch(/\nplatform: rhoai-3.4 \(inferred from the tree: /);
    const sarif = JSON.parse((await cliInProcess(['check', DIST_34, '--format', 'sarif'])).out) as {
      runs: { properties: { platform: { platform: string } } }[];
    };
    expect(sarif.runs[0].properties.platform).toMatchObject({ platform: 'rhoai-3.4', source: 'inferred' });
    // the Kueue release too, in each format
    expect(text).toMatch(/\nkueue: 0.16 \(Red Hat build of Kueue 1.3\) \(\w+\/[^ ]+ is kueue.x-k8s.io\/v1beta2, which Kueue serves from 0.15 on/);
    expect((sarif.runs[0].properties as Record<string, unknown>).kueue).toMatchObject({ release: '0.16', redHat: '1.3', source: 'tree' });
    expect((await cliInProcess(['check', DIST])).out).toMatch(
      /\nkueue: 0.14 \(Red Hat build of Kueue 1.2\) \(the default for rhoai-3.0, .*, assumed: pass --kueue to state it\)/,
    );
  });

  test('a raw service the dashboard made keeps its Knative passthrough annotation: not Serverless, not 2.x (text, JSON, SARIF)', async () => {
    const service = (mode: string) => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: granite-chat
  namespace: team-llm
  labels:
    opendatahub.io/dashboard: "true"
  annotations:
    serving.kserve.io/deploymentMode: ${mode}
    serving.knative.openshift.io/enablePassthrough: "true"
    sidecar.istio.io/inject: "true"
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: granite-runtime
      storageUri: s3://weights/granite/
`;
    const raw = writeTree('platform-raw-', { 'isvc.yaml': service('RawDeployment') });
    const j = await checkJson(raw);
    expect(j.platform.id).not.toBe('rhoai-2');
    expect(j.platform.reason).not.toMatch(/Knative/);
    const text = (await cliInProcess(['check', raw])).out;
    expect(text).toMatch(/\nplatform: rhoai-3\.\d /);
    expect(text).not.toMatch(/\nplatform: [^\n]*Knative/);
    const sarif = JSON.parse((await cliInProcess(['check', raw, '--format', 'sarif'])).out) as {
      runs: { properties: { platform: { platform: string; reason: string } } }[];
    };
    expect(sarif.runs[0].properties.platform.platform).toBe(j.platform.id);
    expect(sarif.runs[0].properties.platform.reason).not.toMatch(/Knative/);
    // near miss: the same service written Serverless is served by Knative, and tells 2.x
    const serverless = await checkJson(writeTree('platform-serverless-', { 'isvc.yaml': service('Serverless') }));
    expect(serverless.platform).toMatchObject({ id: 'rhoai-2', reason: expect.stringContaining('is served by Knative') });
  });

  test('without --platform and nothing telling another, the default platform is judged exactly as when given', async () => {
    const assumed = await checkJson(DIST);
    expect(assumed.platform).toEqual({ id: 'rhoai-3.0', source: 'default', reason: expect.stringMatching(/rhoai-3.0 \(the default\) assumed/) });
    expect(assumed.findings).toEqual((await checkJson(DIST, '--platform', 'rhoai-3.0')).findings);
    // a Serverless service on OpenShift AI whose release nothing else tells: Knative serving left with 3.0, so the
    // service itself tells 2.x (and the output says so); given 3.0, the same service is an error
    const serverless = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 's',
        namespace: 'n',
        labels: { 'opendatahub.io/dashboard': 'true' },
        annotations: { 'serving.kserve.io/deploymentMode': 'Serverless' },
      },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storageUri: 's3://b/m/' } } },
    };
    const rule = (manifest: object, platform?: 'rhoai-3.0') => runChecks([{ manifest }], { platform }).filter((f) => f.rule === 'deployment-mode');
    expect(inferPlatform([{ manifest: serverless }])).toMatchObject({
      platform: 'rhoai-2',
      source: 'inferred',
      reason: expect.stringContaining('served by Knative'),
    });
    expect(rule(serverless)).toEqual([]);
    expect(rule(serverless, 'rhoai-3.0')[0].severity).toBe('error');
    // with no OpenShift or OpenShift AI mark at all the tree is judged as upstream KServe, where Serverless is the default mode
    const { labels: _labels, ...unmarked } = serverless.metadata;
    expect(rule({ ...serverless, metadata: unmarked })).toEqual([]);
  });

  test('a project default in .cdk8s-vllm.json beside the tree wins over what the tree tells; a broken one is an input error', async () => {
    const repo = tempDir('platform-project-');
    fs.mkdirSync(path.join(repo, '.git'));
    const tree = path.join(repo, 'gitops', 'app');
    fs.mkdirSync(tree, { recursive: true });
    fs.copyFileSync(path.join(DIST_34, 'gitops', 'step-05-llm-on-vllm', 'cluster', 'kueue-quota.yaml'), path.join(tree, 'kueue-quota.yaml'));
    // v1beta2 Kueue objects tell the Kueue release, not the platform (Kueue is a separate operator on OpenShift AI 3.x)
    const told = await checkJson(tree);
    // and Kueue objects alone carry no OpenShift mark: upstream KServe is assumed
    expect([told.platform.id, told.platform.source, told.kueue.release, told.kueue.source]).toEqual(['kserve', 'default', '0.16', 'tree']);
    fs.writeFileSync(path.join(repo, '.cdk8s-vllm.json'), '{"platform": "kserve", "kueue": "0.15"}');
    const j = await checkJson(tree);
    expect(j.platform).toEqual({ id: 'kserve', source: 'project', reason: `the project default in ${path.join(repo, '.cdk8s-vllm.json')}` });
    expect(j.kueue).toEqual({ release: '0.15', source: 'project', reason: `"kueue": "0.15" in ${path.join(repo, '.cdk8s-vllm.json')}` });
    expect((await checkJson(tree, '--kueue', '1.4')).kueue).toEqual({ release: '0.18', redHat: '1.4', source: 'flag', reason: '--kueue 1.4' });
    fs.writeFileSync(path.join(repo, '.cdk8s-vllm.json'), '{"kueue": "1.3"}');
    expect((await checkJson(tree)).platform.source).toBe('default');
    expect((await checkJson(tree)).kueue).toMatchObject({ release: '0.16', redHat: '1.3', source: 'project' });
    fs.writeFileSync(path.join(repo, '.cdk8s-vllm.json'), '{"platform": "kserve", "kueue": "1.9"}');
    const badKueue = await cliInProcess(['check', tree]);
    expect([badKueue.code, badKueue.err + badKueue.out]).toEqual([
      2,
      expect.stringMatching(/\.cdk8s-vllm\.json: 'kueue' is "1.9"; write a Red Hat build of Kueue release/),
    ]);
    expect((await cliInProcess(['check', tree, '--kueue', 'latest'])).code).toBe(2);
    fs.writeFileSync(path.join(repo, '.cdk8s-vllm.json'), '{"platform": "kserve"}');
    expect((await checkJson(tree, '--platform', 'rhoai-3.4')).platform.source).toBe('flag');
    fs.writeFileSync(path.join(repo, '.cdk8s-vllm.json'), '{"platform": "rhoai-9"}');
    const bad = await cliInProcess(['check', tree]);
    expect(bad.code).toBe(2);
    expect(bad.err + bad.out).toMatch(/\.cdk8s-vllm\.json: 'platform' is "rhoai-9"; write one of rhoai-2, rhoai-3.0, rhoai-3.3, rhoai-3.4, kserve/);
  });
});

describe('inferPlatform: what the objects tell', () => {
  const isvc = (mode?: string, labels: Record<string, string> = {}) => ({
    manifest: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'x', namespace: 'n', labels, ...(mode ? { annotations: { 'serving.kserve.io/deploymentMode': mode } } : {}) },
    },
  });
  const kind = (apiVersion: string, k: string) => ({ manifest: { apiVersion, kind: k, metadata: { name: 'y' } } });

  test('signals narrow the platforms; only OpenShift AI metadata separates 3.4 from upstream KServe', () => {
    expect(inferPlatform([isvc('RawDeployment')]).platform).toBe('kserve');
    expect(inferPlatform([isvc('RawDeployment', { 'opendatahub.io/dashboard': 'true' })]).platform).toBe('rhoai-3.0');
    // KServe 0.16+ names and LLMInferenceService v1alpha2 are upstream KServe's too: without an OpenShift AI mark, kserve
    expect(inferPlatform([isvc('Knative')])).toMatchObject({ platform: 'kserve', source: 'inferred' });
    expect(inferPlatform([kind('serving.kserve.io/v1alpha2', 'LLMInferenceService')]).platform).toBe('kserve');
    expect(inferPlatform([isvc('Knative', { 'opendatahub.io/dashboard': 'true' })])).toMatchObject({ platform: 'rhoai-3.4', source: 'inferred' });
    expect(inferPlatform([isvc('Standard'), kind('serving.kserve.io/v1alpha1', 'ClusterServingRuntime')])).toMatchObject({
      platform: 'kserve',
      reason: expect.stringMatching(/ClusterServingRuntime\/y exists only in upstream KServe/),
    });
    expect(inferPlatform([kind('dashboard.opendatahub.io/v1alpha1', 'HardwareProfile')]).platform).toBe('rhoai-2');
    expect(inferPlatform([kind('infrastructure.opendatahub.io/v1', 'HardwareProfile')])).toMatchObject({
      platform: 'rhoai-3.0',
      source: 'default',
      reason: expect.stringMatching(/^the tree leaves rhoai-3.0, rhoai-3.3, rhoai-3.4 \(HardwareProfile\/y is infrastructure.opendatahub.io\/v1/),
    });
  });

  test('an OpenShift AI mark overrules an upstream one, and the reason names both', () => {
    const r = inferPlatform([isvc('Standard', { 'opendatahub.io/dashboard': 'true' }), kind('serving.kserve.io/v1alpha1', 'ClusterServingRuntime')]);
    expect(r).toMatchObject({
      platform: 'rhoai-3.4',
      source: 'inferred',
      reason: expect.stringMatching(
        /overruled: ClusterServingRuntime\/y exists only in upstream KServe, by the stronger InferenceService\/n\/x reads or writes opendatahub.io\/dashboard/,
      ),
    });
  });

  test('the platforms the overruled signals point to are kept as the conflict; a tree whose signals agree has none', () => {
    const r = inferPlatform([isvc('Standard', { 'opendatahub.io/dashboard': 'true' }), kind('serving.kserve.io/v1alpha1', 'ClusterServingRuntime')]);
    expect(r.conflict).toEqual({
      platforms: ['kserve'],
      says: expect.stringMatching(
        /^ClusterServingRuntime\/y exists only in upstream KServe, overruled by InferenceService\/n\/x reads or writes opendatahub.io\/dashboard/,
      ),
    });
    expect(inferPlatform([isvc('Standard', { 'opendatahub.io/dashboard': 'true' })]).conflict).toBeUndefined();
  });
});

describe('two deliveries for two platforms in one tree', () => {
  // an upstream KServe runtime beside an OpenShift AI one, as a project ships both: the signals conflict
  const tree = (annotation: unknown) => [
    {
      manifest: {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'ClusterServingRuntime',
        metadata: { name: 'upstream' },
        spec: { supportedModelFormats: [{ name: 'onnx' }], containers: [{ name: 'kserve-container', image: 'example.com/server:1' }] },
      },
    },
    {
      manifest: {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'ServingRuntime',
        metadata: { name: 'dashboard', namespace: 'ai', annotations: { 'opendatahub.io/runtime-version': annotation } },
        spec: { supportedModelFormats: [{ name: 'onnx' }], containers: [{ name: 'kserve-container', image: 'example.com/server:1' }] },
      },
    },
  ];
  const of = (rule: string, findings: ReturnType<typeof runChecks>) => findings.filter((f) => f.rule === rule).map((f) => [f.severity, f.message]);

  test('without --platform, an error that holds only on the platform chosen is a warning naming the conflict and the choice', () => {
    expect(of('cluster-serving-runtime', runChecks(tree('1.0')))).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^OpenShift AI does not install the ClusterServingRuntime CRD.* \(judged for rhoai-3.0, a choice the tree's platform signals leave in doubt \(ClusterServingRuntime\/upstream exists only in upstream KServe, overruled by ServingRuntime\/ai\/dashboard .*\); on kserve this does not hold: pass --platform\)$/,
        ),
      ],
    ]);
  });

  test('an error that holds on the overruled platform too stays one; with --platform given, the platform-bound error stays one', () => {
    expect(of('metadata-invalid', runChecks(tree(2026.2)))).toEqual([['error', expect.stringMatching(/is number 2026.2, not a string/)]]);
    expect(of('cluster-serving-runtime', runChecks(tree('1.0'), { platform: 'rhoai-3.0' }))).toEqual([['error', expect.not.stringMatching(/in doubt/)]]);
  });
});

describe('deprecated-api-version', () => {
  const on = (platform: 'rhoai-3.0' | 'rhoai-3.4' | 'kserve', manifest: Record<string, unknown>) =>
    runChecks([{ manifest }], { platform })
      .filter((f) => f.rule === 'deprecated-api-version')
      .map((f) => [f.severity, f.message]);

  test('a v1beta2 ClusterQueue that kept v1beta1 names is refused by a strict apply: an error naming cohortName', () => {
    const cq = {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name: 'a' },
      spec: { cohort: 'ai', flavorFungibility: { whenCanBorrow: 'Borrow' } },
    };
    expect(on('rhoai-3.4', cq)).toEqual([
      ['error', expect.stringMatching(/whenCanBorrow 'Borrow' is not in v1beta2's enum .*write MayStopSearch/)],
      [
        'error',
        expect.stringMatching(
          /^unknown field 'spec.cohort': not in the v1beta2 ClusterQueue schema .*renamed it spec.cohortName, .*refuse the ClusterQueue: write spec.cohortName$/,
        ),
      ],
    ]);
    // one finding per field: field-unknown leaves spec.cohort to this rule, and still names a misspelt field beside it
    const unknown = (manifest: Record<string, unknown>) =>
      runChecks([{ manifest }], { platform: 'rhoai-3.4' })
        .filter((f) => f.rule === 'field-unknown')
        .map((f) => /unknown field '([^']*)'/.exec(f.message)?.[1]);
    expect(unknown({ ...cq, spec: { ...cq.spec, cohortNme: 'ai' } })).toEqual(['spec.cohortNme']);
    const good = { ...cq, spec: { cohortName: 'ai', flavorFungibility: { whenCanBorrow: 'MayStopSearch' } } };
    expect(on('rhoai-3.4', good)).toEqual([]);
    expect(on('kserve', good)).toEqual([]);
  });

  test('LLMInferenceService: v1alpha1 is converted on 3.4 (v1alpha2 stored); v1alpha2 is not served on 3.0', () => {
    const llm = (v: string) => ({ apiVersion: `serving.kserve.io/${v}`, kind: 'LLMInferenceService', metadata: { name: 'l', namespace: 'n' }, spec: {} });
    expect(on('rhoai-3.4', llm('v1alpha1'))).toEqual([['warning', expect.stringMatching(/write serving.kserve.io\/v1alpha2/)]]);
    expect(on('rhoai-3.4', llm('v1alpha2'))).toEqual([]);
    // the conversion is KServe's: the message names the KServe release, not the Kueue one beside it
    expect(on('kserve', llm('v1alpha1'))).toEqual([
      ['warning', expect.stringMatching(/^serving.kserve.io\/v1alpha1 is converted by a webhook on upstream KServe 0.20, which stores/)],
    ]);
    // not served at all: kind-not-served's error
    expect(on('rhoai-3.0', llm('v1alpha2'))).toEqual([]);
    expect(on('rhoai-3.0', llm('v1alpha1'))).toEqual([]);
  });

  test("deployment-mode aliases on upstream KServe follow the tree's KServe release: none before 0.16, qualified when unknown", () => {
    const isvc = (mode: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'x', namespace: 'n', annotations: { 'serving.kserve.io/deploymentMode': mode } },
    });
    const runtime = (image: string) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterServingRuntime',
      metadata: { name: 'r' },
      spec: { containers: [{ name: 'kserve-container', image }] },
    });
    const app = (chart: string, targetRevision: string) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'kserve', namespace: 'argocd' },
      spec: { source: { repoURL: 'ghcr.io/kserve/charts', chart, targetRevision }, destination: { namespace: 'kserve' } },
    });
    const tree = (...manifests: Record<string, unknown>[]) =>
      runChecks(
        manifests.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      )
        .filter((f) => f.rule === 'deprecated-api-version')
        .map((f) => [f.severity, f.message]);
    // KServe 0.13 (a runtime image of the release): Standard does not exist there, RawDeployment is the name to keep
    expect(tree(isvc('RawDeployment'), runtime('kserve/vllmserver:v0.13.0'))).toEqual([]);
    expect(tree(isvc('Serverless'), app('kserve', 'v0.14.1'))).toEqual([]);
    // a release from 0.16 on, named with the object that shows it; the message names no Kueue release
    expect(tree(isvc('RawDeployment'), runtime('docker.io/kserve/huggingfaceserver:v0.16.0-gpu'))).toEqual([
      [
        'warning',
        "annotation serving.kserve.io/deploymentMode 'RawDeployment' is a deprecated alias on upstream KServe 0.16 (ClusterServingRuntime/r image docker.io/kserve/huggingfaceserver:v0.16.0-gpu; KServe 0.16+ pkg/constants): write 'Standard'",
      ],
    ]);
    // unknown: ModelMesh images have their own releases, and a tree showing both sides of 0.16 tells nothing
    const unknown = [
      'warning',
      "annotation serving.kserve.io/deploymentMode 'RawDeployment' is a deprecated alias from upstream KServe 0.16 on (KServe 0.16+ pkg/constants), which the tree does not show it runs: on KServe >= 0.16 write 'Standard'; on an older KServe keep 'RawDeployment', the only name it reads",
    ];
    expect(tree(isvc('RawDeployment'), runtime('kserve/modelmesh-runtime-adapter:v0.11.2'))).toEqual([unknown]);
    expect(tree(isvc('RawDeployment'), runtime('kserve/sklearnserver:v0.13.0'), app('kserve-crd', 'v0.16.0'))).toEqual([unknown]);
    expect(tree(isvc('RawDeployment'))).toEqual([unknown]);
    // a release manifest a Job applies, a Flux HelmRelease of KServe's chart
    const job = {
      kind: 'Job',
      spec: { template: { spec: { containers: [{ args: ['kubectl apply -f https://github.com/kserve/kserve/releases/download/v0.13.1/kserve.yaml'] }] } } },
    };
    expect(treeKserveRelease([{ manifest: job, id: 'Job/j' }], 16)).toEqual({
      release: '0.13',
      minor: 13,
      from: 'Job/j kubectl apply -f https://github.com/kserve/kserve/releases/download/v0.13.1/kserve.yaml',
    });
    const helmRelease = { kind: 'HelmRelease', spec: { chart: { spec: { chart: 'kserve', version: 'v0.17.0' } } } };
    expect(treeKserveRelease([{ manifest: helmRelease, id: 'HelmRelease/k' }], 16)).toEqual({
      release: '0.17',
      minor: 17,
      from: 'HelmRelease/k chart kserve v0.17.0',
    });
    expect(treeKserveRelease([{ manifest: { kind: 'Deployment', spec: { image: 'kserve/modelmesh:v0.12.0' } }, id: 'Deployment/m' }], 16)).toBeUndefined();
  });

  test("an install script's KServe release, its version in a defaulted variable, decides the alias and is named beside the platform", async () => {
    const isvc = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: chat
  namespace: llm
  annotations: {serving.kserve.io/deploymentMode: RawDeployment}
spec:
  predictor:
    model: {modelFormat: {name: huggingface}, storageUri: 'hf://org/model'}
`;
    const script = (version: string) =>
      `#!/usr/bin/env bash\nset -e\nKSERVE_VERSION="\${KSERVE_VERSION:-${version}}"\necho "installing \${KSERVE_VERSION}"\nkubectl apply -f "https://github.com/kserve/kserve/releases/download/\${KSERVE_VERSION}/kserve.yaml"\n`;
    const run = async (version: string) => {
      const dir = writeTree('kserve-script-', { 'k8s/isvc.yaml': isvc, 'scripts/install-kserve.sh': script(version) });
      const out = JSON.parse((await cliInProcess(['check', dir, '--json'])).out) as {
        platform: { reason: string };
        findings: { rule: string; message: string }[];
      };
      return { reason: out.platform.reason, aliases: out.findings.filter((f) => f.rule === 'deprecated-api-version').map((f) => f.message) };
    };
    // KServe 0.13 reads only RawDeployment: nothing to say
    const old = await run('v0.13.0');
    expect(old.aliases).toEqual([]);
    expect(old.reason).toMatch(
      /the tree shows KServe 0\.13: .*scripts\/install-kserve\.sh installs 'https:\/\/github\.com\/kserve\/kserve\/releases\/download\/v0\.13\.0\/kserve\.yaml'/,
    );
    // KServe 0.17 deprecates it, and the message names the script as the source
    const current = await run('v0.17.0');
    expect(current.aliases).toEqual([
      expect.stringMatching(/deprecated alias on upstream KServe 0\.17 \(.*install-kserve\.sh installs .*v0\.17\.0\/kserve\.yaml'; /),
    ]);
  });

  test('deployment-mode aliases on KServe 0.16+, connection-type-ref on 3.4, HardwareProfile v1alpha1', () => {
    const isvc = (mode: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'x', namespace: 'n', annotations: { 'serving.kserve.io/deploymentMode': mode } },
    });
    expect(on('rhoai-3.4', isvc('RawDeployment'))).toEqual([['warning', expect.stringMatching(/'RawDeployment' is a deprecated alias .*write 'Standard'/)]]);
    expect(on('rhoai-3.0', isvc('RawDeployment'))).toEqual([]);
    // Serverless on 3.4 cannot run at all: deployment-mode's error, not a naming matter
    expect(on('rhoai-3.4', isvc('Serverless'))).toEqual([]);
    expect(on('kserve', isvc('Serverless'))).toEqual([['warning', expect.stringMatching(/write 'Knative'/)]]);
    const secret = (annotations: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n', annotations } });
    expect(on('rhoai-3.4', secret({ 'opendatahub.io/connection-type-ref': 'uri-v1' }))).toEqual([
      ['warning', expect.stringMatching(/connection-type-ref 'uri-v1' is deprecated .*add opendatahub.io\/connection-type-protocol: uri/)],
    ]);
    expect(on('rhoai-3.4', secret({ 'opendatahub.io/connection-type-ref': 's3', 'opendatahub.io/connection-type-protocol': 's3' }))).toEqual([]);
    expect(on('rhoai-3.0', secret({ 'opendatahub.io/connection-type-ref': 's3' }))).toEqual([]);
    const hwp = { apiVersion: 'infrastructure.opendatahub.io/v1alpha1', kind: 'HardwareProfile', metadata: { name: 'h', namespace: 'n' } };
    expect(on('rhoai-3.0', hwp)).toEqual([['warning', expect.stringMatching(/write infrastructure.opendatahub.io\/v1$/)]]);
  });
});
