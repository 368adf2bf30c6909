import { mapping, mappings, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podSpecOf } from '../pods';
import { podReferences } from '../pod-references';
import { madeByController } from '../controller-accounts';
import { Platform } from '../platform';
import { ANY_KIND, Problem, Rule } from '../rule';
import { namespaceOperator } from '../operator-namespaces';
import { isHook, later, Slot, slotOf, slotWords as words } from '../argocd/hooks';
import { HelmInstall, helmInstallOf, SyncUnit, unitsOf } from '../argocd/sync-units';

/**
 * What a hook needs before the API server or the kubelet lets it run: its Namespace, and for a pod its claims, the
 * Secrets and ConfigMaps it reads and its ServiceAccount, unless a controller makes that account in every namespace
 * (then it is there before any sync, whatever the Application also declares).
 */
function needsOf(hook: GraphObject, namespace: string | undefined, graph: ObjectGraph, platform: Platform): { kind: string; name: string; how: string }[] {
  const out: { kind: string; name: string; how: string }[] = [];
  if (namespace !== undefined) out.push({ kind: 'Namespace', name: namespace, how: 'is created in' });
  const pod = podSpecOf(hook.manifest);
  if (!pod) return out;
  for (const v of mappings(pod.volumes)) {
    const claim = text(mapping(v.persistentVolumeClaim).claimName);
    if (claim) out.push({ kind: 'PersistentVolumeClaim', name: claim, how: 'mounts' });
  }
  for (const r of podReferences(hook.manifest)) out.push({ kind: r.kind, name: r.name, how: `reads (${r.where})` });
  const account = text(pod.serviceAccountName) ?? text(pod.serviceAccount);
  if (account && !(namespace !== undefined && madeByController(graph, account, namespace, platform)))
    out.push({ kind: 'ServiceAccount', name: account, how: 'runs as' });
  return out;
}

const CONSEQUENCE: Readonly<Record<string, string>> = {
  Namespace: 'the API server refuses the hook (namespaces not found) and the sync fails',
  PersistentVolumeClaim: 'its pod stays Pending, so the hook never completes and the sync never reaches the step that creates the claim',
  Secret: 'its pod fails with CreateContainerConfigError, so the hook never completes',
  ConfigMap: 'its pod fails with CreateContainerConfigError, so the hook never completes',
  ServiceAccount: 'the Job controller cannot create its pod (serviceaccount not found), so the hook never completes',
};

/**
 * What to say when an operator that runs before the hook creates its namespace itself (the OpenShift AI operator its
 * applications namespace): the hook fails only if it comes before the operator has done so, and a retried sync then
 * converges; undefined when no such operator runs before the hook (its Subscription is synced with the hook, in a
 * later or the same slot).
 */
function operatorFirst(namespace: string, at: Slot, unit: SyncUnit, graph: ObjectGraph, platform: Platform): string | undefined {
  const operator = namespaceOperator(namespace, unit.objects, graph, platform);
  if (!operator) return undefined;
  const subscribed = operator.subscription && slotOf(operator.subscription);
  if (operator.subscription && !(subscribed && later(at, subscribed))) return undefined;
  const who = operator.subscription
    ? `the operator ${graph.id(operator.subscription)} installs (${words(subscribed!)})`
    : `the OpenShift AI operator (installed outside this sync, as platform ${platform} has it)`;
  const retry =
    unit.retries === undefined
      ? 'whether a later attempt converges depends on the syncPolicy.retry of the Application that syncs it, which the input does not hold'
      : unit.retries
        ? 'the Application retries (syncPolicy.retry), so a later attempt converges'
        : 'the Application does not retry (no syncPolicy.retry limit), so the sync stays failed until synced again';
  return `${who} creates Namespace ${namespace} itself (its DSCInitialization's namespaces), so the hook is refused (namespaces not found) only when it comes before the operator has done so: ${retry}; to be sure, create the namespace before the hook (a lower wave of an earlier phase) or run the hook later`;
}

/** What a prerequisite made after a Helm pre-install hook does to `helm install`, which waits for the hook. */
const HELM_CONSEQUENCE: Readonly<Record<string, string>> = {
  Namespace: 'the API server refuses the hook (namespaces not found) and the install fails',
  PersistentVolumeClaim: "its pod stays Pending, so the hook never completes and the install fails when Helm's wait for it ends (--timeout, 5m by default)",
  Secret:
    "its pod fails with CreateContainerConfigError, so the hook never completes and the install fails when Helm's wait for it ends (--timeout, 5m by default)",
  ConfigMap:
    "its pod fails with CreateContainerConfigError, so the hook never completes and the install fails when Helm's wait for it ends (--timeout, 5m by default)",
  ServiceAccount:
    "the Job controller cannot create its pod (serviceaccount not found), so the hook never completes and the install fails when Helm's wait for it ends (--timeout, 5m by default)",
};

function helmProblem(
  hook: GraphObject,
  at: Slot,
  need: { kind: string; name: string; how: string },
  provider: GraphObject,
  graph: ObjectGraph,
  helm: HelmInstall,
): Problem {
  return {
    message:
      `Helm pre-install hook ${graph.id(hook)} (weight ${at.wave}) ${need.how} ${graph.id(provider)}, which the same chart creates as a plain resource: Helm runs pre-install hooks after rendering the templates and before creating any of the chart's resources, ` +
      `so on ${helm.by}, ${HELM_CONSEQUENCE[need.kind]}; make ${need.kind} ${need.name} a hook that runs first (helm.sh/hook: pre-install,pre-upgrade with a lower helm.sh/hook-weight), or run the Job as a post-install,post-upgrade hook`,
    ...(helm.defaults ? { chartDefaults: true as const } : {}),
  };
}

