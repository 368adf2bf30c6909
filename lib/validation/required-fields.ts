import { isMapping, Loose } from '../manifests/access';
import { Definitions } from './unknown-fields';

/** A field the schema of an object requires and the object lacks, after the API server's defaulting. */
export interface MissingField {
  /** Dotted path: `spec.selector`, `spec.template.spec.containers[1].name`. */
  readonly field: string;
}

/**
 * Required fields of built-in kinds whose absence the API server refuses, as its Go validation decides (kubernetes
 * pkg/apis/apps/validation ValidateDeploymentSpec and its siblings: selector and template; pkg/apis/core/validation:
 * a container's, volume's and env var's name, a mount's path, a selector's key, a requirement's key and operator, a
 * pod's containers, a probe's port, a topology spread's key and policy; pkg/apis/networking/validation: an Ingress
 * path's pathType and backend; pkg/apis/rbac/validation: a binding's roleRef and a subject's kind and name;
 * pkg/apis/batch/validation: a Job's template, a CronJob's schedule and jobTemplate, a pod-failure rule's action).
 * The OpenAPI document marks many more required only because the Go field has no `omitempty`, among them fields the
 * server defaults (a pod-failure condition's status, a RoleRef's apiGroup) or accepts empty (a NetworkPolicy's
 * podSelector): a built-in kind's field is judged only when it is listed here.
 */
const REFUSED_ABSENT = new Set([
  'DeploymentSpec.selector',
  'DeploymentSpec.template',
  'StatefulSetSpec.selector',
  'StatefulSetSpec.template',
  'DaemonSetSpec.selector',
  'DaemonSetSpec.template',
  'ReplicaSetSpec.selector',
  'PodSpec.containers',
  'Container.name',
  'EnvVar.name',
  'Volume.name',
  'VolumeMount.name',
  'VolumeMount.mountPath',
  'SecretKeySelector.key',
  'ConfigMapKeySelector.key',
  'KeyToPath.key',
  'KeyToPath.path',
  'ObjectFieldSelector.fieldPath',
  'LabelSelectorRequirement.key',
  'LabelSelectorRequirement.operator',
  'NodeSelectorRequirement.key',
  'NodeSelectorRequirement.operator',
  'HttpGetAction.port',
  'TcpSocketAction.port',
  'TopologySpreadConstraint.topologyKey',
  'TopologySpreadConstraint.whenUnsatisfiable',
  'HttpIngressPath.pathType',
  'HttpIngressPath.backend',
  'IngressServiceBackend.name',
  'KubeRoleBindingProps.roleRef',
  'KubeClusterRoleBindingProps.roleRef',
  'RoleRef.kind',
  'RoleRef.name',
  'Subject.kind',
  'Subject.name',
  'JobSpec.template',
  'CronJobSpec.schedule',
  'CronJobSpec.jobTemplate',
  'PodFailurePolicyRule.action',
  'PodFailurePolicyOnPodConditionsPattern.type',
  'HorizontalPodAutoscalerSpecV2.scaleTargetRef',
  'CrossVersionObjectReferenceV2.kind',
  'CrossVersionObjectReferenceV2.name',
]);

/**
 * Required numbers of built-in kinds whose zero value the validation refuses (kubernetes pkg/apis/core/validation
 * validateContainerPorts, ValidateService's ValidatePortNum, validateTopologySpreadConstraints' maxSkew, the affinity
 * terms' weight range 1-100; pkg/apis/autoscaling/validation maxReplicas and scaling policies). Any other required
 * number or boolean of a built-in kind decodes as zero and passes (a PriorityClass value of 0, a CRD version served:
 * false), so its absence is no refusal.
 */
const ZERO_REFUSED = new Set([
  'ContainerPort.containerPort',
  'ServicePort.port',
  'GrpcAction.port',
  'TopologySpreadConstraint.maxSkew',
  'WeightedPodAffinityTerm.weight',
  'HorizontalPodAutoscalerSpec.maxReplicas',
  'HorizontalPodAutoscalerSpecV2.maxReplicas',
  'HpaScalingPolicyV2.periodSeconds',
  'HpaScalingPolicyV2.value',
]);

