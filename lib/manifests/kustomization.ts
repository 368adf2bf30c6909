import { isMapping, Loose, mapping, text } from './access';
import { allNamesOf, UNRENAMED_KINDS, withNameAffixes, withOriginalNamespace, withPreviousId } from './build-ids';
import { withSelectorLabels } from './label-selectors';
import { ConfiguredSection, ConfiguredSpecs, FieldSpec, gvkSelected, noConfiguredSpecs } from './field-specs';
import { ConfiguredFields } from './configured-fields';
import { isClusterScoped } from './scope';

/** The names kustomize looks for in a folder (api/konfig/general.go RecognizedKustomizationFileNames), in its order. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Kustomization fields that change what is built in ways this reader does not apply. */
/** The fields of NOT_APPLIED that may add objects to the build (Helm charts, generator plugins). */
export const ADDS_OBJECTS: readonly string[] = ['helmCharts', 'helmChartInflationGenerator', 'generators'];

export const NOT_APPLIED = [
  'helmCharts',
  'helmChartInflationGenerator',
  'generators',
  // name references read from CRDs' OpenAPI extensions
  'crds',
];

/** Labels or annotations a kustomization adds, and whether pod templates get them too. */
interface MetadataTransform {
  readonly field: 'labels' | 'annotations';
  readonly pairs: Record<string, string>;
  readonly templates: boolean;
  /** Label selectors get the labels too (commonLabels, or labels with includeSelectors). */
  readonly selectors?: boolean;
  /** A labels entry's own field specs (`fields`). */
  readonly fields?: readonly FieldSpec[];
  /**
   * The configured section whose field specs join: commonLabels for commonLabels and a labels entry with
   * includeSelectors, templateLabels for one with includeTemplates, commonAnnotations (kusttarget_configplugin.go).
   */
  readonly configured?: ConfiguredSection;
}

/**
 * commonAnnotations, commonLabels and labels of a kustomization. kustomize puts common ones on pod templates too, and
 * common labels in label selectors; `labels` entries reach templates only with includeTemplates or includeSelectors,
 * and selectors only with includeSelectors.
 */
function metadataTransforms(k: Loose): { transforms: MetadataTransform[]; problems: string[] } {
  const transforms: MetadataTransform[] = [];
  const problems: string[] = [];
  // kustomize reads these fields as map[string]string: anything else fails the whole build
  const pairs = (field: string, v: unknown): Record<string, string> | undefined => {
    const bad = !isMapping(v) ? 'is not a mapping' : Object.entries(v).find(([, value]) => typeof value !== 'string');
    if (!bad) return v as Record<string, string>;
    problems.push(
      `${field} ${typeof bad === 'string' ? bad : `maps '${bad[0]}' to ${JSON.stringify(bad[1])}, not a string`}: kustomize refuses the kustomization (values must be strings; quote them)`,
    );
    return undefined;
  };
  const common = k.commonLabels === undefined ? undefined : pairs('commonLabels', k.commonLabels);
  if (common) transforms.push({ field: 'labels', pairs: common, templates: true, selectors: true, configured: 'commonLabels' });
  if (k.labels !== undefined && !Array.isArray(k.labels))
    problems.push('labels is not a list of {pairs, includeSelectors, includeTemplates}: kustomize refuses the kustomization');
  for (const [i, entry] of (Array.isArray(k.labels) ? k.labels : []).entries()) {
    if (!isMapping(entry)) {
      problems.push(`labels[${i}] is not a mapping with pairs: kustomize refuses the kustomization`);
      continue;
    }
    const p = pairs(`labels[${i}].pairs`, entry.pairs ?? {});
    const selectors = entry.includeSelectors === true;
    if (p)
      transforms.push({
        field: 'labels',
        pairs: p,
        templates: entry.includeTemplates === true || selectors,
        selectors,
        fields: labelFields(entry, i),
        configured: selectors ? 'commonLabels' : entry.includeTemplates === true ? 'templateLabels' : undefined,
      });
  }
  const annotations = k.commonAnnotations === undefined ? undefined : pairs('commonAnnotations', k.commonAnnotations);
  if (annotations) transforms.push({ field: 'annotations', pairs: annotations, templates: true, configured: 'commonAnnotations' });
  return { transforms, problems };
}

