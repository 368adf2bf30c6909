import { mapping, strings } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/**
 * The sync options Argo CD reads, each with the values it acts on: gitops-engine pkg/sync/common/types.go (the
 * SyncOption constants) and argo-cd controller/sync.go, which test an option with SyncOptions.HasOption, an exact
 * string match, and docs/user-guide/sync-options.md; `=false` (or `=true`) where Argo CD acts only on the other
 * states the default, which does nothing but is no mistake. Any other entry is read by nothing.
 */
const BOOLEAN = ['true', 'false'];
const SYNC_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  SkipDryRunOnMissingResource: BOOLEAN,
  Prune: [...BOOLEAN, 'confirm'],
  Validate: BOOLEAN,
  PruneLast: BOOLEAN,
  Replace: BOOLEAN,
  Force: BOOLEAN,
  ServerSideApply: BOOLEAN,
  Delete: [...BOOLEAN, 'confirm'],
  ApplyOutOfSyncOnly: BOOLEAN,
  PrunePropagationPolicy: ['foreground', 'background', 'orphan'],
  CreateNamespace: BOOLEAN,
  RespectIgnoreDifferences: BOOLEAN,
  FailOnSharedResource: BOOLEAN,
  ClientSideApplyMigration: BOOLEAN,
};

/** What a sync option is not, for a message; undefined for one Argo CD reads. */
function unreadOption(option: string): string | undefined {
  const [key, ...rest] = option.split('=');
  const value = rest.join('=');
  const known = Object.prototype.hasOwnProperty.call(SYNC_OPTIONS, key) ? SYNC_OPTIONS[key] : undefined;
  if (known?.includes(value)) return undefined;
  if (known) return `'${option}' gives ${key} a value Argo CD does not act on (it reads ${known.map((v) => `${key}=${v}`).join(', ')})`;
  const near = Object.keys(SYNC_OPTIONS).find((k) => k.toLowerCase() === key.trim().toLowerCase());
  return `'${option}' is no sync option${near ? ` (the option is spelt ${near}, exactly)` : ''}`;
}

/** Retries and timeouts are settings of their own, not options: where they go instead. */
function instead(option: string): string {
  if (/^retry/i.test(option)) return '; retries are spec.syncPolicy.retry (limit, backoff)';
  if (/timeout/i.test(option))
    return "; a sync has no per-Application timeout option (the controller-wide timeout.reconciliation and a hook's own activeDeadlineSeconds are what exist)";
  return '';
}

export const argocdSyncOptionUnknown: Rule = {
  id: 'argocd-sync-option-unknown',
  title: 'an Argo CD syncOptions entry that Argo CD does not read (Retry=true, syncTimeout=…): silently ignored',
  severity: 'warning',
  appliesTo: ['Application', 'ApplicationSet'],
  premise:
    "an entry of an Application's spec.syncPolicy.syncOptions (an ApplicationSet's template's too) whose key is none of Argo CD's sync options (SkipDryRunOnMissingResource, Prune, Validate, PruneLast, Replace, Force, ServerSideApply, Delete, ApplyOutOfSyncOnly, PrunePropagationPolicy, CreateNamespace, RespectIgnoreDifferences, FailOnSharedResource, ClientSideApplyMigration), or whose value is one Argo CD does not act on (CreateNamespace=yes); keys are matched exactly, case and spaces included",
  example: '`syncOptions: [CreateNamespace=true, Retry=true]`: retries are spec.syncPolicy.retry, the option is read by nothing',
  fix: 'remove the entry, or write the setting where Argo CD reads it (spec.syncPolicy.retry for retries) or the option as documented',
  source:
    'gitops-engine pkg/sync/common/types.go (SyncOptionPruneLast = "PruneLast=true", …) and argo-cd controller/sync.go, which test each option with SyncOptions.HasOption (an exact string match); argo-cd docs/user-guide/sync-options.md',
  scope: 'object',
  check(o) {
    const spec = o.manifest.kind === 'ApplicationSet' ? mapping(mapping(mapping(o.manifest.spec).template).spec) : mapping(o.manifest.spec);
    const options = strings(mapping(spec.syncPolicy).syncOptions);
    return options.flatMap((option): Problem[] => {
      const why = unreadOption(option);
      return why
        ? [
            {
              message: `spec.syncPolicy.syncOptions: ${why}, so Argo CD reads nothing from it and the sync goes on as if it were not there${instead(option)}: remove it, or write it as Argo CD reads it`,
            },
          ]
        : [];
    });
  },
};
