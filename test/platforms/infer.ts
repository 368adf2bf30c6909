import * as fs from 'fs';
import * as path from 'path';
import { inferPlatform } from '../../lib/check/platform';
import { platformOfRelease } from '../../lib/check/platform-signals';
import { cliInProcess, tempDir } from '../util';

type Obj = { manifest: Record<string, unknown> };
const obj = (apiVersion: string, kind: string, metadata: Record<string, unknown> = {}, spec?: Record<string, unknown>): Obj => ({
  manifest: { apiVersion, kind, metadata: { name: 'x', ...metadata }, ...(spec ? { spec } : {}) },
});
const subscription = (spec: Record<string, unknown>) =>
  obj('operators.coreos.com/v1alpha1', 'Subscription', { name: 'rhods-operator', namespace: 'redhat-ods-operator' }, { name: 'rhods-operator', ...spec });
const dsc = (version: string) => obj(`datasciencecluster.opendatahub.io/${version}`, 'DataScienceCluster', { name: 'default-dsc' });
const runtime = (image: string) => obj('serving.kserve.io/v1alpha1', 'ServingRuntime', { namespace: 'ai' }, { containers: [{ name: 'c', image }] });
const job = (podSpec: Record<string, unknown>, labels: Record<string, string> = {}) =>
  obj('batch/v1', 'Job', { namespace: 'team', labels }, { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], ...podSpec } } });
const llmisvc = obj('serving.kserve.io/v1alpha2', 'LLMInferenceService', { namespace: 'llm' });
const route = obj('route.openshift.io/v1', 'Route', { namespace: 'ai' });

