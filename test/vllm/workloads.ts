import { runChecks } from '../../lib';
import { checkpointSizeOfName } from '../../lib/catalog/model-families';
import { idleCommand } from '../../lib/check/idle-command';

type Doc = Record<string, unknown>;

/** Findings of the named rules, as [severity, object, message]. */
const findings = (docs: Doc[], rules: string[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform, rules },
  ).map((f) => [f.severity, f.object, f.message]);

/** A Deployment of one container, with the pod spec's other fields. */
function deployment(container: Doc, pod: Doc = {}): Doc {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'chat' } },
      template: { metadata: { labels: { app: 'chat' } }, spec: { containers: [{ name: 'vllm', ...container }], ...pod } },
    },
  };
}

const LIVENESS = { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 120, periodSeconds: 20 };

describe('checkpointSizeOfName: the size a model name spells', () => {
  test.each([
    ['meta-llama/Meta-Llama-3-8B-Instruct', 8e9, 16],
    ['Qwen/Qwen2.5-0.5B-Instruct', 0.5e9, 16],
    ['TheBloke/Mistral-7B-Instruct-v0.2-AWQ', 7e9, 4],
    ['RedHatAI/Llama-3.1-70B-Instruct-FP8-dynamic', 70e9, 8],
    ['Qwen/Qwen3-30B-A3B', 30e9, 16],
    ['facebook/opt-125m', 125e6, 16],
    ['/mnt/models/TinyLlama-1.1B-Chat-v1.0', 1.1e9, 16],
    // an oci modelcar: the repository when the tag is a version, the tag when it names the model
    ['oci://registry.example.com/models/modelcar-granite-3.3-8b-instruct:1.5', 8e9, 16],
    ['oci://quay.io/someone/models:nemotron-3-nano-30b-a3b-fp8-modelcar', 30e9, 8],
    // gpt-oss is published with MXFP4 experts
    ['openai/gpt-oss-20b', 20e9, 4],
  ])('%s: %d parameters at %d bits', (name, parameters, bits) => {
    expect(checkpointSizeOfName(name)).toEqual({ parameters, bits, bytes: (parameters * bits) / 8 });
  });

  test.each([['mistralai/Mixtral-8x7B-Instruct-v0.1'], ['/mnt/models'], ['Qwen/Qwen2.5-7B-Instruct-GGUF'], ['google/gemma-3n-E4B-it']])(
    '%s: no size',
    (name) => {
      expect(checkpointSizeOfName(name)).toBeUndefined();
    },
  );
});

describe('idleCommand: a command whose every program only idles', () => {
  test.each([
    [['sleep'], ['infinity'], 'sleep infinity'],
    [['tail', '-f', '/dev/null'], [], 'tail -f /dev/null'],
    [['/bin/sh', '-c', 'while true; do sleep 30; done'], [], '/bin/sh -c "while true; do sleep 30; done"'],
    [['bash', '-c'], ['echo ready && sleep infinity'], 'bash -c "echo ready && sleep infinity"'],
  ])('%j %j idles', (command, args, shown) => {
    expect(idleCommand(command, args)).toBe(shown);
  });

  test.each([
    [['vllm', 'serve', '/mnt/models'], []],
    [['python3', '-m', 'vllm.entrypoints.openai.api_server'], []],
    [['bash', '-c'], ['sleep 5; exec vllm serve /mnt/models']],
    [['/bin/sh', '-c', '/scripts/start.sh'], []],
    [
      ['sh', '-c', 'exec "$@"', '--'],
      ['vllm', 'serve'],
    ],
    [['sh', '-c', '$SERVER_CMD'], []],
    [[], ['--model', 'm']],
  ])('%j %j may serve', (command, args) => {
    expect(idleCommand(command, args)).toBeUndefined();
  });
});

