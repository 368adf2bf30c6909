import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { AUTOSCALER_CLASS_ANNOTATION } from '../../k8s/keys';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** A KEDA authenticationRef: the kind KEDA reads it as ('' is TriggerAuthentication) and where it is written. */
interface AuthReference {
  readonly where: string;
  readonly name: string;
  readonly kind: string;
}

/** KEDA's two kinds of trigger authentication (kedacore/keda pkg/scaling/resolver/scale_resolvers.go getTriggerAuthSpec). */
const CLUSTER_KIND = 'ClusterTriggerAuthentication';
const NAMESPACED_KIND = 'TriggerAuthentication';

/** The components of an InferenceService whose autoScaling KServe hands to KEDA (ComponentExtensionSpec). */
const ISVC_COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;

/** A ScaledObject's or ScaledJob's triggers[].authenticationRef. */
function triggerReferences(m: Loose): AuthReference[] {
  return mappings(mapping(m.spec).triggers).flatMap((t, i) => {
    const ref = mapping(t.authenticationRef);
    const name = text(ref.name);
    return name ? [{ where: `spec.triggers[${i}].authenticationRef`, name, kind: text(ref.kind) ?? NAMESPACED_KIND }] : [];
  });
}

/**
 * An InferenceService's external metrics under autoscalerClass keda: KServe copies authenticationRef.authenticationRef.name
 * into the ScaledObject's trigger without a kind (keda_reconciler.go), so KEDA reads a TriggerAuthentication.
 */
function serviceReferences(m: Loose): AuthReference[] {
  if (stringMap(mapping(m.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION] !== 'keda') return [];
  return ISVC_COMPONENTS.flatMap((c) =>
    mappings(mapping(mapping(mapping(m.spec)[c]).autoScaling).metrics).flatMap((metric, i) => {
      const name = text(mapping(mapping(mapping(metric.external).authenticationRef).authenticationRef).name);
      return name ? [{ where: `spec.${c}.autoScaling.metrics[${i}].external.authenticationRef`, name, kind: NAMESPACED_KIND }] : [];
    }),
  );
}

/** Whether the tree makes the referenced authentication where KEDA looks for it (a script of the tree counts). */
function held(graph: ObjectGraph, ref: AuthReference, ns: string | undefined): boolean {
  if (ref.kind === CLUSTER_KIND) return graph.find(CLUSTER_KIND, ref.name) !== undefined || graph.scriptCreating(CLUSTER_KIND, ref.name) !== undefined;
  return graph.find(NAMESPACED_KIND, ref.name, ns) !== undefined || graph.scriptCreating(NAMESPACED_KIND, ref.name, ns) !== undefined;
}

function missingMessage(graph: ObjectGraph, o: GraphObject, ref: AuthReference): string {
  const ns = graph.namespaceOf(o.manifest);
  const place = ref.kind === CLUSTER_KIND ? 'in the cluster' : ns ? `in namespace '${ns}'` : "in the scaler's namespace";
  const other = ref.kind === CLUSTER_KIND ? undefined : graph.ofKind(NAMESPACED_KIND).find((t) => text(t.manifest.metadata?.name) === ref.name);
  const otherNs = other && graph.namespaceOf(other.manifest);
  return (
    `${ref.where} names ${ref.kind} '${ref.name}', which is not in the tree ${place}${otherNs ? ` (the tree has one in namespace '${otherNs}': KEDA reads a TriggerAuthentication of the scaler's own namespace)` : ''}: ` +
    `KEDA logs "error getting triggerAuth" and builds the scaler without its credentials, so a Prometheus that wants a token or certificate refuses its queries and nothing scales; ` +
    `make sure it exists before sync (created outside Git), or add it to the tree`
  );
}

export const triggerAuthenticationNotInTree: Rule = {
  id: 'trigger-authentication-not-in-tree',
  title:
    "a KEDA trigger's authenticationRef (a ScaledObject's, or one KServe makes from an InferenceService's external metric) names a TriggerAuthentication or ClusterTriggerAuthentication the tree does not hold",
  severity: 'warning',
  appliesTo: ['ScaledObject', 'ScaledJob', 'InferenceService'],
  premise:
    "KEDA reads a trigger's authenticationRef as a TriggerAuthentication of the scaler's namespace (kind unset or TriggerAuthentication) or a ClusterTriggerAuthentication (kind ClusterTriggerAuthentication); where it is missing KEDA logs the error and resolves no credentials, so an authenticated metrics server (OpenShift's Thanos Querier, bearer) refuses the queries. " +
    'An InferenceService scaled by KEDA (annotation serving.kserve.io/autoscalerClass: keda) names it in autoScaling.metrics[].external.authenticationRef.authenticationRef.name, which KServe copies into the trigger of the ScaledObject it makes, without a kind. ' +
    'A warning: the authentication is often created outside Git (with the token Secret it reads); not judged where the tree or a script of it makes one of that name where KEDA looks (a namespace-less one counts)',
  example: '`authenticationRef: {name: thanos-reader}` on a prometheus trigger, and no TriggerAuthentication thanos-reader in the tree',
  fix: 'add the TriggerAuthentication (or ClusterTriggerAuthentication) to the tree beside the scaler, or make sure it exists before sync',
  source:
    'kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go getTriggerAuthSpec (kind "" or TriggerAuthentication: the scaler\'s namespace; ClusterTriggerAuthentication: cluster-wide) and resolveAuthRef ("error getting triggerAuth", no credentials resolved); ' +
    'kserve/kserve pkg/apis/serving/v1beta1/component.go ExtMetricAuthentication (json authenticationRef, v0.16.0 to v0.20.0) and pkg/controller/v1beta1/inferenceservice/reconcilers/keda/keda_reconciler.go (AuthenticationRef{Name} on the trigger)',
  check(o, { graph }) {
    const m = o.manifest;
    const group = m.kind === 'InferenceService' ? /^serving\.kserve\.io\// : /^keda\.sh\//;
    if (!group.test(text(m.apiVersion) ?? '')) return [];
    const refs = m.kind === 'InferenceService' ? serviceReferences(m) : triggerReferences(m);
    const ns = graph.namespaceOf(m);
    return refs.filter((r) => !held(graph, r, ns)).map((r): Problem => ({ message: missingMessage(graph, o, r) }));
  },
};
