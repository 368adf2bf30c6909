import { WORKLOAD_PRIORITY_LABEL } from '../../k8s/keys';
import { Loose, mapping, text } from '../../manifests/access';
import { REPOSITORY_PREMISE, repositoryObjectsOf, unlessRepositoryMakes } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { podSpecValues } from '../pod-spec-fields';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { didYouMean, objectCandidates } from '../near-names';
import { GraphObject } from '../graph-object';
import { isLlmkubeService, LLMKUBE_SERVICE } from '../llmkube';

/**
 * PriorityClasses every cluster has: the API server creates the two system ones at start (kubernetes
 * pkg/apis/scheduling SystemPriorityClasses); OpenShift adds openshift-user-critical (its cluster-version payload).
 */
const SYSTEM_CLASSES = ['system-cluster-critical', 'system-node-critical'];
const OPENSHIFT_CLASSES = ['openshift-user-critical'];
/**
 * The PriorityClasses a KAI Scheduler deployment comes with, and their values (NVIDIA/KAI-Scheduler docs/priority/
 * README.md: train 50, build-preemptible 75, build 100, inference 125).
 */
const KAI_CLASSES: Readonly<Record<string, number>> = { train: 50, 'build-preemptible': 75, build: 100, inference: 125 };
/** KAI Scheduler's scheduler name and API group (NVIDIA/KAI-Scheduler pkg/apis/scheduling: Queue, PodGroup). */
const KAI_SCHEDULER = 'kai-scheduler';
const KAI_GROUP = 'scheduling.run.ai/';

/**
 * Whether the tree runs on KAI Scheduler, whose install makes its PriorityClasses: a pod of the tree sets schedulerName
 * kai-scheduler, or the tree (or its repository outside the checked folder) holds a scheduling.run.ai object (a Queue).
 */
function usesKai(graph: ObjectGraph): boolean {
  return graph.once('priority-class-not-found:kai', () => {
    const kai = (apiVersion: unknown) => typeof apiVersion === 'string' && apiVersion.startsWith(KAI_GROUP);
    if (graph.objects.some((o) => kai(o.manifest.apiVersion))) return true;
    if (graph.objects.some((o) => podSpecValues(o.manifest, 'schedulerName').some((v) => v.value === KAI_SCHEDULER))) return true;
    return repositoryObjectsOf(graph).some((r) => kai(r.manifest.apiVersion));
  });
}

/**
 * The priorityClassName fields of the object's pods: its pod specs', or the one LLMKube's controller copies from an
 * InferenceService into the pod template of the Deployment it makes (defilantech/LLMKube internal/controller/
 * scheduling.go resolvePriorityClassName, deployment_builder.go). Where that is unset the controller picks a class of
 * its own by spec.priority (llmkube-normal…), which its install makes: not judged.
 */
function priorityClassNames(o: GraphObject): { field: string; value: string }[] {
  if (!isLlmkubeService(o)) return podSpecValues(o.manifest, 'priorityClassName');
  const value = text(mapping(o.manifest.spec).priorityClassName);
  return value ? [{ field: 'spec.priorityClassName', value }] : [];
}

