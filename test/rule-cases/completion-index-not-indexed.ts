import { ruleFound, severityMessages } from '../util';

/** Pods of an Indexed Job carry batch.kubernetes.io/job-completion-index (kubernetes pkg/controller/job indexed_job_utils.go); others do not. */
const env = (fieldPath: string) => [{ name: 'SHARD', valueFrom: { fieldRef: { fieldPath } } }];
const podSpec = (extra: Record<string, unknown> = {}) => ({ restartPolicy: 'Never', containers: [{ name: 'w', image: 'x', env: env(ANNOTATION) }], ...extra });
const ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";
const job = (spec: Record<string, unknown>, pod = podSpec()) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'shards', namespace: 'ml' },
  spec: { ...spec, template: { spec: pod } },
});

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'completion-index-not-indexed',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('completion-index-not-indexed', () => {
  test('an env fieldRef to the index annotation in a Job without completionMode: an error naming the container, the field and the fix', () => {
    expect(found([job({ completions: 3 })])).toEqual([
      [
        'error',
        "container 'w' env SHARD (fieldRef metadata.annotations['batch.kubernetes.io/job-completion-index']) reads the completion index, but spec.completionMode is unset (NonIndexed): the Job controller sets batch.kubernetes.io/job-completion-index only on the pods of an Indexed Job, so the value is the empty string in every pod (a parse of it fails, or every pod works on the same shard); set spec.completionMode: Indexed",
      ],
    ]);
  });

  test('the label form, double quotes, NonIndexed written out, and a downwardAPI volume item', () => {
    const labelled = podSpec({ containers: [{ name: 'w', image: 'x', env: env('metadata.labels["batch.kubernetes.io/job-completion-index"]') }] });
    expect(found([job({ completionMode: 'NonIndexed' }, labelled)]).map((f) => f[1].split(': the Job')[0])).toEqual([
      'container \'w\' env SHARD (fieldRef metadata.labels["batch.kubernetes.io/job-completion-index"]) reads the completion index, but spec.completionMode is NonIndexed',
    ]);
    const volume = podSpec({
      containers: [{ name: 'w', image: 'x' }],
      volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'index', fieldRef: { fieldPath: ANNOTATION } }] } }],
    });
    expect(found([job({}, volume)]).map((f) => f[1].split(' reads')[0])).toEqual([
      "volume 'info' downwardAPI item index (fieldRef metadata.annotations['batch.kubernetes.io/job-completion-index'])",
    ]);
  });

  test("a CronJob's job template is judged at its own path", () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: podSpec() } } } },
    };
    expect(found([cron]).map((f) => f[1].includes('spec.jobTemplate.spec.completionMode is unset'))).toEqual([true]);
  });

  test('an Indexed Job, or other fields of the pod: silent', () => {
    expect(found([job({ completionMode: 'Indexed', completions: 3 })])).toEqual([]);
    expect(found([job({}, podSpec({ containers: [{ name: 'w', image: 'x', env: env('metadata.name') }] }))])).toEqual([]);
    expect(found([job({}, podSpec({ containers: [{ name: 'w', image: 'x', env: env("metadata.annotations['other']") }] }))])).toEqual([]);
  });
});
