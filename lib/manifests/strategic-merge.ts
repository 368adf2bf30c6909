import { isMapping, Loose } from './access';
import { MergeSchema, schemaForType } from './merge-schema';

/**
 * A strategic-merge patch applied as kustomize v5 applies it: api/filters/patchstrategicmerge runs kyaml's merge2
 * (sigs.k8s.io/kustomize/kyaml/yaml/merge2/merge2.go, smpdirective.go) through kyaml's walker
 * (kyaml/yaml/walk/walk.go, map.go, associative_sequence.go) with ListIncreaseDirection Prepend, and not
 * k8s.io/apimachinery's strategicpatch. So `$patch: delete | replace | merge` on a mapping or as a list item is
 * honoured, but `$setElementOrder/…`, `$retainKeys` and `$deleteFromPrimitiveList/…` are ordinary keys that end in
 * the output as written. Values are plain JSON values, edited in place as kyaml edits its nodes: a merge changes the
 * target's own nodes, so a top-level `$patch: replace` (which returns the patch instead) leaves the target as it was
 * (api/resource/resource.go ApplyFilter keeps the resource's node).
 */
export type MergeOutcome = { value: Loose } | { deleted: true } | { error: string };

class MergeError extends Error {}

/** A value kept as an explicit null (kyaml MakePersistentNullNode). */
const KEEP_NULL = Symbol('keep null');
type Value = unknown;

export function strategicMerge(target: Loose, patch: Loose): MergeOutcome {
  const dest = structuredClone(target);
  try {
    const result = walk([dest, structuredClone(patch)], undefined);
    return result === undefined || result === null ? { deleted: true } : { value: dest };
  } catch (e) {
    if (e instanceof MergeError) return { error: e.message };
    throw e;
  }
}

type Sources = [Value, Value];

const missingOrNull = (v: Value): boolean => v === undefined || v === null || v === KEEP_NULL;
const nodeKind = (v: Value): 'map' | 'seq' | 'scalar' => (Array.isArray(v) ? 'seq' : isMapping(v) ? 'map' : 'scalar');
/** A scalar's text as kyaml compares it (the YAML node's Value); mappings, lists and nulls have none. */
const scalarText = (v: Value): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
const isEmptyMap = (v: Value): boolean => isMapping(v) && Object.keys(v).length === 0;

/** Walker.Walk: the node kind of the first source that is there decides how both are merged. */
function walk(sources: Sources, given: MergeSchema | undefined): Value {
  const schema = given ?? schemaOfMeta(sources);
  const present = sources.find((s) => !missingOrNull(s));
  if (present === undefined) return walkMap(sources, schema);
  const kind = nodeKind(present);
  for (const s of sources)
    if (!missingOrNull(s) && nodeKind(s) !== kind) throw new MergeError(`the patch has ${describe(sources[1])} where the object has ${describe(sources[0])}`);
  if (kind === 'map') return walkMap(sources, schema);
  if (kind === 'scalar') return sources[1] !== undefined ? sources[1] : sources[0];
  if (schema?.mergeKeys) return walkAssociative(sources, schema);
  // a list without merge strategy (or without schema): the patch's replaces the object's
  return sources[1] !== undefined ? sources[1] : sources[0];
}

function describe(v: Value): string {
  return Array.isArray(v) ? 'a list' : isMapping(v) ? 'a mapping' : `the value ${JSON.stringify(v)}`;
}

/** Walker.GetSchema: a node without a schema from its parent gets the one of its own apiVersion and kind. */
function schemaOfMeta(sources: Sources): MergeSchema | undefined {
  for (const s of sources) {
    if (!isMapping(s) || typeof s.kind !== 'string' || typeof s.apiVersion !== 'string' || !s.kind || !s.apiVersion) continue;
    const found = schemaForType(s.apiVersion, s.kind);
    if (found) return found;
  }
  return undefined;
}

/** walk/map.go walkMap with merge2 VisitMap: the mapping kept (or cleared, or the patch's), then every field of both, sorted. */
function walkMap(sources: Sources, schema: MergeSchema | undefined): Value {
  const dest = visitMap(sources);
  if (dest === undefined || !isMapping(dest)) return dest;
  const origin = sources[1];
  const names = new Set([...Object.keys(dest), ...(isMapping(origin) ? Object.keys(origin) : [])]);
  for (const name of [...names].sort()) {
    const val = walk([dest[name], isMapping(origin) ? origin[name] : undefined], schema?.fields?.[name]);
    // yaml.FieldSetter: no value or a null clears the field; a kept null stays
    if (val === KEEP_NULL) dest[name] = null;
    else if (val === undefined || val === null) delete dest[name];
    else dest[name] = val;
  }
  return dest;
}

