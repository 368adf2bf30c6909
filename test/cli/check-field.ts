import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { kubectlBinary } from '../setup/kubectl';
import { sarifValidator } from '../setup/sarif-schema';
import { ROOT, cliInProcess, clusterQueueManifest, tempDir } from '../util';

/**
 * Patterns seen in public GitOps trees of OpenShift AI and KServe users, written here as fixtures of our own: the
 * rules must stay silent where their premise does not hold and still catch the real mistakes.
 */

/** Runs the CLI in-process; returns exit code, stdout and stderr. */
const cli = cliInProcess;

/** Writes files (path → YAML documents or text) into a new folder. */
function tree(files: Record<string, unknown[] | string>): string {
  const dir = tempDir('field-');
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, typeof content === 'string' ? content : content.map((d) => YAML.stringify(d)).join('---\n'));
  }
  return dir;
}

const pinned = (repo: string) => `${repo}@sha256:${'b'.repeat(64)}`;

const cpuRuntime = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm-cpu-runtime' },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [
      {
        name: 'kserve-container',
        image: pinned('quay.io/example/vllm-cpu'),
        args: ['--model=/mnt/models', '--port=8080'],
        env: [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '8' }],
      },
    ],
  },
};
const cpuService = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'tiny' },
  spec: {
    predictor: {
      model: {
        modelFormat: { name: 'vLLM' },
        runtime: 'vllm-cpu-runtime',
        storageUri: 'oci://quay.io/example/tiny-llm@sha256:' + 'c'.repeat(64),
        resources: { requests: { cpu: '4', memory: '8Gi' } },
      },
    },
  },
};
const teiRuntime = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'tei', namespace: 'rag' },
  spec: {
    supportedModelFormats: [{ name: 'embeddings', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: pinned('ghcr.io/huggingface/text-embeddings-inference') }],
  },
};
const teiService = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'embedder', namespace: 'rag' },
  spec: { predictor: { model: { modelFormat: { name: 'embeddings' }, runtime: 'tei', args: ['--tensor-parallel-size=1'], storageUri: 'pvc://models/bge' } } },
};
const customContainer = (gpus: string, instanceType: string) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'granite', namespace: 'llm' },
  spec: {
    predictor: {
      nodeSelector: { 'node.kubernetes.io/instance-type': instanceType },
      containers: [
        {
          name: 'kserve-container',
          image: pinned('quay.io/example/vllm'),
          args: ['--model', '/models/granite'],
          resources: { limits: { 'nvidia.com/gpu': gpus } },
        },
      ],
    },
  },
});

const errorsOf = (objects: unknown[], options = {}) =>
  runChecks(
    objects.map((manifest) => ({ manifest })),
    options,
  ).filter((f) => f.severity === 'error');

describe('premises: rules judge only what they are about', () => {
  test('a CPU vLLM runtime without GPUs and a TEI runtime get no GPU errors', () => {
    expect(errorsOf([cpuRuntime, cpuService, teiRuntime, teiService])).toEqual([]);
    const findings = runChecks([cpuRuntime, cpuService, teiRuntime, teiService].map((manifest) => ({ manifest })));
    expect(findings.filter((f) => ['tensor-parallel-gpu-mismatch', 'gpu-memory-fit'].includes(f.rule))).toEqual([]);
  });

  test('a custom-container predictor declares its GPUs in containers[]: they are counted', () => {
    expect(errorsOf([customContainer('1', 'g6.xlarge')])).toEqual([]);
    expect(errorsOf([customContainer('2', 'g6.xlarge')])).toEqual([
      expect.objectContaining({ rule: 'gpu-count-exceeds-node', message: expect.stringMatching(/requests 2 nvidia.com\/gpu but g6.xlarge has 1/) }),
    ]);
  });

  test('namespace-less objects resolve against each other, and no message says undefined', () => {
    const queued = { ...cpuService, metadata: { name: 'tiny', labels: { 'kueue.x-k8s.io/queue-name': 'missing' } } };
    const lq = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'gpu', namespace: 'llm-hosting' }, spec: { clusterQueue: 'cq' } };
    const findings = runChecks([cpuRuntime, queued, lq].map((manifest) => ({ manifest })));
    expect(findings.filter((f) => f.rule === 'runtime-not-found')).toEqual([]);
    expect(findings.map((f) => f.message).join('\n')).not.toMatch(/undefined/);
    // with --namespace the same objects are in llm-hosting, where the queue is missing
    const placed = runChecks(
      [cpuRuntime, queued, lq].map((manifest) => ({ manifest })),
      { namespace: 'llm-hosting' },
    );
    expect(placed.filter((f) => f.rule === 'queue-not-found')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/names no LocalQueue in 'llm-hosting' \(it has gpu\)/) }),
    ]);
  });

  test('deployment mode names follow the platform', () => {
    const standard = { ...cpuService, metadata: { name: 'tiny', annotations: { 'serving.kserve.io/deploymentMode': 'Standard' } } };
    const on = (platform: 'rhoai-3.0' | 'rhoai-3.4' | 'kserve') =>
      runChecks([{ manifest: standard }], { platform }).filter((f) => f.rule === 'deployment-mode');
    expect(on('rhoai-3.0')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/KServe ignores it and applies the cluster default \(RawDeployment/) }),
    ]);
    expect(on('rhoai-3.4')).toEqual([]);
    expect(on('kserve')).toEqual([]);
    // Serverless runs on OpenShift AI 2.x; on 3.0 it never becomes ready; with no platform given the service itself
    // tells 2.x (Knative serving left with 3.0)
    const serverless = {
      ...cpuService,
      metadata: { name: 'tiny', labels: { 'opendatahub.io/dashboard': 'true' }, annotations: { 'serving.kserve.io/deploymentMode': 'Serverless' } },
    };
    const mode = (platform?: 'rhoai-2' | 'rhoai-3.0') =>
      runChecks([{ manifest: serverless }], { platform })
        .filter((f) => f.rule === 'deployment-mode')
        .map((f) => [f.severity, f.message]);
    expect(mode('rhoai-2')).toEqual([]);
    expect(mode('rhoai-3.0')).toEqual([
      ['error', expect.stringMatching(/'Serverless' selects a mode OpenShift AI 3.0 \(KServe 0.15, Kueue 0.14\) does not offer/)],
    ]);
    expect(mode()).toEqual(mode('rhoai-2'));
  });

  test('the GPU type is read from a node label that a MachineSet of the tree puts on its nodes', () => {
    const ms = {
      apiVersion: 'machine.openshift.io/v1beta1',
      kind: 'MachineSet',
      metadata: { name: 'gpu-l40s', namespace: 'openshift-machine-api' },
      spec: { template: { spec: { metadata: { labels: { 'gpu-type': 'l40s' } }, providerSpec: { value: { instanceType: 'g6e.xlarge' } } } } },
    };
    const isvc = customContainer('2', 'x');
    isvc.spec.predictor.nodeSelector = { 'gpu-type': 'l40s' } as never;
    expect(errorsOf([ms, isvc])).toEqual([expect.objectContaining({ rule: 'gpu-count-exceeds-node', message: expect.stringMatching(/g6e.xlarge has 1/) })]);
  });

  test('locations are printed as written: no slash after an OCI reference, storage.path named', () => {
    const oci = { ...cpuService, spec: { predictor: { model: { ...cpuService.spec.predictor.model, storageUri: 'oci://quay.io/example/tiny:1.0' } } } };
    const [f] = runChecks([{ manifest: oci }]).filter((x) => x.rule === 'modelcar-not-pinned');
    expect(f.message).toMatch(/model image oci:\/\/quay.io\/example\/tiny:1.0: a version tag can still be re-pushed/);
    const gpu = customContainer('1', 'g6.xlarge');
    const byPath = {
      ...gpu,
      spec: {
        predictor: {
          ...gpu.spec.predictor,
          containers: undefined,
          model: { modelFormat: { name: 'vLLM' }, storage: { key: 'conn', path: 'granite/' }, resources: { limits: { 'nvidia.com/gpu': '1' } } },
        },
      },
    };
    const fit = runChecks([{ manifest: byPath }]).find((x) => x.rule === 'gpu-memory-fit');
    expect(fit?.message).toMatch(/the model at the storage key 'conn' at path granite\/ is unknown/);
  });
});

