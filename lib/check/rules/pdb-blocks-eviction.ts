import { mapping, stringMap, text } from '../../manifests/access';
import { deliveredTogether, sameBuildOrFolder } from '../applied-together';
import { selectorMatches } from '../argocd/label-selector';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { predictorPodLabels } from '../network-policies';
import { podLabelsOf } from '../pods';
import { Problem, Rule } from '../rule';
import { TEMPLATE_KINDS } from './service-selector-unmatched';

/** The workloads whose scale the disruption controller reads (pkg/controller/disruption getExpectedScale: the scale subresource of the pods' controllers). */
const SCALED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'];

/** The count a workload runs at its lowest while it runs pods, and what says so; undefined where it runs none. */
function lowestReplicas(graph: ObjectGraph, w: GraphObject): { count: number; why: string } | undefined {
  const name = text(mapping(w.manifest.metadata).name);
  const ns = graph.namespaceOf(w.manifest);
  const targets = (s: GraphObject, kind?: string) => {
    const ref = mapping(mapping(s.manifest.spec).scaleTargetRef);
    return (text(ref.kind) ?? kind) === w.manifest.kind && text(ref.name) === name && graph.namespaceOf(s.manifest) === ns;
  };
  const hpa = graph.ofKind('HorizontalPodAutoscaler').find((s) => targets(s));
  if (hpa) {
    const min = mapping(hpa.manifest.spec).minReplicas;
    // the HPA's minReplicas defaults to 1 (autoscaling/v2 types.go)
    const count = typeof min === 'number' ? min : 1;
    return count > 0 ? { count, why: `${graph.id(hpa)}'s minReplicas ${count}` } : undefined;
  }
  // KEDA defaults scaleTargetRef.kind to Deployment and minReplicaCount to 0: while it runs pods, it runs at least one
  const scaled = graph.ofKind('ScaledObject').find((s) => targets(s, 'Deployment'));
  if (scaled) {
    const min = mapping(scaled.manifest.spec).minReplicaCount;
    const count = Math.max(typeof min === 'number' ? min : 0, 1);
    return { count, why: `${graph.id(scaled)}'s minReplicaCount ${typeof min === 'number' ? min : '(unset, 0)'}, one pod while it runs` };
  }
  const replicas = mapping(w.manifest.spec).replicas;
  if (replicas !== undefined && typeof replicas !== 'number') return undefined;
  const count = replicas ?? 1;
  return count > 0 ? { count, why: replicas === undefined ? 'replicas unset, 1' : `replicas ${count}` } : undefined;
}

/** A budget's value: an integer, or a percentage of the expected count (intstr.GetScaledValueFromIntOrPercent, rounded up as the disruption controller asks). */
function scaled(value: unknown, expected: number): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const pct = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return pct ? Math.ceil((expected * Number(pct[1])) / 100) : undefined;
}

/** A budget's value as written. */
const shown = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');

/** The healthy pods the budget asks for (disruption.go getExpectedPodCount: minAvailable, else the expected count less maxUnavailable). */
function desiredHealthy(spec: Record<string, unknown>, expected: number): { desired: number; field: string } | undefined {
  if (spec.maxUnavailable !== undefined) {
    const max = scaled(spec.maxUnavailable, expected);
    return max === undefined ? undefined : { desired: Math.max(expected - max, 0), field: `spec.maxUnavailable ${shown(spec.maxUnavailable)}` };
  }
  if (spec.minAvailable === undefined) return undefined;
  const min = scaled(spec.minAvailable, expected);
  return min === undefined ? undefined : { desired: min, field: `spec.minAvailable ${shown(spec.minAvailable)}` };
}

