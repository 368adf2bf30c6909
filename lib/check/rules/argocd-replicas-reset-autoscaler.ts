import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { deliveredBy } from '../argocd/application';
import { entryMatches } from '../argocd/ignore-differences';
import { generatedFrom } from '../application-sets';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { autoscalersOf } from '../scaled-to-zero';

/** The workload kinds an autoscaler scales through their scale subresource and whose spec.replicas Argo CD applies. */
const SCALED_KINDS = new Set(['Deployment', 'StatefulSet']);

/** An ignoreDifferences entry that keeps spec.replicas out of the diff: by JSON pointer, jq path, or every field a manager (the HPA controller's) writes. */
function ignoresReplicas(d: Loose): boolean {
  return (
    strings(d.jsonPointers).some((p) => p.trim() === '/spec/replicas') ||
    strings(d.jqPathExpressions).some((p) => p.trim() === '.spec.replicas') ||
    strings(d.managedFieldsManagers).length > 0
  );
}

/**
 * Whether the tree configures Argo CD itself to ignore replicas for every Application: argocd-cm's
 * resource.customizations.ignoreDifferences.* keys, or the operator's ArgoCD resource (spec.resourceIgnoreDifferences),
 * naming /spec/replicas or managed-field managers (argo-cd docs user-guide/diffing.md, system-level configuration).
 */
function systemIgnoresReplicas(graph: ObjectGraph): boolean {
  return graph.once('argocd-system-ignores-replicas', () => {
    const cm = graph
      .ofKind('ConfigMap')
      .filter((c) => text(mapping(c.manifest.metadata).name) === 'argocd-cm')
      .flatMap((c) => Object.entries(mapping(c.manifest.data)).filter(([k]) => k.startsWith('resource.customizations.ignoreDifferences')))
      .map(([, v]) => String(v));
    const operator = graph.ofKind('ArgoCD').map((a) => JSON.stringify(mapping(a.manifest.spec).resourceIgnoreDifferences ?? ''));
    return [...cm, ...operator].some((t) => /\/spec\/replicas|\.spec\.replicas|managedFieldsManagers/.test(t));
  });
}

/** The autoscaler as a message names it. */
const named = (o: GraphObject) => `${String(o.manifest.kind)} '${text(mapping(o.manifest.metadata).name) ?? ''}'`;

/** The delivered workloads that set spec.replicas while an autoscaler of the tree scales them, each with its autoscalers. */
function fought(app: GraphObject, graph: ObjectGraph): { workload: GraphObject; scalers: GraphObject[] }[] {
  const entries = mappings(mapping(app.manifest.spec).ignoreDifferences).filter(ignoresReplicas);
  return deliveredBy(app, graph).flatMap((w) => {
    if (!SCALED_KINDS.has(String(w.manifest.kind)) || typeof mapping(w.manifest.spec).replicas !== 'number') return [];
    if (entries.some((d) => entryMatches(d, w, app, graph))) return [];
    const scalers = autoscalersOf(graph, w);
    return scalers.length ? [{ workload: w, scalers }] : [];
  });
}

export const argocdReplicasResetAutoscaler: Rule = {
  id: 'argocd-replicas-reset-autoscaler',
  title:
    'an automated Argo CD Application applies spec.replicas of a workload an HPA or KEDA ScaledObject scales: each sync resets the replica count the autoscaler set',
  severity: 'warning',
  appliesTo: ['Application'],
  judgesDelivery: true,
  premise:
    "an Argo CD Application with syncPolicy.automated delivers (its source a folder of the input) a Deployment or StatefulSet that sets spec.replicas, which a HorizontalPodAutoscaler or KEDA ScaledObject (HTTPScaledObject) of the tree scales (scaleTargetRef kind and name, in its namespace; KEDA defaults the kind to Deployment), and no ignoreDifferences entry of the Application matching the workload keeps /spec/replicas (a jsonPointer, a jqPathExpression, or managedFieldsManagers) out of the diff, nor does argocd-cm (resource.customizations.ignoreDifferences.*) or an ArgoCD resource of the tree; with selfHeal the reset follows every change the autoscaler makes (the live count differs from git, the Application goes OutOfSync and heals), without it every sync of a new revision resets it; an ApplicationSet's generated Applications are judged as any other. An ignoreDifferences entry without RespectIgnoreDifferences=true is argocd-ignore-difference-unmatched's note",
  example: 'an Application with `selfHeal: true` syncing a Deployment with `replicas: 2` that the HPA `chat-hpa` scales',
  fix: 'drop spec.replicas from the workload (the autoscaler owns it; a new Deployment starts at 1 and the autoscaler raises it to minReplicas), or add an ignoreDifferences entry for the workload with jsonPointers [/spec/replicas] and syncOptions RespectIgnoreDifferences=true',
  source:
    'Argo CD docs user-guide/best_practices.md "Leaving Room For Imperativeness" (track no replicas in git for a workload an HPA scales) and user-guide/diffing.md (ignoreDifferences, system-level resource.customizations); user-guide/auto_sync.md (selfHeal syncs when the live state deviates from git); Kubernetes docs "Deployments: Horizontal scaling"/"Replicas" (when an HPA manages a Deployment, applying a manifest with spec.replicas overwrites the count it set); KEDA makes an HPA for a ScaledObject, which scales the target alike',
  check(app, { graph }): Problem[] {
    const policy = mapping(mapping(app.manifest.spec).syncPolicy);
    // Argo CD 3's automated.enabled: false keeps the policy written but syncs by hand only
    if (policy.automated === undefined || policy.automated === null || policy.automated === false || mapping(policy.automated).enabled === false) return [];
    if (systemIgnoresReplicas(graph)) return [];
    const selfHeal = mapping(policy.automated).selfHeal === true;
    const set = generatedFrom(app);
    return fought(app, graph).map(({ workload, scalers }) => ({
      on: workload,
      message:
        `syncs ${named(workload)} with spec.replicas ${String(mapping(workload.manifest.spec).replicas)}, which ${scalers.map(named).join(' and ')} scales${workload.file ? ` (${workload.file})` : ''}: ` +
        (selfHeal
          ? 'with automated sync and selfHeal, each count the autoscaler sets puts the Application OutOfSync and Argo CD applies the manifest count back, so the replicas flap between the two'
          : 'with automated sync, every sync of a new revision applies the manifest count over the one the autoscaler set') +
        `; no ignoreDifferences entry keeps /spec/replicas out of the diff: drop spec.replicas from the workload, or add to ${set ? `the template of ${set}` : 'the Application'} an ignoreDifferences entry for it with jsonPointers [/spec/replicas] and syncOptions RespectIgnoreDifferences=true`,
    }));
  },
};
