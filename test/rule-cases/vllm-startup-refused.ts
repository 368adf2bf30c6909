import { runChecks } from '../../lib';
import { ModelProfile } from '../../lib/planning/model-profile';

/**
 * vllm-startup-refused: what vLLM refuses before it loads a weight, judged wherever the model is known, on CPUs as on
 * GPUs and with no node shape (vllm/config/model.py _get_and_verify_max_len for the length).
 */

/** A sentence-transformers MiniLM-like embedding model: 512 positions in config.json, 256 in its sentence-transformers config. */
const MINILM = ModelProfile.fromConfig(
  {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: 384,
    intermediate_size: 1536,
    num_attention_heads: 12,
    num_hidden_layers: 6,
    vocab_size: 30522,
    max_position_embeddings: 512,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
  },
  { name: 'minilm', sentenceConfig: { file: 'sentence_bert_config.json', json: { max_seq_length: 256 } } },
);
const URI = 'hf://sentence-transformers/all-MiniLM-L6-v2';

const runtime = (env: unknown[] = [], image = 'quay.io/vllm/vllm-cpu:v0.11.0') => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm-cpu', namespace: 'rag' },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [
      {
        name: 'kserve-container',
        image,
        command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
        args: ['--port=8080', '--model=/mnt/models'],
        env: [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '2' }, ...env],
      },
    ],
  },
});
const service = (args: string[], gpus = 0) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'embed', namespace: 'rag' },
  spec: {
    predictor: {
      model: {
        modelFormat: { name: 'vLLM' },
        runtime: 'vllm-cpu',
        storageUri: URI,
        args,
        resources: gpus ? { limits: { 'nvidia.com/gpu': String(gpus) } } : { requests: { cpu: '4', memory: '4Gi' } },
      },
    },
  },
});
const judged = (manifests: unknown[], rules = ['vllm-startup-refused']) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.4', rules, models: new Map([[URI, MINILM]]) },
  ).map((f) => [f.rule, f.severity, f.message]);

