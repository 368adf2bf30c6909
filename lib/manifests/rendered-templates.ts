import * as fs from 'fs';
import * as path from 'path';
import { mapping, text } from './access';
import { codeUnitOrder, readBounded, walkTree } from './files';
import { RenderIndex } from './render-scripts';
import { namespaceFlag, ScriptCreated } from './script-creations';
import { parseDocuments } from './yaml-documents';

/**
 * A manifest template whose name hides its YAML from a folder walk: `sa.yaml.template`, `job.yml.tmpl`,
 * `secret.yaml.tpl`, autoconf's `sa.yaml.in`, or a bare `sa.tmpl`; read only where a script applies its rendering.
 */
const TEMPLATE_MANIFEST = /\.ya?ml\.(?:template|tmpl|tpl|in)$|\.(?:template|tmpl|tpl)$/i;
/** Bounds: a template larger than this is no manifest; a tree this large is searched in part. */
const MAX_TEMPLATE_BYTES = 512 * 1024;
const MAX_TEMPLATES = 500;

/** A name or namespace a renderer fills (`${NAMESPACE}`, `{{ .ns }}`): not known before it runs. */
const FILLED = /\$|\{\{/;

/** A file's status, or undefined when it cannot be read. */
function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** The -n of the kubectl or oc apply (or create) that takes a rendered template's output: the last such command of the pipeline. */
function applyNamespace(command: string): string | undefined {
  const apply = command
    .split('|')
    .filter((part) => /\b(?:kubectl|oc)\b[^|]*\b(?:apply|create)\b/.test(part))
    .pop();
  return apply === undefined ? undefined : namespaceFlag(` ${apply}`, new Map());
}

/**
 * The objects the scripts of a tree make by rendering a template and applying the output as it comes out
 * (`envsubst '${NAMESPACE}' < manifests/sa.yaml.template | oc apply -f -`): the template's objects, as a script's
 * `kubectl create` makes them, in the template's namespace, else the -n of the apply. A namespace the renderer fills
 * is not known here, so the object counts for any namespace; a name it fills is no name. A Secret's keys are those the template writes, when none is filled.
 */
export function renderedTemplateObjects(root: string, index: RenderIndex): ScriptCreated[] {
  if (!index.appliesRenderings) return [];
  const templates = walkTree(root, {
    skipFolder: (name) => name.startsWith('.') || name === 'node_modules',
    keep: (name) => TEMPLATE_MANIFEST.test(name),
    order: codeUnitOrder,
    maxFiles: MAX_TEMPLATES,
  });
  return templates.flatMap((relative) => {
    const file = path.join(root, relative);
    const by = index.appliedRendering(file);
    const st = by ? statOf(file) : undefined;
    const read = st ? readBounded(file, st, MAX_TEMPLATE_BYTES) : undefined;
    if (!by || !read || !('text' in read)) return [];
    return parseDocuments(read.text).objects.flatMap(({ manifest }): ScriptCreated[] => {
      const meta = mapping(manifest.metadata);
      const name = text(meta.name);
      if (typeof manifest.kind !== 'string' || !name || FILLED.test(name)) return [];
      // an object without its own namespace goes where the apply that takes the rendered output puts it (`| oc apply -n demo -f -`)
      const namespace = text(meta.namespace) ?? applyNamespace(by.command);
      const keys = manifest.kind === 'Secret' ? [...Object.keys(mapping(manifest.data)), ...Object.keys(mapping(manifest.stringData))] : [];
      return [
        {
          kind: manifest.kind,
          name,
          ...(namespace && !FILLED.test(namespace) ? { namespace } : {}),
          script: by.script,
          line: by.line,
          command: by.command,
          ...(keys.length && !keys.some((k) => FILLED.test(k)) ? { keys } : {}),
        },
      ];
    });
  });
}
