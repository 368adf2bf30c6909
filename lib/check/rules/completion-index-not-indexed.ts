import { Loose, mapping, mappings, text } from '../../manifests/access';
import { containersOf } from '../pods';
import { Problem, Rule } from '../rule';

/** The annotation (and, with PodIndexLabel, label) the Job controller writes on an Indexed Job's pods (batch/v1 JobCompletionIndexAnnotation). */
const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** A downward API path to the completion index, as metadata.annotations['…'] or metadata.labels['…'] (quotes of either kind). */
const INDEX_PATH = /^metadata\.(annotations|labels)\[\s*(['"])batch\.kubernetes\.io\/job-completion-index\2\s*\]$/;

/** The Job spec of a Job or of a CronJob's template. */
export function jobSpecOf(m: Loose): Loose {
  return m.kind === 'CronJob' ? mapping(mapping(mapping(m.spec).jobTemplate).spec) : mapping(m.spec);
}

/** Where the pod reads the completion index through the downward API: env fieldRefs and downwardAPI volume items. */
function indexReads(m: Loose): string[] {
  const reads: string[] = [];
  for (const { name, container, init } of containersOf(m)) {
    for (const e of mappings(container.env)) {
      const path = text(mapping(mapping(e.valueFrom).fieldRef).fieldPath);
      if (path && INDEX_PATH.test(path)) reads.push(`${init ? 'init container' : 'container'} '${name}' env ${text(e.name) ?? '?'} (fieldRef ${path})`);
    }
  }
  const pod = mapping(mapping(jobSpecOf(m).template).spec);
  for (const v of mappings(pod.volumes)) {
    for (const item of mappings(mapping(v.downwardAPI).items)) {
      const path = text(mapping(item.fieldRef).fieldPath);
      if (path && INDEX_PATH.test(path)) reads.push(`volume '${text(v.name) ?? '?'}' downwardAPI item ${text(item.path) ?? '?'} (fieldRef ${path})`);
    }
  }
  return reads;
}

export const completionIndexNotIndexed: Rule = {
  id: 'completion-index-not-indexed',
  title: "a Job's pods read the completion index through the downward API, but the Job is not Indexed: the index is never set and the value is empty",
  severity: 'error',
  appliesTo: ['Job', 'CronJob'],
  premise: `a container's env (valueFrom.fieldRef) or a downwardAPI volume item reads metadata.annotations['${COMPLETION_INDEX}'] (or the label of that name) while the Job's spec.completionMode is not Indexed (unset is NonIndexed): the Job controller writes that annotation and label only on the pods of an Indexed Job, and the downward API gives a missing annotation as the empty string, so every pod gets the same empty index`,
  example: "`fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']` in a Job with `completions: 3` and no completionMode",
  fix: 'set spec.completionMode: Indexed (with completions) so each pod gets its index; it is also in the env JOB_COMPLETION_INDEX',
  source:
    'kubernetes pkg/controller/job/indexed_job_utils.go addCompletionIndexAnnotation, addCompletionIndexLabel (called from job_controller.go only when isIndexedJob); pkg/fieldpath ExtractFieldPathAsString (a missing annotation is "")',
  scope: 'object',
  check(o) {
    const mode = text(jobSpecOf(o.manifest).completionMode);
    if (mode === 'Indexed') return [];
    const field = o.manifest.kind === 'CronJob' ? 'spec.jobTemplate.spec.completionMode' : 'spec.completionMode';
    return indexReads(o.manifest).map((where): Problem => ({
      message:
        `${where} reads the completion index, but ${field} is ${mode ?? 'unset (NonIndexed)'}: the Job controller sets ${COMPLETION_INDEX} only on the pods of an Indexed Job, ` +
        `so the value is the empty string in every pod (a parse of it fails, or every pod works on the same shard); set ${field}: Indexed`,
    }));
  },
};
