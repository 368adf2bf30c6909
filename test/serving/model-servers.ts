import { runChecks } from '../../lib';

/**
 * model-server-port-not-served and model-path-not-filled on the cases their fixtures do not show: the ports each
 * server opens by its own defaults (Triton server src/command_line_parser.cc: 8000, 8001, 8002; TGI/TEI launcher
 * `port` default 3000, the official images' ENV PORT=80; Ollama envconfig OLLAMA_HOST, port 11434), and when a
 * verdict rests on what the tree cannot show (a derived image, a claim filled from outside, a polled repository).
 */
function deployment(name: string, container: Record<string, unknown>, volumes: unknown[] = [], init: unknown[] = []): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { initContainers: init, containers: [{ name: 'server', ...container }], volumes } },
    },
  };
}

function findings(rule: string, objects: any[]): string[] {
  return runChecks(
    objects.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === rule)
    .map((f) => `${f.severity} ${f.object}: ${f.message}`);
}

const probe = (port: number | string, path = '/health') => ({ readinessProbe: { httpGet: { path, port } } });

describe('model-server-port-not-served', () => {
  test('a port flag given by a variable the tree does not fill: any port may be the one it opens, so nothing is judged', () => {
    const llama = 'ghcr.io/ggml-org/llama.cpp:server';
    const fromConfig = {
      image: llama,
      args: ['--model', '/models/m.gguf', '--port', '$(PORT)'],
      env: [{ name: 'PORT', valueFrom: { configMapKeyRef: { name: 'llama-config', key: 'port' } } }],
    };
    expect(findings('model-server-port-not-served', [deployment('l', { ...fromConfig, ...probe(8080) })])).toEqual([]);
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'l', namespace: 'ai' },
      spec: { selector: { app: 'l' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    expect(findings('model-server-port-not-served', [deployment('l', fromConfig), service])).toEqual([]);
    // near miss: the port written out, and a probe elsewhere
    expect(
      findings('model-server-port-not-served', [deployment('l', { image: llama, args: ['--model', '/models/m.gguf', '--port', '9000'], ...probe(8080) })]),
    ).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/l: container 'server' readinessProbe.httpGet checks port 8080, where llama.cpp server does not listen: it opens http 9000/,
      ),
    ]);
  });

  test("Triton's ports move with their flags, and a port turned off is not opened", () => {
    const moved = { command: ['tritonserver', '--model-repository=s3://b/m', '--http-port=9000'] };
    expect(
      findings('model-server-port-not-served', [
        deployment('t', { image: 'nvcr.io/nvidia/tritonserver:24.08-py3', ...moved, ...probe(9000, '/v2/health/ready') }),
      ]),
    ).toEqual([]);
    expect(
      findings('model-server-port-not-served', [
        deployment('t', { image: 'nvcr.io/nvidia/tritonserver:24.08-py3', ...moved, ...probe(8000, '/v2/health/ready') }),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/t: container 'server' readinessProbe.httpGet checks port 8000, where Triton Inference Server does not listen: it opens http 9000/,
      ),
    ]);
    const off = { command: ['tritonserver', '--model-repository=s3://b/m', '--allow-http=false'] };
    expect(
      findings('model-server-port-not-served', [
        deployment('t', { image: 'nvcr.io/nvidia/tritonserver:24.08-py3', ...off, ...probe(8000, '/v2/health/ready') }),
      ]),
    ).toEqual([expect.stringMatching(/^error .*checks port 8000, where Triton Inference Server does not listen: it opens grpc 8001 .*, metrics 8002/)]);
  });

  test("TGI's image listens on 80 (its ENV PORT); PORT in the env moves it; a derived image's default is only a warning", () => {
    const tgi = 'ghcr.io/huggingface/text-generation-inference:3.0.1';
    expect(findings('model-server-port-not-served', [deployment('g', { image: tgi, args: ['--model-id', 'org/m'], ...probe(80) })])).toEqual([]);
    expect(findings('model-server-port-not-served', [deployment('g', { image: tgi, args: ['--model-id', 'org/m'], ...probe(8080) })])).toEqual([
      expect.stringMatching(/^error .*checks port 8080, where Text Generation Inference does not listen: it opens http 80 \(PORT=80 set by the image\)/),
    ]);
    const env = [{ name: 'PORT', value: '8080' }];
    expect(findings('model-server-port-not-served', [deployment('g', { image: tgi, env, args: ['--model-id', 'org/m'], ...probe(8080) })])).toEqual([]);
    const derived = { image: 'registry.example.com/acme/tgi:1', command: ['text-generation-launcher', '--model-id', 'org/m'], ...probe(80) };
    expect(findings('model-server-port-not-served', [deployment('g', derived)])).toEqual([
      expect.stringMatching(/^warning .*checks port 80, where Text Generation Inference does not listen: it opens http 3000 .*not fully known/),
    ]);
  });

  test("Ollama's port comes from OLLAMA_HOST, 11434 when it names none; GET / is its health answer", () => {
    const ollama = (value: string, port: number) =>
      deployment('o', { image: 'ollama/ollama:0.5.7', env: [{ name: 'OLLAMA_HOST', value }], ...probe(port, '/') });
    expect(findings('model-server-port-not-served', [ollama('0.0.0.0', 11434)])).toEqual([]);
    expect(findings('model-server-port-not-served', [ollama('0.0.0.0:8080', 8080)])).toEqual([]);
    expect(findings('model-server-port-not-served', [ollama('0.0.0.0:8080', 11434)])).toEqual([
      expect.stringMatching(/^error .*checks port 11434, where Ollama does not listen/),
    ]);
  });

  test('a port another container of the pod declares is answered there', () => {
    const d = deployment('t', { image: 'nvcr.io/nvidia/tritonserver:24.08-py3', command: ['tritonserver', '--model-repository=s3://b/m'], ...probe(8080) });
    d.spec.template.spec.containers.push({ name: 'proxy', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] });
    expect(findings('model-server-port-not-served', [d])).toEqual([]);
  });
});