function visitMap([dest, origin]: Sources): Value {
  if (missingOrNull(dest)) {
    // merge2 ignores a bad directive here: the patch's value is added as it is
    const ps = directiveOrUnknown(origin);
    if (ps === 'delete') return undefined;
    if (origin === undefined && dest === null) return KEEP_NULL;
    return origin;
  }
  if (origin === null) return undefined;
  const ps = directive(origin);
  return ps === 'delete' ? undefined : ps === 'replace' ? origin : dest;
}

type Directive = 'merge' | 'replace' | 'delete' | 'unknown';
const DIRECTIVE = '$patch';

function directiveOrUnknown(patch: Value): Directive {
  try {
    return directive(patch);
  } catch (e) {
    if (e instanceof MergeError) return 'unknown';
    throw e;
  }
}

/** smpdirective.go determineSmpDirective: a mapping's `$patch`, or a list's item `{$patch: …}`, elided from the patch once read. */
function directive(patch: Value): Directive {
  if (patch === undefined) return 'merge';
  if (Array.isArray(patch)) return listDirective(patch);
  if (!isMapping(patch)) throw new MergeError(`no strategic merge patch strategy for the value ${JSON.stringify(patch)}`);
  if (!(DIRECTIVE in patch)) return 'merge';
  const v = scalarText(patch[DIRECTIVE]);
  if (v !== 'delete' && v !== 'replace' && v !== 'merge') throw new MergeError(`unknown patch strategy '${v}'`);
  delete patch[DIRECTIVE];
  return v;
}

function listDirective(patch: unknown[]): Directive {
  const item = patch.find((x) => isMapping(x) && DIRECTIVE in x) as Loose | undefined;
  // an item with other keys besides $patch is a directive for that item, not for the list
  if (!item || Object.keys(item).length > 1) return 'merge';
  const v = scalarText(item[DIRECTIVE]);
  if (v !== 'delete' && v !== 'replace' && v !== 'merge') throw new MergeError(`unknown patch strategy '${v}'`);
  elementSetter(patch, { keys: [DIRECTIVE], values: [v] });
  return v;
}

/** merge2 VisitList for a merged list, then walk/associative_sequence.go walkAssociativeSequence. */
function walkAssociative(sources: Sources, schema: MergeSchema): Value {
  const [dest0, origin] = sources;
  let dest: Value;
  if (missingOrNull(dest0)) dest = origin;
  else if (origin === null) return undefined;
  else {
    const ps = directive(origin);
    dest = ps === 'delete' ? undefined : ps === 'replace' ? origin : dest0;
  }
  if (dest === undefined || dest === null) return dest;
  const walked: Sources = [dest, origin];
  const keys = schema.mergeKeys ?? [];
  if (keys.length) return setAssociativeElements(elementValues(walked, keys), keys, walked, schema.items);
  return setAssociativeElements(elementPrimitiveValues(walked), [''], walked, schema.items);
}

/** Each item's values of the keys, the patch's items first (Prepend), each once. */
function elementValues(sources: Sources, keys: readonly string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (!Array.isArray(src)) continue;
    for (const item of src) {
      // RNode.ElementValuesList: a missing, null or empty field counts as ''
      const values = keys.map((k) => (isMapping(item) && !emptyValue(item[k]) ? scalarText(item[k]) : ''));
      const id = JSON.stringify(values);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(values);
    }
  }
  return out;
}

const emptyValue = (v: Value): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length) || (isMapping(v) && !Object.keys(v).length);

function elementPrimitiveValues(sources: Sources): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (!Array.isArray(src)) continue;
    for (const item of src) {
      const v = scalarText(item);
      if (seen.has(v)) continue;
      seen.add(v);
      out.push([v]);
    }
  }
  return out;
}

/** associative_sequence.go setAssociativeSequenceElements: each keyed item merged, deleted or added, then the object's others after. */
function setAssociativeElements(valuesList: string[][], keys: readonly string[], sources: Sources, items: MergeSchema | undefined): Value {
  const dest = sources[0] as unknown[];
  const toAdd: unknown[] = [];
  const list = keys.length > 1 ? mergeValues(valuesList) : valuesList;
  let validKeys: string[] = [];
  for (const values of list) {
    if (!values.length) continue;
    let validValues: string[];
    [validKeys, validValues] = validateKeys(list, values, keys);
    const val = walk(elementValueList(sources, validKeys, validValues), items);
    if (missingOrNull(val) || isEmptyMap(val)) {
      if (validKeys.length) elementSetter(dest, { keys: validKeys, values: validValues });
      continue;
    }
    validKeys.forEach((key, i) => {
      if (validValues[i] === '') return;
      if (isMapping(val) && !(key in val)) val[key] = plainScalar(validValues[i]);
      else if (!isMapping(val)) setScalar(val, key);
    });
    elementSetter(toAdd, { element: val, keys: validKeys, values: validValues });
  }
  const out = list.length ? appendListNode(toAdd, dest, validKeys) : dest;
  return missingOrNull(out) ? undefined : out;
}

