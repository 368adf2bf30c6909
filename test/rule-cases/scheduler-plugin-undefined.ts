import { runChecks } from '../../lib';

/** An LLMInferenceService whose endpoint picker instantiates `plugins` and whose default profile refers to `refs`. */
const service = (plugins: string[], refs: string[]) => ({
  apiVersion: 'serving.kserve.io/v1alpha2',
  kind: 'LLMInferenceService',
  metadata: { name: 'qwen', namespace: 'llm' },
  spec: {
    model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct' },
    router: {
      scheduler: {
        config: {
          inline: {
            apiVersion: 'inference.networking.x-k8s.io/v1alpha1',
            kind: 'EndpointPickerConfig',
            plugins: plugins.map((type) => ({ type })),
            schedulingProfiles: [{ name: 'default', plugins: refs.map((pluginRef) => ({ pluginRef })) }],
          },
        },
      },
    },
  },
});

const advice = (plugins: string[], refs: string[]) =>
  runChecks([{ manifest: service(plugins, refs) }], { platform: 'rhoai-3.0' })
    .filter((f) => f.rule === 'scheduler-plugin-undefined')
    .map((f) => f.message.replace(/^.*routes nothing; /, ''));

describe('scheduler-plugin-undefined suggests the plugin nearest the reference', () => {
  test('the nearest by edit distance, not the first plugin that is close', () => {
    // max-score-picker contains the reference and comes first; max-scorer is one edit away
    expect(advice(['max-score-picker', 'max-scorer'], ['max-score'])).toEqual(['write pluginRef: max-scorer']);
  });

  test('a name that only contains the reference (a dropped prefix) is suggested when nothing is near by edits', () => {
    expect(advice(['queue-scorer', 'precise-prefix-cache-scorer'], ['prefix-cache-scorer'])).toEqual(['write pluginRef: precise-prefix-cache-scorer']);
  });

  test('near miss: no close name leaves the advice to add the plugin', () => {
    expect(advice(['queue-scorer', 'max-score-picker'], ['kv-cache-utilization-scorer'])).toEqual([
      "add a plugin of type or name 'kv-cache-utilization-scorer' to plugins, or refer to one of those",
    ]);
  });
});
