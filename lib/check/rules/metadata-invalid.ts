import { isMapping } from '../../manifests/access';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../../private/names';
import { ANY_KIND, Problem, Rule } from '../rule';
import { specLabelProblems } from '../label-fields';
import { ANGLE_PLACEHOLDER, bracedTemplate, holdsTemplate, placeholderWord } from '../template-syntax';
import type { GraphObject } from '../graph-object';

/** apimachinery pkg/api/validation/objectmeta.go TotalAnnotationSizeLimitB: keys and values together, 256 KiB. */
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

/** How YAML read a scalar, in the words of Go's JSON decoder ("cannot unmarshal bool into … of type string"). */
function goType(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (Array.isArray(v)) return 'array';
  return isMapping(v) ? 'object' : typeof v;
}

/** A quoted form of a scalar YAML read as something else: `true` → `"true"`. */
function asString(v: unknown): string {
  return JSON.stringify(String(v));
}

/** name, generateName and namespace are strings (ObjectMeta); anything else but null (Go's decoder skips null) fails to decode. */
function scalarFieldProblems(meta: Record<string, unknown>): Problem[] {
  return (
    ['name', 'generateName', 'namespace']
      // an unquoted {{ X }} reads as a mapping: a template another tool renders, judged once rendered
      .filter((f) => meta[f] !== undefined && meta[f] !== null && typeof meta[f] !== 'string' && !bracedTemplate(meta[f]))
      .map((f) => ({
        message: `metadata.${f} is ${goType(meta[f])}, not a string: the API server refuses the object ("cannot unmarshal ${goType(meta[f])} into Go struct field ObjectMeta.metadata.${f} of type string"); quote it`,
      }))
  );
}

/** Kinds named by a DNS label (kubernetes pkg/apis/core/validation ValidateNamespaceName, ValidateServiceName; OpenShift's Project). */
const LABEL_NAMED = ['Namespace', 'Project', 'Service'];

/**
 * Groups whose names are not DNS subdomains: RBAC names are path segments (kubernetes pkg/apis/rbac/validation
 * ValidateRBACName: path.IsValidPathSegmentName), OpenShift's users, groups, identities and OAuth objects take their own
 * forms; InferenceService names are inference-service-name's.
 */
const NAMES_NOT_JUDGED = /^(rbac\.authorization\.k8s\.io|user\.openshift\.io|oauth\.openshift\.io|authorization\.openshift\.io)\//;

/**
 * metadata.name and metadata.namespace as the API server validates them (apimachinery ValidateObjectMeta with the
 * kind's name function: NameIsDNSSubdomain for most kinds and every custom resource, a DNS label for namespaces and
 * Services; ValidateNamespaceName for the namespace); a value holding a placeholder is unrendered-placeholder's.
 */
function nameProblems(m: Record<string, unknown>, meta: Record<string, unknown>, o: Pick<GraphObject, 'template' | 'sedFills'>): Problem[] {
  const kind = String(m.kind);
  const judged = (v: unknown): v is string => typeof v === 'string' && v !== '' && !holdsTemplate(v) && !ANGLE_PLACEHOLDER.test(v);
  const out: Problem[] = [];
  const label = LABEL_NAMED.includes(kind);
  const skip = NAMES_NOT_JUDGED.test(String(m.apiVersion)) || kind === 'InferenceService' || kind === 'LLMInferenceService';
  if (!skip && judged(meta.name) && !(label ? isDnsLabel(meta.name) : isDnsSubdomain(meta.name))) {
    out.push(
      asTemplate(
        {
          message:
            `metadata.name '${meta.name}' is not a valid ${kind} name (${label ? 'a DNS label: at most 63' : 'a DNS subdomain: at most 253'} lowercase letters, digits and '-'${label ? '' : " and '.'"}, ` +
            `starting and ending with a letter or digit): the API server refuses the object; rename it`,
        },
        meta.name,
        o,
      ),
    );
  }
  if (judged(meta.namespace) && !isDnsLabel(meta.namespace)) {
    out.push(
      asTemplate(
        {
          message: `metadata.namespace '${meta.namespace}' is not a namespace name (a DNS label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit): the API server refuses the object; name an existing namespace`,
        },
        meta.namespace,
        o,
      ),
    );
  }
  return out;
}

