import { isMapping, Loose } from './access';
import { renderFuncs } from '../helm/funcs';
import { Exec, TemplateFunc } from '../helm/template-exec';
import { parseTemplate } from '../helm/template-parse';

/*
 * The placeholders of an Argo CD ApplicationSet template and how a generator's parameter set fills them: what the
 * reader needs to know which charts the generated Applications deliver (chart-deliveries), and what the checks use to
 * make those Applications (check/application-sets).
 */

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

/**
 * A goTemplate text run as Go's text/template runs it, with Sprig's functions (argo-cd applicationset/utils/utils.go
 * Render.Replace: template.New("base").Funcs(sprig.GenericFuncMap()), Execute on the parameters): what a template
 * needing more than a key (`{{ index .path.segments 1 }}`, `{{ .path.basename | upper }}`) makes. Undefined where it
 * does not run, or reads a key the element lacks (`<no value>`, which Argo CD would write into the Application).
 */
function goRendered(node: string, element: Loose): string | undefined {
  try {
    const parsed = parseTemplate(node, 'appset');
    const funcs = new Map<string, TemplateFunc>();
    const exec = new Exec(new Map([['appset', parsed.root], ...parsed.defines]), funcs);
    for (const [k, fn] of renderFuncs(exec)) funcs.set(k, fn);
    const out = exec.run(parsed.root, element, 'appset');
    return out.includes('<no value>') ? undefined : out;
  } catch {
    return undefined;
  }
}

/** The template with the element's values filled in; undefined when a placeholder cannot be filled. */
export function fillPlaceholders(node: unknown, element: Loose, go: boolean): unknown {
  if (typeof node === 'string') {
    const { text: filled, unresolved } = replacePlaceholders(node, element, go);
    if (!unresolved && !filled.includes('{{')) return filled;
    return go ? goRendered(node, element) : undefined;
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
