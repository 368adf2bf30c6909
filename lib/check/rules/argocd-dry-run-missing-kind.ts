import { groupVersionOf } from '../../k8s/api-version';
import { SYNC_OPTIONS_ANNOTATION } from '../../k8s/keys';
import { mapping, stringMap, strings, text } from '../../manifests/access';
import { operatorInstalling } from '../../platform/operator-apis';
import { deliveredBy } from '../argocd/application';
import { GraphObject } from '../graph-object';
import { Rule } from '../rule';

const SKIP = 'SkipDryRunOnMissingResource=true';

/** Whether the resource's own sync-options annotation skips the dry run for it (argo-cd docs user-guide/sync-options.md). */
function skipsItself(o: GraphObject): boolean {
  const options = stringMap(mapping(o.manifest.metadata).annotations)[SYNC_OPTIONS_ANNOTATION] ?? '';
  return options.split(',').some((x) => x.trim() === SKIP);
}

/** The group/Kind pairs whose CRD the same sync applies: gitops-engine dry-runs their resources after creating it. */
function crdsIn(objects: readonly GraphObject[]): Set<string> {
  const out = new Set<string>();
  for (const crd of objects.filter((x) => x.manifest.kind === 'CustomResourceDefinition')) {
    const spec = mapping(crd.manifest.spec);
    out.add(`${text(spec.group) ?? ''}/${text(mapping(spec.names).kind) ?? ''}`);
  }
  return out;
}

interface Missing {
  readonly object: GraphObject;
  readonly subscription: GraphObject;
}

/** The custom resources of one sync whose kind an operator installs that the same sync subscribes to. */
function missingKinds(objects: readonly GraphObject[]): Missing[] {
  const subscriptions = objects.filter((x) => x.manifest.kind === 'Subscription' && groupVersionOf(x.manifest.apiVersion).group === 'operators.coreos.com');
  if (!subscriptions.length) return [];
  const crds = crdsIn(objects);
  const out: Missing[] = [];
  for (const o of objects) {
    const group = groupVersionOf(o.manifest.apiVersion).group;
    const kind = String(o.manifest.kind);
    if (crds.has(`${group}/${kind}`) || skipsItself(o)) continue;
    for (const subscription of subscriptions) {
      if (operatorInstalling(text(mapping(subscription.manifest.spec).name) ?? '', group, kind)) {
        out.push({ object: o, subscription });
        break;
      }
    }
  }
  return out;
}

export const argocdDryRunMissingKind: Rule = {
  id: 'argocd-dry-run-missing-kind',
  title: 'an Argo CD Application syncs an operator Subscription and custom resources of the CRDs that operator installs, without SkipDryRunOnMissingResource',
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    "the Application delivers an OLM Subscription to an operator whose bundle's CRDs are known (OpenShift AI / Open Data Hub, NVIDIA GPU, Node Feature Discovery, Red Hat build of Kueue, OpenShift Pipelines, Serverless, Service Mesh 2 and 3, LeaderWorkerSet, JobSet, Custom Metrics Autoscaler, Kernel Module Management, Authorino) and, in the same Application, a custom resource of a kind that bundle installs, with neither SkipDryRunOnMissingResource=true in syncPolicy.syncOptions nor in the resource's argocd.argoproj.io/sync-options annotation, and no CustomResourceDefinition of that kind in the same Application; sync waves do not help (the dry run covers every wave before any is applied); a cluster where the operator is already installed passes, so the first sync on a new cluster is what fails",
  example: 'one Application whose path holds a Subscription with `name: gpu-operator-certified` and a `kind: ClusterPolicy` of `apiVersion: nvidia.com/v1`',
  fix: "add `SkipDryRunOnMissingResource=true` to the Application's syncPolicy.syncOptions (or the argocd.argoproj.io/sync-options annotation of each such resource) and keep a retry policy so the resources are applied once the operator has installed its CRDs, or deliver the Subscriptions in an Application synced before the one with the custom resources",
  source:
    'gitops-engine pkg/sync/sync_context.go (Sync): every task is dry-run before any is applied; a task whose kind the API server does not know fails the whole sync ("the server could not find the requested resource") unless a CRD of that kind is part of the same sync or the task has SkipDryRunOnMissingResource; argo-cd docs user-guide/sync-options.md "Skip Dry Run for new custom resources types"',
  check(o, { graph }) {
    if (strings(mapping(mapping(o.manifest.spec).syncPolicy).syncOptions).includes(SKIP)) return [];
    const missing = missingKinds(deliveredBy(o, graph));
    if (!missing.length) return [];
    const listed = missing.map((m) => `${graph.id(m.object)} (installed by ${graph.id(m.subscription)})`).join(', ');
    return [
      {
        message:
          `syncs ${listed} in the same operation as the Subscriptions whose operators install those kinds: ` +
          `on a cluster without the operators Argo CD's dry run cannot find the kinds and fails the whole sync, so the Subscriptions are never applied either; ` +
          `add ${SKIP} to syncPolicy.syncOptions (or the resources' argocd.argoproj.io/sync-options annotation), or deliver the Subscriptions in an earlier Application`,
      },
    ];
  },
};
