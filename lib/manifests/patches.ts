import { groupVersionOf } from '../k8s/api-version';
import { isMapping, Loose, mapping, scalarText, text } from './access';
import { namesOf, originalNamespace, withPreviousId } from './build-ids';
import { strategicMerge } from './strategic-merge';
import { parseOne, parsePatchDocuments } from './yaml-documents';

/**
 * A kustomization's patches (`patches`, `patchesStrategicMerge`, `patchesJson6902`) checked and applied as kustomize
 * v5 applies them (api/filters/patchstrategicmerge, api/filters/patchjson6902 and the PatchTransformer and
 * PatchStrategicMergeTransformer plugins): a strategic-merge patch merged as kyaml's merge2 merges it
 * (./strategic-merge), several in one file applied one after the other, and a JSON 6902 patch's
 * add/remove/replace/move/copy/test on the objects its target names by kind and name.
 */
export interface PatchResult {
  /** The objects, patched where the reader could, with null for one a strategic-merge patch deleted. */
  readonly objects: unknown[];
  /** Patches kustomize refuses: the build fails (rule kustomize-patch-invalid). */
  readonly invalid: string[];
  /**
   * Patches whose object is not in the build as the reader built it: kustomize refuses them too, unless the object
   * comes from a part of the build the reader did not follow (a remote base).
   */
  readonly unmatched: string[];
  /** Patches the reader does not apply (selectors, regular expressions): the build may differ. */
  readonly notApplied: string[];
  /** Patches kustomize applies though they are almost surely wrong (an operation without value sets null). */
  readonly suspicious: string[];
  /**
   * Patches whose target selects no object of the build and names none either: kustomize applies them to nothing,
   * without an error, so they have no effect - perhaps on purpose (a patch kept for an optional component).
   */
  readonly unselected: string[];
  /**
   * Patches whose target selects no object but was meant for one of the build (a version written as group/version,
   * another group, a namespace the object has not yet, a kind in other case): the patch is lost by a mistake. The
   * caller decides how sure that is: a Component's or an unfollowed build's may select elsewhere.
   */
  readonly mistargeted: string[];
}

type Outcome = {
  objects: unknown[];
  invalid: string[];
  unmatched: string[];
  notApplied: string[];
  suspicious: string[];
  unselected: string[];
  mistargeted: string[];
};

/** The operations of RFC 6902 §4, with the members each needs besides `path`. */
const OPS: Record<string, readonly string[]> = { add: ['value'], remove: [], replace: ['value'], move: ['from'], copy: ['from'], test: ['value'] };
/** Operations whose missing value evanphx/json-patch (kustomize's) reads as null instead of refusing. */
const NULL_VALUE_OPS = new Set(['add', 'replace', 'test']);

/** A patch's source text: inline, or the file at `path` read by the caller (undefined when it reported why not). */
export type PatchFileReader = (file: string) => string | undefined;

interface Target {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly group?: string;
  readonly version?: string;
  /** Why the reader cannot select the objects itself (label selectors, name patterns). */
  readonly unselectable?: string;
}

