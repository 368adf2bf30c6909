import { isMapping, Loose } from '../manifests/access';
import { closest } from '../private/json-config';
import { isSopsDocument, SOPS_METADATA_KEY } from '../manifests/sops';

/** A field of an object that its schema does not have. */
export interface UnknownField {
  /** Dotted path: `labels`, `spec.predictor.model.runtme`, `spec.containers[0].resource`. */
  readonly field: string;
  /** The known field it most likely stands for, as a dotted path (`metadata.labels`), when one is near. */
  readonly meant?: string;
  /** A top-level field written under metadata (`metadata.spec`): the field it is, mis-indented. */
  readonly misplaced?: string;
  /** A field of the kind's spec written under metadata (`metadata.replicas`, a Route's `metadata.to`): mis-indented. */
  readonly ofSpec?: string;
}

/** Definitions `$ref`s point into: the Kubernetes 1.33 definitions of schemas/k8s, which hold ObjectMeta. */
export type Definitions = Readonly<Record<string, Loose>>;

/** The ObjectMeta of apimachinery pkg/apis/meta/v1 types.go, as the shipped Kubernetes definitions name it. */
const OBJECT_META: Loose = { $ref: '#/definitions/ObjectMeta' };

/**
 * The fields of an object that its structural schema does not have, as the API server's strict field validation
 * (kubectl's default since 1.27) names them: `unknown field "labels"`. This is the one judgement of unknown fields,
 * shared by `validate` and check's field-unknown rule; it walks `properties`, `items` and `additionalProperties`
 * (maps) and stops where the schema keeps unknown fields (`x-kubernetes-preserve-unknown-fields`, int-or-string,
 * objects without declared properties). At the top, `metadata` is judged against ObjectMeta, and `status` (written by
 * controllers; the server drops it from a create or an apply) is passed over, as is the `sops` block of a SOPS-encrypted
 * document, which its decryptor removes (lib/manifests/sops.ts).
 *
 * Ported from the walk of kubernetes/apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go (prune), whose
 * pruned paths are the unknown fields strict validation refuses; one difference on purpose: an object schema that
 * declares no properties at all is taken as open here (the server prunes its content), so that a schema written
 * loosely never yields a verdict.
 */
export function unknownFields(object: Loose, schema: Loose, definitions: Definitions): UnknownField[] {
  const root = resolve(schema, definitions);
  const top: Loose = {
    ...root,
    properties: {
      ...(root.properties ?? {}),
      apiVersion: {},
      kind: {},
      metadata: OBJECT_META,
      status: { 'x-kubernetes-preserve-unknown-fields': true },
      // a SOPS document's encryption metadata, which its decryptor removes before the apply
      ...(isSopsDocument(object) ? { [SOPS_METADATA_KEY]: { 'x-kubernetes-preserve-unknown-fields': true } } : {}),
    },
  };
  const out: UnknownField[] = [];
  walk(object, top, '', definitions, out);
  const spec = resolve(isMapping(root.properties) ? root.properties.spec : undefined, definitions);
  const specFields = isMapping(spec.properties) ? Object.keys(spec.properties) : [];
  return out.map((u) => misplacedUnderMetadata(u, Object.keys(root.properties ?? {}), specFields));
}

/**
 * The fields of an object's metadata that ObjectMeta lacks, for any kind, its schema known or not: every object's
 * metadata is ObjectMeta, and the API server decodes it strictly for custom resources too, whatever their CRD keeps
 * (apiextensions-apiserver pkg/apiserver/customresource_handler.go unstructuredSchemaCoercer.apply: the
 * GetObjectMetaWithOptions call with ReturnUnknownFieldPaths comes before, and apart from, the preserveUnknownFields
 * branch; pkg/apiserver/schema/objectmeta/coerce.go names them `metadata.<field>`).
 */
export function unknownMetadataFields(
  object: Loose,
  definitions: Definitions,
  topFields: readonly string[] = [],
  specFields: readonly string[] = [],
): UnknownField[] {
  if (!isMapping(object.metadata)) return [];
  const out: UnknownField[] = [];
  walk(object.metadata, OBJECT_META, 'metadata', definitions, out);
  return out.map((u) => misplacedUnderMetadata(u, topFields, specFields));
}

/** Top-level fields of Kubernetes objects, for kinds whose schema is not known: those a mis-indented block most often is. */
const COMMON_TOP_FIELDS = ['spec', 'data', 'stringData', 'binaryData', 'type', 'rules', 'subjects', 'roleRef', 'immutable'];

