import * as path from 'path';
import { mapping, stringMap, text } from '../../manifests/access';
import { AUTOSCALER_CLASS_ANNOTATION } from '../../k8s/keys';
import { apiGroupOf } from '../../k8s/api-version';
import { groupRequired } from '../../k8s/pod-kinds';
import { foundElsewhere, REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { isvcDeploymentMode } from '../kserve-mode';
import { Platform } from '../platform';
import { Problem, Rule } from '../rule';
import { madeOutsideTree, namesNearest, nearName } from '../reference-targets';
import { skippedValuesBeside } from '../skipped-values';

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

/** What an autoscaler whose target is missing does, by kind. */
const missingEffect = (o: GraphObject) =>
  o.manifest.kind === 'ScaledObject'
    ? "KEDA's operator cannot read its scale subresource, marks the ScaledObject not ready and scales nothing"
    : 'the HPA reports FailedGetScale and scales nothing';

/**
 * The names KServe gives the Deployment of an InferenceService's component: <isvc>-<component> in raw deployment mode
 * (pkg/constants PredictorServiceName and the like), and, in Knative mode, the Deployment Knative makes for each revision
 * of the Knative Service <isvc>-<component>: <ksvc>-<5-digit generation>-deployment (knative/serving
 * pkg/reconciler/revision/resources/names Deployment: the revision's name, revisions named <configuration>-00001, …).
 */
const KSERVE_DEPLOYMENT = /^(.+)-(predictor|transformer|explainer)(?:-(\d{5})-deployment)?$/;

/** The fix for an autoscaler of a Knative-mode InferenceService. */
const KNATIVE_SCALE_FIX =
  "scale it through the InferenceService (the component's minReplicas, maxReplicas, scaleMetric and scaleTarget, which KServe hands to Knative's autoscaler) and delete this autoscaler; " +
  'or run it in raw deployment mode (serving.kserve.io/deploymentMode: Standard, RawDeployment before KServe 0.16) with serving.kserve.io/autoscalerClass: external, and target the Deployment';

/**
 * A target named after a component of a KServe InferenceService of the tree (KSERVE_DEPLOYMENT), judged by the mode
 * KServe runs it in (isvcDeploymentMode); undefined where the name is no such component's.
 */
function kserveTargetProblem(o: GraphObject, graph: ObjectGraph, platform: Platform, kind: string, name: string): Problem[] | undefined {
  const match = KSERVE_DEPLOYMENT.exec(name);
  if (kind !== 'Deployment' || !match) return undefined;
  const [, isvcName, component, revision] = match;
  const isvc = graph.find('InferenceService', isvcName, graph.namespaceOf(o.manifest));
  if (!isvc || !/^serving\.kserve\.io\//.test(text(isvc.manifest.apiVersion) ?? '')) return undefined;
  if (component !== 'predictor' && mapping(isvc.manifest.spec)[component] === undefined) return undefined;
  const mode = isvcDeploymentMode(isvc.manifest, platform, graph);
  const field = `spec.scaleTargetRef names Deployment '${name}', ${revision ? `the Deployment of Knative revision ${revision} of` : 'the Deployment KServe makes in raw deployment mode for'} the ${component} of ${graph.id(isvc)}`;
  const raw = `${isvcName}-${component}`;
  if (mode.mode === 'raw' && mode.certain && revision) {
    return [
      {
        message: `${field}, but ${mode.why}: KServe runs it as a Deployment named '${raw}', and no Knative revision exists: ${missingEffect(o)}; target '${raw}'`,
      },
    ];
  }
  if (mode.mode !== 'knative') return [];
  if (revision) {
    return [
      {
        severity: 'warning',
        message:
          `${field}, which runs on Knative (${mode.why}): Knative's autoscaler sets that Deployment's replicas too, so the two autoscalers fight over them, and each change KServe makes to the Knative Service creates a new revision whose Deployment has another name, leaving this autoscaler on the old one; ` +
          KNATIVE_SCALE_FIX.replace('target the Deployment', `target the Deployment '${raw}'`),
      },
    ];
  }
  const external = ['external', 'none'].includes(stringMap(mapping(isvc.manifest.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION] ?? '');
  const knative = `on Knative KServe makes a Knative Service '${raw}', whose Deployment is '${raw}-00001-deployment' (renamed with each revision), so '${name}' does not exist and ${missingEffect(o)}`;
  if (mode.certain) return [{ message: `${field}, but ${mode.why}: ${knative}; ${KNATIVE_SCALE_FIX}` }];
  if (external) {
    return [
      {
        severity: 'warning',
        message: `${field}, but ${mode.why}: unless the cluster's default is Standard (RawDeployment), ${knative}; write serving.kserve.io/deploymentMode: Standard (RawDeployment before KServe 0.16) on ${graph.id(isvc)}`,
      },
    ];
  }
  const own =
    o.manifest.kind === 'ScaledObject'
      ? "KEDA's webhook refuses this ScaledObject (the Deployment is already managed by that HPA)"
      : 'both HPAs select the same pods and the HPA controller scales with neither (AmbiguousSelector)';
  return [
    {
      message:
        `${field}, but ${mode.why}: ${knative}; and where the cluster's default is Standard (RawDeployment), ${graph.id(isvc)} sets no serving.kserve.io/autoscalerClass, so KServe makes its own HPA '${raw}' for that Deployment and ${own}. ` +
        `Either way this autoscaler scales nothing: write serving.kserve.io/deploymentMode: Standard (RawDeployment before KServe 0.16) and serving.kserve.io/autoscalerClass: external on ${graph.id(isvc)}, or ${KNATIVE_SCALE_FIX.split('; or ')[0]}`,
    },
  ];
}

/** A note for a target a Helm chart configured by values files beside the autoscaler may make. */
function chartMayMake(field: string, values: readonly string[]): Problem {
  const shown = values.slice(0, 3).map((f) => path.basename(f));
  return {
    severity: 'info',
    message: `${field}, which the tree does not define; the folder holds Helm values files the check does not render (${shown.join(', ')}${values.length > 3 ? ', …' : ''}): the chart they configure may make it under that name, so the target is not judged here; check it against the chart's rendered objects (helm template)`,
  };
}

/** The namespace an object writes itself (metadata.namespace), not one its delivery gives it. */
const ownNamespace = (o: GraphObject) => text(mapping(o.manifest.metadata).namespace);

/**
 * The target is in another namespace the tree writes on it, while the autoscaler writes its own: an HPA (and the HPA
 * KEDA makes in the ScaledObject's namespace) reads the scale subresource of its own namespace only.
 */
function targetInOtherNamespace(o: GraphObject, graph: ObjectGraph, kind: string, name: string, ns: string): Problem[] {
  if (ownNamespace(o) === undefined) return [];
  const elsewhere = graph
    .ofKind(kind)
    .filter((w) => groupMatches(w, kind) && text(mapping(w.manifest.metadata).name) === name && ownNamespace(w) !== undefined && ownNamespace(w) !== ns);
  if (!elsewhere.length) return [];
  const there = [...new Set(elsewhere.map(ownNamespace))].join("', '");
  return [
    {
      message:
        `spec.scaleTargetRef names ${kind} '${name}', which the tree defines in namespace '${there}', not in '${ns}' where this autoscaler is: an autoscaler scales a workload of its own namespace only, so ${missingEffect(o)}; ` +
        `put the autoscaler in namespace '${there}' beside its target`,
    },
  ];
}

/**
 * The target found only because it names no namespace of its own, while the autoscaler names one and the input says
 * nothing of where the target goes: applied as written, the target lands in the namespace of the kubectl context
 * (default unless -n says), not in the autoscaler's. A warning: `kubectl apply -n <that namespace>` puts both together;
 * none for an autoscaler pinned to default.
 */
function namespaceLessTarget(o: GraphObject, target: GraphObject, graph: ObjectGraph, kind: string, name: string): Problem[] {
  const ns = ownNamespace(o);
  // pinned to default, it meets the target where a context that names no namespace applies it
  if (ns === undefined || ns === 'default' || ownNamespace(target) !== undefined || graph.namespaceOf(target.manifest) !== undefined) return [];
  return [
    {
      severity: 'warning',
      message:
        `spec.scaleTargetRef names ${kind} '${name}', which the tree defines without a namespace while this autoscaler is pinned to '${ns}': unless it is applied with -n ${ns}, the ${kind} lands in the context's namespace (default) and ${missingEffect(o)}; ` +
        `set metadata.namespace: ${ns} on ${graph.id(target)}`,
    },
  ];
}

function targetProblem(o: GraphObject, graph: ObjectGraph, platform: Platform): Problem[] {
  const ref = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const name = text(ref.name);
  // KEDA defaults the kind to Deployment (apps/v1); an HPA's kind is required
  const kind = text(ref.kind) ?? (o.manifest.kind === 'ScaledObject' ? 'Deployment' : undefined);
  const ns = graph.namespaceOf(o.manifest);
  if (!name || !kind || !Object.hasOwn(SCALABLE, kind)) return [];
  // a kind of the name in another group (a release tool's Rollout) is not judged
  if (groupRequired(kind) && text(ref.apiVersion) !== undefined && apiGroupOf(ref.apiVersion) !== SCALABLE[kind]) return [];
  const found = graph.find(kind, name, ns);
  if (found) return namespaceLessTarget(o, found, graph, kind, name);
  const kserve = kserveTargetProblem(o, graph, platform, kind, name);
  if (kserve) return kserve;
  if (ns === undefined || madeOutsideTree(graph, kind, name, ns)) return [];
  const workloads = workloadsIn(graph, ns);
  if (!workloads.length) return targetInOtherNamespace(o, graph, kind, name, ns);
  const effect = missingEffect(o);
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
  // Helm values beside it that the check skipped: the chart they configure makes workloads the tree does not show
  const values = closest && nearName(name, closest) ? [] : skippedValuesBeside(graph, o);
  if (values.length) return [chartMayMake(field, values)];
  const problem: Problem =
    closest && nearName(name, closest)
      ? {
          message: `${field}, which is not in namespace '${ns}'${elsewhere} (did you mean '${closest}'? the tree deploys ${listed} there): ${effect}; name the workload it should scale`,
        }
      : {
          severity: 'warning',
          message:
            `${field}, which the tree does not define in namespace '${ns}'${elsewhere}, though it deploys ${listed} there: unless something outside the tree makes it, ${effect}; ` +
            'name one of those workloads, or add the one it should scale',
        };
  return [unlessRepositoryMakes(graph, problem, kind, name, ns)];
}

export const scaleTargetNotFound: Rule = {
  id: 'scale-target-not-found',
  title:
    "a KEDA ScaledObject or an HPA scales a Deployment, StatefulSet, LeaderWorkerSet, Argo Rollout or DeploymentConfig the tree does not define beside the workloads of its namespace, or a KServe InferenceService's Deployment under the name of the other deployment mode: nothing is scaled",
  severity: 'error',
  appliesTo: ['ScaledObject', 'HorizontalPodAutoscaler'],
  premise:
    'spec.scaleTargetRef (kind Deployment, StatefulSet, LeaderWorkerSet, Rollout or DeploymentConfig, each in its own API group; a ScaledObject without kind means Deployment) names a workload that is not in the namespace, while the tree deploys other workloads of those kinds there: ' +
    "an error when the name is a few characters from one of them (did you mean) or names one of another kind, else a warning (it may come from elsewhere); not judged: an object whose namespace the tree does not give, a name holding a template, a name that begins with a custom resource's name of the namespace, a namespace an Argo CD Application syncs from a source the input does not show; where Helm values files the check skips lie in the autoscaler's folder (or above or below it), a name unlike the namespace's workloads is a note (the chart they configure may make it), not reasoned about from the namespace's unrelated workloads. " +
    "A Deployment named after a component of a KServe InferenceService of the tree (<isvc>-predictor, -transformer, -explainer, or Knative's revision Deployment <isvc>-predictor-00001-deployment) is judged by the mode KServe runs the service in (the deploymentMode annotation, else the tree's inferenceservice-config or Helm --set deploymentMode, else the platform's default: Knative on upstream KServe and OpenShift AI 2.x, raw on OpenShift AI 3): " +
    '<isvc>-predictor of a Knative-mode service does not exist (an error where the mode is written or the tree sets it; where it is the assumed default, an error unless autoscalerClass is external or none, since in raw mode KServe then makes its own HPA for that Deployment, else a warning); a revision Deployment of a raw-mode service does not exist (error); a revision Deployment of a Knative-mode service exists but is scaled by Knative too and renamed with each revision (warning)' +
    REPOSITORY_PREMISE +
    "; and a target of that kind and name the tree defines only in another namespace, both namespaces written on the objects (an error: the autoscaler reads the scale subresource of its own namespace only), or one written without a namespace beside an autoscaler that names its own, other than default, while the input gives no namespace to the target (a warning: applied without -n it lands in the context's namespace)",
  example: '`scaleTargetRef: {name: chat-servr}` in a ScaledObject whose namespace holds Deployment `name: chat-server`',
  fix: 'name the workload the autoscaler should scale (scaleTargetRef.name and kind as the tree defines it)',
  source:
    "kedacore/keda controllers/keda/scaledobject_controller.go checkTargetResourceIsScalable (the target's /scale must be readable, else the ScaledObject is not Ready and no HPA scales it); kubernetes pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler (AbleToScale False, reason FailedGetScale) and validateAndParseSelector (pods controlled by several HPAs: ScalingActive False, AmbiguousSelector); " +
    'kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go GetDeploymentMode, config/configmap/inferenceservice.yaml (deploy.defaultDeploymentMode "Serverless", v0.15 to v0.20), reconcilers/knative/ksvc_reconciler.go (a Knative Service <isvc>-predictor) and reconcilers/hpa/hpa_reconciler.go (its HPA <isvc>-predictor in raw mode unless autoscalerClass external or none); knative/serving pkg/reconciler/revision/resources (the revision Deployment <revision>-deployment, replicas set by the autoscaler)',
  check(o, { graph, platform }) {
    return targetProblem(o, graph, platform);
  },
};
