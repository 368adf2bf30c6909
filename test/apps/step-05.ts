import * as fs from 'fs';
import * as path from 'path';
import { buildStep05, loadConfig, main } from '../../main';
import { CONFIG, find, renderStep05, ROOT, tempDir, testApp } from '../util';

const STEP = 'gitops/step-05-llm-on-vllm';

describe('the step-05 app', () => {
  const tree = renderStep05();
  const objects: any[] = tree.objects.map((o) => o.manifest);

  test('renders the step-05 GitOps layout, with the cluster prerequisites in their own kustomization', () => {
    expect([...tree.files.keys()].filter((f) => f.startsWith(STEP))).toEqual([
      `${STEP}/argocd/applications.yaml`,
      `${STEP}/argocd/kustomization.yaml`,
      `${STEP}/base/inference/kustomization.yaml`,
      `${STEP}/base/inference/mistral-small-24b-tp4.yaml`,
      `${STEP}/base/inference/mistral-small-24b.yaml`,
      `${STEP}/base/kustomization.yaml`,
      `${STEP}/base/model-registration/kustomization.yaml`,
      `${STEP}/base/model-registration/seed-job.yaml`,
      `${STEP}/base/model-upload/kustomization.yaml`,
      `${STEP}/base/model-upload/upload-mistral-job.yaml`,
      `${STEP}/base/serving-runtime/kustomization.yaml`,
      `${STEP}/base/serving-runtime/vllm-runtime.yaml`,
      `${STEP}/cluster/gpu-machinesets.yaml`,
      `${STEP}/cluster/kueue-quota.yaml`,
      `${STEP}/cluster/kustomization.yaml`,
    ]);
    // model-upload is optional: it has its own kustomization but the base does not include it
    expect(tree.files.get(`${STEP}/base/kustomization.yaml`)).toContain('resources:\n  - inference/\n  - model-registration/\n  - serving-runtime/\n');
    expect(tree.files.get(`${STEP}/base/kustomization.yaml`)).not.toContain('model-upload');
    expect(tree.files.get(`${STEP}/base/model-upload/kustomization.yaml`)).toContain('- upload-mistral-job.yaml');
  });

  // the YAML is pinned once, by the committed dist/ (CI checks it against `npm run synth`); the properties that
  // matter are asserted one by one below
  test('the committed dist/ is what the app renders, file for file', () => {
    for (const [f, content] of tree.files) expect({ f, content: fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8') }).toEqual({ f, content });
  });

  test('the BF16 variant: 4 L4 GPUs on g6.12xlarge, tensor parallel 4, weights from s3://models/mistral-small-24b/', () => {
    const isvc = find(objects, 'InferenceService', 'mistral-small-24b-tp4');
    const p = isvc.spec.predictor;
    expect(isvc.metadata.namespace).toBe('private-ai');
    expect(p.model.resources.requests['nvidia.com/gpu']).toBe('4');
    expect(p.model.resources.limits['nvidia.com/gpu']).toBe('4');
    expect(p.model.args).toEqual(['--tensor-parallel-size=4', '--dtype=bfloat16', '--max-model-len=32768', '--gpu-memory-utilization=0.9']);
    expect(p.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'g6.12xlarge' });
    expect(p.model.storageUri).toBe('s3://models/mistral-small-24b/');
    expect(p.model.storage).toEqual({ key: 'minio-connection' });
    expect(p.model.runtime).toBe('vllm-runtime');
    expect(p.model.modelFormat).toEqual({ name: 'vLLM' });
  });

  test('the FP8 variant: 1 L4 on g6.4xlarge, FP8 checkpoint, no --quantization (the checkpoint carries it)', () => {
    const p = find(objects, 'InferenceService', 'mistral-small-24b').spec.predictor;
    expect(p.model.resources.requests['nvidia.com/gpu']).toBe('1');
    expect(p.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'g6.4xlarge' });
    expect(p.model.storageUri).toBe('s3://models/mistral-small-24b-fp8/');
    expect(p.model.args).toEqual(['--kv-cache-dtype=fp8', '--max-model-len=8192', '--gpu-memory-utilization=0.85']);
    expect(p.model.args.some((a: string) => a.startsWith('--quantization'))).toBe(false);
  });

  test('both services queue on the LocalQueue of private-ai, which points at a ClusterQueue with ≥ 5 GPUs', () => {
    const lq = find(objects, 'LocalQueue', 'default');
    expect(lq.metadata.namespace).toBe('private-ai');
    for (const name of ['mistral-small-24b', 'mistral-small-24b-tp4']) {
      expect(find(objects, 'InferenceService', name).metadata.labels['kueue.x-k8s.io/queue-name']).toBe(lq.metadata.name);
    }
    const cq = find(objects, 'ClusterQueue', lq.spec.clusterQueue);
    const gpus = cq.spec.resourceGroups[0].flavors
      .flatMap((f: any) => f.resources.filter((r: any) => r.name === 'nvidia.com/gpu'))
      .reduce((n: number, r: any) => n + Number(r.nominalQuota), 0);
    expect(gpus).toBeGreaterThanOrEqual(5);
  });

  test('each MachineSet is scaled to one node, as the step-05 oc scale commands do', () => {
    const sets = objects.filter((m) => m.kind === 'MachineSet');
    expect(sets.map((m) => [m.metadata.name, m.spec.replicas, m.spec.template.spec.providerSpec.value.instanceType])).toEqual([
      ['example-cluster-7x2kq-gpu-g6-12xlarge-us-east-2b', 1, 'g6.12xlarge'],
      ['example-cluster-7x2kq-gpu-g6-4xlarge-us-east-2b', 1, 'g6.4xlarge'],
    ]);
  });

  test('upload jobs read the Hugging Face token from hf-token and S3 keys from the connection Secret', () => {
    for (const name of ['upload-mistral-small-24b', 'upload-mistral-small-24b-fp8']) {
      const env = find(objects, 'Job', name).spec.template.spec.containers[0].env;
      const byName = Object.fromEntries(env.map((e: any) => [e.name, e]));
      expect(byName.HF_TOKEN.valueFrom.secretKeyRef.name).toBe('hf-token');
      expect(byName.AWS_ACCESS_KEY_ID.valueFrom.secretKeyRef).toEqual({ name: 'minio-connection', key: 'AWS_ACCESS_KEY_ID' });
      expect(byName.AWS_SECRET_ACCESS_KEY.valueFrom.secretKeyRef).toEqual({ name: 'minio-connection', key: 'AWS_SECRET_ACCESS_KEY' });
    }
  });

  test('no credential appears as a literal in any rendered object', () => {
    expect(objects.filter((m) => m.kind === 'Secret')).toEqual([]);
    const literal: string[] = [];
    const walk = (node: any, where: string) => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
      else if (node && typeof node === 'object') {
        if (typeof node.name === 'string' && /KEY|SECRET|TOKEN|PASSWORD/i.test(node.name) && 'value' in node) literal.push(`${where}: ${node.name}`);
        for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`);
      } else if (typeof node === 'string' && /(AKIA[0-9A-Z]{16}|hf_[A-Za-z0-9]{20,}|rhoai-secret-key)/.test(node)) literal.push(`${where}: ${node}`);
    };
    objects.forEach((m) => walk(m, `${String(m.kind)}/${String(m.metadata.name)}`));
    expect(literal).toEqual([]);
  });

  test('synth is deterministic: two renders and two writes give identical bytes', () => {
    const again = renderStep05();
    expect([...again.files]).toEqual([...tree.files]);
    const dirs = [0, 1].map(() => tempDir('cdk8s-vllm-det-'));
    for (const d of dirs) buildStep05(testApp(), loadConfig(CONFIG), { report: () => undefined }).write(d);
    const read = (d: string) => [...tree.files.keys()].map((f) => fs.readFileSync(path.join(d, f), 'utf8'));
    expect(read(dirs[0])).toEqual(read(dirs[1]));
  });

  test('a bad configuration value fails synth naming the object, the field and the fix, and writes nothing', () => {
    const dir = tempDir('cfg-');
    const cfg = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
    cfg.cluster.amiId = 'AMI_ID';
    fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify(cfg));
    const out = path.join(dir, 'dist');
    expect(() => main(out, path.join(dir, 'c.json'))).toThrow(
      /GpuMachineSetScale gpu-machinesets\/g6-12xlarge: amiId 'AMI_ID' is not an AMI id .*use the AMI of the cluster's existing workers/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  test('fails on a configuration file with a missing field, naming the field', () => {
    const bad = path.join(tempDir('cfg-'), 'c.json');
    const cfg = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
    delete cfg.cluster.amiId;
    fs.writeFileSync(bad, JSON.stringify(cfg));
    expect(() => loadConfig(bad)).toThrow(/'cluster.amiId' must be a non-empty string/);
  });
});
