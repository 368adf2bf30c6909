import { runChecks } from '../../lib';

const verdicts = (apiVersion: string, kind: string) =>
  runChecks([{ manifest: { apiVersion, kind, metadata: { name: 'm', namespace: 'serving' }, spec: {} } }], { platform: 'rhoai-3.0' })
    .filter((f) => f.rule === 'kind-in-unknown-group')
    .map((f) => [f.severity, f.limitation ?? false]);

describe("kind-in-unknown-group: a misspelt group fails the apply; another operator's group is not verifiable", () => {
  test.each([
    ['serving.kserv.io/v1beta1', 'InferenceService'],
    ['serving.kserve.com/v1alpha1', 'LLMInferenceService'],
    ['kserve.io/v1alpha1', 'ServingRuntime'],
    ['kueue.k8s.io/v1beta1', 'LocalQueue'],
    // KFServing's group, KServe's before its rename
    ['serving.kubeflow.org/v1beta1', 'InferenceService'],
  ])('%s %s: a spelling of the serving group, an error', (apiVersion, kind) => {
    expect(verdicts(apiVersion, kind)).toEqual([['error', false]]);
  });

  test.each([
    // OME's operator serves its own ClusterServingRuntime and InferenceService (sgl-project/ome config/crd)
    ['ome.io/v1beta1', 'ClusterServingRuntime'],
    ['ome.io/v1beta1', 'InferenceService'],
    ['inference.llm-d.ai/v1alpha1', 'LLMInferenceService'],
  ])("%s %s: another project's group, an info that the CRD is not in the tree", (apiVersion, kind) => {
    expect(verdicts(apiVersion, kind)).toEqual([['info', true]]);
  });

  test('the info says what is assumed and what to write if the KServe kind was meant', () => {
    const [f] = runChecks([{ manifest: { apiVersion: 'ome.io/v1beta1', kind: 'InferenceService', metadata: { name: 'm', namespace: 's' }, spec: {} } }], {
      platform: 'rhoai-3.0',
    }).filter((x) => x.rule === 'kind-in-unknown-group');
    expect(f.message).toMatch(
      /not verifiable, the CRD is not in the tree; ome\.io is no spelling of serving\.kserve\.io, so it is taken for the API of an operator installed outside the tree/,
    );
    expect(f.message).toMatch(/write apiVersion serving\.kserve\.io\/v1beta1\)$/);
  });
});
