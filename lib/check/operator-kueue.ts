import { Loose, mapping, text } from '../manifests/access';
import { Platform } from './platform';
import { signalsOf } from './platform-signals';
import type { CheckContext } from './rule';
import type { ObjectGraph } from './graph';
import { dscComponent, effectiveDscs } from './dsc-settings';
import { AMD_GPU_RESOURCE, GPU_RESOURCE, KUEUE_MANAGED_LABELS, QUEUE_LABEL } from '../k8s/keys';

/**
 * The Kueue objects the OpenShift AI operator creates when missing (create-if-missing, never modified; re-created if
 * deleted) while its Kueue component is not Removed: ResourceFlavor default-flavor, nvidia-gpu-flavor / amd-gpu-flavor
 * where nodes expose those GPUs, ClusterQueue default, and LocalQueue default → ClusterQueue default in every
 * Kueue-managed namespace (opendatahub-operator internal/controller/components/kueue/kueue_controller_actions.go
 * manageDefaultKueueResourcesAction, kueue_support.go DefaultFlavorName; the queue names are DataScienceCluster
 * kueue.defaultClusterQueueName / defaultLocalQueueName, `default` unless set).
 */
export const OPERATOR_KUEUE = {
  ResourceFlavor: ['default-flavor', 'nvidia-gpu-flavor', 'amd-gpu-flavor'],
  ClusterQueue: ['default'],
  LocalQueue: ['default'],
} as const;

export type OperatorKueueKind = keyof typeof OPERATOR_KUEUE;

/**
 * Whether the operator of the platform creates its Kueue objects: `always` on OpenShift AI 3.0–3.4 (opendatahub-operator
 * 3.0–3.4 create them unconditionally; 3.5 only with DataScienceCluster kueue.autoCreateQueues: true), `recent` on
 * OpenShift AI 2.x (from opendatahub-operator 2.32, July 2025, on; earlier 2.x releases create none), `never` on
 * upstream KServe.
 */
export function operatorCreatesKueue(platform: Platform): 'always' | 'recent' | 'never' {
  if (platform === 'kserve') return 'never';
  return platform === 'rhoai-2' ? 'recent' : 'always';
}

/** The operator's Kueue objects as a tree's DataScienceCluster sets them. */
export interface OperatorKueue {
  /** The DataScienceCluster's kueue managementState is Removed: the operator creates none. */
  readonly removed: boolean;
  /** The names it gives each kind. */
  readonly names: Readonly<Record<OperatorKueueKind, readonly string[]>>;
  /** Where the DataScienceCluster read is the repository's, outside the checked folder: its file and line. */
  readonly file?: string;
}

/** The objects a tree holds, by kind (the graph, or anything that can list them). */
interface ObjectsByKind {
  ofKind(kind: string): readonly { readonly manifest: Loose }[];
}

/** A DataScienceCluster's spec.components.kueue. */
const kueueOfDsc = (m: Loose | undefined) => dscComponent(m, 'kueue');

/**
 * The names the operator gives its queues, and whether its Kueue component is Removed, as the tree's
 * DataScienceCluster sets them (spec.components.kueue: managementState, defaultClusterQueueName,
 * defaultLocalQueueName; `default` unless set), with the patches the tree runs on it applied (effectiveDscs). Where the
 * tree holds none, the DataScienceClusters a manifest of the repository around the checked folder holds (an operators/
 * or cluster/ folder beside it): Removed only where every one of them says so (manageDefaultKueueResourcesAction
 * returns before creating anything then; Managed and Unmanaged both create), their names where they agree; none
 * anywhere: the defaults.
 */
export function operatorKueueOf(graph: ObjectGraph): OperatorKueue {
  return graph.once('operator-kueue:of', () => {
    const effective = effectiveDscs(graph);
    // the tree's own DataScienceCluster decides; where it holds none, every one of the repository's must agree
    const dscs = (effective.some((d) => d.object) ? effective.slice(0, 1) : effective).map((d) => d.manifest);
    const states = dscs.map((d) => text(kueueOfDsc(d).managementState));
    const named = (key: string) => {
      const names = [...new Set(dscs.map((d) => text(kueueOfDsc(d)[key]) || undefined))];
      return names.length === 1 ? names[0] : undefined;
    };
    return {
      removed: states.length > 0 && states.every((s) => s === 'Removed'),
      names: {
        ResourceFlavor: OPERATOR_KUEUE.ResourceFlavor,
        ClusterQueue: [named('defaultClusterQueueName') ?? OPERATOR_KUEUE.ClusterQueue[0]],
        LocalQueue: [named('defaultLocalQueueName') ?? OPERATOR_KUEUE.LocalQueue[0]],
      },
      ...(!effective.some((d) => d.object) && effective[0]?.file ? { file: effective[0].file } : {}),
    };
  });
}

