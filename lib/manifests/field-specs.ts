import { isMapping, Loose } from './access';

/** A kustomize field spec: the objects (by group, version, kind; empty matches any) and the slash path it reaches. */
export interface FieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly path: string;
  /** Whether the transformer creates the path where an object lacks it (`create: true`; not every transformer does). */
  readonly create?: boolean;
  /** Where the spec was configured (a `configurations:` file), for messages; none for kustomize's built-in specs. */
  readonly from?: string;
}

/**
 * The sections of a transformer configuration (api/konfig/builtinpluginconsts, builtinconfig.TransformerConfig) this
 * reader applies by walking their field specs, besides nameReference and varReference: each joins the built-in specs
 * of its transformer (the namespace, prefix, suffix, label, annotation, replica count and image transformers).
 */
export const CONFIGURED_SECTIONS = [
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'templateLabels',
  'commonAnnotations',
  'replicas',
  'images',
] as const;
export type ConfiguredSection = (typeof CONFIGURED_SECTIONS)[number];
/** The field specs `configurations:` files add, by section. */
export type ConfiguredSpecs = Readonly<Record<ConfiguredSection, readonly FieldSpec[]>>;

export function noConfiguredSpecs(): Record<ConfiguredSection, FieldSpec[]> {
  return { namespace: [], namePrefix: [], nameSuffix: [], commonLabels: [], templateLabels: [], commonAnnotations: [], replicas: [], images: [] };
}

/** An object's group, version and kind, as kustomize splits apiVersion (resid.ParseGroupVersion). */
export function gvkOf(m: Loose): { group: string; version: string; kind: string } {
  const apiVersion = typeof m.apiVersion === 'string' ? m.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: typeof m.kind === 'string' ? m.kind : '',
  };
}

/** kyaml's Gvk.IsSelected: each field the selector sets must be equal. */
export function gvkSelected(m: Loose, selector: { group?: string; version?: string; kind?: string }): boolean {
  // the kind first, without splitting apiVersion: a build asks this of each object for each of kustomize's field specs
  if (selector.kind && m.kind !== selector.kind) return false;
  if (!selector.group && !selector.version) return true;
  const gvk = gvkOf(m);
  return (
    (!selector.group || gvk.group === selector.group) &&
    (!selector.version || gvk.version === selector.version) &&
    (!selector.kind || gvk.kind === selector.kind)
  );
}

/**
 * A field spec's path in segments, as kustomize's PathSplitter splits it (kyaml/utils/pathsplitter.go): on '/', where
 * a segment ending in a backslash joins the next with a slash (an annotation name), and a leading '/' is dropped.
 */
export function pathSegments(p: string): string[] {
  const parts = p.split('/');
  if (parts.length > 1 && parts[0] === '') parts.shift();
  const out = [parts[0]];
  for (const part of parts.slice(1)) {
    if (out[out.length - 1].endsWith('\\')) out[out.length - 1] = `${out[out.length - 1].slice(0, -1)}/${part}`;
    else out.push(part);
  }
  return out;
}

/** Where a value sits: its holder and key, so that a visitor can replace it. */
export interface Slot {
  readonly holder: Loose | unknown[];
  readonly key: string | number;
}

/**
 * Every value a field spec's path reaches in an object, as kustomize's fieldspec filter walks it
 * (api/filters/fieldspec/fieldspec.go): a list met on the way is walked element by element with the same path; a
 * missing or null field ends the walk there (nothing is created). A walk kustomize refuses reaches nothing here;
 * fieldSpecRefusal says why.
 */
export function slotsAt(node: unknown, segments: readonly string[]): Slot[] {
  return walkFieldSpec(node, segments).slots;
}

/**
 * The values a field spec's path reaches (slotsAt), or why kustomize's fieldspec filter refuses to walk the path
 * through the object (the whole build fails):
 * a '*', a list index ('0', '-', '[name=x]') or an empty segment where the walk meets a mapping (the filter looks each
 * segment up with kyaml's PathGetter, kyaml/yaml/fns.go: "wildcard is not supported in PathGetter", "wrong node kind:
 * expected SequenceNode but got MappingNode", "cannot set or create an empty field name"), or a scalar with path
 * still to walk ("expected sequence or mapping node").
 * With `create`, a missing or null field on the way is created as the filter creates it (a mapping, or `make()` for the
 * last field); without `make`, nothing is written and only what the walk would refuse through it is found.
 */
