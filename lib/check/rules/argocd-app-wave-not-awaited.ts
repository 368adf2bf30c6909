import { mapping, text } from '../../manifests/access';
import { waveOf } from '../argocd/application';
import { APPLICATION_HEALTH_KEY } from '../argocd/application-health';
import { groupKindOf, SKIP_DRY_RUN } from '../argocd/kind-installers';
import { UnawaitedWave, unawaitedWave } from '../argocd/wave-dependencies';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

const nameOf = (o: { manifest: { metadata?: unknown } }) => text(mapping(o.manifest.metadata).name) ?? '';

/** What the tree says of the health of Applications, as the message says it. */
function healthWords(found: UnawaitedWave): string {
  const { health } = found;
  if (health.state === 'absent') return `the Argo CD configuration the repository holds (${health.where}) gives Applications no health check`;
  if (health.unread) return `the check does not read ${health.where}, so whether they give Applications a health check is unknown`;
  return `the repository does not hold the Argo CD instance's configuration, so whether it gives Applications a health check is unknown`;
}

/** How the later child's sync fails when it runs before the kind is served. */
function failureWords(found: UnawaitedWave, objects: string, kind: string): string {
  const { failure, dependency } = found;
  const olm = dependency.olm ? " (OLM installs the CRDs only once it has run the Subscription's install plan, minutes later)" : '';
  if (failure.how === 'apply')
    return (
      `its sync skips the dry run (${SKIP_DRY_RUN}) but applies ${objects} before the kind is served${olm}, which fails ("no matches for kind ${kind}"), ` +
      `and with no syncPolicy.retry Argo CD does not sync the same revision again ("Skipping auto-sync: failed previous sync attempt")`
    );
  const { retry } = failure;
  const span = retry.span !== undefined ? `, about ${Math.round(retry.span / 6) / 10} min in all` : '';
  return (
    `its dry run fails on ${objects} while the kind is not served${olm} ("the server could not find the requested resource") and nothing of it is applied; ` +
    `its syncPolicy.retry (limit ${retry.limit}${span}) tries again, so the sync passes if the CRDs arrive in time, else it stops for this revision`
  );
}

function problem(found: UnawaitedWave, graph: ObjectGraph, wave: number): Problem {
  const { dependency, health, failure } = found;
  const { parent, earlier, how, objects } = dependency;
  const listed = objects.slice(0, 3).map((o) => graph.id(o));
  const named = `${listed.join(', ')}${objects.length > 3 ? ` and ${objects.length - 3} more` : ''}`;
  const kind = String(objects[0].manifest.kind);
  const kinds = [...new Set(objects.map((o) => groupKindOf(o)))];
  const certain = failure.how === 'apply' && health.state === 'absent' && dependency.olm;
  const unknown = health.state === 'unknown';
  return {
    ...(certain ? { severity: 'error' as const } : {}),
    message:
      `is in sync-wave ${wave} of ${graph.id(parent)}, after ${graph.id(earlier)} (wave ${waveOf(earlier) ?? 0}) whose own sync installs ${kinds.length > 1 ? 'the kinds ' : ''}${kinds.join(' and ')} (${how}); ` +
      `but Argo CD has no health check of its own for an Application (none since 1.8) and ${healthWords(found)}: ` +
      `${unknown ? 'without one, ' : ''}${nameOf(parent)}'s sync counts ${nameOf(earlier)} healthy as soon as the object exists and creates this Application at once, ` +
      `so ${failureWords(found, named, kind)}; ` +
      `give Applications the documented health check (argocd-cm ${APPLICATION_HEALTH_KEY}; an ArgoCD resource's spec.resourceHealthChecks; the argo-cd chart's configs.cm), ` +
      `or let this Application converge alone: ${SKIP_DRY_RUN} in syncPolicy.syncOptions and a syncPolicy.retry (limit -1)`,
  };
}

