import { runChecks } from '../../lib';

const RULE = 'llm-model-name-not-served';
type Doc = Record<string, any>;

/** An LLMInferenceService `nemo-mini` whose main container has the args given; `model` is its spec.model.name (none: unset). */
const service = (args: string[], model?: string, command?: string[]): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'LLMInferenceService',
  metadata: { name: 'nemo-mini', namespace: 'ai' },
  spec: {
    model: { uri: 'hf://example-org/nemo-mini-instruct', ...(model ? { name: model } : {}) },
    template: { containers: [{ name: 'main', args, ...(command ? { command } : {}), resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
  },
});
const found = (doc: Doc) => runChecks([{ manifest: doc }], { platform: 'rhoai-3.0', rules: [RULE] }).map((f) => `${f.severity} ${f.object}: ${f.message}`);

describe('llm-model-name-not-served: the served name KServe renders against spec.model.name', () => {
  test('--served-model-name={{.Name}} with another spec.model.name: an error naming both names, the 404 and the fix', () => {
    expect(found(service(['--served-model-name={{.Name}}'], 'nemo-mini-instruct'))).toEqual([
      "error LLMInferenceService/ai/nemo-mini: container 'main' gives --served-model-name={{.Name}}, which KServe renders so that vLLM serves 'nemo-mini', but spec.model.name is 'nemo-mini-instruct': " +
        "clients, the gateway's model routing and the MaaS model list name the model 'nemo-mini-instruct', and vLLM answers their requests 404 (\"The model `nemo-mini-instruct` does not exist.\"); " +
        "write --served-model-name={{ .Spec.Model.Name }}, or drop the option so the preset's serves spec.model.name",
    ]);
  });

  test('spaced actions, the ObjectMeta form and a literal name are read too; the last occurrence counts', () => {
    expect(found(service(['--served-model-name', '{{ .ObjectMeta.Name }}'], 'nemo-mini-instruct'))).toEqual([
      expect.stringContaining("vLLM serves 'nemo-mini'"),
    ]);
    expect(found(service(['--served-model-name=chat'], 'nemo-mini-instruct'))).toEqual([
      expect.stringContaining("vLLM serves 'chat', but spec.model.name is 'nemo-mini-instruct'"),
    ]);
    expect(found(service(['--served-model-name={{ .Spec.Model.Name }}', '--served-model-name=chat'], 'nemo-mini-instruct'))).toHaveLength(1);
    // spec.model.name unset: the service's name is the model's
    expect(found(service(['--served-model-name=chat']))).toEqual([expect.stringContaining("spec.model.name is 'nemo-mini' (the service's name, unset)")]);
  });

  test('in a script of its own command: the words of the script are read', () => {
    const script = ['/bin/sh', '-c', 'exec vllm serve /mnt/models --served-model-name {{.Name}} --port 8000'];
    expect(found(service([], 'nemo-mini-instruct', script))).toEqual([expect.stringContaining('gives --served-model-name {{.Name}}, which KServe renders')]);
  });

  test('near misses: the model name rendered, a list holding it, the names equal, no option, another action or a variable', () => {
    expect(found(service(['--served-model-name={{ .Spec.Model.Name }}'], 'nemo-mini-instruct'))).toEqual([]);
    expect(found(service(['--served-model-name', '{{.Name}}', 'nemo-mini-instruct'], 'nemo-mini-instruct'))).toEqual([]);
    expect(found(service(['--served-model-name={{.Name}}']))).toEqual([]);
    expect(found(service(['--max-model-len=8192'], 'nemo-mini-instruct'))).toEqual([]);
    expect(found(service(['--served-model-name={{ .Labels.team }}'], 'nemo-mini-instruct'))).toEqual([]);
    expect(found(service(['--served-model-name=$(MODEL_NAME)'], 'nemo-mini-instruct'))).toEqual([]);
  });
});
