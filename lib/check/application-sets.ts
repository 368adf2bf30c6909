import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';

import { fillPlaceholders } from '../manifests/appset-templates';
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

/** The ApplicationSet an Application was expanded from, if it was. */
export function generatedFrom(o: GraphObject): string | undefined {
  return text(mapping(mapping(o.manifest.metadata).annotations)[GENERATED_FROM_ANNOTATION]);
}
