import { isMapping, Loose, mapping, text } from './access';
import type { LoadedManifest } from './loaded';

/**
 * The identity kustomize keeps for each object while it builds (api/resource/resource.go, with the annotation names
 * of api/internal/utils/annotations.go): the names an object had before a prefix, suffix or hash changed it, and the
 * prefixes and suffixes it got, innermost first. Name references (namereference.ts), patch targets and replacement
 * selectors match on these; they are removed when the root's build ends, as kustomize removes them.
 */
const PREVIOUS_NAMES = 'internal.config.kubernetes.io/previousNames';
const PREFIXES = 'internal.config.kubernetes.io/prefixes';
const SUFFIXES = 'internal.config.kubernetes.io/suffixes';
/** Set by a generator whose object gets a content hash appended to its name when the root's build ends. */
export const NEEDS_HASH = 'internal.config.kubernetes.io/needsHashSuffix';
/**
 * The namespace an object had in its file (kustomize's first previous id), kept by this reader when a kustomization's
 * namespace replaces it: the reader applies the outermost namespace as it reads a file, kustomize from the inside out.
 */
const ORIGINAL_NAMESPACE = 'internal.config.kubernetes.io/originalNamespace';
/** Marks an object read from a file the build had already read (a base reached through two overlays). */
const READ_AGAIN = 'internal.config.kubernetes.io/readAgain';
/** Marks the objects a var names (kustomize keeps them in Resource.refVarNames). */
export const REF_VAR_NAMES = 'internal.config.kubernetes.io/refVarNames';
/** The annotations the build keeps per object and removes when it ends (resource.BuildAnnotations). */
export const BUILD_ANNOTATION_KEYS: readonly string[] = [PREVIOUS_NAMES, PREFIXES, SUFFIXES, NEEDS_HASH, ORIGINAL_NAMESPACE, READ_AGAIN, REF_VAR_NAMES];
/**
 * Every annotation kustomize removes from the objects it outputs (resource.BuildAnnotations with kyaml's kioutil
 * ones): a tree that commits kustomize's working annotations gets them removed by the build too.
 */
const REMOVED_ANNOTATIONS = new Set([
  ...BUILD_ANNOTATION_KEYS,
  ...['previousKinds', 'previousNamespaces', 'allowNameChange', 'allowKindChange', 'refBy', 'generatorBehavior'].map(
    (k) => `internal.config.kubernetes.io/${k}`,
  ),
  ...['path', 'index', 'seqindent', 'id', 'annotations-migration-resource-id'].map((k) => `internal.config.kubernetes.io/${k}`),
  'config.kubernetes.io/path',
  'config.kubernetes.io/index',
  'config.k8s.io/id',
]);

/** kustomize's PrefixTransformer and SuffixTransformer leave these kinds' names alone (prefixFieldSpecsToSkip). */
export const UNRENAMED_KINDS: ReadonlySet<string> = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

function csv(m: Loose, key: string): string[] {
  const v = text(mapping(mapping(m.metadata).annotations)[key]);
  return v === undefined ? [] : v.split(',');
}

function withAnnotation(m: Loose, key: string, value: string): Loose {
  const meta = mapping(m.metadata);
  return { ...m, metadata: { ...meta, annotations: { ...mapping(meta.annotations), [key]: value } } };
}

/** The names the object had before its current one, oldest first (Resource.PrevIds). */
export function previousNames(m: Loose): string[] {
  return csv(m, PREVIOUS_NAMES);
}

/** The object's current and original names: what a patch target matches (resWrangler.Select: CurId or OrgId). */
export function namesOf(m: Loose): string[] {
  const name = text(mapping(m.metadata).name);
  return [...(name === undefined ? [] : [name]), ...previousNames(m).slice(0, 1)];
}

/** The object's current and every previous name: what a replacement selector matches (utils.MakeResIds). */
export function allNamesOf(m: Loose): string[] {
  const name = text(mapping(m.metadata).name);
  return [...(name === undefined ? [] : [name]), ...previousNames(m)];
}

export function prefixesOf(m: Loose): string[] {
  return csv(m, PREFIXES);
}

export function suffixesOf(m: Loose): string[] {
  return csv(m, SUFFIXES);
}

/** The object renamed, its current name kept among its previous names (Resource.StorePreviousId). */
export function renamed(m: Loose, name: string): Loose {
  const old = text(mapping(m.metadata).name) ?? '';
  const kept = withAnnotation(m, PREVIOUS_NAMES, [...previousNames(m), old].join(','));
  return { ...kept, metadata: { ...mapping(kept.metadata), name } };
}

/**
 * kustomize's PrefixTransformer then SuffixTransformer (plugin/builtin/prefixtransformer, suffixtransformer): a
 * kustomization's non-empty namePrefix and nameSuffix on metadata.name of every object it built, except the kinds
 * kustomize skips; each records the affix, so that name references can tell objects of different overlays apart.
 */
