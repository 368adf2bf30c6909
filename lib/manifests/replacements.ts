import { isMapping, Loose, mapping, text } from './access';
import { allNamesOf } from './build-ids';
import { matchPath, splitFieldPath } from './field-path';
import { gvkSelected, setAt, valueAt } from './field-specs';
import { matchesSelector } from './selector-text';
import { PatchFileReader } from './patches';
import { isClusterScoped } from './scope';
import { parseOne, yamlLib } from './yaml-documents';

/**
 * kustomize v5.7's ReplacementTransformer (plugin/builtin/replacementtransformer and api/filters/replacement at
 * api/v0.20.1): each replacement copies one value — a field of the one object its source selects, or a sourceValue —
 * into the fieldPaths of every object its targets select and do not reject, in order, the last transformer of a
 * kustomization. What kustomize refuses (no source or several, a missing field, an index out of bounds) fails the build.
 */

/** A selector of replacements: an object id (group, version, kind, name, namespace; empty matches any) and label or annotation selectors. */
interface Selector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

interface Options {
  readonly delimiter?: string;
  readonly index: number;
  readonly create: boolean;
}

class Refused extends Error {}

const DEFAULT_FIELD_PATH = 'metadata.name';

function selectorOf(v: unknown): Selector {
  const m = mapping(v);
  const s = (k: string) => (m[k] === undefined || m[k] === null ? undefined : String(m[k]));
  return {
    group: s('group'),
    version: s('version'),
    kind: s('kind'),
    name: s('name'),
    namespace: s('namespace'),
    labelSelector: s('labelSelector'),
    annotationSelector: s('annotationSelector'),
  };
}

function optionsOf(v: unknown): Options {
  const m = mapping(v);
  return { delimiter: text(m.delimiter) || undefined, index: typeof m.index === 'number' ? m.index : 0, create: m.create === true };
}

function describe(s: Selector): string {
  return [s.group, s.version, s.kind].filter(Boolean).join('/') + (s.name ? ` '${s.name}'` : '') + (s.namespace ? ` in ${s.namespace}` : '');
}

/** kyaml's EffectiveNamespace: none and `default` are one. */
const effective = (ns: string | undefined) => (ns === undefined || ns === '' ? 'default' : ns);

/** resid.ResId.IsSelectedBy over the object's ids (utils.MakeResIds: its current and previous names). */
function selectedBy(o: Loose, s: Selector): boolean {
  if (!gvkSelected(o, s)) return false;
  const ns = text(mapping(o.metadata).namespace);
  if (s.namespace && !(isClusterScoped(String(o.kind)) ? false : effective(ns) === effective(s.namespace))) return false;
  return !s.name || allNamesOf(o).includes(s.name);
}

function labelsAndAnnotationsMatch(o: Loose, s: Selector): boolean {
  const meta = mapping(o.metadata);
  return matchesSelector(s.labelSelector, mapping(meta.labels)) && matchesSelector(s.annotationSelector, mapping(meta.annotations));
}

/** A scalar's text as kyaml holds it. */
function scalarString(v: unknown): string {
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? v.toString() : '';
}

/** Marks a value the `create` option made: it takes the value as given. */
const CREATED = Symbol('created');

/**
 * A scalar set into a scalar field keeps the field's type, as kyaml sets only the node's value and keeps its tag
 * (setFieldValue): `replicas: 1` given "3" stays a number, a string field given 8080 holds "8080".
 */
function typed(s: string, target: unknown): unknown {
  if (typeof target === 'number') return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : s;
  if (typeof target === 'boolean') return s === 'true' ? true : s === 'false' ? false : s;
  if (typeof target === 'string') return s;
  return yamlLib().parse(s === '' ? '""' : s) as unknown;
}

/**
 * setFieldValue: the value (cut and joined by the delimiter option) written into one target field. A field the
 * `create` option made is a node of the value's kind (PathMatcher's Create is value.YNode().Kind): for a scalar value,
 * an empty scalar, which the delimiter splits into one empty part — so two replacements, index 0 then index 1, build
 * `a/b` in a field that did not exist; for a mapping or list value, a node the delimiter refuses.
 */
function setFieldValue(o: Options, slot: Parameters<typeof setAt>[0], value: unknown): void {
  const target = valueAt(slot);
  let v = structuredClone(value);
  const scalar = (x: unknown) => x === null || typeof x !== 'object';
  if (o.delimiter !== undefined) {
    const targetScalar = target === CREATED ? scalar(v) : scalar(target);
    if (!targetScalar) throw new Refused('the delimiter option can only be used with scalar fields');
    const parts = (target === CREATED ? '' : scalarString(target)).split(o.delimiter);
    const s = scalarString(v);
    if (o.index < 0) parts.unshift(s);
    else if (o.index >= parts.length) parts.push(s);
    else parts[o.index] = s;
    v = parts.join(o.delimiter);
  }
  // a created field has no type of its own: the value's text is read as YAML reads a plain scalar
  if (target === CREATED) setAt(slot, scalar(v) ? typed(scalarString(v), null) : v);
  else if (!scalar(target)) setAt(slot, v);
  else setAt(slot, typed(scalarString(v), target));
}

