import { mapping, mappings, text } from '../../manifests/access';
import { deliverersOf } from '../argocd/application';
import { isHook, later, Slot, slotOf, slotWords } from '../argocd/hooks';
import { claimHolders } from '../claim-holders';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { ClaimBinding, claimBinding } from '../storage-binding';

/** The kind Argo CD's configuration names to customise or exclude claims (argocd-cm resource.customizations.*, resource.exclusions). */
const CLAIM_KIND = 'PersistentVolumeClaim';

/**
 * Whether the tree's Argo CD configuration mentions claims: an argocd-cm key or value (a health override such as
 * `resource.customizations.health.PersistentVolumeClaim`, an exclusion), or an ArgoCD resource's health checks or
 * extra configuration. Argo CD's built-in claim health is then not known to hold.
 */
function claimHealthCustomised(graph: ObjectGraph): boolean {
  return graph.once('argocd-claim-health-customised', () => {
    const mentions = (v: unknown) => JSON.stringify(v ?? null).includes(CLAIM_KIND);
    const inConfigMap = graph.ofKind('ConfigMap').some((c) => text(mapping(c.manifest.metadata).name) === 'argocd-cm' && mentions(c.manifest.data));
    const inOperator = graph.ofKind('ArgoCD').some((a) => {
      const spec = mapping(a.manifest.spec);
      return mappings(spec.resourceHealthChecks).some((h) => text(h.kind) === CLAIM_KIND) || mentions(spec.extraConfig) || mentions(spec.resourceExclusions);
    });
    return inConfigMap || inOperator;
  });
}

/**
 * Whether two objects are applied by one sync: an Application of the input delivers both, or the input holds no
 * Application or ApplicationSet at all (the folder is what some Application outside it syncs). Where the input's
 * Applications deliver neither, nothing says Argo CD applies them (they may be applied by hand, waves ignored).
 */
function oneSync(a: GraphObject, b: GraphObject, graph: ObjectGraph): { app?: GraphObject } | undefined {
  const ofA = deliverersOf(a, graph);
  const ofB = deliverersOf(b, graph);
  if (!ofA.length && !ofB.length) return graph.ofKind('Application').length || graph.ofKind('ApplicationSet').length ? undefined : {};
  const app = ofA.find((x) => ofB.includes(x));
  return app ? { app } : undefined;
}

/** Kinds whose pods read a model from a claim (a `pvc://` storage URI) and never fill it. */
const MODEL_READERS = ['InferenceService', 'LLMInferenceService'];

/** A consumer of the claim with the slot it runs in. */
interface Consumer {
  readonly object: GraphObject;
  readonly slot: Slot;
}

/**
 * The consumers that all come after the claim in one sync, earliest first: none when a consumer runs in the claim's
 * slot or before it (its pod binds the claim), or outside the claim's sync (its own sync may bind it at any time).
 */
function laterConsumers(claim: GraphObject, own: Slot, graph: ObjectGraph): { consumers: Consumer[]; app?: GraphObject } | undefined {
  const holders = [...new Set(claimHolders(graph, claim).map((h) => h.object))];
  let app: GraphObject | undefined;
  const consumers: Consumer[] = [];
  for (const object of holders) {
    const sync = oneSync(claim, object, graph);
    if (!sync) return undefined;
    app ??= sync.app;
    const slot = slotOf(object);
    // a hook that never runs in the sync's phases (Skip, SyncFail, PostDelete) binds nothing during it
    if (!slot) continue;
    if (!later(slot, own)) return undefined;
    consumers.push({ object, slot });
  }
  // a model server reads its weights from the claim (pvc://): something the tree does not hold copies them there
  // first, and that pod binds the claim whatever the waves
  if (!consumers.length || consumers.every((c) => MODEL_READERS.includes(String(c.object.manifest.kind)))) return undefined;
  consumers.sort((a, b) => (later(a.slot, b.slot) ? 1 : later(b.slot, a.slot) ? -1 : 0));
  return { consumers, ...(app ? { app } : {}) };
}