/** The schema a `$ref` chain ends in, with the last definition's name (built-in kinds name every object type). */
function resolve(schema: unknown, definitions: Definitions): { s: Loose; name?: string } {
  let s = isMapping(schema) ? schema : {};
  let name: string | undefined;
  for (let hops = 0; typeof s.$ref === 'string' && hops < 16; hops++) {
    name = s.$ref.replace('#/definitions/', '');
    s = definitions[name] ?? {};
  }
  return { s, name };
}

/** Whether the API server refuses the object when `key`, required by `s` (definition `name`), is absent. */
function refusedAbsent(s: Loose, name: string | undefined, key: string, builtIn: boolean, definitions: Definitions): boolean {
  const property = isMapping(s.properties) ? resolve(s.properties[key], definitions).s : {};
  // apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go (Default): an absent field with a default is filled before validation
  if (Object.prototype.hasOwnProperty.call(property, 'default')) return false;
  if (!builtIn) return true;
  const id = `${name ?? ''}.${key}`;
  if (property.type === 'boolean' || property.type === 'number' || property.type === 'integer') return ZERO_REFUSED.has(id);
  return REFUSED_ABSENT.has(id);
}

/**
 * The fields `schema` requires that `object` lacks, as the API server refuses them ("spec.selector: Required value").
 * For a custom resource this is the OpenAPI validation of kubernetes/apiextensions-apiserver (pkg/apiserver/validation,
 * kube-openapi's `required`) after structural defaulting (pkg/apiserver/schema/defaulting: a field with a `default` is
 * filled where its parent object exists); for a built-in kind, the fields its Go validation refuses absent (REFUSED_ABSENT, ZERO_REFUSED), of those the
 * OpenAPI `required` of Kubernetes' types names. A
 * field is judged only inside objects the manifest has: a required field of an absent optional parent is no finding.
 * At the top, apiVersion, kind, metadata (its name is metadata-invalid's) and status are passed over.
 */
export function missingFields(object: Loose, schema: Loose, definitions: Definitions, builtIn: boolean): MissingField[] {
  const out: MissingField[] = [];
  const { s: root, name } = resolve(schema, definitions);
  const top = ['apiVersion', 'kind', 'metadata', 'status'];
  for (const key of requiredOf(root)) {
    if (!top.includes(key) && !(key in object) && refusedAbsent(root, name, key, builtIn, definitions)) out.push({ field: key });
  }
  const properties: Loose = isMapping(root.properties) ? root.properties : {};
  for (const [key, v] of Object.entries(object)) {
    if (!top.includes(key) && Object.prototype.hasOwnProperty.call(properties, key)) walk(v, properties[key], key, definitions, builtIn, out);
  }
  return out;
}

function requiredOf(s: Loose): string[] {
  return Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [];
}

function walk(value: unknown, schema: Loose, at: string, definitions: Definitions, builtIn: boolean, out: MissingField[]): void {
  const { s, name } = resolve(schema, definitions);
  if (s['x-kubernetes-int-or-string'] === true) return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => walk(item, s.items, `${at}[${i}]`, definitions, builtIn, out));
    return;
  }
  if (!isMapping(value)) return;
  for (const key of requiredOf(s)) {
    if (!(key in value) && refusedAbsent(s, name, key, builtIn, definitions)) out.push({ field: `${at}.${key}` });
  }
  const properties: Loose = isMapping(s.properties) ? s.properties : {};
  for (const [key, v] of Object.entries(value)) {
    if (Object.prototype.hasOwnProperty.call(properties, key)) walk(v, properties[key], `${at}.${key}`, definitions, builtIn, out);
    else if (isMapping(s.additionalProperties)) walk(v, s.additionalProperties, `${at}.${key}`, definitions, builtIn, out);
  }
}
