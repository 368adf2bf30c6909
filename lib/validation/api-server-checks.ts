import { isMapping } from '../manifests/access';
import { isDnsLabel, isDnsSubdomain, isLabelValue } from '../private/names';
import { isOutOfRangeQuantity, parseQuantity } from '../private/quantity';

/** A problem the API server would reject the object for, at a field path. */
export interface ApiServerProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Kinds whose names must be DNS labels (Kubernetes ValidateNamespaceName, ValidateServiceName; KServe's webhook for
 * services). Not ServingRuntime: its webhook (pkg/webhook/admission/servingruntime) checks priorities, not the name, so
 * the API server's rule for custom objects, a DNS subdomain, is the one that applies (as VllmRuntime checks it).
 */
const LABEL_NAMED = new Set(['Namespace', 'Service', 'InferenceService', 'LLMInferenceService']);
/** Fields that name another object (a Secret, ConfigMap, claim or ServiceAccount): DNS subdomains. */
const REFERENCE_FIELDS = new Set(['secretName', 'claimName', 'serviceAccountName', 'serviceAccount']);
/** Mappings whose `name` names another object. */
const REFERENCE_PARENTS = new Set(['secretKeyRef', 'configMapKeyRef', 'secretRef', 'configMapRef', 'configMap']);

/**
 * What the API server checks beyond the OpenAPI schema, and kubectl's strict validation does not: object names and
 * references are DNS names, label values are label values, numbers are finite, and resource quantities are finite
 * and non-negative.
 */
export function apiServerProblems(manifest: Record<string, unknown>): ApiServerProblem[] {
  const out: ApiServerProblem[] = [];
  const meta = isMapping(manifest.metadata) ? manifest.metadata : {};
  const name = meta.name;
  const kind = String(manifest.kind);
  if (typeof name === 'string') {
    if (LABEL_NAMED.has(kind) ? !isDnsLabel(name) : !isDnsSubdomain(name)) {
      out.push({
        field: 'metadata.name',
        message: `'${name}' is not a valid ${kind} name: use ${LABEL_NAMED.has(kind) ? 'at most 63' : 'at most 253'} lowercase letters, digits and '-'${LABEL_NAMED.has(kind) ? '' : " (and '.')"}, starting and ending with a letter or digit`,
      });
    }
  }
  if (typeof meta.namespace === 'string' && !isDnsLabel(meta.namespace)) {
    out.push({ field: 'metadata.namespace', message: `'${meta.namespace}' is not a valid namespace name: use at most 63 lowercase letters, digits and '-'` });
  }
  for (const [k, v] of Object.entries(isMapping(meta.labels) ? meta.labels : {})) {
    if (typeof v === 'string' && !isLabelValue(v)) {
      out.push({
        field: `metadata.labels.${k}`,
        message: `label value '${v}' is not valid: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
      });
    }
  }
  walk(manifest, '', '', out);
  return out;
}

function walk(v: unknown, field: string, parentKey: string, out: ApiServerProblem[]): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) out.push({ field, message: `${v} is not a finite number` });
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => walk(x, `${field}[${i}]`, parentKey, out));
    return;
  }
  if (!isMapping(v)) return;
  const quantities = /(^|\.)resources\.(requests|limits)$|\.nominalQuota$/.test(field);
  for (const [k, x] of Object.entries(v)) {
    const f = field ? `${field}.${k}` : k;
    if (quantities && (typeof x === 'string' || typeof x === 'number')) {
      const q = parseQuantity(x);
      // a non-finite number is reported by walk() below; a string such as '1e400' here
      if ((q !== undefined && q < 0) || (typeof x === 'string' && isOutOfRangeQuantity(x)))
        out.push({
          field: f,
          message: `quantity ${String(x)} is ${q !== undefined ? 'negative' : 'not a finite number'}: resources must be finite and non-negative`,
        });
    }
    if (typeof x === 'string' && (REFERENCE_FIELDS.has(k) || (k === 'name' && REFERENCE_PARENTS.has(parentKey))) && !isDnsSubdomain(x)) {
      out.push({ field: f, message: `'${x}' is not a valid object name: use lowercase letters, digits, '-' and '.'` });
    }
    walk(x, f, k, out);
  }
}
