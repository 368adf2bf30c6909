import { isMapping, Loose, mapping, text } from './access';
import { allNamesOf, withOriginalNamespace, withPreviousId } from './build-ids';
import { isClusterScoped } from './scope';
import { withImageOverride } from './kustomization';

/**
 * The builtin transformer configs a kustomization lists under `transformers:` (apiVersion `builtin`), as kustomize v5
 * loads them (api/internal/plugins/loader/loader.go isBuiltinPlugin, makeBuiltinPlugin) and runs them after the
 * kustomization's own transformers (api/internal/target/kusttarget.go runTransformers, configureExternalTransformers).
 * A config's fieldSpecs are all it reaches: unlike the kustomization's fields, a config gets no default field specs.
 */

/** One config read: what it does to the objects, a patch entry for the kustomization's patch step, or why it is not carried. */
export type BuiltinTransformer =
  | { readonly transform: (objects: readonly unknown[]) => { objects: unknown[]; problems: string[]; notCarried?: string; unmatched?: string } }
  | { readonly patches: Loose }
  | { readonly notCarried: string }
  | { readonly refused: string };

/** One entry of a config's fieldSpecs (api/types/fieldspec.go). */
interface FieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly path: readonly string[];
  readonly create: boolean;
}

/** loader.go isBuiltinPlugin: the group empty and the version `builtin`. */
export const BUILTIN_API_VERSION = 'builtin';

/** The builtin plugins kustomize knows (api/internal/plugins/builtinhelpers/builtins.go), generators and transformers. */
const BUILTIN_GENERATORS = ['ConfigMapGenerator', 'SecretGenerator', 'IAMPolicyGenerator', 'HelmChartInflationGenerator'];
const BUILTIN_TRANSFORMERS = [
  'AnnotationsTransformer',
  'HashTransformer',
  'ImageTagTransformer',
  'LabelTransformer',
  'NamespaceTransformer',
  'PatchJson6902Transformer',
  'PatchStrategicMergeTransformer',
  'PatchTransformer',
  'PrefixSuffixTransformer',
  'PrefixTransformer',
  'SuffixTransformer',
  'ReplicaCountTransformer',
  'ValueAddTransformer',
  'ReplacementTransformer',
  'SortOrderTransformer',
];

/** A transformer config kustomize runs, the reader applying it exactly where it can; see BuiltinTransformer. */
export function builtinTransformer(config: unknown): BuiltinTransformer {
  if (!isMapping(config)) return { refused: 'is not an object' };
  const kind = text(config.kind) ?? '';
  if (config.apiVersion !== BUILTIN_API_VERSION) return { notCarried: `${kind || 'a config'} of apiVersion '${String(config.apiVersion)}' is a plugin` };
  switch (kind) {
    case 'NamespaceTransformer':
      return namespaceTransformer(config);
    case 'LabelTransformer':
    case 'AnnotationsTransformer':
      return metadataTransformer(config, kind === 'LabelTransformer' ? 'labels' : 'annotations');
    case 'PatchTransformer':
      return patchTransformer(config);
    case 'PatchStrategicMergeTransformer':
      return strategicMergeTransformer(config);
    case 'PatchJson6902Transformer':
      return json6902Transformer(config);
    case 'ImageTagTransformer':
      return imageTagTransformer(config);
    case 'ReplicaCountTransformer':
      return replicaCountTransformer(config);
    default:
      if (BUILTIN_GENERATORS.includes(kind)) return { refused: `is the builtin generator ${kind}, not a transformer ("not a transformer")` };
      if (!BUILTIN_TRANSFORMERS.includes(kind)) return { refused: `is no builtin kustomize has, '${kind}' ("unable to load builtin")` };
      return { notCarried: `builtin ${kind}` };
  }
}

/**
 * A config's fieldSpecs in the forms the reader follows: paths of plain field names (`[]` marks a list, which
 * fieldspec.go walks anyway); undefined for a form it does not (a field name holding `[`, `=` or an escaped `/`).
 */