export const priorityClassNotFound: Rule = {
  id: 'priority-class-not-found',
  title: 'a pod names a PriorityClass that neither the tree nor the cluster defines: the Priority admission plugin refuses its pods',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, LLMKUBE_SERVICE],
  premise:
    "a pod spec's priorityClassName (or an LLMKube InferenceService's spec.priorityClassName, which its controller sets on the pods of the Deployment it makes) is not a class every cluster has (system-cluster-critical, system-node-critical, the only system- names the API server admits; on OpenShift openshift-user-critical), nor one KAI Scheduler's install makes (train, build-preemptible, build, inference) where the tree runs on KAI (a pod with schedulerName kai-scheduler, or a scheduling.run.ai object such as a Queue in the tree or its repository), nor a PriorityClass of the tree: " +
    'an error when the tree manages priorities (it defines PriorityClasses or Kueue WorkloadPriorityClasses: a WorkloadPriorityClass of that very name is a different kind the pod does not take), else a warning (the cluster may have it)' +
    REPOSITORY_PREMISE,
  example: '`priorityClassName: batch-urgent` where only a Kueue `kind: WorkloadPriorityClass` of that name exists',
  fix: 'define the PriorityClass, or name one that exists; to give a Kueue workload a WorkloadPriorityClass, label it kueue.x-k8s.io/priority-class: <name> instead',
  source:
    'defilantech/LLMKube internal/controller/scheduling.go resolvePriorityClassName and deployment_builder.go (spec.priorityClassName on the Deployment\'s pod template); kubernetes plugin/pkg/admission/priority admission.go (admitPod: "no PriorityClass with name %v was found"); pkg/apis/scheduling/validation ValidatePriorityClass (the system- prefix reserved to the two known classes); NVIDIA/KAI-Scheduler docs/priority/README.md (the PriorityClasses its deployment comes with); kueue WorkloadPriorityClass docs (a workload takes one by the kueue.x-k8s.io/priority-class label, a different kind from the pod PriorityClass)',
  check(o, { graph, platform }) {
    const known = [...SYSTEM_CLASSES, ...(platform !== 'kserve' ? OPENSHIFT_CLASSES : []), ...(usesKai(graph) ? Object.keys(KAI_CLASSES) : [])];
    const treeClasses = graph.ofKind('PriorityClass');
    const problems: Problem[] = [];
    for (const { field, value: name } of priorityClassNames(o)) {
      if (known.includes(name) || graph.find('PriorityClass', name)) continue;
      const workloadClass = graph.find('WorkloadPriorityClass', name);
      // a tree that defines priority objects of either kind manages the workloads' priorities: a name it lacks is its own slip
      const managed = treeClasses.length > 0 || graph.ofKind('WorkloadPriorityClass').length > 0;
      // a near spelling of a class the pod can take: the tree's PriorityClasses and those every cluster has
      const meant = didYouMean(name, [
        ...objectCandidates(treeClasses),
        ...known.map((k) => ({
          name: k,
          where: SYSTEM_CLASSES.includes(k) ? 'every cluster has it' : k in KAI_CLASSES ? 'KAI Scheduler installs it' : 'OpenShift has it',
        })),
      ]);
      const problem: Problem = {
        ...(managed ? {} : { severity: 'warning' as const }),
        message: missingMessage(field, name, !!workloadClass, managed, graph.ofKind('WorkloadPriorityClass'), meant),
      };
      problems.push(unlessRepositoryMakes(graph, problem, 'PriorityClass', name, undefined));
    }
    return problems;
  },
};

/** What is missing and the fix: the Kueue label when a WorkloadPriorityClass of the name exists, the cluster's own when the tree does not manage priorities. */
function missingMessage(
  field: string,
  name: string,
  sameNameWorkloadClass: boolean,
  managed: boolean,
  workloadClasses: { manifest: Loose }[],
  meant: string | undefined,
): string {
  const refusal = `${field} '${name}' names no PriorityClass of the tree${meant ? ` (${meant})` : ''}; the Priority admission plugin refuses its pods ("no PriorityClass with name ${name} was found")`;
  if (sameNameWorkloadClass) {
    return `${refusal}: '${name}' is a Kueue WorkloadPriorityClass, a different kind; give the workload the label ${WORKLOAD_PRIORITY_LABEL}: ${name} and drop priorityClassName (or define a PriorityClass of that name)`;
  }
  const others = workloadClasses.map((w) => text(mapping(w.manifest.metadata).name)).filter((n): n is string => !!n);
  const hint = others.length
    ? `; the tree's Kueue WorkloadPriorityClasses (${others.join(', ')}) are a different kind, taken by the label ${WORKLOAD_PRIORITY_LABEL}`
    : '';
  return managed
    ? `${refusal}${hint}: define it or name one the tree defines`
    : `${refusal}, unless the cluster has it${hint}: define it in the tree or check the cluster's (kubectl get priorityclass)`;
}
