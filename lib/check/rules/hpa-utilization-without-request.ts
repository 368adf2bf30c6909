import { Loose, isMapping, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { limitRangeDefaulted } from '../limit-range-defaults';
import { podSpecOf } from '../pods';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { encryptedBeyondData } from '../../manifests/sops';

/** The workload kinds whose pod template the HPA's pods come from (apps/v1). */
const TARGET_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'];

/**
 * The CPU utilization an HPA targets when it lists no metric: kubernetes pkg/apis/autoscaling/v2/defaults.go
 * SetDefaults_HorizontalPodAutoscaler (and autoscaling/v1's targetCPUUtilizationPercentage), 80 %.
 */
const DEFAULT_CPU_UTILIZATION = 80;

/** A utilization target of an HPA: the metric's place, the resource, and the one container it reads (ContainerResource). */
interface UtilizationMetric {
  readonly where: string;
  readonly resource: string;
  readonly container?: string;
}

/** A metric of autoscaling/v2 (v2beta2: target.type; v2beta1: targetAverageUtilization) that targets utilization. */
function utilizationOf(metric: Loose, i: number): UtilizationMetric | undefined {
  const type = text(metric.type);
  const source = type === 'Resource' ? mapping(metric.resource) : type === 'ContainerResource' ? mapping(metric.containerResource) : undefined;
  if (!source) return undefined;
  const target = mapping(source.target);
  if (text(target.type) !== 'Utilization' && source.targetAverageUtilization === undefined) return undefined;
  const resource = text(source.name);
  if (resource === undefined) return undefined;
  return { where: `spec.metrics[${i}]`, resource, ...(type === 'ContainerResource' ? { container: text(source.container) ?? '' } : {}) };
}

/** The HPA's utilization targets and how many metrics it has in all (an HPA scales on the others where one fails). */
function utilizationTargets(hpa: Loose): { targets: UtilizationMetric[]; count: number } {
  const spec = mapping(hpa.spec);
  if (String(hpa.apiVersion) === 'autoscaling/v1') {
    return {
      targets: [{ where: `spec.targetCPUUtilizationPercentage (${String(spec.targetCPUUtilizationPercentage ?? DEFAULT_CPU_UTILIZATION)})`, resource: 'cpu' }],
      count: 1,
    };
  }
  const metrics = mappings(spec.metrics);
  if (spec.metrics === undefined)
    return { targets: [{ where: `spec.metrics (none: ${DEFAULT_CPU_UTILIZATION} % CPU by default)`, resource: 'cpu' }], count: 1 };
  return { targets: metrics.flatMap((m, i) => utilizationOf(m, i) ?? []), count: metrics.length };
}

/**
 * The containers whose requests the HPA sums for a pod: its containers and restartable (sidecar) init containers, or
 * the one a ContainerResource metric names (kubernetes pkg/controller/podautoscaler/replica_calculator.go
 * calculatePodRequests / calculatePodRequestsFromContainers). Undefined where the named container is not in the pod.
 */
function countedContainers(pod: Loose, container?: string): Loose[] | undefined {
  const sidecars = mappings(pod.initContainers).filter((c) => text(c.restartPolicy) === 'Always');
  const all = [...mappings(pod.containers), ...sidecars];
  if (container === undefined) return all;
  const named = all.filter((c) => text(c.name) === container);
  return named.length ? named : undefined;
}

/**
 * Whether a container requests the resource once admitted: a request, or a limit, which the API server copies into a
 * missing request (pkg/apis/core/v1/defaults.go SetDefaults_Pod). Undefined where its resources are left to a renderer.
 */
function requests(c: Loose, resource: string): boolean | undefined {
  if (c.resources !== undefined && !isMapping(c.resources)) return undefined;
  const r = mapping(c.resources);
  for (const part of [r.requests, r.limits]) if (part !== undefined && !isMapping(part)) return undefined;
  const value = mapping(r.requests)[resource] ?? mapping(r.limits)[resource];
  if (typeof value === 'string' && holdsTemplate(value)) return undefined;
  return value !== undefined && value !== null;
}

/** The workload of the tree the HPA scales, of a kind whose pod template it reads. */
function targetOf(hpa: GraphObject, graph: ObjectGraph): GraphObject | undefined {
  const ref = mapping(mapping(hpa.manifest.spec).scaleTargetRef);
  const kind = text(ref.kind);
  if (!kind || !TARGET_KINDS.includes(kind)) return undefined;
  const w = graph.find(kind, text(ref.name), graph.namespaceOf(hpa.manifest));
  // a SOPS document encrypted beyond its data is judged once decrypted: its resources are not known here
  return w && String(w.manifest.apiVersion) === 'apps/v1' && encryptedBeyondData(w.manifest) === undefined ? w : undefined;
}

/** What keeps one utilization target from being read: the containers that lack the request, or the named container missing. */
interface Unreadable {
  readonly target: UtilizationMetric;
  readonly lacking?: string[];
}

/** Why one utilization target cannot be read; undefined where every counted container requests the resource. */
function unreadable(graph: ObjectGraph, w: GraphObject, pod: Loose, t: UtilizationMetric): Unreadable | undefined {
  // pod-level requests (PodLevelResources) stand in for the containers' where the cluster enables that gate
  if (mapping(mapping(pod.resources).requests)[t.resource] !== undefined) return undefined;
  if (limitRangeDefaulted(graph, graph.namespaceOf(w.manifest), pod).some((d) => d.resource === t.resource)) return undefined;
  const counted = countedContainers(pod, t.container);
  if (!counted) return { target: t };
  const judged = counted.map((c) => ({ name: text(c.name) ?? '<unnamed>', asked: requests(c, t.resource) }));
  const lacking = judged.filter((c) => c.asked === false).map((c) => `'${c.name}'`);
  return judged.some((c) => c.asked === undefined) || !lacking.length ? undefined : { target: t, lacking };
}

/** The finding for one unreadable target; `all` where no metric of the HPA can be read. */
function said(w: GraphObject, pod: Loose, u: Unreadable, all: boolean): Problem {
  const t = u.target;
  const subject = `${t.where} scales ${String(w.manifest.kind)} '${text(mapping(w.manifest.metadata).name) ?? ''}' on ${t.resource} utilization`;
  const effect = all
    ? 'sets ScalingActive False (FailedGetResourceMetric) and the HPA never scales'
    : 'fails this metric on every sync (FailedGetResourceMetric): the HPA scales up on its other metrics but never scales down, which it does not do while a metric cannot be read';
  if (!u.lacking) {
    const names = mappings(pod.containers).map((c) => text(c.name) ?? '<unnamed>');
    return {
      ...(all ? {} : { severity: 'warning' as const }),
      message: `${subject} of container '${t.container ?? ''}', which its pods do not have (containers: ${names.join(', ')}): the HPA controller finds no such container ("container … not found in Pod …"), ${effect}; name a container of the pod template`,
    };
  }
  return {
    ...(all ? {} : { severity: 'warning' as const }),
    message:
      `${subject}, but container ${u.lacking.join(', ')} of its pods requests no ${t.resource} (nor limits it): utilization is a share of the request, so ` +
      `the HPA controller refuses the pods ("missing request for ${t.resource} in container …"), ${effect}; ` +
      `set resources.requests.${t.resource} on ${u.lacking.length > 1 ? 'each of these containers' : 'that container'}, or target an AverageValue instead of Utilization`,
  };
}

export const hpaUtilizationWithoutRequest: Rule = {
  id: 'hpa-utilization-without-request',
  title: 'an HPA scales on CPU or memory utilization of containers that request none: the HPA never scales',
  severity: 'error',
  appliesTo: ['HorizontalPodAutoscaler'],
  premise:
    "a HorizontalPodAutoscaler (autoscaling/v1's targetCPUUtilizationPercentage; autoscaling/v2 and its betas, a Resource metric with target.type Utilization, or targetAverageUtilization, where no metric is listed CPU at 80 %) scales a Deployment, StatefulSet or ReplicaSet of the tree, and a container of its pod template (its containers and restartable sidecar init containers; for a ContainerResource metric the container it names) neither requests nor limits that resource (a limit becomes the missing request): " +
    'utilization is usage over request, and the HPA controller refuses a pod with a container missing the request, so the metric cannot be read. An error where it is the only metric (ScalingActive False, FailedGetResourceMetric: the HPA never scales); a warning where the HPA has other metrics (it scales up on them but never scales down while one metric fails). ' +
    "A ContainerResource metric naming a container the pods do not have is an error likewise. Not judged: a pod-level request of the resource (spec.resources, PodLevelResources), a LimitRange of the tree in the workload's namespace that defaults it, resources a renderer fills",
  example:
    '`target: {type: Utilization, averageUtilization: 70}` of `name: cpu` on a Deployment whose container sets `resources: {limits: {nvidia.com/gpu: 1}}`',
  fix: 'set resources.requests of that resource on every container the HPA counts, or scale on an AverageValue (or a Pods/External metric) instead of Utilization',
  source:
    'kubernetes pkg/controller/podautoscaler/replica_calculator.go GetResourceReplicas and calculatePodRequests (calculatePodRequestsFromContainers: containers and restartable init containers, or the named container; "missing request for %s in container %s of Pod %s", "container %s not found in Pod %s"); horizontal.go computeReplicasForMetrics (FailedGetResourceMetric; with some metrics invalid it does not scale down); pkg/apis/autoscaling/v2/defaults.go (CPU 80 % where no metric is given); pkg/apis/core/v1/defaults.go (a limit defaults the missing request)',
  check(o, { graph }) {
    if (!String(o.manifest.apiVersion ?? '').startsWith('autoscaling/')) return [];
    const w = targetOf(o, graph);
    const pod = w ? podSpecOf(w.manifest) : undefined;
    if (!w || !pod) return [];
    const { targets, count } = utilizationTargets(o.manifest);
    const failing = targets.flatMap((t) => unreadable(graph, w, pod, t) ?? []);
    return failing.map((u) => said(w, pod, u, failing.length >= count));
  },
};
