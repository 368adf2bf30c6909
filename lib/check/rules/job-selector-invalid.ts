import { Loose, mapping, text } from '../../manifests/access';
import { selectorMatches, selectsOwnTemplate } from '../argocd/label-selector';
import { Problem, Rule } from '../rule';
import { JOB_NAME_LABEL } from '../../k8s/keys';

/** The labels the API server writes on a Job's pod template with the Job's name (kubernetes pkg/apis/batch/types.go LegacyJobNameLabel, JobNameLabel). */
const JOB_NAME_LABELS = ['job-name', JOB_NAME_LABEL];

/** The labels it writes with the Job's uid (LegacyControllerUidLabel, ControllerUidLabel); the generated selector selects the second. */
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

/** A stand-in for the uid the API server gives the Job on create: no manifest can know it, so no written value equals it. */
const UNKNOWN_UID = '\0uid';

/** The labels validateGeneratedSelector expects the selector to match: the Job's name and its uid under both spellings. */
function generatedLabels(name: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const k of JOB_NAME_LABELS) labels[k] = name ?? UNKNOWN_UID;
  for (const k of CONTROLLER_UID_LABELS) labels[k] = UNKNOWN_UID;
  return labels;
}

/**
 * The template labels written by hand where the API server generates them with other values: a controller uid
 * (never known before create), a job name other than the Job's (a CronJob's Jobs and a generateName Job get a name
 * the manifest cannot know). validateGeneratedSelector refuses each ("must be '<uid>'").
 */
function handWrittenLabels(labels: Loose, name: string | undefined): string[] {
  const expected = generatedLabels(name);
  return Object.keys(expected)
    .filter((k) => k in labels && String(labels[k]) !== expected[k])
    .map((k) => `${k}: ${String(labels[k])}`);
}

/** What the API server refuses in a Job's selector, as its strategy and validation judge a Job on create. */
function jobSelectorProblems(job: Loose, name: string | undefined, at: string): string[] {
  const spec = mapping(job.spec);
  const labels = mapping(mapping(mapping(spec.template).metadata).labels);
  if (spec.manualSelector === true) {
    // ValidateJobSpec: a manual selector is required and must select the template's labels
    if (spec.selector === undefined || spec.selector === null)
      return [
        `${at}spec.manualSelector is true but ${at}spec.selector is missing: the API server refuses the Job ("Required value"); write the selector, matchLabels of ${at}spec.template.metadata.labels`,
      ];
    return selectsOwnTemplate(spec) === false
      ? [
          `${at}spec.selector does not select ${at}spec.template.metadata.labels: the API server refuses the Job ("\`selector\` does not match template \`labels\`"); make the template carry every label the selector requires`,
        ]
      : [];
  }
  const out: string[] = [];
  const written = handWrittenLabels(labels, name);
  if (written.length)
    out.push(
      `${at}spec.template.metadata.labels sets ${written.join(', ')} by hand: the API server writes these labels itself, with the Job's name and the uid it gives the Job on create, and refuses a template carrying other values ("must be '<uid>'"); remove them (select the pods by a label of your own)`,
    );
  if (spec.selector === undefined || spec.selector === null) return out;
  // strategy.go generateSelector adds the uid label to the written matchLabels; the result must select the generated labels
  const selector = mapping(spec.selector);
  const matchLabels = { [CONTROLLER_UID_LABELS[1]]: UNKNOWN_UID, ...mapping(selector.matchLabels) };
  if (selectorMatches({ ...selector, matchLabels }, generatedLabels(name)) === false)
    out.push(
      `${at}spec.selector is written without ${at}spec.manualSelector: true: the API server generates a Job's selector (from the uid it gives the Job) and refuses one it did not generate ("\`selector\` not auto-generated"); remove ${at}spec.selector, the generated one selects the Job's pods, or set ${at}spec.manualSelector: true if the selector must be yours`,
    );
  return out;
}

/** What the API server refuses in a CronJob's job template (ValidateJobTemplateSpec), and what it refuses in every Job the CronJob makes. */
function cronJobProblems(cron: Loose): string[] {
  const template = mapping(mapping(cron.spec).jobTemplate);
  const spec = mapping(template.spec);
  const at = 'spec.jobTemplate.spec';
  const out: string[] = [];
  if ((spec.selector !== undefined && spec.selector !== null) || spec.manualSelector === true)
    out.push(
      `${[spec.selector !== undefined && spec.selector !== null ? `${at}.selector` : '', spec.manualSelector === true ? `${at}.manualSelector: true` : ''].filter(Boolean).join(' and ')} in a CronJob: the API server generates the selector of every Job a CronJob makes and refuses the CronJob ("\`selector\` will be auto-generated"; manualSelector supports only "nil", "false"); remove them`,
    );
  // the CronJob controller names each Job itself, so a job-name label can match no Job it makes
  const written = handWrittenLabels(mapping(mapping(mapping(spec.template).metadata).labels), undefined);
  if (written.length)
    out.push(
      `${at}.template.metadata.labels sets ${written.join(', ')} by hand: the API server writes these labels on each Job the CronJob makes, with that Job's name and uid, and refuses every such Job ("must be '<uid>'"), so no run starts; remove them`,
    );
  return out;
}

export const jobSelectorInvalid: Rule = {
  id: 'job-selector-invalid',
  title:
    "a Job's spec.selector without spec.manualSelector: true, or a Job template carrying the controller-uid or job-name labels the API server generates: the API server refuses the Job (a CronJob's Jobs, for its template)",
  severity: 'error',
  appliesTo: ['Job', 'CronJob'],
  premise:
    "a batch/v1 Job is judged as the API server judges it on create: unless spec.manualSelector is true it writes job-name and controller-uid (and their batch.kubernetes.io/ spellings) on the pod template where absent and adds batch.kubernetes.io/controller-uid to the selector, then refuses a selector that does not select exactly those generated labels and a template label of those names with another value (a uid is never known before create, a job name other than metadata.name); with manualSelector true, the selector is required and must select the template labels. A CronJob's job template may set neither selector nor manualSelector: true, and a hand-written controller-uid or job-name label there makes every Job it creates refused",
  example: 'a Job with `selector: matchLabels: app: seed-bucket` under spec, matching its template labels, and no manualSelector',
  fix: "remove spec.selector (the generated selector selects the Job's pods) and any controller-uid or job-name label of the template; or set spec.manualSelector: true with a selector matching the template labels",
  source:
    'kubernetes pkg/registry/batch/job/strategy.go generateSelector (labels and selector written unless manualSelector); pkg/apis/batch/validation/validation.go validateGeneratedSelector ("`selector` not auto-generated", ValidateHasLabel), ValidateJobSpec ("`selector` does not match template `labels`"), ValidateJobTemplateSpec ("`selector` will be auto-generated"); cases from validation_test.go TestValidateJob (manualSelector true with a matching selector is valid)',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    const messages = m.kind === 'CronJob' ? cronJobProblems(m) : jobSelectorProblems(m, text(mapping(m.metadata).name), '');
    return messages.map((message): Problem => ({ message: `${m.kind} ${text(mapping(m.metadata).name) ?? '<no name>'}: ${message}` }));
  },
};
