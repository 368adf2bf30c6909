import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import type { GraphObject } from './graph-object';
import { GENERATED_FROM_ANNOTATION, TEMPLATE_PATCHED_ANNOTATION } from '../k8s/keys';

/**
 * The Applications an ApplicationSet's list generators produce, so that the delivery rules judge each of them:
 * every `{{.key}}` / `{{ .key }}` (goTemplate) or `{{key}}` (fasttemplate) of the template is replaced by the element's
 * value, dotted keys (`{{values.path}}`) reaching into nested ones. Templates needing functions are skipped, and
 * other generators (git, clusters, matrix) are not expanded: their Applications depend on the cluster or the
 * repository, which the manifests do not show.
 */
export function generatedApplications(set: GraphObject): GraphObject[] {
  const spec = mapping(set.manifest.spec);
  const template = spec.template;
  if (!isMapping(template)) return [];
  const go = spec.goTemplate === true;
  const setId = `ApplicationSet/${text(mapping(set.manifest.metadata).namespace) ?? ''}/${text(mapping(set.manifest.metadata).name) ?? ''}`;
  const out: GraphObject[] = [];
  for (const generator of mappings(spec.generators)) {
    for (const element of mappings(mapping(generator.list).elements)) {
      const rendered = substitute(template, element, go);
      if (rendered === undefined || !isMapping(rendered)) continue;
      const metadata = mapping(rendered.metadata);
      const annotations: Record<string, string> = { ...(mapping(metadata.annotations) as Record<string, string>), [GENERATED_FROM_ANNOTATION]: setId };
      if (text(spec.templatePatch)) annotations[TEMPLATE_PATCHED_ANNOTATION] = 'true';
      out.push({
        ...(set.file !== undefined ? { file: set.file } : {}),
        ...(set.line !== undefined ? { line: set.line } : {}),
        ...(set.kustomizations ? { kustomizations: set.kustomizations } : {}),
        manifest: {
          apiVersion: text(set.manifest.apiVersion) ?? 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { ...metadata, namespace: text(metadata.namespace) ?? text(mapping(set.manifest.metadata).namespace), annotations },
          spec: rendered.spec,
        },
      });
    }
  }
  return out;
}

/** A string at a dotted path of an element (`values.path`), if there is one. */
function valueAt(element: Loose, key: string): string | undefined {
  let cur: unknown = element;
  for (const part of key.split('.')) cur = isMapping(cur) ? cur[part] : undefined;
  return typeof cur === 'string' ? cur : undefined;
}

/** The template with the element's values filled in; undefined when a placeholder cannot be filled. */
function substitute(node: unknown, element: Loose, go: boolean): unknown {
  if (typeof node === 'string') {
    let unresolved = false;
    const filled = node.replace(/\{\{-?\s*(\.?)([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*-?\}\}/g, (whole, dot: string, key: string) => {
      const value = valueAt(element, key);
      if ((go && dot !== '.') || (!go && dot === '.') || value === undefined) {
        unresolved = true;
        return whole;
      }
      return value;
    });
    return unresolved || filled.includes('{{') ? undefined : filled;
  }
  if (Array.isArray(node)) {
    const items = node.map((x) => substitute(x, element, go));
    return items.some((x) => x === undefined) ? undefined : items;
  }
  if (isMapping(node)) {
    const out: Loose = {};
    for (const [k, v] of Object.entries(node)) {
      const s = substitute(v, element, go);
      if (s === undefined) return undefined;
      out[k] = s;
    }
    return out;
  }
  return node;
}

/** The ApplicationSet an Application was expanded from, if it was. */
export function generatedFrom(o: GraphObject): string | undefined {
  return text(mapping(mapping(o.manifest.metadata).annotations)[GENERATED_FROM_ANNOTATION]);
}
