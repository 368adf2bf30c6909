import { templateWithoutActions } from '../../lib/check/model-service-base';
import { ruleFindings } from '../util';

/** A ModelService whose decode container `server` is merged into the base ConfigMap's container of that name. */
const modelService = (args: string[], configNamespace = 'serving') => [
  {
    apiVersion: 'llm-d.ai/v1alpha1',
    kind: 'ModelService',
    metadata: { name: 'chat', namespace: 'serving' },
    spec: { baseConfigMapRef: { name: 'chat-base' }, decode: { parallelism: { tensor: 4 }, containers: [{ name: 'server', args }] } },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'chat-base', namespace: configNamespace },
    data: {
      decodeDeployment: [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: server',
        '          image: vllm/vllm-openai:v0.10.1',
        '          command: ["vllm", "serve"]',
        '          args: ["--port", "{{ "app_port" | getPort }}"]',
        '          env:',
        '            {{- if .Debug }}',
        '            - name: VLLM_LOGGING_LEVEL',
        '              value: DEBUG',
        '            {{- end }}',
        '            - name: CUDA_VISIBLE_DEVICES',
        '              value: "0"',
        '          resources:',
        '            limits:',
        '              nvidia.com/gpu: 1',
      ].join('\n'),
    },
  },
];

describe("llm-d ModelService containers merged into their base ConfigMap's Deployments", () => {
  test('the template read once its actions are set aside: action lines dropped, values read as variables', () => {
    expect(templateWithoutActions('a:\n  {{- if .X }}\n  b: "{{ "p" | getPort }}"\n  {{- end }}\n')).toEqual({ a: { b: '${TEMPLATE_VALUE}' } });
    // an action writing YAML structure leaves no mapping: nothing is read
    expect(templateWithoutActions('{{ toYaml .Values }}')).toBeUndefined();
  });

  test("the ModelService's args run before the base's under its vllm serve: an unknown option is an error", () => {
    expect(ruleFindings('vllm-flag-unknown', modelService(['m/chat', '--max-model-length', '4096']))).toEqual([
      expect.stringMatching(
        /^error ModelService\/serving\/chat: --max-model-length \(spec\.decode container 'server' \(merged into ConfigMap 'chat-base' decodeDeployment\) args\) goes to vLLM 0\.10\.1/,
      ),
    ]);
    expect(ruleFindings('vllm-flag-unknown', modelService(['m/chat', '--max-model-len', '4096']))).toEqual([]);
  });

  test("the base's env and GPUs against the ModelService's tensor parallel size", () => {
    const docs = modelService(['m/chat', '--tensor-parallel-size', '4']);
    expect(ruleFindings('vllm-visible-devices-short', docs)).toEqual([
      expect.stringMatching(/^error ModelService\/serving\/chat: spec\.decode container 'server' \(merged .*CUDA_VISIBLE_DEVICES=0 .*world is 4/),
    ]);
    expect(ruleFindings('tensor-parallel-gpu-mismatch', docs)).toEqual([
      expect.stringMatching(/^error ModelService\/serving\/chat: .*needs 4 GPUs but the container is given 1/),
    ]);
  });

  test('a base ConfigMap of another namespace is not the one the controller reads: the program is unseen, nothing judged', () => {
    const docs = modelService(['m/chat', '--max-model-length', '4096', '--tensor-parallel-size', '4'], 'shared');
    expect(ruleFindings('vllm-flag-unknown', docs)).toEqual([]);
    expect(ruleFindings('tensor-parallel-gpu-mismatch', docs)).toEqual([]);
  });
});
