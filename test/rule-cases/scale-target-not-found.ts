import * as YAML from 'yaml';
import { cliInProcess, ruleFindings, writeTree } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('scale-target-not-found', docs);

const workload = (kind: string, name: string, namespace = 'ai', apiVersion = 'apps/v1'): Doc => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
  },
});
const scaledObject = (target: Doc, namespace = 'ai'): Doc => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'load', namespace },
  spec: { scaleTargetRef: target, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }] },
});
const hpa = (target: Doc): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'load', namespace: 'ai' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, minReplicas: 1, maxReplicas: 3 },
});

describe('scale-target-not-found', () => {
  test('a name a few characters off a workload of the namespace is an error with the name meant', () => {
    expect(found([workload('Deployment', 'chat-server'), scaledObject({ name: 'chat-servr' })])).toEqual([
      expect.stringMatching(/^error ScaledObject\/ai\/load: spec\.scaleTargetRef names Deployment 'chat-servr', .*did you mean 'chat-server'\?/),
    ]);
    expect(found([workload('StatefulSet', 'embedder'), hpa({ kind: 'StatefulSet', name: 'embeder' })])).toEqual([
      expect.stringMatching(/^error HorizontalPodAutoscaler\/ai\/load: .*did you mean 'embedder'\?.*FailedGetScale/),
    ]);
  });

  test('the right name of the wrong kind is an error naming the kind', () => {
    expect(found([workload('StatefulSet', 'chat'), scaledObject({ name: 'chat' })])).toEqual([
      expect.stringMatching(/'chat' in namespace 'ai' is a StatefulSet: .*set scaleTargetRef\.kind: StatefulSet$/),
    ]);
  });

  test('a name unlike any workload of the namespace is a warning: it may be made elsewhere', () => {
    expect(found([workload('Deployment', 'chat-server'), scaledObject({ name: 'qwen-27b' })])).toEqual([
      expect.stringMatching(
        /^warning ScaledObject\/ai\/load: .*though it deploys Deployment\/ai\/chat-server there: unless something outside the tree makes it/,
      ),
    ]);
  });

  test('an Argo Rollout and an OpenShift DeploymentConfig are scale targets like a Deployment', () => {
    expect(found([workload('Deployment', 'chat-server'), scaledObject({ kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1', name: 'chat' })])).toEqual([
      expect.stringMatching(/^warning ScaledObject\/ai\/load: spec\.scaleTargetRef names Rollout 'chat', which the tree does not define in namespace 'ai'/),
    ]);
    expect(
      found([
        workload('DeploymentConfig', 'summarizer', 'ai', 'apps.openshift.io/v1'),
        hpa({ kind: 'DeploymentConfig', apiVersion: 'apps.openshift.io/v1', name: 'summariser' }),
      ]),
    ).toEqual([expect.stringMatching(/^error HorizontalPodAutoscaler\/.*did you mean 'summarizer'\?/)]);
    expect(
      found([workload('Rollout', 'chat', 'ai', 'argoproj.io/v1alpha1'), scaledObject({ kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1', name: 'chat' })]),
    ).toEqual([]);
  });

  test('near misses: the target exists, the namespace holds no workload, another kind, a controller-made name, no namespace', () => {
    expect(found([workload('Deployment', 'chat-server'), scaledObject({ name: 'chat-server' })])).toEqual([]);
    expect(found([workload('LeaderWorkerSet', 'big', 'ai', 'leaderworkerset.x-k8s.io/v1'), hpa({ kind: 'LeaderWorkerSet', name: 'big' })])).toEqual([]);
    expect(found([workload('Deployment', 'chat-server', 'other'), scaledObject({ name: 'chat-servr' })])).toEqual([]);
    // a kind called Rollout in another group than Argo Rollouts' is not judged
    expect(found([workload('Deployment', 'chat-server'), scaledObject({ kind: 'Rollout', apiVersion: 'release.example.com/v1', name: 'chat' })])).toEqual([]);
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'chat',
        namespace: 'ai',
        annotations: { 'serving.kserve.io/deploymentMode': 'Standard', 'serving.kserve.io/autoscalerClass': 'external' },
      },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' } } } },
    };
    // KServe makes chat-predictor in raw deployment mode
    expect(found([workload('Deployment', 'chat-server'), isvc, scaledObject({ name: 'chat-predictor' })])).toEqual([]);
    const loose = scaledObject({ name: 'chat-servr' });
    delete loose.metadata.namespace;
    expect(found([{ ...workload('Deployment', 'chat-server'), metadata: { name: 'chat-server' } }, loose])).toEqual([]);
  });

  // kubernetes pkg/controller/podautoscaler/horizontal.go: the scale subresource is read in the HPA's own namespace
  test('the target defined only in another namespace, both written: an error naming both namespaces', () => {
    expect(found([workload('Deployment', 'chat-server', 'serving'), hpa({ kind: 'Deployment', name: 'chat-server' })])).toEqual([
      expect.stringMatching(
        /^error HorizontalPodAutoscaler\/ai\/load: spec\.scaleTargetRef names Deployment 'chat-server', which the tree defines in namespace 'serving', not in 'ai' where this autoscaler is: .*FailedGetScale.*put the autoscaler in namespace 'serving'/,
      ),
    ]);
    expect(found([workload('Deployment', 'chat-server', 'serving'), scaledObject({ name: 'chat-server' })]).map((f) => f.split(' ')[0])).toEqual(['error']);
  });

  test('the target written without a namespace beside an autoscaler pinned to one: a warning (kubectl apply -n may put them together)', () => {
    const loose = { ...workload('Deployment', 'chat-server'), metadata: { name: 'chat-server' } };
    expect(found([loose, hpa({ kind: 'Deployment', name: 'chat-server' })])).toEqual([
      expect.stringMatching(
        /^warning HorizontalPodAutoscaler\/ai\/load: .*without a namespace while this autoscaler is pinned to 'ai': unless it is applied with -n ai.*set metadata\.namespace: ai/,
      ),
    ]);
  });

  test('near misses: the same name in another namespace beside the right one, an autoscaler without a namespace, both without one, an autoscaler pinned to default', () => {
    expect(
      found([workload('Deployment', 'chat-server', 'serving'), workload('Deployment', 'chat-server'), hpa({ kind: 'Deployment', name: 'chat-server' })]),
    ).toEqual([]);
    const free = hpa({ kind: 'Deployment', name: 'chat-server' });
    delete free.metadata.namespace;
    expect(found([workload('Deployment', 'chat-server', 'serving'), free])).toEqual([]);
    expect(found([{ ...workload('Deployment', 'chat-server'), metadata: { name: 'chat-server' } }, free])).toEqual([]);
    const pinnedDefault = hpa({ kind: 'Deployment', name: 'chat-server' });
    pinnedDefault.metadata.namespace = 'default';
    expect(found([{ ...workload('Deployment', 'chat-server'), metadata: { name: 'chat-server' } }, pinnedDefault])).toEqual([]);
  });

  const isvc = (annotations: Record<string, string> = {}, namespace = 'ai'): Doc => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'chat', namespace, annotations },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://bucket/chat' } } },
  });

  test("KServe's <isvc>-predictor of a service on Knative: written, an error; the upstream default, an error unless autoscalerClass is external", () => {
    expect(found([isvc({ 'serving.kserve.io/deploymentMode': 'Knative' }), hpa({ kind: 'Deployment', name: 'chat-predictor' })])).toEqual([
      expect.stringMatching(
        /^error HorizontalPodAutoscaler\/ai\/load: spec\.scaleTargetRef names Deployment 'chat-predictor', .*it sets serving\.kserve\.io\/deploymentMode: Knative: .*'chat-predictor-00001-deployment'.*does not exist/,
      ),
    ]);
    expect(found([isvc(), scaledObject({ name: 'chat-predictor' })])).toEqual([
      expect.stringMatching(
        /^error ScaledObject\/ai\/load: .*sets no serving\.kserve\.io\/deploymentMode.*Knative.*does not exist.*KServe makes its own HPA 'chat-predictor'.*KEDA's webhook refuses/,
      ),
    ]);
    expect(found([isvc({ 'serving.kserve.io/autoscalerClass': 'external' }), hpa({ kind: 'Deployment', name: 'chat-predictor' })])).toEqual([
      expect.stringMatching(/^warning HorizontalPodAutoscaler\/ai\/load: .*unless the cluster's default is Standard/),
    ]);
  });

  test('an annotation naming no mode, an inherited property name included, is one KServe ignores: the default applies', () => {
    for (const word of ['Bogus', 'constructor', 'toString'])
      expect(found([isvc({ 'serving.kserve.io/deploymentMode': word }), hpa({ kind: 'Deployment', name: 'chat-predictor' })])).toEqual([
        expect.stringMatching(
          new RegExp(`^error HorizontalPodAutoscaler/ai/load: .*KServe ignores its serving\\.kserve\\.io/deploymentMode '${word}'.*does not exist`),
        ),
      ]);
  });

  test('a namespace-less InferenceService and HPA are matched in the namespace they are applied to', () => {
    const noNs = (d: Doc) => ({ ...d, metadata: { ...d.metadata, namespace: undefined } });
    expect(found([noNs(isvc()), noNs(hpa({ kind: 'Deployment', name: 'chat-predictor' }))])).toEqual([
      expect.stringMatching(/^error HorizontalPodAutoscaler\/load: /),
    ]);
  });

  test("Knative's revision Deployment: a warning on Knative (its autoscaler scales it too), an error in raw mode (it does not exist)", () => {
    expect(found([isvc(), scaledObject({ name: 'chat-predictor-00001-deployment' })])).toEqual([
      expect.stringMatching(/^warning ScaledObject\/ai\/load: .*Knative revision 00001 .*autoscalers fight.*new revision/),
    ]);
    expect(found([isvc({ 'serving.kserve.io/deploymentMode': 'Standard' }), scaledObject({ name: 'chat-predictor-00001-deployment' })])).toEqual([
      expect.stringMatching(/^error ScaledObject\/ai\/load: .*KServe runs it as a Deployment named 'chat-predictor'.*target 'chat-predictor'$/),
    ]);
  });

  test("near misses: raw mode (written, the tree's inferenceservice-config, OpenShift AI 3), a transformer the service lacks", () => {
    expect(found([isvc({ 'serving.kserve.io/deploymentMode': 'RawDeployment' }), hpa({ kind: 'Deployment', name: 'chat-predictor' })])).toEqual([]);
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'inferenceservice-config', namespace: 'kserve' },
      data: { deploy: '{"defaultDeploymentMode": "Standard"}' },
    };
    expect(found([config, isvc({ 'serving.kserve.io/autoscalerClass': 'external' }), hpa({ kind: 'Deployment', name: 'chat-predictor' })])).toEqual([]);
    expect(ruleFindings('scale-target-not-found', [isvc(), hpa({ kind: 'Deployment', name: 'chat-predictor' })], 'rhoai-3.0')).toEqual([]);
    expect(found([isvc(), workload('Deployment', 'web'), hpa({ kind: 'Deployment', name: 'chat-transformer' })])).toEqual([]);
  });

  test("a script of the tree installing KServe's chart with --set kserve.controller.deploymentMode=RawDeployment makes raw mode the default", async () => {
    const dir = writeTree('scale-target-kserve-', {
      'install.sh':
        '#!/bin/sh\nset -e\nhelm install kserve oci://ghcr.io/kserve/charts/kserve --version v0.15.0 -n kserve --set kserve.controller.deploymentMode=RawDeployment\nkubectl apply -f model/\n',
      'model/isvc.yaml':
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: chat\n  namespace: ai\n  annotations:\n    serving.kserve.io/autoscalerClass: external\nspec:\n  predictor:\n    model:\n      modelFormat: {name: sklearn}\n      storageUri: gs://bucket/chat\n',
      'model/hpa.yaml':
        'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: load, namespace: ai}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: chat-predictor}\n  minReplicas: 1\n  maxReplicas: 3\n',
    });
    const findings = async (checked: string) => {
      const { out } = await cliInProcess(['check', checked, '--platform', 'kserve', '--json']);
      return (JSON.parse(out) as { findings: { rule: string; severity: string }[] }).findings
        .filter((f) => f.rule === 'scale-target-not-found')
        .map((f) => f.severity);
    };
    expect(await findings(dir)).toEqual([]);
    // the model folder alone does not show the install: the cluster's default is assumed
    expect(await findings(`${dir}/model`)).toEqual(['warning']);
  });
});

describe('scale-target-not-found: Helm values beside the autoscaler', () => {
  test('values files the check skips make the chart a possible maker: a note, not a warning from unrelated workloads', async () => {
    const docs = [workload('Deployment', 'jaeger'), hpa({ kind: 'Deployment', name: 'vllm-llama3-deployment-vllm' })];
    const tree = { 'autoscaler.yaml': docs.map((d) => YAML.stringify(d)).join('---\n') };
    const values = 'servingEngineSpec:\n  modelSpec:\n    - name: llama3\n      repository: vllm/vllm-openai\n';
    const run = async (files: Record<string, string>) =>
      (
        JSON.parse((await cliInProcess(['check', writeTree('scale-values-', files), '--platform', 'kserve', '--json'])).out).findings as {
          rule: string;
          severity: string;
          message: string;
        }[]
      ).filter((f) => f.rule === 'scale-target-not-found');
    expect((await run({ ...tree, 'values-02-basic.yaml': values })).map((f) => [f.severity, f.message])).toEqual([
      [
        'info',
        expect.stringMatching(
          /names Deployment 'vllm-llama3-deployment-vllm', which the tree does not define; the folder holds Helm values files the check does not render \(values-02-basic\.yaml\)/,
        ),
      ],
    ]);
    // near miss: without them, the warning stands
    expect((await run(tree)).map((f) => f.severity)).toEqual(['warning']);
  });
});
