import { ruleFound, severityObjectMessages } from '../util';

type Container = Record<string, unknown>;

const job = (container: Container) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'score', namespace: 'ml' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'quay.io/team/scorer:1.0', ...container }] } } },
});

const isvc = (component: 'explainer' | 'transformer', container: Container) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'income', namespace: 'ml' },
  spec: {
    predictor: { sklearn: { storageUri: 's3://models/income' } },
    [component]: { containers: [{ name: 'kserve-container', image: 'quay.io/team/helper:1.0', ...container }] },
  },
});

const findings = (rule: string, ...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      rule,
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

describe('command-is-option', () => {
  test("an explainer's options written as one command element: an error naming the split args, and argument-not-split stays silent", () => {
    const m = isvc('explainer', { command: ['--model_name income'] });
    expect(findings('command-is-option', m)).toEqual([
      [
        'error',
        'InferenceService/ml/income',
        expect.stringMatching(
          /^spec\.explainer container 'kserve-container' command\[0\] "--model_name income" is an option, not a program, and it holds a blank.*executable file not found.*CrashLoopBackOff.*args: \["--model_name", "income"\]/,
        ),
      ],
    ]);
    expect(findings('argument-not-split', m)).toEqual([]);
  });

  test("a Job's and a transformer's command starting with an option, each word its own element", () => {
    expect(findings('command-is-option', job({ command: ['--input', '/data/a.csv'], args: ['--fast'] }))).toEqual([
      [
        'error',
        'Job/ml/score',
        expect.stringMatching(/^container 'main' command\[0\] "--input" is an option, not a program: .*args: \["--input", "\/data\/a.csv", "--fast"\]/),
      ],
    ]);
    expect(findings('command-is-option', isvc('transformer', { command: ['-m', 'feast_transformer'] })).map(([s]) => s)).toEqual(['error']);
  });

  test('near misses: options as args, a program first in command, a shell', () => {
    expect(findings('command-is-option', isvc('explainer', { args: ['--model_name', 'income'] }))).toEqual([]);
    expect(findings('command-is-option', job({ command: ['python3', '-m', 'scorer'], args: ['--input', '/data/a.csv'] }))).toEqual([]);
    expect(findings('command-is-option', job({ command: ['sh', '-c', 'scorer --input /data/a.csv'] }))).toEqual([]);
  });
});