function fieldSpecs(v: unknown): FieldSpec[] | undefined {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return undefined;
  const out: FieldSpec[] = [];
  for (const entry of v) {
    const e = mapping(entry);
    const p = text(e.path);
    if (!p || /\\|\[(?!\])|=/.test(p)) return undefined;
    const path = p.split('/').map((s) => s.replace(/\[\]$/, ''));
    if (path.some((s) => s === '')) return undefined;
    out.push({ group: text(e.group), version: text(e.version), kind: text(e.kind), path, create: e.create === true });
  }
  return out;
}

/** fieldspec.go isMatchGVK: each of group, version and kind the spec gives equals the object's. */
function matches(spec: FieldSpec, m: Loose): boolean {
  const apiVersion = text(m.apiVersion) ?? '';
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return (!spec.kind || spec.kind === m.kind) && (!spec.group || spec.group === group) && (!spec.version || spec.version === version);
}

/** What `set` does at the end of a path: the new value, or an error in kustomize's words. */
type Setter = (current: unknown) => { value: unknown } | { error: string };

/**
 * api/filters/fieldspec Filter: walks `path` in `node` (every element of a list on the way), creating missing fields
 * when `create` (mappings on the way, `leaf` at the end), and sets the value at its end; a scalar on the way is refused.
 */
function setAt(node: unknown, path: readonly string[], create: boolean, leaf: () => unknown, set: Setter, errors: string[]): unknown {
  if (!path.length) {
    const r = set(node);
    if ('error' in r) errors.push(r.error);
    return 'error' in r ? node : r.value;
  }
  if (node === null || node === undefined) return node;
  if (Array.isArray(node)) return node.map((x) => setAt(x, path, create, leaf, set, errors));
  if (!isMapping(node)) {
    errors.push(`expected sequence or mapping node on the way to '${path.join('/')}'`);
    return node;
  }
  const [field, ...rest] = path;
  let child = node[field];
  // a null field is set like an empty one; a missing one only when created (fieldspec.go handleMap)
  if (child === undefined || (child === null && rest.length)) {
    if (!create) return node;
    child = rest.length ? {} : leaf();
  }
  return { ...node, [field]: setAt(child, rest, create, leaf, set, errors) };
}

/** The namespace transformer's config: namespace, unsetOnly, setRoleBindingSubjects and fieldSpecs (NamespaceTransformer.go Config). */
function namespaceTransformer(config: Loose): BuiltinTransformer {
  const namespace = text(mapping(config.metadata).namespace) ?? '';
  const mode = config.setRoleBindingSubjects ?? 'defaultOnly';
  if (mode !== 'defaultOnly' && mode !== 'allServiceAccounts' && mode !== 'none' && mode !== '')
    return {
      refused: `sets setRoleBindingSubjects to ${JSON.stringify(mode)}, which is none of "defaultOnly", "none" or "allServiceAccounts"`,
    };
  const specs = fieldSpecs(config.fieldSpecs);
  if (!specs) return { notCarried: 'NamespaceTransformer with fieldSpecs in a form check does not follow' };
  const options: NamespaceOptions = { namespace, unsetOnly: config.unsetOnly === true, subjects: mode || 'defaultOnly', specs };
  return {
    transform: (objects) => {
      // NamespaceTransformer.go Transform: nothing without a namespace
      if (!namespace) return { objects: [...objects], problems: [] };
      const problems: string[] = [];
      const out = objects.map((o) => (isMapping(o) && Object.keys(o).length ? namespaced(o, options, problems) : o));
      return { objects: out, problems };
    },
  };
}

interface NamespaceOptions {
  readonly namespace: string;
  readonly unsetOnly: boolean;
  readonly subjects: string;
  readonly specs: readonly FieldSpec[];
}

/**
 * api/filters/namespace Filter on one object: metadata.namespace of a namespaced object always (metaNamespaceHack),
 * the subjects of a (Cluster)RoleBinding by the mode (roleBindingHack), then the config's fieldSpecs less those two and a
 * metadata/name of an object whose apiVersion is not v1 (removeUnneededMetaFieldSpecs); with unsetOnly, only empty fields.
 */
