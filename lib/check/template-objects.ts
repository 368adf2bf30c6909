import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * A parameter reference of an OpenShift Template: `${NAME}` is replaced by the parameter's value as text, `${{NAME}}`
 * by the value read as JSON (a number, a boolean) where it is the whole field (openshift/library-go
 * pkg/template/templateprocessing/template.go: stringParameterExp `\$\{([a-zA-Z0-9\_]+?)\}` and nonStringParameterExp
 * `\$\{\{([a-zA-Z0-9\_]+)\}\}`).
 */
const STRING_PARAMETER = /\$\{([a-zA-Z0-9_]+?)\}/g;
const NON_STRING_PARAMETER = /^\$\{\{([a-zA-Z0-9_]+)\}\}$/;

/** An object an OpenShift Template holds, as `oc process` renders it with its parameters' own values. */
export interface TemplateObject {
  readonly o: GraphObject;
  /** The Template, as the graph names it (Template/NAMESPACE/NAME). */
  readonly template: string;
  /** The values filled in from parameters: a finding that names one depends on what `oc process -p` is given. */
  readonly filled: readonly string[];
}

/**
 * The values `oc process` fills from the Template's parameters: a parameter's `value`; none for one without a value or
 * with `generate: expression` (its value is made when processed, or must be given with -p): its references stay as
 * written, a placeholder the rules leave unjudged.
 */
function parameterValues(template: Loose): Map<string, string> {
  const values = new Map<string, string>();
  for (const p of mappings(template.parameters)) {
    const name = text(p.name);
    const value = p.value === undefined || p.value === null ? undefined : String(p.value as string | number | boolean);
    if (name && value !== undefined && text(p.generate) === undefined) values.set(name, value);
  }
  return values;
}

/** A value of the object with the parameters it references filled in where they have values; the values used go to `filled`. */
function fill(node: unknown, values: ReadonlyMap<string, string>, filled: Set<string>): unknown {
  if (typeof node === 'string') {
    const whole = NON_STRING_PARAMETER.exec(node);
    if (whole && values.has(whole[1])) {
      const value = values.get(whole[1])!;
      filled.add(value);
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }
    return node.replace(STRING_PARAMETER, (ref, name: string) => {
      const value = values.get(name);
      if (value === undefined) return ref;
      filled.add(value);
      return value;
    });
  }
  if (Array.isArray(node)) return node.map((x) => fill(x, values, filled));
  if (isMapping(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, values, filled)]));
  return node;
}

/**
 * The objects the OpenShift Templates of the tree hold (template.openshift.io/v1 `objects:`), each filled with its
 * parameters' values, in the Template's file: what `oc process` (or the OpenShift AI dashboard, for a serving runtime
 * template) makes of them. They are no objects of the cluster until processed, so no other object finds them.
 */
export function templateObjects(graph: ObjectGraph): TemplateObject[] {
  return graph.once('template-objects', () =>
    graph.ofKind('Template').flatMap((t) => {
      if (!/^template\.openshift\.io\//.test(text(t.manifest.apiVersion) ?? '') && t.manifest.apiVersion !== 'v1') return [];
      const values = parameterValues(t.manifest);
      const namespace = text(mapping(t.manifest.metadata).namespace);
      return mappings(t.manifest.objects).map((object) => {
        const filled = new Set<string>();
        const manifest = fill(object, values, filled) as Loose;
        // an object without a namespace goes where the Template is processed: the Template's own, by default
        const meta = mapping(manifest.metadata);
        const placed = namespace && meta.namespace === undefined ? { ...manifest, metadata: { ...meta, namespace } } : manifest;
        return {
          o: { manifest: placed, ...(t.file ? { file: t.file } : {}), ...(t.line ? { line: t.line } : {}), fromTemplate: graph.id(t) },
          template: graph.id(t),
          filled: [...filled].filter((v) => v.length > 0),
        };
      });
    }),
  );
}
