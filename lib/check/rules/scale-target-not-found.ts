import { mapping, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { groupRequired } from '../../k8s/pod-kinds';
import { foundElsewhere } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { madeOutsideTree, namesNearest, nearName } from '../reference-targets';

/** The workload kinds judged, with the API group each must have (a custom kind of another group is not judged). */
const SCALABLE: Readonly<Record<string, string>> = {
  Deployment: 'apps',
  StatefulSet: 'apps',
  LeaderWorkerSet: 'leaderworkerset.x-k8s.io',
  Rollout: 'argoproj.io',
  DeploymentConfig: 'apps.openshift.io',
};

const groupMatches = (o: GraphObject, kind: string) => String(o.manifest.apiVersion ?? '').split('/')[0] === SCALABLE[kind];

/** The workloads of the judged kinds in a namespace. */
function workloadsIn(graph: ObjectGraph, ns: string): GraphObject[] {
  return Object.keys(SCALABLE).flatMap((k) => graph.ofKind(k).filter((w) => groupMatches(w, k) && graph.namespaceOf(w.manifest) === ns));
}

function targetProblem(o: GraphObject, graph: ObjectGraph): Problem[] {
  const ref = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const name = text(ref.name);
  // KEDA defaults the kind to Deployment (apps/v1); an HPA's kind is required
  const kind = text(ref.kind) ?? (o.manifest.kind === 'ScaledObject' ? 'Deployment' : undefined);
  const ns = graph.namespaceOf(o.manifest);
  if (!name || !kind || !Object.hasOwn(SCALABLE, kind) || ns === undefined) return [];
  // a kind of the name in another group (a release tool's Rollout) is not judged
  if (groupRequired(kind) && text(ref.apiVersion) !== undefined && apiGroupOf(ref.apiVersion) !== SCALABLE[kind]) return [];
  if (graph.find(kind, name, ns) || madeOutsideTree(graph, name, ns)) return [];
  const workloads = workloadsIn(graph, ns);
  if (!workloads.length) return [];
  const effect =
    o.manifest.kind === 'ScaledObject'
      ? "KEDA's operator cannot read its scale subresource, marks the ScaledObject not ready and scales nothing"
      : 'the HPA reports FailedGetScale and scales nothing';
  const field = `spec.scaleTargetRef names ${kind} '${name}'`;
  const otherKind = workloads.find((w) => text(mapping(w.manifest.metadata).name) === name);
  if (otherKind) {
    return [
      {
        message: `${field}, but '${name}' in namespace '${ns}' is a ${String(otherKind.manifest.kind)}: ${effect}; set scaleTargetRef.kind: ${String(otherKind.manifest.kind)}`,
      },
    ];
  }
  const listed = workloads.map((w) => graph.id(w)).join(', ');
  const closest = namesNearest(name, workloads)[0];
  const elsewhere = foundElsewhere(graph, kind, name, ns, 'the autoscaler scales a workload of its own namespace only');
  if (closest && nearName(name, closest)) {
    return [
      {
        message: `${field}, which is not in namespace '${ns}'${elsewhere} (did you mean '${closest}'? the tree deploys ${listed} there): ${effect}; name the workload it should scale`,
      },
    ];
  }
  return [
    {
      severity: 'warning',
      message:
        `${field}, which the tree does not define in namespace '${ns}'${elsewhere}, though it deploys ${listed} there: unless something outside the tree makes it, ${effect}; ` +
        'name one of those workloads, or add the one it should scale',
    },
  ];
}

export const scaleTargetNotFound: Rule = {
  id: 'scale-target-not-found',
  title:
    'a KEDA ScaledObject or an HPA scales a Deployment, StatefulSet, LeaderWorkerSet, Argo Rollout or DeploymentConfig the tree does not define beside the workloads of its namespace: nothing is scaled',
  severity: 'error',
  appliesTo: ['ScaledObject', 'HorizontalPodAutoscaler'],
  premise:
    'spec.scaleTargetRef (kind Deployment, StatefulSet, LeaderWorkerSet, Rollout or DeploymentConfig, each in its own API group; a ScaledObject without kind means Deployment) names a workload that is not in the namespace, while the tree deploys other workloads of those kinds there: ' +
    "an error when the name is a few characters from one of them (did you mean) or names one of another kind, else a warning (it may come from elsewhere); not judged: an object whose namespace the tree does not give, a name holding a template, a name that begins with a custom resource's name of the namespace (KServe's <isvc>-predictor), a namespace an Argo CD Application syncs from a source the input does not show",
  example: '`scaleTargetRef: {name: chat-servr}` in a ScaledObject whose namespace holds Deployment `name: chat-server`',
  fix: 'name the workload the autoscaler should scale (scaleTargetRef.name and kind as the tree defines it)',
  source:
    "kedacore/keda controllers/keda/scaledobject_controller.go checkTargetResourceIsScalable (the target's /scale must be readable, else the ScaledObject is not Ready and no HPA scales it); kubernetes pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler (AbleToScale False, reason FailedGetScale)",
  check(o, { graph }) {
    return targetProblem(o, graph);
  },
};
