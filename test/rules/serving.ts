import { DIGEST, runtime, RuleFixture, service } from './fixture';

/** The vLLM runtime every service below names (vllm-runtime in namespace ai). */
const RUNTIME = runtime(`quay.io/vllm/vllm@${DIGEST}`);

/** `lines` indented by `n` spaces, each on its own line after a newline. */
const block = (lines: readonly string[], n: number) => lines.map((l) => `\n${' '.repeat(n)}${l}`).join('');

/**
 * An InferenceService on vllm-runtime with `gpus` GPUs, as a user writes it; `annotations`, `predictor` and `model`
 * add lines to those mappings.
 */
const gpuService = (
  o: {
    gpus?: number;
    annotations?: readonly string[];
    predictor?: readonly string[];
    model?: readonly string[];
  } = {},
) => `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm
  namespace: ai
  annotations:
    serving.kserve.io/deploymentMode: RawDeployment${block(o.annotations ?? [], 4)}
spec:
  predictor:${block(o.predictor ?? [], 4)}
    model:
      modelFormat: {name: vLLM}
      runtime: vllm-runtime
      storageUri: s3://models/m/
      storage: {key: minio-connection}
      resources:
        requests: {cpu: "8", memory: 32Gi, nvidia.com/gpu: "${o.gpus ?? 1}"}
        limits: {cpu: "16", memory: 64Gi, nvidia.com/gpu: "${o.gpus ?? 1}"}${block(o.model ?? [], 6)}
`;

/** An LLMInferenceService with one main container of `gpus` GPUs; `spec` and `model` add lines to those mappings. */
const llmService = (o: { gpus?: number; args?: readonly string[]; spec?: readonly string[]; model?: readonly string[] } = {}) => `
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata: {name: llm, namespace: ai}
spec:
  model:
    uri: hf://org/m:${'c'.repeat(40)}
    name: m${block(o.model ?? [], 4)}
  template:
    containers:
      - name: main
        args: [${(o.args ?? []).join(', ')}]
        resources: {limits: {nvidia.com/gpu: "${o.gpus ?? 1}"}}${block(o.spec ?? [], 2)}
`;

/** Profiles as cdk8s-vllm records them on a rendered service (annotation cdk8s-vllm.io/model-profile), from models/. */
const PROFILE = {
  // models/llama-3.1-70b-instruct: about 131 GiB of BF16 weights
  llama70b:
    '{"architecture":"LlamaForCausalLM","headDim":128,"hiddenSize":8192,"intermediateSize":28672,"maxPositionEmbeddings":131072,"name":"llama-3.1-70b-instruct","numAttentionHeads":64,"numKeyValueHeads":8,"numLayers":80,"qkvBias":false,"tieWordEmbeddings":false,"torchDtype":"bfloat16","vocabSize":128256,"weightSource":"computed"}',
  // models/mistral-small-24b-instruct-2501: 43.9 GiB of BF16 weights
  mistral24b:
    '{"architecture":"MistralForCausalLM","headDim":128,"hiddenSize":5120,"intermediateSize":32768,"maxPositionEmbeddings":32768,"name":"mistral-small-24b-instruct-2501","numAttentionHeads":32,"numKeyValueHeads":8,"numLayers":40,"qkvBias":false,"tieWordEmbeddings":false,"torchDtype":"bfloat16","vocabSize":131072,"weightSource":"computed"}',
  // models/mistral-small-24b-instruct-2501-fp8-dynamic: the 23.2 GiB FP8 (compressed-tensors) checkpoint
  mistral24bFp8:
    '{"architecture":"MistralForCausalLM","headDim":128,"hiddenSize":5120,"intermediateSize":32768,"maxPositionEmbeddings":32768,"name":"mistral-small-24b-instruct-2501-fp8-dynamic","numAttentionHeads":32,"numKeyValueHeads":8,"numLayers":40,"qkvBias":false,"quantization":{"method":"compressed-tensors","weightBits":8,"zeroPoint":false,"label":"fp8 (compressed-tensors)"},"tieWordEmbeddings":false,"torchDtype":"bfloat16","vocabSize":131072,"weightSource":"computed"}',
};
const profile = (json: string) => `cdk8s-vllm.io/model-profile: '${json}'`;

