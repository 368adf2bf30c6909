import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/** A vLLM Deployment and the Service `qwen-api` before it, the server started with the arguments given. */
const server = (args: string[]) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: qwen, namespace: serving}',
    'spec:',
    '  selector: {matchLabels: {app: qwen}}',
    '  template:',
    '    metadata: {labels: {app: qwen}}',
    '    spec:',
    '      containers:',
    `        - {name: vllm, image: "vllm/vllm-openai:v0.10.1.1", args: ${JSON.stringify(args)}}`,
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: qwen-api, namespace: serving}',
    'spec: {selector: {app: qwen}, ports: [{port: 8000}]}',
    '',
  ].join('\n');

const SERVED = ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--served-model-name', 'qwen'];

/** A Job of namespace serving that runs the script given with sh -c. */
const job = (script: string, extra = '') =>
  [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata: {name: smoke, namespace: serving}',
    'spec:',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    `        - {name: ask, image: "curlimages/curl:8.10.1", command: [sh, -c, ${JSON.stringify(script)}]${extra}}`,
    '',
  ].join('\n');

/** The request-model-not-served findings of a tree, as [severity, object, message head]. */
function judged(files: Record<string, string>): string[][] {
  const root = writeTree('request-model.', files);
  const { manifests, errors: _errors, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
  return runChecks(manifests, { platform: 'kserve', ...delivery })
    .filter((f) => f.rule === 'request-model-not-served')
    .map((f) => [f.severity, f.object, f.message.split(', so the')[0].replace(root, '<root>')]);
}

const CURL = (model: string, host = 'qwen-api') =>
  `curl -sf http://${host}:8000/v1/chat/completions -H 'Content-Type: application/json' -d '{"model": "${model}", "messages": [{"role": "user", "content": "hi"}]}'`;

describe('request-model-not-served', () => {
  test("a Job's curl asking for the hub id of a server started with --served-model-name: an error naming the server and its names", () => {
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': job(CURL('Qwen/Qwen2.5-7B-Instruct')) })).toEqual([
      [
        'error',
        'Job/serving/smoke',
        "container 'ask' command (line 1) sends a request for model 'Qwen/Qwen2.5-7B-Instruct' to qwen-api, which reaches Deployment/serving/qwen (Service/serving/qwen-api selects it); it serves 'qwen'",
      ],
    ]);
  });

  test('near miss: the served name, the model as given where no --served-model-name is set, a LoRA adapter', () => {
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': job(CURL('qwen')) })).toEqual([]);
    expect(judged({ 'k8s/server.yaml': server(['--model', 'Qwen/Qwen2.5-7B-Instruct']), 'k8s/job.yaml': job(CURL('Qwen/Qwen2.5-7B-Instruct')) })).toEqual([]);
    const lora = [...SERVED, '--enable-lora', '--lora-modules', 'support=/adapters/support'];
    expect(judged({ 'k8s/server.yaml': server(lora), 'k8s/job.yaml': job(CURL('support')) })).toEqual([]);
  });

  test('not judged: names the tree does not tell, a model from a variable, a host the tree does not serve, several hosts in one request', () => {
    const unknown = ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--served-model-name', '$(MODEL_NAME)'];
    expect(judged({ 'k8s/server.yaml': server(unknown), 'k8s/job.yaml': job(CURL('qwen-chat')) })).toEqual([]);
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': job(CURL('$MODEL')) })).toEqual([]);
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': job(CURL('qwen-chat', 'api.example.com')) })).toEqual([]);
    const two = `${CURL('qwen-chat')}\ncurl -sf http://other-api:8000/v1/models`;
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': job(two) })).toEqual([]);
  });

  test("an OpenAI client's model= in a script a ConfigMap holds for the Job: an error", () => {
    const script = [
      'from openai import OpenAI',
      'client = OpenAI(base_url="http://qwen-api.serving.svc.cluster.local:8000/v1", api_key="none")',
      'print(client.chat.completions.create(model="qwen2.5", messages=[{"role": "user", "content": "hi"}]))',
    ].join('\n');
    const config = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: smoke-script, namespace: serving}\ndata:\n  ask.py: ${JSON.stringify(script)}\n`;
    const withVolume = job('python /scripts/ask.py', ', volumeMounts: [{name: s, mountPath: /scripts}]').replace(
      '      restartPolicy: Never',
      '      restartPolicy: Never\n      volumes: [{name: s, configMap: {name: smoke-script}}]',
    );
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': withVolume, 'k8s/config.yaml': config })).toEqual([
      [
        'error',
        'Job/serving/smoke',
        "ConfigMap smoke-script key ask.py (line 3) sends a request for model 'qwen2.5' to qwen-api.serving.svc.cluster.local, which reaches Deployment/serving/qwen (Service/serving/qwen-api selects it); it serves 'qwen'",
      ],
    ]);
  });

  test('a benchmark client given --model: an error; given --served-model-name, not read', () => {
    const bench = 'vllm bench serve --backend openai --base-url http://qwen-api:8000 --model Qwen/Qwen2.5-7B-Instruct --num-prompts 10';
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': job(bench) }).map((f) => f[0])).toEqual(['error']);
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/job.yaml': job(`${bench} --served-model-name qwen`) })).toEqual([]);
  });

  test("a README's request: a warning on the server, naming the file and line", () => {
    const readme = ['# Qwen', '', '```bash', CURL('Qwen/Qwen2.5-7B-Instruct', 'qwen-api.serving.svc'), '```', ''].join('\n');
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'README.md': readme })).toEqual([
      [
        'warning',
        'Deployment/serving/qwen',
        "<root>/README.md:4 sends a request for model 'Qwen/Qwen2.5-7B-Instruct' to qwen-api.serving.svc, which reaches this Deployment (Service/serving/qwen-api selects it); it serves 'qwen'",
      ],
    ]);
    // a request to localhost (after a port-forward) names no server of the tree
    expect(judged({ 'k8s/server.yaml': server(SERVED), 'README.md': readme.replace('qwen-api.serving.svc', 'localhost') })).toEqual([]);
  });

  test("a KServe service whose vLLM runtime passes --served-model-name={{.Name}} answers to the service's name", () => {
    const runtime = [
      'apiVersion: serving.kserve.io/v1alpha1',
      'kind: ServingRuntime',
      'metadata: {name: vllm-runtime, namespace: serving}',
      'spec:',
      '  supportedModelFormats: [{name: vLLM, autoSelect: true}]',
      '  containers:',
      '    - name: kserve-container',
      '      image: vllm/vllm-openai:v0.10.1.1',
      '      command: [python, -m, vllm.entrypoints.openai.api_server]',
      '      args: [--port=8080, --model=/mnt/models, "--served-model-name={{.Name}}"]',
      '---',
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata: {name: granite, namespace: serving}',
      'spec:',
      '  predictor:',
      '    model: {modelFormat: {name: vLLM}, runtime: vllm-runtime, storageUri: "hf://ibm-granite/granite-3.3-8b-instruct"}',
      '',
    ].join('\n');
    const ask = (model: string) => job(CURL(model, 'granite-predictor').replace(':8000', ''));
    expect(judged({ 'k8s/serving.yaml': runtime, 'k8s/job.yaml': ask('ibm-granite/granite-3.3-8b-instruct') })).toEqual([
      [
        'error',
        'Job/serving/smoke',
        "container 'ask' command (line 1) sends a request for model 'ibm-granite/granite-3.3-8b-instruct' to granite-predictor, which reaches InferenceService/serving/granite (a Service KServe makes for it); it serves 'granite'",
      ],
    ]);
    expect(judged({ 'k8s/serving.yaml': runtime, 'k8s/job.yaml': ask('granite') })).toEqual([]);
  });

  describe('a LiteLLM proxy config', () => {
    const proxy = (model: string, base = 'http://qwen-api.serving.svc.cluster.local:8000/v1') =>
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: chat-proxy, namespace: serving}',
        'data:',
        '  config.yaml: |',
        '    model_list:',
        '      - model_name: qwen-chat',
        '        litellm_params:',
        `          model: ${model}`,
        `          api_base: ${base}`,
        '',
      ].join('\n');

    test('an openai/<hub id> model sent to a server that serves only its served name: an error naming the key, both names and the fix', () => {
      const files = { 'k8s/server.yaml': server(SERVED), 'k8s/proxy.yaml': proxy('openai/Qwen/Qwen2.5-7B-Instruct') };
      const root = writeTree('request-model.', files);
      const { manifests, errors: _e, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = readManifests([root]);
      const found = runChecks(manifests, { platform: 'kserve', ...delivery }).filter((f) => f.rule === 'request-model-not-served');
      expect(found.map((f) => [f.severity, f.object, f.message])).toEqual([
        [
          'error',
          'ConfigMap/serving/chat-proxy',
          "data.config.yaml model_list[0].litellm_params.model 'openai/Qwen/Qwen2.5-7B-Instruct' makes the LiteLLM proxy ask qwen-api.serving.svc.cluster.local for model 'Qwen/Qwen2.5-7B-Instruct', which reaches Deployment/serving/qwen (Service/serving/qwen-api selects it); it serves 'qwen', " +
            "so the requests the proxy routes to this deployment fail: vLLM answers 404 (\"The model `Qwen/Qwen2.5-7B-Instruct` does not exist.\"); write the provider prefix and one of the served names (openai/qwen), or add 'Qwen/Qwen2.5-7B-Instruct' to the server's --served-model-name",
        ],
      ]);
    });

    test('a kustomize configMapGenerator file: judged as the ConfigMap it makes', () => {
      const config = proxy('hosted_vllm/Qwen/Qwen2.5-7B-Instruct', 'http://qwen-api:8000/v1').split('    model_list:')[1];
      const files = {
        'k8s/server.yaml': server(SERVED),
        'k8s/config.yaml': `model_list:${config.replace(/^ {4}/gm, '')}`,
        'k8s/kustomization.yaml': 'resources: [server.yaml]\nconfigMapGenerator:\n  - {name: chat-proxy, namespace: serving, files: [config.yaml]}\n',
      };
      expect(judged(files)).toEqual([
        [
          'error',
          expect.stringMatching(/^ConfigMap\/serving\/chat-proxy-/),
          "data.config.yaml model_list[0].litellm_params.model 'hosted_vllm/Qwen/Qwen2.5-7B-Instruct' makes the LiteLLM proxy ask qwen-api for model 'Qwen/Qwen2.5-7B-Instruct', which reaches Deployment/serving/qwen (Service/serving/qwen-api selects it); it serves 'qwen'",
        ],
      ]);
    });

    test('near misses: the served name; one of several served names; an api_base no Service of the tree answers; a model with no OpenAI-compatible provider prefix', () => {
      expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/proxy.yaml': proxy('openai/qwen') })).toEqual([]);
      const several = ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--served-model-name', 'qwen', 'qwen-7b'];
      expect(judged({ 'k8s/server.yaml': server(several), 'k8s/proxy.yaml': proxy('openai/qwen-7b') })).toEqual([]);
      expect(
        judged({ 'k8s/server.yaml': server(SERVED), 'k8s/proxy.yaml': proxy('openai/Qwen/Qwen2.5-7B-Instruct', 'http://qwen-elsewhere:8000/v1') }),
      ).toEqual([]);
      expect(judged({ 'k8s/server.yaml': server(SERVED), 'k8s/proxy.yaml': proxy('Qwen/Qwen2.5-7B-Instruct') })).toEqual([]);
    });
  });
});
