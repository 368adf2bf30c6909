import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/**
 * The OpenShift AI dashboard's annotations that hold a JSON array, and what the dashboard shows when one does not
 * parse: it catches the error and takes an empty list (odh-dashboard frontend spawnerUtils.ts
 * getImageVersionDependencies for the notebook software and packages of an image tag, getCompatibleIdentifiers for
 * the recommended accelerators of an ImageStream or serving runtime).
 */
const JSON_ANNOTATIONS: Readonly<Record<string, string>> = {
  'opendatahub.io/notebook-python-dependencies': "lists no packages for the image version (the workbench image's 'Packages' are empty)",
  'opendatahub.io/notebook-software': "lists no software for the image version (the workbench image's 'Software' is empty)",
  'opendatahub.io/recommended-accelerators': 'recommends no accelerator for it (no accelerator or hardware profile is marked compatible)',
};

/** The annotation maps of the object, each with where it is: its own, its ImageStream tags', a Template's objects'. */
function annotationPlaces(m: Loose): { where: string; annotations: Record<string, string> }[] {
  const own = { where: 'metadata.annotations', annotations: stringMap(mapping(m.metadata).annotations) };
  const tags = mappings(mapping(m.spec).tags).map((t, i) => ({
    where: `spec.tags[${i}] (${text(t.name) ?? '?'}).annotations`,
    annotations: stringMap(t.annotations),
  }));
  const objects =
    m.kind === 'Template'
      ? mappings(m.objects).map((o, i) => ({ where: `objects[${i}].metadata.annotations`, annotations: stringMap(mapping(o.metadata).annotations) }))
      : [];
  return [own, ...tags, ...objects];
}

/** The parse error of a value meant as JSON (it holds a '['), or undefined when it parses or is no JSON at all. */
function jsonError(value: string): string | undefined {
  // the dashboard logs only a value meant to be an array; a value holding template syntax is the renderer's
  if (!value.includes('[') || /\{\{|\$\{/.test(value)) return undefined;
  try {
    JSON.parse(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export const dashboardAnnotationJsonInvalid: Rule = {
  id: 'dashboard-annotation-json-invalid',
  title:
    'an OpenShift AI dashboard annotation that holds JSON (notebook-python-dependencies, notebook-software, recommended-accelerators) does not parse: the dashboard shows an empty list',
  severity: 'warning',
  appliesTo: ['ImageStream', 'ServingRuntime', 'Template'],
  premise:
    "the OpenShift AI dashboard reads opendatahub.io/notebook-python-dependencies and opendatahub.io/notebook-software of an ImageStream tag, and opendatahub.io/recommended-accelerators of an ImageStream or a serving runtime (a Template's too), with JSON.parse; a value meant as a JSON array (it holds '[') that does not parse (a trailing comma, single quotes) is caught and read as an empty list, so the workbench image shows no software or packages, or no accelerator is recommended; a warning, since the image or runtime still works",
  example: 'an ImageStream tag whose `opendatahub.io/notebook-python-dependencies` ends in `{"name":"Transformers","version":"4.44"},]` (a trailing comma)',
  fix: 'write valid JSON (no trailing comma, double quotes): \'[{"name":"PyTorch","version":"2.2"}]\'',
  source:
    'opendatahub-io/odh-dashboard frontend/src/pages/projects/screens/spawner/spawnerUtils.ts getImageVersionDependencies (JSON.parse in a try, [] on error) and getCompatibleIdentifiers ("catch invalid json in metadata", [] on error)',
  scope: 'object',
  check(o) {
    const out: Problem[] = [];
    for (const { where, annotations } of annotationPlaces(o.manifest))
      for (const [key, shows] of Object.entries(JSON_ANNOTATIONS)) {
        const value = annotations[key];
        const error = value === undefined ? undefined : jsonError(value);
        if (error)
          out.push({
            message: `${where} ${key} is not valid JSON (${error}): the dashboard catches the parse error and reads an empty list, so it ${shows}; fix the JSON (a trailing comma, single quotes)`,
          });
      }
    return out;
  },
};