describe('inferPlatform: OpenShift AI releases', () => {
  test.each([
    [{ startingCSV: 'rhods-operator.2.9.1' }, 'rhoai-2'],
    [{ startingCSV: 'rhods-operator.3.3.1' }, 'rhoai-3.3'],
    [{ channel: 'stable-2.16' }, 'rhoai-2'],
    [{ channel: 'eus-2.x' }, 'rhoai-2'],
    [{ channel: 'stable-3.4' }, 'rhoai-3.4'],
    [{ channel: 'stable-3.3' }, 'rhoai-3.3'],
    // 3.1 and 3.2 are judged as the older release the tool has, which serves no more than they do
    [{ channel: 'stable-3.2' }, 'rhoai-3.0'],
  ])('the rhods-operator Subscription %j tells %s', (spec, platform) => {
    expect(inferPlatform([subscription(spec)])).toMatchObject({
      platform,
      source: 'inferred',
      reason: expect.stringMatching(/^inferred from the tree: Subscription\/redhat-ods-operator\/rhods-operator /),
    });
  });

  test('a channel that names only the major line or none leaves the release to the default, and says so', () => {
    expect(inferPlatform([subscription({ channel: 'stable-3.x' })])).toMatchObject({
      platform: 'rhoai-3.0',
      source: 'default',
      reason: expect.stringMatching(
        /^the tree leaves rhoai-3.0, rhoai-3.3, rhoai-3.4 \(.*follows channel stable-3.x.*\): rhoai-3.0 \(the default\) assumed; pass --platform$/,
      ),
    });
    // rhods-operator's floating fast names no release but stayed on 2.x when 3.x got channels of its own
    expect(inferPlatform([subscription({ channel: 'fast' })])).toMatchObject({
      platform: 'rhoai-2',
      source: 'inferred',
      reason: expect.stringMatching(/follows channel fast \(rhoai-2\)/),
    });
    expect(inferPlatform([subscription({ channel: 'alpha' })])).toMatchObject({
      platform: 'rhoai-3.0',
      source: 'default',
      reason: expect.stringMatching(
        /^the tree leaves rhoai-2, rhoai-3.0, rhoai-3.3, rhoai-3.4 \(Subscription\/redhat-ods-operator\/rhods-operator subscribes to rhods-operator/,
      ),
    });
  });

  test('DataScienceCluster v1 is 2.x, v2 is 3.x', () => {
    expect(inferPlatform([dsc('v1')])).toMatchObject({ platform: 'rhoai-2', source: 'inferred' });
    expect(inferPlatform([dsc('v2')])).toMatchObject({
      platform: 'rhoai-3.0',
      source: 'default',
      reason: expect.stringMatching(/^the tree leaves rhoai-3.0, rhoai-3.3, rhoai-3.4 /),
    });
  });

  test('a v1 DataScienceCluster with keys only 3.x has is 3.x: the keys outweigh the version, which 3.x serves too', () => {
    const withComponents = (version: string, components: Record<string, unknown>) =>
      obj(`datasciencecluster.opendatahub.io/${version}`, 'DataScienceCluster', { name: 'default-dsc' }, { components });
    const dsci = obj('dscinitialization.opendatahub.io/v1', 'DSCInitialization', { name: 'default-dsci' });
    const managed = { managementState: 'Managed' };
    // aipipelines is v2's name of datasciencepipelines (3.0 on); modelsAsService came with 3.3, wva with 3.4
    expect(inferPlatform([dsci, withComponents('v1', { aipipelines: managed, dashboard: managed })])).toMatchObject({
      platform: 'rhoai-3.0',
      reason: expect.stringMatching(
        /DataScienceCluster\/default-dsc sets spec.components.aipipelines \(rhoai-3.0, rhoai-3.3, rhoai-3.4\).*overruled: DSCInitialization\/default-dsci is dscinitialization.opendatahub.io\/v1 \(OpenShift AI 2.x\)/,
      ),
    });
    expect(inferPlatform([dsci, withComponents('v1', { kserve: { ...managed, modelsAsService: { managementState: 'Removed' } } })])).toMatchObject({
      platform: 'rhoai-3.3',
      source: 'inferred',
    });
    expect(inferPlatform([withComponents('v2', { kserve: { ...managed, wva: managed } })])).toMatchObject({ platform: 'rhoai-3.4', source: 'inferred' });
    // keys every release has (llamastackoperator came in 2.x too) and 2.x's own fields leave v1 as 2.x evidence
    const twoX = withComponents('v1', {
      llamastackoperator: managed,
      datasciencepipelines: managed,
      kserve: { ...managed, defaultDeploymentMode: 'Serverless' },
    });
    expect(inferPlatform([twoX])).toMatchObject({ platform: 'rhoai-2', source: 'inferred' });
  });

  test.each([
    ['quay.io/modh/vllm:rhoai-2.16-cuda', 'rhoai-2'],
    ['registry.redhat.io/rhoai/odh-vllm-cuda-rhel9:v2.19', 'rhoai-2'],
    ['registry.redhat.io/rhoai/odh-vllm-cuda-rhel9:v3.3.0', 'rhoai-3.3'],
  ])('the image tag of %s tells %s', (image, platform) => {
    expect(inferPlatform([runtime(image)])).toMatchObject({ platform, source: 'inferred', reason: expect.stringContaining(`runs ${image} (${platform})`) });
  });

  test('an OpenShift AI image pinned by digest tells the family only', () => {
    expect(inferPlatform([runtime('registry.redhat.io/rhoai/odh-vllm-cuda-rhel9@sha256:abc')])).toMatchObject({ platform: 'rhoai-3.0', source: 'default' });
  });
});

describe('inferPlatform: signals that disagree, strongest first', () => {
  test('startingCSV beats the channel, and the reason names the overruled one', () => {
    const r = inferPlatform([subscription({ channel: 'stable-3.4', startingCSV: 'rhods-operator.2.13.0' })]);
    expect(r.platform).toBe('rhoai-2');
    expect(r.reason).toMatch(/overruled: .*follows channel stable-3.4 \(rhoai-3.4\), by the stronger .*starts at rhods-operator.2.13.0 \(rhoai-2\)/);
  });

  test('the channel beats the DataScienceCluster version, which beats an image tag, which beats an API version', () => {
    expect(inferPlatform([dsc('v1'), subscription({ channel: 'stable-3.3' })]).platform).toBe('rhoai-3.3');
    expect(inferPlatform([runtime('quay.io/modh/vllm:rhoai-2.16-cuda'), dsc('v2')]).reason).toMatch(
      /overruled: ServingRuntime\/ai\/x runs quay.io\/modh\/vllm:rhoai-2.16-cuda/,
    );
    const r = inferPlatform([llmisvc, runtime('registry.redhat.io/rhoai/odh-vllm-cuda-rhel9:v3.3.0')]);
    expect(r).toMatchObject({ platform: 'rhoai-3.3', reason: expect.stringMatching(/overruled: LLMInferenceService\/llm\/x is serving.kserve.io\/v1alpha2/) });
  });

  test('an OpenShift mark overrules another cloud', () => {
    const gke = job({ nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } });
    expect(inferPlatform([gke, route])).toMatchObject({
      platform: 'rhoai-3.0',
      reason: expect.stringMatching(/overruled: Job\/team\/x reads or writes cloud.google.com\/gke-accelerator .*by the stronger Route\/ai\/x/),
    });
  });
});

