import * as YAML from 'yaml';
import { isMapping, Loose } from './access';
import { ManifestReadError } from './loaded';

/**
 * The expanded-size budget of YAML aliases (the yaml library counts nodes an alias expands to): generous for
 * anchors in real manifests, and far below what a "billion laughs" document needs.
 */
export const MAX_ALIAS_EXPANSION = 10_000;

/** A Kubernetes object of a multi-document text, with where it starts. */
export interface ParsedObject {
  readonly index: number;
  readonly line: number;
  readonly manifest: Loose;
}

/** A problem of a text, without the file it is in. */
export type TextProblem = Omit<ManifestReadError, 'file'>;

/** A single YAML document (a kustomization), or the parse error. */
export function parseOne(source: string): { value: unknown } | { error: string } {
  try {
    return { value: YAML.parse(source, { maxAliasCount: MAX_ALIAS_EXPANSION }) };
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
}

/** The Kubernetes objects of a multi-document YAML text (List items expanded), and what could not be read. */
export function parseDocuments(source: string): { objects: ParsedObject[]; problems: TextProblem[] } {
  const objects: ParsedObject[] = [];
  const problems: TextProblem[] = [];
  const lineCounter = new YAML.LineCounter();
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(source, { lineCounter }) as YAML.Document.Parsed[];
  } catch (e) {
    return { objects, problems: [{ message: `is not valid YAML: ${firstLine((e as Error).message)}`, severity: 'error' }] };
  }
  if (!Array.isArray(docs)) docs = [docs];
  docs.forEach((doc, index) => {
    const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
    const line = lineCounter.linePos(start).line;
    // a repeated key leaves the object readable (the last value wins, as in most YAML readers): report it and go on
    const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    for (const e of duplicates) {
      const key = source.slice(e.pos[0]).split(/[:\n]/)[0].trim();
      problems.push({
        message:
          `document ${index + 1}: the key '${key}' appears twice in one mapping; kubectl's strict field validation refuses the object ("duplicate field") and ` +
          'other tools silently keep one of the values: keep one',
        severity: 'error',
        line: e.linePos?.[0]?.line ?? line,
        kind: 'duplicate-key',
      });
    }
    const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
    if (fatal.length && /\{\{[^}]*\}\}/.test(source.slice(doc.range[0], doc.range[2]))) {
      problems.push({
        message: `document ${index + 1} is a template ({{ … }} markers), not a manifest: not read; check the rendered output instead`,
        severity: 'warning',
        line,
      });
      return;
    }
    if (fatal.length) {
      const e = fatal[0];
      problems.push({ message: `document ${index + 1} is not valid YAML: ${firstLine(e.message)}`, severity: 'error', line: e.linePos?.[0]?.line ?? line });
      return;
    }
    let manifest: unknown;
    try {
      manifest = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
    } catch (e) {
      problems.push({
        message: `document ${index + 1}: ${firstLine((e as Error).message)} (YAML aliases expand beyond ${MAX_ALIAS_EXPANSION} nodes): not read`,
        severity: 'error',
        line,
      });
      return;
    }
    objects.push(...objectsOf(manifest, index, line, problems));
  });
  return { objects, problems };
}

/** The Kubernetes objects of one parsed document: itself, or a List's items. */
function objectsOf(manifest: unknown, index: number, line: number, problems: TextProblem[]): ParsedObject[] {
  if (manifest === null || manifest === undefined) return [];
  if (!isMapping(manifest) || typeof manifest.kind !== 'string' || typeof manifest.apiVersion !== 'string') {
    problems.push({ message: `document ${index + 1} is not a Kubernetes object (a mapping with apiVersion and kind): skipped`, severity: 'warning', line });
    return [];
  }
  const items = manifest.kind.endsWith('List') && Array.isArray(manifest.items) ? (manifest.items as unknown[]) : [manifest];
  const out: ParsedObject[] = [];
  for (const item of items) {
    if (!isMapping(item)) {
      problems.push({ message: `document ${index + 1}: a List item is not an object: skipped`, severity: 'warning', line });
      continue;
    }
    out.push({ index, line, manifest: item });
  }
  return out;
}

export function firstLine(message: string): string {
  return message.split('\n')[0];
}
