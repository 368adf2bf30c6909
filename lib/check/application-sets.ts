import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import type { GraphObject } from './graph-object';
import { GENERATED_FROM_ANNOTATION, TEMPLATE_PATCHED_ANNOTATION } from '../k8s/keys';

/**
 * The Applications an ApplicationSet's list generators produce, so that the delivery rules judge each of them:
 * every `{{.key}}` / `{{ .key }}` (goTemplate) or `{{key}}` (fasttemplate) of the template is replaced by the element's
 * value, dotted keys (`{{values.path}}`) reaching into nested ones. Templates needing functions are skipped. The
 * other generators (git directories and files, clusters, matrix, merge) need the graph to find the repository and the
 * clusters: appset-git.ts expands those the tree tells.
 */
export function generatedApplications(set: GraphObject): GraphObject[] {
  return applicationsFromParams(
    set,
    mappings(mapping(set.manifest.spec).generators).flatMap((g) => mappings(mapping(g.list).elements)),
  );
}

/** The Applications an ApplicationSet's template makes from parameter sets, one per set whose placeholders all fill. */
export function applicationsFromParams(set: GraphObject, params: readonly Loose[]): GraphObject[] {
  const spec = mapping(set.manifest.spec);
  const template = spec.template;
  if (!isMapping(template)) return [];
  const go = spec.goTemplate === true;
  const setId = `ApplicationSet/${text(mapping(set.manifest.metadata).namespace) ?? ''}/${text(mapping(set.manifest.metadata).name) ?? ''}`;
  const out: GraphObject[] = [];
  for (const element of params) {
    const rendered = fillPlaceholders(template, element, go);
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
  return out;
}

/**
 * A string parameter of an element: a flat key as fasttemplate parameters are named (`path.basename`, `path[1]`),
 * else a dotted path into nested values (`values.path`, goTemplate's `.path.basename`).
 */
function valueAt(element: Loose, key: string): string | undefined {
  if (typeof element[key] === 'string') return element[key];
  let cur: unknown = element;
  for (const part of key.split('.')) cur = isMapping(cur) ? cur[part] : undefined;
  return typeof cur === 'string' ? cur : undefined;
}

/**
 * A text with each placeholder the element fills replaced, and whether any was left: one of the other template
 * language (`{{.key}}` without goTemplate, `{{key}}` with it) or of a key the element lacks. fasttemplate leaves such
 * a placeholder as written (argo-cd applicationset/utils/utils.go Render.Replace).
 */
export function replacePlaceholders(node: string, element: Loose, go: boolean): { text: string; unresolved: boolean } {
  let unresolved = false;
  const filled = node.replace(/\{\{-?\s*(\.?)([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*)\s*-?\}\}/g, (whole, dot: string, key: string) => {
    const value = valueAt(element, key);
    if ((go && dot !== '.') || (!go && dot === '.') || value === undefined) {
      unresolved = true;
      return whole;
    }
    return value;
  });
  return { text: filled, unresolved };
}

/** The template with the element's values filled in; undefined when a placeholder cannot be filled. */
export function fillPlaceholders(node: unknown, element: Loose, go: boolean): unknown {
  if (typeof node === 'string') {
    const { text: filled, unresolved } = replacePlaceholders(node, element, go);
    return unresolved || filled.includes('{{') ? undefined : filled;
  }
  if (Array.isArray(node)) {
    const items = node.map((x) => fillPlaceholders(x, element, go));
    return items.some((x) => x === undefined) ? undefined : items;
  }
  if (isMapping(node)) {
    const out: Loose = {};
    for (const [k, v] of Object.entries(node)) {
      const s = fillPlaceholders(v, element, go);
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