test('a queue name set as an annotation is named as such: the webhook reads only the label', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm', labels: { 'kueue.openshift.io/managed': 'true' } } };
  const svc = { ...cpuService, metadata: { name: 'tiny', namespace: 'llm', annotations: { 'kueue.x-k8s.io/queue-name': 'gpus' } } };
  const [f] = runChecks([{ manifest: ns }, { manifest: svc }]).filter((x) => x.rule === 'queue-label-missing');
  // OpenShift AI 3.0 runs Kueue 0.14, which would read the annotation on the pods; the webhook denies the service first
  expect(f.message).toMatch(
    /it is set as an annotation \('gpus'\), which OpenShift AI's webhook does not read \(Kueue 0\.14 \(Red Hat build of Kueue 1\.2\) would, on the pods, but the InferenceService is denied first\): move it to metadata.labels/,
  );
});

test('placeholders and references are no credentials; literal values still are', () => {
  const secret = (stringData: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'x' }, stringData });
  const leaks = (o: unknown) => runChecks([{ manifest: o }]).filter((f) => f.rule === 'plaintext-secret' && !/placeholder/.test(f.message));
  for (const placeholder of ['', '<YOUR_SECRET_ACCESS_KEY>', 'CHANGE-ME-in-production', 'your_milvus_password', '$(DB_PASSWORD)', 'xxxx']) {
    expect(leaks(secret({ AWS_SECRET_ACCESS_KEY: placeholder }))).toEqual([]);
  }
  expect(leaks(secret({ AWS_SECRET_ACCESS_KEY: 'minio123' }))).toHaveLength(1);
  expect(leaks(secret({ password: 'password' }))).toHaveLength(1);
  const job = (args: string[]) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'x' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i', args }] } } },
  });
  expect(leaks(job(['--token="$FLEET_AUTH_TOKEN"', '--url=https://example.com']))).toEqual([]);
  expect(leaks(job(['--token=$(TOKEN)']))).toEqual([]);
  expect(leaks(job(['--token=s3cr3t-v4lue']))).toEqual([
    expect.objectContaining({ message: expect.stringMatching(/passes a credential on the command line \(--token=…\)/) }),
  ]);
});

test("taints: a toleration, a Kueue flavor's tolerations or a hardware profile let pods onto tainted MachineSet nodes; a wrong value does not", () => {
  const machineSet = (taints: unknown[]) => ({
    apiVersion: 'machine.openshift.io/v1beta1',
    kind: 'MachineSet',
    metadata: { name: 'gpu-t4', namespace: 'openshift-machine-api' },
    spec: { template: { spec: { metadata: { labels: { 'gpu-type': 't4' } }, taints, providerSpec: { value: { instanceType: 'g4dn.xlarge' } } } } },
  });
  const pod = (tolerations: unknown[], extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'x', ...extra },
    spec: { nodeSelector: { 'gpu-type': 't4' }, tolerations, containers: [{ name: 'c', image: pinned('quay.io/x/y') }] },
  });
  const taint = { key: 'nvidia.com/gpu', value: 'Tesla-T4-SHARED', effect: 'NoSchedule' };
  const blocked = (objects: unknown[]) => runChecks(objects.map((manifest) => ({ manifest }))).filter((f) => f.rule === 'taint-not-tolerated');
  expect(blocked([machineSet([taint]), pod([])])).toHaveLength(1);
  expect(blocked([machineSet([taint]), pod([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }])])).toEqual([]);
  expect(blocked([machineSet([taint]), pod([{ key: 'nvidia.com/gpu', value: 'Tesla-T4-SHARED', effect: 'NoSchedule' }])])).toEqual([]);
  // operator defaults to Equal: another value does not tolerate the taint
  expect(blocked([machineSet([taint]), pod([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }])])).toHaveLength(1);
  // PreferNoSchedule only discourages; a selector that picks no MachineSet of the tree is not judged
  expect(blocked([machineSet([{ ...taint, effect: 'PreferNoSchedule' }]), pod([])])).toEqual([]);
  expect(blocked([machineSet([taint]), { ...pod([]), spec: { ...pod([]).spec, nodeSelector: { 'gpu-type': 'a100' } } }])).toEqual([]);
  // a hardware profile adds its tolerations at admission
  expect(blocked([machineSet([taint]), pod([], { annotations: { 'opendatahub.io/hardware-profile-name': 't4' } })])).toEqual([]);
  // so does Kueue, from the flavors of the workload's queue
  const queue = [
    { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'q', namespace: 'x' }, spec: { clusterQueue: 'cq' } },
    {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'cq' },
      spec: { resourceGroups: [{ coveredResources: ['cpu'], flavors: [{ name: 't4', resources: [{ name: 'cpu', nominalQuota: 4 }] }] }] },
    },
    {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ResourceFlavor',
      metadata: { name: 't4' },
      spec: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] },
    },
  ];
  expect(blocked([machineSet([taint]), pod([], { labels: { 'kueue.x-k8s.io/queue-name': 'q' } }), ...queue])).toEqual([]);
});

