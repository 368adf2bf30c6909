import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

/** The messages of one rule on a tree, with the severity. */
const findings = (rule: string, files: Record<string, string>, platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') => {
  const dir = writeTree(files, 'did-you-mean-');
  const { manifests, folders, charts, leftOut } = readManifests([dir]);
  return runChecks(manifests, { platform, folders, charts, leftOut })
    .filter((f) => f.rule === rule)
    .map((f) => f.message);
};

const IMAGE = `quay.io/vllm/vllm@sha256:${'a'.repeat(64)}`;

const runtime = (name: string, ns = 'ai') => `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: ${name}, namespace: ${ns}}
spec:
  supportedModelFormats: [{name: vLLM}]
  containers:
    - name: kserve-container
      image: ${IMAGE}
      args: [--port=8080, --model=/mnt/models]
`;

const service = (runtimeName: string, ns = 'ai') => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: llm, namespace: ${ns}}
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: ${runtimeName}
      storageUri: pvc://weights/llm
`;

describe('runtime-not-found: a misspelt runtime name', () => {
  test('a near spelling of a runtime of the namespace is named with its file', () => {
    const [message] = findings('runtime-not-found', { 'serving/runtime.yaml': runtime('vllm-runtime'), 'serving/isvc.yaml': service('vllm-runtme') });
    expect(message).toMatch(
      /^spec\.predictor\.model\.runtime 'vllm-runtme': no ServingRuntime of that name in namespace 'ai' \(did you mean vllm-runtime \(.*serving\/runtime\.yaml(:1)?\)\?\)/,
    );
  });

  test('case and separators: a runtime written Vllm_Runtime', () => {
    expect(findings('runtime-not-found', { 'serving/runtime.yaml': runtime('vllm-runtime'), 'serving/isvc.yaml': service('Vllm_Runtime') })[0]).toMatch(
      /did you mean vllm-runtime \(/,
    );
  });

  test('two runtimes equally near, a far name, or a near name in another namespace: no suggestion', () => {
    const two = findings('runtime-not-found', {
      'serving/runtimes.yaml': `${runtime('vllm-runtime')}---\n${runtime('vllm-runtims')}`,
      'serving/isvc.yaml': service('vllm-runtim'),
    });
    expect(two).toHaveLength(1);
    expect(two[0]).not.toMatch(/did you mean/);
    const far = findings('runtime-not-found', { 'serving/runtime.yaml': runtime('vllm-runtime'), 'serving/isvc.yaml': service('granite-server') });
    expect(far).toHaveLength(1);
    expect(far[0]).not.toMatch(/did you mean/);
    const other = findings('runtime-not-found', {
      'serving/runtimes.yaml': `${runtime('tgis-runtime')}---\n${runtime('vllm-runtime', 'other')}`,
      'serving/isvc.yaml': service('vllm-runtme'),
    });
    expect(other).toHaveLength(1);
    expect(other[0]).not.toMatch(/did you mean/);
  });

  test("on upstream KServe a near spelling of KServe's own ClusterServingRuntime is named", () => {
    const [message] = findings(
      'runtime-not-found',
      { 'serving/runtime.yaml': runtime('tgis-runtime'), 'serving/isvc.yaml': service('kserve-vllmserve') },
      'kserve',
    );
    expect(message).toMatch(/did you mean kserve-vllmserver \(KServe's ClusterServingRuntimes\)\?/);
  });
});