describe('inferPlatform: upstream KServe and other clouds', () => {
  test.each([
    ['GKE', job({ nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } })],
    ['EKS', obj('v1', 'ServiceAccount', { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/r' } })],
    [
      'Karpenter',
      job({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] }],
            },
          },
        },
      }),
    ],
    ['OKE', job({}, { 'oci.oraclecloud.com/rack-name': 'r1' })],
    ['an EFA device', job({ containers: [{ name: 'c', image: 'busybox', resources: { limits: { 'vpc.amazonaws.com/efa': 1 } } }] })],
    ['kind', obj('kind.x-k8s.io/v1alpha4', 'Cluster')],
    ['an upstream KServe image', runtime('kserve/huggingfaceserver:v0.16.0')],
    ['a Knative Service', obj('serving.knative.dev/v1', 'Service', { namespace: 'demo' })],
  ])('%s tells kserve', (_what, o) => {
    expect(inferPlatform([o])).toMatchObject({ platform: 'kserve', source: 'inferred', reason: expect.stringMatching(/^inferred from the tree: /) });
  });

  test('LLMInferenceService v1alpha2 on OpenShift without OpenShift AI is upstream KServe; with an OpenShift AI mark, 3.4', () => {
    expect(inferPlatform([llmisvc, route]).platform).toBe('kserve');
    expect(inferPlatform([llmisvc, obj('v1', 'Namespace', { name: 'redhat-ods-applications' })]).platform).toBe('rhoai-3.4');
  });

  test('an LLMInferenceServiceConfig preset at v1alpha2 tells the same: a namespace name alone does not keep an older release', () => {
    const preset = obj('serving.kserve.io/v1alpha2', 'LLMInferenceServiceConfig', { namespace: 'opendatahub', name: 'preset' });
    const account = obj('v1', 'ServiceAccount', { namespace: 'opendatahub', name: 'controller' });
    expect(inferPlatform([account, preset])).toMatchObject({
      platform: 'rhoai-3.4',
      source: 'inferred',
      reason: expect.stringContaining('LLMInferenceServiceConfig/opendatahub/preset is serving.kserve.io/v1alpha2'),
    });
    expect(inferPlatform([obj('serving.kserve.io/v1alpha2', 'LLMInferenceServiceConfig', { namespace: 'llm' }), route]).platform).toBe('kserve');
  });

  test('an API only 3.4 serves outranks a kind 3.0 retired, whichever file comes first; the reason names the one overruled', () => {
    const profile = obj('dashboard.opendatahub.io/v1alpha1', 'AcceleratorProfile', { namespace: 'redhat-ods-applications', name: 'gpu' });
    const marked = obj('v1', 'Namespace', { name: 'llm', labels: { 'opendatahub.io/dashboard': 'true' } });
    for (const objects of [
      [marked, profile, llmisvc],
      [marked, llmisvc, profile],
    ])
      expect(inferPlatform(objects)).toMatchObject({
        platform: 'rhoai-3.4',
        reason: expect.stringMatching(
          /overruled: AcceleratorProfile\/redhat-ods-applications\/gpu is dashboard\.opendatahub\.io\/v1alpha1 \(OpenShift AI 2\.x, replaced in 3\.0\), by the stronger LLMInferenceService\/llm\/x is serving\.kserve\.io\/v1alpha2/,
        ),
      });
    // near misses: the retired kind alone still tells 2.x; beside a 3.x DataScienceCluster it is overruled as before
    expect(inferPlatform([marked, profile]).platform).toBe('rhoai-2');
    expect(inferPlatform([profile, dsc('v2')]).platform).toBe('rhoai-3.0');
  });

  test("a cloud's machine type alone tells nothing: OpenShift runs on the same machines", () => {
    expect(inferPlatform([job({ nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.4xlarge' } })]).reason).toMatch(
      /^nothing in the tree marks OpenShift or OpenShift AI/,
    );
  });
});

describe('inferPlatform: OpenShift without a release, and no signal', () => {
  test.each([
    ['a Route', route],
    ['an openshift- namespace', obj('apps/v1', 'Deployment', { namespace: 'openshift-operators' })],
    ["OpenShift's catalog", obj('operators.coreos.com/v1alpha1', 'Subscription', { namespace: 'operators' }, { name: 'nfd', source: 'redhat-operators' })],
    ['the OpenShift Kueue label', obj('v1', 'Namespace', { labels: { 'kueue.openshift.io/managed': 'true' } })],
  ])('%s means OpenShift AI, the release assumed', (_what, o) => {
    expect(inferPlatform([o])).toMatchObject({
      platform: 'rhoai-3.0',
      source: 'default',
      reason: expect.stringMatching(/^the tree leaves rhoai-2, rhoai-3.0, rhoai-3.3, rhoai-3.4 \(.*\(OpenShift\)\)/),
    });
  });

  test('plain workloads and Kueue queues carry no OpenShift mark: upstream KServe assumed, said so', () => {
    const queue = obj('kueue.x-k8s.io/v1beta1', 'LocalQueue', { namespace: 'team' }, { clusterQueue: 'cq' });
    expect(inferPlatform([job({}, { 'kueue.x-k8s.io/queue-name': 'q' }), queue])).toEqual({
      platform: 'kserve',
      source: 'default',
      // nothing narrowed the choice: a verdict rests on it only where the platforms differ
      candidates: ['rhoai-2', 'rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4', 'kserve'],
      reason:
        'nothing in the tree marks OpenShift or OpenShift AI (no Route, openshift-* or redhat-ods-* namespace, *.openshift.io or opendatahub.io key): upstream Kubernetes without OpenShift (the tree holds no KServe object) assumed; pass --platform',
    });
    // a KServe object names the platform's KServe
    const runtimeOnly = inferPlatform([runtime('vllm/vllm-openai:v0.11.0')]);
    expect(runtimeOnly.reason).toMatch(/: upstream KServe assumed; pass --platform$/);
  });

  test('a mark of a cloud other than OpenShift, in a tree without a KServe object, tells upstream Kubernetes, not KServe', () => {
    const eks = job({ nodeSelector: { 'karpenter.sh/nodepool': 'gpu' } });
    expect(inferPlatform([eks]).reason).toMatch(/\(not OpenShift\): upstream Kubernetes without OpenShift \(the tree holds no KServe object\)$/);
    expect(inferPlatform([eks, runtime('vllm/vllm-openai:v0.11.0')]).reason).toMatch(/\(not OpenShift\)$/);
  });

  // opendatahub-operator stamps what it deploys with platform.opendatahub.io/version; ModelMesh left with OpenShift AI 3.0
  test("the operator's release stamp tells the release; ModelMesh tells 2.x on OpenShift AI", () => {
    const stamped = obj(
      'kueue.x-k8s.io/v1beta1',
      'LocalQueue',
      { namespace: 'team', annotations: { 'platform.opendatahub.io/version': '3.3.0' } },
      { clusterQueue: 'cq' },
    );
    expect(inferPlatform([stamped])).toMatchObject({
      platform: 'rhoai-3.3',
      source: 'inferred',
      reason: expect.stringContaining('platform.opendatahub.io/version: 3.3.0'),
    });
    const modelMesh = obj('serving.kserve.io/v1beta1', 'InferenceService', {
      namespace: 'ds',
      labels: { 'opendatahub.io/dashboard': 'true' },
      annotations: { 'serving.kserve.io/deploymentMode': 'ModelMesh' },
    });
    expect(inferPlatform([modelMesh])).toMatchObject({ platform: 'rhoai-2', source: 'inferred' });
    // a data science project served by ModelMesh; on plain OpenShift the same label is upstream KServe's ModelMesh
    const meshNamespace = obj('v1', 'Namespace', { name: 'ds', labels: { 'modelmesh-enabled': 'true', 'opendatahub.io/dashboard': 'true' } });
    expect(inferPlatform([meshNamespace]).platform).toBe('rhoai-2');
    expect(inferPlatform([obj('v1', 'Namespace', { name: 'ds', labels: { 'modelmesh-enabled': 'true' } }), route]).platform).toBe('kserve');
  });

  // OpenShift AI 3.0 removed Serverless (Knative) serving: a service that writes it, or Knative's own annotations, is 2.x
  test('a Serverless InferenceService on OpenShift AI tells 2.x; without OpenShift AI marks, upstream KServe', () => {
    const dashboard = { 'opendatahub.io/dashboard': 'true' };
    const serverless = obj('serving.kserve.io/v1beta1', 'InferenceService', {
      namespace: 'ds',
      labels: dashboard,
      annotations: { 'serving.kserve.io/deploymentMode': 'Serverless' },
    });
    expect(inferPlatform([serverless])).toMatchObject({ platform: 'rhoai-2', reason: expect.stringContaining('served by Knative') });
    const passthrough = obj('serving.kserve.io/v1beta1', 'InferenceService', {
      namespace: 'ds',
      labels: dashboard,
      annotations: { 'serving.knative.openshift.io/enablePassthrough': 'true', 'sidecar.istio.io/inject': 'true' },
    });
    expect(inferPlatform([passthrough]).platform).toBe('rhoai-2');
    // near miss: RawDeployment says nothing of the release
    const raw = obj('serving.kserve.io/v1beta1', 'InferenceService', {
      namespace: 'ds',
      labels: dashboard,
      annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' },
    });
    expect(inferPlatform([raw]).platform).not.toBe('rhoai-2');
  });

  test.each([
    [2, 16, 'rhoai-2'],
    [3, 0, 'rhoai-3.0'],
    [3, 1, 'rhoai-3.0'],
    [3, 3, 'rhoai-3.3'],
    [3, 4, 'rhoai-3.4'],
    [3, 5, 'rhoai-3.4'],
    [1, 9, undefined],
  ])('release %d.%d is judged as %s', (major, minor, platform) => {
    expect(platformOfRelease(major, minor)).toBe(platform);
  });
});

describe('check reads the channel a kustomize patch sets', () => {
  test('the built Subscription, not the base, tells the release', async () => {
    const dir = tempDir('platform-infer-');
    fs.writeFileSync(
      path.join(dir, 'subscription.yaml'),
      'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: rhods-operator\n  namespace: redhat-ods-operator\nspec:\n  name: rhods-operator\n  channel: stable-2.16\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n',
    );
    fs.writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - subscription.yaml\npatches:\n  - target:\n      kind: Subscription\n      name: rhods-operator\n    patch: |-\n      - op: replace\n        path: /spec/channel\n        value: stable-3.4\n',
    );
    const j = JSON.parse((await cliInProcess(['check', dir, '--json'])).out) as { platform: { id: string; source: string; reason: string } };
    expect(j.platform).toEqual({
      id: 'rhoai-3.4',
      source: 'inferred',
      reason: expect.stringMatching(/^inferred from the tree: Subscription\/redhat-ods-operator\/rhods-operator follows channel stable-3.4 \(rhoai-3.4\)/),
    });
  });
});

describe('OpenShift told by what drives the cluster and where images come from', () => {
  const deployment = (image: string) => obj('apps/v1', 'Deployment', { namespace: 'llm' }, { template: { spec: { containers: [{ name: 'vllm', image }] } } });

  test("a pod pulling from OpenShift's internal registry places the tree on OpenShift", () => {
    const r = inferPlatform([deployment('image-registry.openshift-image-registry.svc:5000/llm/vllm:latest')]);
    expect(r.reason).toMatch(
      /Deployment\/llm\/x pulls image-registry\.openshift-image-registry\.svc:5000\/llm\/vllm:latest from OpenShift's internal registry/,
    );
    expect(r.platform).not.toBe('kserve');
    // a registry of the same name elsewhere, or a path that only mentions it, tells nothing
    expect(inferPlatform([deployment('quay.io/image-registry.openshift-image-registry.svc/vllm:1')]).platform).toBe('kserve');
  });

  test("a claim on an OpenShift Data Foundation storage class places the tree on OpenShift; Rook's own classes do not", () => {
    const claim = (storageClassName: string) =>
      obj(
        'v1',
        'PersistentVolumeClaim',
        { namespace: 'llm' },
        { accessModes: ['ReadWriteMany'], storageClassName, resources: { requests: { storage: '50Gi' } } },
      );
    const r = inferPlatform([claim('ocs-storagecluster-cephfs')]);
    expect(r.reason).toMatch(/PersistentVolumeClaim\/llm\/x uses storage class ocs-storagecluster-cephfs \(OpenShift Data Foundation\) \(OpenShift\)/);
    expect(r.platform === 'kserve' ? r.openShift : true).toBe(true);
    expect(inferPlatform([claim('rook-cephfs')]).reason).toMatch(/^nothing in the tree marks OpenShift/);
  });

  test('a script or README that drives the cluster with oc places the tree on OpenShift; oc version does not', async () => {
    const dir = tempDir('platform-oc-');
    fs.writeFileSync(
      path.join(dir, 'vllm.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: vllm\n  namespace: llm\nspec:\n  selector:\n    matchLabels: {app: vllm}\n  template:\n    metadata:\n      labels: {app: vllm}\n    spec:\n      containers:\n        - name: vllm\n          image: busybox\n',
    );
    fs.writeFileSync(path.join(dir, 'deploy.sh'), '#!/bin/sh\nset -e\noc version\n');
    const before = JSON.parse((await cliInProcess(['check', dir, '--json'])).out) as { platform: { id: string; reason: string } };
    expect(before.platform.id).toBe('kserve');
    fs.writeFileSync(path.join(dir, 'deploy.sh'), '#!/bin/sh\nset -e\noc version\noc new-project llm || true\noc apply -f vllm.yaml\n');
    const after = JSON.parse((await cliInProcess(['check', dir, '--json'])).out) as { platform: { id: string; reason: string } };
    expect(after.platform.id).not.toBe('kserve');
    expect(after.platform.reason).toMatch(/deploy\.sh:4 runs `oc new-project` \(OpenShift's client\)/);
  });
});

describe('oc commands that any Kubernetes cluster serves', () => {
  const DEPLOYMENT =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n  namespace: lab\nspec:\n  selector:\n    matchLabels: {app: chat}\n  template:\n    metadata:\n      labels: {app: chat}\n    spec:\n      containers:\n        - name: chat\n          image: busybox\n';
  const platformOf = async (files: Record<string, string>) => {
    const dir = tempDir('platform-oc-any-');
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
    return (JSON.parse((await cliInProcess(['check', dir, '--json'])).out) as { platform: { id: string; reason: string } }).platform;
  };

  test('a README that labels a node and applies files with oc (kubectl commands oc embeds) marks no platform: upstream Kubernetes', async () => {
    const readme = '# Lab\n\n```sh\noc label node gpu-1 nvidia.com/gpu.present=true\noc apply -f chat.yaml\noc get pods -n lab\n```\n';
    const platform = await platformOf({ 'chat.yaml': DEPLOYMENT, 'README.md': readme });
    expect(platform.id).toBe('kserve');
    expect(platform.reason).toMatch(/^nothing in the tree marks OpenShift/);
  });

  test('near miss: oc get route, or a DataScienceCluster beside the same README, still tells OpenShift', async () => {
    const script = '#!/bin/sh\nset -e\noc label node gpu-1 role=gpu\noc get route chat -n lab\n';
    const routed = await platformOf({ 'chat.yaml': DEPLOYMENT, 'deploy.sh': script });
    expect(routed.id).not.toBe('kserve');
    expect(routed.reason).toMatch(/deploy\.sh:4 runs `oc get route` \(OpenShift's client\)/);
    const dscText = 'apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec: {}\n';
    const withDsc = await platformOf({ 'chat.yaml': DEPLOYMENT, 'dsc.yaml': dscText, 'README.md': 'oc label node gpu-1 role=gpu\n' });
    expect(withDsc.id).toMatch(/^rhoai-3/);
    expect(withDsc.reason).toMatch(/DataScienceCluster\/default-dsc/);
  });
});

describe('weighing signals that conflict', () => {
  const isvc = (annotations: Record<string, string>) => ({
    manifest: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'm', namespace: 'llm', annotations: { 'opendatahub.io/dashboard': 'true', ...annotations } },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm' } } },
    },
  });
  const KNATIVE = { 'serving.knative.openshift.io/enablePassthrough': 'true' };

  test('a deploymentMode written out decides: Knative annotations beside Standard or RawDeployment tell nothing of Serverless', () => {
    const chosen = inferPlatform([isvc({ 'serving.kserve.io/deploymentMode': 'Standard', ...KNATIVE })]);
    expect(chosen.platform).toBe('rhoai-3.4');
    expect(chosen.reason).not.toMatch(/Knative/);
    for (const annotations of [KNATIVE, { 'autoscaling.knative.dev/target': '4' }]) {
      const raw = inferPlatform([isvc({ 'serving.kserve.io/deploymentMode': 'RawDeployment', ...annotations })]);
      expect(raw.platform).not.toBe('rhoai-2');
      expect(raw.reason).not.toMatch(/served by Knative/);
    }
    // a value KServe does not know is ignored, so the annotations speak again
    expect(inferPlatform([isvc({ 'serving.kserve.io/deploymentMode': 'Raw', ...KNATIVE })]).platform).toBe('rhoai-2');
  });

  test('Serverless written out, or Knative annotations with nothing against them, still tell OpenShift AI 2.x', () => {
    const serverless = inferPlatform([isvc({ 'serving.kserve.io/deploymentMode': 'Serverless' })]);
    expect(serverless.platform).toBe('rhoai-2');
    expect(inferPlatform([isvc(KNATIVE)]).platform).toBe('rhoai-2');
  });

  test("a README's command weighs less than the manifests: an EKS mark is not overruled by it", () => {
    const eks = { manifest: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { 'eks.amazonaws.com/nodegroup': 'gpu' } } } };
    const readme = { file: 'README.md', line: 3, command: 'oc apply' };
    const script = { file: 'deploy.sh', line: 3, command: 'oc apply' };
    expect(inferPlatform([eks], undefined, [readme]).platform).toBe('kserve');
    expect(inferPlatform([eks], undefined, [script]).reason).toMatch(/overruled: Node\/n .*by the stronger deploy\.sh:3 runs `oc apply`/);
  });
});