describe('liveness-kills-loading and startup-probe-too-short on workloads that run vLLM', () => {
  const rules = ['liveness-kills-loading', 'startup-probe-too-short'];
  const server = (extra: Doc = {}) => ({
    image: 'vllm/vllm-openai:v0.11.0',
    args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct'],
    livenessProbe: LIVENESS,
    ...extra,
  });

  test('a hub model downloaded at every start: the download counts, and the liveness probe kills the load', () => {
    // 133514 MiB: 3338 s at 40 MiB/s, 535 s read at 250 MiB/s, 120 s warm-up; at 200 MiB/s 668 s, read at 1000 MiB/s 134 s, 30 s warm-up
    expect(findings([deployment(server({ args: ['--model', 'meta-llama/Llama-3.3-70B-Instruct'] }))], rules)).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        "container 'vllm': the liveness probe gives up after 180 s from the container start, and vLLM downloads meta-llama/Llama-3.3-70B-Instruct (about 140 GB by its name: 70B parameters at 16 bits) from Hugging Face at every container start (no volume holds its cache, and a restarted container starts with an empty one), then reads and warms it up: about 3993 s in all (the download at 40 MiB/s), and about 832 s even on a fast node (the download at 200 MiB/s, a fast cloud link's to the hub's CDN, the weights read at 1000 MiB/s and 30 s of warm-up): the kubelet restarts vLLM before it ever serves; add a startupProbe allowing 7986 s",
      ],
    ]);
  });

  test('an 8B hub model downloaded at every start under the same 180 s: about 123 s on a fast node, so a warning naming the rates', () => {
    // 15259 MiB: 77 s at 200 MiB/s, 16 s read at 1000 MiB/s, 30 s warm-up
    expect(findings([deployment(server())], rules)).toEqual([
      [
        'warning',
        'Deployment/ai/chat',
        expect.stringMatching(
          /about 564 s in all \(the download at 40 MiB\/s\); on a fast node \(the download at 200 MiB\/s, a fast cloud link's to the hub's CDN, the weights read at 1000 MiB\/s and 30 s of warm-up\) about 123 s, which fits/,
        ),
      ],
    ]);
  });

  // Qwen2.5-1.5B: about 3 GB, read and warmed up in about 132 s; downloaded first, about 204 s
  const small = (extra: Doc = {}) => server({ args: ['--model', 'Qwen/Qwen2.5-1.5B-Instruct'], ...extra });
  const cache = { volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'hf-cache' } }] };
  const emptyCache = { volumes: [{ name: 'cache', emptyDir: {} }] };

  test('a small hub model with its cache on no volume: the download at the assumed rate tips the load over a 150 s probe, a warning naming the rates', () => {
    // 204 s against 180 s is within the estimate's 50 s spread: no verdict
    expect(findings([deployment(small())], rules)).toEqual([]);
    const shorter = { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 120, periodSeconds: 10, failureThreshold: 3 };
    // 2861 MiB at 200 MiB/s: 15 s, read at 1000 MiB/s: 3 s, and 30 s of warm-up: 48 s, within 150 s on a fast node
    expect(findings([deployment(small({ livenessProbe: shorter }))], rules)).toEqual([
      [
        'warning',
        'Deployment/ai/chat',
        expect.stringMatching(
          /^container 'vllm': the liveness probe gives up after 150 s .* vLLM downloads Qwen\/Qwen2.5-1.5B-Instruct .*about 204 s in all \(the download at 40 MiB\/s\); on a fast node \(the download at 200 MiB\/s, a fast cloud link's to the hub's CDN, the weights read at 1000 MiB\/s and 30 s of warm-up\) about 48 s, which fits, so it may serve in time, but at the rates assumed the kubelet may restart vLLM/,
        ),
      ],
    ]);
  });

  test('a 64 GB hub model under a 20-minute liveness window is a warning; under a window no fast link meets, an error', () => {
    // 61035 MiB: 1526 s at 40 MiB/s, 245 s read, 120 s warm-up (1891 s); at 200 MiB/s 306 s, read at 1000 MiB/s 62 s, 30 s warm-up (398 s)
    const large = (periodSeconds: number) =>
      server({ args: ['--model', 'Qwen/Qwen3-32B'], livenessProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds, failureThreshold: 240 } });
    expect(findings([deployment(large(5))], rules)).toEqual([
      [
        'warning',
        'Deployment/ai/chat',
        expect.stringMatching(/about 1891 s in all .* about 398 s, which fits, so it may serve in time, but at the rates assumed/),
      ],
    ]);
    expect(findings([deployment(large(2))], rules)).toEqual([
      ['warning', 'Deployment/ai/chat', expect.stringMatching(/gives up after 480 s .*about 398 s, which fits/)],
    ]);
    expect(findings([deployment(large(1))], rules)).toEqual([
      ['error', 'Deployment/ai/chat', expect.stringMatching(/gives up after 240 s .*about 398 s even on a fast node \(the download at 200 MiB\/s/)],
    ]);
  });

  // 14 GB (7B at 16 bits) at 40 MiB/s: 363 s, then read and warmed up: 508 s; at 200 MiB/s on a fast link, 111 s
  test('a hub model cached on an emptyDir: each new pod downloads it, so the download counts; a warning, as restarts resume it', () => {
    const qwen = server({
      args: ['--model', 'Qwen/Qwen2.5-7B-Instruct'],
      volumeMounts: [{ name: 'cache', mountPath: '/root/.cache/huggingface' }],
      livenessProbe: { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 120, periodSeconds: 30, failureThreshold: 3 },
    });
    expect(findings([deployment(qwen, emptyCache)], rules)).toEqual([
      [
        'warning',
        'Deployment/ai/chat',
        "container 'vllm': the liveness probe gives up after 210 s from the container start, and its Hugging Face cache is an emptyDir, empty whenever a pod starts, so vLLM downloads Qwen/Qwen2.5-7B-Instruct (about 14 GB by its name: 7B parameters at 16 bits) at each new pod's start, " +
          'then reads and warms it up: about 508 s in all (the download at 40 MiB/s); on a fast link about 111 s, which fits, but at the rate assumed the kubelet restarts vLLM in the middle of the download; ' +
          "the emptyDir keeps the fetched files and each restart resumes it, so a new pod serves only after several restarts, with CrashLoopBackOff's growing delay between them; add a startupProbe allowing 1016 s",
      ],
    ]);
    // a start-up probe above the estimate holds the liveness probe off
    const held = { ...qwen, startupProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 10, failureThreshold: 60 } };
    expect(findings([deployment(held, emptyCache)], rules)).toEqual([]);
  });

  test('near misses: the cache on a claim (filled once, kept across pods), offline, a local path, no liveness probe', () => {
    expect(findings([deployment(small({ volumeMounts: [{ name: 'cache', mountPath: '/root/.cache/huggingface' }] }), cache)], rules)).toEqual([]);
    const hfHome = small({ env: [{ name: 'HF_HOME', value: '/data/hf' }], volumeMounts: [{ name: 'cache', mountPath: '/data' }] });
    expect(findings([deployment(hfHome, cache)], rules)).toEqual([]);
    const downloadDir = small({
      args: ['--model', 'Qwen/Qwen2.5-1.5B-Instruct', '--download-dir', '/models'],
      volumeMounts: [{ name: 'cache', mountPath: '/models' }],
    });
    expect(findings([deployment(downloadDir, cache)], rules)).toEqual([]);
    expect(findings([deployment(small({ env: [{ name: 'HF_HUB_OFFLINE', value: '1' }] }))], rules)).toEqual([]);
    const local = small({ args: ['--model', '/models/Qwen2.5-1.5B-Instruct'], volumeMounts: [{ name: 'cache', mountPath: '/models' }] });
    expect(findings([deployment(local, cache)], rules)).toEqual([]);
    expect(findings([deployment(server({ livenessProbe: undefined }))], rules)).toEqual([]);
    // a container that does not start vLLM's server is not judged, whatever its image
    expect(findings([deployment(server({ command: ['python', 'app.py'], args: [] }))], rules)).toEqual([]);
  });

  // 27 GB read from a volume at 150 MiB/s: about 172 s, 292 s with the warm-up; read at 1000 MiB/s, 26 s, and 56 s with the least warm-up
  test('weights on a volume estimated a little over the liveness allowance: a warning; short even on a fast node: an error', () => {
    const local = (failureThreshold: number) =>
      server({
        args: ['--model', '/data/models/Qwen3-27B-FP8'],
        livenessProbe: { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold },
      });
    // 292 s against 270 s is within the estimate's 50 s spread: no verdict; against 240 s, beyond it
    expect(findings([deployment(local(27))], rules)).toEqual([]);
    expect(findings([deployment(local(24))], rules)).toEqual([
      [
        'warning',
        'Deployment/ai/chat',
        "container 'vllm': the liveness probe gives up after 240 s from the container start, and /data/models/Qwen3-27B-FP8 (about 27 GB by its name: 27B parameters at 8 bits) needs about 292 s to read its weights and warm up; on a fast node (the weights read at 1000 MiB/s and 30 s of warm-up) about 56 s, which fits, so it may serve in time, but at the rates assumed the kubelet may restart vLLM before it ever serves; add a startupProbe allowing 600 s",
      ],
    ]);
    expect(findings([deployment(local(18))], rules).map(([severity, , message]) => [severity, /about 56 s, which fits/.test(message)])).toEqual([
      ['warning', true],
    ]);
    expect(
      findings([deployment(local(5))], rules).map(([severity, , message]) => [severity, /gives up after 50 s .*about 56 s even on a fast node/.test(message)]),
    ).toEqual([['error', true]]);
  });

  test('a model of unknown size: the warm-up alone is the estimate; an error only under the least warm-up', () => {
    const unknown = (periodSeconds: number) =>
      server({ args: ['--model', 'my-org/support-bot'], livenessProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds } });
    expect(findings([deployment(unknown(10))], rules)).toEqual([
      [
        'warning',
        'Deployment/ai/chat',
        "container 'vllm': the liveness probe gives up after 30 s from the container start, and vLLM's warm-up alone takes about 120 s (the model's size is unknown, so its load time is not counted); on a fast node (30 s of warm-up, the least vLLM takes) about 30 s, which fits, so it may serve in time, but at the rates assumed the kubelet may restart vLLM before it ever serves; add a startupProbe allowing 600 s",
      ],
    ]);
    expect(findings([deployment(unknown(5))], rules)).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        "container 'vllm': the liveness probe gives up after 15 s from the container start, and vLLM's warm-up alone takes about 120 s (the model's size is unknown, so its load time is not counted), and about 30 s even on a fast node (30 s of warm-up, the least vLLM takes): the kubelet restarts vLLM before it ever serves; add a startupProbe allowing 600 s",
      ],
    ]);
  });

  test('a start-up probe on a Job that serves vLLM is judged the same way', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'bench', namespace: 'ai' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'vllm',
                image: 'vllm/vllm-openai:v0.11.0',
                command: ['vllm', 'serve', 'Qwen/Qwen3-32B'],
                startupProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 10, failureThreshold: 30 },
              },
            ],
          },
        },
      },
    };
    expect(findings([job], rules)).toEqual([
      [
        'error',
        'Job/ai/bench',
        expect.stringMatching(/^container 'vllm': the start-up probe gives up after 300 s but vLLM downloads Qwen\/Qwen3-32B \(about 64 GB/),
      ],
    ]);
  });
});

