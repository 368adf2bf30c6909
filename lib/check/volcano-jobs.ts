import { Loose, mapping, mappings, text } from '../manifests/access';
import { apiGroupOf } from '../k8s/api-version';
import { NamedPodTemplate } from './pod-templates';

/** Volcano's Job API group (volcano-sh/volcano staging/src/volcano.sh/apis/pkg/apis/batch/v1alpha1). */
export const VOLCANO_JOB_GROUP = 'batch.volcano.sh';

/** Whether an object is a Volcano Job, a kind named like the batch/v1 Job. */
export const isVolcanoJob = (m: Loose): boolean => m.kind === 'Job' && apiGroupOf(m.apiVersion) === VOLCANO_JOB_GROUP;

/** A Volcano Job's task templates, each with its task name (batch/v1alpha1 job.go TaskSpec: name, template). */
export function volcanoTasks(m: Loose): (NamedPodTemplate & { task: string })[] {
  if (!isVolcanoJob(m)) return [];
  return mappings(mapping(m.spec).tasks).flatMap((t, i) =>
    Object.keys(mapping(t.template)).length ? [{ path: `spec.tasks[${i}].template`, template: mapping(t.template), task: text(t.name) ?? '' }] : [],
  );
}
