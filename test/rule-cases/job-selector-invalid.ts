import { ruleFound, severityMessages } from '../util';

/** Cases after kubernetes pkg/apis/batch/validation/validation_test.go (TestValidateJob, TestValidateCronJob) and pkg/registry/batch/job/strategy_test.go. */
const pod = { restartPolicy: 'Never', containers: [{ name: 'w', image: 'x' }] };
const job = (spec: Record<string, unknown>, labels: Record<string, string> = { app: 'w' }, name = 'migrate') => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'ml' },
  spec: { ...spec, template: { metadata: { labels }, spec: pod } },
});
const cron = (jobSpec: Record<string, unknown>, labels: Record<string, string> = { app: 'w' }) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly', namespace: 'ml' },
  spec: { schedule: '@daily', jobTemplate: { spec: { ...jobSpec, template: { metadata: { labels }, spec: pod } } } },
});

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'job-selector-invalid',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('job-selector-invalid', () => {
  test('a selector matching the template labels without manualSelector: an error naming the field, the refusal and both fixes', () => {
    expect(found([job({ selector: { matchLabels: { app: 'w' } } })])).toEqual([
      [
        'error',
        'Job migrate: spec.selector is written without spec.manualSelector: true: the API server generates a Job\'s selector (from the uid it gives the Job) and refuses one it did not generate ("`selector` not auto-generated"); remove spec.selector, the generated one selects the Job\'s pods, or set spec.manualSelector: true if the selector must be yours',
      ],
    ]);
    // manualSelector: false is the same as unset; a matchExpressions selector is a selector too
    expect(found([job({ manualSelector: false, selector: { matchLabels: { app: 'w' } } })]).length).toBe(1);
    expect(found([job({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['w'] }] } })]).length).toBe(1);
  });

  test('manualSelector true with a matching selector, no selector at all, or a selector of only the generated job-name: silent', () => {
    expect(found([job({ manualSelector: true, selector: { matchLabels: { app: 'w' } } })])).toEqual([]);
    expect(found([job({})])).toEqual([]);
    expect(found([job({ selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'migrate' } } })])).toEqual([]);
    expect(found([job({ selector: {} })])).toEqual([]);
  });

  test('manualSelector true: the selector must exist and select the template labels', () => {
    expect(found([job({ manualSelector: true, selector: { matchLabels: { app: 'other' } } })]).map((f) => f[1])).toEqual([
      'Job migrate: spec.selector does not select spec.template.metadata.labels: the API server refuses the Job ("`selector` does not match template `labels`"); make the template carry every label the selector requires',
    ]);
    expect(found([job({ manualSelector: true })]).map((f) => f[1].split(':')[1])).toEqual([' spec.manualSelector is true but spec.selector is missing']);
  });

  test('a hand-written controller-uid label, or a job-name other than the Job name: one finding listing them', () => {
    const labels = { app: 'w', 'controller-uid': 'abc', 'batch.kubernetes.io/job-name': 'other' };
    expect(found([job({}, labels)]).map((f) => f[1].split(' by hand')[0])).toEqual([
      'Job migrate: spec.template.metadata.labels sets batch.kubernetes.io/job-name: other, controller-uid: abc',
    ]);
    // the Job's own name under job-name is what the API server writes: silent
    expect(found([job({}, { app: 'w', 'job-name': 'migrate' })])).toEqual([]);
    // with manualSelector the labels are the author's
    expect(found([job({ manualSelector: true, selector: { matchLabels: { app: 'w' } } }, labels)])).toEqual([]);
  });

  test("a CronJob's job template: a selector or manualSelector is refused on the CronJob, a hand-written generated label on each Job", () => {
    expect(found([cron({ selector: { matchLabels: { app: 'w' } }, manualSelector: true })]).map((f) => f[1].split(' in a CronJob')[0])).toEqual([
      'CronJob nightly: spec.jobTemplate.spec.selector and spec.jobTemplate.spec.manualSelector: true',
    ]);
    expect(found([cron({}, { app: 'w', 'job-name': 'nightly' })]).map((f) => f[1].split(' by hand')[0])).toEqual([
      'CronJob nightly: spec.jobTemplate.spec.template.metadata.labels sets job-name: nightly',
    ]);
    expect(found([cron({})])).toEqual([]);
  });
});