export function withNameAffixes(m: unknown, prefix: string, suffix: string): unknown {
  if (!isMapping(m) || (!prefix && !suffix) || UNRENAMED_KINDS.has(String(m.kind))) return m;
  let out: Loose = m;
  if (prefix) {
    out = withAnnotation(out, PREFIXES, [...prefixesOf(out), prefix].join(','));
    out = renamed(out, `${prefix}${text(mapping(out.metadata).name) ?? ''}`);
  }
  if (suffix) {
    out = withAnnotation(out, SUFFIXES, [...suffixesOf(out), suffix].join(','));
    out = renamed(out, `${text(mapping(out.metadata).name) ?? ''}${suffix}`);
  }
  return out;
}

/** The object with the namespace of its file kept (once), before a kustomization's namespace replaces it. */
export function withOriginalNamespace(m: Loose): Loose {
  if (!isMapping(m) || text(mapping(mapping(m.metadata).annotations)[ORIGINAL_NAMESPACE]) !== undefined) return m;
  return withAnnotation(m, ORIGINAL_NAMESPACE, text(mapping(m.metadata).namespace) ?? '');
}

/** The namespace the object had in its file. */
export function originalNamespace(m: Loose): string | undefined {
  const kept = text(mapping(mapping(m.metadata).annotations)[ORIGINAL_NAMESPACE]);
  return kept ?? text(mapping(m.metadata).namespace);
}

/** The namespace the object's file gave it, when a kustomization's namespace replaced it with another; undefined otherwise. */
export function movedNamespace(m: unknown): string | undefined {
  if (!isMapping(m)) return undefined;
  const kept = text(mapping(mapping(m.metadata).annotations)[ORIGINAL_NAMESPACE]);
  return kept && kept !== text(mapping(m.metadata).namespace) ? kept : undefined;
}

/** Whether a kustomization's namespace: gave the object its namespace: its file gave none, or another (movedNamespace). */
export function namespacedByBuild(m: unknown): boolean {
  if (!isMapping(m)) return false;
  const kept = text(mapping(mapping(m.metadata).annotations)[ORIGINAL_NAMESPACE]);
  const now = text(mapping(m.metadata).namespace);
  return kept !== undefined && now !== undefined && kept !== now;
}

/** kustomize's NamespaceTransformer keeps every object's id among its previous ones (StorePreviousId), renamed or not. */
export function withPreviousId(m: unknown): unknown {
  if (!isMapping(m)) return m;
  return renamed(m, text(mapping(m.metadata).name) ?? '');
}

export function markedReadAgain(m: Loose): Loose {
  return isMapping(m) ? withAnnotation(m, READ_AGAIN, 'enabled') : m;
}

export function readAgain(m: Loose): boolean {
  return text(mapping(mapping(m.metadata).annotations)[READ_AGAIN]) === 'enabled';
}

/**
 * The types kustomize knows to be cluster-scoped (kyaml/openapi/openapi.go precomputedIsNamespaceScoped, the entries
 * `false`): their ids ignore metadata.namespace. Any other type, a custom resource's too, counts as namespaced
 * (resid.Gvk isClusterScoped comes from IsCertainlyClusterScoped, false when the type is unknown).
 */
const KUSTOMIZE_CLUSTER_SCOPED = new Set([
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/v1 CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
  'apiregistration.k8s.io/v1 APIService',
  'apiregistration.k8s.io/v1beta1 APIService',
  'certificates.k8s.io/v1 CertificateSigningRequest',
  'certificates.k8s.io/v1beta1 CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration',
  'networking.k8s.io/v1 IngressClass',
  'networking.k8s.io/v1beta1 IngressClass',
  'node.k8s.io/v1 RuntimeClass',
  'node.k8s.io/v1beta1 RuntimeClass',
  'policy/v1beta1 PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1 ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1beta1 ClusterRole',
  'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding',
  'scheduling.k8s.io/v1 PriorityClass',
  'scheduling.k8s.io/v1beta1 PriorityClass',
  'storage.k8s.io/v1 CSIDriver',
  'storage.k8s.io/v1 CSINode',
  'storage.k8s.io/v1 StorageClass',
  'storage.k8s.io/v1 VolumeAttachment',
  'storage.k8s.io/v1beta1 CSIDriver',
  'storage.k8s.io/v1beta1 CSINode',
  'storage.k8s.io/v1beta1 StorageClass',
  'storage.k8s.io/v1beta1 VolumeAttachment',
  'v1 ComponentStatus',
  'v1 Namespace',
  'v1 Node',
  'v1 NodeProxyOptions',
  'v1 PersistentVolume',
]);

