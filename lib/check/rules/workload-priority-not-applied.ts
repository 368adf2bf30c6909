import { mapping, stringMap, text } from '../../manifests/access';
import { QUEUE_LABEL, WORKLOAD_PRIORITY_LABEL } from '../../k8s/keys';
import { podLabelsOf, WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { meantAmong } from '../near-names';

/** The kinds Kueue's integrations build Workloads from, whose own labels it reads (the jobs, and pods, Deployments, StatefulSets, LeaderWorkerSets). */
const KINDS = [...new Set([...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'AppWrapper', 'JAXJob', 'TrainJob'])];

export const workloadPriorityNotApplied: Rule = {
  id: 'workload-priority-not-applied',
  title: "a Kueue workload's WorkloadPriorityClass is written where Kueue does not read it, or names a class the tree does not define",
  severity: 'error',
  appliesTo: KINDS,
  premise:
    'the object is queued to Kueue (kueue.x-k8s.io/queue-name as label or annotation) and writes kueue.x-k8s.io/priority-class as an annotation with no label of that key: ' +
    'an error when the value names a WorkloadPriorityClass of the tree (the intent is plain and silently lost), else a warning; or labels it with a class the tree does not define while the tree defines others (a warning: the cluster may hold it)',
  example:
    '`kueue.x-k8s.io/priority-class: high-priority` under metadata.annotations of a Job, with a `kind: WorkloadPriorityClass` named high-priority in the tree',
  fix: 'write kueue.x-k8s.io/priority-class under metadata.labels, naming a WorkloadPriorityClass that exists',
  source:
    'kueue pkg/controller/jobframework/utils.go WorkloadPriorityClassName (reads the label only) and reconciler.go ExtractPriority (a named class that is missing: "WorkloadPriorityClass … not found", no Workload is built and the job stays suspended)',
  check(o, { graph }) {
    const meta = mapping(o.manifest.metadata);
    // pods are the workloads of a Deployment or StatefulSet (Kueue's pod integration): its template's labels count too
    const labels = { ...stringMap(podLabelsOf(o.manifest)), ...stringMap(meta.labels) };
    const annotations = stringMap(meta.annotations);
    if (!labels[QUEUE_LABEL] && !annotations[QUEUE_LABEL]) return [];
    const classes = graph
      .ofKind('WorkloadPriorityClass')
      .map((w) => text(mapping(w.manifest.metadata).name))
      .filter((n): n is string => n !== undefined);
    const labelled = labels[WORKLOAD_PRIORITY_LABEL];
    const annotated = annotations[WORKLOAD_PRIORITY_LABEL];
    const out: Problem[] = [];
    if (!labelled && annotated) {
      const known = classes.includes(annotated);
      out.push({
        ...(known ? {} : { severity: 'warning' as const }),
        message:
          `metadata.annotations sets ${WORKLOAD_PRIORITY_LABEL}: ${annotated}, but Kueue reads the WorkloadPriorityClass only from the label of that key: the Workload gets no WorkloadPriorityClass (priority 0, or its pods' PriorityClass)` +
          `${known ? `, so the priority and preemption that WorkloadPriorityClass ${annotated} sets up never apply` : ''}; move it to metadata.labels`,
      });
    }
    if (labelled && classes.length && !classes.includes(labelled)) {
      out.push({
        severity: 'warning',
        message:
          `metadata.labels ${WORKLOAD_PRIORITY_LABEL} names WorkloadPriorityClass '${labelled}', which the tree does not define (it defines ${classes.join(', ')})${meantAmong(labelled, classes)}: ` +
          `unless the cluster holds it, Kueue builds no Workload ("WorkloadPriorityClass ${labelled} not found") and the job stays suspended; name one of them or define it`,
      });
    }
    return out;
  },
};