function namespaced(m: Loose, o: NamespaceOptions, problems: string[]): Loose {
  const set: Setter = (current) => {
    if (current !== undefined && current !== null && (isMapping(current) || Array.isArray(current)))
      return { error: 'namespace field specs must target scalar nodes' };
    return { value: o.unsetOnly && current !== undefined && current !== null && current !== '' ? current : o.namespace };
  };
  const kind = String(m.kind);
  let out = withOriginalNamespace(withPreviousId(m) as Loose);
  if (!isClusterScoped(kind)) out = setAt(out, ['metadata', 'namespace'], true, () => '', set, problems) as Loose;
  const binding = kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
  if (binding && o.subjects !== 'none' && Array.isArray(out.subjects))
    out = {
      ...out,
      subjects: out.subjects.map((s: unknown) => {
        if (!isMapping(s)) return s;
        const chosen = o.subjects === 'allServiceAccounts' ? s.kind === 'ServiceAccount' : s.name === 'default';
        return chosen ? setAt(s, ['namespace'], true, () => '', set, problems) : s;
      }),
    };
  const specs = o.specs.filter((s) => {
    const p = s.path.join('/');
    if (p === 'metadata/namespace' || (p === 'metadata/name' && m.apiVersion !== 'v1')) return false;
    return !(binding && (s.kind === 'RoleBinding' || s.kind === 'ClusterRoleBinding') && p === 'subjects/namespace');
  });
  for (const spec of specs) if (matches(spec, out)) out = setAt(out, spec.path, spec.create, () => '', set, problems) as Loose;
  return out;
}

/** LabelTransformer and AnnotationsTransformer: each pair set in the mapping at each fieldSpec's path (api/filters/labels, annotations). */
function metadataTransformer(config: Loose, field: 'labels' | 'annotations'): BuiltinTransformer {
  const pairs = config[field] ?? {};
  if (!isMapping(pairs) || Object.values(pairs).some((v) => typeof v !== 'string')) return { refused: `has ${field} that are not a mapping of strings` };
  const specs = fieldSpecs(config.fieldSpecs);
  if (!specs) return { notCarried: `${config.kind} with fieldSpecs in a form check does not follow` };
  const set: Setter = (current) =>
    current === undefined || current === null || isMapping(current)
      ? { value: { ...mapping(current), ...(pairs as Record<string, string>) } }
      : { error: `${field} field specs must target mappings` };
  return {
    transform: (objects) => {
      const held = Object.entries(pairs).find(([key, value]) => objects.some((o) => holdsOtherValue(o, key, value)));
      // kustomize sets one shared value node per key (filtersutil TrackableSetter.SetEntry): a later setter of that key
      // rewrites the node in place, so the new value reaches every place the earlier transformer put it, beyond its own
      // fieldSpecs; the reader does not model which nodes are shared
      if (held)
        return { objects: [...objects], problems: [], notCarried: `${config.kind} setting '${held[0]}', which the objects already hold with another value` };
      const problems: string[] = [];
      const out = objects.map((o) =>
        isMapping(o) && Object.keys(pairs).length
          ? specs.reduce((m, spec) => (matches(spec, m) ? (setAt(m, spec.path, spec.create, () => ({}), set, problems) as Loose) : m), o)
          : o,
      );
      return { objects: out, problems };
    },
  };
}

/** PatchTransformer: one entry of a kustomization's `patches` (PatchTransformer.go Config: path or patch, target, options). */
function patchTransformer(config: Loose): BuiltinTransformer {
  const entry: Loose = {};
  for (const f of ['path', 'patch', 'target', 'options']) if (config[f] !== undefined) entry[f] = config[f];
  return { patches: { patches: [entry] } };
}

/** Whether a mapping anywhere in `node` maps `key` to a value other than `value`. */
function holdsOtherValue(node: unknown, key: string, value: unknown): boolean {
  if (Array.isArray(node)) return node.some((x) => holdsOtherValue(x, key, value));
  if (!isMapping(node)) return false;
  return Object.entries(node).some(([k, v]) => (k === key && !isMapping(v) && !Array.isArray(v) && v !== value) || holdsOtherValue(v, key, value));
}