/**
 * A field right under metadata that the object has at its top, or that its kind's spec has (written exactly so: that
 * is the spec's content indented under metadata, whatever ObjectMeta field its name is near), or a common top-level
 * field no ObjectMeta field is near: mis-indented.
 */
function misplacedUnderMetadata(u: UnknownField, topFields: readonly string[], specFields: readonly string[]): UnknownField {
  const key = /^metadata\.([^.[]+)$/.exec(u.field)?.[1];
  if (!key) return u;
  if (topFields.includes(key) && !u.meant) return { ...u, misplaced: key };
  if (specFields.includes(key)) return { field: u.field, ofSpec: key };
  return !u.meant && COMMON_TOP_FIELDS.includes(key) ? { ...u, misplaced: key } : u;
}

/**
 * What `validate` says of an unknown field, and check's field-unknown rule begins with: the path, the schema that
 * lacks it, and the field it most likely stands for.
 */
export function unknownFieldMessage(
  u: UnknownField,
  source: string,
  refusal = "the API server refuses it under strict field validation (kubectl's default)",
): string {
  const where = u.field.includes('.') || u.field.includes('[') ? `'${u.field}'` : `'${u.field}' (at the top level)`;
  const fix = u.misplaced
    ? `; '${u.misplaced}' is likely mis-indented under metadata: move it to the top level, beside metadata`
    : u.ofSpec
      ? `; '${u.ofSpec}' is a field of spec, likely mis-indented under metadata: move it under spec`
      : u.meant
        ? `; did you mean ${u.meant}?`
        : '; remove it or fix its spelling';
  return `unknown field ${where}: not in the ${source} schema, and ${refusal}${fix}`;
}

/** A schema with its `$ref`s followed into the definitions. */
export function resolve(schema: unknown, definitions: Definitions): Loose {
  let s = isMapping(schema) ? schema : {};
  for (let hops = 0; typeof s.$ref === 'string' && hops < 16; hops++) s = definitions[s.$ref.replace('#/definitions/', '')] ?? {};
  return s;
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** Whether the schema refuses fields it does not declare. */
function closed(s: Loose): boolean {
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return false;
  if (s.additionalProperties === true || isMapping(s.additionalProperties)) return false;
  return isMapping(s.properties) || s['x-kubernetes-embedded-resource'] === true;
}

function walk(value: unknown, schema: Loose, at: string, definitions: Definitions, out: UnknownField[]): void {
  const s = resolve(schema, definitions);
  if (s['x-kubernetes-int-or-string'] === true) return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => walk(item, s.items, `${at}[${i}]`, definitions, out));
    return;
  }
  if (!isMapping(value)) return;
  const properties: Loose = isMapping(s.properties) ? s.properties : {};
  // an embedded object (a pod template's raw resource) carries its own apiVersion, kind and metadata
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  for (const [key, v] of Object.entries(value)) {
    const field = join(at, key);
    if (Object.prototype.hasOwnProperty.call(properties, key)) walk(v, properties[key], field, definitions, out);
    else if (embedded && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
    else if (isMapping(s.additionalProperties)) walk(v, s.additionalProperties, field, definitions, out);
    else if (closed(s)) out.push({ field, ...meantOf(key, properties, at, definitions) });
  }
}

/**
 * The known field an unknown one stands for: a field of the same object spelled nearly alike, else the one field
 * of that name one level down (top-level `labels` is `metadata.labels`).
 */
function meantOf(key: string, properties: Loose, at: string, definitions: Definitions): { meant?: string } {
  const near = closest(key, Object.keys(properties));
  if (near) return { meant: join(at, near) };
  // metadata first: a top-level `labels` or `annotations` belongs there, even where spec has a field of that name
  const children = Object.keys(properties).sort((a, b) => Number(b === 'metadata') - Number(a === 'metadata'));
  const below = children.filter((c) => {
    const p = resolve(properties[c], definitions);
    return isMapping(p.properties) && Object.keys(p.properties).some((k) => k.toLowerCase() === key.toLowerCase());
  });
  if (!below.length || (below.length > 1 && below[0] !== 'metadata')) return {};
  const child = resolve(properties[below[0]], definitions);
  return {
    meant: join(
      join(at, below[0]),
      Object.keys(child.properties).find((k) => k.toLowerCase() === key.toLowerCase())!,
    ),
  };
}
