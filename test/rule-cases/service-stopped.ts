import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('service-stopped', docs);
const annotated = (apiVersion: string, kind: string, stop: string | undefined): Doc => ({
  apiVersion,
  kind,
  metadata: { name: 'chat', namespace: 'ai', ...(stop === undefined ? {} : { annotations: { 'serving.kserve.io/stop': stop } }) },
  spec: {},
});

describe('service-stopped', () => {
  test('stop "true" (any case) on an InferenceService or LLMInferenceService: a warning that KServe runs no pods for it', () => {
    expect(found([annotated('serving.kserve.io/v1beta1', 'InferenceService', 'true')])).toEqual([
      expect.stringMatching(
        /^warning InferenceService\/ai\/chat: metadata\.annotations serving\.kserve\.io\/stop: 'true' stops the InferenceService: KServe deletes its predictor's .*PredictorReady False, reason Stopped.*runs no pods/,
      ),
    ]);
    expect(found([annotated('serving.kserve.io/v1alpha1', 'LLMInferenceService', 'True')])).toEqual([
      expect.stringMatching(
        /^warning LLMInferenceService\/ai\/chat: .*'True' stops the LLMInferenceService: KServe makes no route or scheduler for it \(0\.17\) and, from 0\.18, none of its workloads/,
      ),
    ]);
  });

  test('near misses: "false", another value, no annotation, another API group', () => {
    expect(found([annotated('serving.kserve.io/v1beta1', 'InferenceService', 'false')])).toEqual([]);
    expect(found([annotated('serving.kserve.io/v1beta1', 'InferenceService', 'yes')])).toEqual([]);
    expect(found([annotated('serving.kserve.io/v1beta1', 'InferenceService', undefined)])).toEqual([]);
    expect(found([annotated('example.org/v1', 'InferenceService', 'true')])).toEqual([]);
  });
});