/** A memory-backed /dev/shm of `size` in the runtime's kserve-container (lines after its args). */
const shm = (size: string) => `
      volumeMounts: [{name: shm, mountPath: /dev/shm}]
  volumes: [{name: shm, emptyDir: {medium: Memory, sizeLimit: ${size}}}]`;

const HEALTH = 'httpGet: {path: /health, port: 8080}';

/** Fixtures of the serving rules. */
export const SERVING_FIXTURES: Record<string, RuleFixture> = {
  // example: modelFormat: {name: vllm} with a runtime that supports vLLM
  'runtime-format-mismatch': {
    fires: RUNTIME + '---' + service().replace('modelFormat: {name: vLLM}', 'modelFormat: {name: vllm}'),
    nearMiss: RUNTIME + '---' + service(),
  },
  // example: --tensor-parallel-size=4 with nvidia.com/gpu: 2
  'tensor-parallel-gpu-mismatch': {
    fires: runtime(`quay.io/vllm/vllm@${DIGEST}`, shm('8Gi')) + '---' + gpuService({ gpus: 2, model: ['args: [--tensor-parallel-size=4]'] }),
    nearMiss: runtime(`quay.io/vllm/vllm@${DIGEST}`, shm('8Gi')) + '---' + gpuService({ gpus: 4, model: ['args: [--tensor-parallel-size=4]'] }),
  },
  // example: worker: {…} with parallelism: {tensor: 4} (no data or pipeline)
  'llm-parallelism-invalid': {
    fires: llmService({
      gpus: 4,
      spec: ['parallelism: {tensor: 4}', 'worker: {containers: [{name: main, resources: {limits: {nvidia.com/gpu: "4"}}}]}'],
    }),
    nearMiss: llmService({
      gpus: 4,
      spec: ['parallelism: {tensor: 4, data: 2, dataLocal: 1}', 'worker: {containers: [{name: main, resources: {limits: {nvidia.com/gpu: "4"}}}]}'],
    }),
  },
  // example: parallelism: {tensor: 4} with 4 GPUs and no --tensor-parallel-size in the main container
  'llm-parallelism-dropped': {
    fires: llmService({ gpus: 4, spec: ['parallelism: {tensor: 4}'] }),
    nearMiss: llmService({ gpus: 4, args: ['--tensor-parallel-size=4'], spec: ['parallelism: {tensor: 4}'] }),
  },
  // example: two adapters named sql
  'llm-lora-invalid': {
    fires: llmService({ model: ['lora:', '  adapters:', '    - {name: sql, uri: hf://org/sql-a}', '    - {name: sql, uri: hf://org/sql-b}'] }),
    nearMiss: llmService({ model: ['lora:', '  adapters:', '    - {name: sql, uri: hf://org/sql-a}', '    - {name: sql-b, uri: hf://org/sql-b}'] }),
  },
  // example: --tensor-parallel-size=4 and no emptyDir {medium: Memory} at /dev/shm
  'shm-missing': {
    fires: RUNTIME + '---' + gpuService({ gpus: 4, model: ['args: [--tensor-parallel-size=4]'] }),
    nearMiss: runtime(`quay.io/vllm/vllm@${DIGEST}`, shm('8Gi')) + '---' + gpuService({ gpus: 4, model: ['args: [--tensor-parallel-size=4]'] }),
  },
  // example: startupProbe with periodSeconds: 10, failureThreshold: 6 on a 70B model (60 s for ~10 minutes of loading)
  'startup-probe-too-short': {
    fires:
      RUNTIME + '---' + gpuService({ annotations: [profile(PROFILE.llama70b)], model: [`startupProbe: {${HEALTH}, periodSeconds: 10, failureThreshold: 6}`] }),
    nearMiss:
      RUNTIME +
      '---' +
      gpuService({ annotations: [profile(PROFILE.llama70b)], model: [`startupProbe: {${HEALTH}, periodSeconds: 10, failureThreshold: 240}`] }),
  },
  // example: livenessProbe with periodSeconds: 10, failureThreshold: 3 and no startupProbe
  'liveness-kills-loading': {
    fires: RUNTIME + '---' + gpuService({ model: [`livenessProbe: {${HEALTH}, periodSeconds: 10, failureThreshold: 3}`] }),
    nearMiss:
      RUNTIME +
      '---' +
      gpuService({
        model: [`livenessProbe: {${HEALTH}, periodSeconds: 10, failureThreshold: 3}`, `startupProbe: {${HEALTH}, periodSeconds: 10, failureThreshold: 60}`],
      }),
  },
  // example: minReplicas: 1, maxReplicas: 3, scaleMetric: cpu, scaleTarget: 80 on a vLLM predictor with nvidia.com/gpu: 1
  'autoscale-on-utilization': {
    fires: RUNTIME + '---' + gpuService({ predictor: ['minReplicas: 1', 'maxReplicas: 3', 'scaleMetric: cpu', 'scaleTarget: 80'] }),
    nearMiss:
      RUNTIME +
      '---' +
      gpuService({
        annotations: ['serving.kserve.io/autoscalerClass: keda'],
        predictor: [
          'minReplicas: 1',
          'maxReplicas: 3',
          'autoScaling:',
          '  metrics:',
          '    - type: External',
          '      external:',
          '        metric:',
          '          backend: prometheus',
          '          serverAddress: https://thanos-querier.openshift-monitoring.svc.cluster.local:9092',
          '          query: sum(vllm:num_requests_waiting{namespace="ai",model_name="llm"})',
          '        target: {type: Value, value: "12"}',
        ],
      }),
  },
  // example: spec.containers: [{name: vllm, …}]
  'runtime-container-name': {
    fires: RUNTIME.replace('- name: kserve-container', '- name: vllm'),
    nearMiss: RUNTIME,
  },
  // example: the 23.2 GiB FP8 Mistral-Small-24B checkpoint on one L4 (22.04 GiB visible to CUDA)
  'gpu-memory-fit': {
    fires:
      RUNTIME +
      '---' +
      gpuService({ annotations: [profile(PROFILE.mistral24bFp8)], predictor: ['nodeSelector: {node.kubernetes.io/instance-type: g6.4xlarge}'] }),
    nearMiss:
      RUNTIME +
      '---' +
      gpuService({ annotations: [profile(PROFILE.mistral24bFp8)], predictor: ['nodeSelector: {node.kubernetes.io/instance-type: g6e.xlarge}'] }),
  },
  // example: --quantization=fp8 on an FP8-dynamic (compressed-tensors) checkpoint
  'quantization-conflict': {
    fires: RUNTIME + '---' + gpuService({ annotations: [profile(PROFILE.mistral24bFp8)], model: ['args: [--max-model-len=8192, --quantization=fp8]'] }),
    nearMiss: RUNTIME + '---' + gpuService({ annotations: [profile(PROFILE.mistral24bFp8)], model: ['args: [--max-model-len=8192]'] }),
  },
  // example: command: [vllm, serve] with args: ['--port=8080', '--tensor-parallel-size=2']
  'vllm-model-missing': {
    fires:
      RUNTIME.replace('args: [--port=8080, --model=/mnt/models]', 'command: [vllm, serve]\n      args: [--port=8080, --tensor-parallel-size=2]') +
      '---' +
      service(),
    nearMiss:
      RUNTIME.replace(
        'args: [--port=8080, --model=/mnt/models]',
        'command: [vllm, serve]\n      args: [--port=8080, --tensor-parallel-size=2, --model=/mnt/models]',
      ) +
      '---' +
      service(),
  },
  // example: metadata.name: 7b-model
  'inference-service-name': {
    fires: RUNTIME + '---' + service().replace('name: llm', 'name: 7b-model'),
    nearMiss: RUNTIME + '---' + service().replace('name: llm', 'name: model-7b'),
  },
  // example: storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
  'hf-revision-not-pinned': {
    fires: RUNTIME + '---' + service({ storageUri: 'hf://meta-llama/Llama-3.1-8B-Instruct' }),
    nearMiss: RUNTIME + '---' + service({ storageUri: 'hf://meta-llama/Llama-3.1-8B-Instruct:0e9e39f249a16976918f6564b8830bc894c89659' }),
  },
  // example: ephemeral-storage: 20Gi for a 44 GiB model
  'model-storage-too-small': {
    fires:
      RUNTIME +
      '---' +
      gpuService({ annotations: [profile(PROFILE.mistral24b)] }).replace('limits: {cpu: "16",', 'limits: {ephemeral-storage: 20Gi, cpu: "16",'),
    nearMiss:
      RUNTIME +
      '---' +
      gpuService({ annotations: [profile(PROFILE.mistral24b)] }).replace('limits: {cpu: "16",', 'limits: {ephemeral-storage: 60Gi, cpu: "16",'),
  },
};
