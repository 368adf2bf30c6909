import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';
import { kueueOperatorInstall } from './kueue-operator-install';
import { ObjectGraph } from './graph';

/**
 * How Kueue sees a workload that runs several kinds of pods: one Workload of several pod sets, admitted together
 * (all pod sets get their flavors and quota at once or none do), as each integration's PodSets builds them.
 */

/** One pod set: a pod (as a Pod manifest the pod readers take), how many of it, and where its template is written. */
export interface KueuePodSet {
  readonly path: string;
  readonly pod: Loose;
  readonly count: number;
}

/** The pod sets of one Workload, how many such Workloads the object makes, and whether its pods run to completion. */
export interface PodSetWorkload {
  readonly sets: readonly KueuePodSet[];
  readonly units: number;
  readonly finishes: boolean;
}

/** A count field Kueue reads after the API server's defaulting: its number, else the default the CRD or Kueue applies. */
function count(v: unknown, unset: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : unset;
}

/** The Kubeflow training jobs (kueue pkg/controller/jobs/kubeflow: a pod set per replica type, replicas default 1). */
const KUBEFLOW_JOBS = ['PyTorchJob', 'TFJob', 'MPIJob', 'XGBoostJob', 'PaddleJob', 'JAXJob'];

/**
 * The kinds Kueue admits as one Workload of several pod sets: KubeRay's RayJob and RayCluster, the Kubeflow training
 * jobs, JobSet and LeaderWorkerSet (one Workload per group).
 */
export const POD_SET_KINDS: readonly string[] = ['RayJob', 'RayCluster', ...KUBEFLOW_JOBS, 'JobSet', 'LeaderWorkerSet'];

/**
 * The submitter pod KubeRay runs for a RayJob in K8sJobMode (the default submissionMode): spec.submitterPodTemplate,
 * else a container of 500m CPU and 200Mi requested (kueue pkg/controller/jobs/rayjob rayjob_controller.go
 * getSubmitterTemplate, defaultSubmitterResources, mirroring kuberay common/job.go GetDefaultSubmitterContainer).
 */
function submitter(spec: Loose): { path: string; template: Loose }[] {
  const mode = text(spec.submissionMode) ?? 'K8sJobMode';
  if (mode !== 'K8sJobMode') return [];
  if (isMapping(spec.submitterPodTemplate)) return [{ path: 'spec.submitterPodTemplate', template: mapping(spec.submitterPodTemplate) }];
  const resources = { requests: { cpu: '500m', memory: '200Mi' }, limits: { cpu: '1', memory: '1Gi' } };
  return [{ path: "KubeRay's default submitter pod", template: { spec: { containers: [{ name: 'ray-job-submitter', resources }] } } }];
}

/** A pod template written at a path, with how many pods Kueue counts of it. */
interface CountedTemplate {
  readonly path: string;
  readonly template: unknown;
  readonly count: number;
}

/**
 * The pod templates of an object with the pods Kueue counts of each: a Ray head is one pod, a worker group replicas
 * (the CRD defaults it to 0) times numOfHosts (kueue pkg/controller/jobs/raycluster common.go BuildPodSets,
 * effectiveWorkerCount); a training job's replica type replicas (default 1); a JobSet's replicated Job replicas times
 * the pods of each Job, the lesser of parallelism and completions (jobset_controller.go PodsCountPerReplica); a
 * LeaderWorkerSet's group one leader and size-1 workers, the leader made from the workerTemplate when there is no
 * leaderTemplate.
 */
function countedTemplates(m: Loose): CountedTemplate[] {
  const spec = mapping(m.spec);
  if (KUBEFLOW_JOBS.includes(String(m.kind))) {
    const field = Object.keys(spec).find((k) => k.endsWith('ReplicaSpecs')) ?? '';
    return Object.entries(mapping(spec[field])).map(([role, r]) => ({
      path: `spec.${field}.${role}.template`,
      template: mapping(r).template,
      count: count(mapping(r).replicas, 1),
    }));
  }
  if (m.kind === 'JobSet') {
    return mappings(spec.replicatedJobs).map((r, i) => {
      const job = mapping(mapping(r.template).spec);
      const parallelism = count(job.parallelism, 1);
      return {
        path: `spec.replicatedJobs[${i}].template.spec.template`,
        template: job.template,
        count: count(r.replicas, 1) * Math.min(parallelism, count(job.completions, parallelism)),
      };
    });
  }
  if (m.kind === 'LeaderWorkerSet') {
    const t = mapping(spec.leaderWorkerTemplate);
    const size = Math.max(count(t.size, 1), 1);
    const worker = { path: 'spec.leaderWorkerTemplate.workerTemplate', template: t.workerTemplate };
    if (t.leaderTemplate == null) return [{ ...worker, count: size }];
    return [
      { path: 'spec.leaderWorkerTemplate.leaderTemplate', template: t.leaderTemplate, count: 1 },
      { ...worker, count: size - 1 },
    ];
  }
  const at = m.kind === 'RayJob' ? 'spec.rayClusterSpec' : 'spec';
  const cluster = mapping(m.kind === 'RayJob' ? spec.rayClusterSpec : spec);
  return [
    { path: `${at}.headGroupSpec.template`, template: mapping(cluster.headGroupSpec).template, count: 1 },
    ...mappings(cluster.workerGroupSpecs).map((g, i) => ({
      path: `${at}.workerGroupSpecs[${i}].template`,
      template: g.template,
      count: count(g.replicas, 0) * Math.max(count(g.numOfHosts, 1), 1),
    })),
  ];
}

/** The pod sets Kueue makes of an object of POD_SET_KINDS; undefined for other kinds. */
export function kueuePodSets(m: Loose): PodSetWorkload | undefined {
  if (!POD_SET_KINDS.includes(String(m.kind))) return undefined;
  const asPod = (template: unknown) => ({ kind: 'Pod', metadata: mapping(m.metadata), spec: mapping(mapping(template).spec) });
  const sets: KueuePodSet[] = countedTemplates(m)
    .filter((t) => isMapping(t.template))
    .map((t) => ({ path: t.path, pod: asPod(t.template), count: t.count }));
  if (m.kind === 'RayJob') {
    sets.push(...submitter(mapping(m.spec)).map((t) => ({ path: t.path, pod: asPod(t.template), count: 1 })));
  }
  // a RayCluster and a LeaderWorkerSet keep running; a RayJob, a training job and a JobSet run to completion
  const finishes = m.kind !== 'RayCluster' && m.kind !== 'LeaderWorkerSet';
  const units = m.kind === 'LeaderWorkerSet' ? count(mapping(m.spec).replicas, 1) : 1;
  return { sets: sets.filter((s) => s.count > 0), units, finishes };
}

/**
 * Whether the Red Hat build of Kueue, as the tree configures it, leaves a kind of POD_SET_KINDS alone: its Kueue custom
 * resource lists the integrations it manages (openshift/kueue-operator pkg/apis/kueueoperator/v1 types.go
 * Integrations.Frameworks, required; KueueIntegration names such as RayJob, JaxJob, LeaderWorkerSet), and Kueue ignores
 * the queue label of a kind it does not integrate, so nothing is judged of its admission.
 */
export function integrationOff(graph: ObjectGraph, kind: string): boolean {
  const lists = kueueOperatorInstall(graph).instances.map((m) => mapping(mapping(mapping(m.spec).config).integrations).frameworks);
  if (!lists.length || lists.some((l) => !Array.isArray(l))) return false;
  const name = kind === 'JAXJob' ? 'JaxJob' : kind;
  return lists.every((l) => !strings(l).includes(name));
}
