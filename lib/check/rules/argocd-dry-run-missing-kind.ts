import { mapping, strings, text } from '../../manifests/access';
import { generatedFrom } from '../application-sets';
import { appliedTogether } from '../argocd/application';
import { orderedBefore } from '../argocd/application-health';
import {
  annotationSkips,
  applicationInstalling,
  automated,
  crdKinds,
  groupKindOf,
  retried,
  SKIP_DRY_RUN,
  subscriptionInstalling,
  syncedBy,
} from '../argocd/kind-installers';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** A custom resource whose kind is not served when its sync dry-runs it, and what installs the kind. */
interface Missing {
  readonly object: GraphObject;
  readonly installer: string;
}

/** Argo CD's own kinds: served wherever an Application syncs, whatever a child delivers of Argo CD's install. */
const ARGO_CD_KINDS = new Set(['argoproj.io/Application', 'argoproj.io/ApplicationSet', 'argoproj.io/AppProject']);

/** The objects that may be of a kind an operator installs: a group with a dot, its CRD not in the same sync, no option of their own. */
function candidates(objects: readonly GraphObject[]): GraphObject[] {
  const crds = crdKinds(objects);
  return objects.filter((o) => {
    const groupKind = groupKindOf(o);
    return groupKind.split('/')[0].includes('.') && !ARGO_CD_KINDS.has(groupKind) && !crds.has(groupKind) && !annotationSkips(o.manifest.metadata);
  });
}

/**
 * The custom resources of one sync whose kind something else of the same sync installs: an OLM Subscription, or a
 * child Application (app-of-apps) whose chart, CRDs or Subscription install it. The dry run of the whole sync comes
 * before any of it is applied, waves included, so the kind is unknown then.
 */
function missingInSync(objects: readonly GraphObject[], graph: ObjectGraph): Missing[] {
  const children = objects.filter((x) => x.manifest.kind === 'Application');
  const out: Missing[] = [];
  for (const o of candidates(objects)) {
    const [group, kind] = groupKindOf(o).split('/');
    const subscription = subscriptionInstalling(objects, group, kind);
    if (subscription) {
      out.push({ object: o, installer: graph.id(subscription) });
      continue;
    }
    for (const child of children) {
      const how = applicationInstalling(child, graph, group, kind);
      if (how) {
        out.push({ object: o, installer: `Application '${text(mapping(child.manifest.metadata).name) ?? ''}' (${how})` });
        break;
      }
    }
  }
  return out;
}

/** The ApplicationSet of the input an Application was generated from. */
function generatingSet(app: GraphObject, graph: ObjectGraph): GraphObject | undefined {
  const set = generatedFrom(app);
  if (set === undefined) return undefined;
  // the id application-sets.ts writes on the Applications it expands
  const idOf = (s: GraphObject) => `ApplicationSet/${text(mapping(s.manifest.metadata).namespace) ?? ''}/${text(mapping(s.manifest.metadata).name) ?? ''}`;
  return graph.ofKind('ApplicationSet').find((s) => idOf(s) === set);
}

/** The Applications created with this one whose own sync installs kinds, unordered with it: no wave a health check makes Argo CD wait on, no progressive sync. */
function unorderedSiblings(app: GraphObject, graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('Application').filter((other) => {
    if (other === app || !appliedTogether(graph, app, other) || orderedBefore(other, app, graph)) return false;
    // a RollingSync ApplicationSet syncs its steps in order, each once the previous one is healthy
    const set = generatedFrom(other) !== undefined && generatedFrom(other) === generatedFrom(app) ? generatingSet(app, graph) : undefined;
    return text(mapping(mapping(set?.manifest.spec).strategy).type) !== 'RollingSync';
  });
}

/**
 * The custom resources of an Application whose kind a sibling Application installs (children of one app-of-apps,
 * elements of one ApplicationSet, Applications applied together): the sibling's sync has not installed it when this
 * one's first automated sync dry-runs it, and that failed sync is not attempted again for the same revision unless
 * syncPolicy.retry is set.
 */