/** A `labels` entry's own field specs (`fields`), which its label transformer walks besides the built-in ones. */
function labelFields(entry: Loose, i: number): FieldSpec[] {
  return (Array.isArray(entry.fields) ? (entry.fields as unknown[]) : []).map(mapping).map((f) => ({
    path: text(f.path) ?? '',
    kind: text(f.kind),
    group: text(f.group),
    version: text(f.version),
    ...(f.create === true ? { create: true } : {}),
    from: `labels[${i}].fields`,
  }));
}

/** The labels or annotations of a transform added where its labels entry's fields and the configured specs reach. */
function withConfiguredMetadata(m: unknown, t: MetadataTransform, c: ConfiguredFields): unknown {
  const set = (v: unknown): unknown => ({ ...mapping(v), ...t.pairs });
  const own = t.fields?.length ? c.walk(m, { section: 'labels', specs: t.fields, leaf: 'MappingNode', creates: true, set }) : m;
  return t.configured ? c.walk(own, { section: t.configured, specs: c.specs[t.configured], leaf: 'MappingNode', creates: true, set }) : own;
}

/** A kustomization's `replicas`: count by object name. */
function replicaCounts(k: Loose): { counts: Map<string, number>; problems: string[] } {
  const counts = new Map<string, number>();
  if (k.replicas === undefined) return { counts, problems: [] };
  if (!Array.isArray(k.replicas)) return { counts, problems: ['replicas is not a list of {name, count}: kustomize refuses the kustomization'] };
  const problems: string[] = [];
  k.replicas.forEach((entry, i) => {
    const e = mapping(entry);
    const name = text(e.name);
    if (!name || !(typeof e.count === 'number' && Number.isInteger(e.count) && e.count >= 0)) {
      problems.push(`replicas[${i}] needs a name and a whole count: kustomize refuses the kustomization`);
      return;
    }
    counts.set(name, e.count);
  });
  return { counts, problems };
}

/** kustomize's replica transformer reaches spec.replicas of these kinds (its default field specs). */
const REPLICATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

function withReplicas(m: Loose, counts: ReadonlyMap<string, number>): Loose {
  // by any name the object had (ReplicaCountTransformer: GetMatchingResourcesByAnyId)
  const count = allNamesOf(m)
    .map((n) => counts.get(n))
    .find((c) => c !== undefined);
  if (count === undefined || !REPLICATED_KINDS.has(String(m.kind))) return m;
  return { ...m, spec: { ...mapping(m.spec), replicas: count } };
}

/** One entry of a kustomization's `images`: which image it matches and what it sets. */
interface ImageOverride {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

function imageOverrides(k: Loose): { overrides: ImageOverride[]; problems: string[] } {
  if (k.images === undefined) return { overrides: [], problems: [] };
  if (!Array.isArray(k.images))
    return { overrides: [], problems: ['images is not a list of {name, newName, newTag, digest}: kustomize refuses the kustomization'] };
  const overrides: ImageOverride[] = [];
  const problems: string[] = [];
  k.images.forEach((entry, i) => {
    const e = mapping(entry);
    const name = text(e.name);
    if (!name) {
      problems.push(`images[${i}] has no name: kustomize cannot match it to a container image`);
      return;
    }
    overrides.push({ name, newName: text(e.newName), newTag: e.newTag === undefined ? undefined : String(e.newTag), digest: text(e.digest) });
  });
  return { overrides, problems };
}

/** An image reference split as kustomize splits it: name, then `:tag` and/or `@digest`. */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  return { name: tagged ? rest.slice(0, colon) : rest, tag: tagged ? rest.slice(colon + 1) : undefined, digest };
}

