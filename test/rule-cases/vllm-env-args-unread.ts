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
