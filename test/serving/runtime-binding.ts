import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { runChecks } from '../../lib';
import { cliInProcess, tempDir } from '../util';

type Doc = Record<string, any>;

/**
 * Which ServingRuntime a service binds to when the tree holds several of its name: KServe looks only in the
 * service's namespace (kserve pkg/controller/v1beta1/inferenceservice/utils GetServingRuntime), so a namespace-less
 * service binds to the runtime applied together with it, and to none the checks can name when that is not told.
 */
const IMAGE = `quay.io/vllm/vllm-openai@sha256:${'c'.repeat(64)}`;

function runtime(namespace: string | undefined, args: string[]): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm-runtime', ...(namespace ? { namespace } : {}) },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [
        {
          name: 'kserve-container',
          image: IMAGE,
          command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
          args: ['--port=8080', '--model=/mnt/models', ...args],
          volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
        },
      ],
      volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }],
    },
  };
}

function service(name: string, namespace?: string): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, ...(namespace ? { namespace } : {}), annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'vLLM' },
          runtime: 'vllm-runtime',
          storageUri: 'hf://Qwen/Qwen3-4B',
          resources: { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
        },
      },
    },
  };
}

/** Writes files (relative path → documents) into a new folder and checks it; the findings of the runtime rules. */
async function check(files: Record<string, Doc[]>): Promise<[string, string, string, string][]> {
  const dir = tempDir('binding-');
  for (const [file, docs] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), docs.map((d) => YAML.stringify(d)).join('---\n'));
  }
  const out = JSON.parse((await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json'])).out);
  return out.findings
    .filter((f: Doc) => ['tensor-parallel-gpu-mismatch', 'runtime-not-found'].includes(f.rule))
    .map((f: Doc) => [f.severity, f.rule, f.object, f.message]);
}

describe('a service binds to the ServingRuntime KServe would give it', () => {
  test('a namespace-less service binds to the namespace-less runtime beside it, not to one of another folder and namespace', async () => {
    expect(
      await check({
        'examples/serving/runtime.yaml': [runtime('rhoai-serving', ['--tensor-parallel-size=4'])],
        'agent/serving/01-runtime.yaml': [runtime(undefined, [])],
        'agent/serving/02-service.yaml': [service('agent-lora')],
      }),
    ).toEqual([]);
  });

  test('the same with the runtime beside it giving TP 4 on 1 GPU: that runtime is the one judged (an error)', async () => {
    expect(
      await check({
        'examples/serving/runtime.yaml': [runtime('rhoai-serving', [])],
        'agent/serving/01-runtime.yaml': [runtime(undefined, ['--tensor-parallel-size=4'])],
        'agent/serving/02-service.yaml': [service('agent-lora')],
      }),
    ).toEqual([['error', 'tensor-parallel-gpu-mismatch', 'InferenceService/agent-lora', expect.stringMatching(/^--tensor-parallel-size=4 needs 4 GPUs/)]]);
  });

  test('a service with a namespace binds to the runtime of that namespace, even in another folder', async () => {
    expect(
      await check({
        'examples/serving/runtime.yaml': [runtime('rhoai-serving', ['--tensor-parallel-size=2'])],
        'agent/serving/01-runtime.yaml': [runtime(undefined, [])],
        'agent/serving/02-service.yaml': [service('granite', 'rhoai-serving')],
      }),
    ).toEqual([
      ['error', 'tensor-parallel-gpu-mismatch', 'InferenceService/rhoai-serving/granite', expect.stringMatching(/^--tensor-parallel-size=2 needs 2 GPUs/)],
    ]);
  });

  test('objects of one kustomize build are applied together: its runtime is the one, whatever the folders', async () => {
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['runtime/runtime.yaml', 'services/service.yaml'],
    };
    expect(
      await check({
        'other/runtime.yaml': [runtime(undefined, ['--tensor-parallel-size=8'])],
        'app/kustomization.yaml': [kustomization],
        'app/runtime/runtime.yaml': [runtime(undefined, [])],
        'app/services/service.yaml': [service('agent')],
      }),
    ).toEqual([]);
  });

  test('a namespace-less service alone, with two different runtimes of its name elsewhere: a warning naming both, no error on a guess', async () => {
    const found = await check({
      'a/runtime.yaml': [runtime('team-a', ['--tensor-parallel-size=4'])],
      'b/runtime.yaml': [runtime(undefined, [])],
      'svc/service.yaml': [service('agent')],
    });
    expect(found).toEqual([
      [
        'warning',
        'runtime-not-found',
        'InferenceService/agent',
        expect.stringMatching(
          /^spec.predictor.model.runtime 'vllm-runtime' may be any of 2 different ServingRuntimes of that name: .*a\/runtime.yaml:1 \(namespace 'team-a'\), .*b\/runtime.yaml:1 \(no namespace\); KServe uses the one in the service's namespace/,
        ),
      ],
    ]);
  });

  test('the same service written in three files (alternatives), each binding among the same runtimes: one warning, on the first file, naming the copies', async () => {
    const found = await check({
      'a/runtime.yaml': [runtime('team-a', ['--tensor-parallel-size=4'])],
      'b/runtime.yaml': [runtime(undefined, [])],
      'svc/service.yaml': [service('agent')],
      'svc/service-with-refiner.yaml': [service('agent')],
      'svc/service-small.yaml': [service('agent')],
    });
    expect(found).toEqual([
      [
        'warning',
        'runtime-not-found',
        'InferenceService/agent',
        expect.stringMatching(
          /; KServe uses the one in the service's namespace, which the tree does not tell, so the checks that read the runtime do not judge this service \(nor its copies in .*svc\/service-with-refiner.yaml:1, .*svc\/service.yaml:1, alternatives of the same service\): /,
        ),
      ],
    ]);
    expect(found[0][3]).not.toContain('service-small.yaml:1,');
  });

  test('near-miss: two copies of one runtime in two folders agree, so the service binds to either (and is judged)', async () => {
    expect(
      await check({
        'a/runtime.yaml': [runtime(undefined, ['--tensor-parallel-size=2'])],
        'b/runtime.yaml': [runtime(undefined, ['--tensor-parallel-size=2'])],
        'svc/service.yaml': [service('agent')],
      }),
    ).toEqual([['error', 'tensor-parallel-gpu-mismatch', 'InferenceService/agent', expect.stringMatching(/^--tensor-parallel-size=2 needs 2 GPUs/)]]);
  });
});