export const argocdAppWaveNotAwaited: Rule = {
  id: 'argocd-app-wave-not-awaited',
  title:
    "a child Application of an app-of-apps needs a kind a child of an earlier sync wave installs, but Argo CD does not wait for that child's sync: Applications have no health unless argocd-cm gives one",
  severity: 'warning',
  appliesTo: ['Application'],
  premise:
    'an Application of the input delivers child Applications (app-of-apps), and a child that syncs automatically syncs custom resources whose kind (no CRD of it in its own sync, nor an operator chart or Subscription of its own) a child of a lower sync wave of the same parent installs: an operator chart source (kind-installers.ts applicationInstalling: gpu-operator, kuberay-operator, kueue, keda, cloudnative-pg), the CustomResourceDefinition, or an OLM Subscription whose operator installs it; ' +
    "and the repository gives Applications no health check: argocd-cm's resource.customizations.health.argoproj.io_Application, or argoproj.io/Application with a health.lua in resource.customizations (in the ConfigMap, a kustomize patch of it, or a script's kubectl patch), an ArgoCD resource's spec.resourceHealthChecks, spec.resourceCustomizations or spec.extraConfig, or the argo-cd chart's configs.cm (server.config before chart 5) in a release's values. " +
    "A warning: the parent's sync creates the later child as soon as the earlier one exists, and the later child's sync may still lose the race; where the dry run is not skipped and the Application retries within a limit, the dry run fails until the CRDs exist, said with how long the retries last (types.go NextRetryAt; defaults 5 s, factor 2, at most 3 min); an error only where the dry run is skipped, nothing retries, the tree's Argo CD configuration is in the repository without the health check, and the installer is an OLM Subscription (OLM installs the CRDs minutes after the Subscription is applied): the apply certainly fails and the failed sync is not attempted again. " +
    "Where the repository holds no Argo CD configuration (argocd-cm, an ArgoCD resource, an argo-cd chart release or command, Argo CD's published manifests), or values the check does not read, the message says the health of Applications is unknown. " +
    "Not judged: an Application that does not sync automatically (a person syncs it), one that skips the dry run and retries, or retries without limit (the sync is attempted until the kind is served), children of one wave, children an ApplicationSet generates; one neither skipping the dry run nor retrying is argocd-dry-run-missing-kind's error",
  example:
    'an app-of-apps whose child with `chart: kueue` has `argocd.argoproj.io/sync-wave: "0"` and whose child syncing a `kind: ClusterQueue` has `argocd.argoproj.io/sync-wave: "1"`, `syncOptions: [SkipDryRunOnMissingResource=true]` and no retry, beside an argocd-cm without the Application health check',
  fix: "give Applications the health check of the Argo CD documentation (argocd-cm resource.customizations.health.argoproj.io_Application, or the ArgoCD resource's spec.resourceHealthChecks for group argoproj.io, kind Application), so the parent waits for each wave; or let the later Application converge alone: SkipDryRunOnMissingResource=true in syncPolicy.syncOptions and syncPolicy.retry with limit -1",
  source:
    'argoproj/gitops-engine pkg/health/health.go GetHealthCheckFunc (no built-in check for argoproj.io/Application; health_test.go TestApplication expects none) and pkg/sync/sync_context.go syncContext.Sync (a task whose resource has no health "automatically" succeeds, so the next wave starts at once; a health override from argocd-cm is asked first); argo-cd controller/sync.go (WithHealthOverride from the resource overrides), util/settings/settings.go GetResourceOverrides (resource.customizations and its split keys), docs operator-manual/health.md "Argocd App" and upgrading/1.7-1.8.md (Application health removed in 1.8, restore it for app-of-apps ordered by sync waves); pkg/apis/application/v1alpha1/types.go RetryStrategy.NextRetryAt and application_defaults.go (retry backoff); controller/appcontroller.go autoSync ("Skipping auto-sync: failed previous sync attempt"); argocd-operator controllers/argocd/configmap.go (resourceHealthChecks, resourceCustomizations and extraConfig written to argocd-cm)',
  check(o, { graph }) {
    const found = unawaitedWave(o, graph);
    return found ? [problem(found, graph, waveOf(o) ?? 0)] : [];
  },
};