describe('vllm-server-not-started: a vLLM image whose command only idles', () => {
  const runtime = (container: Doc): Doc => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm', namespace: 'ai' },
    spec: { supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], containers: [{ name: 'kserve-container', ...container }] },
  });

  test("a runtime's serving container that sleeps: the message names the command and the entrypoint it replaced", () => {
    expect(findings([runtime({ image: 'quay.io/modh/vllm:rhoai-2.20-cuda', command: ['sleep', 'infinity'] })], ['vllm-server-not-started'])).toEqual([
      [
        'error',
        'ServingRuntime/ai/vllm',
        'container \'kserve-container\' runs `sleep infinity` on quay.io/modh/vllm:rhoai-2.20-cuda: its command replaces the image\'s entrypoint (python3 -m vllm.entrypoints.openai.api_server), so vLLM\'s server never starts, nothing answers on its port and the pod never becomes ready; remove the command and give vLLM\'s flags as args (the image starts the server), or set command: ["python3", "-m", "vllm.entrypoints.openai.api_server"]',
      ],
    ]);
  });

  test('near misses: an image that is not vLLM, a workload container with no port and no probe', () => {
    expect(findings([runtime({ image: 'python:3.11-slim', command: ['sleep', 'infinity'] })], ['vllm-server-not-started'])).toEqual([]);
    expect(findings([deployment({ image: 'vllm/vllm-openai:v0.11.0', command: ['sleep', 'infinity'] })], ['vllm-server-not-started'])).toEqual([]);
    expect(
      findings(
        [deployment({ image: 'vllm/vllm-openai:v0.11.0', command: ['sleep', 'infinity'], ports: [{ containerPort: 8000 }] })],
        ['vllm-server-not-started'],
      ),
    ).toEqual([['error', 'Deployment/ai/chat', expect.stringMatching(/^container 'vllm' runs `sleep infinity` on vllm\/vllm-openai:v0.11.0/)]]);
  });
});