describe('secret-not-in-tree: a dashboard data connection is one finding, not one per service', () => {
  const isvc = (name: string): Doc => ({
    ...service(name, 'ai'),
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-runtime', storage: { key: 'aws-connection-models', path: name } } } },
  });
  const found = (platform: 'rhoai-2' | 'kserve') =>
    runChecks(
      ['a', 'b', 'c'].map((n) => ({ manifest: isvc(n) })),
      { platform, rules: ['secret-not-in-tree'] },
    ).map((f) => [f.severity, f.object, f.message]);

  test('three services using aws-connection-models: one warning, on the first, counting them', () => {
    expect(found('rhoai-2')).toEqual([
      [
        'warning',
        'InferenceService/ai/a',
        "Secret aws-connection-models (referenced by 3 objects) is created in the dashboard (data connection) - not in the tree; make sure the connection exists in 'ai' before sync, or the services that use it cannot fetch their model",
      ],
    ]);
  });

  test('upstream KServe has no dashboard: storage-config is a missing Secret like any other, one warning naming the other services', () => {
    expect(found('kserve')).toEqual([
      [
        'warning',
        'InferenceService/ai/a',
        "storage.key 'aws-connection-models' is an entry of Secret storage-config in 'ai' (also referenced by 2 other objects: InferenceService/ai/b, InferenceService/ai/c), " +
          "and that Secret is not defined in the tree; create it with a 'aws-connection-models' entry (a JSON document with the storage type, endpoint, bucket and keys) before sync, " +
          'or KServe\'s pod webhook refuses the predictor pods ("specified storage key aws-connection-models not found in storage secret", or "can\'t read storage secret")',
      ],
    ]);
  });
});
