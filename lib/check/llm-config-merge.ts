import { isMapping, Loose, mapping } from '../manifests/access';

/**
 * How KServe composes the workload of an LLMInferenceService from LLMInferenceServiceConfig presets, ported from
 * pkg/controller/v1alpha2/llmisvc/config_merge.go (opendatahub-io/kserve odh-v3.4 and kserve/kserve v0.20.0; the
 * same logic in pkg/controller/llmisvc/config_merge.go of odh-v3.0 to odh-v3.3):
 *
 * - combineBaseRefsConfig first merges the service's baseRefs over its spec, only to see what is enabled: a prefill
 *   pool, a worker (multi-node), data or pipeline parallelism. That chooses one well-known workload preset per pool:
 *   `config-llm-template` (one node), `-worker-data-parallel` or `-worker-pipeline-parallel` (a worker), and with a
 *   prefill pool `config-llm-prefill-…` and `config-llm-decode-…` instead.
 * - MergeSpecs then merges, in order, the well-known presets, the baseRefs, and the service's own spec last.
 * - mergeSpecs makes a strategic merge patch from the override (the difference between a zero spec and the override,
 *   both marshalled from Go structs) and applies it to the base: mappings merge field by field, the pod lists of
 *   k8s.io/api/core/v1 merge by their patchMergeKey (containers by name: a field of the service's container replaces
 *   the preset's, the others are kept), every other list is replaced.
 *
 * The router, scheduler and tracing presets it also applies set no workload pod field (their entries in
 * lib/platform/data/llm-config-probes.json are empty), so the composition here leaves them out.
 */

/** A preset as the composition sees it: its spec, and how messages name it. */
export interface LlmConfigLayer {
  readonly name: string;
  readonly spec: Loose;
}

/** Finds a preset by name (the tree's, then the platform's shipped ones); undefined when neither has it. */
export type LlmConfigLookup = (name: string) => LlmConfigLayer | undefined;

/** The service's spec with every preset merged under it. */
export interface ComposedLlmSpec {
  /** The merged spec: what the controller renders the Deployments and LeaderWorkerSets from. */
  readonly spec: Loose;
  /** The presets merged, in order (well-known, then baseRefs); the service's own spec comes after them. */
  readonly layers: readonly LlmConfigLayer[];
  /** Presets the service needs that the lookup does not know: the merged spec is incomplete without them. */
  readonly missing: readonly string[];
}

/** The prefix of KServe's preset names (LLM_INFERENCE_SERVICE_CONFIG_PREFIX, unset in the shipped manifests). */
const CONFIG_PREFIX = 'kserve-';

/**
 * The well-known workload presets combineBaseRefsConfig chooses for a spec (with its baseRefs merged over it): one for
 * the prefill pool and one for decode, or one for the single pool.
 */
export function wellKnownWorkloadPresets(resolved: Loose): string[] {
  const pool = (p: Loose, role: string): string | undefined => {
    const prefix = `${CONFIG_PREFIX}config-llm-${role}`;
    if (!isMapping(p.worker)) return `${prefix}template`;
    if (isDataParallel(p.parallelism)) return `${prefix}worker-data-parallel`;
    if (isPipelineParallel(p.parallelism)) return `${prefix}worker-pipeline-parallel`;
    return undefined;
  };
  const out = isMapping(resolved.prefill) ? [pool(resolved.prefill, 'prefill-'), pool(resolved, 'decode-')] : [pool(resolved, '')];
  return out.filter((n): n is string => n !== undefined);
}

/** ParallelismSpec.IsDataParallel (llm_inference_service_types_func.go): data or dataLocal above 0. */
function isDataParallel(p: unknown): boolean {
  const m = mapping(p);
  return positive(m.data) || positive(m.dataLocal);
}

/** ParallelismSpec.IsPipelineParallel: pipeline above 0. */
function isPipelineParallel(p: unknown): boolean {
  return positive(mapping(p).pipeline);
}

function positive(v: unknown): boolean {
  return typeof v === 'number' && v > 0;
}