describe('vllm-cpu-memory: a CPU runtime with neither a memory limit nor VLLM_CPU_KVCACHE_SPACE', () => {
  const cpuRuntime = (image: string, env: Doc[] = [], resources: Doc = {}): Doc => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm-cpu', namespace: 'ai' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [
        { name: 'kserve-container', image, command: ['python', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--model=/mnt/models'], env, resources },
      ],
    },
  });
  const rules = ['vllm-cpu-memory'];

  test('a release that sizes its KV cache from the node: a warning naming the release and the setting', () => {
    expect(findings([cpuRuntime('vllm/vllm-openai-cpu:v0.13.0')], rules)).toEqual([
      [
        'warning',
        'ServingRuntime/ai/vllm-cpu',
        expect.stringMatching(
          /^container 'kserve-container' sets no VLLM_CPU_KVCACHE_SPACE and no limits.memory: vLLM 0.13.0 on CPU then sizes its KV cache from the node's memory/,
        ),
      ],
    ]);
  });

  test('near misses: the KV space set, a memory limit, a release with the 4 GiB default, a tag that proves nothing, a runtime an InferenceService uses', () => {
    expect(findings([cpuRuntime('vllm/vllm-openai-cpu:v0.13.0', [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '8' }])], rules)).toEqual([]);
    expect(findings([cpuRuntime('vllm/vllm-openai-cpu:v0.13.0', [], { limits: { memory: '64Gi' } })], rules)).toEqual([]);
    expect(findings([cpuRuntime('vllm/vllm-openai-cpu:v0.11.0')], rules)).toEqual([]);
    expect(findings([cpuRuntime('vllm/vllm-openai-cpu:latest')], rules)).toEqual([]);
    const service = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: {
        predictor: {
          model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-cpu', storageUri: 'pvc://models/qwen', resources: { limits: { memory: '64Gi' } } },
        },
      },
    };
    expect(findings([cpuRuntime('vllm/vllm-openai-cpu:v0.13.0'), service], rules)).toEqual([]);
  });
});