/** kustomize's image transformer: a digest replaces tag and digest, a new tag replaces both too, a new name only the name. */
function overrideImage(image: string, overrides: readonly ImageOverride[]): string {
  const parts = splitImage(image);
  const o = overrides.find((x) => x.name === parts.name);
  if (!o) return image;
  const name = o.newName ?? parts.name;
  if (o.digest) return `${name}@${o.digest}`;
  if (o.newTag !== undefined) return `${name}:${o.newTag}`;
  return `${name}${parts.tag !== undefined ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
}

/**
 * kustomize's image transformer: the images of every `containers` and `initContainers` list, wherever it sits (pod
 * templates, a ServingRuntime's or a predictor's containers; a model's `image` field is not one of them).
 */
function withImages(node: unknown, overrides: readonly ImageOverride[]): Loose {
  return walkImages(node, overrides) as Loose;
}

function walkImages(node: unknown, overrides: readonly ImageOverride[]): unknown {
  if (Array.isArray(node)) return node.map((x) => walkImages(x, overrides));
  if (!isMapping(node)) return node;
  const out: Loose = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      (k === 'containers' || k === 'initContainers') && Array.isArray(v)
        ? v.map((c) =>
            isMapping(c) ? { ...(walkImages(c, overrides) as Loose), ...(typeof c.image === 'string' ? { image: overrideImage(c.image, overrides) } : {}) } : c,
          )
        : walkImages(v, overrides);
  }
  return out;
}

/** The objects with the `images` entries of `k` applied (the image transformer alone); entries kustomize refuses change nothing. */
export function withImageOverride(objects: readonly unknown[], k: Loose): unknown[] {
  const { overrides } = imageOverrides(k);
  return objects.map((o) => (isMapping(o) && overrides.length ? withImages(o, overrides) : o));
}

/** Where kustomize's label and annotation transformers reach into a workload's pod template. */
const TEMPLATE_PATHS: Record<string, readonly (readonly string[])[]> = {
  Deployment: [['spec', 'template']],
  StatefulSet: [['spec', 'template']],
  DaemonSet: [['spec', 'template']],
  ReplicaSet: [['spec', 'template']],
  Job: [['spec', 'template']],
  CronJob: [
    ['spec', 'jobTemplate'],
    ['spec', 'jobTemplate', 'spec', 'template'],
  ],
};

function withMetadata(m: Loose, t: MetadataTransform): Loose {
  const add = (holder: Loose): Loose => {
    const meta = mapping(holder.metadata);
    return { ...holder, metadata: { ...meta, [t.field]: { ...mapping(meta[t.field]), ...t.pairs } } };
  };
  let out = t.selectors ? withSelectorLabels(add(m), t.pairs) : add(m);
  if (!t.templates) return out;
  for (const p of TEMPLATE_PATHS[String(m.kind)] ?? []) out = updateAt(out, p, add);
  return out;
}

/** A copy of `o` with the mapping at `path` replaced by `f` of it; unchanged when the path is missing. */
function updateAt(o: Loose, p: readonly string[], f: (m: Loose) => Loose): Loose {
  if (!p.length) return f(o);
  const child = o[p[0]];
  if (!isMapping(child)) return o;
  return { ...o, [p[0]]: updateAt(child, p.slice(1), f) };
}

/**
 * kustomize's namespace transformer (api/filters/namespace with builtinpluginconsts/namespace.go): every namespaced
 * object gets the kustomization's namespace, a v1 Namespace object takes its name, an APIService's service and a
 * CRD's conversion webhook service its namespace, and so do the subjects named `default` of a (Cluster)RoleBinding.
 */
export function withNamespace(m: Loose, namespace: string | undefined): Loose {
  if (!namespace) return m;
  const kind = String(m.kind);
  if (kind === 'Namespace') return m.apiVersion === 'v1' ? { ...m, metadata: { ...mapping(m.metadata), name: namespace } } : m;
  if (kind === 'APIService' && String(m.apiVersion).startsWith('apiregistration.k8s.io/'))
    return { ...m, spec: { ...mapping(m.spec), service: { ...mapping(mapping(m.spec).service), namespace } } };
  if (kind === 'CustomResourceDefinition' && String(m.apiVersion).startsWith('apiextensions.k8s.io/'))
    return updateAt(m, ['spec', 'conversion', 'webhook', 'clientConfig', 'service'], (svc) => ({ ...svc, namespace }));
  const bound = withDefaultSubjects(m, namespace);
  if (isClusterScoped(kind)) return bound;
  return { ...bound, metadata: { ...mapping(bound.metadata), namespace } };
}

/** The namespace transformer's default subject mode (api/filters/namespace roleBindingHack): subjects named `default` of a binding. */
function withDefaultSubjects(m: Loose, namespace: string): Loose {
  if ((m.kind !== 'RoleBinding' && m.kind !== 'ClusterRoleBinding') || !Array.isArray(m.subjects)) return m;
  return { ...m, subjects: m.subjects.map((s: unknown) => (isMapping(s) && s.name === 'default' ? { ...s, namespace } : s)) };
}

/**
 * The transformers of one kustomization applied to the objects its resources built, in kustomize's order (namespace,
 * name prefix and suffix, labels and annotations, then `jsonPatches`, replicas, images), each with the field specs
 * `configurations:` files add to its built-in ones; returns the transformed objects and what kustomize refuses.
 */
export function applyTransforms(
  k: Loose,
  objects: readonly unknown[],
  jsonPatches: (objects: unknown[]) => unknown[] = (o) => o,
  configured: ConfiguredSpecs = noConfiguredSpecs(),
): { objects: unknown[]; problems: string[]; unmatched: string[] } {
  // kustomize's label and annotation transformers run after the inner builds: the outer value of a key wins
  const { transforms: metadata, problems } = metadataTransforms(k);
  const { overrides: images, problems: imageProblems } = imageOverrides(k);
  const { counts: replicas, problems: replicaProblems } = replicaCounts(k);
  const all = [...problems, ...imageProblems, ...replicaProblems];
  const namespace = text(k.namespace) || undefined;
  const prefix = text(k.namePrefix) ?? '';
  const suffix = text(k.nameSuffix) ?? '';
  const fields = new ConfiguredFields(configured);
  // kustomize's order: namespace (each object's id kept first), prefix, suffix, labels, annotations, JSON 6902 patches,
  // replicas, images (configureBuiltinTransformers)
  const named = objects.map((o) => {
    const placed = namespace && isMapping(o) ? withConfiguredNamespace(withOriginalNamespace(withPreviousId(o) as Loose), namespace, fields) : o;
    const m = withConfiguredAffixes(withNameAffixes(placed, prefix, suffix), prefix, suffix, fields);
    return isMapping(m) ? metadata.reduce((x: unknown, t) => withConfiguredMetadata(isMapping(x) ? withMetadata(x, t) : x, t, fields), m) : m;
  });
  const out = jsonPatches(named).map((m) => {
    if (!isMapping(m) || !(images.length || replicas.size)) return m;
    // the replica count transformer runs before the image transformer
    const scaledOne = replicas.size ? withConfiguredReplicas(withReplicas(m, replicas), replicas, fields) : m;
    return images.length && isMapping(scaledOne) ? withConfiguredImages(withImages(scaledOne, images), images, fields) : scaledOne;
  });
  // kustomize refuses a replicas entry that names no object of a kind it can scale (ReplicaCountTransformer: "resource
  // with name … does not match a config with the following GVK"; the object may come from a part of the build the
  // reader did not follow: said apart)
  const scaled = (m: unknown): m is Loose => isMapping(m) && (REPLICATED_KINDS.has(String(m.kind)) || configured.replicas.some((f) => gvkSelected(m, f)));
  const unmatched = [...replicas.keys()]
    .filter((name) => !out.some((m) => scaled(m) && allNamesOf(m).includes(name)))
    .map(
      (name) =>
        `replicas names '${name}', which is no Deployment, StatefulSet, ReplicaSet or ReplicationController${configured.replicas.length ? ' nor object of its configured replicas field specs' : ''} of this build: kustomize refuses it`,
    );
  return { objects: out, problems: [...all, ...fields.refusals()], unmatched };
}

/**
 * The namespace transformer with its configured field specs (api/filters/namespace): each spec's field set to the
 * namespace in every object it selects, cluster-scoped ones too; a metadata/namespace spec, and a binding's subjects,
 * are left to the transformer's own handling (removeMetaNamespaceFieldSpecs, removeRoleBindingFieldSpecs).
 */
function withConfiguredNamespace(m: Loose, namespace: string, fields: ConfiguredFields): unknown {
  const placed = withNamespace(m, namespace);
  const binding = (f: FieldSpec) => (f.kind === 'RoleBinding' || f.kind === 'ClusterRoleBinding') && f.path === 'subjects';
  const specs = fields.specs.namespace.filter((f) => f.path !== 'metadata/namespace' && !binding(f));
  return specs.length ? fields.walk(placed, { ...fields.scalars('namespace', () => namespace), specs }) : placed;
}

/**
 * kustomize's PrefixTransformer then SuffixTransformer on the fields configured besides metadata/name (their default
 * field spec, applied by withNameAffixes): each walks the field specs of the merged configuration through every
 * object it selects, except the kinds they skip, and puts the affix before or after each scalar reached, creating a
 * field a spec with create lacks (api/filters/prefix, api/filters/suffix).
 */
function withConfiguredAffixes(m: unknown, prefix: string, suffix: string, fields: ConfiguredFields): unknown {
  if (!isMapping(m) || UNRENAMED_KINDS.has(String(m.kind))) return m;
  const other = (section: 'namePrefix' | 'nameSuffix') => fields.specs[section].filter((f) => f.path !== 'metadata/name');
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
  const prefixed = prefix ? fields.walk(m, { ...fields.scalars('namePrefix', (v) => `${prefix}${text(v)}`), specs: other('namePrefix') }) : m;
  return suffix ? fields.walk(prefixed, { ...fields.scalars('nameSuffix', (v) => `${text(v)}${suffix}`), specs: other('nameSuffix') }) : prefixed;
}

/** The replica count transformer on its configured field specs: set where an object named by an entry is selected. */
function withConfiguredReplicas(m: Loose, counts: ReadonlyMap<string, number>, fields: ConfiguredFields): unknown {
  const count = allNamesOf(m)
    .map((n) => counts.get(n))
    .find((c) => c !== undefined);
  return count === undefined
    ? m
    : fields.walk(
        m,
        fields.scalars('replicas', () => count),
      );
}

/**
 * The image transformer on its configured field specs (api/filters/imagetag Filter, after its walk of every
 * containers list): each string reached is updated as an image reference; the filter creates nothing, and leaves
 * CustomResourceDefinitions alone (isOnDenyList).
 */
function withConfiguredImages(m: Loose, overrides: readonly ImageOverride[], fields: ConfiguredFields): unknown {
  if (m.kind === 'CustomResourceDefinition') return m;
  return fields.walk(
    m,
    fields.scalars('images', (v) => (typeof v === 'string' ? overrideImage(v, overrides) : v), false),
  );
}

/** The JSON shape of each field of kustomize v5's Kustomization (api/types/kustomization.go, struct Kustomization). */
const FIELD_SHAPES: Record<string, 'string' | 'strings' | 'map' | 'list' | 'object'> = {
  apiVersion: 'string',
  kind: 'string',
  metadata: 'object',
  openapi: 'map',
  namePrefix: 'string',
  nameSuffix: 'string',
  namespace: 'string',
  commonLabels: 'map',
  labels: 'list',
  commonAnnotations: 'map',
  patchesStrategicMerge: 'strings',
  patchesJson6902: 'list',
  patches: 'list',
  images: 'list',
  imageTags: 'list',
  replacements: 'list',
  replicas: 'list',
  vars: 'list',
  sortOptions: 'object',
  resources: 'strings',
  components: 'strings',
  crds: 'strings',
  bases: 'strings',
  configMapGenerator: 'list',
  secretGenerator: 'list',
  helmGlobals: 'object',
  helmCharts: 'list',
  helmChartInflationGenerator: 'list',
  generatorOptions: 'object',
  configurations: 'strings',
  generators: 'strings',
  transformers: 'strings',
  validators: 'strings',
  inventory: 'object',
  buildMetadata: 'strings',
};

/**
 * A key folded as encoding/json folds a JSON key to match a struct field (encode.go appendFoldedName): ASCII letters
 * upper-cased, any other character ToUpper(ToLower(c)), so `ſ` (long s) matches s and `K` (Kelvin) matches k.
 */
function foldedKey(key: string): string {
  return [...key].map((c) => (c < '\x80' ? c.toUpperCase() : foldedRune(c))).join('');
}

function foldedRune(c: string): string {
  const folded = c.toLowerCase().toUpperCase();
  // Go maps rune to rune; JavaScript's full case mapping may widen one (ß to SS), which Go leaves as it is
  return [...folded].length === 1 ? folded : c;
}

const FIELD_BY_FOLDED_KEY = new Map(Object.keys(FIELD_SHAPES).map((f) => [foldedKey(f), f]));

/** The kustomization field a key decodes into, or undefined for a key that matches none in any case. */
function kustomizationField(key: string): string | undefined {
  return key in FIELD_SHAPES ? key : FIELD_BY_FOLDED_KEY.get(foldedKey(key));
}

/**
 * A kustomization with each key read as the field kustomize decodes it into. Kustomization.Unmarshal turns the YAML
 * into JSON with sigs.k8s.io/yaml (json.Marshal of a map: keys in byte order) and decodes it with encoding/json,
 * which matches a key to a field by its exact name first, then case-insensitively: `Resources:` and
 * `ConfigMapGenerator:` are the fields resources and configMapGenerator. Two keys of one field decode in byte order
 * (`Resources` before `resources`): a list or string of the later replaces the earlier, a mapping merges into it.
 * Keys that match no field are kept as written (shapeProblems refuses them); fields inside entries are read as written.
 */
export function asKustomizationFields(k: Loose): Loose {
  if (Object.keys(k).every((key) => key in FIELD_SHAPES || kustomizationField(key) === undefined)) return k;
  const out: Loose = {};
  for (const key of Object.keys(k).sort()) {
    const field = kustomizationField(key) ?? key;
    const [before, v] = [out[field], k[key]];
    const merges = (FIELD_SHAPES[field] === 'map' || FIELD_SHAPES[field] === 'object') && isMapping(before) && isMapping(v);
    out[field] = merges ? { ...before, ...v } : v;
  }
  return out;
}

/** Fields whose shape the transformers below check, value by value. */
const TYPED_ELSEWHERE = new Set(['commonLabels', 'commonAnnotations', 'labels', 'images', 'replicas']);

/** The apiVersion each kind requires (Kustomization.EnforceFields). */
const KIND_VERSIONS: Record<string, string> = {
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
  Component: 'kustomize.config.k8s.io/v1alpha1',
};

/** The fields that list other kustomizations or files to build from. */
export const ENTRY_FIELDS = ['resources', 'bases', 'components'] as const;

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'number' ? 'number' : typeof v;
}

/**
 * What kustomize refuses in a kustomization's shape before building anything: unknown fields and wrong types
 * (Kustomization.Unmarshal decodes JSON with DisallowUnknownFields into typed fields; null is an absent value), a
 * kind other than Kustomization or Component and a mismatched apiVersion (EnforceFields), and a null or empty entry
 * among the paths to build (an empty path is the folder itself: "new root cannot be empty").
 */
export function shapeProblems(k: Loose): string[] {
  const problems: string[] = [];
  const refused = (what: string, go: string) => problems.push(`${what}: kustomize refuses the kustomization (${go})`);
  for (const [field, v] of Object.entries(k)) {
    const shape = FIELD_SHAPES[field];
    if (!shape) {
      refused(`has the field '${field}', which is not a kustomization field (a typo?)`, `json: unknown field "${field}"`);
      continue;
    }
    if (v === null || TYPED_ELSEWHERE.has(field)) continue;
    const type = jsonType(v);
    const want = shape === 'string' ? 'string' : shape === 'strings' || shape === 'list' ? 'array' : 'object';
    if (type !== want) {
      refused(
        `'${field}' is ${type === 'array' ? 'a list' : `a ${type}`}, not ${shape === 'string' ? 'a string' : want === 'array' ? 'a list' : 'a mapping'}`,
        `cannot unmarshal ${type} into ${field}`,
      );
      continue;
    }
    if (shape !== 'strings') continue;
    (v as unknown[]).forEach((entry, i) => {
      if (entry !== null && typeof entry !== 'string')
        refused(`${field}[${i}] is a ${jsonType(entry)}, not a path`, `cannot unmarshal ${jsonType(entry)} into ${field} of type []string`);
      else if ((ENTRY_FIELDS as readonly string[]).includes(field) && !entry)
        refused(`${field}[${i}] is ${entry === null ? 'null' : 'empty'}: an empty path names the kustomization's own folder`, 'new root cannot be empty');
    });
  }
  const kind = typeof k.kind === 'string' && k.kind !== '' ? k.kind : undefined;
  if (kind !== undefined && !KIND_VERSIONS[kind]) refused(`kind is '${kind}'`, 'kind should be Kustomization or Component');
  const version = KIND_VERSIONS[kind ?? 'Kustomization'];
  if (version && typeof k.apiVersion === 'string' && k.apiVersion !== '' && k.apiVersion !== version)
    refused(`apiVersion is '${k.apiVersion}'`, `apiVersion for ${kind ?? 'Kustomization'} should be ${version}`);
  return problems;
}

