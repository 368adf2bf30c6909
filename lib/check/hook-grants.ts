import { roleOf } from './account-grants';
import { later, Slot, slotOf } from './argocd/hooks';
import { HelmInstall, helmInstallOf, SyncUnit, unitsOf } from './argocd/sync-units';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';

/** The RBAC objects a hook's API call needs that the hook's own sync or install creates after the hook runs. */
export interface LateGrant {
  readonly unit: SyncUnit;
  /** Where the hook runs: its phase and wave (a Helm hook's weight). */
  readonly at: Slot;
  /** How Helm installs the chart, where Helm and not Argo CD orders it (a pre-install hook). */
  readonly helm?: HelmInstall;
  /** The bindings and roles made after the hook, with where each is made. */
  readonly late: readonly { readonly object: GraphObject; readonly slot: Slot }[];
}

/** What of a binding's grant a sync creates after the hook: the binding, and the role it binds, where they are of that sync. */
function lateParts(graph: ObjectGraph, binding: GraphObject, unit: SyncUnit, at: Slot): { object: GraphObject; slot: Slot }[] {
  return [binding, roleOf(graph, binding)].flatMap((x) => {
    if (!x || !unit.objects.includes(x)) return [];
    const slot = slotOf(x);
    return slot && later(slot, at) ? [{ object: x, slot }] : [];
  });
}

/**
 * Where the bindings that grant a hook's API call are all made after the hook by the sync that runs it: the first
 * such sync (an Argo CD Application that delivers the hook, the build or render one Application would sync, or a Helm
 * install of its chart), with what it makes late. A binding or role another sync makes, or the cluster holds, is taken
 * as there before the hook; a Helm pre-upgrade-only hook of a chart Helm installs runs once the release's resources
 * exist (helmInstallOf), and is not judged. Argo CD runs a phase's waves in order and a hook's wave before later ones
 * (gitops-engine sync_tasks.go); Helm creates every plain resource of the chart after its pre-install hooks (helm
 * pkg/action/install.go).
 */
export function lateGrant(hook: GraphObject, graph: ObjectGraph, bindings: readonly GraphObject[]): LateGrant | undefined {
  const at = slotOf(hook);
  if (!at || !bindings.length) return undefined;
  for (const unit of unitsOf(hook, graph)) {
    const helm = helmInstallOf(hook, unit);
    if (helm === 'no pre-install') continue;
    const lates = bindings.map((b) => lateParts(graph, b, unit, at));
    // one binding in place before the hook grants the call
    if (lates.some((l) => !l.length)) continue;
    return { unit, at, ...(helm ? { helm } : {}), late: lates.flat() };
  }
  return undefined;
}