/** The one object a source selects (selectSourceNode), and its value at the field path, cut by the delimiter option. */
function sourceValue(objects: readonly Loose[], source: Loose): unknown {
  const selector = selectorOf(source);
  const matches = objects.filter((o) => selectedBy(o, selector));
  if (matches.length > 1) throw new Refused(`its source selects ${matches.length} objects (${describe(selector)}): "multiple matches for selector"`);
  if (!matches.length) throw new Refused(`its source selects no object of the build (${describe(selector)}): "nothing selected by"`);
  const fieldPath = text(source.fieldPath) || DEFAULT_FIELD_PATH;
  const found = matchPath(matches[0], splitFieldPath(fieldPath));
  if (typeof found === 'string') throw new Refused(`error looking up its source: ${found}`);
  const value = found.length ? valueAt(found[0]) : undefined;
  const empty = value === undefined || value === null || (Array.isArray(value) && !value.length) || (isMapping(value) && !Object.keys(value).length);
  if (empty) throw new Refused(`fieldPath \`${fieldPath}\` is missing for its source ${describe(selector)}`);
  const o = optionsOf(source.options);
  if (o.delimiter === undefined) return value;
  if (typeof value === 'object') throw new Refused('the delimiter option can only be used with scalar fields');
  const parts = scalarString(value).split(o.delimiter);
  if (o.index >= parts.length || o.index < 0) throw new Refused(`options.index ${o.index} is out of bounds for value ${scalarString(value)}`);
  return parts[o.index];
}

/** copyValueToTarget: the value into each field path of one object; a path that reaches nothing fails the build. */
function copyToTarget(o: Loose, value: unknown, target: Loose): void {
  const options = optionsOf(target.options);
  if (target.fieldPaths !== undefined && target.fieldPaths !== null && !Array.isArray(target.fieldPaths))
    throw new Refused('a target has fieldPaths that is not a list');
  const paths = Array.isArray(target.fieldPaths) && target.fieldPaths.length ? target.fieldPaths.map(String) : [DEFAULT_FIELD_PATH];
  for (const fp of paths) {
    const slots = matchPath(o, splitFieldPath(fp), options.create ? () => CREATED : undefined);
    const what = `field "${fp}" in replacement target ${String(o.kind)} '${String(mapping(o.metadata).name)}'`;
    if (typeof slots === 'string') throw new Refused(`unable to ${options.create ? 'find or create' : 'find'} ${what}: ${slots}`);
    if (!slots.length) throw new Refused(`unable to ${options.create ? 'find or create' : 'find'} ${what}`);
    for (const slot of slots) setFieldValue(options, slot, value);
  }
}

/** applyReplacement: every object a target selects, by id, labels and annotations, and no reject excludes. */
function applyToTargets(objects: readonly Loose[], value: unknown, targets: readonly unknown[]): void {
  for (const t of targets) {
    const target = mapping(t);
    if (!isMapping(target.select)) throw new Refused('a target must specify resources to select (select)');
    const select = selectorOf(target.select);
    const rejects = (Array.isArray(target.reject) ? target.reject : []).map(selectorOf);
    for (const o of objects) {
      if (!labelsAndAnnotationsMatch(o, select)) continue;
      if (rejects.some((r) => (r.labelSelector || r.annotationSelector) && labelsAndAnnotationsMatch(o, r))) continue;
      const idRejected = rejects.some(
        (r) => (r.group || r.version || r.kind || r.name || r.namespace) && selectedBy(o, { ...r, labelSelector: undefined, annotationSelector: undefined }),
      );
      if (!idRejected && selectedBy(o, { ...select, labelSelector: undefined, annotationSelector: undefined })) copyToTarget(o, value, target);
    }
  }
}

/** The replacements a kustomization lists, inline or from files (ReplacementTransformer.Config). */
function replacementsOf(k: Loose, readFile: PatchFileReader): Loose[] {
  const out: Loose[] = [];
  for (const [i, entry] of (Array.isArray(k.replacements) ? k.replacements : []).entries()) {
    const e = mapping(entry);
    const file = text(e.path);
    if (!file) {
      out.push(e);
      continue;
    }
    if (e.source !== undefined || e.targets !== undefined) throw new Refused(`replacements[${i}] sets both path and an inline replacement`);
    const source = readFile(file);
    if (source === undefined) continue;
    const parsed = parseOne(source);
    if ('error' in parsed) throw new Refused(`replacements[${i}] (${file}) is not valid YAML: ${parsed.error}`);
    if (Array.isArray(parsed.value)) out.push(...parsed.value.map(mapping));
    else if (isMapping(parsed.value)) out.push(parsed.value);
    else throw new Refused(`replacements[${i}] (${file}) is neither a replacement nor a list of them`);
  }
  return out;
}

/**
 * A kustomization's replacements applied to the objects it built (copies changed, in order); the problem when
 * kustomize refuses one, after which the objects are returned as they were (the build fails, nothing is half-applied).
 */
export function applyReplacements(k: Loose, objects: readonly unknown[], readFile: PatchFileReader): { objects: unknown[]; problems: string[] } {
  if (!Array.isArray(k.replacements) || !k.replacements.length) return { objects: [...objects], problems: [] };
  const out = objects.map((o) => (isMapping(o) ? structuredClone<Loose>(o) : o));
  const all = out.filter(isMapping);
  let at = 'replacements';
  try {
    for (const [i, r] of replacementsOf(k, readFile).entries()) {
      at = `replacement ${i + 1}`;
      if ((r.sourceValue === undefined && !isMapping(r.source)) || !Array.isArray(r.targets))
        throw new Refused('must specify a source (or sourceValue) and at least one target');
      if (r.sourceValue !== undefined && r.source !== undefined)
        throw new Refused('sets both sourceValue and source ("value and resource selectors are mutually exclusive")');
      if (r.sourceValue !== undefined && typeof r.sourceValue !== 'string') throw new Refused('has a sourceValue that is not a string (quote it)');
      const value = r.sourceValue !== undefined ? r.sourceValue : sourceValue(all, r.source);
      applyToTargets(all, value, r.targets);
    }
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    return { objects: [...objects], problems: [`${at}: ${e.message}: kustomize refuses the build, so Argo CD cannot sync this root`] };
  }
  return { objects: out, problems: [] };
}