/** yaml.FieldSetter with an empty name sets a scalar's value; any name on a scalar is a kind error. */
function setScalar(val: Value, key: string): void {
  if (key !== '' || Array.isArray(val)) throw new MergeError(`a list item ${describe(val)} where a mapping with '${key}' was expected`);
}

/** A key's text set back as a plain YAML scalar (yaml.NewScalarRNode): numbers and booleans read as such. */
function plainScalar(text: string): unknown {
  if (/^-?(0|[1-9]\d*)$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** associative_sequence.go mergeValues: key tuples that agree where both are set become one. */
function mergeValues(valuesList: string[][]): string[][] {
  const out = valuesList.map((v) => [...v]);
  for (let i = 0; i < out.length; i++) {
    const values1 = out[i];
    for (let j = 0; j < out.length; j++) {
      const merged = match(values1, out[j]);
      if (merged) {
        out[i] = merged;
        out[j] = merged;
      }
    }
  }
  return out;
}

function match(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const res: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      res.push(a[i]);
    } else if (a[i] !== '' && b[i] !== '') return undefined;
    else res.push(a[i] !== '' ? a[i] : b[i]);
  }
  return common ? res : undefined;
}

/** associative_sequence.go validateKeys: the keys some item sets, and this item's values of them. */
function validateKeys(valuesList: readonly string[][], values: readonly string[], keys: readonly string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]));
  if (!valid.size) return [[...keys], [...values]];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]))];
}

/** The item of each source with these key values (RNode.ElementList with ElementMatcher). */
function elementValueList(sources: Sources, keys: readonly string[], values: readonly string[]): Sources {
  const [k, v] = validateKeys([values as string[]], values, keys);
  return sources.map((s) => (Array.isArray(s) ? matchElement(s, k, v) : undefined)) as Sources;
}

function matchElement(list: unknown[], keys: readonly string[], values: readonly string[]): Value {
  if (!keys.length || keys[0] === '') return list.find((x) => scalarText(x) === (values[0] ?? ''));
  if (keys.length !== values.length) return undefined;
  return list.find((x) => isMapping(x) && keys.every((k, i) => k in x && scalarText(x[k]) === values[i]));
}

interface Setter {
  readonly element?: Value;
  readonly keys: readonly string[];
  readonly values: readonly string[];
}

/** yaml.ElementSetter, in place: items matching the keys replaced by the element (or removed without one), nulls and empty mappings dropped, the element appended when none matched. */
function elementSetter(list: unknown[], setter: Setter): void {
  const keys = setter.keys.length ? setter.keys : [''];
  const mappingSetter = keys[0] !== '' && setter.values.length > 0 && setter.values[0] !== '';
  const kept: unknown[] = [];
  let found = false;
  for (const item of list) {
    if (missingOrNull(item) || isEmptyMap(item)) continue;
    if (!isMapping(item) && mappingSetter) {
      kept.push(item);
      continue;
    }
    if (!matchesAll(item, keys, setter.values)) {
      if (setter.values.length) kept.push(item);
      continue;
    }
    found = true;
    if (setter.element !== undefined) kept.push(setter.element);
  }
  list.splice(0, list.length, ...kept);
  if (missingOrNull(setter.element)) return;
  if (!found) list.push(setter.element);
}

/** The FieldMatcher chain of ElementSetter: a key with an empty value matches any item having that key. */
function matchesAll(item: Value, keys: readonly string[], values: readonly string[]): boolean {
  let matched = false;
  for (let j = 0; j < keys.length; j++) {
    if (j >= values.length) continue;
    matched = fieldMatches(item, keys[j], values[j]);
    if (!matched) return false;
  }
  return matched;
}

function fieldMatches(item: Value, name: string, value: string): boolean {
  if (name === '') {
    if (isMapping(item) || Array.isArray(item)) throw new MergeError(`a list merged by value holds ${describe(item)}`);
    return scalarText(item) === value;
  }
  if (!isMapping(item)) throw new MergeError(`a list merged by '${name}' holds ${describe(item)}`);
  return name in item && (value === '' || scalarText(item[name]) === value);
}

/** associative_sequence.go appendListNode: the object's items set into the merged ones by their keys, or appended. */
function appendListNode(dst: unknown[], src: unknown[], keys: readonly string[]): unknown[] {
  for (const elem of [...src]) {
    if (keys[0] === '') {
      elementSetter(dst, { element: elem, keys: [''], values: [scalarText(elem)] });
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      if (missingOrNull(elem)) {
        dst.push(elem);
        continue;
      }
      if (!isMapping(elem)) throw new MergeError(`a list merged by '${key}' holds ${describe(elem)}`);
      if (!(key in elem)) {
        dst.push(elem);
        continue;
      }
      v.push(scalarText(elem[key]));
    }
    if (keys.length > 1) elementSetter(dst, { keys, values: v });
    elementSetter(dst, { element: elem, keys, values: v });
  }
  return dst;
}