/**
 * A name of a template (a file its renderer fills before it is applied) that the rendering may change: a token its
 * sed replaces, a placeholder word, or capitals (`job_ID_`, `MODEL-run`), which no DNS name holds and a renderer's
 * token does. A name without one (`llama2_7b-fsdp`) is applied as written whatever the rendering fills elsewhere.
 */
function renderable(value: string, o: Pick<GraphObject, 'sedFills'>): boolean {
  return (o.sedFills ?? []).some((t) => value.includes(t)) || placeholderWord(value) !== undefined || /[A-Z]/.test(value);
}

/** A name problem in a template, where the rendering may change the name: a warning saying so; else as it is. */
function asTemplate(p: Problem, value: string, o: Pick<GraphObject, 'template' | 'sedFills'>): Problem {
  if (!o.template || !renderable(value, o)) return p;
  return { severity: 'warning', message: `${p.message} (judged as a template, since ${o.template}: if it is applied as it is)` };
}

/**
 * labels or annotations: a map of strings, keys qualified names; label values at most 63 characters of the label-value
 * syntax. Ported from apimachinery pkg/api/validation (ValidateAnnotations: IsQualifiedName of the lower-cased key;
 * metav1validation.ValidateLabels: IsQualifiedName, IsValidLabelValue) and the ObjectMeta decoding of map[string]string.
 */
function mapProblems(meta: Record<string, unknown>, field: 'labels' | 'annotations', kustomized: boolean): Problem[] {
  if (!(field in meta) || meta[field] === null) return [];
  const m = meta[field];
  if (!isMapping(m)) {
    const shown = typeof m === 'string' ? ` (${JSON.stringify(m.length > 80 ? `${m.slice(0, 77)}...` : m)})` : '';
    const hint = typeof m === 'string' && /^[^\s:]+:\S/.test(m) ? ': put a space after the colon' : ': write it as a map of key: value';
    // kustomize (kyaml, kubectl kustomize v5) builds the object without annotations that are no map: admitted, but they are lost
    if (kustomized && field === 'annotations') {
      return [
        {
          severity: 'warning',
          message: `metadata.annotations is ${goType(m)}${shown}, not a map: kustomize builds the object without them, so none of them reaches the cluster (a sync-wave or hook among them is ignored)${hint}`,
        },
      ];
    }
    return [
      {
        message: `metadata.${field} is ${goType(m)}${shown}, not a map: the API server refuses the object ("cannot unmarshal ${goType(m)} into Go struct field ObjectMeta.metadata.${field} of type map[string]string")${hint}`,
      },
    ];
  }
  const out: Problem[] = [];
  const label = field === 'labels';
  for (const [k, v] of Object.entries(m)) {
    // a key or value another tool fills in (envsubst, Helm) is judged once rendered
    if (holdsTemplate(k) || (typeof v === 'string' && holdsTemplate(v)) || bracedTemplate(v)) continue;
    if (!isLabelKey(label ? k : k.toLowerCase())) {
      out.push({
        message: `metadata.${field} key '${k}' is not a qualified name (an optional DNS-subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit): the API server refuses the object; rename the key`,
      });
    }
    // null decodes to the empty string (encoding/json leaves the zero value), so only other types are refused;
    // kustomize writes annotation values out as strings ("0"), label values as they are
    if (v !== null && typeof v !== 'string' && !(kustomized && !label)) {
      out.push({
        message:
          `metadata.${field}.${k} is ${goType(v)} ${JSON.stringify(v)}, not a string: YAML reads it so and the API server refuses the object ("cannot unmarshal ${goType(v)} into Go struct field ObjectMeta.metadata.${field} of type string"); ` +
          (isMapping(v) || Array.isArray(v) ? 'write one string' : `quote it: ${k}: ${asString(v)}`),
      });
    } else if (label && typeof v === 'string' && !isLabelValue(v)) {
      out.push({
        message: `metadata.labels.${k} '${v.length > 80 ? `${v.slice(0, 77)}...` : v}' is not a label value (${v.length > 63 ? `${v.length} characters, at most 63` : "letters, digits, '-', '_' and '.', starting and ending with a letter or digit"}): the API server refuses the object; shorten it or move it to an annotation`,
      });
    }
  }
  return out;
}