/**
 * An object's current id as kustomize compares ids when it appends (kyaml/resid ResId.Equals: group, version and kind
 * (Gvk.Equals), name, and EffectiveNamespace: none for a type it knows to be cluster-scoped, `default` for an empty one).
 */
export function resourceId(m: unknown): string {
  if (!isMapping(m)) return '';
  const meta = mapping(m.metadata);
  // the id made last for this object, while the fields it is made of are the same values: a build compares each object
  // it appends with every one its accumulator holds (repeatedIds), which made the ids of a 500-file folder 125,000 times
  const known = ids.get(m);
  if (known && known.apiVersion === m.apiVersion && known.kind === m.kind && known.name === meta.name && known.namespace === meta.namespace) return known.id;
  const ns = text(meta.namespace);
  const effective = KUSTOMIZE_CLUSTER_SCOPED.has(`${String(m.apiVersion)} ${String(m.kind)}`) ? '' : ns === undefined || ns === '' ? 'default' : ns;
  const id = `${String(m.apiVersion)}|${String(m.kind)}|${String(meta.name)}|${effective}`;
  ids.set(m, { apiVersion: m.apiVersion, kind: m.kind, name: meta.name, namespace: meta.namespace, id });
  return id;
}

/** The id last made for each object (resourceId), with the values it was made of. */
const ids = new WeakMap<object, { apiVersion: unknown; kind: unknown; name: unknown; namespace: unknown; id: string }>();

/**
 * What repeatedIds found of an accumulator so far: its objects from `start` less those it reported repeated (which
 * the build drops), and the first object of each id among them.
 */
export interface IdScan {
  readonly entries: LoadedManifest[];
  readonly seen: Map<string, LoadedManifest>;
}

/**
 * The objects from `start` on whose id (resourceId) an earlier one there has, each with that earlier one: what kustomize
 * refuses to append to one accumulator. Objects without a name are left out (refused on their own). With `scan`, the
 * objects it holds that still open the accumulator (the same entries, as a build replaces an entry it changes) are not
 * read again: a kustomization's build asks after each of its entries, which made a 500-file list 125,000 ids.
 */
export function repeatedIds(
  manifests: readonly LoadedManifest[],
  start: number,
  scan: IdScan = { entries: [], seen: new Map() },
): { later: LoadedManifest; first: LoadedManifest }[] {
  const kept = scan.entries.length <= manifests.length - start && scan.entries.every((e, i) => manifests[start + i] === e);
  if (!kept) {
    scan.entries.length = 0;
    scan.seen.clear();
  }
  const out: { later: LoadedManifest; first: LoadedManifest }[] = [];
  for (let i = start + scan.entries.length; i < manifests.length; i++) {
    const m = manifests[i];
    if (isMapping(m.manifest) && text(mapping(m.manifest.metadata).name) !== undefined) {
      const id = resourceId(m.manifest);
      const first = scan.seen.get(id);
      if (first) {
        out.push({ later: m, first });
        continue;
      }
      scan.seen.set(id, m);
    }
    scan.entries.push(m);
  }
  return out;
}

/** Objects for a message: `Kind 'name'`, with the namespace when they have one (and `withNamespace`). */
export function objectsNamed(objects: readonly LoadedManifest[], withNamespace = true): string {
  return objects
    .map(({ manifest }) => {
      const meta = mapping(mapping(manifest).metadata);
      // the namespace only where it is part of the id (resourceId)
      const ns = KUSTOMIZE_CLUSTER_SCOPED.has(`${String(mapping(manifest).apiVersion)} ${String(mapping(manifest).kind)}`) ? undefined : text(meta.namespace);
      return `${String(mapping(manifest).kind)} '${String(meta.name)}'${ns && withNamespace ? ` in namespace '${ns}'` : ''}`;
    })
    .join(', ');
}

/** Whether a generator asked for a content hash on this object's name. */
export function needsHash(m: Loose): boolean {
  return text(mapping(mapping(m.metadata).annotations)[NEEDS_HASH]) === 'enabled';
}

/** The object without kustomize's build annotations (Resource.RemoveBuildAnnotations); an emptied annotations map goes too. */
export function withoutBuildAnnotations(m: unknown): unknown {
  if (!isMapping(m)) return m;
  const meta = mapping(m.metadata);
  const annotations = mapping(meta.annotations);
  // an empty or null annotations map goes too: kustomize sets annotations on every object it reads, then clears them
  const empty = 'annotations' in meta && (meta.annotations === null || (isMapping(meta.annotations) && !Object.keys(meta.annotations).length));
  if (!empty && !Object.keys(annotations).some((k) => REMOVED_ANNOTATIONS.has(k))) return m;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => !REMOVED_ANNOTATIONS.has(k)));
  const { annotations: _a, ...rest } = meta;
  return { ...m, metadata: Object.keys(kept).length ? { ...rest, annotations: kept } : rest };
}