test("a dashboard-style connection annotation: the fields OpenShift AI's webhook sets drift unless the manifest says them or the Application ignores them", () => {
  const app = (ignoreDifferences?: unknown[], syncPolicy: unknown = { automated: { selfHeal: true } }) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'llm', namespace: 'openshift-gitops' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://example.com/r.git', path: 'apps/llm' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'ai' },
      ...(syncPolicy ? { syncPolicy } : {}),
      ...(ignoreDifferences ? { ignoreDifferences } : {}),
    },
  });
  const isvc = (predictor: Record<string, unknown> = {}) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'granite', namespace: 'ai', annotations: { 'opendatahub.io/connections': 'models' } },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'granite' }, ...predictor } },
  });
  const drift = (objects: Record<string, unknown[]>) =>
    runChecks(readManifests([tree(objects)]).manifests)
      .filter((f) => f.rule === 'argocd-webhook-drift')
      .map((f) => f.message);
  expect(drift({ 'app.yaml': [app()], 'apps/llm/isvc.yaml': [isvc()] })).toEqual([
    expect.stringMatching(
      /delivers InferenceService\/ai\/granite, whose connection annotation \(models\) makes OpenShift AI's webhook set \/spec\/predictor\/serviceAccountName and \/spec\/predictor\/model\/storage/,
    ),
  ]);
  // only automated sync with selfHeal re-applies what the webhook changed: without it (manual sync, automated without
  // selfHeal, automated switched off) the app only shows OutOfSync, an info
  const severities = (syncPolicy: unknown) =>
    runChecks(readManifests([tree({ 'app.yaml': [app(undefined, syncPolicy)], 'apps/llm/isvc.yaml': [isvc()] })]).manifests)
      .filter((f) => f.rule === 'argocd-webhook-drift')
      .map((f) => `${f.severity}: ${f.message.replace(/^.*OutOfSync;? /, '')}`);
  expect(severities(null)).toEqual([
    expect.stringMatching(/^info: without automated sync with selfHeal Argo CD does not re-apply them, so nothing fights the webhook/),
  ]);
  expect(severities({ automated: { prune: true } })).toEqual([expect.stringMatching(/^info: /)]);
  expect(severities({ automated: { enabled: false, selfHeal: true } })).toEqual([expect.stringMatching(/^info: /)]);
  expect(severities({ automated: { selfHeal: true } })).toEqual([expect.stringMatching(/^warning: and selfHeal fights the webhook/)]);
  // the connection Secret itself is expected: the webhook denies the service without it
  expect(runChecks([{ manifest: isvc() }]).filter((f) => f.rule === 'secret-not-in-tree')).toEqual([
    expect.objectContaining({ message: expect.stringMatching(/references Secret models in 'ai', not defined in the tree/) }),
  ]);
  // the manifest says what the webhook would write: nothing drifts
  const said = isvc({
    serviceAccountName: 'models-sa',
    model: { modelFormat: { name: 'vLLM' }, runtime: 'granite', storage: { key: 'models', path: 'granite/' } },
  });
  expect(drift({ 'app.yaml': [app()], 'apps/llm/isvc.yaml': [said] })).toEqual([]);
  // an ignored parent path covers the fields below it
  expect(
    drift({ 'app.yaml': [app([{ group: 'serving.kserve.io', kind: 'InferenceService', jsonPointers: ['/spec/predictor'] }])], 'apps/llm/isvc.yaml': [isvc()] }),
  ).toEqual([]);
  // a URI connection in the tree writes storageUri, which the manifest already has
  const uriSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'models', namespace: 'ai', annotations: { 'opendatahub.io/connection-type-ref': 'uri-v1' } },
  };
  expect(drift({ 'app.yaml': [app()], 'apps/llm/isvc.yaml': [isvc(), uriSecret] })).toEqual([]);
});

test('storage Secret entries: type, bucket for storage.path, endpoint scheme and JSON strings, each named', () => {
  const svc = (storage: Record<string, unknown>) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'm', namespace: 'ai' },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storage } } },
  });
  const config = (entry: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'storage-config', namespace: 'ai' }, stringData: { conn: entry } });
  const problems = (storage: Record<string, unknown>, entry: string) =>
    runChecks([{ manifest: svc(storage) }, { manifest: config(entry) }])
      .filter((f) => f.rule === 'storage-config-invalid')
      .map((f) => f.message);
  const good = '{"type": "s3", "bucket": "models", "endpoint_url": "http://minio.minio.svc:9000", "access_key_id": "a", "secret_access_key": "b"}';
  expect(problems({ key: 'conn', path: 'granite/' }, good)).toEqual([]);
  expect(problems({ key: 'conn', path: 'granite/' }, '{"type": "s3"}')).toEqual([
    expect.stringMatching(/has no "bucket" .* but the service gives storage.path/),
  ]);
  expect(problems({ key: 'conn', path: 'granite/', parameters: { bucket: 'models' } }, '{"type": "s3"}')).toEqual([]);
  expect(problems({ key: 'conn' }, '{"bucket": "models"}')).toEqual([expect.stringMatching(/has no "type" .*unable to determine storage type/)]);
  expect(problems({ key: 'conn', parameters: { type: 's3' } }, '{"bucket": "models"}')).toEqual([]);
  expect(problems({ key: 'conn' }, '{"type": "gcs"}')).toEqual([expect.stringMatching(/has type 'gcs': KServe accepts s3, hdfs, webhdfs/)]);
  expect(problems({ key: 'conn' }, '{"type": "s3", "endpoint_url": "minio:9000"}')).toEqual([
    expect.stringMatching(/endpoint_url 'minio:9000' without a scheme/),
  ]);
  expect(problems({ key: 'conn' }, 'not json')).toEqual([expect.stringMatching(/is not JSON: the pod is rejected/)]);
  // base64 data is read too
  const encoded = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'storage-config', namespace: 'ai' },
    data: { conn: Buffer.from('{"type": 5}').toString('base64') },
  };
  expect(runChecks([{ manifest: svc({ key: 'conn' }) }, { manifest: encoded }]).filter((f) => f.rule === 'storage-config-invalid')).toHaveLength(2);
});

test("a cohort's queues may borrow from each other, but together they must hold what their workloads need", () => {
  const queue = (team: string) => [
    { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'gpus', namespace: team }, spec: { clusterQueue: team } },
    clusterQueueManifest(team, 'l40s', { cpu: 40, memory: '300Gi', gpus: 4 }, { cohort: 'shared' }),
  ];
  const flavor = {
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'ResourceFlavor',
    metadata: { name: 'l40s' },
    spec: { nodeLabels: { 'node.kubernetes.io/instance-type': 'g6e.12xlarge' } },
  };
  // services that keep running (Jobs would take turns: only the largest adds to what the cohort must hold)
  const job = (team: string, pods: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'serve', namespace: team, labels: { 'kueue.x-k8s.io/queue-name': 'gpus' } },
    spec: {
      replicas: pods,
      template: {
        spec: {
          nodeSelector: { 'node.kubernetes.io/instance-type': 'g6e.12xlarge' },
          containers: [{ name: 'c', image: pinned('quay.io/x/y'), resources: { limits: { 'nvidia.com/gpu': '1', cpu: '1', memory: '1Gi' } } }],
        },
      },
    },
  });
  const findings = (a: number, b: number) =>
    runChecks([...queue('team-a'), ...queue('team-b'), flavor, job('team-a', a), job('team-b', b)].map((manifest) => ({ manifest })))
      .filter((f) => f.rule === 'quota-insufficient')
      .map((f) => [f.severity, f.object, f.message]);
  // 5 on a 4-GPU share while the other team needs 3: borrowing covers it, a warning
  expect(findings(5, 3)).toEqual([['warning', 'ClusterQueue/team-a', expect.stringMatching(/admitted only while cohort 'shared' lends it/)]]);
  // 5 and 4 on 4 + 4: nothing to borrow, said once for the cohort; a warning, since each pod is a workload of its own
  // that fits alone (Kueue's pod integration): Kueue admits them in turn and the last ones wait
  expect(findings(5, 4)).toContainEqual([
    'warning',
    'ClusterQueue/team-a',
    expect.stringMatching(
      /cohort 'shared' \(team-a, team-b\): the workloads of its ClusterQueues need more of flavor l40s than they hold together \(9 GPU > 8\); each of them fits alone/,
    ),
  ]);
  expect(findings(5, 4).filter(([severity]) => severity === 'error')).toEqual([]);
});

