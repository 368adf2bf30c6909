import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { coreSchemas } from '../validation/field-schemas';
import { MissingField, missingFields } from '../validation/required-fields';
import { UnknownField, unknownFields } from '../validation/unknown-fields';
import { ValueProblem, valueProblems } from '../validation/value-problems';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** A custom resource's values the CustomResourceDefinition of the input refuses, with how messages name that CRD. */
export interface TreeCrdVerdict {
  /** `CRD queues.scheduling.run.ai`. */
  readonly source: string;
  /** The CRD object, to name where it is written. */
  readonly crd: GraphObject;
  readonly problems: readonly ValueProblem[];
}

/**
 * The openAPIV3Schema a CustomResourceDefinition gives one version: its versions[].schema (apiextensions.k8s.io/v1), or
 * the top-level validation of a v1beta1 CRD; undefined for a version it does not serve or a CRD without a schema.
 */
function versionSchema(crd: Loose, version: string): Loose | undefined {
  const spec = mapping(crd.spec);
  const versions = mappings(spec.versions);
  const v = versions.find((x) => text(x.name) === version) ?? (versions.length === 0 && text(spec.version) === version ? {} : undefined);
  if (!v || v.served === false) return undefined;
  const schema = mapping(v.schema).openAPIV3Schema ?? mapping(spec.validation).openAPIV3Schema;
  return isMapping(schema) ? schema : undefined;
}

/**
 * The schema the input's own CRDs give an apiVersion and kind: the one CRD that defines it (several must agree), as the
 * API server judges the objects of a CRD applied with them.
 */
export function treeCrdSchema(graph: ObjectGraph, apiVersion: string, kind: string): { schema: Loose; crd: GraphObject; source: string } | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const [group, version] = [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const found = graph.crdsDefining(group, kind).flatMap((crd) => {
    const schema = versionSchema(crd.manifest, version);
    return schema ? [{ schema, crd }] : [];
  });
  if (found.length === 0 || new Set(found.map((f) => JSON.stringify(f.schema))).size > 1) return undefined;
  const plural = text(mapping(mapping(found[0].crd.manifest.spec).names).plural) ?? kind.toLowerCase();
  return { ...found[0], source: `CRD ${plural}.${group}` };
}

/**
 * What the input's own CRD refuses in a custom resource (valueProblems: pruning, defaults, the schema's types, enums,
 * patterns and bounds, x-kubernetes-int-or-string and preserve-unknown-fields respected, then the CEL rules);
 * undefined where no CRD of the input defines its kind at its version. Computed once per object and run.
 */
export function treeCrdVerdict(o: GraphObject, graph: ObjectGraph): TreeCrdVerdict | undefined {
  return graph.once(`tree-crd-values:${graph.id(o)}:${o.file ?? ''}:${o.line ?? ''}`, () => {
    const { apiVersion, kind } = o.manifest;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
    const found = treeCrdSchema(graph, apiVersion, kind);
    if (!found) return undefined;
    const requiredMissing = () => missingFields(o.manifest, found.schema, {}, false).length > 0;
    return { source: found.source, crd: found.crd, problems: valueProblems(o.manifest, found.schema, requiredMissing) };
  });
}

/** The fields a custom resource has that the input's own CRD lacks, and those it requires that the object lacks. */
export interface TreeCrdFields {
  readonly source: string;
  readonly crd: GraphObject;
  readonly unknown: readonly UnknownField[];
  readonly missing: readonly MissingField[];
}

/**
 * The unknown and missing required fields of a custom resource by the CRD of the input that defines its kind at its
 * version (a CRD of the tree, a chart's crds/ folder, a vendored subchart's): the same walks as the shipped CRDs get
 * (unknownFields: pruning's paths, preserve-unknown-fields kept; missingFields: `required` after defaulting), metadata
 * judged against ObjectMeta. Undefined where no CRD of the input serves the version; computed once per object and run.
 */
export function treeCrdFields(o: GraphObject, graph: ObjectGraph): TreeCrdFields | undefined {
  return graph.once(`tree-crd-fields:${graph.id(o)}:${o.file ?? ''}:${o.line ?? ''}`, () => {
    const { apiVersion, kind } = o.manifest;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
    const found = treeCrdSchema(graph, apiVersion, kind);
    if (!found) return undefined;
    const { definitions } = coreSchemas();
    return {
      source: found.source,
      crd: found.crd,
      unknown: unknownFields(o.manifest, found.schema, definitions),
      missing: missingFields(o.manifest, found.schema, definitions, false),
    };
  });
}