describe('vllm-cpu-memory on workloads that run vLLM on CPU', () => {
  const rules = ['vllm-cpu-memory'];
  const cpuServer = (memory: string, extra: Doc = {}) => ({
    image: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.10.2',
    command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
    args: ['--model', 'Qwen/Qwen3-32B', '--port', '8000'],
    env: [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '4' }],
    resources: { requests: { cpu: '12', memory }, limits: { cpu: '12', memory } },
    ...extra,
  });

  test("vLLM's CPU release image serving a 32B model under 9000Mi: the weights alone exceed the limit", () => {
    // 32e9 parameters at 2 bytes: 59.6 GiB, plus 4 GiB of KV cache: 63.6 GiB
    expect(findings([deployment(cpuServer('9000Mi'))], rules)).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        "container 'vllm' limits.memory 9000Mi is below what vLLM on CPU holds once started: the weights of Qwen/Qwen3-32B (about 64 GB by its name: 32B parameters at 16 bits) (59.6 GiB) " +
          'plus the KV-cache space (VLLM_CPU_KVCACHE_SPACE=4 GiB) = 63.6 GiB; the container is OOMKilled while loading: raise limits.memory to at least 66Gi, or lower VLLM_CPU_KVCACHE_SPACE',
      ],
    ]);
    // VLLM_CPU_* env marks the CPU build on any image
    const byEnv = cpuServer('9000Mi', { image: 'quay.io/example/vllm-server:1.0', command: ['vllm', 'serve'] });
    expect(findings([deployment(byEnv)], rules)).toEqual([
      ['error', 'Deployment/ai/chat', expect.stringMatching(/^container 'vllm' limits.memory 9000Mi is below/)],
    ]);
  });

  test('near misses: a limit above the weights and KV space, a GPU requested, a model of unknown size, a container that does not start vLLM', () => {
    expect(findings([deployment(cpuServer('80Gi'))], rules)).toEqual([]);
    const gpu = { requests: { memory: '9000Mi', 'nvidia.com/gpu': '1' }, limits: { memory: '9000Mi', 'nvidia.com/gpu': '1' } };
    expect(findings([deployment(cpuServer('9000Mi', { resources: gpu }))], rules)).toEqual([]);
    expect(findings([deployment(cpuServer('9000Mi', { args: ['--model', '/models/assistant'] }))], rules)).toEqual([]);
    expect(findings([deployment(cpuServer('9000Mi', { command: ['python', 'app.py'], args: [] }))], rules)).toEqual([]);
    // a GPU image with no VLLM_CPU_* env is not the CPU build
    expect(findings([deployment(cpuServer('9000Mi', { image: 'vllm/vllm-openai:v0.10.2', env: [] }))], rules)).toEqual([]);
  });
});