export function applyPatches(k: Loose, objects: readonly unknown[], readFile: PatchFileReader): PatchResult {
  const out: Outcome = { objects: [...objects], invalid: [], unmatched: [], notApplied: [], suspicious: [], unselected: [], mistargeted: [] };
  const entries: { where: string; entry: unknown; kind: 'patches' | 'smp' | 'json6902' }[] = [
    ...list(k.patchesStrategicMerge).map((entry, i) => ({ where: `patchesStrategicMerge[${i}]`, entry, kind: 'smp' as const })),
    ...list(k.patches).map((entry, i) => ({ where: `patches[${i}]`, entry, kind: 'patches' as const })),
    ...list(k.patchesJson6902).map((entry, i) => ({ where: `patchesJson6902[${i}]`, entry, kind: 'json6902' as const })),
  ];
  for (const { where, entry, kind } of entries) applyEntry(where, entry, kind, out, readFile);
  return out;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

type Kind = 'patches' | 'smp' | 'json6902';
/** Records why kustomize refuses a patch; returns nothing, so that callers can `return invalid(…)`. */
type Invalid = (why: string, unmatched?: 'unmatched') => undefined;

function applyEntry(where: string, entry: unknown, kind: Kind, out: Outcome, readFile: PatchFileReader): void {
  const invalid: Invalid = (why, unmatched) => {
    (unmatched ? out.unmatched : out.invalid).push(`${where} ${why}: kustomize build fails, so nothing of this root deploys`);
    return undefined;
  };
  const found = sourceOf(entry, kind, readFile, invalid);
  if (!found) return;
  if (found.source.trim() === '') return invalid('is empty');
  if (kind === 'json6902') {
    const parsed = parseOne(found.source);
    if ('error' in parsed) return invalid(`is not valid YAML: ${parsed.error}`);
    if (!Array.isArray(parsed.value)) return invalid('is not a JSON 6902 patch (a list of operations)');
    return applyJson6902(where, parsed.value, found.target, out, invalid);
  }
  const parsed = parsePatchDocuments(found.source);
  if ('error' in parsed) return invalid(`is not valid YAML: ${parsed.error}`);
  const docs = parsed.values;
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (kind === 'smp') return invalid('is a list, not a strategic-merge patch (a mapping with apiVersion, kind and metadata.name)');
    return applyJson6902(where, docs[0], found.target, out, invalid);
  }
  if (!docs.length || !docs.every(isMapping)) return invalid('is neither a strategic-merge patch (a mapping) nor a JSON 6902 patch (a list of operations)');
  // PatchTransformer.transformStrategicMerge: one target for several patches is refused
  if (found.target && docs.length > 1)
    return invalid(
      `holds ${docs.length} strategic-merge patches and sets target ("Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field"); give each its own entry`,
    );
  const options = isMapping(entry) ? mapping(entry.options) : {};
  const allow = { name: options.allowNameChange === true, kind: options.allowKindChange === true };
  docs.forEach((doc, i) => applyStrategicMerge(docs.length > 1 ? `${where} document ${i + 1}` : where, doc, found.target, out, invalid, allow));
}

