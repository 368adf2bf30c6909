import { treeRuleFound } from '../util';

// After gateway-api-inference-extension config/manifests/vllm/gpu-deployment.yaml (vLLM with --enable-lora and
// VLLM_ALLOW_RUNTIME_LORA_UPDATING=true, the lora-syncer as a native sidecar reading /config/configmap.yaml) and
// tools/dynamic-lora-sidecar/deployment.yaml; the trees are written here to show the same pattern.
const RULE = 'lora-syncer-loading-disabled';
const SYNCER_IMAGE = 'us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/lora-syncer:main';

interface Opts {
  readonly args?: string;
  readonly env?: string;
  readonly syncer?: string;
  readonly config?: string;
  readonly more?: string;
}

function tree(o: Opts = {}): Record<string, string> {
  const env = o.env ?? '            - {name: VLLM_ALLOW_RUNTIME_LORA_UPDATING, value: "true"}\n';
  const config =
    o.config ??
    'vLLMLoRAConfig:\n  port: 8000\n  defaultBaseModel: Qwen/Qwen3-8B\n  ensureExist:\n    models:\n      - {id: tickets, source: example-org/tickets-lora}\n      - {id: summaries, source: example-org/summaries-lora}\n';
  const syncer =
    o.syncer ??
    `        - name: lora-adapter-syncer\n          image: ${SYNCER_IMAGE}\n          restartPolicy: Always\n` +
      '          env: [{name: DYNAMIC_LORA_ROLLOUT_CONFIG, value: /config/configmap.yaml}]\n          volumeMounts: [{name: config-volume, mountPath: /config}]\n';
  return {
    'serving.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: qwen, namespace: llm}\nspec:\n  selector: {matchLabels: {app: qwen}}\n  template:\n' +
      '    metadata: {labels: {app: qwen}}\n    spec:\n      containers:\n        - name: vllm\n          image: vllm/vllm-openai:v0.11.0\n' +
      `          command: [python3, -m, vllm.entrypoints.openai.api_server]\n          args: [--model, Qwen/Qwen3-8B, --port, "8000"${o.args ?? ', --enable-lora, --max-loras, "2"'}]\n` +
      `          env:\n${env}${o.more ?? ''}      initContainers:\n${syncer}      volumes: [{name: config-volume, configMap: {name: qwen-adapters}}]\n` +
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: qwen-adapters, namespace: llm}\ndata:\n  configmap.yaml: |\n${config.replace(/^/gm, '    ')}\n`,
  };
}
const found = async (o: Opts) => (await treeRuleFound(RULE, 'lora-syncer-', tree(o), ['--platform', 'kserve'])).map((f) => [f.severity, f.object, f.message]);

test('vLLM without --enable-lora beside the syncer: an error naming both containers, the adapters, the refusal and the fix', async () => {
  expect(await found({ args: ', --max-loras, "2"' })).toEqual([
    [
      'error',
      'Deployment/llm/qwen',
      "init container 'lora-adapter-syncer' is the inference extension's LoRA syncer, which loads the adapters of its configuration (tickets, summaries, from ConfigMap 'qwen-adapters' key configmap.yaml) " +
        "into container 'vllm' at run time (POST http://localhost:8000/v1/load_lora_adapter), but container 'vllm' runs vLLM without --enable-lora " +
        '(vLLM refuses each load: "LoRA is not enabled. Use --enable-lora to enable LoRA."): every load fails, the adapters are never served and requests naming them get 404 ' +
        '("The model … does not exist"); start vLLM with --enable-lora (with --max-loras and --max-lora-rank that fit the adapters) and set VLLM_ALLOW_RUNTIME_LORA_UPDATING=true in its env',
    ],
  ]);
});

test('VLLM_ALLOW_RUNTIME_LORA_UPDATING unset, or set to a value vLLM reads as off: no load route (404)', async () => {
  const [unset] = await found({ env: '            - {name: VLLM_USE_V1, value: "1"}\n' });
  expect(unset[2]).toContain(
    "but container 'vllm' runs vLLM without VLLM_ALLOW_RUNTIME_LORA_UPDATING (vLLM registers no /v1/load_lora_adapter route and answers 404 Not Found)",
  );
  const [off] = await found({ env: '            - {name: VLLM_ALLOW_RUNTIME_LORA_UPDATING, value: "yes"}\n' });
  expect(off[2]).toContain('with VLLM_ALLOW_RUNTIME_LORA_UPDATING=yes, which vLLM reads as off (it takes 1 or true)');
  const [both] = await found({ args: '', env: '            - {name: VLLM_USE_V1, value: "1"}\n' });
  expect(both[2]).toContain(
    'runs vLLM without --enable-lora (vLLM refuses each load: "LoRA is not enabled. Use --enable-lora to enable LoRA.") and without VLLM_ALLOW_RUNTIME_LORA_UPDATING',
  );
});

test("the README's own build of the sidecar (sidecar.py with DYNAMIC_LORA_ROLLOUT_CONFIG), as a plain container of the pod", async () => {
  const syncer =
    '        - name: reconciler\n          image: registry.example.org/ml/lora-reconciler:1.2\n          command: [python, sidecar.py, --reconcile-trigger, "10"]\n' +
    '          env: [{name: DYNAMIC_LORA_ROLLOUT_CONFIG, value: /config/configmap.yaml}]\n          volumeMounts: [{name: config-volume, mountPath: /config}]\n';
  const files = tree({ args: '', syncer: '        - {name: wait, image: busybox:1.36, command: [sh, -c, "true"]}\n' });
  files['serving.yaml'] = files['serving.yaml'].replace('      initContainers:\n', `${syncer}      initContainers:\n`);
  const out = (await treeRuleFound(RULE, 'lora-syncer-', files, ['--platform', 'kserve'])).map((f) => f.message);
  expect(out).toEqual([expect.stringMatching(/^container 'reconciler' is the inference extension's LoRA syncer, .* into container 'vllm' at run time/)]);
});

test.each([
  ['vLLM with --enable-lora and the variable set to True', { env: '            - {name: VLLM_ALLOW_RUNTIME_LORA_UPDATING, value: "True"}\n' }],
  [
    'the variable from a Secret (valueFrom: not known)',
    { env: '            - {name: VLLM_ALLOW_RUNTIME_LORA_UPDATING, valueFrom: {secretKeyRef: {name: flags, key: lora}}}\n', args: ', --enable-lora' },
  ],
  [
    '--enable-lora given by a variable',
    { args: ', $(LORA_FLAGS)', more: '            - {name: LORA_FLAGS, valueFrom: {configMapKeyRef: {name: flags, key: lora}}}\n' },
  ],
  [
    'a configuration that loads into another host',
    { args: '', config: 'vLLMLoRAConfig:\n  host: qwen-main.llm.svc\n  ensureExist:\n    models: [{id: tickets, source: example-org/tickets-lora}]\n' },
  ],
  ['a configuration that lists no adapter to load', { args: '', config: 'vLLMLoRAConfig:\n  port: 8000\n' }],
  ['no syncer in the pod', { args: '', syncer: '        - {name: wait, image: busybox:1.36, command: [sh, -c, "true"]}\n' }],
])('silent: %s', async (_, o) => {
  expect(await found(o)).toEqual([]);
});