function missingFromSiblings(app: GraphObject, objects: readonly GraphObject[], graph: ObjectGraph): Missing[] {
  if (!automated(app) || retried(app)) return [];
  const siblings = unorderedSiblings(app, graph);
  if (!siblings.length) return [];
  const out: Missing[] = [];
  for (const o of candidates(objects)) {
    const [group, kind] = groupKindOf(o).split('/');
    if (subscriptionInstalling(objects, group, kind)) continue;
    for (const sibling of siblings) {
      const how = applicationInstalling(sibling, graph, group, kind);
      if (how) {
        out.push({ object: o, installer: `Application '${text(mapping(sibling.manifest.metadata).name) ?? ''}' (${how})` });
        break;
      }
    }
  }
  return out;
}

/** Where the option is written on the Application or its ApplicationSet's own metadata, which only a parent's sync of that object reads. */
function misplacedOption(app: GraphObject, graph: ObjectGraph): string | undefined {
  if (annotationSkips(app.manifest.metadata)) return "the Application's own metadata";
  const set = generatingSet(app, graph);
  return set && annotationSkips(set.manifest.metadata) ? `the metadata of ${graph.id(set)}` : undefined;
}

const listed = (missing: readonly Missing[], graph: ObjectGraph) => missing.map((m) => `${graph.id(m.object)} (installed by ${m.installer})`).join(', ');

/** The sentence a finding adds where the option is written where Argo CD does not read it for this sync. */
function misplacedSentence(app: GraphObject, graph: ObjectGraph): string {
  const where = misplacedOption(app, graph);
  return where
    ? `; the argocd.argoproj.io/sync-options annotation on ${where} names ${SKIP_DRY_RUN}, but Argo CD reads that annotation only on the resources it syncs (there it concerns how a parent syncs the Application object), and reads an Application's own options from spec.syncPolicy.syncOptions: move it there`
    : '';
}

function problems(app: GraphObject, graph: ObjectGraph): Problem[] {
  const objects = syncedBy(app, graph);
  const inSync = missingInSync(objects, graph);
  const fromSiblings = missingFromSiblings(app, objects, graph);
  const misplaced = misplacedSentence(app, graph);
  const out: Problem[] = [];
  if (inSync.length) {
    out.push({
      on: inSync[0].object,
      message:
        `syncs ${listed(inSync, graph)} in the same operation as what installs those kinds: ` +
        `on a cluster without the operators Argo CD's dry run cannot find the kinds and fails the whole sync, so their installers are never applied either; ` +
        `add ${SKIP_DRY_RUN} to syncPolicy.syncOptions (or the resources' argocd.argoproj.io/sync-options annotation) with a syncPolicy.retry, or deliver the installers in an earlier Application${misplaced}`,
    });
  }
  if (fromSiblings.length) {
    out.push({
      on: fromSiblings[0].object,
      message:
        `syncs ${listed(fromSiblings, graph)}, whose kinds another Application created with it installs, and nothing orders the two: ` +
        `its first automated sync dry-runs them before their CRDs exist and fails ("the server could not find the requested resource"), and without syncPolicy.retry Argo CD does not sync the same revision again ("Skipping auto-sync: failed previous sync attempt"); ` +
        `add syncPolicy.retry (with ${SKIP_DRY_RUN} in syncPolicy.syncOptions), or give the installing Application an earlier sync wave under a parent that waits for Application health${misplaced}`,
    });
  }
  return out;
}