describe('tensor-parallel-gpu-mismatch on workloads that run vLLM', () => {
  const rules = ['tensor-parallel-gpu-mismatch'];
  const gpus = (n: string) => ({ requests: { 'nvidia.com/gpu': n }, limits: { 'nvidia.com/gpu': n } });
  const script = (flags: string, n: string, extra: Doc = {}) => ({
    image: 'vllm/vllm-openai:v0.11.0',
    command: ['/bin/sh', '-c'],
    args: [`vllm serve openai/gpt-oss-120b ${flags}`],
    resources: gpus(n),
    ...extra,
  });

  test('a sh -c script asking for more GPUs than the container is given, tensor × pipeline', () => {
    expect(findings([deployment(script('--tensor-parallel-size 4', '2'))], rules)).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        "container 'vllm': --tensor-parallel-size=4 needs 4 GPUs but the container is given 2 nvidia.com/gpu; set requests and limits of nvidia.com/gpu to 4, or lower the parallelism. vLLM fails at start-up",
      ],
    ]);
    expect(findings([deployment(script('-tp 2 --pipeline-parallel-size 2', '2'))], rules)).toEqual([
      ['error', 'Deployment/ai/chat', expect.stringContaining('--tensor-parallel-size=2 × --pipeline-parallel-size=2 needs 4 GPUs')],
    ]);
    const job = { ...deployment(script('--tensor-parallel-size=8', '4')), apiVersion: 'batch/v1', kind: 'Job' };
    expect(findings([job], rules)).toHaveLength(1);
  });

  test('near misses: enough GPUs, no GPU request, a size in a variable, a server spread over nodes, a LeaderWorkerSet of two pods', () => {
    expect(findings([deployment(script('--tensor-parallel-size 4', '4'))], rules)).toEqual([]);
    expect(findings([deployment(script('--tensor-parallel-size 4', '4', { resources: {} }))], rules)).toEqual([]);
    expect(findings([deployment(script('--tensor-parallel-size $TP', '2'))], rules)).toEqual([]);
    expect(findings([deployment(script('--tensor-parallel-size 8 --distributed-executor-backend ray', '4'))], rules)).toEqual([]);
    expect(findings([deployment(script('--tensor-parallel-size 8 --nnodes 2 --node-rank 0', '4'))], rules)).toEqual([]);
    const lws = (size: number) => ({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'group', namespace: 'ai' },
      spec: { leaderWorkerTemplate: { size, leaderTemplate: { spec: { containers: [{ name: 'leader', ...script('--tensor-parallel-size 8', '4') }] } } } },
    });
    expect(findings([lws(2)], rules)).toEqual([]);
    expect(findings([lws(1)], rules)).toEqual([['error', 'LeaderWorkerSet/ai/group', expect.stringContaining('needs 8 GPUs but the container is given 4')]]);
  });
});