/** The names of the spec's baseRefs, in order. */
export function baseRefNames(spec: Loose): string[] {
  return (Array.isArray(spec.baseRefs) ? spec.baseRefs : [])
    .map((r: unknown) => mapping(r).name)
    .filter((n: unknown): n is string => typeof n === 'string' && n !== '');
}

/** combineBaseRefsConfig and MergeSpecs: the service's spec with the presets it gets merged under it. */
export function composeLlmSpec(spec: Loose, lookup: LlmConfigLookup): ComposedLlmSpec {
  const missing: string[] = [];
  const find = (name: string) => {
    const layer = lookup(name);
    if (!layer && !missing.includes(name)) missing.push(name);
    return layer;
  };
  const refs = baseRefNames(spec).map(find);
  // what is enabled is read with the baseRefs merged over the spec (they may add a worker or a prefill pool)
  const resolved = refs.reduce((acc: Loose, r) => (r ? mergeLlmSpecs(acc, r.spec) : acc), spec);
  const layers = [...wellKnownWorkloadPresets(resolved).map(find), ...refs].filter((l): l is LlmConfigLayer => l !== undefined);
  const merged = [...layers.map((l) => l.spec), spec].reduce((acc: Loose, s) => mergeLlmSpecs(acc, s));
  return { spec: merged, layers, missing };
}

/**
 * mergeSpecs: `override` merged over `base` as a strategic merge patch built from the override's Go struct. What
 * json.Marshal leaves out of that struct cannot override: null, empty lists (omitempty), empty strings, and the
 * probes' zero numbers (int32 fields with omitempty).
 */
export function mergeLlmSpecs(base: Loose, override: Loose): Loose {
  const patch = marshalled(override, '');
  return isMapping(patch) ? (merge(base, patch, false) as Loose) : base;
}

/** The probe fields that are plain int32 with omitempty in k8s.io/api/core/v1 Probe: a 0 is not marshalled. */
const PROBE_INT_FIELDS = new Set(['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']);
const PROBES = new Set(['startupProbe', 'livenessProbe', 'readinessProbe']);

function marshalled(v: unknown, key: string): unknown {
  if (v === null || v === undefined || v === '') return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => marshalled(x, '')).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (!isMapping(v)) return v;
  const out: Loose = {};
  for (const [k, x] of Object.entries(v)) {
    if (PROBES.has(key) && PROBE_INT_FIELDS.has(k) && x === 0) continue;
    const m = marshalled(x, k);
    if (m !== undefined) out[k] = m;
  }
  return out;
}

/**
 * The lists of a pod spec and its containers that a strategic merge merges item by item, with their key
 * (patchMergeKey tags of k8s.io/api/core/v1 types.go); every other list is replaced whole.
 */
const POD_LIST_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  resourceClaims: 'name',
  schedulingGates: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
};

/** The fields of the LLMInferenceService spec that hold a corev1.PodSpec (template, worker, router.scheduler.template). */
const POD_FIELDS = new Set(['template', 'worker']);

function merge(base: unknown, patch: unknown, inPod: boolean, key = ''): unknown {
  if (isMapping(patch)) {
    if (!isMapping(base)) return patch;
    const out: Loose = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v, inPod || POD_FIELDS.has(k), k);
    return out;
  }
  const mergeKey = inPod ? POD_LIST_KEYS[key] : undefined;
  if (mergeKey && Array.isArray(patch) && Array.isArray(base)) {
    const keyed = (x: unknown) => isMapping(x) && x[mergeKey] !== undefined;
    if (!patch.every(keyed) || !base.every(keyed)) return patch;
    // the patch's items first, merged into the base item of the same key; then the base's other items
    const merged = patch.map((item: Loose) => {
      const old = base.find((x: Loose) => x[mergeKey] === item[mergeKey]);
      return old ? merge(old, item, true) : item;
    });
    return [...merged, ...base.filter((x: Loose) => !patch.some((item: Loose) => item[mergeKey] === x[mergeKey]))];
  }
  return patch;
}
