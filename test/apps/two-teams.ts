import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildTwoTeams } from '../../examples/two-teams';
import {
  ArgoCdFleet,
  ExistingGpuNodes,
  ExistingLocalQueue,
  GpuInstanceType,
  GpuModel,
  KueueQuota,
  KustomizeTree,
  LocalQueueOf,
  ModelSource,
  readManifests,
  runChecks,
  S3Connection,
  SchemaValidator,
  VllmInferenceService,
  VllmRuntime,
} from '../../lib';
import { GraphObject } from '../../lib/check/graph-object';
import { ObjectGraph } from '../../lib/check/graph';
import { argoCdRefusals } from '../argocd-util';
import { kubectlBinary } from '../setup/kubectl';
import { keptWarnings, ROOT, tempDir, testApp } from '../util';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';

/** The second app: two teams on existing nodes of other clouds, with OCI, PVC and Hugging Face sources. */
describe('the two-teams example', () => {
  const tree = buildTwoTeams(testApp()).render();
  const objects = tree.objects.map((o) => o.manifest as Record<string, any>);
  const isvc = (ns: string, name: string) => objects.find((o) => o.kind === 'InferenceService' && o.metadata.namespace === ns && o.metadata.name === name)!;

  test('existing Azure ND H100 v5 nodes: node selector and GPU tolerations, planned on H100', () => {
    const p = isvc('team-b', 'llama-70b').spec.predictor;
    expect(p.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'Standard_ND96isr_H100_v5' });
    // nodes tainted by someone else, taints not declared: the value is unknown, so the key is tolerated
    expect(p.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(p.model.resources.limits['nvidia.com/gpu']).toBe('4');
    expect(tree.files.get('two-teams/PLAN.md')).toMatch(/team-b\/llama-70b .* 1 replica × 4 GPUs × H100-80GB \(Standard_ND96isr_H100_v5\) .* fits/);
    expect(objects.filter((o) => o.kind === 'MachineSet')).toEqual([]);
  });

  test('model sources: Hugging Face pinned with its token Secret, OCI by digest, PVC', () => {
    const hf = isvc('team-b', 'llama-70b');
    expect(hf.spec.predictor.model.storageUri).toBe('hf://meta-llama/Llama-3.1-70B-Instruct:945c8663693130f8be2ee66210e062158b2a9693');
    // KServe's storage initializer reads the token only from the Secrets of the predictor's ServiceAccount
    expect(hf.spec.predictor.serviceAccountName).toBe('llama-70b-storage');
    const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'llama-70b-storage')!;
    expect(account.metadata.namespace).toBe('team-b');
    expect(account.secrets).toEqual([{ name: 'hf-token' }]);
    expect(Number(account.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(Number(hf.metadata.annotations['argocd.argoproj.io/sync-wave']));
    // the serving container gets no token: vLLM reads the downloaded weights from /mnt/models
    expect(JSON.stringify(hf.spec.predictor.model.env ?? [])).not.toMatch(/HF_TOKEN|hf-token/);
    expect(hf.spec.predictor.model.storage).toBeUndefined();
    expect(hf.metadata.annotations['cdk8s-vllm.io/external-secrets']).toBe('hf-token');
    expect(isvc('team-b', 'llama-8b-modelcar').spec.predictor.serviceAccountName).toBeUndefined();
    expect(isvc('team-b', 'llama-8b-modelcar').spec.predictor.model.storageUri).toMatch(
      /^oci:\/\/quay.io\/example\/llama-3.1-8b-instruct-modelcar@sha256:[0-9a-f]{64}$/,
    );
    expect(isvc('team-b', 'mistral-small-pvc').spec.predictor.model.storageUri).toBe('pvc://models/mistral-small-24b-instruct-2501');
  });

  test('token auth on the exposed service; autoscaling 1..3 with quota and cost for 3; env from a Secret and a ConfigMap', () => {
    const exposed = isvc('team-b', 'llama-70b');
    expect(exposed.metadata.labels['networking.kserve.io/visibility']).toBe('exposed');
    expect(exposed.metadata.annotations['security.opendatahub.io/enable-auth']).toBe('true');
    const scaled = isvc('team-c', 'llama-8b').spec.predictor;
    // on vLLM's queue through KEDA, not on CPU
    expect([scaled.minReplicas, scaled.maxReplicas, scaled.scaleMetric, scaled.autoScaling.metrics[0].external.metric.query]).toEqual([
      1,
      3,
      undefined,
      'sum(vllm:num_requests_waiting{namespace="team-c",model_name="llama-8b"})',
    ]);
    expect(isvc('team-c', 'llama-8b').metadata.annotations['serving.kserve.io/autoscalerClass']).toBe('keda');
    const cq = objects.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'team-c')!;
    const gpu = cq.spec.resourceGroups[0].flavors.find((f: any) => f.name === 'nvidia-l40s-4gpu').resources.find((r: any) => r.name === 'nvidia.com/gpu');
    expect(Number(gpu.nominalQuota)).toBe(4); // team-c's one g6e.12xlarge of the shared pool: room for the 3 replicas at full scale
    expect(tree.files.get('two-teams/PLAN.md')).toMatch(/team-c\/llama-8b .* 1\.\.3 replicas × 1 GPU × L40S/);
    // env from a Secret (declared as created outside Git) and from a ConfigMap
    const model = isvc('team-c', 'llama-8b').spec.predictor.model;
    expect(model.env).toContainEqual({ name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'llama-api-key', key: 'key' } } });
    expect(model.envFrom).toEqual([{ configMapRef: { name: 'vllm-tuning' } }]);
    expect(isvc('team-c', 'llama-8b').metadata.annotations['cdk8s-vllm.io/external-secrets']).toBe('llama-api-key');
  });

  test('two teams share the L40S pool: one flavor, each ClusterQueue holds one node of it, one cohort; Kueue-managed namespaces', () => {
    const flavors = objects.filter((o) => o.kind === 'ResourceFlavor').map((o) => o.metadata.name);
    expect(new Set(flavors).size).toBe(flavors.length);
    expect(flavors.filter((n: string) => n.includes('l40s'))).toEqual(['nvidia-l40s-4gpu']);
    const queues = objects.filter((o) => o.kind === 'ClusterQueue');
    expect(queues.map((q) => [q.metadata.name, q.spec.cohort])).toEqual([
      ['team-b', 'ai-shared'],
      ['team-c', 'ai-shared'],
    ]);
    const l40sGpus = (q: any) =>
      q.spec.resourceGroups[0].flavors.find((f: any) => f.name === 'nvidia-l40s-4gpu').resources.find((r: any) => r.name === 'nvidia.com/gpu').nominalQuota;
    // two g6e.12xlarge of 4 L40S each, one node a team: together exactly the pool
    expect(queues.map(l40sGpus)).toEqual(['4', '4']);
    expect(queues[0].spec.resourceGroups[0].flavors.map((f: any) => f.name)).toEqual(['cpu-batch', 'nvidia-l40s-4gpu', 'nvidia-h100-80gb-8gpu']);
    expect(queues[1].spec.resourceGroups[0].flavors.map((f: any) => f.name)).toEqual(['cpu-batch', 'nvidia-l40s-4gpu']);
    for (const ns of ['team-b', 'team-c']) {
      expect(objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)!.metadata.labels).toEqual({
        'kueue.openshift.io/managed': 'true',
        'opendatahub.io/dashboard': 'true',
      });
    }
  });

  test('every kustomization builds with the real kubectl; validate conforms; check finds no error', () => {
    const dir = tempDir('two-teams-');
    for (const [f, content] of tree.files) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), content);
    }
    const built: any[] = [];
    for (const root of ['cluster', 'team-b', 'team-c', 'argocd']) {
      const out = execFileSync(kubectlBinary(), ['kustomize', path.join(dir, 'two-teams', root)], { encoding: 'utf8' });
      built.push(...YAML.parseAllDocuments(out).map((d) => d.toJS()));
    }
    expect(built.length).toBe(objects.length);
    const validator = new SchemaValidator();
    expect(objects.flatMap((o) => validator.validate(o))).toEqual([]);
    expect(runChecks(built.map((manifest) => ({ manifest }))).filter((f) => f.severity === 'error')).toEqual([]);
  });

  test("Argo CD accepts each root's Application (destination, repository, every object); each team's retries outlast the cluster app creating its namespace", () => {
    // laid out as in the repository, so that the Applications' paths resolve
    const repo = tempDir('two-teams-repo-');
    for (const [f, content] of tree.files) {
      const file = path.join(repo, 'examples', 'dist', f);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    const graph = new ObjectGraph(readManifests([repo]).manifests as GraphObject[]);
    expect(graph.ofKind('Application').map((a) => `${a.manifest.metadata.name} → ${a.manifest.spec.destination.namespace}`)).toEqual([
      'two-teams-cluster → team-b',
      'two-teams-team-b → team-b',
      'two-teams-team-c → team-c',
    ]);
    expect(argoCdRefusals(graph)).toEqual([]);
    expect(runChecks(readManifests([repo]).manifests).filter((f) => f.rule.startsWith('argocd-'))).toEqual([]);
    // the teams' Namespaces (wave -1) come with the cluster Application: with a retry budget the waves would seem to order them
    const file = path.join(repo, 'examples', 'dist', 'two-teams', 'argocd', 'applications.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/limit: -1/g, 'limit: 5'));
    expect(
      runChecks(readManifests([repo]).manifests)
        .filter((f) => f.rule === 'argocd-wave-ignored')
        .map((f) => f.object),
    ).toEqual(expect.arrayContaining(['Application/openshift-gitops/two-teams-team-b', 'Application/openshift-gitops/two-teams-team-c']));
  });

  test('the committed examples/dist/ is what the app renders', () => {
    for (const [f, content] of tree.files) expect({ f, content: fs.readFileSync(path.join(ROOT, 'examples', 'dist', f), 'utf8') }).toEqual({ f, content });
  });
});