describe('hf-token-unreachable on workloads that run vLLM on a gated model', () => {
  const rules = ['hf-token-unreachable'];
  const server = (model: string, extra: Doc = {}) => ({ image: 'vllm/vllm-openai:v0.11.0', args: ['--model', model], ...extra });

  test('a gated Llama or Gemma model with no token: an error naming the model and the fix', () => {
    expect(findings([deployment(server('meta-llama/Meta-Llama-3-70B-Instruct'))], rules)).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        "container 'vllm': vLLM downloads meta-llama/Meta-Llama-3-70B-Instruct, a gated Hugging Face model, with no token (neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN is set): the Hub answers 401 (GatedRepoError) and vLLM stops at start; set HF_TOKEN from a Secret (valueFrom.secretKeyRef) of an account that accepted the model's licence",
      ],
    ]);
    expect(findings([deployment(server('google/gemma-2-9b-it'))], rules)).toHaveLength(1);
  });

  test('a token variable set to a placeholder (REPLACE_ME, changeme, <your-token>, dummy) is no token: an error saying so', () => {
    const llama = 'meta-llama/Llama-2-13b-chat-hf';
    const withToken = (name: string, value: string) => deployment(server(llama, { env: [{ name, value }] }));
    expect(findings([withToken('HUGGING_FACE_HUB_TOKEN', 'REPLACE_ME')], rules)).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        "container 'vllm': vLLM downloads meta-llama/Llama-2-13b-chat-hf, a gated Hugging Face model, with no token (HUGGING_FACE_HUB_TOKEN is set to the placeholder 'REPLACE_ME', which is no token): the Hub answers 401 (GatedRepoError) and vLLM stops at start; set HF_TOKEN from a Secret (valueFrom.secretKeyRef) of an account that accepted the model's licence",
      ],
    ]);
    for (const value of ['changeme', '<your-token>', 'dummy'])
      expect(findings([withToken('HF_TOKEN', value)], rules)).toEqual([
        ['error', 'Deployment/ai/chat', expect.stringContaining(`HF_TOKEN is set to the placeholder '${value}'`)],
      ]);
    // near misses: a literal that is no placeholder, a reference the kubelet fills
    expect(findings([withToken('HF_TOKEN', 'k3yRotatedMonthly')], rules)).toEqual([]);
    expect(findings([withToken('HF_TOKEN', '$(HUB_TOKEN)')], rules)).toEqual([]);
    // beside an open model the placeholder is still sent, and the Hub refuses a token it does not know
    expect(findings([deployment(server('Qwen/Qwen2.5-7B-Instruct', { env: [{ name: 'HF_TOKEN', value: 'REPLACE_ME' }] }))], rules)).toEqual([
      [
        'error',
        'Deployment/ai/chat',
        expect.stringContaining('401 (Invalid credentials in Authorization header) to one it does not know, even for a public model'),
      ],
    ]);
  });

  test("the Red Hat AI Services UBI build's entrypoint is vLLM's server: its args alone start vLLM (an image elsewhere of that name is not known)", () => {
    const ubi = (image: string) => deployment({ image, args: ['--model', 'meta-llama/Meta-Llama-3-8B', '--dtype', 'float16'] });
    expect(findings([ubi('quay.io/rh-aiservices-bu/vllm-openai-ubi9:0.4.2')], rules)).toEqual([
      ['error', 'Deployment/ai/chat', expect.stringContaining('vLLM downloads meta-llama/Meta-Llama-3-8B, a gated Hugging Face model, with no token')],
    ]);
    expect(findings([ubi('quay.io/someone-else/vllm-openai-ubi9:0.4.2')], rules)).toEqual([]);
  });

  test('envFrom: a Secret or ConfigMap of the tree is read for its keys; a source the tree does not hold makes a warning naming it', () => {
    const llama = 'meta-llama/Llama-3.1-8B-Instruct';
    const withFrom = (envFrom: Doc[]) => deployment(server(llama, { envFrom }));
    const secret = (values: Doc): Doc => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', namespace: 'ai' }, data: values });
    const base64 = (v: string) => Buffer.from(v).toString('base64');
    // the Secret holds the token (base64 data), or the prefix makes its key HF_TOKEN: no finding
    expect(findings([secret({ HF_TOKEN: base64('hf_abcdefghijklmnop') }), withFrom([{ secretRef: { name: 'hf' } }])], rules)).toEqual([]);
    expect(findings([secret({ TOKEN: base64('hf_abcdefghijklmnop') }), withFrom([{ secretRef: { name: 'hf' }, prefix: 'HF_' }])], rules)).toEqual([]);
    expect(findings([secret({ HF_HUB_OFFLINE: base64('1') }), withFrom([{ secretRef: { name: 'hf' } }])], rules)).toEqual([]);
    // the Secret holds other keys only, or the token empty: an error
    expect(findings([secret({ OPENAI_API_KEY: base64('sk-x') }), withFrom([{ secretRef: { name: 'hf' } }])], rules)).toEqual([
      ['error', 'Deployment/ai/chat', expect.stringContaining('neither HF_TOKEN nor HUGGING_FACE_HUB_TOKEN is set')],
    ]);
    expect(findings([secret({ HF_TOKEN: '' }), withFrom([{ secretRef: { name: 'hf' } }])], rules)).toEqual([
      ['error', 'Deployment/ai/chat', expect.stringContaining('HF_TOKEN is set to an empty value by Secret hf (envFrom)')],
    ]);
    // a Secret the tree does not hold may hold it
    expect(findings([withFrom([{ secretRef: { name: 'hf' } }])], rules)).toEqual([
      ['warning', 'Deployment/ai/chat', expect.stringContaining('unless Secret hf, which envFrom reads and the tree does not hold, sets one')],
    ]);
  });

  test('near misses: a token, offline, a cache volume, an open model, a local path', () => {
    const llama = 'meta-llama/Llama-3.1-8B-Instruct';
    const token = { valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } };
    expect(findings([deployment(server(llama, { env: [{ name: 'HUGGING_FACE_HUB_TOKEN', ...token }] }))], rules)).toEqual([]);
    expect(findings([deployment(server(llama, { env: [{ name: 'HF_HUB_OFFLINE', value: '1' }] }))], rules)).toEqual([]);
    expect(findings([deployment(server(llama, { volumeMounts: [{ name: 'cache', mountPath: '/root/.cache/huggingface' }] }))], rules)).toEqual([]);
    expect(findings([deployment(server('Qwen/Qwen2.5-7B-Instruct'))], rules)).toEqual([]);
    expect(findings([deployment(server('/models/meta-llama/Llama-3.1-8B-Instruct'))], rules)).toEqual([]);
  });
});
