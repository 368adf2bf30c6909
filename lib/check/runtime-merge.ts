import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';

/**
 * The merge keys of corev1.Container's lists under a strategic merge patch (k8s.io/api/core/v1 types.go,
 * `patchMergeKey`): items with the same key merge in place, new ones are appended; every other list is replaced.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  resizePolicy: 'resourceName',
};

/** Strategic merge of two maps (a patch's null deletes a key, a nested map merges, a scalar or list replaces). */
function mergeMaps(base: Loose, patch: Loose, keys: Readonly<Record<string, string>> = {}): Loose {
  const out: Loose = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (keys[k] && Array.isArray(v)) out[k] = mergeList(mappings(base[k]), mappings(v), keys[k]);
    else if (isMapping(v) && isMapping(base[k])) out[k] = mergeMaps(base[k], v);
    else out[k] = v;
  }
  return out;
}

function mergeList(base: Loose[], patch: Loose[], key: string): Loose[] {
  const out = [...base];
  for (const item of patch) {
    const i = out.findIndex((b) => b[key] !== undefined && b[key] === item[key]);
    if (i >= 0) out[i] = mergeMaps(out[i], item);
    else out.push(item);
  }
  return out;
}

/**
 * KServe's MergeRuntimeContainers (pkg/controller/v1beta1/inferenceservice/utils/utils.go, with MergeContainerWithPatch
 * in pkg/utils/container_merge.go): the service's model container is a strategic merge patch on the runtime's
 * kserve-container — env by name, ports, volume mounts, resources key by key, command and other lists replaced —
 * except args, which are concatenated (the runtime's, then the service's); an env entry the service sets keeps only
 * the service's value or valueFrom (reconcileEnvValueConflicts); the runtime's name stays when the service gives none.
 */
export function mergeRuntimeContainer(runtime: Loose, model: Loose): Loose {
  // empty lists and maps are left out of the patch, as Go's omitempty leaves them out of the JSON
  const patch = Object.fromEntries(Object.entries(model).filter(([, v]) => !(Array.isArray(v) && !v.length) && !(isMapping(v) && !Object.keys(v).length)));
  const merged = mergeMaps(runtime, patch, MERGE_KEYS);
  merged.args = [...strings(runtime.args), ...strings(model.args)];
  if (!merged.args.length) delete merged.args;
  const overlay = new Map(mappings(model.env).map((e) => [e.name, e]));
  if (Array.isArray(merged.env)) {
    merged.env = mappings(merged.env).map((e) => {
      const own = overlay.get(e.name);
      if (!own) return e;
      const { value, valueFrom, ...rest } = e;
      return { ...rest, ...(own.valueFrom !== undefined ? { valueFrom } : { value }) };
    });
  }
  if (!text(merged.name) && runtime.name !== undefined) merged.name = runtime.name;
  return merged;
}

/** The ObjectMeta fields KServe's placeholders name (Go's text/template over metav1.ObjectMeta). */
export interface PlaceholderMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * KServe's ReplacePlaceholders (pkg/controller/v1beta1/inferenceservice/utils/utils.go): the merged container is
 * rendered as a Go template over the service's ObjectMeta, so `{{.Name}}`, `{{.Namespace}}`, `{{.Labels.key}}`,
 * `{{.Annotations.key}}` and `{{index .Labels "a/b"}}` become the service's values (a missing map key renders
 * `<no value>`). An action this reading does not know, or a field that is unknown here, stays as written.
 */
export function replacePlaceholders(word: string, meta: PlaceholderMeta): string {
  return word.replace(/\{\{-?\s*([^{}]*?)\s*-?\}\}/g, (m, action: string) => {
    const field = /^\.(Name|Namespace)$/.exec(action);
    if (field) return (field[1] === 'Name' ? meta.name : meta.namespace) ?? m;
    const keyed = /^\.(Labels|Annotations)\.([A-Za-z0-9_]+)$/.exec(action) ?? /^index\s+\.(Labels|Annotations)\s+"([^"]*)"$/.exec(action);
    if (!keyed) return m;
    const map = keyed[1] === 'Labels' ? meta.labels : meta.annotations;
    return map[keyed[2]] ?? '<no value>';
  });
}

/** A container with KServe's placeholders rendered in its command, args, env values and image. */
export function renderPlaceholders(container: Loose, meta: PlaceholderMeta): Loose {
  const r = (w: unknown) => (typeof w === 'string' ? replacePlaceholders(w, meta) : w);
  const out: Loose = { ...container };
  for (const k of ['command', 'args'] as const) if (Array.isArray(container[k])) out[k] = container[k].map(r);
  if (Array.isArray(container.env)) out.env = mappings(container.env).map((e) => (typeof e.value === 'string' ? { ...e, value: r(e.value) } : e));
  if (typeof container.image === 'string') out.image = r(container.image);
  return out;
}

/** The placeholder fields of a service's metadata (namespace as the cluster will have it, when known). */
export function placeholderMeta(m: Loose, namespace: string | undefined): PlaceholderMeta {
  const meta = mapping(m.metadata);
  const map = (v: unknown) => Object.fromEntries(Object.entries(mapping(v)).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  return { name: text(meta.name), namespace, labels: map(meta.labels), annotations: map(meta.annotations) };
}