/** The patch's text and target; undefined when the entry is malformed (reported) or its file unreadable (reported by the reader). */
function sourceOf(entry: unknown, kind: Kind, readFile: PatchFileReader, invalid: Invalid): { source: string; target?: Target } | undefined {
  // patchesStrategicMerge entries are strings: a file path, or the patch itself when it is a YAML text
  if (kind === 'smp') {
    if (typeof entry !== 'string') return invalid('is not a string (a file path or an inline patch)');
    const source = /\n/.test(entry) || /^\s*[{[]/.test(entry) ? entry : readFile(entry);
    return source === undefined ? undefined : { source };
  }
  if (!isMapping(entry)) return invalid('is not a mapping with patch or path (and target)');
  const inline = entry.patch;
  const file = entry.path;
  if (inline !== undefined && inline !== null && file !== undefined && file !== null) return invalid("sets both 'patch' and 'path'; give one");
  let source: string | undefined;
  if (inline === undefined || inline === null) {
    if (typeof file !== 'string' || file === '') return invalid("has neither 'patch' nor 'path'");
    source = readFile(file);
    if (source === undefined) return undefined;
  } else if (typeof inline !== 'string') return invalid("'patch' is not a string (a YAML text)");
  else source = inline;
  if (entry.target === undefined || entry.target === null) return { source };
  if (!isMapping(entry.target)) return invalid("'target' is not a mapping");
  return { source, target: targetOf(entry.target) };
}

function applyJson6902(where: string, ops: unknown[], target: Target | undefined, out: Outcome, invalid: Invalid): void {
  const opsProblem = opsProblems(ops);
  if (opsProblem) return invalid(opsProblem);
  for (const [i, op] of (ops as Loose[]).entries()) {
    if (NULL_VALUE_OPS.has(String(op.op)) && !('value' in op))
      out.suspicious.push(`${where} operation ${i + 1} (${String(op.op)} ${String(op.path)}) has no value: kustomize sets null there; give the value`);
  }
  if (!target) return invalid('is a JSON 6902 patch without a target (kind and name of the objects to patch)');
  if ((ops as Loose[]).some((op) => op.path !== '' && !String(op.path).startsWith('/'))) {
    out.notApplied.push(`${where} has a path that is not a JSON pointer (it starts with /), which kustomize reads loosely: not applied`);
    return;
  }
  applyToTargets(where, target, out, (o) => applyOps(o, ops as Loose[]), invalid);
}

function applyStrategicMerge(where: string, patch: Loose, given: Target | undefined, out: Outcome, invalid: Invalid, allow: Allowed): void {
  let target = given;
  if (!target) {
    const meta = mapping(patch.metadata);
    // the patch's id is read from its nodes' text (kyaml RNode GetKind, GetName): `name: 0` names the object '0'
    const [kind, name] = [scalarText(patch.kind), scalarText(meta.name)];
    if (kind === undefined || name === undefined)
      return invalid('is a strategic-merge patch without kind and metadata.name (or a target): kustomize cannot tell what it patches');
    // kustomize resolves a patch without a target by its own id, group and version included (resid.ResId Equals,
    // Gvk.Equals), to exactly one object, and fails when there is none
    const gv = typeof patch.apiVersion === 'string' ? groupVersionOf(patch.apiVersion) : {};
    const own: Target = { kind, name, namespace: scalarText(meta.namespace), ...gv };
    if (!out.objects.some((o) => matches(o, own))) {
      const otherVersion = out.objects.find((o) => matches(o, { ...own, group: undefined, version: undefined }));
      if (otherVersion)
        return invalid(
          `patches ${own.kind} '${own.name}' as ${String(patch.apiVersion)}, but the build's one is ${String((otherVersion as Loose).apiVersion)}: kustomize matches a patch ` +
            `without a target on group, version, kind and name ("no resource matches strategic merge patch"); write the patch's apiVersion as the object's`,
          'unmatched',
        );
      const other = out.objects.find((o) => matches(o, { ...own, namespace: undefined }));
      if (other)
        return invalid(
          `patches ${own.kind} '${own.name}' in namespace '${own.namespace}', but the build's one is in '${text(mapping((other as Loose).metadata).namespace)}' ` +
            `when the patches run, as a kustomization sets its namespace after its patches ("no resource matches strategic merge patch"); name that namespace in the patch, or none`,
        );
      return invalid(`patches ${own.kind} '${own.name}', which is not in this build ("no resource matches strategic merge patch")`, 'unmatched');
    }
    target = own;
  }
  const targeted = given !== undefined;
  applyToTargets(where, target, out, (o) => mergedInto(o, patch, targeted, allow), invalid);
}

/** Whether a patch entry's options let the patch rename the object or change its kind. */
interface Allowed {
  readonly name: boolean;
  readonly kind: boolean;
}

/**
 * One strategic-merge patch applied to one object as api/resource/resource.go ApplySmPatch does: the whole patch
 * merged (kyaml merge2), then the object's kind, name and namespace set back unless the options allow a change; a
 * patch chosen by target takes the object's apiVersion first (resWrangler.ApplySmPatch: SetGvk). A deleted object
 * is null, which the caller drops.
 */
function mergedInto(o: Loose, patch: Loose, targeted: boolean, allow: Allowed): { value: Loose | null } | { error: string } {
  const meta = mapping(o.metadata);
  const base = allow.name || allow.kind ? (withPreviousId(o) as Loose) : o;
  const r = strategicMerge(base, targeted ? { ...patch, apiVersion: o.apiVersion } : patch);
  if ('error' in r) return r;
  if ('deleted' in r) return { value: null };
  const v = r.value;
  if (!allow.kind) v.kind = o.kind;
  const merged = mapping(v.metadata);
  v.metadata = { ...merged, ...(allow.name ? {} : { name: meta.name }) };
  if (typeof meta.namespace === 'string' && meta.namespace !== '') v.metadata.namespace = meta.namespace;
  else delete v.metadata.namespace;
  return { value: v };
}

function targetOf(t: Loose): Target {
  const name = text(t.name);
  const unselectable =
    t.labelSelector !== undefined || t.annotationSelector !== undefined
      ? 'selects by label or annotation'
      : name !== undefined && /[\\^$.*+?()[\]{}|]/.test(name)
        ? `names '${name}' by a pattern`
        : undefined;
  return { kind: text(t.kind), name, namespace: text(t.namespace), group: text(t.group), version: text(t.version), ...(unselectable ? { unselectable } : {}) };
}

function matches(o: unknown, t: Target): boolean {
  if (!isMapping(o)) return false;
  const meta = mapping(o.metadata);
  const { group, version } = groupVersionOf(o.apiVersion);
  return (
    (t.kind === undefined || o.kind === t.kind) &&
    // kustomize selects by the current or the original name (resWrangler.Select, GetMatchingResourcesByAnyId)
    (t.name === undefined || namesOf(o).includes(t.name)) &&
    // by the current or the original namespace, none being `default` (resWrangler.Select: EffectiveNamespace)
    (t.namespace === undefined || [meta.namespace, originalNamespace(o)].some((ns) => (text(ns) || 'default') === t.namespace)) &&
    (t.group === undefined || group === t.group) &&
    (t.version === undefined || version === t.version)
  );
}

function applyToTargets(
  where: string,
  target: Target,
  out: { objects: unknown[]; notApplied: string[]; unselected: string[]; mistargeted: string[] },
  apply: (o: Loose) => { value: Loose | null } | { error: string },
  invalid: Invalid,
): void {
  if (target.unselectable) {
    out.notApplied.push(`${where} ${target.unselectable}, which check does not resolve: not applied`);
    return;
  }
  // PatchTransformer and PatchJson6902Transformer apply the patch to m.Select(target) and say nothing when it is empty
  if (!out.objects.some((o) => matches(o, target))) {
    const { message, meant } = unselectedMessage(where, target, out.objects);
    (meant ? out.mistargeted : out.unselected).push(message);
  }
  out.objects.forEach((o, i) => {
    if (!matches(o, target) || !isMapping(o)) return;
    const r = apply(structuredClone(o));
    if ('error' in r) invalid(`cannot be applied to ${String(o.kind)} '${String(mapping(o.metadata).name)}': ${r.error}`);
    else out.objects[i] = r.value;
  });
}

/** The target as written in a kustomization (`{group: …, version: …, kind: …, name: …}`). */
function describeTarget(t: Target): string {
  const fields = (['group', 'version', 'kind', 'name', 'namespace'] as const).filter((f) => t[f] !== undefined).map((f) => `${f}: ${t[f]}`);
  return `{${fields.join(', ')}}`;
}

/**
 * A target that selects nothing, with the object it was likely meant for: kyaml resid Gvk.IsSelected compares group,
 * version and kind apart, so a version written as group/version (`version: apps/v1`) matches no object; a target
 * whose kind and name fit an object of another group or version, or namespace, names that one. `meant`: the target
 * was written for an object of the build (a mistake), not for something the build does not hold.
 */
function unselectedMessage(where: string, t: Target, objects: readonly unknown[]): { message: string; meant: boolean } {
  const base = `${where} target ${describeTarget(t)} selects no object of this build: kustomize applies the patch to nothing, without an error, so it has no effect`;
  const hint = (o: unknown) => {
    const m = o as Loose;
    const { group, version } = groupVersionOf(m.apiVersion);
    const ns = text(mapping(m.metadata).namespace);
    return `${String(m.kind)} '${String(mapping(m.metadata).name)}'${ns ? ` in namespace '${ns}'` : ''} (group ${group === '' ? "'' (core)" : group}, version ${version})`;
  };
  if (t.version?.includes('/')) {
    const split = groupVersionOf(t.version);
    const meant = objects.find((o) => matches(o, { ...t, ...split }));
    return {
      message:
        `${base}: version '${t.version}' holds a group/version, while kustomize compares group and version apart; ` +
        `write group: ${split.group}, version: ${split.version}${meant ? ` to select ${hint(meant)}` : ''}`,
      meant: true,
    };
  }
  const other = t.namespace !== undefined ? objects.find((o) => matches(o, { ...t, namespace: undefined })) : undefined;
  if (other && !text(mapping((other as Loose).metadata).namespace))
    return {
      message: `${base}; ${hint(other)} has no namespace when the patches run (its file gives none, and a kustomization sets its namespace after its patches): leave namespace out of the target`,
      meant: true,
    };
  const near =
    objects.find((o) => matches(o, { ...t, group: undefined, version: undefined })) ??
    other ??
    objects.find((o) => isMapping(o) && t.kind !== undefined && String(o.kind).toLowerCase() === t.kind.toLowerCase() && matches(o, { ...t, kind: undefined }));
  return near
    ? { message: `${base}; the build's nearest object is ${hint(near)}: make the target name it exactly`, meant: true }
    : { message: `${base}; point it at an object of the build, or remove it`, meant: false };
}

/** Why a JSON 6902 operation list is malformed (RFC 6902 §4), or undefined. */
function opsProblems(ops: unknown[]): string | undefined {
  for (const [i, op] of ops.entries()) {
    if (!isMapping(op)) return `operation ${i + 1} is not a mapping with op and path`;
    if (typeof op.op !== 'string' || !OPS[op.op])
      return `operation ${i + 1} has op ${JSON.stringify(op.op ?? null)}, not one of ${Object.keys(OPS).join(', ')}`;
    if (typeof op.path !== 'string') return `operation ${i + 1} (${op.op}) has no path`;
    for (const member of OPS[op.op]) {
      if (!(member in op) && !NULL_VALUE_OPS.has(op.op)) return `operation ${i + 1} (${op.op} ${op.path}) has no ${member}`;
    }
    if ('from' in op && typeof op.from !== 'string') return `operation ${i + 1} (${op.op}) has a from that is not a JSON pointer`;
  }
  return undefined;
}

/** RFC 6901 tokens of a JSON pointer. */
function tokens(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Parent = { holder: Loose | unknown[]; key: string };

function locate(doc: Loose, pointer: string): Parent | { error: string } {
  const ts = tokens(pointer);
  if (!ts.length) return { error: 'the whole object cannot be patched' };
  let node: unknown = doc;
  for (const t of ts.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(t)] : isMapping(node) ? node[t] : undefined;
    if (node === undefined || node === null || typeof node !== 'object') return { error: `'${pointer}' does not exist (no ${t})` };
  }
  return { holder: node as Loose | unknown[], key: ts[ts.length - 1] };
}

function get(p: Parent): unknown {
  if (Array.isArray(p.holder)) return /^\d+$/.test(p.key) ? p.holder[Number(p.key)] : undefined;
  return Object.prototype.hasOwnProperty.call(p.holder, p.key) ? p.holder[p.key] : undefined;
}

function applyOps(doc: Loose, ops: readonly Loose[]): { value: Loose } | { error: string } {
  for (const op of ops) {
    const at = locate(doc, op.path as string);
    if ('error' in at) return at;
    const exists = get(at) !== undefined;
    // evanphx/json-patch as kustomize runs it: replace of a missing key under an existing parent adds it
    if ((op.op === 'remove' || op.op === 'test') && !exists) return { error: `${op.op} ${op.path}: the path does not exist` };
    let value: unknown = op.value ?? null;
    if (op.op === 'move' || op.op === 'copy') {
      const from = locate(doc, op.from as string);
      // copy from a missing key (under an existing parent) copies null; move from one fails removing it
      if ('error' in from) return { error: `${op.op} from ${op.from}: ${from.error}` };
      const found = get(from);
      if (op.op === 'move' && found === undefined) return { error: `move from ${op.from}: the path does not exist` };
      value = found === undefined ? null : structuredClone(found);
      if (op.op === 'move') remove(from);
    }
    if (op.op === 'test') {
      if (JSON.stringify(get(at)) !== JSON.stringify(value)) return { error: `test ${op.path}: the value differs` };
      continue;
    }
    if (op.op === 'remove') {
      remove(at);
      continue;
    }
    if (Array.isArray(at.holder)) {
      const i = at.key === '-' ? at.holder.length : Number(at.key);
      if (!/^(\d+|-)$/.test(at.key) || i > at.holder.length) return { error: `${op.op} ${op.path}: index out of range` };
      if (op.op === 'replace') at.holder[i] = value;
      else at.holder.splice(i, 0, value);
    } else at.holder[at.key] = value;
  }
  return { value: doc };
}

function remove(p: Parent): void {
  if (Array.isArray(p.holder)) p.holder.splice(Number(p.key), 1);
  else delete p.holder[p.key];
}