/**
 * Whether OpenShift AI is known, not guessed: the platform was stated (--platform, the project file), or an object of
 * the tree carries a mark only OpenShift AI has (a DataScienceCluster, an opendatahub.io key, an OpenShift AI namespace
 * or image, its operator's Subscription), or an object of its git repository outside the checked folder does (the
 * cluster's set-up in a sibling folder, which the platform is then inferred from too). An OpenShift mark alone (a Route, `oc` in a script) is not one: OpenShift may
 * run the standalone Red Hat build of Kueue, whose operator creates no ClusterQueue, LocalQueue or ResourceFlavor.
 */
export function openShiftAiShown(ctx: Pick<CheckContext, 'graph' | 'platformAssumed' | 'platformInferred'>): boolean {
  if (!ctx.platformAssumed && !ctx.platformInferred) return true;
  const { graph } = ctx;
  // the cluster's set-up in the repository around the tree shows it as the tree would (the platform inferred from it)
  const shows = (m: Loose, id: string) => signalsOf(m, id).some((s) => !s.candidates.includes('kserve'));
  return graph.once(
    'operator-kueue:openshift-ai-shown',
    () => graph.objects.some((o) => shows(o.manifest, graph.id(o))) || graph.repositoryObjects().some((r) => shows(r.manifest, `${r.kind}/${r.name}`)),
  );
}

/** How the platform's operator comes to create one of its Kueue objects; `assumed` where OpenShift AI is only guessed. */
export type OperatorCreation = 'always' | 'recent' | 'assumed' | 'never';

/**
 * Whether the platform's operator creates a Kueue object of that kind and name in the tree (`never` for a name it does
 * not use, or where the tree's DataScienceCluster removes its Kueue component; `assumed` where it would, but the tree
 * does not show OpenShift AI: openShiftAiShown).
 */
export function operatorCreated(
  ctx: Pick<CheckContext, 'graph' | 'platform' | 'platformAssumed' | 'platformInferred'>,
  kind: OperatorKueueKind,
  name: string,
): OperatorCreation {
  const { removed, names } = operatorKueueOf(ctx.graph);
  const created = !removed && names[kind].includes(name) ? operatorCreatesKueue(ctx.platform) : 'never';
  return created !== 'never' && !openShiftAiShown(ctx) ? 'assumed' : created;
}

/**
 * Whether a DataScienceCluster of the tree enables the Kueue component (spec.components.kueue.managementState Managed,
 * or Unmanaged where the Red Hat build of Kueue runs it): on OpenShift AI 2.x, where the component's default is
 * Removed, only then does the operator reconcile it at all.
 */
export function kueueEnabledIn(graph: ObjectGraph): boolean {
  return kueueComponentStates(graph).some((state) => state === 'Managed' || state === 'Unmanaged');
}

/**
 * The kueue component's managementState of each DataScienceCluster (spec.components.kueue), where set: the tree's
 * manifests with the patches the tree runs on them applied, and one the tree only patches (effectiveDscs); with
 * `repository`, the patches of the repository's scripts above the checked folder too.
 */
export function kueueComponentStates(graph: ObjectGraph, repository = false): string[] {
  return effectiveDscs(graph, repository).flatMap((d) => text(kueueOfDsc(d.manifest).managementState) ?? []);
}

/**
 * When the operator creates one of its objects: default-flavor and the queues always, a GPU flavor only where the
 * cluster's nodes have that GPU allocatable (opendatahub-operator internal/controller/components/kueue/kueue_support.go
 * createDefaultResourceFlavors, supportedGPUMap).
 */
function creationCondition(kind: OperatorKueueKind, name: string): string {
  const gpu = kind === 'ResourceFlavor' ? { 'nvidia-gpu-flavor': GPU_RESOURCE, 'amd-gpu-flavor': AMD_GPU_RESOURCE }[name] : undefined;
  return gpu ? ` (only where the cluster's nodes have ${gpu} allocatable; default-flavor it creates on any cluster)` : '';
}

/** The Namespaces of the tree labelled for the Red Hat build of Kueue (kueue.openshift.io/managed), by id. */
function kueueLabelled(tree: ObjectsByKind & { id(o: { readonly manifest: Loose }): string }): string[] {
  return tree
    .ofKind('Namespace')
    .filter((n) => KUEUE_MANAGED_LABELS.some((l) => mapping(mapping(n.manifest.metadata).labels)[l] === 'true'))
    .map((n) => tree.id(n));
}

/**
 * What a message says of an object the operator creates only in recent OpenShift AI 2.x releases, or only on OpenShift
 * AI where the tree does not show it; a Namespace labelled kueue.openshift.io/managed shows the Red Hat build of Kueue,
 * which runs with OpenShift AI or alone (its own operator creates no queue or flavor), so it decides nothing.
 */
