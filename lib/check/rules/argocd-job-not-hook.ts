import { mapping, stringMap, strings, text } from '../../manifests/access';
import { SYNC_OPTIONS_ANNOTATION } from '../../k8s/keys';
import { deliverersOf } from '../argocd/application';
import { isHook } from '../argocd/hooks';
import { automated } from '../argocd/kind-installers';
import { GraphObject } from '../graph-object';
import { Rule } from '../rule';

/** The sync options that make Argo CD delete and create an object whose update is refused (gitops-engine sync_context.go applyObject). */
const FORCE = 'Force=true';
const REPLACE = 'Replace=true';

/** The sync options of an object: its own annotation's, comma-separated (gitops-engine resourceutil.HasAnnotationOption). */
const ownOptions = (o: GraphObject) => (stringMap(mapping(o.manifest.metadata).annotations)[SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((x) => x.trim());

/**
 * Whether a Job of the sync is deleted and created again when its update is refused: Force=true in its annotation or the
 * Application's syncOptions (apply --force, or replace --force with Replace=true), or a ttlSecondsAfterFinished that
 * has the Job controller delete it once it finished, so that a later sync creates it anew.
 */
function recreated(job: GraphObject, appOptions: readonly string[]): boolean {
  if (ownOptions(job).includes(FORCE) || appOptions.includes(FORCE)) return true;
  return mapping(job.manifest.spec).ttlSecondsAfterFinished !== undefined;
}

export const argocdJobNotHook: Rule = {
  id: 'argocd-job-not-hook',
  title:
    'a Job an automatically synced Argo CD Application delivers as a plain resource (no hook, no Force=true, no ttlSecondsAfterFinished): a later change to its pod template fails the sync (spec.template is immutable) and the Job never runs again',
  severity: 'warning',
  appliesTo: ['Job'],
  premise:
    "an Application with syncPolicy.automated delivers a batch/v1 Job with a fixed metadata.name that is no hook (argocd.argoproj.io/hook or helm.sh/hook), has no Force=true in its argocd.argoproj.io/sync-options annotation or the Application's syncOptions, and no ttlSecondsAfterFinished (argocd-job-ttl-recreated judges that one); " +
    'Replace=true alone does not help (a replace of a changed template is refused the same). A warning: the sync fails only once the template changes in the source, and a Job that is meant to run once and never change passes',
  example: 'an Application with `automated` syncing a `kind: Job` named `seed-model-cache` with no hook annotation',
  fix: 'make the Job a hook (argocd.argoproj.io/hook: PostSync or Sync, with argocd.argoproj.io/hook-delete-policy: BeforeHookCreation), which Argo CD deletes and creates on every sync; or annotate it argocd.argoproj.io/sync-options: Force=true,Replace=true (not ttlSecondsAfterFinished: the deleted Job leaves the Application OutOfSync, and a sync runs it again: argocd-job-ttl-recreated)',
  source:
    'kubernetes pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate (spec.template and spec.selector immutable: "field is immutable"); argoproj/gitops-engine pkg/sync/sync_context.go applyObject (apply, or replace with Replace=true; only Force=true deletes and creates: kubectl apply --force on a Conflict or Invalid patch, replace --force) and hooks (BeforeHookCreation deletes the previous hook before creating it); argo-cd docs user-guide/sync-options.md "Replace Resource Instead Of Applying Changes" and "Force Sync" (Force=true,Replace=true "for job resources that should run every time when syncing"), user-guide/resource_hooks.md; Kubernetes TTL-after-finished controller (a finished Job with ttlSecondsAfterFinished is deleted)',
  check(job, { graph }) {
    if (job.manifest.apiVersion !== 'batch/v1' || !text(mapping(job.manifest.metadata).name) || isHook(job)) return [];
    const apps = deliverersOf(job, graph).filter(automated);
    const options = (app: GraphObject) => strings(mapping(mapping(app.manifest.spec).syncPolicy).syncOptions);
    const plain = apps.filter((app) => !recreated(job, options(app)));
    if (!plain.length) return [];
    const names = plain
      .map((a) => `'${text(mapping(a.manifest.metadata).name) ?? ''}'${a.outside ? ` (${a.outside.file}:${a.outside.line}, outside the checked folder)` : ''}`)
      .join(', ');
    const replaceOnly = plain.some((a) => options(a).includes(REPLACE)) || ownOptions(job).includes(REPLACE);
    return [
      {
        message:
          `synced by Application ${names} (automated) as a plain resource: once its pod template changes in the source, the apply is refused (Job spec.template is immutable: "field is immutable"), the sync fails, and the finished Job does not run again` +
          `${replaceOnly ? '; Replace=true alone replaces it and is refused the same (add Force=true to delete and create it)' : ''}; ` +
          'make it a hook (argocd.argoproj.io/hook: PostSync with hook-delete-policy BeforeHookCreation), or annotate it argocd.argoproj.io/sync-options: Force=true,Replace=true',
      },
    ];
  },
};