describe('placements and sources refuse what cannot run, naming construct, field and fix', () => {
  test('a custom instance type of any cloud is accepted; a name that is no label value is refused', () => {
    expect(
      GpuInstanceType.custom({ name: 'Standard_NC24ads_A100_v4x', gpuCount: 1, gpu: GpuModel.NVIDIA_A100_80GB, vcpu: 24, memoryGiB: 220, usdPerHour: 3.67 })
        .name,
    ).toBe('Standard_NC24ads_A100_v4x');
    expect(() => GpuInstanceType.custom({ name: 'has space', gpuCount: 1, gpu: GpuModel.NVIDIA_L4, vcpu: 4, memoryGiB: 16, usdPerHour: 1 })).toThrow(
      /GpuInstanceType.custom\("has space"\): name must be the node label value/,
    );
  });

  test('existing nodes of a custom shape need a node selector; more demand than nodes is refused', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'x' });
    expect(() => new ExistingGpuNodes(chart, 'N', { shape: { gpu: GpuModel.NVIDIA_H100_80GB, gpusPerNode: 8, vcpu: 128, memoryGiB: 1024 } })).toThrow(
      /ExistingGpuNodes c\/N: nodeSelector is required for a custom shape/,
    );
    const nodes = new ExistingGpuNodes(chart, 'M', { shape: GpuInstanceType.G6_XLARGE, nodeCount: 1 });
    const runtime = new VllmRuntime(chart, 'R');
    const source = ModelSource.pvc('models', 'llama');
    new VllmInferenceService(chart, 'a', { runtime, source, placement: nodes });
    expect(() => new VllmInferenceService(chart, 'b', { runtime, source, placement: nodes })).toThrow(/need 2 nodes but there are 1; raise nodeCount/);
  });

  test("a team's own ServiceAccount is used as given, and cannot be combined with a token Secret the service would list", () => {
    const chart = new Chart(testApp(), 'c', { namespace: 'x' });
    const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6E_12XLARGE });
    const runtime = new VllmRuntime(chart, 'R');
    const own = new VllmInferenceService(chart, 'a', { runtime, source: ModelSource.pvc('m', 'p'), placement: nodes, serviceAccountName: 'models-reader' });
    expect(own.apiObject.toJson().spec.predictor.serviceAccountName).toBe('models-reader');
    expect(own.serviceAccount).toBeUndefined();
    const gated = ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { revision: 'abc', tokenSecret: 'hf' });
    expect(() => new VllmInferenceService(chart, 'b', { runtime, source: gated, placement: nodes, serviceAccountName: 'models-reader' })).toThrow(
      /serviceAccountName 'models-reader' and a source with a token Secret \(hf\) both set the predictor's account; list the Secret on ServiceAccount models-reader yourself/,
    );
    expect(
      () => new VllmInferenceService(chart, 'c', { runtime, source: ModelSource.pvc('m', 'p'), placement: nodes, serviceAccountName: 'Bad Name' }),
    ).toThrow(/serviceAccountName 'Bad Name' is not a valid name/);
  });

  test("an admin's existing MachineSet by name: messages name it; a Machine label as node selector is refused", () => {
    const chart = new Chart(testApp(), 'c', { namespace: 'x' });
    const nodes = new ExistingGpuNodes(chart, 'Pool', {
      shape: GpuInstanceType.G6E_12XLARGE,
      machineSet: 'ocp-7x2k-gpu-l40s-us-east-1a',
      nodeSelector: { 'cluster-api/accelerator': 'l40s' },
      nodeCount: 1,
    });
    expect(nodes.description).toBe('existing MachineSet ocp-7x2k-gpu-l40s-us-east-1a: nodes cluster-api/accelerator=l40s (4 × L40S each)');
    const runtime = new VllmRuntime(chart, 'R');
    new VllmInferenceService(chart, 'a', { runtime, source: ModelSource.pvc('m', 'p'), placement: nodes, tensorParallelSize: 4 });
    expect(() => new VllmInferenceService(chart, 'b', { runtime, source: ModelSource.pvc('m', 'p'), placement: nodes, tensorParallelSize: 4 })).toThrow(
      /on existing MachineSet ocp-7x2k-gpu-l40s-us-east-1a: nodes cluster-api\/accelerator=l40s .* need 2 nodes but there are 1/,
    );
    expect(
      () =>
        new ExistingGpuNodes(chart, 'Wrong', {
          shape: GpuInstanceType.G6E_12XLARGE,
          nodeSelector: { 'machine.openshift.io/cluster-api-machineset': 'ocp-7x2k-gpu-l40s-us-east-1a' },
        }),
    ).toThrow(/nodeSelector uses machine.openshift.io\/cluster-api-machineset, a label of the MachineSet's Machines, not of its Nodes/);
    expect(() => new ExistingGpuNodes(chart, 'Bad', { shape: GpuInstanceType.G6E_12XLARGE, machineSet: 'GPU Pool' })).toThrow(
      /machineSet 'GPU Pool' is not a valid name/,
    );
  });

  test('a modelcar by tag is refused unless allowed; bad PVC and Hugging Face references are refused', () => {
    expect(() => ModelSource.oci('oci://quay.io/org/model:latest')).toThrow(/names a tag, which can move .*pin it by digest/);
    expect(ModelSource.oci('oci://quay.io/org/model:latest', { allowMutableTag: true }).uri).toBe('oci://quay.io/org/model:latest');
    expect(() => ModelSource.pvc('Models', 'x')).toThrow(/claim name 'Models' is not a valid PersistentVolumeClaim name/);
    expect(() => ModelSource.pvc('models', '../x')).toThrow(/without '.' or '..'/);
    expect(() => ModelSource.huggingFace('llama')).toThrow(/is not of the form <org>\/<model>/);
    expect(() => ModelSource.huggingFace('meta/llama', { token: { name: 'HF Token', key: 'HF_TOKEN' } })).toThrow(/token.name 'HF Token' is not a valid name/);
    expect(() => ModelSource.huggingFace('meta/llama', { tokenSecret: 'HF Token' })).toThrow(/tokenSecret 'HF Token' is not a valid name/);
    // KServe's storage initializer reads only the key HF_TOKEN: another key would download anonymously
    expect(() => ModelSource.huggingFace('meta/llama', { token: { name: 'hf', key: 'token' } })).toThrow(
      /token.key 'token': KServe's storage initializer reads the token only from the key HF_TOKEN of a Secret; store it under HF_TOKEN and pass tokenSecret: 'hf'/,
    );
    expect(ModelSource.huggingFace('meta/llama', { token: { name: 'hf', key: 'HF_TOKEN' } }).bind().downloadSecrets).toEqual(['hf']);
  });

  test('the S3 connection can be declared as created outside Git, which silences secret-not-in-tree for it', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'x' });
    const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6_XLARGE });
    const s3 = new S3Connection(chart, 'S3', { secretName: 'conn', endpoint: 'http://minio:9000', bucket: 'models', createdOutsideGit: true });
    new VllmInferenceService(chart, 'svc', { runtime: new VllmRuntime(chart, 'R'), source: ModelSource.s3(s3, 'm/'), placement: nodes });
    const warnings = keptWarnings(app);
    const manifests = Testing.synth(chart);
    expect(runChecks(manifests.map((manifest) => ({ manifest }))).filter((f) => f.rule === 'secret-not-in-tree')).toEqual([]);
    // nor does synth say it: its one note is the model it does not know
    expect(warnings).toEqual([expect.stringMatching(/^info gpu-memory-fit InferenceService\/x\/svc: the model at s3:\/\/models\/m\/ is unknown/)]);
  });

  test('two quotas whose flavors share a name but describe different nodes fail at construction, naming both', () => {
    const app = testApp();
    const chart = new Chart(app, 'cluster');
    const a = new ExistingGpuNodes(chart, 'A', { shape: GpuInstanceType.G6E_XLARGE });
    const b = new ExistingGpuNodes(chart, 'B', { shape: GpuInstanceType.G6E_2XLARGE });
    new KueueQuota(chart, 'QA', { placements: [a], namespace: 'team-a', clusterQueueName: 'qa' });
    expect(() => new KueueQuota(chart, 'QB', { placements: [b], namespace: 'team-b', clusterQueueName: 'qb' })).toThrow(
      /KueueQuota cluster\/QB: ResourceFlavor 'nvidia-l40s-1gpu' is already declared by KueueQuota cluster\/QA for other nodes .*give this quota a flavorPrefix/,
    );
  });

  test('quotas of two teams holding shares of one pool share its flavor (declared once), and a LocalQueue the cluster has can be named', () => {
    const app = testApp();
    const chart = new Chart(app, 'cluster');
    const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 2 });
    const warnings = keptWarnings(app);
    new KueueQuota(chart, 'QA', { shares: [{ placement: nodes, nodes: 1 }], namespace: 'team-a', clusterQueueName: 'qa', cohort: 'shared' });
    new KueueQuota(chart, 'QB', {
      shares: [{ placement: nodes, nodes: 1 }],
      namespace: 'team-b',
      clusterQueueName: 'qb',
      cohort: 'shared',
      gpuBorrowingLimit: 4,
    });
    const flavors = Testing.synth(chart)
      .filter((m) => m.kind === 'ResourceFlavor')
      .map((m) => m.metadata.name);
    expect(flavors.sort()).toEqual(['cpu-batch', 'nvidia-l40s-4gpu']);
    const cqs = Testing.synth(chart).filter((m) => m.kind === 'ClusterQueue');
    expect(cqs.map((q) => q.spec.resourceGroups[0].flavors.map((f: any) => f.name))).toEqual([
      ['cpu-batch', 'nvidia-l40s-4gpu'],
      ['cpu-batch', 'nvidia-l40s-4gpu'],
    ]);
    const gpu = (q: any) => q.spec.resourceGroups[0].flavors[1].resources.find((r: any) => r.name === 'nvidia.com/gpu');
    expect([gpu(cqs[0]).nominalQuota, gpu(cqs[1]).nominalQuota]).toEqual(['4', '4']);
    expect([gpu(cqs[0]).borrowingLimit, gpu(cqs[1]).borrowingLimit]).toEqual([undefined, '4']);
    expect(() => new KueueQuota(chart, 'QC', { placements: [nodes], namespace: 'team-c', gpuBorrowingLimit: 2 })).toThrow(/gpuBorrowingLimit needs a cohort/);
    const serving = new Chart(app, 'serving', { namespace: 'team-c' });
    const svc = new VllmInferenceService(serving, 'svc', {
      runtime: new VllmRuntime(serving, 'R'),
      source: ModelSource.pvc('models', 'm'),
      placement: nodes,
      queue: new ExistingLocalQueue(serving, 'Default'),
    });
    expect(svc.apiObject.toJson().metadata.labels['kueue.x-k8s.io/queue-name']).toBe('default');
    const teamD = new Chart(app, 'team-d', { namespace: 'team-d' });
    const shared = new LocalQueueOf(teamD, 'Queue', { clusterQueueName: 'admin-shared-gpus', localQueueName: 'gpus' });
    new VllmInferenceService(teamD, 'svc', { runtime: new VllmRuntime(teamD, 'R'), source: ModelSource.pvc('models', 'm'), placement: nodes, queue: shared });
    const rendered = Testing.synth(teamD);
    // the models at the claims are not known: a note each, said once
    expect(warnings.map((w) => w.split(':')[0])).toEqual([
      'info gpu-memory-fit InferenceService/team-c/svc',
      'info gpu-memory-fit InferenceService/team-d/svc',
    ]);
    expect(rendered.find((m) => m.kind === 'LocalQueue')).toMatchObject({
      metadata: { name: 'gpus', namespace: 'team-d' },
      spec: { clusterQueue: 'admin-shared-gpus' },
    });
    expect(rendered.find((m) => m.kind === 'InferenceService').metadata.labels['kueue.x-k8s.io/queue-name']).toBe('gpus');
  });

  test("token auth's kube-rbac-proxy sidecar counts on the node and in the quota, and the message says so", () => {
    const attempt = (enableAuth: boolean) => {
      const chart = new Chart(testApp(), 'c', { namespace: 'x' });
      const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6_XLARGE });
      // a g6.xlarge allocates 3920m CPU: a request of all of it leaves nothing for the sidecar (100m)
      return () =>
        new VllmInferenceService(chart, 's', {
          runtime: new VllmRuntime(chart, 'R'),
          source: ModelSource.pvc('m', 'p'),
          placement: nodes,
          enableAuth,
          cpu: { request: Cpu.millis(3920) },
        });
    };
    expect(attempt(false)).not.toThrow();
    expect(attempt(true)).toThrow(/one pod requests 1 GPU, 4020m CPU .* \(with the 100m CPU and 64Mi of the kube-rbac-proxy sidecar that enableAuth adds\)/);
    // check counts it on hand-written services too
    const svc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 's', namespace: 'x', annotations: { 'security.opendatahub.io/enable-auth': 'true' } },
      spec: {
        predictor: {
          nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.xlarge' },
          model: {
            modelFormat: { name: 'vLLM' },
            storageUri: 'pvc://m/p',
            resources: { requests: { cpu: '3920m', memory: '8Gi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
          },
        },
      },
    };
    const exceed = (o: unknown) => runChecks([{ manifest: o }]).filter((f) => f.rule === 'resources-exceed-node');
    expect(exceed(svc)).toHaveLength(1);
    expect(exceed({ ...svc, metadata: { ...svc.metadata, annotations: {} } })).toEqual([]);
  });

  test('two services of one name in one cluster fail synth, in one chart or two; in two clusters of a fleet they do not', () => {
    const app = testApp();
    const chart = new Chart(app, 'a', { namespace: 'a' });
    const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6_12XLARGE, nodeCount: 2 });
    const runtime = new VllmRuntime(chart, 'R');
    new VllmInferenceService(chart, 's1', { name: 'x', runtime, source: ModelSource.pvc('m', 'p'), placement: nodes });
    new VllmInferenceService(chart, 's2', { name: 'x', runtime, source: ModelSource.pvc('m', 'p'), placement: nodes });
    const warnings = keptWarnings(app);
    expect(() => app.synth()).toThrow(
      /error duplicate-object InferenceService\/a\/x: is declared twice \(also at a\/s1\/Resource\) in the same cluster \(the app's, here by a\/s2\/Resource\); the rendered objects overwrite each other/,
    );
    const twoCharts = (withFleet: boolean) => {
      const fleet = testApp();
      const tree = new KustomizeTree(fleet, { report: () => undefined });
      for (const env of ['dev', 'prod']) {
        const c = new Chart(fleet, env, { namespace: 'a' });
        new VllmInferenceService(c, 's', {
          name: 'x',
          runtime: new VllmRuntime(c, 'R'),
          source: ModelSource.pvc('m', 'p'),
          placement: new ExistingGpuNodes(c, 'N', { shape: GpuInstanceType.G6_12XLARGE }),
        });
        tree.place(`${env}/serving.yaml`, c).kustomization(env);
      }
      if (withFleet) {
        const argo = new Chart(fleet, 'argo');
        new ArgoCdFleet(argo, 'F', {
          tree,
          name: 'serving',
          repoURL: 'https://git.example.com/x.git',
          environments: ['dev', 'prod'].map((env) => ({ name: env, server: `https://api.${env}.example.com:6443`, root: env })),
        });
        tree.place('argocd/fleet.yaml', argo).kustomization('argocd');
      }
      return fleet;
    };
    expect(() => twoCharts(false).synth()).toThrow(
      /error duplicate-object InferenceService\/a\/x: is declared twice \(also at dev\/s\/Resource\) in the same cluster/,
    );
    expect(() => twoCharts(true).synth()).not.toThrow();
    // the warnings are said beside the error (the model is not known)
    expect(warnings).toEqual([expect.stringMatching(/^info gpu-memory-fit InferenceService\/a\/x: the model at pvc:\/\/m\/p is unknown/)]);
  });

  test('props of the wrong shape (as JavaScript or JSON config can pass them) give errors naming the field, never a TypeError', () => {
    const attempts: [string, (chart: Chart, nodes: ExistingGpuNodes) => unknown, RegExp][] = [
      [
        'shares not a list',
        (c) => new KueueQuota(c, 'Q1', { shares: 5 as any, namespace: 'a' }),
        /KueueQuota c\/Q1: shares must be a list of \{ placement, nodes \}/,
      ],
      ['a share without placement', (c) => new KueueQuota(c, 'Q2', { shares: [{ nodes: 1 } as any], namespace: 'a' }), /shares\[0\] needs a placement/],
      ['a null share', (c) => new KueueQuota(c, 'Q3', { shares: [null as any], namespace: 'a' }), /shares\[0\] needs a placement/],
      ['nodes as text', (c, n) => new KueueQuota(c, 'Q4', { shares: [{ placement: n, nodes: '1' as any }], namespace: 'a' }), /shares\[0\].nodes .* got "1"/],
      ['nodes NaN', (c, n) => new KueueQuota(c, 'Q5', { shares: [{ placement: n, nodes: NaN }], namespace: 'a' }), /shares\[0\].nodes .* got NaN/],
      ['token without key', () => ModelSource.huggingFace('a/b', { token: { name: 'x' } as any }), /token.key is missing: name the key of Secret 'x'/],
      ['token not an object', () => ModelSource.huggingFace('a/b', { token: 'x' as any }), /token must be \{ name, key \} of a Secret, got "x"/],
      ['tokenSecret a number', () => ModelSource.huggingFace('a/b', { tokenSecret: 5 as any }), /tokenSecret 5 \(a number, not a string\) is not a valid name/],
    ];
    for (const [, attempt, message] of attempts) {
      const chart = new Chart(testApp(), 'c');
      const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6_XLARGE });
      let thrown: unknown;
      try {
        attempt(chart, nodes);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).not.toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(message);
    }
  });

  test('a JSON patch to a field the schema does not know fails synth, naming object and path; a known field works', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'x' });
    const nodes = new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6_XLARGE });
    const svc = new VllmInferenceService(chart, 'svc', { runtime: new VllmRuntime(chart, 'R'), source: ModelSource.pvc('models', 'm'), placement: nodes });
    svc.apiObject.addJsonPatch(JsonPatch.add('/spec/predictor/minReplica', 2));
    const warnings = keptWarnings(app);
    expect(() => Testing.synth(chart)).toThrow(
      /error json-patch-dropped InferenceService\/x\/svc: the JSON patch add \/spec\/predictor\/minReplica is not in the rendered object.*fields at \/spec\/predictor: .*minReplicas/,
    );
    const ok = testApp();
    const c2 = new Chart(ok, 'c', { namespace: 'x' });
    const n2 = new ExistingGpuNodes(c2, 'N', { shape: GpuInstanceType.G6_XLARGE });
    const s2 = new VllmInferenceService(c2, 'svc', { runtime: new VllmRuntime(c2, 'R'), source: ModelSource.pvc('models', 'm'), placement: n2 });
    s2.apiObject.addJsonPatch(JsonPatch.add('/spec/predictor/serviceAccountName', 'reader'));
    const okWarnings = keptWarnings(ok);
    expect(Testing.synth(c2).find((m) => m.kind === 'InferenceService').spec.predictor.serviceAccountName).toBe('reader');
    for (const list of [warnings, okWarnings])
      expect(list).toEqual([expect.stringMatching(/^info gpu-memory-fit InferenceService\/x\/svc: the model at pvc:\/\/models\/m is unknown/)]);
  });
});
