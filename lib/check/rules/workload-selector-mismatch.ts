import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { selectsOwnTemplate } from '../argocd/label-selector';
import { holdsTemplate } from '../template-syntax';
import { Problem, Rule } from '../rule';

/**
 * How each judged kind reads its selector and who refuses a mismatch: the apps/v1 controllers (kubernetes
 * pkg/apis/apps/validation; a ReplicaSet's "empty selector" text reuses the Deployment's), an Argo Rollout with a
 * template (argo-rollouts pkg/apis/rollouts/validation ValidateRolloutSpec runs the ReplicaSet validation and marks the
 * Rollout InvalidSpec), and an OpenShift DeploymentConfig, whose selector is a plain label map that defaults to the
 * template labels when empty (openshift-apiserver pkg/apps/apis/apps/v1 SetDefaults_DeploymentConfigSpec;
 * validation ValidateDeploymentConfigSpec through ValidatePodTemplateSpecForRC).
 */
interface SelectorOwner {
  readonly apiVersion: string;
  /** The word of the "empty selector is invalid for …" refusal; none where an empty selector is defaulted. */
  readonly emptyWord?: string;
  /** The selector as a metav1.LabelSelector, or undefined when none is written (or it is defaulted). */
  readonly selector: (spec: Loose) => Loose | undefined;
  readonly refuses: (kind: string, says: string) => string;
}

const API_SERVER = (kind: string, says: string) => `the API server refuses the ${kind} ("${says}")`;
const labelSelector = (spec: Loose) => (isMapping(spec.selector) ? spec.selector : undefined);
const apps = (emptyWord: string): SelectorOwner => ({ apiVersion: 'apps/v1', emptyWord, selector: labelSelector, refuses: API_SERVER });

const OWNERS: Readonly<Record<string, SelectorOwner>> = {
  Deployment: apps('deployment'),
  ReplicaSet: apps('deployment'),
  StatefulSet: apps('statefulset'),
  DaemonSet: apps('daemonset'),
  Rollout: {
    apiVersion: 'argoproj.io/v1alpha1',
    emptyWord: 'deployment',
    selector: labelSelector,
    refuses: (_kind, says) => `the Argo Rollouts controller marks the Rollout InvalidSpec ("${says}") and makes no ReplicaSet`,
  },
  DeploymentConfig: {
    apiVersion: 'apps.openshift.io/v1',
    selector: (spec) => (isMapping(spec.selector) && Object.keys(spec.selector).length ? { matchLabels: spec.selector } : undefined),
    refuses: API_SERVER,
  },
};

/** `k: v` pairs of a label mapping, for the message. */
const pairs = (labels: Loose) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');

/** Whether a selector or the template labels hold text another tool fills in: judged once rendered. */
function holdsPlaceholder(spec: Loose, selector: Loose): boolean {
  const texts = [
    ...Object.entries(mapping(selector.matchLabels)).flat(),
    ...mappings(selector.matchExpressions).flatMap((e) => [e.key, ...(Array.isArray(e.values) ? e.values : [])]),
    ...Object.entries(mapping(mapping(mapping(spec.template).metadata).labels)).flat(),
  ];
  return texts.some((t) => typeof t === 'string' && holdsTemplate(t));
}

/** What the owner's validation refuses in a controller's selector against its own template. */
function selectorProblem(m: Loose, owner: SelectorOwner): string | undefined {
  const spec = mapping(m.spec);
  const written = owner.selector(spec);
  // a missing selector is a required field (field-required-missing); a non-mapping one is the schema's
  if (!written || holdsPlaceholder(spec, written)) return undefined;
  const selector = written;
  const expressions = mappings(selector.matchExpressions);
  if (owner.emptyWord && Object.keys(mapping(selector.matchLabels)).length + expressions.length === 0)
    return `spec.selector is empty: ${owner.refuses(m.kind, `empty selector is invalid for ${owner.emptyWord}`)}; ${m.kind === 'Rollout' ? 'the Rollout never fills it' : 'apps/v1 never fills it'} from the template, so write matchLabels of spec.template.metadata.labels`;
  if (selectsOwnTemplate({ ...spec, selector }) !== false) return undefined;
  const labels = mapping(mapping(mapping(spec.template).metadata).labels);
  const wanted = [pairs(mapping(selector.matchLabels)), expressions.length ? `${expressions.length} matchExpressions` : ''].filter(Boolean).join(' and ');
  return `spec.selector (${wanted}) does not select spec.template.metadata.labels (${pairs(labels) || 'none'}): ${owner.refuses(m.kind, '`selector` does not match template `labels`')}, so none of its pods is made; make the template carry every label the selector requires${owner.apiVersion === 'apps/v1' ? ' (a selector cannot change once created)' : ''}`;
}

export const workloadSelectorMismatch: Rule = {
  id: 'workload-selector-mismatch',
  title:
    "a Deployment, StatefulSet, DaemonSet, ReplicaSet, Argo Rollout or OpenShift DeploymentConfig whose spec.selector does not select its own pod template's labels, or is empty: the API server (for a Rollout, its controller) refuses it",
  severity: 'error',
  appliesTo: Object.keys(OWNERS),
  premise:
    "an apps/v1 controller is judged as written after any kustomize build (commonLabels and labels with includeSelectors add to both the selector and the template, so the built object is read): matchLabels and matchExpressions are ANDed over the template labels; apps/v1 does not default the selector from the template as the removed extensions/v1beta1 did. An argoproj.io/v1alpha1 Rollout with spec.template is validated alike by its controller, which marks it InvalidSpec and makes no ReplicaSet (one with spec.workloadRef only runs the Deployment it names, judged there); an apps.openshift.io/v1 DeploymentConfig's selector is a plain label map, defaulted to the template labels when empty, and refused when the template does not carry it. A selector or label holding a placeholder is judged once rendered; a missing selector is field-required-missing's",
  example: 'a Deployment with `matchLabels: app: webui` under spec.selector and `name: webui` as its template labels',
  fix: 'make spec.template.metadata.labels carry every label spec.selector requires (or write the selector from the template labels); a selector that is empty needs matchLabels',
  source:
    'kubernetes pkg/apis/apps/validation/validation.go ValidateDeploymentSpec and ValidateReplicaSetSpec ("empty selector is invalid for deployment"), ValidatePodTemplateSpecForReplicaSet ("`selector` does not match template `labels`"), ValidateStatefulSetSpec with ValidatePodTemplateSpecForStatefulSet, ValidateDaemonSetSpec; argo-rollouts pkg/apis/rollouts/validation/validation.go ValidateRolloutSpec (the same two refusals, as an InvalidSpec condition); openshift-apiserver pkg/apps/apis/apps/validation ValidateDeploymentConfigSpec (ValidatePodTemplateSpecForRC) and pkg/apps/apis/apps/v1 SetDefaults_DeploymentConfigSpec; cases after validation_test.go (a selector matching the labels is valid, a mismatched one and an empty one are invalid)',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    const owner = Object.hasOwn(OWNERS, String(m.kind)) ? OWNERS[String(m.kind)] : undefined;
    if (!owner || m.apiVersion !== owner.apiVersion) return [];
    const problem = selectorProblem(m, owner);
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    return problem ? [{ message: `${m.kind} ${name}: ${problem}` } satisfies Problem] : [];
  },
};