describe('custom-container services', () => {
  const custom = (image: string, storageUri: string, serviceAccountName?: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'job1', namespace: 'llm' },
    spec: {
      predictor: {
        ...(serviceAccountName ? { serviceAccountName } : {}),
        containers: [
          {
            name: 'kserve-container',
            image,
            command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
            // KServe routes to 8080 when no containerPort is declared; vLLM's default is 8000
            args: ['--port', '8080', '--model', '/mnt/models'],
            env: [{ name: 'STORAGE_URI', value: storageUri }],
            resources: { limits: { cpu: 32, memory: '30Gi', 'nvidia.com/gpu': 1 } },
          },
        ],
      },
    },
  });
  // without a node selector their node shape is unknown: said once per object (asserted below), left out elsewhere
  const findings = (o: unknown) => runChecks([{ manifest: o }]).filter((f) => f.rule !== 'gpu-count-exceeds-node');

  test('a GPU custom container with no node shape known is told so, not silently passed', () => {
    const all = runChecks([{ manifest: custom(pinned('quay.io/x/vllm'), 'pvc://job1-pvc/model_files/') }]);
    expect(all.map((f) => [f.rule, f.severity])).toEqual([['gpu-count-exceeds-node', 'info']]);
    expect(all[0].message).toMatch(/^cannot decide whether one pod \(1 nvidia.com\/gpu\) fits a node/);
  });

  test('their images are judged, and STORAGE_URI is where their weights come from', () => {
    expect(findings(custom('docker.io/kserve/vllmserver:latest', 'pvc://job1-pvc/model_files/'))).toEqual([
      expect.objectContaining({
        rule: 'image-not-pinned',
        message: expect.stringMatching(/container 'kserve-container' uses docker.io\/kserve\/vllmserver:latest/),
      }),
    ]);
    expect(findings(custom(pinned('quay.io/x/vllm'), 'oci://quay.io/x/model:v1')).map((f) => f.rule)).toEqual(['modelcar-not-pinned']);
    // S3 through STORAGE_URI needs the account's credentials: with one, nothing is missing; without, KServe reads the
    // namespace's default account, which the tree does not define (it, IRSA or the node role may still hold them): a warning
    expect(findings(custom(pinned('quay.io/x/vllm'), 's3://models/m/', 's3-read-only'))).toEqual([]);
    expect(findings(custom(pinned('quay.io/x/vllm'), 's3://models/m/')).map((f) => [f.rule, f.severity])).toEqual([['storage-credentials-missing', 'warning']]);
  });

  test('a model named by storage key and path only is unknown, and the message says why --model cannot name it', () => {
    const byKey = { ...cpuService, spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storage: { key: 'conn', path: 'phi3/' } } } } };
    const gpu = {
      ...byKey,
      spec: { predictor: { model: { ...byKey.spec.predictor.model, resources: { limits: { 'nvidia.com/gpu': '1' } } } } },
    };
    const [fit] = findings(gpu).filter((f) => f.rule === 'gpu-memory-fit');
    expect(fit.message).toMatch(/its bucket is in the connection Secret, so no --model can name it: set storage.parameters.bucket/);
    expect(fit.message).not.toMatch(/--model the storage key/);
  });

  test('the message on a keyed model follows the scheme its connection tells: a Hugging Face repository, another URI', () => {
    const model = { modelFormat: { name: 'vLLM' }, storage: { key: 'hub-link', path: 'granite/' }, resources: { limits: { 'nvidia.com/gpu': '1' } } };
    const service = { ...cpuService, metadata: { name: 'tiny', namespace: 'demo' }, spec: { predictor: { model } } };
    const connection = (uri: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hub-link', namespace: 'demo', annotations: { 'opendatahub.io/connection-type-protocol': 'uri' } },
      stringData: { URI: uri },
    });
    const fitOf = (secret: unknown) => runChecks([{ manifest: service }, { manifest: secret }]).find((f) => f.rule === 'gpu-memory-fit')?.message ?? '';
    const hf = fitOf(connection('hf://ibm-granite/granite-3.1-8b-instruct'));
    expect(hf).toMatch(
      /its Hugging Face repository is in the connection Secret 'hub-link' \(hf:\/\/ibm-granite\/granite-3.1-8b-instruct\), so no --model can name it: record the profile/,
    );
    expect(hf).not.toMatch(/bucket/);
    expect(fitOf(connection('https://models.example.com/granite.tar.gz'))).toMatch(
      /its location is in the connection Secret 'hub-link' \(a https location \(https:\/\/models.example.com\/granite.tar.gz\)\), so no --model can name it/,
    );
    // an S3 connection keeps the bucket's words
    const s3 = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub-link', namespace: 'demo' }, stringData: { AWS_S3_BUCKET: 'models' } };
    expect(fitOf(s3)).toMatch(/its bucket is in the connection Secret, so no --model can name it/);
  });
});

describe('LLMInferenceService', () => {
  const llmisvc = (tensor: number, gpus: string, image = pinned('registry.redhat.io/rhaiis/vllm-cuda-rhel9')) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      model: { uri: 'hf://Qwen/Qwen3-8B', name: 'Qwen/Qwen3-8B' },
      parallelism: { tensor },
      template: { containers: [{ name: 'main', image, args: [`--tensor-parallel-size=${tensor}`], resources: { limits: { 'nvidia.com/gpu': gpus } } }] },
    },
  });
  const managed = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm', labels: { 'kueue.openshift.io/managed': 'true' } } };

  test('GPUs against spec.parallelism, image pinning and the queue label', () => {
    expect(runChecks([{ manifest: llmisvc(2, '2') }]).filter((f) => f.severity === 'error')).toEqual([]);
    expect(errorsOf([llmisvc(4, '2')])).toEqual([
      expect.objectContaining({ rule: 'tensor-parallel-gpu-mismatch', message: expect.stringMatching(/4 GPUs per pod but container 'main' requests 2/) }),
    ]);
    expect(runChecks([{ manifest: llmisvc(2, '2', 'quay.io/vllm/vllm:latest') }]).map((f) => f.rule)).toContain('image-not-pinned');
    expect(errorsOf([llmisvc(2, '2'), managed]).map((f) => f.rule)).toEqual(['queue-label-missing']);
  });
});

