import { mapping, mappings, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { absentReference, NamedReference } from '../absent-reference';
import { REPOSITORY_PREMISE } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { groupOf, objectsOf } from '../reference-targets';
import { Problem, Rule } from '../rule';
import { UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';

/** Argo Rollouts' API group (argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1 register.go). */
const ROLLOUTS_GROUP = 'argoproj.io';

/** The workloads a workloadRef may name, by group and kind (argo-rollouts rollout/templateref.go infoByGroupKind). */
const WORKLOAD_KINDS: Readonly<Record<string, string>> = { 'apps Deployment': 'Deployment', 'apps ReplicaSet': 'ReplicaSet', ' PodTemplate': 'PodTemplate' };

/** The analyses of a strategy, each with the path of its field (rollout/controller.go getReferencedRolloutAnalyses). */
function analysesOf(spec: Record<string, unknown>): { path: string; analysis: Record<string, unknown> }[] {
  const strategy = mapping(spec.strategy);
  const blueGreen = mapping(strategy.blueGreen);
  // the controller reads the blue-green strategy where it is set, the canary one only otherwise
  if (Object.keys(blueGreen).length)
    return ['prePromotionAnalysis', 'postPromotionAnalysis'].map((k) => ({ path: `spec.strategy.blueGreen.${k}`, analysis: mapping(blueGreen[k]) }));
  const canary = mapping(strategy.canary);
  const steps = (Array.isArray(canary.steps) ? canary.steps : []).map((s: unknown, i: number) => ({
    path: `spec.strategy.canary.steps[${i}].analysis`,
    analysis: mapping(mapping(s).analysis),
  }));
  return [...steps, { path: 'spec.strategy.canary.analysis', analysis: mapping(canary.analysis) }];
}

/** The Services a strategy names, each with the path of its field (rollout/controller.go getReferencedServices). */
function servicesOf(spec: Record<string, unknown>): { path: string; name: string }[] {
  const strategy = mapping(spec.strategy);
  const blueGreen = mapping(strategy.blueGreen);
  const canary = mapping(strategy.canary);
  const fields: [string, Record<string, unknown>, string][] = Object.keys(blueGreen).length
    ? [
        ['spec.strategy.blueGreen', blueGreen, 'activeService'],
        ['spec.strategy.blueGreen', blueGreen, 'previewService'],
      ]
    : [
        ['spec.strategy.canary', canary, 'stableService'],
        ['spec.strategy.canary', canary, 'canaryService'],
        ['spec.strategy.canary.pingPong', mapping(canary.pingPong), 'pingService'],
        ['spec.strategy.canary.pingPong', mapping(canary.pingPong), 'pongService'],
      ];
  return fields.flatMap(([at, holder, key]) => {
    const name = text(holder[key]);
    return name ? [{ path: `${at}.${key}`, name }] : [];
  });
}

const INVALID = 'the controller marks the Rollout InvalidSpec and rolls out nothing until it exists';

/** The AnalysisTemplates and ClusterAnalysisTemplates the analyses name (AnalysisTemplateRef: clusterScope picks the kind). */
function templateReferences(graph: ObjectGraph, o: GraphObject, ns: string | undefined): NamedReference[] {
  return analysesOf(mapping(o.manifest.spec)).flatMap(({ path, analysis }) =>
    mappings(analysis.templates).flatMap((t, i) => {
      const name = text(t.templateName);
      if (!name) return [];
      const cluster = t.clusterScope === true;
      const kind = cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      return [
        {
          field: `${path}.templates[${i}].templateName`,
          kind,
          name,
          ns: cluster ? undefined : ns,
          candidates: cluster ? graph.ofKind(kind).filter((c) => groupOf(c) === ROLLOUTS_GROUP) : objectsOf(graph, kind, [ROLLOUTS_GROUP], ns),
          effect: `${INVALID} ("${kind} '${name}' not found")`,
          fix: cluster
            ? 'name a ClusterAnalysisTemplate the tree holds, or add it (or drop clusterScope: true for an AnalysisTemplate of the namespace)'
            : "name an AnalysisTemplate of the Rollout's namespace, or add it there (clusterScope: true for a ClusterAnalysisTemplate)",
        },
      ];
    }),
  );
}

/** The Services and the workload the Rollout names. */
function otherReferences(graph: ObjectGraph, o: GraphObject, ns: string | undefined): NamedReference[] {
  const services = servicesOf(mapping(o.manifest.spec)).map(({ path, name }) => ({
    field: path,
    kind: 'Service',
    name,
    ns,
    candidates: objectsOf(graph, 'Service', [''], ns),
    effect: `${INVALID} (${path}: Invalid value: "${name}": services "${name}" not found)`,
    fix: "name a Service of the namespace that selects the Rollout's pods, or add it (Argo Rollouts makes no Service: it only sets the selector of those it is given)",
  }));
  const ref = mapping(mapping(o.manifest.spec).workloadRef);
  const name = text(ref.name);
  const kind = WORKLOAD_KINDS[`${apiGroupOf(text(ref.apiVersion) ?? '')} ${text(ref.kind) ?? ''}`];
  if (!name || !kind) return services;
  const workload: NamedReference = {
    field: 'spec.workloadRef',
    kind,
    name,
    ns,
    candidates: objectsOf(graph, kind, [kind === 'PodTemplate' ? '' : 'apps'], ns),
    effect: `the controller cannot resolve the pod template (${kind.toLowerCase()}s "${name}" not found), marks the Rollout InvalidSpec and runs no pods`,
    fix: `name the ${kind} whose pod template the Rollout runs, or add it to the Rollout's namespace`,
  };
  return [...services, workload];
}

function referenceProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (o.manifest.kind !== 'Rollout' || groupOf(o) !== ROLLOUTS_GROUP) return [];
  const ns = graph.namespaceOf(o.manifest);
  return [...templateReferences(graph, o, ns), ...otherReferences(graph, o, ns)].flatMap((ref) => absentReference(graph, o, ref));
}

export const rolloutReferenceNotFound: Rule = {
  id: 'rollout-reference-not-found',
  title:
    'an Argo Rollout names an AnalysisTemplate, ClusterAnalysisTemplate, Service or workload the tree does not hold: the controller marks the Rollout InvalidSpec and it never progresses',
  severity: 'error',
  appliesTo: ['Rollout'],
  premise:
    "an argoproj.io Rollout's analyses (spec.strategy.canary.analysis and steps[].analysis, or blueGreen.prePromotionAnalysis and postPromotionAnalysis: the controller reads the blue-green strategy where it is set) name by templates[].templateName an AnalysisTemplate of the Rollout's namespace (a ClusterAnalysisTemplate with clusterScope: true), its strategy names Services (canary stableService, canaryService, pingPong pingService and pongService; blueGreen activeService and previewService) of its namespace, or spec.workloadRef names an apps Deployment or ReplicaSet, or a PodTemplate, of its namespace, which the tree does not hold: " +
    'an error where the tree holds other objects of the kind there (any ClusterAnalysisTemplate for one) or creates the namespace, naming the one a misspelt name most likely meant; else a warning (another delivery may make it); not judged: a name holding a template, a Service or object a controller, chart or operator of the tree makes' +
    UNSEEN_INSTALLS_PREMISE +
    REPOSITORY_PREMISE,
  example: "`templateName: error-rate-check` in the canary strategy's analysis, with AnalysisTemplate `name: error-rate` in the namespace",
  fix: 'name the AnalysisTemplate, Service or workload the tree holds (the message names the one a misspelt name most likely meant), or add it to the namespace',
  source:
    'argoproj/argo-rollouts rollout/controller.go (getReferencedServices, getReferencedService: "services \\"<name>\\" not found" as field.Invalid; getReferencedRolloutAnalyses and getReferencedAnalysisTemplatesFromRef: "AnalysisTemplate \'<name>\' not found", ClusterAnalysisTemplate when clusterScope; a validation error sets the InvalidSpec condition and stops the reconcile), rollout/templateref.go (Resolve: workloadRef of apps Deployment, ReplicaSet or PodTemplate, looked up in the Rollout\'s namespace), pkg/apis/rollouts/v1alpha1/types.go (AnalysisTemplateRef, RolloutAnalysis, CanaryStrategy, BlueGreenStrategy, ObjectRef)',
  check(o, { graph }) {
    return referenceProblems(o, graph);
  },
};
