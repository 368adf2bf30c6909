import { isMapping, Loose } from './access';
import {
  ConfiguredSection,
  ConfiguredSpecs,
  FieldSpec,
  gvkSelected,
  pathSegments,
  Refusal,
  RefusedWalks,
  setAt,
  Slot,
  valueAt,
  walkFieldSpec,
} from './field-specs';

/**
 * What the value a field spec reaches must be for its transformer: the namespace, prefix, suffix, replica count and
 * image transformers set a scalar (filtersutil.SetScalar, imagetag's updater: "expected ScalarNode"), the label and
 * annotation transformers set an entry of a mapping (yaml.FieldSetter: "expected MappingNode").
 */
type Leaf = 'ScalarNode' | 'MappingNode';

const nodeKind = (v: unknown): string => (Array.isArray(v) ? 'SequenceNode' : isMapping(v) ? 'MappingNode' : 'ScalarNode');

function leafRefusal(spec: FieldSpec, slots: readonly Slot[], leaf: Leaf): Refusal | undefined {
  const wrong = slots.map(valueAt).find((v) => nodeKind(v) !== leaf);
  if (wrong === undefined) return undefined;
  return {
    what: `reaches a ${nodeKind(wrong) === 'SequenceNode' ? 'list' : nodeKind(wrong) === 'MappingNode' ? 'mapping' : 'scalar'} at '${spec.path}'`,
    says: `wrong node kind: expected ${leaf} but got ${nodeKind(wrong)}`,
    fix: leaf === 'ScalarNode' ? 'end the path at the string field to set' : 'end the path at the mapping of labels or annotations to add to',
  };
}

/** How one transformer walks its configured field specs: whether it creates a missing path, and what it sets. */
export interface SectionWalk {
  /** The section, for messages (`labels` for a labels entry's own fields). */
  readonly section: string;
  readonly specs: readonly FieldSpec[];
  readonly leaf: Leaf;
  /** Whether the transformer creates what a spec with create lacks (its fieldspec filter has a CreateKind). */
  readonly creates: boolean;
  /** The new value of a reached one. */
  readonly set: (v: unknown) => unknown;
}

/**
 * The field specs `configurations:` files add to kustomize's built-in transformers, walked as each transformer's
 * fieldspec filter walks them (api/filters/fieldspec/fieldspec.go): through every object a spec selects, element by
 * element through lists, creating the path where the spec says create and the transformer creates (a mapping on the
 * way, the value at the end), and setting what the path reaches. A walk kustomize refuses (a '*', a list index, an
 * empty segment, a scalar with path left, the wrong kind of value at the end) fails the whole build.
 */
export class ConfiguredFields {
  private readonly refused = new Map<string, RefusedWalks>();

  constructor(public readonly specs: ConfiguredSpecs) {}

  /** The object with a section's specs applied (a copy where one is selected), refusals kept for refusals(). */
  public walk(m: unknown, w: SectionWalk): unknown {
    if (!isMapping(m)) return m;
    let out: Loose | undefined;
    for (const spec of w.specs) {
      if (!gvkSelected(m, spec)) continue;
      out ??= structuredClone(m);
      const make = () => (w.leaf === 'MappingNode' ? {} : '');
      const { slots, refused } = walkFieldSpec(out, pathSegments(spec.path), w.creates && spec.create === true, make);
      const wrong = refused ?? leafRefusal(spec, slots, w.leaf);
      if (wrong) this.refusedWalks(w.section).add(spec, m, wrong);
      else for (const slot of slots) setAt(slot, w.set(valueAt(slot)));
    }
    return out ?? m;
  }

  /** A section's configured specs, as a walk that sets the scalar reached. */
  public scalars(section: ConfiguredSection, set: (v: unknown) => unknown, creates = true): SectionWalk {
    return { section, specs: this.specs[section], leaf: 'ScalarNode', creates, set };
  }

  public refusals(): string[] {
    return [...this.refused.values()].flatMap((r) => r.messages());
  }

  private refusedWalks(section: string): RefusedWalks {
    const known = this.refused.get(section);
    if (known) return known;
    const made = new RefusedWalks(section);
    this.refused.set(section, made);
    return made;
  }
}