/**
 * Whether a resource entry is remote, in every form kustomize fetches (api/internal/git/repospec.go and the HTTP
 * loader): a URL (https://, http://, ssh://, file://), git::, an scp-like git@host:org/repo, a github.com/…,
 * gitlab.com/… or bitbucket.org/… path, or a ?ref= / ?version= query.
 */
export function isRemote(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^git::/i.test(entry) ||
    /^[\w.-]+@[\w.-]+:/.test(entry) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)[/:]/i.test(entry) ||
    /[?&](ref|version|submodules|timeout)=/.test(entry)
  );
}

/**
 * Branch names a remote resource's path may start with by mistake, where `?ref=` was meant: the usual default and
 * development branches (a repository seldom has a top folder of that name).
 */
const BRANCH_NAMES = new Set(['main', 'master', 'develop', 'development', 'trunk', 'HEAD']);

/**
 * How a remote resource of a github.com, gitlab.com or bitbucket.org repository written without `?ref=` or
 * `?version=` (nor `.git`, nor `_git/`, which end the repository part otherwise) names a branch inside its path:
 * kustomize takes the first two segments after the host as the repository and all the rest as a folder of its default
 * branch (api/internal/git/repospec.go parseGitUrl), so `org/repo/main/deploy` reads the folder `main/deploy`, and a
 * web address `org/repo/tree/main/deploy` the folder `tree/main/deploy`. Undefined for any other form.
 */
export function remoteBranchInPath(entry: string): { branch: string; folder: string; web: boolean } | undefined {
  if (/[?&](ref|version)=/.test(entry) || entry.includes('.git') || entry.includes('_git/')) return undefined;
  const m = /^(?:(?:https?|ssh):\/\/)?(?:git@)?(github\.com|gitlab\.com|bitbucket\.org)[/:]([^/?]+)\/([^/?]+)\/([^?]+)/i.exec(entry);
  if (!m) return undefined;
  const rest = m[4].split('/').filter(Boolean);
  const web = (rest[0] === 'tree' || rest[0] === 'blob') && rest.length > 1;
  const branch = web ? rest[1] : rest[0];
  if (!web && !BRANCH_NAMES.has(branch)) return undefined;
  return { branch, folder: rest.join('/'), web };
}

/** A field's value that changes nothing in the build: absent, null, an empty string, list or mapping. */
export function isNoOp(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isMapping(v) && Object.keys(v).length === 0);
}