describe('kustomize-aware input', () => {
  const service = (name: string, gpus: number) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, labels: { 'kueue.x-k8s.io/queue-name': 'gpu' } },
    spec: {
      predictor: {
        nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.12xlarge' },
        containers: [{ name: 'c', image: pinned('quay.io/x/y'), resources: { limits: { 'nvidia.com/gpu': String(gpus), cpu: '1', memory: '1Gi' } } }],
      },
    },
  });
  const queue = [
    { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'gpu' }, spec: { clusterQueue: 'cq' } },
    clusterQueueManifest('cq', 'f', { cpu: 40, memory: '100Gi', gpus: 5 }),
  ];

  test('a file beside a kustomization that it does not list is not read; its namespace is applied', async () => {
    const dir = tree({
      'kustomization.yaml': 'namespace: llm-hosting\nresources:\n  - namespace.yaml\n  - inference/\n  - queue.yaml\n',
      'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: llm-hosting\n',
      'queue.yaml': queue,
      'inference/kustomization.yaml': 'resources:\n  - a.yaml\n',
      'inference/a.yaml': [service('a', 4)],
      'inference/stale.yaml': [service('stale', 2)],
    });
    const r = await cli(['check', dir, '--json']);
    const findings = JSON.parse(r.out).findings;
    expect(findings.filter((f: { rule: string }) => f.rule === 'quota-insufficient')).toEqual([]);
    expect(findings.map((f: { object: string }) => f.object)).not.toContain('InferenceService/llm-hosting/stale');
    expect(r.code).toBe(0);
    // reading the folder as plain files would count the stale service: 6 GPUs > 5
    const loose = await cli([
      'check',
      path.join(dir, 'inference', 'a.yaml'),
      path.join(dir, 'inference', 'stale.yaml'),
      path.join(dir, 'queue.yaml'),
      '--json',
    ]);
    expect(JSON.parse(loose.out).findings.map((f: { rule: string }) => f.rule)).toContain('quota-insufficient');
  });

  test('a listed resource that does not exist is an error at the kustomization that lists it', () => {
    const dir = tree({ 'kustomization.yaml': 'resources:\n  - ../../manifests/common/cert-manager/base\n  - a.yaml\n', 'a.yaml': [service('a', 1)] });
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({
        file: path.join(dir, 'kustomization.yaml'),
        severity: 'error',
        message: expect.stringMatching(/^lists '..\/..\/manifests\/common\/cert-manager\/base', which does not exist .*: kustomize build fails/),
      }),
    ]);
    expect(manifests).toHaveLength(1);
    expect(() => execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });

  test('remote bases and patches are reported, not guessed', async () => {
    const dir = tree({
      'kustomization.yaml':
        'resources:\n  - https://github.com/example/repo//base?ref=v1\n  - a.yaml\npatches:\n  - target: {labelSelector: team=a}\n    patch: "- {op: remove, path: /spec}"\n',
      'a.yaml': [service('a', 1)],
    });
    const findings = JSON.parse((await cli(['check', dir, '--json'])).out).findings;
    expect(findings.filter((f: { rule: string }) => f.rule === 'input-not-followed').map((f: { message: string }) => f.message)).toEqual([
      expect.stringMatching(/resource 'https:\/\/github.com\/example\/repo\/\/base\?ref=v1' is remote: not followed/),
      expect.stringMatching(/^patches\[0\] selects by label or annotation, which check does not resolve: not applied/),
    ]);
  });

  test('labels and annotations of nested kustomizations reach objects and pod templates as kubectl kustomize builds them', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'sync', labels: { tier: 'inner' } },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } } },
    };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    };
    const dir = tree({
      'kustomization.yaml':
        'resources:\n  - base/\ncommonAnnotations:\n  argocd.argoproj.io/sync-wave: "3"\n  team: a\nlabels:\n  - pairs:\n      kueue.x-k8s.io/queue-name: gpus\n  - pairs:\n      env: prod\n    includeTemplates: true\n',
      'base/kustomization.yaml': 'resources:\n  - objects.yaml\n  - service.yaml\ncommonLabels:\n  tier: base\ncommonAnnotations:\n  team: b\n',
      'base/objects.yaml': [job, deployment],
      'base/service.yaml': [service('svc', 1)],
    });
    const built = YAML.parseAllDocuments(execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS());
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    const metadataOf = (objects: any[]) =>
      objects
        .map((o) => ({
          id: `${o.kind}/${o.metadata.name}`,
          labels: o.metadata.labels,
          annotations: o.metadata.annotations,
          template: o.spec?.template?.metadata,
          jobTemplate: o.spec?.jobTemplate?.metadata,
          jobPodTemplate: o.spec?.jobTemplate?.spec?.template?.metadata,
        }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(metadataOf(manifests.map((m) => m.manifest))).toEqual(metadataOf(built));
    // the outer kustomization's values win: the wave and the queue label reach the service
    const svc = manifests.map((m) => m.manifest as any).find((m) => m.kind === 'InferenceService');
    expect(svc.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '3', team: 'a' });
    expect(svc.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('gpus');
  });

  test('labels and annotations that are not string maps are reported as kustomize refuses them, never applied as text', () => {
    const dir = tree({
      'kustomization.yaml': 'resources:\n  - a.yaml\ncommonLabels:\n  app: {nested: true}\nlabels:\n  - 1\n  - pairs:\n      n: 5\ncommonAnnotations: oops\n',
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    const { manifests, errors } = readManifests([dir]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^commonLabels maps 'app' to \{"nested":true\}, not a string: kustomize refuses the kustomization/),
      expect.stringMatching(/^labels\[0\] is not a mapping with pairs/),
      expect.stringMatching(/^labels\[1\].pairs maps 'n' to 5, not a string/),
      expect.stringMatching(/^commonAnnotations is not a mapping/),
    ]);
    expect((manifests[0].manifest as any).metadata).toEqual({ name: 'c' });
    expect(() => execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });

  test('kustomize images (new name, new tag, digest) reach container images as kubectl kustomize builds them', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            initContainers: [{ name: 'init', image: 'busybox:1.36' }],
            containers: [
              { name: 'vllm', image: 'quay.io/vllm/vllm-openai:latest' },
              { name: 'proxy', image: 'quay.io/x/proxy' },
              { name: 'other', image: 'docker.io/library/nginx:1.27@sha256:' + 'a'.repeat(64) },
            ],
          },
        },
      },
    };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    };
    // kustomize reaches containers lists anywhere: a ServingRuntime's and a predictor's too, not a model's image field
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm' },
      spec: { containers: [{ name: 'kserve-container', image: 'quay.io/vllm/vllm-openai:latest' }] },
    };
    const service = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 's' },
      spec: { predictor: { containers: [{ name: 'kserve-container', image: 'quay.io/x/proxy' }], model: { image: 'quay.io/vllm/vllm-openai:latest' } } },
    };
    const dir = tree({
      'kustomization.yaml': [
        'resources:',
        '  - base/',
        'images:',
        `  - name: quay.io/vllm/vllm-openai`,
        `    digest: sha256:${'b'.repeat(64)}`,
        '  - name: busybox',
        '    newTag: "1.37"',
        '  - name: quay.io/x/proxy',
        '    newName: registry.example.com/mirror/proxy',
        '  - name: docker.io/library/nginx',
        '    newTag: "1.28"',
        '',
      ].join('\n'),
      'base/kustomization.yaml': 'resources:\n  - objects.yaml\n',
      'base/objects.yaml': [deployment, cron, runtime, service],
    });
    const built = YAML.parseAllDocuments(execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS());
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    const images = (objects: any[]) =>
      objects
        .flatMap((o) => {
          if (o.kind === 'ServingRuntime') return o.spec.containers.map((c: any) => `${o.kind}/${c.name}=${c.image}`);
          if (o.kind === 'InferenceService')
            return [...o.spec.predictor.containers.map((c: any) => `${o.kind}/${c.name}=${c.image}`), `model=${o.spec.predictor.model.image}`];
          const pod = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
          return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => `${o.kind}/${c.name}=${c.image}`);
        })
        .sort();
    expect(images(manifests.map((m) => m.manifest))).toEqual(images(built));
    // the pinned digest leaves image-not-pinned only the model's own image field, which kustomize does not reach either
    expect(
      runChecks(manifests)
        .filter((f) => f.rule === 'image-not-pinned' && /vllm/.test(f.message))
        .map((f) => f.object),
    ).toEqual(['InferenceService/s']);
  });

  test('kustomize replicas set spec.replicas of what it can scale, as kubectl builds it; naming anything else is refused', () => {
    const objects = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
        },
      },
      { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'web' }, spec: { predictor: { minReplicas: 1 } } },
    ];
    const dir = tree({
      'kustomization.yaml': 'resources:\n  - o.yaml\nreplicas:\n  - name: web\n    count: 3\n  - name: db\n    count: 2\n',
      'o.yaml': objects,
    });
    const built = YAML.parseAllDocuments(execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS());
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    const replicas = (list: any[]) => list.map((o) => `${o.kind}/${o.metadata.name}=${o.spec.replicas ?? '-'}`).sort();
    expect(replicas(manifests.map((m) => m.manifest))).toEqual(replicas(built));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - o.yaml\nreplicas:\n  - name: train\n    count: 2\n');
    expect(readManifests([dir]).errors).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/replicas names 'train', which is no Deployment/) }),
    ]);
    expect(() => execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });

  test('a base that several roots include is reported once; a repeated YAML key kustomize refuses is reported and the object still checked', () => {
    const dir = tree({
      'shared/kustomization.yaml': 'resources:\n  - a.yaml\npatches:\n  - path: p.yaml\n',
      'shared/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  threads: "8"\n  threads: "100"\n',
      'dev/kustomization.yaml': 'resources:\n  - ../shared\n',
      'prod/kustomization.yaml': 'resources:\n  - ../shared\n',
    });
    const { manifests, errors } = readManifests([dir]);
    expect(errors.filter((e) => /lists the patch 'p.yaml', which does not exist/.test(e.message))).toHaveLength(1);
    // kustomize refuses the file as a resource (go-yaml: "mapping key "threads" already defined"): the build fails
    expect(errors.filter((e) => /the key 'threads' appears twice/.test(e.message))).toEqual([
      expect.objectContaining({
        line: 7,
        severity: 'error',
        kind: 'kustomize-build-fails',
        message: expect.stringMatching(
          /the key 'threads' appears twice in one mapping; kustomize refuses it as a resource of .*"mapping key "threads" already defined at line 6"/,
        ),
      }),
    ]);
    // one object, with the last value, as most readers keep it
    expect(manifests.map((m) => (m.manifest as any).data.threads)).toEqual(['100']);
    // overlays that put the base into their own namespaces build an object each
    fs.writeFileSync(path.join(dir, 'dev', 'kustomization.yaml'), 'namespace: dev\nresources:\n  - ../shared\n');
    fs.writeFileSync(path.join(dir, 'prod', 'kustomization.yaml'), 'namespace: prod\nresources:\n  - ../shared\n');
    expect(readManifests([dir]).manifests.map((m) => (m.manifest as any).metadata.namespace)).toEqual(['dev', 'prod']);
  });

  test('one cluster-scoped name declared differently: a refused build within one build, a warning across alternative roots', () => {
    const flavor = (type: string) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ResourceFlavor',
      metadata: { name: 'gpu' },
      spec: { nodeLabels: { 'node.kubernetes.io/instance-type': type } },
    });
    const conflicts = (dir: string) =>
      runChecks(readManifests([dir]).manifests)
        .filter((f) => f.rule === 'cluster-object-conflict')
        .map((f) => [f.severity, f.message]);
    const alternatives = tree({
      'overlays/small/kustomization.yaml': 'resources:\n  - flavor.yaml\n',
      'overlays/small/flavor.yaml': [flavor('g6.xlarge')],
      'overlays/large/kustomization.yaml': 'resources:\n  - flavor.yaml\n',
      'overlays/large/flavor.yaml': [flavor('g6.12xlarge')],
    });
    expect(conflicts(alternatives)).toEqual([
      [
        'warning',
        expect.stringMatching(
          /ResourceFlavor 'gpu' is declared differently at .*overlays\/large\/flavor.yaml:1, built by another kustomization root; if both are deployed to one cluster/,
        ),
      ],
    ]);
    const together = tree({
      'kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n',
      'a.yaml': [flavor('g6.xlarge')],
      'b.yaml': [flavor('g6.12xlarge')],
    });
    // within one build kustomize refuses the second id: the reader says so (kustomize-build-fails) and keeps the first copy
    expect(conflicts(together)).toEqual([]);
    expect(readManifests([together]).errors.map((e) => [e.kind, e.severity, e.message])).toEqual([
      [
        'kustomize-build-fails',
        'error',
        expect.stringMatching(/'b.yaml' adds ResourceFlavor 'gpu' again .*"may not add resource with an already registered id"/),
      ],
    ]);
  });

  test('a Helm chart an Application delivers is rendered (here Helm fails on it: an include of no template), and the Application finds its path', async () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'milvus', namespace: 'openshift-gitops' },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: 'milvus' },
        source: { repoURL: 'https://example.com/repo.git', path: 'components/milvus', targetRevision: 'main' },
      },
    };
    const dir = tree({
      'application-milvus.yaml': [app],
      'components/milvus/Chart.yaml': 'apiVersion: v2\nname: milvus\nversion: 0.1.0\n',
      'components/milvus/templates/route.yaml':
        'apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include "labels" . | nindent 4 }}\n',
      'loose/template.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  {{- range .Values.items }}\n  a: b\n  {{- end }}\n',
      'components/milvus/templates/static.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter22\n',
      'components/missing/.keep': '',
    });
    const findings = JSON.parse((await cli(['check', dir, '--json'])).out).findings as { rule: string; severity: string; message: string; file: string }[];
    // a template without markers renders as written: it is read, and its literal password found
    expect(findings.filter((f) => f.rule === 'plaintext-secret').map((f) => [f.severity, path.basename(f.file)])).toEqual([['warning', 'static.yaml']]);
    expect(findings.filter((f) => f.rule === 'input-not-followed').map((f) => f.message)).toEqual([
      expect.stringMatching(/document 1 is a template \(\{\{ … \}\} markers\), not a manifest: not read/),
    ]);
    expect(findings.filter((f) => f.rule === 'helm-render-fails').map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/helm template fails on this chart as Application\/openshift-gitops\/milvus delivers it: .*no template "labels"/)],
    ]);
    // a path that is not there at all is still reported
    const moved = { ...app, spec: { ...app.spec, source: { ...app.spec.source, path: 'components/milvs' } } };
    fs.writeFileSync(path.join(dir, 'application-milvus.yaml'), YAML.stringify(moved));
    const again = JSON.parse((await cli(['check', dir, '--json'])).out).findings as { rule: string }[];
    expect(again.map((f) => f.rule).some((r) => /^argocd-path-(missing|not-in-input)$/.test(r))).toBe(true);
  });

  test('--kustomize builds each root with the real kubectl: patches count, a broken root is an error, an unreachable remote a warning', async () => {
    const gpuService = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: {
        predictor: {
          nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.xlarge' },
          containers: [{ name: 'kserve-container', image: pinned('quay.io/x/vllm'), resources: { limits: { 'nvidia.com/gpu': '1' } } }],
        },
      },
    };
    const dir = tree({
      'patched/kustomization.yaml':
        'resources:\n  - llm.yaml\npatches:\n  - target:\n      kind: InferenceService\n      name: llm\n    patch: |-\n      - op: replace\n        path: /spec/predictor/containers/0/resources/limits/nvidia.com~1gpu\n        value: "4"\n',
      'patched/llm.yaml': [gpuService],
      'broken/kustomization.yaml': 'resources:\n  - missing.yaml\n',
      'remote/kustomization.yaml': 'resources:\n  - https://nonexistent.invalid/base.yaml\n',
    });
    const findings = (out: string) => JSON.parse(out).findings as { rule: string; severity: string; message: string; object: string }[];
    // read as files, the reader applies this simple JSON patch itself: the service has four GPUs either way
    const plain = findings((await cli(['check', dir, '--json'])).out);
    expect(plain.filter((f) => f.rule === 'gpu-count-exceeds-node')).toEqual([
      expect.objectContaining({ severity: 'error', object: 'InferenceService/ai/llm' }),
    ]);
    expect(plain.map((f) => f.message)).not.toContainEqual(expect.stringMatching(/patches/));
    // built, the patched four GPUs do not fit a g6.xlarge
    const r = await cli(['check', dir, '--json', '--kustomize', kubectlBinary()]);
    const built = findings(r.out);
    expect(built.filter((f) => f.rule === 'gpu-count-exceeds-node')).toEqual([
      expect.objectContaining({ severity: 'error', object: 'InferenceService/ai/llm' }),
    ]);
    expect(built.filter((f) => /broken/.test(f.object))).toEqual([
      expect.objectContaining({
        rule: 'kustomize-build-fails',
        severity: 'error',
        // kubectl stops at the missing file; the reader then builds the root itself to say which file and check the rest
        message: expect.stringMatching(/missing\.yaml.*kustomize build fails, so Argo CD cannot sync this root/),
      }),
    ]);
    expect(built.filter((f) => /remote/.test(f.object))).toEqual([
      expect.objectContaining({
        rule: 'input-not-followed',
        severity: 'warning',
        message: expect.stringMatching(/was not checked: kustomize could not fetch a remote resource from here/),
      }),
    ]);
    expect(built.map((f) => f.message)).not.toContainEqual(expect.stringMatching(/uses 'patches'/));
    expect(r.code).toBe(1);
    // validate builds the same way: a field the patch adds that the schema does not know is found (the reader applies this patch too)
    fs.writeFileSync(
      path.join(dir, 'patched', 'kustomization.yaml'),
      'resources:\n  - llm.yaml\npatches:\n  - target:\n      kind: InferenceService\n    patch: |-\n      - op: add\n        path: /spec/predictor/minReplica\n        value: 1\n',
    );
    const unbuilt = await cli(['validate', path.join(dir, 'patched'), '--json']);
    expect(JSON.parse(unbuilt.out).findings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/minReplica/) }));
    const validated = await cli(['validate', path.join(dir, 'patched'), '--json', '--kustomize', kubectlBinary()]);
    expect(JSON.parse(validated.out).findings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/minReplica/) }));
    expect(validated.code).toBe(1);
    const missing = await cli(['check', dir, '--kustomize', '/nonexistent/kubectl']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--kustomize \/nonexistent\/kubectl: cannot run it \(ENOENT\)/);
  });

  test('kubectl kustomize base | check - gives the findings of check base', async () => {
    const base = path.join(ROOT, 'dist', 'gitops', 'step-05-llm-on-vllm', 'base');
    const stream = execFileSync(kubectlBinary(), ['kustomize', base], { encoding: 'utf8' });
    const strip = (out: string) =>
      JSON.parse(out).findings.map(({ rule, severity, object, message }: Record<string, string>) => ({ rule, severity, object, message }));
    const fromFolder = strip((await cli(['check', base, '--json'])).out);
    const fromStream = strip((await cli(['check', '-', '--json'], stream)).out);
    expect(fromFolder.length).toBeGreaterThan(0);
    expect(fromStream).toEqual(fromFolder);
  });
});