/** The annotations' total size, keys and values, is at most 256 KiB (a large last-applied-configuration counts). */
function sizeProblems(meta: Record<string, unknown>): Problem[] {
  if (!isMapping(meta.annotations)) return [];
  const size = Object.entries(meta.annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : ''), 0);
  if (size <= ANNOTATIONS_SIZE_LIMIT) return [];
  return [
    {
      message: `metadata.annotations total ${size} bytes, over the API server's limit of ${ANNOTATIONS_SIZE_LIMIT} (256 KiB): the object is refused ("metadata.annotations: Too long"); move the large values into a ConfigMap`,
    },
  ];
}

export const metadataInvalid: Rule = {
  id: 'metadata-invalid',
  title:
    "metadata the API server refuses: a name or namespace that is no DNS name, labels or annotations that are not a map of strings (a value YAML reads as a bool or number), keys that are not qualified names, invalid label values; and the same label syntax where the API validates it in a spec (pod template labels, nodeSelector, toleration keys, a Kueue ResourceFlavor's nodeLabels and nodeTaints)",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "any object: metadata.name a DNS subdomain (a DNS label for Namespace, Project and Service; RBAC and OpenShift user, group and OAuth names and InferenceService names, which inference-service-name judges, are not judged here) and metadata.namespace a DNS label, a name holding a placeholder being unrendered-placeholder's, a warning in a file the reader takes for a template (its name, a README or script that renders it) where the rendering may change the name (a token its sed replaces, a placeholder word, capitals), an error where it holds none (`llama2_7b-fsdp` is applied as written); metadata.labels and metadata.annotations must be maps of strings with qualified-name keys, label values at most 63 characters of the label-value syntax, annotations at most 256 KiB in all, name/generateName/namespace strings (a live object's resourceVersion, which the API server refuses too, is live-object-fields', which names the export as the cause); " +
    'values are judged as the YAML 1.2 reader of the check reads them (an unquoted yes/on, a boolean to go-yaml v2 in kubectl and Argo CD, is not judged); ' +
    'through a kustomization, annotation values that are no strings are written out as strings by kustomize (no finding) and annotations that are no map are dropped (a warning: they never reach the cluster); ' +
    "label syntax in specs: a pod template's labels, a pod spec's nodeSelector (keys and values) and toleration keys of every workload (an InferenceService's predictor, whose Deployment is refused; the several templates of Ray, training jobs, JobSet, LeaderWorkerSet), a Kueue ResourceFlavor's spec.nodeLabels (keys and values), nodeTaints (keys and values) and tolerations (keys); keys and values holding a placeholder are judged once rendered",
  example: '`annotations: \'argocd.argoproj.io/sync-wave:"0"\'` (no space after the colon: one string), or `opendatahub.io/dashboard: true` as a label',
  fix: 'write labels and annotations as maps and quote values YAML would read as other types: `opendatahub.io/dashboard: "true"`',
  source:
    'kubernetes apimachinery pkg/api/validation/objectmeta.go ValidateObjectMeta (NameIsDNSSubdomain, ValidateNamespaceName); kubernetes apimachinery ObjectMeta decoding ("cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"); apimachinery pkg/api/validation/objectmeta.go ValidateAnnotations ' +
    '(IsQualifiedName, TotalAnnotationSizeLimitB) and pkg/apis/meta/v1/validation ValidateLabels (IsQualifiedName, IsValidLabelValue); kubernetes pkg/apis/core/validation ValidatePodSpec (nodeSelector through ValidateLabels, ValidateTolerations) and ValidatePodTemplateSpec; kueue pkg/webhooks/resourceflavor_webhook.go ValidateResourceFlavor (ValidateLabels, validateNodeTaints, validateTolerations)',
  scope: 'object',
  check(o) {
    const kustomized = !!o.kustomizations?.length;
    const meta = o.manifest.metadata;
    if (meta === undefined || meta === null) return specLabelProblems(o.manifest);
    if (!isMapping(meta)) {
      return [{ message: `metadata is ${goType(meta)}, not a map: the API server refuses the object; write metadata as a map with name, labels, annotations` }];
    }
    return [
      ...scalarFieldProblems(meta),
      ...nameProblems(o.manifest, meta, o),
      ...mapProblems(meta, 'labels', kustomized),
      ...mapProblems(meta, 'annotations', kustomized),
      ...sizeProblems(meta),
      ...specLabelProblems(o.manifest),
    ];
  },
};
