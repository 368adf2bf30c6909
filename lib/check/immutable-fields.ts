import { Loose, mapping, mappings, text } from '../manifests/access';
import { fieldSchemaOf } from '../validation/field-schemas';
import { fieldSchemaChoice } from './field-schema-choice';
import { CheckContext } from './rule';

/** A field a CRD makes immutable: its path from the object's root, and the message its rule gives. */
export interface ImmutableField {
  readonly path: readonly string[];
  readonly message: string;
}

/**
 * A transition rule that refuses any change once the field is set: kubernetes apiextensions-apiserver
 * pkg/apiserver/schema/cel evaluates it on update where the old and the new object both hold the field (a rule with
 * a condition, `!has(oldSelf.x) || self == oldSelf`, is not this one).
 */
const UNCONDITIONAL = /^\s*self\s*==\s*oldSelf\s*$/;

/** The immutable fields of a schema, walked through object properties (list items are not compared by position). */
function immutableIn(schema: Loose, at: readonly string[], out: ImmutableField[]): void {
  for (const rule of mappings(schema['x-kubernetes-validations'])) {
    if (UNCONDITIONAL.test(text(rule.rule) ?? '')) out.push({ path: at, message: text(rule.message) ?? 'field is immutable' });
  }
  for (const [name, sub] of Object.entries(mapping(schema.properties))) immutableIn(mapping(sub), [...at, name], out);
}

const cache = new Map<string, readonly ImmutableField[]>();

/**
 * The fields the CRD of an object's apiVersion and kind makes immutable (x-kubernetes-validations `self == oldSelf`:
 * Kueue's LocalQueue spec.clusterQueue, JobSet's spec.network, KubeRay's spec.managedBy, …), read from the schema
 * set that judges the object (Kueue's by the judged release); none for a kind the shipped CRDs do not hold.
 */
export function immutableFields(manifest: Loose, ctx: CheckContext): readonly ImmutableField[] {
  const apiVersion = text(manifest.apiVersion);
  const kind = text(manifest.kind);
  if (!apiVersion || !kind) return [];
  const choice = fieldSchemaChoice(apiVersion, ctx);
  const key = `${apiVersion}/${kind}/${choice.judged}/${choice.byKueue?.sets.join(',') ?? ''}`;
  let found = cache.get(key);
  if (!found) {
    const schema = fieldSchemaOf(apiVersion, kind, choice.judged, choice.byKueue?.sets);
    const out: ImmutableField[] = [];
    if (schema && !schema.source.startsWith('Kubernetes')) immutableIn(schema.schema, [], out);
    found = out;
    cache.set(key, found);
  }
  return found;
}

/** The value at a path, undefined where any step is missing. */
export function valueAt(manifest: Loose, path: readonly string[]): unknown {
  let v: unknown = manifest;
  for (const step of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Loose)[step];
  }
  return v;
}