describe('Hugging Face tokens reach the storage initializer', () => {
  const hfService = (env: unknown[], serviceAccountName?: string) => ({
    ...cpuService,
    metadata: { name: 'gated', namespace: 'llm' },
    spec: {
      predictor: {
        ...(serviceAccountName ? { serviceAccountName } : {}),
        model: { ...cpuService.spec.predictor.model, storageUri: 'hf://meta-llama/Llama-3.1-8B-Instruct', env },
      },
    },
  });
  const tokenEnv = [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } } }];
  const account = (secrets: string[]) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'dl', namespace: 'llm' },
    secrets: secrets.map((name) => ({ name })),
  });
  const secret = (name: string, key: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'llm' }, stringData: { [key]: 'x' } });
  const findings = (objects: unknown[]) => runChecks(objects.map((manifest) => ({ manifest }))).filter((f) => f.rule === 'hf-token-unreachable');

  test('a token in the serving container only is reported: the init container downloads anonymously', () => {
    const [f] = findings([hfService(tokenEnv)]);
    expect(f).toMatchObject({ severity: 'warning', object: 'InferenceService/llm/gated' });
    expect(f.message).toMatch(
      /sets HF_TOKEN on the serving container, but hf:\/\/meta-llama\/Llama-3.1-8B-Instruct is downloaded .* set spec.predictor.serviceAccountName/,
    );
  });

  test('an account without Secrets, or whose Secrets lack the HF_TOKEN key, is reported; one with the key is not', () => {
    expect(findings([hfService(tokenEnv, 'dl'), account([])])[0].message).toMatch(/ServiceAccount dl lists no Secrets/);
    expect(findings([hfService(tokenEnv, 'dl'), account(['hf']), secret('hf', 'token')])[0].message).toMatch(
      /no Secret of ServiceAccount dl \(hf\) has the key HF_TOKEN/,
    );
    expect(findings([hfService(tokenEnv, 'dl'), account(['hf']), secret('hf', 'HF_TOKEN')])).toEqual([]);
    // a Secret outside the tree, or an account outside it, cannot be judged
    expect(findings([hfService(tokenEnv, 'dl'), account(['hf'])])).toEqual([]);
    expect(findings([hfService(tokenEnv, 'elsewhere')])).toEqual([]);
  });

  test('a gated repository with no token anywhere is an error; a public one, or an account outside the tree, is not judged', () => {
    expect(findings([hfService([])]).map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'error',
        'InferenceService/llm/gated',
        'downloads meta-llama/Llama-3.1-8B-Instruct, a gated Hugging Face repository, with no token: the serving container sets neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN, and ServiceAccount default, which the tree does not define, gives the storage initializer no Secret with HF_TOKEN; the Hub answers 401 (GatedRepoError) and the predictor never starts: put the token of an account that accepted the licence in a Secret (key HF_TOKEN), list it on a ServiceAccount and set spec.predictor.serviceAccountName to it',
      ],
    ]);
    // the account's own Secret gives the initializer the token, the serving container needs none
    expect(findings([hfService([], 'dl'), account(['hf']), secret('hf', 'HF_TOKEN')])).toEqual([]);
    expect(findings([hfService([], 'dl'), account([])]).map((f) => f.severity)).toEqual(['error']);
    expect(findings([hfService([], 'elsewhere')])).toEqual([]);
    const gemma = hfService([]);
    gemma.spec.predictor.model.storageUri = 'hf://google/gemma-2-9b-it:main';
    expect(findings([gemma]).map((f) => f.message.slice(0, 40))).toEqual(['downloads google/gemma-2-9b-it, a gated ']);
    const granite = hfService([]);
    granite.spec.predictor.model.storageUri = 'hf://ibm-granite/granite-3.3-8b-instruct';
    expect(findings([granite])).toEqual([]);
  });

  test('other sources are not judged', () => {
    const s3 = hfService(tokenEnv);
    s3.spec.predictor.model.storageUri = 's3://models/llama/';
    expect(findings([s3])).toEqual([]);
  });

  test("a ServiceAccount's Secret missing from the tree is reported unless declared external", () => {
    const missing = runChecks([{ manifest: account(['hf']) }]).filter((f) => f.rule === 'secret-not-in-tree');
    expect(missing).toEqual([
      // no InferenceService runs as this account: the pods that do get no credential from it (KServe's refusal is said only for a service's account)
      expect.objectContaining({ object: 'ServiceAccount/llm/dl', message: expect.stringMatching(/references Secret hf in 'llm'.*get no credential from it/) }),
    ]);
    const declared = { ...account(['hf']), metadata: { ...account([]).metadata, annotations: { 'cdk8s-vllm.io/external-secrets': 'hf' } } };
    expect(runChecks([{ manifest: declared }]).filter((f) => f.rule === 'secret-not-in-tree')).toEqual([]);
  });
});

