import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { isHook, later, slotOf, Slot, slotWords } from '../argocd/hooks';
import { SyncUnit, unitsOf } from '../argocd/sync-units';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { namespaceOperator } from '../operator-namespaces';
import { Platform } from '../platform';
import { containersOf, podSpecOf } from '../pods';
import { Problem, Rule } from '../rule';
import { scriptWaits, ScriptWait } from '../script-waits';

/** How `oc get` names a ClusterServiceVersion and a Deployment (their short names and plurals, kubectl api-resources). */
const CSV = /^(csv|clusterserviceversions?)(\.operators\.coreos\.com)?$/;
const DEPLOYMENT = /^(deploy|deployments?)(\.apps)?$/;

/** The scripts a pod runs: its containers' command lines, and the values of the ConfigMaps of the sync it mounts (a script file). */
function scriptsOf(hook: GraphObject, objects: readonly GraphObject[], namespace: string | undefined): string[] {
  const lines = containersOf(hook.manifest).map(({ container }) => [...strings(container.command), ...strings(container.args)].join('\n'));
  const mounted = new Set(mappings(podSpecOf(hook.manifest)?.volumes).map((v) => text(mapping(v.configMap).name)));
  const files = objects
    .filter((x) => x.manifest.kind === 'ConfigMap' && mounted.has(text(mapping(x.manifest.metadata).name)) && namespaceOf(x) === namespace)
    .flatMap((x) => Object.values(mapping(x.manifest.data)).filter((v): v is string => typeof v === 'string'));
  return [...lines, ...files];
}

const namespaceOf = (x: GraphObject) => text(mapping(x.manifest.metadata).namespace);

/** What the sync applies no earlier than the hook's slot (so not before the PreSync hook completes). */
function notBefore(
  objects: readonly GraphObject[],
  at: Slot,
  kind: string,
  pick: (m: Loose) => boolean = () => true,
): { o: GraphObject; slot: Slot } | undefined {
  for (const o of objects) {
    const slot = o.manifest.kind === kind && pick(o.manifest) ? slotOf(o) : undefined;
    if (slot && !later(at, slot)) return { o, slot };
  }
  return undefined;
}

/** What makes the object a wait names, when only a step of the sync after the hook does: a sentence, else undefined. */
function madeLater(wait: ScriptWait, namespace: string | undefined, at: Slot, unit: SyncUnit, graph: ObjectGraph, platform: Platform): string | undefined {
  const inNamespace = (m: Loose) => text(mapping(m.metadata).namespace) === namespace;
  if (CSV.test(wait.resource)) {
    const sub = notBefore(unit.objects, at, 'Subscription', inNamespace);
    return sub && `OLM installs from ${graph.id(sub.o)}, which ${unit.what} in ${slotWords(sub.slot)}`;
  }
  if (!DEPLOYMENT.test(wait.resource)) return undefined;
  const named = wait.name && notBefore(unit.objects, at, 'Deployment', (m) => inNamespace(m) && text(mapping(m.metadata).name) === wait.name);
  if (named) return `${unit.what.replace(/ creates$/, ' applies')} in ${slotWords(named.slot)}`;
  const dsc =
    namespace !== undefined && namespaceOperator(namespace, unit.objects, graph, platform) ? notBefore(unit.objects, at, 'DataScienceCluster') : undefined;
  return dsc && `the OpenShift AI operator makes from ${graph.id(dsc.o)}, which ${unit.what} in ${slotWords(dsc.slot)}`;
}

function waitProblems(hook: GraphObject, unit: SyncUnit, graph: ObjectGraph, platform: Platform): Problem[] {
  const at = slotOf(hook);
  if (at?.phase !== 'PreSync') return [];
  const namespace = namespaceOf(hook) ?? unit.destination;
  // a Job that runs out of time fails the hook all the same (batch/v1 activeDeadlineSeconds)
  const deadline = mapping(hook.manifest.spec).activeDeadlineSeconds !== undefined;
  return scriptsOf(hook, unit.objects, namespace).flatMap((script) =>
    scriptWaits(script).flatMap((wait): Problem[] => {
      const maker = madeLater(wait, wait.namespace ?? namespace, at, unit, graph, platform);
      if (!maker) return [];
      const what = `${wait.resource}${wait.name ? `/${wait.name}` : wait.selector ? ` -l ${wait.selector}` : ''}${wait.namespace ? ` in ${wait.namespace}` : ''}`;
      const timed = wait.timed || deadline;
      return [
        {
          ...(timed ? { severity: 'warning' as const } : {}),
          message:
            `PreSync hook ${graph.id(hook)} (${slotWords(at)}) waits for ${what} (\`${wait.command.split('\n')[0]}\`), which ${maker}: Argo CD starts the Sync phase only once every PreSync hook has completed, so ` +
            (timed ? 'the wait runs out, the hook fails and so does the sync' : 'the wait never ends and the sync never gets past PreSync') +
            '; make it a Sync or PostSync hook in a wave after what it waits for, or apply that in an earlier sync',
        },
      ];
    }),
  );
}

export const argocdHookWaitsForSync: Rule = {
  id: 'argocd-hook-waits-for-sync',
  title: 'an Argo CD PreSync hook waits for a ClusterServiceVersion or Deployment that only the Sync phase of its own sync makes: the sync deadlocks',
  severity: 'error',
  appliesTo: ['Job', 'Pod'],
  premise:
    "the hook's script (its command, or a script file it mounts from a ConfigMap of the same sync) polls with `oc|kubectl get` in an until/while loop, or `oc|kubectl wait`s, for a CSV whose Subscription, a Deployment, or a Deployment of the OpenShift AI operator's namespaces whose DataScienceCluster the same Application (or build) applies in the Sync phase; " +
    "a wait that gives up (a loop that can exit or break, `oc wait` with its timeout, the Job's activeDeadlineSeconds) is a warning: the hook fails instead of hanging",
  example:
    'a PreSync Job whose script runs `until oc get -n redhat-ods-operator csv -l operators.coreos.com/rhods-operator.redhat-ods-operator` while the rhods-operator Subscription is a plain resource of the same Application',
  fix: 'make the hook a Sync or PostSync hook in a wave after what it waits for, or deliver the Subscription (or DataScienceCluster) in an Application synced before this one',
  source:
    "gitops-engine pkg/sync (sync_context.go): a sync runs the PreSync phase to completion, waiting for each hook, before it applies the Sync phase; OLM creates a Subscription's ClusterServiceVersion; the OpenShift AI operator deploys its components (rhods-dashboard …) from the DataScienceCluster (opendatahub-operator controllers/datasciencecluster); kubectl wait --timeout defaults to 30s (kubectl pkg/cmd/wait)",
  check(o, { graph, platform }) {
    if (!isHook(o)) return [];
    return unitsOf(o, graph).flatMap((unit) => waitProblems(o, unit, graph, platform));
  },
};
