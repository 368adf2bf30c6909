import * as path from 'path';
import { groupVersionOf } from '../../k8s/api-version';
import { mapping, stringMap, strings, text } from '../../manifests/access';
import { ARGOCD_ANNOTATION_PREFIX } from '../../k8s/keys';
import { componentInstalling, operatorInstalling } from '../../platform/operator-apis';
import { deliverersOf } from '../argocd/application';
import { later, Slot, slotOf, slotWords } from '../argocd/hooks';
import { annotationSkips, applicationInstalling, crdKinds, groupKindOf, SKIP_DRY_RUN } from '../argocd/kind-installers';
import { SyncUnit, unitsOf } from '../argocd/sync-units';
import { GraphObject, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';
import { Applied, appliesObject } from '../script-delivery';
import { perRun } from '../../private/run-memo';

/** What installs a custom resource's kind in the same sync, and the objects it must come after. */
interface Installer {
  /** The objects (a Subscription, and the custom resource whose reconciliation deploys the CRDs) the kind waits on. */
  readonly after: readonly GraphObject[];
  /** How the kind gets installed, in words. */
  readonly how: string;
  /** Whether the operator's bundle itself carries the CRD (argocd-dry-run-missing-kind judges the dry run of those). */
  readonly bundled: boolean;
}

/** A sync unit; `folder` for the plain manifest files of one folder (folderUnit). */
type Unit = SyncUnit & { readonly folder?: true };

/** The OLM Subscriptions of a sync: once per list and run, as each object of the sync asks with the same list. */
const subscriptions = (objects: readonly GraphObject[]) =>
  perRun('olm-subscriptions', [objects], () =>
    objects.filter((x) => x.manifest.kind === 'Subscription' && groupVersionOf(x.manifest.apiVersion).group === 'operators.coreos.com'),
  );
/** The Argo CD Applications of a sync (children of an app-of-apps): once per list and run, as subscriptions. */
const childApplications = (objects: readonly GraphObject[]) =>
  perRun('argocd-child-applications', [objects], () =>
    objects.filter((x) => x.manifest.kind === 'Application' && groupVersionOf(x.manifest.apiVersion).group === 'argoproj.io'),
  );
const packageOf = (s: GraphObject) => text(mapping(s.manifest.spec).name) ?? '';

/** The Subscription of the sync whose bundle installs the kind, or whose operator installs it through a component a custom resource of the sync enables. */
function installerOf(objects: readonly GraphObject[], group: string, kind: string, graph: ObjectGraph): Installer | undefined {
  for (const s of subscriptions(objects)) {
    const op = operatorInstalling(packageOf(s), group, kind);
    if (op) return { after: [s], how: `${graph.id(s)}, whose operator (${op.operator}) installs the kind`, bundled: true };
    const component = componentInstalling(packageOf(s), group, kind);
    if (!component) continue;
    const trigger = objects.find((x) => groupKindOf(x) === component.trigger);
    return {
      after: trigger ? [s, trigger] : [s],
      how: trigger
        ? `${graph.id(trigger)}, whose reconciliation by the operator of ${graph.id(s)} deploys the kind's CRD (${component.component})`
        : `${graph.id(s)}, whose operator deploys the kind's CRD with ${component.component}`,
      bundled: false,
    };
  }
  return childInstaller(objects, group, kind, graph);
}

/** A child Application of the sync (app-of-apps) whose own sync installs the kind: its operator chart, CRD or Subscription. */
function childInstaller(objects: readonly GraphObject[], group: string, kind: string, graph: ObjectGraph): Installer | undefined {
  for (const child of childApplications(objects)) {
    const how = applicationInstalling(child, graph, group, kind);
    if (how) return { after: [child], how: `${graph.id(child)}, whose own sync installs it (${how})`, bundled: true };
  }
  return undefined;
}

/**
 * The finding for a build no Application of the input syncs and no Argo CD annotation marks: however it is applied, the
 * custom resource goes in with what installs its kind.
 */
function plainBuildProblem(groupKind: string, installer: Installer, unit: SyncUnit): Problem {
  const kind = groupKind.split('/')[1];
  return {
    message:
      `is in ${unit.place ?? 'one build'} together with ${installer.how}: the kind ${groupKind} is not served until the operator has run, ` +
      `so on a new cluster \`kubectl apply\` of them together fails for it ("no matches for kind ${kind}"; "ensure CRDs are installed first") while the rest is applied, ` +
      `and an Argo CD Application syncing it fails the dry run of the whole sync on it unless it sets ${SKIP_DRY_RUN}; ` +
      `apply it in a later step, once the operator has installed the CRD, or under Argo CD give it a later sync wave with ${SKIP_DRY_RUN} and a syncPolicy.retry`,
  };
}

/** Whether the sync skips the dry run of missing kinds for this object: its own annotation, or its Application's syncOptions. */
function dryRunSkipped(o: GraphObject, graph: ObjectGraph): boolean {
  return (
    annotationSkips(o.manifest.metadata) ||
    deliverersOf(o, graph).some((a) => strings(mapping(mapping(a.manifest.spec).syncPolicy).syncOptions).includes(SKIP_DRY_RUN))
  );
}

/** A shell script, whose commands run one after the other (script-cr-before-crd judges its applies under set -e). */
const SHELL_SCRIPT = /\.(sh|bash)$/;
/** A document whose commands a reader runs by hand, step by step. */
const DOCUMENT = /\.(md|markdown|adoc|rst|txt)$/i;

/**
 * How the tree's scripts apply the object apart from what installs its kind: `waited` where each command that applies
 * it (its own file, not with the installer) follows, in the same script, run of commands and cluster, the command that
 * applies the installer and a command between them that may wait (`oc wait --for condition=established crd/…`, a loop
 * until the CRD exists, `kubectl rollout status` of the operator: mayWait); `unwaited` with the command that follows
 * the installer's with nothing between that waits; `apart` for any other step of its own; undefined where no script
 * applies it, or one applies it together with the installer (its folder, its kustomization).
 */
function scriptSteps(
  o: GraphObject,
  installer: Installer,
  graph: ObjectGraph,
): { how: 'waited' | 'apart' } | { how: 'unwaited'; apply: Applied; after: Applied } | undefined {
  const applies = (graph.scriptApplied as readonly Applied[]).filter((a) => a.subcommand !== 'delete');
  const installs = (a: Applied) => installer.after.some((x) => appliesObject(a, x));
  const own = applies.filter((a) => appliesObject(a, o));
  if (!own.length || own.some(installs)) return undefined;
  const steps = own.map((a) => {
    const before = applies.filter(
      (b) =>
        b.script === a.script && b.line < a.line && installs(b) && JSON.stringify(b.arms ?? []) === JSON.stringify(a.arms ?? []) && b.context === a.context,
    );
    const after = before.at(-1);
    if (!after || a.waitedAt === undefined || DOCUMENT.test(a.script)) return { how: 'apart' as const };
    return a.waitedAt > after.line ? { how: 'waited' as const } : { how: 'unwaited' as const, apply: a, after };
  });
  return steps.find((x) => x.how === 'unwaited') ?? (steps.every((x) => x.how === 'waited') ? { how: 'waited' } : { how: 'apart' });
}

/** Whether a script or guide of the tree applies files of the object's folder one by one, and never the folder: applied in steps. */
function fileByFile(o: GraphObject, graph: ObjectGraph): boolean {
  const dir = path.resolve(path.dirname(o.file ?? '.'));
  const applies = graph.scriptApplied.filter((a) => !a.kustomize && a.subcommand !== 'delete');
  const byFile = applies.some((a) => path.dirname(path.resolve(a.target)) === dir && /\.(ya?ml|json)$/i.test(a.target));
  return byFile && !applies.some((a) => path.resolve(a.target) === dir);
}

/**
 * The finding, if any, on an object no Application of the input syncs and no Argo CD annotation marks, by how the tree's
 * scripts apply it: nothing where they apply it once the operator is waited for, or file by file from a plain folder
 * never applied whole; a shell script under set -e that applies it right after a Subscription is script-cr-before-crd's.
 */
function scriptedProblem(o: GraphObject, groupKind: string, installer: Installer, unit: Unit, graph: ObjectGraph): Problem | undefined {
  const steps = scriptSteps(o, installer, graph);
  if (steps?.how === 'waited' || (steps?.how !== 'unwaited' && unit.folder && fileByFile(o, graph))) return undefined;
  if (steps?.how !== 'unwaited') return plainBuildProblem(groupKind, installer, unit);
  const { apply, after } = steps;
  if (SHELL_SCRIPT.test(apply.script) && apply.fatal && installer.bundled) return undefined;
  const kind = groupKind.split('/')[1];
  const crd = `<plural>.${groupKind.split('/')[0]}`;
  return {
    message:
      `is applied by ${apply.script}:${apply.line} (\`${apply.command}\`) right after line ${after.line} (\`${after.command}\`) applies what installs its kind, and no command between them waits: ` +
      `the kind ${groupKind} comes from ${installer.how}, which is not served until the operator has run, so on a new cluster the apply fails ("no matches for kind ${kind}"; "ensure CRDs are installed first"); ` +
      `wait between the two until the CRD exists and is established (\`until oc get crd ${crd}; do sleep 10; done\`, then \`oc wait --for condition=established crd/${crd}\`), or retry the apply in a loop`,
  };
}

function unitProblem(o: GraphObject, slot: Slot, unit: Unit, graph: ObjectGraph): Problem | undefined {
  const groupKind = groupKindOf(o);
  const [group, kind] = groupKind.split('/');
  if (crdKinds(unit.objects).has(groupKind)) return undefined;
  const installer = installerOf(unit.objects, group, kind, graph);
  if (!installer) return undefined;
  const blocking = installer.after.filter((x) => {
    const s = slotOf(x);
    return s !== undefined && !later(slot, s);
  });
  if (!blocking.length) return undefined;
  const skipped = dryRunSkipped(o, graph);
  const byApplication = unit.retries !== undefined;
  // no Application syncs it and it carries no Argo CD annotation (a wave, sync options): applied in one go, however
  if (!byApplication && !Object.keys(stringMap(mapping(o.manifest.metadata).annotations)).some((k) => k.startsWith(ARGOCD_ANNOTATION_PREFIX)))
    return scriptedProblem(o, groupKind, installer, unit, graph);
  // an operator's own kind synced with its Subscription and no option: argocd-dry-run-missing-kind's error
  if (installer.bundled && !skipped && byApplication) return undefined;
  // the dry run skipped and the sync retried: the failed apply is retried until the operator has installed the kind
  if (skipped && unit.retries === true) return undefined;
  const first = blocking.map((x) => `${graph.id(x)} (${slotWords(slotOf(x)!)})`).join(' and ');
  const dryRun = skipped ? '' : `; without ${SKIP_DRY_RUN} Argo CD's dry run already fails the whole sync on the missing kind, before any wave is applied`;
  return {
    message:
      `is synced in ${slotWords(slot)}, no later than ${first} that ${unit.what.replace(/ creates$/, ' syncs')}: the kind ${groupKind} comes from ${installer.how}, ` +
      `which is not served until the operator has run, so on a new cluster the apply of this object fails ("no matches for kind ${kind}") and the sync stops at that wave until a retry${dryRun}; ` +
      `give it a later sync wave than ${blocking.map((x) => graph.id(x)).join(' and ')} and keep a syncPolicy.retry (${installer.bundled ? 'Argo CD may find the Subscription healthy before OLM has installed the CRDs' : 'nothing makes Argo CD wait for the operator to deploy the component'})`,
  };
}

/**
 * The manifest files of one folder, read as written (no kustomization, no cdk8s app), where no Application of the input
 * syncs the object: what `kubectl apply -f <folder>` or an Argo CD directory source applies together.
 */
function folderUnit(o: GraphObject, graph: ObjectGraph): (SyncUnit & { folder: true })[] {
  if (!o.file || unitOf(o) || o.outside || o.template) return [];
  const folder = path.dirname(o.file);
  // once per folder and graph (shared, read-only): each object of the folder asks
  const objects = graph.once(`plain-folder-objects\0${folder}`, () =>
    graph.objects.filter((x) => x.file !== undefined && !unitOf(x) && !x.outside && !x.template && path.dirname(x.file) === folder),
  );
  return [{ objects, createNamespace: false, what: `the folder ${folder} creates`, place: `the folder ${folder}`, folder: true }];
}

export const argocdResourceBeforeOperator: Rule = {
  id: 'argocd-resource-before-operator',
  title:
    'a custom resource is synced in the same or an earlier Argo CD wave than the OLM Subscription (or the resource) that installs its kind, or applied in one build or folder with it',
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "one sync (an Application of the input, or the object's own kustomize build or app, which one Application would sync) holds a custom resource and an OLM Subscription whose operator installs its kind: by its bundle (lib/platform/operator-apis.ts OPERATOR_APIS), or, for the OpenShift AI / Open Data Hub dashboard kinds (AcceleratorProfile, OdhDashboardConfig, OdhApplication, OdhDocument; COMPONENT_APIS), by the manifests the operator deploys once it reconciles a DataScienceCluster, which then counts too; no CRD of the kind is in the sync; " +
    "the resource's phase and wave (argocd.argoproj.io/sync-wave, 0 when unset) are not later than the installer's: Argo CD applies it before or together with the installer, when the kind cannot be served yet. A warning: a syncPolicy.retry applies it once the operator has installed the CRD, and a cluster that already runs the operator passes. " +
    "A bundled kind whose Application has no SkipDryRunOnMissingResource=true is argocd-dry-run-missing-kind's (the dry run fails first); a later wave is not judged, though Argo CD's Subscription health check can report Healthy before OLM has installed the CRDs; nor a sync that skips the dry run (SkipDryRunOnMissingResource=true) and retries (syncPolicy.retry), which converges once the operator has installed the kind; Where no Application of the input syncs the object and it carries no argocd.argoproj.io/ annotation, the sync is its kustomize build, or the plain manifest files of its folder (what kubectl apply -f or a directory source applies together; not where a script or guide of the tree applies files of that folder one by one and never the folder itself, in steps; nor, for a build or a folder, where a script of the tree applies the resource by a file of its own after the command that applies its installer, with a command between them that may wait: `oc wait --for condition=established crd/…`, a loop until the CRD exists, `kubectl rollout status` of the operator; one that applies it right after, with nothing between that waits, is judged, said with both lines, but for a shell script under set -e after a Subscription, which is script-cr-before-crd's), and the installer may also be a child Application there whose own sync installs the kind (an operator chart, the CRD, a Subscription): however that set is applied, the custom resource goes in with its installer, kubectl apply fails for it (no matches for kind) and an Argo CD sync of it fails its dry run",
  example:
    'an `OdhDashboardConfig` and a `DataScienceCluster` both at `argocd.argoproj.io/sync-wave: "1"` in one build with a Subscription `name: rhods-operator`',
  fix: 'give the custom resource a later sync wave than the Subscription (and than the DataScienceCluster for the dashboard kinds), keep SkipDryRunOnMissingResource=true on it and a syncPolicy.retry; or deliver it in an Application synced after the operator is installed',
  source:
    'kubectl apply (each object is mapped to a served resource: "resource mapping not found ... ensure CRDs are installed first", the others still applied); gitops-engine pkg/sync/sync_context.go (the tasks of one phase and wave are applied together, the next wave once they are healthy; an apply of a kind the API server does not serve fails: no matches for kind) and sync_tasks.go (tasks sorted by phase, then wave); argo-cd resource_customizations/operators.coreos.com/Subscription/health.lua (Healthy once no InstallPlanPending, failed or unhealthy condition is listed); argo-cd docs user-guide/sync-options.md (SkipDryRunOnMissingResource skips only the dry run); opendatahub-io/odh-dashboard manifests/common/crd (the dashboard CRDs the operator deploys with the component)',
  check(o, { graph }) {
    const groupKind = groupKindOf(o);
    if (!groupKind.split('/')[0].includes('.') || groupKind.startsWith('argoproj.io/') || o.manifest.kind === 'Subscription') return [];
    const slot = slotOf(o);
    if (!slot) return [];
    const units = unitsOf(o, graph);
    for (const unit of units.length ? units : folderUnit(o, graph)) {
      const problem = unitProblem(o, slot, unit, graph);
      if (problem) return [problem];
    }
    return [];
  },
};
