import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[], rule = 'llmkube-model-not-found') =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

const LLMKUBE = 'inference.llmkube.dev/v1alpha1';
const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'assistants' } };
const model = (name: string, apiVersion = LLMKUBE, ns = 'assistants'): Doc => ({
  apiVersion,
  kind: 'Model',
  metadata: { name, namespace: ns },
  spec: { source: 'https://models.acme.test/qwen.gguf', format: 'gguf' },
});
const service = (spec: Doc, apiVersion = LLMKUBE): Doc => ({
  apiVersion,
  kind: 'InferenceService',
  metadata: { name: 'helpdesk', namespace: 'assistants' },
  spec,
});

const EFFECT = "LLMKube's controller sets the InferenceService's phase Failed";
const FIX = "name an inference.llmkube.dev Model of the InferenceService's namespace, or add it there (the controller looks only in that namespace)";

describe('llmkube-model-not-found', () => {
  test('a misspelt modelRef beside the namespace Models: an error naming the one meant', () => {
    expect(found([model('qwen2-5-7b-instruct'), service({ modelRef: 'qwen25-7b-instruct' })])).toEqual([
      [
        'error',
        'InferenceService/assistants/helpdesk',
        "spec.modelRef names Model 'qwen25-7b-instruct', which the tree does not hold in namespace 'assistants' (the tree holds other Models in namespace 'assistants'; did you mean qwen2-5-7b-instruct?): " +
          `${EFFECT} ("Model not found") and makes no Deployment or Service for it; ${FIX}`,
      ],
    ]);
  });

  test('a draft model missing in a namespace the tree creates; a Model of another namespace does not count', () => {
    const spec = { modelRef: 'qwen', speculativeDecoding: { type: 'draft-simple', draftModelRef: 'qwen-draft' } };
    expect(found([namespace, model('qwen'), model('qwen-draft', LLMKUBE, 'other'), service(spec)])).toEqual([
      [
        'error',
        'InferenceService/assistants/helpdesk',
        "spec.speculativeDecoding.draftModelRef names Model 'qwen-draft', which the tree does not hold in namespace 'assistants' (the tree holds other Models in namespace 'assistants'): " +
          `${EFFECT} ("draft Model not found") and makes no Deployment or Service for it; ${FIX}`,
      ],
    ]);
  });

  test('no Model in the tree and a namespace it does not create: a warning', () => {
    expect(found([service({ modelRef: 'llama-3' })])).toEqual([
      [
        'warning',
        'InferenceService/assistants/helpdesk',
        "spec.modelRef names Model 'llama-3', which the tree does not hold in namespace 'assistants': unless something outside the tree makes it, " +
          `${EFFECT} ("Model not found") and makes no Deployment or Service for it; ${FIX}`,
      ],
    ]);
  });

  test("near misses: the Model there, a KServe InferenceService, a templated name; LLMKube's kinds are no unknown group's", () => {
    expect(found([namespace, model('qwen'), service({ modelRef: 'qwen' })])).toEqual([]);
    expect(found([namespace, service({ modelRef: 'qwen' }, 'serving.kserve.io/v1beta1')])).toEqual([]);
    expect(found([namespace, model('qwen'), service({ modelRef: '${MODEL_NAME}' })])).toEqual([]);
    expect(found([namespace, model('qwen'), service({ modelRef: 'qwen' })], 'kind-in-unknown-group')).toEqual([]);
  });
});
