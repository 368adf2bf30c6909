import * as path from 'path';
import { readManifests } from '../../lib';
import { ruleFound, severityObjectMessages, writeTree } from '../util';

/**
 * vllm-env-args-unread on an InferenceService whose env of extra flags is written in a kserve-container beside
 * spec.predictor.model: that env belongs to the model's container, whose command line is the runtime's.
 */
const RUNTIME =
  'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata: {name: vllm-rt, namespace: ai}\nspec:\n' +
  '  supportedModelFormats: [{name: vLLM, autoSelect: true}]\n  containers:\n  - name: kserve-container\n    image: quay.io/vllm/vllm-openai:v0.10.1\n' +
  '    command: [python, -m, vllm.entrypoints.openai.api_server]\n    args: [--port=8080, --model=/mnt/models]\n';
const shellRuntime = RUNTIME.replace(
  '    command: [python, -m, vllm.entrypoints.openai.api_server]\n    args: [--port=8080, --model=/mnt/models]\n',
  '    command: [/bin/sh, -c]\n    args: ["exec python -m vllm.entrypoints.openai.api_server --port=8080 --model=/mnt/models $EXTRA_ARGS"]\n',
);
const service = (containerName = 'kserve-container') =>
  'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: chat, namespace: ai}\nspec:\n  predictor:\n    model:\n' +
  '      modelFormat: {name: vLLM}\n      runtime: vllm-rt\n      storageUri: hf://org/model\n      resources: {limits: {nvidia.com/gpu: "1"}}\n' +
  `    containers:\n    - name: ${containerName}\n      env:\n      - name: EXTRA_ARGS\n        value: --enable-auto-tool-choice --tool-call-parser hermes\n`;

function found(...docs: string[]): [string, string, string][] {
  const root = writeTree('env-args-', { 'tree/all.yaml': docs.join('---\n') });
  const read = readManifests([path.join(root, 'tree')]);
  return severityObjectMessages(ruleFound('vllm-env-args-unread', read.manifests, { platform: 'rhoai-3.0', alone: true, ...read }));
}

describe('vllm-env-args-unread beside the model', () => {
  test("EXTRA_ARGS in a kserve-container beside the model, an exec-form runtime: a warning naming the container's env", () => {
    const [f, ...rest] = found(RUNTIME, service());
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('InferenceService/ai/chat');
    expect(f[2]).toMatch(/^spec.predictor.containers\[kserve-container\] env EXTRA_ARGS holds vLLM flags .*never expands \$EXTRA_ARGS/);
  });

  test('near misses: a runtime whose shell expands it, a sidecar of another name', () => {
    expect(found(shellRuntime, service())).toEqual([]);
    expect(found(RUNTIME, service('proxy'))).toEqual([]);
  });
});

describe('vllm-env-args-unread: the runtime the service names is not in the tree', () => {
  const modelEnv = (runtime: string) =>
    'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: chat, namespace: ai}\nspec:\n  predictor:\n    model:\n' +
    `      modelFormat: {name: vLLM}\n      runtime: ${runtime}\n      storageUri: hf://org/model\n      resources: {limits: {nvidia.com/gpu: "1"}}\n` +
    '      env:\n      - name: EXTRA_ARGS\n        value: --enable-auto-tool-choice --tool-call-parser hermes\n';
  const judged = (platform: 'rhoai-3.0' | 'kserve' | undefined, ...docs: string[]) => {
    const root = writeTree('env-args-absent-', { 'tree/all.yaml': docs.join('---\n') });
    const read = readManifests([path.join(root, 'tree')]);
    return severityObjectMessages(
      ruleFound('vllm-env-args-unread', read.manifests, { ...(platform ? { platform } : { platformAssumed: true }), alone: true, ...read }),
    );
  };

  test('the platform given: judged against its own vLLM runtime template, which runs the server in exec form: a warning naming it', () => {
    expect(judged('rhoai-3.0', modelEnv('vllm-runtime'))).toEqual([
      [
        'warning',
        'InferenceService/ai/chat',
        "the InferenceService's env EXTRA_ARGS holds vLLM flags (--enable-auto-tool-choice --tool-call-parser hermes) but the serving container's command line (the runtime 'vllm-runtime' is not in the tree; " +
          "judged as OpenShift AI's vLLM runtime template (odh-model-controller config/runtimes/vllm-cuda-template.yaml: an exec-form `python -m vllm.entrypoints.openai.api_server`)) never expands $EXTRA_ARGS: " +
          'vLLM reads VLLM_* settings from its environment, not extra arguments, so it never sees them; move the flags to the args (or expand "$EXTRA_ARGS" in a shell command that starts vLLM)',
      ],
    ]);
    expect(judged('kserve', modelEnv('vllm-runtime'))[0][2]).toContain("judged as upstream KServe's vLLM runtime (config/runtimes/kserve-vllmserver.yaml");
  });

  test("the tree's one vLLM runtime, under another name: judged against it; a shell runtime that expands the variable: silent", () => {
    expect(judged(undefined, RUNTIME, modelEnv('vllm-runtime'))).toEqual([
      ['warning', 'InferenceService/ai/chat', expect.stringContaining("judged as the tree's one vLLM runtime, ServingRuntime/ai/vllm-rt")],
    ]);
    expect(judged(undefined, shellRuntime, modelEnv('vllm-runtime'))).toEqual([]);
  });

  test('no platform told and no vLLM runtime in the tree: a note, not a verdict', () => {
    expect(judged(undefined, modelEnv('vllm-runtime'))).toEqual([
      [
        'info',
        'InferenceService/ai/chat',
        expect.stringMatching(
          /^the InferenceService's env EXTRA_ARGS holds vLLM flags .*the runtime 'vllm-runtime' is not in the tree: vLLM sees them only if/,
        ),
      ],
    ]);
  });
});