/** The message: what waits for what, why it never ends, and the fix. */
function deadlock(own: Slot, found: { consumers: Consumer[]; app?: GraphObject }, binding: ClaimBinding, graph: ObjectGraph): Problem {
  const { consumers, app } = found;
  const first = consumers[0];
  const more = consumers.length > 1 ? ` and ${consumers.length - 1} more, later still` : '';
  const known = binding.mode === 'consumer';
  const mode = known
    ? `${binding.because} binds WaitForFirstConsumer`
    : `${binding.because} may bind WaitForFirstConsumer (as the cloud CSI classes gp3-csi, managed-csi and standard-rwo do)`;
  const who = app ? `${graph.id(app)}'s sync` : 'an Argo CD sync of them (the input holds no Application; one outside it would sync them together)';
  const fix =
    first.slot.phase === 'Sync'
      ? `give the claim the wave of its first consumer (argocd.argoproj.io/sync-wave: "${first.slot.wave}")`
      : `run a pod that mounts it in the Sync phase at wave ${own.wave} or earlier`;
  return {
    ...(known && app ? {} : { severity: 'warning' as const }),
    message:
      `syncs in ${slotWords(own)}, before every pod that mounts it (${graph.id(first.object)} in ${slotWords(first.slot)}${more}), and ${mode}: ` +
      `${known ? 'the claim stays' : 'if it does, the claim stays'} Pending until such a pod is scheduled, Argo CD's health of a Pending claim is Progressing, ` +
      `and ${who} starts no later wave until this one is healthy, so the consumer is never applied and the sync never finishes; ${fix}, or set spec.volumeName to a volume made for it`,
  };
}

export const argocdClaimWaitsForConsumer: Rule = {
  id: 'argocd-claim-waits-for-consumer',
  title: 'an Argo CD sync applies a WaitForFirstConsumer claim in an earlier wave than every pod that mounts it: the sync never finishes',
  severity: 'error',
  appliesTo: ['PersistentVolumeClaim'],
  premise:
    'the claim is no hook, is bound to no named volume, and every pod of the tree that mounts it (a Deployment, Job, StatefulSet, Sync or PostSync hook…) is applied by the same sync in a later wave or phase, one of them a pod that may fill it (not only model servers reading `pvc://` weights, which a pod outside the tree copies there first, binding the claim); ' +
    "an error where an Application of the input delivers both and the claim's StorageClass is known to bind WaitForFirstConsumer (a StorageClass of the tree; gp3-csi, gp2-csi, gp2, standard-rwo, premium-rwo, standard-csi, managed-csi, managed-premium; for a claim naming no class, the tree's default StorageClass, or OpenShift's default on the cloud the tree's MachineSets name, unless the tree installs Ceph or LVM storage that may be the default); " +
    "a warning where the class is unknown, or where the input holds no Application (the folder an Application elsewhere syncs); nothing where the input's Applications deliver neither, where a consumer runs in the claim's wave or before it, the class binds Immediate, or the tree's argocd-cm (or ArgoCD resource) customises the health of claims",
  example:
    'a PersistentVolumeClaim with `argocd.argoproj.io/sync-wave: "13"` and `storageClassName: gp3-csi`, mounted only by a Job that is a Sync hook with `argocd.argoproj.io/sync-wave: "14"`, both delivered by one Application',
  fix: "give the claim the wave of its first consumer (or the consumer the claim's), or bind the claim to a named volume",
  source:
    'gitops-engine pkg/health/health_pvc.go (a Pending claim is Progressing) and pkg/sync/sync_context.go (a wave starts once the earlier waves are healthy); Kubernetes StorageClass volumeBindingMode WaitForFirstConsumer (a claim is bound once a pod using it is scheduled); argoproj/argo-cd issue 12840; openshift/aws-ebs-csi-driver-operator assets/storageclass_gp3.yaml (gp3-csi, the default class, WaitForFirstConsumer); AKS, GKE and EKS storage class docs',
  check(o, { graph }) {
    const own = slotOf(o);
    if (isHook(o) || !own || claimHealthCustomised(graph)) return [];
    const found = laterConsumers(o, own, graph);
    if (!found) return [];
    const binding = claimBinding(graph, o);
    return binding.mode === 'immediate' ? [] : [deadlock(own, found, binding, graph)];
  },
};