/**
 * PatchStrategicMergeTransformer: its paths (a file, or the patch itself) then its inline patches, each applied to the
 * object of its id, as entries of a kustomization's patchesStrategicMerge (PatchStrategicMergeTransformer.go).
 */
function strategicMergeTransformer(config: Loose): BuiltinTransformer {
  const paths = config.paths ?? [];
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string') || (config.patches !== undefined && typeof config.patches !== 'string'))
    return { refused: 'has paths that are not a list of strings, or patches that are not a YAML text' };
  const entries = [...(paths as string[]), ...(config.patches ? [`${config.patches as string}\n`] : [])];
  if (!entries.length) return { refused: 'has neither paths nor patches ("empty file path and empty patch content")' };
  return { patches: { patchesStrategicMerge: entries } };
}

/** PatchJson6902Transformer: a target with a name, and a path or jsonOp (PatchJson6902Transformer.go Config). */
function json6902Transformer(config: Loose): BuiltinTransformer {
  if (!text(mapping(config.target).name)) return { refused: 'has no target name ("must specify the target name")' };
  const { path, jsonOp } = config;
  if (!path && !jsonOp) return { refused: 'has neither path nor jsonOp ("empty file path and empty jsonOp")' };
  if (path && jsonOp) return { refused: 'has both path and jsonOp ("must specify a file path or jsonOp, not both")' };
  return { patches: { patchesJson6902: [{ target: config.target, ...(path ? { path } : { patch: jsonOp }) }] } };
}

/** The fields of an imageTag the reader applies (api/types/image.go Image, less tagSuffix). */
const IMAGE_FIELDS = new Set(['name', 'newName', 'newTag', 'digest']);

/**
 * ImageTagTransformer without fieldSpecs: the image of every container and init container wherever it sits
 * (imagetag.LegacyFilter), as a kustomization's `images` entry; fieldSpecs add places, which the reader does not follow.
 */
function imageTagTransformer(config: Loose): BuiltinTransformer {
  const tag = mapping(config.imageTag);
  if (!(config.fieldSpecs === undefined || config.fieldSpecs === null || (Array.isArray(config.fieldSpecs) && !config.fieldSpecs.length)))
    return { notCarried: 'ImageTagTransformer with fieldSpecs' };
  if (Object.keys(tag).some((k) => !IMAGE_FIELDS.has(k))) return { notCarried: 'ImageTagTransformer with fields check does not apply' };
  if (!text(tag.name)) return { transform: (objects) => ({ objects: [...objects], problems: [] }) };
  return { transform: (objects) => ({ objects: withImageOverride(objects, { images: [tag] }), problems: [] }) };
}

/**
 * ReplicaCountTransformer: the count set at each fieldSpec's path of the objects of that group, version and kind that
 * have or had the name (GetMatchingResourcesByAnyId); refused when no fieldSpec matches an object (ReplicaCountTransformer.go).
 */
function replicaCountTransformer(config: Loose): BuiltinTransformer {
  const replica = mapping(config.replica);
  const name = text(replica.name) ?? '';
  const count = replica.count ?? 0;
  if (typeof count !== 'number' || !Number.isInteger(count)) return { refused: 'has a replica count that is not a whole number' };
  const specs = fieldSpecs(config.fieldSpecs);
  if (!specs) return { notCarried: 'ReplicaCountTransformer with fieldSpecs in a form check does not follow' };
  const set: Setter = (current) =>
    isMapping(current) || Array.isArray(current) ? { error: 'replica field specs must target scalar nodes' } : { value: count };
  return {
    transform: (objects) => {
      const problems: string[] = [];
      let found = false;
      let out = [...objects];
      for (const spec of specs) {
        out = out.map((o) => {
          if (!isMapping(o) || !allNamesOf(o).includes(name) || !matches(spec, o)) return o;
          found = true;
          return setAt(o, spec.path, spec.create, () => 0, set, problems);
        });
      }
      const unmatched = found ? undefined : `names '${name}', which no object of the kinds its fieldSpecs give has ("does not match a config")`;
      return { objects: out, problems, ...(unmatched ? { unmatched } : {}) };
    },
  };
}