export const argocdDryRunMissingKind: Rule = {
  id: 'argocd-dry-run-missing-kind',
  title:
    'an Argo CD Application syncs custom resources of kinds that an operator Subscription, a child or a sibling Application installs, without SkipDryRunOnMissingResource or a retry',
  severity: 'error',
  appliesTo: ['Application'],
  judgesDelivery: true,
  premise:
    "the Application delivers a custom resource of a kind that something installs which is not yet on a new cluster: an OLM Subscription to an operator whose bundle's CRDs are known (OpenShift AI / Open Data Hub, NVIDIA GPU, Node Feature Discovery, Red Hat build of Kueue, OpenShift Pipelines, Serverless, Service Mesh 2 and 3, LeaderWorkerSet, JobSet, Custom Metrics Autoscaler, Kernel Module Management, Authorino, Kuadrant / Red Hat Connectivity Link), or an Application whose Helm chart source installs the operator's CRDs (NVIDIA gpu-operator, kuberay-operator, kueue, keda, cloudnative-pg; not where helm.skipCrds, a values switch or values files may leave them out), or that delivers the CRD or such a Subscription; what an Application syncs is read from its path in the checked input, or from a folder of the checked folder's git work tree outside the input (a list element's path beside the checked folder); the kind is not one of Argo CD's own (Application, ApplicationSet, AppProject: served wherever a sync runs), no CustomResourceDefinition of it is in the same Application, and the resource's own argocd.argoproj.io/sync-options annotation does not name SkipDryRunOnMissingResource=true. " +
    'Where the installer is in the same sync (a Subscription, or a child Application of an app-of-apps), the whole sync fails its dry run, waves included (the dry run covers every wave before any is applied), unless spec.syncPolicy.syncOptions names the option. ' +
    'Where the installer is a sibling Application created with it (children of one parent, elements of one ApplicationSet, one file or build), the finding needs the Application to sync automatically with no syncPolicy.retry (limit 0 or none) and no SkipDryRunOnMissingResource=true in syncPolicy.syncOptions: Argo CD does not attempt a failed sync of the same revision again, selfHeal or not; a sibling is ordered first only by a lower sync wave under one parent while the input gives Applications a health check (argocd-cm resource.customizations.health.argoproj.io_Application or a resource.customizations block, the ArgoCD resource, or configs.cm of the argo-cd chart), since Argo CD has assessed no Application health by default since 1.8 and a parent otherwise moves past a wave as soon as the child object exists, or by an ApplicationSet RollingSync strategy. ' +
    "The option written as an annotation on the Application's (or its ApplicationSet's) own metadata is read only when a parent syncs that Application object, and the finding says it is misplaced. A cluster where the operator is already installed passes, so the first sync on a new cluster is what fails",
  example:
    'one Application whose path holds a Subscription with `name: gpu-operator-certified` and a `kind: ClusterPolicy` of `apiVersion: nvidia.com/v1`; or children of one app-of-apps, one with `chart: kuberay-operator`, the other syncing a `kind: RayCluster` with `automated` and no retry',
  fix: "add `SkipDryRunOnMissingResource=true` to the Application's spec.syncPolicy.syncOptions (not its own metadata annotations), or the argocd.argoproj.io/sync-options annotation of each such resource, and keep a syncPolicy.retry so the resources are applied once the operator has installed its CRDs; or deliver the installer in an Application synced before the one with the custom resources (an earlier wave under a parent that waits for Application health)",
  source:
    'argo-cd gitops-engine/pkg/sync/sync_context.go (getSyncTasks: a task whose kind the API server does not know fails "the server could not find the requested resource", the sync "one or more synchronization tasks are not valid", unless a CRD of that kind is part of the same sync, the task carries SkipDryRunOnMissingResource=true in its own argocd.argoproj.io/sync-options annotation, or WithSkipDryRunOnMissingResource); controller/sync.go (WithSkipDryRunOnMissingResource from the operation\'s syncOptions, that is spec.syncPolicy.syncOptions); controller/appcontroller.go autoSync ("Skipping auto-sync: failed previous sync attempt to %s and will not retry") and processRequestedAppOperation (a failed operation is retried only while RetryCount < syncPolicy.retry.limit, or a negative limit); util/helm/cmd.go (--include-crds unless helm.skipCrds); argo-cd docs user-guide/sync-options.md "Skip Dry Run for new custom resources types" and operator-manual/upgrading/1.7-1.8.md (health assessment of argoproj.io/Application removed)',
  check(o, { graph }) {
    if (strings(mapping(mapping(o.manifest.spec).syncPolicy).syncOptions).includes(SKIP_DRY_RUN)) return [];
    return problems(o, graph);
  },
};