describe('vllm-startup-refused', () => {
  test('an embedding model served on CPU with --max-model-len above its sentence-transformers length: an error (no finding before: the check ran for GPU services only)', () => {
    expect(judged([runtime(), service(['--runner=pooling', '--max-model-len=512'])])).toEqual([
      [
        'vllm-startup-refused',
        'error',
        expect.stringMatching(
          /^refused at start-up, on any hardware: max-model-len 512 exceeds the model's sentence_bert_config.json max_seq_length 256 \("User-specified max_model_len \(512\) is greater than the derived max_model_len"\): lower it to 256/,
        ),
      ],
    ]);
    // the runner picked by the architecture (BertModel: pooling) and the human-readable form vLLM parses: the same
    expect(judged([runtime(), service(['--max-model-len', '1k'])]).map((f) => f[1])).toEqual(['error']);
  });

  test('near misses: the derived length, no --max-model-len, a length from a variable, VLLM_ALLOW_LONG_MAX_MODEL_LEN=1', () => {
    expect(judged([runtime(), service(['--max-model-len=256'])])).toEqual([]);
    expect(judged([runtime(), service([])])).toEqual([]);
    expect(judged([runtime(), service(['--max-model-len=$(MAX_LEN)'])])).toEqual([]);
    expect(judged([runtime([{ name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', value: '1' }]), service(['--max-model-len=512'])])).toEqual([]);
    expect(judged([runtime([{ name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', value: '0' }]), service(['--max-model-len=512'])]).map((f) => f[1])).toEqual(['error']);
  });

  test('VLLM_ALLOW_LONG_MAX_MODEL_LEN from a value not written (a Secret): a warning that says so', () => {
    const fromSecret = { name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', valueFrom: { secretKeyRef: { name: 'flags', key: 'long' } } };
    expect(judged([runtime([fromSecret]), service(['--max-model-len=512'])])).toEqual([
      [
        'vllm-startup-refused',
        'warning',
        expect.stringMatching(/max_seq_length 256 .*\(the env sets VLLM_ALLOW_LONG_MAX_MODEL_LEN from a value not written here/),
      ],
    ]);
  });

  test('on GPUs with no node shape: the refusal is this rule’s, and gpu-memory-fit does not judge the fit until it is mended', () => {
    const gpuRuntime = runtime([], 'quay.io/vllm/vllm-openai:v0.11.0');
    const found = judged([gpuRuntime, service(['--max-model-len=512'], 1)], ['vllm-startup-refused', 'gpu-memory-fit']);
    expect(found).toEqual([
      ['vllm-startup-refused', 'error', expect.stringMatching(/max-model-len 512 exceeds the model's sentence_bert_config.json max_seq_length 256/)],
    ]);
    // mended: the fit is judged again (a note: no node shape)
    expect(judged([gpuRuntime, service(['--max-model-len=256'], 1)], ['vllm-startup-refused', 'gpu-memory-fit']).map((f) => [f[0], f[1]])).toEqual([
      ['gpu-memory-fit', 'info'],
    ]);
  });

  describe('the bundled catalog finds an embedding model by the Hugging Face id the service names', () => {
    const byCatalog = (manifests: unknown[]) =>
      runChecks(
        manifests.map((manifest) => ({ manifest })),
        { platform: 'rhoai-3.4', rules: ['vllm-startup-refused'] },
      ).map((f) => [f.rule, f.severity, f.object, f.message]);

    test('all-MiniLM-L6-v2 at --max-model-len=512: an error naming the 256 of its sentence_bert_config.json (missed before: the catalog held chat models only)', () => {
      expect(byCatalog([runtime(), service(['--runner=pooling', '--max-model-len=512'])])).toEqual([
        [
          'vllm-startup-refused',
          'error',
          'InferenceService/rag/embed',
          expect.stringMatching(/max-model-len 512 exceeds the model's sentence_bert_config.json max_seq_length 256 .*lower it to 256/),
        ],
      ]);
    });

    test('near misses: at 256, with VLLM_ALLOW_LONG_MAX_MODEL_LEN=1, and a bge model at its 512', () => {
      expect(byCatalog([runtime(), service(['--max-model-len=256'])])).toEqual([]);
      expect(byCatalog([runtime([{ name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', value: '1' }]), service(['--max-model-len=512'])])).toEqual([]);
      const bge = service(['--max-model-len=512']);
      bge.spec.predictor.model.storageUri = 'hf://BAAI/bge-base-en-v1.5';
      expect(byCatalog([runtime(), bge])).toEqual([]);
      bge.spec.predictor.model.args = ['--max-model-len=1024'];
      expect(byCatalog([runtime(), bge]).map((f) => f[3])).toEqual([
        expect.stringMatching(/max-model-len 1024 exceeds the model's sentence_bert_config.json max_seq_length 512/),
      ]);
    });

    test("KServe's Hugging Face server on its vLLM backend: --model_id names the model, --max_model_len the length", () => {
      const hfRuntime = {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'ServingRuntime',
        metadata: { name: 'kserve-huggingfaceserver', namespace: 'rag' },
        spec: {
          supportedModelFormats: [{ name: 'huggingface', autoSelect: true }],
          containers: [{ name: 'kserve-container', image: 'kserve/huggingfaceserver:v0.15.2', args: ['--model_name={{.Name}}'] }],
        },
      };
      const hf = (args: string[]) => ({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'embed', namespace: 'rag' },
        spec: {
          predictor: {
            model: {
              modelFormat: { name: 'huggingface' },
              runtime: 'kserve-huggingfaceserver',
              args,
              resources: { limits: { 'nvidia.com/gpu': '1' } },
            },
          },
        },
      });
      const fires = byCatalog([hfRuntime, hf(['--backend=vllm', '--model_id=sentence-transformers/all-MiniLM-L6-v2', '--max_model_len=512'])]);
      expect(fires).toEqual([
        ['vllm-startup-refused', 'error', 'InferenceService/rag/embed', expect.stringMatching(/max-model-len 512 exceeds .* max_seq_length 256/)],
      ]);
      expect(byCatalog([hfRuntime, hf(['--backend=vllm', '--model_id=sentence-transformers/all-MiniLM-L6-v2', '--max_model_len=256'])])).toEqual([]);
    });
  });

  test('a Deployment that starts vLLM on a catalogued model: the same refusal, named by its container; the derived length, an unknown model and the override are not', () => {
    const deployment = (args: string[], env: unknown[] = [], model = 'sentence-transformers/all-MiniLM-L6-v2') => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'embedder', namespace: 'rag' },
      spec: {
        selector: { matchLabels: { app: 'embedder' } },
        template: {
          metadata: { labels: { app: 'embedder' } },
          spec: { containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.11.0', command: ['vllm', 'serve', model], args, env }] },
        },
      },
    });
    const found = (m: unknown) =>
      runChecks([{ manifest: m }], { platform: 'rhoai-3.4', rules: ['vllm-startup-refused'] }).map((f) => [f.rule, f.severity, f.object, f.message]);
    expect(found(deployment(['--max-model-len', '512']))).toEqual([
      [
        'vllm-startup-refused',
        'error',
        'Deployment/rag/embedder',
        expect.stringMatching(
          /^container 'server': sentence-transformers\/all-MiniLM-L6-v2 \(bundled profile all-minilm-l6-v2\): refused at start-up, on any hardware: max-model-len 512 exceeds the model's sentence_bert_config.json max_seq_length 256/,
        ),
      ],
    ]);
    expect(found(deployment(['--max-model-len', '256']))).toEqual([]);
    expect(found(deployment(['--max-model-len', '512'], [], 'example-org/private-embedder'))).toEqual([]);
    expect(found(deployment(['--max-model-len', '512'], [{ name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', value: '1' }]))).toEqual([]);
  });

  test('a service whose model is unknown, or that runs another server, is not judged', () => {
    const uncatalogued = service(['--max-model-len=512']);
    uncatalogued.spec.predictor.model.storageUri = 'hf://example-org/private-embedder';
    const unknown = runChecks([{ manifest: runtime() }, { manifest: uncatalogued }], {
      platform: 'rhoai-3.4',
      rules: ['vllm-startup-refused'],
    });
    expect(unknown).toEqual([]);
    const tei = {
      ...runtime(),
      spec: { ...runtime().spec, containers: [{ name: 'kserve-container', image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5' }] },
    };
    const other = {
      ...service(['--max-model-len=512']),
      spec: { predictor: { model: { modelFormat: { name: 'tei' }, runtime: 'vllm-cpu', storageUri: URI } } },
    };
    expect(judged([tei, other])).toEqual([]);
  });
});