describe('model-path-not-filled', () => {
  const triton = (extra: string[] = []) => ({
    image: 'nvcr.io/nvidia/tritonserver:24.08-py3',
    command: ['tritonserver', '--model-repository=/models', ...extra],
    volumeMounts: [{ name: 'repo', mountPath: '/models' }],
  });
  const claim = (spec: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'repo', namespace: 'ai' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, ...spec },
  });
  const onClaim = [{ name: 'repo', persistentVolumeClaim: { claimName: 'repo' } }];

  test('a fresh claim of the tree that nothing writes is a warning; a claim with a dataSource, or one not in the tree, is not judged', () => {
    expect(findings('model-path-not-filled', [deployment('t', triton(), onClaim), claim()])).toEqual([
      expect.stringMatching(/^warning .*PersistentVolumeClaim 'repo', which the tree creates empty/),
    ]);
    expect(
      findings('model-path-not-filled', [
        deployment('t', triton(), onClaim),
        claim({ dataSource: { kind: 'VolumeSnapshot', name: 's', apiGroup: 'snapshot.storage.k8s.io' } }),
      ]),
    ).toEqual([]);
    expect(findings('model-path-not-filled', [deployment('t', triton(), onClaim)])).toEqual([]);
  });

  test('a claim that may present existing data is not called empty: bound to a PersistentVolume, ReadOnlyMany only, or of a class whose driver mounts a filled store', () => {
    const run = (objects: any[]) => findings('model-path-not-filled', [deployment('t', triton(), onClaim), ...objects]);
    expect(run([claim({ volumeName: 'shared-models' })])).toEqual([]);
    expect(run([claim({ accessModes: ['ReadOnlyMany'] })])).toEqual([]);
    expect(run([claim({ storageClassName: 'cvmfs' })])).toEqual([]);
    const sc = (name: string, provisioner: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner });
    expect(run([claim({ storageClassName: 'experiment-data' }), sc('experiment-data', 'cvmfs.csi.cern.ch')])).toEqual([]);
    // near misses: a class that provisions blank volumes, and a claim both read-only and writable
    const empty = [expect.stringMatching(/^warning .*PersistentVolumeClaim 'repo', which the tree creates empty/)];
    expect(run([claim({ storageClassName: 'fast' }), sc('fast', 'ebs.csi.aws.com')])).toEqual(empty);
    expect(run([claim({ storageClassName: 'cvmfs-cache' }), sc('cvmfs-cache', 'ebs.csi.aws.com')])).toEqual(empty);
    expect(run([claim({ accessModes: ['ReadOnlyMany', 'ReadWriteOnce'] })])).toEqual(empty);
  });

  test('Triton polling its repository may be filled after start: a warning; a hub id and a path outside every mount are not judged', () => {
    const scratch = [{ name: 'repo', emptyDir: {} }];
    expect(findings('model-path-not-filled', [deployment('t', triton(['--model-control-mode=poll']), scratch)])).toEqual([
      expect.stringMatching(/^warning .*emptyDir/),
    ]);
    const tei = {
      image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.7',
      args: ['--model-id', 'BAAI/bge-small-en-v1.5'],
      volumeMounts: [{ name: 'repo', mountPath: '/data' }],
    };
    expect(findings('model-path-not-filled', [deployment('e', tei, scratch)])).toEqual([]);
    const baked = { ...tei, args: ['--model-id', '/opt/model'] };
    expect(findings('model-path-not-filled', [deployment('e', baked, scratch)])).toEqual([]);
    expect(findings('model-path-not-filled', [deployment('e', { ...tei, args: ['--model-id', '/data/model'] }, scratch)])).toEqual([
      expect.stringMatching(/^error .*Text Embeddings Inference with --model-id \/data\/model/),
    ]);
  });
});

