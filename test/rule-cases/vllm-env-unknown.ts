import { podWorkload, ruleFindings } from '../util';

/** A VLLM_* variable no vLLM version reads is ignored: a warning naming the nearest variable vLLM reads, where one is close. */
describe('vllm-env-unknown', () => {
  const vllm = (env: { name: string; value: string }[], extra: object = {}) =>
    podWorkload('llm', 'ai', { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model=org/some-model'], env, ...extra }] });
  const found = (doc: object) => ruleFindings('vllm-env-unknown', [doc]);

  test('a name vLLM never read: a warning, with no near name', () => {
    expect(found(vllm([{ name: 'VLLM_PROMETHEUS_PORT', value: '8001' }]))).toEqual([
      expect.stringMatching(
        /^warning Deployment\/ai\/llm: container 'vllm' sets env VLLM_PROMETHEUS_PORT, a variable no vLLM release reads .*vLLM ignores it, and newer releases log "Unknown vLLM environment variable detected: VLLM_PROMETHEUS_PORT"; remove it/,
      ),
    ]);
  });

  test('a misspelt name: the nearest variable vLLM reads is named', () => {
    expect(found(vllm([{ name: 'VLLM_ATTENTON_BACKEND', value: 'FLASHINFER' }]))).toEqual([
      expect.stringMatching(/^warning .*sets env VLLM_ATTENTON_BACKEND, .*the nearest variable vLLM reads is VLLM_ATTENTION_BACKEND;/),
    ]);
  });

  test("Ray's LLM image runs vLLM's engine in its workers: judged", () => {
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: {
        headGroupSpec: { template: { spec: { containers: [{ name: 'head', image: 'rayproject/ray-llm:2.49.0-py311-cu128' }] } } },
        workerGroupSpecs: [
          {
            groupName: 'gpu',
            template: {
              spec: {
                containers: [{ name: 'worker', image: 'rayproject/ray-llm:2.49.0-py311-cu128', env: [{ name: 'VLLM_PROMETHEUS_ENABLED', value: 'true' }] }],
              },
            },
          },
        ],
      },
    };
    expect(found(ray)).toEqual([
      expect.stringMatching(/^warning RayCluster\/ai\/llm: spec\.workerGroupSpecs\[0\]\.template container 'worker' sets env VLLM_PROMETHEUS_ENABLED/),
    ]);
  });

  test.each([
    ['a variable of the newest main', [{ name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }]],
    ['a variable only older releases read', [{ name: 'VLLM_USE_V1', value: '0' }]],
    ['a variable a module reads straight from os.environ', [{ name: 'VLLM_PRECOMPILED_WHEEL_LOCATION', value: '/wheels/x.whl' }]],
    // vllm/platforms/cuda.py reads it (pinned memory on WSL2); vllm/envs.py lists it only from June 2026
    ['a variable vLLM added after the derived table', [{ name: 'VLLM_WSL2_ENABLE_PIN_MEMORY', value: '1' }]],
    ['a name of another prefix', [{ name: 'PROMETHEUS_PORT', value: '8001' }]],
  ])('near miss, %s: silent', (_, env) => {
    expect(found(vllm(env))).toEqual([]);
  });

  test('near miss, the command line reads the variable itself: silent', () => {
    const wrapped = vllm([{ name: 'VLLM_SERVED_NAME', value: 'chat' }], {
      command: ['sh', '-c'],
      args: ['exec vllm serve org/some-model --served-model-name "$VLLM_SERVED_NAME"'],
    });
    expect(found(wrapped)).toEqual([]);
  });

  test('near miss, a container that runs no vLLM: silent', () => {
    expect(
      found(
        podWorkload('side', 'ai', {
          containers: [{ name: 'exporter', image: 'busybox:1.36', command: ['sleep', '3600'], env: [{ name: 'VLLM_METRICS_TARGET', value: 'x' }] }],
        }),
      ),
    ).toEqual([]);
  });

  describe("a ServingRuntime's vLLM container, as KServe merges it with the predictor's model", () => {
    const runtime = (env: { name: string; value: string }[], kind = 'ServingRuntime') => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind,
      metadata: { name: 'vllm-rt', ...(kind === 'ServingRuntime' ? { namespace: 'ai' } : {}) },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.10.0', command: ['vllm', 'serve'], args: ['/mnt/models'], env }],
      },
    });
    const service = (name: string, env: { name: string; value: string }[] = [], extra: object = {}) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name, namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-rt', storageUri: 'pvc://w/m', env, ...extra } } },
    });
    const ENGINE = [{ name: 'VLLM_ENGINE_VERSION', value: '0' }];
    const found = (docs: object[]) => ruleFindings('vllm-env-unknown', docs);

    test("the runtime's variable: a warning on the service that runs it, naming the runtime", () => {
      expect(found([runtime(ENGINE), service('chat')])).toEqual([
        `warning InferenceService/ai/chat: container 'kserve-container' sets env VLLM_ENGINE_VERSION (ServingRuntime 'vllm-rt' env VLLM_ENGINE_VERSION), a variable no vLLM release reads (vllm/envs.py environment_variables): vLLM ignores it, and newer releases log "Unknown vLLM environment variable detected: VLLM_ENGINE_VERSION"; remove it, or set what vLLM reads`,
      ]);
    });

    test('a ClusterServingRuntime the service names (no namespaced runtime of the name): judged too', () => {
      expect(found([runtime(ENGINE, 'ClusterServingRuntime'), service('chat')])).toEqual([
        expect.stringMatching(/^warning InferenceService\/ai\/chat: container 'kserve-container' sets env VLLM_ENGINE_VERSION \(ServingRuntime 'vllm-rt' env/),
      ]);
    });

    test("one runtime's variable run by three services is one cause: said on the first by id, naming the others", () => {
      expect(found([runtime(ENGINE), service('coder'), service('chat'), service('summary')])).toEqual([
        expect.stringMatching(
          /^warning InferenceService\/ai\/chat: container 'kserve-container' sets env VLLM_ENGINE_VERSION \(ServingRuntime 'vllm-rt' env VLLM_ENGINE_VERSION, also run by 2 other objects: InferenceService\/ai\/coder, InferenceService\/ai\/summary\), a variable/,
        ),
      ]);
    });

    test("the predictor's own misspelt variable: a warning naming it as the service's, with the nearest name", () => {
      expect(found([runtime([]), service('chat', [{ name: 'VLLM_ATTENTON_BACKEND', value: 'FLASHINFER' }])])).toEqual([
        expect.stringMatching(
          /^warning InferenceService\/ai\/chat: container 'kserve-container' sets env VLLM_ATTENTON_BACKEND \(the InferenceService's env VLLM_ATTENTON_BACKEND\), .*the nearest variable vLLM reads is VLLM_ATTENTION_BACKEND;/,
        ),
      ]);
    });

    test('near miss: a variable vLLM reads, and an unknown name on a runtime that runs another server: silent', () => {
      expect(found([runtime([{ name: 'VLLM_USE_V1', value: '0' }]), service('chat')])).toEqual([]);
      const tgi = runtime(ENGINE);
      tgi.spec.containers[0] = {
        ...tgi.spec.containers[0],
        image: 'ghcr.io/huggingface/text-generation-inference:3.0.1',
        command: ['text-generation-launcher'],
      };
      tgi.spec.supportedModelFormats = [{ name: 'pytorch', autoSelect: true }];
      expect(found([tgi, service('chat', [], { modelFormat: { name: 'pytorch' } })])).toEqual([]);
    });
  });
});