/** The prerequisites of one hook that its sync unit creates after it. */
function hookProblems(hook: GraphObject, unit: SyncUnit, graph: ObjectGraph, platform: Platform): Problem[] {
  const at = slotOf(hook);
  if (!at) return [];
  const kind = String(hook.manifest.kind);
  const namespaceOf = (x: GraphObject) => text(mapping(x.manifest.metadata).namespace) ?? unit.destination;
  const namespace = isClusterScoped(kind) ? undefined : namespaceOf(hook);
  const out: Problem[] = [];
  const installed = helmInstallOf(hook, unit);
  if (installed === 'no pre-install') return [];
  const helm = installed;
  for (const need of needsOf(hook, namespace, graph, platform)) {
    const provider = unit.objects.find(
      (x) =>
        x.manifest.kind === need.kind && text(mapping(x.manifest.metadata).name) === need.name && (need.kind === 'Namespace' || namespaceOf(x) === namespace),
    );
    const created = provider ? slotOf(provider) : undefined;
    if (provider && created && later(created, at) && helm) {
      out.push(helmProblem(hook, at, need, provider, graph, helm));
      continue;
    }
    if (provider && created && later(created, at)) {
      const before = `${at.phase} hook ${graph.id(hook)} (${words(at)}) ${need.how} ${graph.id(provider)}, which ${unit.what} in ${words(created)}, after the hook`;
      const operator = need.kind === 'Namespace' ? operatorFirst(need.name, at, unit, graph, platform) : undefined;
      out.push(
        operator !== undefined
          ? { severity: 'warning', message: `${before}; ${operator}` }
          : {
              message: `${before}: on the first sync ${CONSEQUENCE[need.kind]}; run the hook after it (argocd.argoproj.io/hook: Sync with a later sync-wave) or create ${need.kind} ${need.name} earlier (an earlier Application, or a lower wave of an earlier phase)`,
            },
      );
    }
    // CreateNamespace=true creates the destination namespace as a PreSync task in wave 0 (sync_context.go
    // autoCreateNamespace), unless the Application delivers that Namespace itself
    if (!provider && need.kind === 'Namespace' && need.name === unit.destination && unit.createNamespace && at.phase === 'PreSync' && at.wave < 0) {
      out.push({
        message: `${at.phase} hook ${graph.id(hook)} (${words(at)}) is created in Namespace ${need.name}, which CreateNamespace=true creates in the PreSync phase, wave 0, after the hook: on the first sync ${CONSEQUENCE.Namespace}; give the hook a wave of 0 or more`,
      });
    }
  }
  return out;
}

export const argocdHookBeforePrerequisite: Rule = {
  id: 'argocd-hook-before-prerequisite',
  title: 'an Argo CD hook runs before the Namespace, claim, Secret, ConfigMap or ServiceAccount it needs, which its own Application creates later',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'the Application that delivers the hook (where the input holds none, the kustomization or cdk8s app it is built in, or the file of `helm template` output, its documents after `# Source: <chart>/templates/…` lines, it was rendered into) delivers what it needs too, so on its first sync (a new cluster, a new namespace) the object does not exist yet when the hook runs; objects other Applications or the cluster provide are not judged; a Helm pre-install hook (helm.sh/hook holding pre-install, no Argo CD hook annotation) of a chart no Application of the input syncs, installed by Helm itself (a script or CI job running helm install or upgrade --install, a Flux HelmRelease) or checked alone with its default values, that needs what the chart creates as a plain resource is an error in Helm terms: Helm runs pre-install hooks before it creates any resource of the chart, so the first install fails (a pre-upgrade-only hook runs once they exist); a Namespace the OpenShift AI operator creates itself (its applications namespace), when that operator is subscribed earlier in the same sync or installed outside it, is a warning: only a first attempt that comes before the operator fails, and a retried sync converges',
  example:
    'a Job with `argocd.argoproj.io/hook: PreSync` that mounts `claimName: model-storage` in Namespace `models`, both the PersistentVolumeClaim and the Namespace plain resources of the same Application',
  fix: "run the hook after what it needs (a Sync hook with a later sync-wave), or create what it needs earlier (a PreSync hook in a lower wave, or an Application synced before this one); let CreateNamespace=true create the destination namespace rather than delivering a Namespace the hook's phase precedes",
  source:
    "gitops-engine pkg/sync: a sync runs PreSync hooks, then the Sync phase (plain resources and Sync hooks), then PostSync, each phase by waves (sync_tasks.go), and waits for each hook to complete; CreateNamespace=true creates the destination namespace as a PreSync task in wave 0 unless the Application delivers it (sync_context.go autoCreateNamespace); Helm's pre-install/pre-upgrade hooks run as PreSync (pkg/sync/hook/helm); Helm docs topics/charts_hooks.md (pre-install: 'Executes after templates are rendered, but before any resources are created in Kubernetes'; hooks of one kind run by weight, and Helm waits for a Job hook to complete) and helm pkg/action/install.go (the pre-install hooks run before the release's resources are created, waited for up to --timeout); the OpenShift AI operator creates its DSCInitialization's applications and monitoring namespaces (opendatahub-operator controllers/dscinitialization createOdhNamespace, pkg/upgrade CreateDefaultDSCI)",
  check(o, { graph, platform }) {
    if (!isHook(o)) return [];
    return unitsOf(o, graph).flatMap((unit) => hookProblems(o, unit, graph, platform));
  },
};