describe('gpu-memory-fit with no node shape in the tree', () => {
  const vllm = (args: string[], gpus = 1) =>
    deployment('llm', { image: 'vllm/vllm-openai:v0.11.1', command: ['vllm', 'serve'], args, resources: { limits: { 'nvidia.com/gpu': gpus } } });

  test('weights that fit only the 80 GB class are a warning naming the GPUs; a selector silences it; spread over more GPUs they fit', () => {
    expect(findings('gpu-memory-fit', [vllm(['meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size', '2'], 2)])).toEqual([
      expect.stringMatching(/^warning .*65\.2 GiB per GPU: it fits only on GPUs of 80 GB or more \(.*H100-80GB.*\), and nothing in the tree pins one/),
    ]);
    const pinned = vllm(['meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size', '2', '--max-model-len', '8192', '--gpu-memory-utilization', '0.95'], 2);
    pinned.spec.template.spec.nodeSelector = { 'cloud.google.com/gke-accelerator': 'nvidia-h100-80gb' };
    expect(findings('gpu-memory-fit', [pinned])).toEqual([]);
    // pinned to the GPU, the catalogued id gets the full plan: the 131072 tokens it derives do not fit beside the weights
    const derived = vllm(['meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size', '2'], 2);
    derived.spec.template.spec.nodeSelector = { 'cloud.google.com/gke-accelerator': 'nvidia-h100-80gb' };
    expect(findings('gpu-memory-fit', [derived])).toEqual([expect.stringMatching(/^error .*kv_too_small on 2 × H100-80GB/)]);
    expect(findings('gpu-memory-fit', [vllm(['meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size', '4'], 4)])).toEqual([]);
  });

  test('weights beyond every GPU of the catalog but within the largest made are a warning; beyond those, an error', () => {
    expect(findings('gpu-memory-fit', [vllm(['meta-llama/Llama-3.1-405B-Instruct', '--tensor-parallel-size', '4'], 4)])).toEqual([
      expect.stringMatching(/^warning .*188\.6 GiB per GPU: it fits on none of the tool's GPU catalog \(the largest, H200/),
    ]);
    expect(findings('gpu-memory-fit', [vllm(['meta-llama/Llama-3.1-405B-Instruct', '--tensor-parallel-size', '2'], 2)])).toEqual([
      expect.stringMatching(/^error .*377\.2 GiB per GPU, more than any GPU made holds/),
    ]);
  });
});