/** The pod-making objects of the namespace and the budget's delivery whose pods its selector picks: the scaled workloads, and whether others (Jobs, operators' pods) are among them. */
function selected(graph: ObjectGraph, pdb: GraphObject, selector: unknown): { workloads: GraphObject[]; others: boolean } {
  const ns = graph.namespaceOf(pdb.manifest);
  // applied together: one build or folder, or objects given without files (read together)
  const near = (o: GraphObject) => graph.namespaceOf(o.manifest) === ns && (sameBuildOrFolder(pdb, o, graph) || deliveredTogether(pdb, o, graph));
  const picks = (labels: Record<string, string>) => selectorMatches(selector, labels) === true;
  const templates = TEMPLATE_KINDS.flatMap((k) => graph.ofKind(k)).filter((o) => near(o) && picks(stringMap(podLabelsOf(o.manifest))));
  const predictors = graph.ofKind('InferenceService').filter((o) => near(o) && picks(predictorPodLabels(o.manifest)));
  const workloads = templates.filter((o) => SCALED_KINDS.includes(String(o.manifest.kind)));
  return { workloads, others: predictors.length > 0 || workloads.length < templates.length };
}

function judged(pdb: GraphObject, graph: ObjectGraph): Problem[] {
  const spec = mapping(pdb.manifest.spec);
  // policy/v1beta1 reads an empty selector as no pod, policy/v1 as every pod of the namespace; a null one is none
  if (spec.selector == null || (String(pdb.manifest.apiVersion) !== 'policy/v1' && !Object.keys(mapping(spec.selector)).length)) return [];
  const { workloads, others } = selected(graph, pdb, spec.selector);
  if (!workloads.length || others) return [];
  const counts = workloads.map((w) => ({ w, r: lowestReplicas(graph, w) }));
  if (counts.some((c) => !c.r)) return [];
  const expected = counts.reduce((sum, c) => sum + c.r!.count, 0);
  const budget = desiredHealthy(spec, expected);
  if (!budget || expected - budget.desired > 0) return [];
  const shown = counts.map((c) => `${graph.id(c.w)} (${c.r!.why})`).join(', ');
  return [
    {
      message:
        `${budget.field} over ${expected} pod${expected > 1 ? 's' : ''} of ${shown}: with every pod healthy the disruption controller allows ${expected} − ${budget.desired} = 0 disruptions, ` +
        'so the Eviction API refuses every eviction of these pods (429) and a node drain (kubectl drain, a cluster upgrade, on OpenShift a MachineConfig rollout) waits on their node until someone deletes them by hand; ' +
        `set maxUnavailable: 1 (or a minAvailable below ${expected}), or run more replicas than the budget keeps`,
    },
  ];
}

export const pdbBlocksEviction: Rule = {
  id: 'pdb-blocks-eviction',
  title:
    'a PodDisruptionBudget allows no disruption of the pods it selects (minAvailable as large as their replicas, or maxUnavailable 0): every node drain hangs on them',
  severity: 'warning',
  appliesTo: ['PodDisruptionBudget'],
  premise:
    'a PodDisruptionBudget whose selector (policy/v1: an empty one picks every pod of the namespace; policy/v1beta1: none) picks the pods of Deployments, StatefulSets or ReplicaSets of its namespace and delivery only (not Jobs, DaemonSets, other controllers or the predictor pods KServe makes), ' +
    'where, at the lowest count they run at while they run (spec.replicas, 1 when unset; an HPA targeting one: its minReplicas, 1 when unset; a KEDA ScaledObject: its minReplicaCount, at least one pod), the budget keeps them all: minAvailable (an integer, or a percentage rounded up) at least their total, or maxUnavailable 0 (or a percentage that rounds to 0); ' +
    'a warning: the pods run, but no voluntary eviction is ever allowed (a budget kept on purpose, a single-replica service whose downtime is worse than a blocked drain, is acknowledged)',
  example: '`minAvailable: 1` over a Deployment with `replicas: 1`',
  fix: 'set maxUnavailable: 1 (or a minAvailable below the replicas), or run one replica more than the budget keeps',
  source:
    'Kubernetes docs "Specifying a Disruption Budget for your Application" (a budget that allows no disruption blocks kubectl drain) and pkg/controller/disruption/disruption.go getExpectedPodCount (desiredHealthy from minAvailable, or the expected scale less maxUnavailable; percentages rounded up by intstr.GetScaledValueFromIntOrPercent) and updatePdbStatus (disruptionsAllowed = currentHealthy − desiredHealthy); the Eviction API answers 429 when disruptionsAllowed is 0; kube-linter pdb-min-available and pdb-max-unavailable (the same concern, judged there by the workload replicas)',
  check(o, { graph }) {
    return judged(o, graph);
  },
};