export function walkFieldSpec(node: unknown, segments: readonly string[], create = false, make?: () => unknown): { slots: Slot[]; refused?: Refusal } {
  if (!segments.length || node === null || node === undefined) return { slots: [] };
  if (Array.isArray(node)) {
    const slots: Slot[] = [];
    for (const x of node) {
      const r = walkFieldSpec(x, segments, create, make);
      if (r.refused) return r;
      slots.push(...r.slots);
    }
    return { slots };
  }
  if (!isMapping(node))
    return {
      slots: [],
      refused: {
        what: `meets the scalar ${JSON.stringify(node)} with '${segments.join('/')}' still to walk`,
        says: 'expected sequence or mapping node',
        fix: 'end the path at that field',
      },
    };
  // a `[]` suffix marks a list field (`containers[]`): the field is looked up without it (fieldspec.go isSequenceField)
  const [marked, ...rest] = segments;
  const field = marked.replace(/\[\]$/, '');
  const refused = segmentRefusal(field);
  if (refused) return { slots: [], refused };
  // PathGetter trims each part and drops an empty one (match.go cleanPath): a blank segment stays on this mapping
  const head = field.trim();
  if (!head) return rest.length ? walkFieldSpec(node, rest, create, make) : { slots: [] };
  const value = node[head];
  // a spec that creates its path walks on through the mapping it creates (a field marked as a list is never created)
  if ((value === null || value === undefined) && create && field === marked) {
    if (!make) return rest.length ? { slots: [], refused: walkFieldSpec({}, rest, create).refused } : { slots: [] };
    node[head] = rest.length ? {} : make();
  } else if (value === null || value === undefined) return { slots: [] };
  if (!rest.length) return { slots: [{ holder: node, key: head }] };
  return walkFieldSpec(node[head], rest, create, make);
}

/** What kustomize refuses in a walk: what the path meets, kustomize's words, and the fix. */
export interface Refusal {
  readonly what: string;
  readonly says: string;
  readonly fix: string;
}

const LIST_WALKED = 'name each field of the path: a list is walked element by element without a segment of its own';
const WILDCARD = "drop the '*': a path that ends at a mapping reaches its values, and a list is walked element by element without a segment of its own";

/** Why PathGetter refuses a segment looked up in a mapping (fieldspec.go handleMap, fns.go getFilter), or undefined. */
function segmentRefusal(field: string): Refusal | undefined {
  if (field === '')
    return {
      what: 'has an empty segment',
      says: 'cannot set or create an empty field name',
      fix: 'give each segment a name (no doubled slash, no empty path)',
    };
  const part = field.trim();
  if (part === '*') return { what: "has the segment '*' where it meets a mapping", says: 'wildcard is not supported in PathGetter', fix: WILDCARD };
  const index = /^[+-]?\d+$/.test(part);
  if (index && Number(part) < 0) return { what: `has the segment '${part}'`, says: `array index ${part} cannot be negative`, fix: LIST_WALKED };
  if (index || part === '-' || (part.startsWith('[') && part.endsWith(']')))
    return {
      what: `has the list index '${part}' where it meets a mapping`,
      says: 'wrong node kind: expected SequenceNode but got MappingNode',
      fix: LIST_WALKED,
    };
  return undefined;
}

export function valueAt(s: Slot): unknown {
  return Array.isArray(s.holder) ? s.holder[s.key as number] : s.holder[s.key as string];
}

export function setAt(s: Slot, v: unknown): void {
  if (Array.isArray(s.holder)) s.holder[s.key as number] = v;
  else s.holder[s.key as string] = v;
}

/**
 * The field specs kustomize refuses to walk through objects, in words, one per spec and refusal (kustomize stops at
 * the first; each spec's first object is named, with how many more it refuses on): the spec, where it was configured,
 * the object, kustomize's words and the fix.
 */
export class RefusedWalks {
  private readonly found = new Map<string, { spec: FieldSpec; object: Loose; refused: Refusal; more: number }>();

  constructor(private readonly section: string) {}

  public add(spec: FieldSpec, object: Loose, refused: Refusal): void {
    const key = JSON.stringify([spec.path, spec.kind, spec.group, spec.version, spec.from, refused.says]);
    const known = this.found.get(key);
    if (known) known.more++;
    else this.found.set(key, { spec, object, refused, more: 0 });
  }

  public messages(): string[] {
    return [...this.found.values()].map(({ spec, object, refused, more }) => {
      const meta = isMapping(object.metadata) ? object.metadata : {};
      const name = typeof meta.name === 'string' ? meta.name : '';
      const others = more ? ` (and ${more} other object${more > 1 ? 's' : ''})` : '';
      return (
        `${this.section} field spec '${spec.path}'${spec.kind ? ` (kind ${spec.kind})` : ''}${spec.from ? ` of ${spec.from}` : " of kustomize's built-in configuration"} ` +
        `${refused.what} in ${String(object.kind)} '${name}'${others}: kustomize refuses the build ("${refused.says}"), so nothing of this root deploys; ${refused.fix}`
      );
    });
  }
}