export function recentOperatorNote(
  kind: OperatorKueueKind,
  name: string,
  created: OperatorCreation = 'recent',
  tree?: ObjectsByKind & { id(o: { readonly manifest: Loose }): string },
): string {
  const condition = creationCondition(kind, name);
  if (created === 'assumed') {
    const labelled = tree ? kueueLabelled(tree) : [];
    const kueue = labelled.length
      ? `the kueue.openshift.io/managed label of ${labelled.join(', ')} shows the Red Hat build of Kueue, which also runs without OpenShift AI and then creates none`
      : 'OpenShift alone may run the standalone Red Hat build of Kueue, which creates none';
    return (
      `${kind} '${name}' exists only where OpenShift AI's operator creates it${condition}, and nothing in the tree shows OpenShift AI (no DataScienceCluster, opendatahub.io key or OpenShift AI namespace; ` +
      `${kueue}; OpenShift AI assumed: pass --platform)`
    );
  }
  return `${kind} '${name}' exists only where OpenShift AI's operator creates it${condition}: opendatahub-operator 2.32 (July 2025) and later with the Kueue component enabled; earlier 2.x releases create none`;
}

/** One admission check of OpenShift AI that denies a kind without a queue label in a Kueue-managed namespace. */
export interface QueueLabelAdmission {
  /** The kinds it matches, each with the `group/version` strings it matches them under. */
  readonly kinds: Readonly<Record<string, readonly string[]>>;
  /** How a message names the check. */
  readonly by: string;
  /** The denial the API server returns. */
  readonly denial: string;
  /** Only opendatahub-operator 2.32 and later run it (on OpenShift AI 2.x). */
  readonly recent?: boolean;
}

const WEBHOOK = "OpenShift AI's webhook";
const WEBHOOK_DENIAL = `Kueue label validation failed: missing required label "${QUEUE_LABEL}"`;
const RAY = ['ray.io/v1', 'ray.io/v1alpha1'];

/**
 * The queue-label admission checks per platform, each as its source declares it:
 * - OpenShift AI 2.x: the ValidatingAdmissionPolicy its Kueue ships (opendatahub-io/kueue
 *   config/rhoai/ocp-4.17-addons/validating_admission_policy.yaml: ray.io/v1 rayclusters, rayjobs; kubeflow.org/v1
 *   pytorchjobs), and from opendatahub-operator 2.32 the operator's webhook for notebooks and inferenceservices;
 * - OpenShift AI 3.0–3.3: opendatahub-operator internal/webhook/kueue/validating.go (performLabelValidation, its
 *   kubebuilder markers): kubeflow.org/v1 pytorchjobs and notebooks, ray.io v1 and v1alpha1 rayjobs and rayclusters,
 *   serving.kserve.io v1beta1 inferenceservices and v1alpha1 llminferenceservices;
 * - OpenShift AI 3.4: none (opendatahub-operator #3263 "disable kueue validating webhook"): a workload without the
 *   label is simply not managed by Kueue; upstream KServe: none.
 * Both match with matchPolicy Equivalent (the default): a version they do not list is matched through one they do, so
 * ray.io v1 and v1alpha1 count alike wherever the CRD serves both.
 */
export const QUEUE_LABEL_ADMISSION: Record<Platform, readonly QueueLabelAdmission[]> = {
  'rhoai-2': [
    {
      kinds: { RayCluster: RAY, RayJob: RAY, PyTorchJob: ['kubeflow.org/v1'] },
      by: "OpenShift AI's ValidatingAdmissionPolicy",
      denial: `The label '${QUEUE_LABEL}' is either missing or does not have a value set.`,
    },
    {
      kinds: { Notebook: ['kubeflow.org/v1'], InferenceService: ['serving.kserve.io/v1beta1'] },
      by: `${WEBHOOK} (opendatahub-operator 2.32 and later)`,
      denial: WEBHOOK_DENIAL,
      recent: true,
    },
  ],
  'rhoai-3.0': operatorWebhook(),
  'rhoai-3.3': operatorWebhook(),
  'rhoai-3.4': [],
  kserve: [],
};

function operatorWebhook(): QueueLabelAdmission[] {
  const kinds = {
    PyTorchJob: ['kubeflow.org/v1'],
    Notebook: ['kubeflow.org/v1'],
    RayJob: RAY,
    RayCluster: RAY,
    InferenceService: ['serving.kserve.io/v1beta1'],
    LLMInferenceService: ['serving.kserve.io/v1alpha1'],
  };
  return [{ kinds, by: WEBHOOK, denial: WEBHOOK_DENIAL }];
}

/** Every kind some platform checks the queue label of. */
export const QUEUE_LABEL_ADMITTED_KINDS = [...new Set(Object.values(QUEUE_LABEL_ADMISSION).flatMap((checks) => checks.flatMap((c) => Object.keys(c.kinds))))];

/** The platform's admission check that denies this object without a queue label in a Kueue-managed namespace, if any. */
export function queueLabelAdmission(platform: Platform, apiVersion: unknown, kind: unknown): QueueLabelAdmission | undefined {
  return QUEUE_LABEL_ADMISSION[platform].find(
    (c) => typeof kind === 'string' && typeof apiVersion === 'string' && Object.hasOwn(c.kinds, kind) && c.kinds[kind].includes(apiVersion),
  );
}