describe('ApplicationSets', () => {
  const set = (goTemplate: boolean, path: string, elements: Record<string, unknown>[]) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'apps', namespace: 'openshift-gitops' },
    spec: {
      goTemplate,
      generators: [{ list: { elements } }],
      template: {
        metadata: { name: goTemplate ? '{{.env}}-apps' : '{{env}}-apps' },
        spec: { project: 'default', source: { repoURL: 'https://example.com/r.git', path }, destination: { server: 'https://kubernetes.default.svc' } },
      },
    },
  });
  const dir = tree({ 'envs/dev/cm.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }] });
  const missing = (s: unknown) =>
    runChecks([...readManifests([dir]).manifests, { manifest: s, file: path.join(dir, 'set.yaml'), line: 1 }])
      .filter((f) => /^argocd-path-(missing|not-in-input)$/.test(f.rule))
      .map((f) => f.object);

  test('list elements fill goTemplate and fasttemplate placeholders; each generated Application is judged', () => {
    expect(missing(set(true, 'envs/{{.env}}', [{ env: 'dev' }, { env: 'stage' }]))).toEqual(['Application/openshift-gitops/stage-apps']);
    expect(missing(set(false, 'envs/{{env}}', [{ env: 'dev' }, { env: 'stage' }]))).toEqual(['Application/openshift-gitops/stage-apps']);
  });

  test('dotted keys reach nested element values, as an app-of-apps list of operators writes them', () => {
    // the pattern of a public repository's operator list: one overlay named a folder that does not exist
    const apps = set(false, '{{values.path}}', [
      { cluster: 'local', values: { name: 'dev', path: 'envs/dev' } },
      { cluster: 'local', values: { name: 'stage', path: 'envs/stable-2.25' } },
    ]);
    apps.spec.template.metadata.name = '{{values.name}}';
    expect(missing(apps)).toEqual(['Application/openshift-gitops/stage']);
  });

  test('what the expansion cannot fill (the other syntax, missing keys, non-string values) is not judged', () => {
    expect(missing(set(true, 'envs/{{ .values.env }}', [{ values: { env: 5 } }]))).toEqual([]);
    expect(missing(set(true, 'envs/{{env}}', [{ env: 'stage' }]))).toEqual([]);
    expect(missing(set(true, 'envs/{{.region}}', [{ env: 'stage' }]))).toEqual([]);
    expect(missing(set(true, 'envs/{{ nosuchfunc .env }}', [{ env: 'stage' }]))).toEqual([]);
  });

  test("a goTemplate calling Sprig's functions runs as Argo CD runs it (text/template with sprig.GenericFuncMap)", () => {
    expect(missing(set(true, 'envs/{{ lower .env }}', [{ env: 'DEV' }, { env: 'STAGE' }]))).toEqual(['Application/openshift-gitops/STAGE-apps']);
  });
});

describe('SARIF for code scanning', () => {
  test('--format sarif validates against the SARIF 2.1.0 schema, with rule metadata, file and line', async () => {
    const r = await cli(['check', path.join(ROOT, 'dist'), '--format', 'sarif']);
    const log = JSON.parse(r.out);
    expect(sarifValidator()(log)).toEqual([]);
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    const fit = results.find((x: { ruleId: string }) => x.ruleId === 'gpu-memory-fit');
    expect(fit.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'dist/gitops/step-05-llm-on-vllm/base/inference/mistral-small-24b.yaml',
      uriBaseId: '%SRCROOT%',
    });
    expect(fit.locations[0].physicalLocation.region.startLine).toBe(2);
    expect(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toContain('gpu-memory-fit');
  });
});
