import { finite, mapping, stringMap, text } from '../../manifests/access';
import { deliverersOf } from '../argocd/application';
import { isHook } from '../argocd/hooks';
import { automated } from '../argocd/kind-installers';
import { GraphObject } from '../graph-object';
import { Rule } from '../rule';

/** The annotation of an object's compare options (argo-cd common.AnnotationCompareOptions). */
const COMPARE_OPTIONS = 'argocd.argoproj.io/compare-options';

/** Whether the Application syncs again by itself when the live state drifts with no new revision (automated.selfHeal). */
const selfHeals = (app: GraphObject) => mapping(mapping(mapping(app.manifest.spec).syncPolicy).automated).selfHeal === true;

/** How a message names an Application: its name, and where it is written when outside the checked folder. */
const named = (app: GraphObject) =>
  `'${text(mapping(app.manifest.metadata).name) ?? ''}'${app.outside ? ` (${app.outside.file}:${app.outside.line}, outside the checked folder)` : ''}`;

/** What happens once the Job is gone, with selfHeal or without. */
function aftermath(healing: boolean): string {
  return healing
    ? 'selfHeal syncs the same revision again (after its timeout, 5 s by default), which creates the Job and runs it again: a loop, one run per TTL and run time, for as long as the Application lives'
    : 'the Application stays OutOfSync (automated sync does not sync the same revision twice without selfHeal), and its next sync (a new revision of the source, a manual sync) creates the Job and runs it again';
}

export const argocdJobTtlRecreated: Rule = {
  id: 'argocd-job-ttl-recreated',
  title:
    'a Job with ttlSecondsAfterFinished that an automatically synced Argo CD Application delivers as a plain resource: once the TTL deletes it the Application is OutOfSync, and a sync creates it and runs it again (with selfHeal, over and over)',
  severity: 'warning',
  appliesTo: ['Job'],
  premise:
    'an Application with syncPolicy.automated (not enabled: false), selfHeal or not, delivers a batch/v1 Job that sets spec.ttlSecondsAfterFinished and is no hook (argocd.argoproj.io/hook, or helm.sh/hook, which Argo CD reads as one): the TTL-after-finished controller deletes the finished Job, and Argo CD compares the source with the live state, where it is missing. ' +
    'The annotation argocd.argoproj.io/compare-options: IgnoreExtraneous does not help (it ignores objects that are live but not in the source; this one is in the source and not live), and the message says so where the Job carries it. ' +
    'A warning: a Job that is safe to run again only costs its runs',
  example: 'an Application with `selfHeal: true` syncing a `kind: Job` with `ttlSecondsAfterFinished: 7200` and no hook annotation',
  fix: 'make the Job an Argo CD hook (argocd.argoproj.io/hook: Sync or PostSync, with argocd.argoproj.io/hook-delete-policy: HookSucceeded or BeforeHookCreation): hooks count for no sync status and run once per sync; or drop ttlSecondsAfterFinished, so the finished Job stays and the Application stays Synced',
  source:
    'kubernetes pkg/controller/ttlafterfinished/ttlafterfinished_controller.go (a finished Job is deleted ttlSecondsAfterFinished seconds after it finishes); argo-cd controller/state.go CompareAppState (a resource of the source missing from the live state is OutOfSync; hooks count for no sync status; IgnoreExtraneous is honoured only where the live object needs pruning) and controller/appcontroller.go autoSync ("Skipping auto-sync: most recent sync already to …" unless selfHeal; selfHeal syncs again after the self-heal timeout); argo-cd docs user-guide/auto_sync.md "Automated Sync Semantics", user-guide/compare-options.md, user-guide/resource_hooks.md up to 2.10 ("Sync Status with Jobs/Workflows with Time to Live (ttl)": the ttl leads to OutOfSync Applications, deletion hooks do not); argo-cd #8586',
  check(job, { graph }) {
    if (job.manifest.apiVersion !== 'batch/v1' || isHook(job)) return [];
    const ttl = finite(mapping(job.manifest.spec).ttlSecondsAfterFinished);
    if (ttl === undefined) return [];
    const apps = deliverersOf(job, graph).filter(automated);
    if (!apps.length) return [];
    const healing = apps.filter(selfHeals);
    const ignores = (stringMap(mapping(job.manifest.metadata).annotations)[COMPARE_OPTIONS] ?? '').split(',').some((o) => o.trim() === 'IgnoreExtraneous');
    return [
      {
        message:
          `synced by Application ${apps.map(named).join(', ')} (automated${healing.length ? ', selfHeal' : ''}) as a plain resource with ttlSecondsAfterFinished ${ttl}: ` +
          `${ttl} s after it finishes, the TTL-after-finished controller deletes it, Argo CD finds it missing from the live state and shows the Application OutOfSync, and ${aftermath(healing.length > 0)}` +
          `${ignores ? '; its compare-options IgnoreExtraneous does not help: Argo CD ignores with it an object that is live but not in the source, and this one is in the source but no longer live' : ''}; ` +
          'make it a hook (argocd.argoproj.io/hook: PostSync with hook-delete-policy HookSucceeded or BeforeHookCreation), which runs once per sync and counts for no sync status, or drop ttlSecondsAfterFinished',
      },
    ];
  },
};
