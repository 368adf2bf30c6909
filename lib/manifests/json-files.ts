import { isMapping } from './access';
import { firstLine, MAX_DOCUMENTS, objectsOf, ParsedObject, TextProblem } from './yaml-documents';

/**
 * A file holding this text anywhere is skipped by Argo CD's directory source (argo-cd
 * reposerver/repository/repository.go `skipFileRenderingMarker`, since v3.1).
 */
export const ARGOCD_SKIP_MARKER = '+argocd:skip-file-rendering';

/** What a .json file read on its own (not through a kustomization) gives. */
export interface JsonFile {
  readonly objects: ParsedObject[];
  readonly problems: TextProblem[];
  /**
   * What the file holds when it is not one Kubernetes object: Argo CD's directory source refuses such a file (argo-cd
   * reposerver/repository/repository.go getObjsFromYAMLOrJSON decodes one object of a `kind` per .json file: "Failed
   * to unmarshal", "Object 'Kind' is missing", "Only single objects are allowed in JSON files"), so the Application
   * never syncs. Undefined when it is one object (a List counts), `null`, or carries the skip marker.
   */
  readonly notManifest?: string;
}

/** Where the JSON string opening at `from` closes, or -1. */
function stringEnd(s: string, from: number): number {
  for (let i = from + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** Where the JSON value starting at `from` ends (exclusive): brackets and strings balanced, a bare word up to a space, bracket or quote. */
function valueEnd(s: string, from: number): number | undefined {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = stringEnd(s, i);
      if (i < 0) return undefined;
      if (depth === 0) return i + 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth <= 0) return depth === 0 ? i + 1 : undefined;
    } else if (depth === 0 && /[\s{["]/.test(s[i + 1] ?? ' ')) return i + 1;
  }
  return undefined;
}

/**
 * The values of a JSON text, with the line each starts at: one for a JSON document, several for a stream of
 * concatenated values (as Go's json.Decoder and kubectl's YAMLOrJSONDecoder read them), none for blank text; or the
 * parse error. JSON.parse first, so that a document costs one linear parse; a stream is split in one pass.
 */
function jsonValues(source: string): { values: { value: unknown; line: number }[] } | { error: string } {
  const first = source.search(/\S/);
  if (first < 0) return { values: [] };
  let refusal: string;
  try {
    return { values: [{ value: JSON.parse(source) as unknown, line: source.slice(0, first).split('\n').length }] };
  } catch (e) {
    refusal = firstLine((e as Error).message);
  }
  const values: { value: unknown; line: number }[] = [];
  let line = 1;
  let counted = 0;
  for (let i = first; i >= 0 && i < source.length;) {
    if (values.length === MAX_DOCUMENTS) return { error: `more than ${MAX_DOCUMENTS} values one after another` };
    const end = valueEnd(source, i);
    if (end === undefined) return { error: refusal };
    line += source.slice(counted, i).split('\n').length - 1;
    counted = i;
    try {
      values.push({ value: JSON.parse(source.slice(i, end)) as unknown, line });
    } catch {
      return { error: refusal };
    }
    const next = source.slice(end).search(/\S/);
    i = next < 0 ? -1 : end + next;
  }
  // one value that JSON.parse refused is not made valid by the split
  return values.length < 2 ? { error: refusal } : { values };
}

/** What a value that is not one Kubernetes object is, in words; undefined for an object of a kind (Argo CD needs no more to read it) or null. */
function notAnObject(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) return 'a JSON array';
  if (!isMapping(value)) return `a JSON ${typeof value}`;
  return typeof value.kind === 'string' && value.kind ? undefined : 'a JSON object without a kind';
}

/**
 * A .json file read on its own: its Kubernetes objects (a List's items, each value of a stream), what is wrong with it,
 * and what it holds when Argo CD's directory source would refuse it. `quiet` (a file met in a folder, not named):
 * a file that does not look like a manifest (neither an "apiVersion" nor a "kind" key in its text: package.json,
 * tsconfig.json with comments, a generator's config) is passed over without a word, as tool configuration beside the
 * manifests; Argo CD's verdict on it is the caller's, from `notManifest`.
 */
export function readJsonFile(source: string, quiet: boolean): JsonFile {
  const marked = source.includes(ARGOCD_SKIP_MARKER);
  const say = !quiet || /"(apiVersion|kind)"\s*:/.test(source);
  const parsed = jsonValues(source);
  if ('error' in parsed)
    return {
      objects: [],
      problems: say ? [{ message: `is not valid JSON: ${parsed.error}`, severity: 'error' }] : [],
      ...(marked ? {} : { notManifest: `text that is not JSON (${parsed.error})` }),
    };
  const objects: ParsedObject[] = [];
  const problems: TextProblem[] = [];
  parsed.values.forEach(({ value, line }, index) => {
    if (Array.isArray(value) && value.some((v) => isMapping(v) && typeof v.kind === 'string'))
      problems.push({
        message:
          'holds a JSON array of objects, which neither kubectl nor Argo CD reads as manifests: not read; a .json manifest is one ' +
          'object, several go in the items of a List ({"apiVersion": "v1", "kind": "List", "items": [...]})',
        severity: 'warning',
        line,
      });
    else objects.push(...objectsOf(value, index, line, problems));
  });
  const values = parsed.values.map((v) => v.value);
  const notManifest =
    values.length === 0 ? 'no JSON value (an empty file)' : values.length > 1 ? `${values.length} JSON values one after another` : notAnObject(values[0]);
  return { objects, problems: say ? problems : [], ...(notManifest && !marked ? { notManifest } : {}) };
}
