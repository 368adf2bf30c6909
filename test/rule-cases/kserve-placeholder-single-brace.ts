import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('kserve-placeholder-single-brace', docs);
const runtime = (args: string[], extra: Doc = {}, kind = 'ServingRuntime'): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind,
  metadata: { name: 'rt', ...(kind === 'ServingRuntime' ? { namespace: 'ml' } : {}) },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.11.2', args, ...extra }],
  },
});
const service = (model: Doc = {}, extra: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'helpdesk', namespace: 'ml' },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'rt', storageUri: 'pvc://w/m', ...model } }, ...extra },
});

describe('kserve-placeholder-single-brace', () => {
  test('--served-model-name={.Name} in a runtime: an error saying the server takes the literal as the model name, with the fix', () => {
    expect(found([runtime(['--model=/mnt/models', '--served-model-name={.Name}']), service()])).toEqual([
      "error ServingRuntime/ml/rt: container 'kserve-container' command line holds '--served-model-name={.Name}': '{.Name}' has one brace each side, and KServe renders only Go template actions ({{ … }}) with the service's metadata, so it reaches the container as written: the server takes '{.Name}' as the model's name, so a client that names the service's model is told it does not exist (404); write {{.Name}}",
    ]);
  });

  test("lower case and spaces inside one brace, a label, an env value, a ClusterServingRuntime, and the service's own model args", () => {
    expect(found([runtime(['--x={ .namespace }'], { env: [{ name: 'TEAM', value: 'team-{.Labels.team}' }] }, 'ClusterServingRuntime')])).toEqual([
      "error ClusterServingRuntime/rt: container 'kserve-container' command line holds '--x={ .namespace }': '{ .namespace }' has one brace each side, and KServe renders only Go template actions ({{ … }}) with the service's metadata, so it reaches the container as written; write {{.Namespace}}",
      "error ClusterServingRuntime/rt: container 'kserve-container' env TEAM holds 'team-{.Labels.team}': '{.Labels.team}' has one brace each side, and KServe renders only Go template actions ({{ … }}) with the service's metadata, so it reaches the container as written; write {{.Labels.team}}",
    ]);
    expect(found([runtime([]), service({ args: ['--served-model-name={.Name}'] })])).toEqual([
      expect.stringMatching(
        /^error InferenceService\/ml\/helpdesk: container 'kserve-container' command line holds '--served-model-name=\{\.Name\}'.*404\); write \{\{\.Name\}\}$/,
      ),
    ]);
  });

  test('near misses: two braces, a JSON value, a shell variable, a field ObjectMeta lacks, a container KServe does not render, a Deployment', () => {
    expect(found([runtime(['--served-model-name={{.Name}}', '--hf-overrides={"name": "x"}', '--dir=${HOME}', '--y={.Model}']), service()])).toEqual([]);
    const sidecar = runtime(['--served-model-name={{.Name}}']);
    sidecar.spec.containers.push({ name: 'proxy', image: 'quay.io/acme/proxy:1', args: ['--upstream={.Name}'] });
    expect(found([sidecar])).toEqual([]);
    const custom = service({}, {});
    custom.spec.predictor = { containers: [{ name: 'kserve-container', image: 'quay.io/acme/server:1', args: ['--name={.Name}'] }] };
    expect(found([custom])).toEqual([]);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ml' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'kserve-container', image: 'i:1', args: ['{.Name}'] }] } },
      },
    };
    expect(found([deployment])).toEqual([]);
  });
});
