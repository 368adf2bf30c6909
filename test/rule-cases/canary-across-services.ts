import { cliInProcess, writeTree } from '../util';

const ISVC = (name: string, canary?: number) =>
  [
    'apiVersion: serving.kserve.io/v1beta1',
    'kind: InferenceService',
    `metadata: {name: ${name}, namespace: lab}`,
    'spec:',
    '  predictor:',
    ...(canary === undefined ? [] : [`    canaryTrafficPercent: ${canary}`]),
    '    model: {modelFormat: {name: sklearn}, storageUri: "gs://example-models/iris"}',
  ].join('\n');

async function found(files: Record<string, string>): Promise<{ severity: string; object: string; message: string }[]> {
  const root = writeTree('canary.', files);
  const r = await cliInProcess(['check', root, '--json', '--platform', 'kserve']);
  return (JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[]).filter(
    (f) => f.rule === 'canary-across-services',
  );
}

describe('canary-across-services', () => {
  test('a -canary InferenceService with canaryTrafficPercent beside the one it is named for: a warning', async () => {
    const fs = await found({ 'a.yaml': ISVC('iris'), 'b.yaml': ISVC('iris-canary', 10) });
    expect(fs.map((f) => [f.severity, f.object])).toEqual([['warning', 'InferenceService/lab/iris-canary']]);
    expect(fs[0].message).toContain("named as the canary of InferenceService 'iris'");
    expect(fs[0].message).toContain("none of 'iris''s traffic reaches it");
  });

  test('near misses: the percent on the service itself, no service of the stem, no percent, a stem in another namespace', async () => {
    expect(await found({ 'a.yaml': ISVC('iris', 10) })).toEqual([]);
    expect(await found({ 'b.yaml': ISVC('iris-canary', 10) })).toEqual([]);
    expect(await found({ 'a.yaml': ISVC('iris'), 'b.yaml': ISVC('iris-v2') })).toEqual([]);
    expect(await found({ 'a.yaml': ISVC('iris').replace('namespace: lab', 'namespace: prod'), 'b.yaml': ISVC('iris-canary', 10) })).toEqual([]);
  });
});
