import type * as YAMLTypes from 'yaml';
import { isMapping, Loose } from './access';
import { LooseIndent, relaxFlowIndentation } from './go-yaml-indent';
import { separateComments } from './go-yaml-comments';
import { ManifestReadError } from './loaded';
import { closest } from '../private/json-config';
import { parsedOnce } from './parse-cache';
import { droppedEnvOf, keepFirstOfRepeatedKeys, mergeRepeatedAnnotations, RepeatedKey, repeatedKeys, repeatVerdict } from './duplicate-keys';
import type { DroppedEnv } from './loaded';
import { encryptedBeyondData, encryptedIdentity } from './sops';
import { zarfImageProblems } from './zarf-images';

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
  /** The comment before the document (the file's head for its first), when there is one. */
  readonly comment?: string;
  /**
   * Variables of a container env list that a repeated `env` key dropped (the last list is the one applied) and that the
   * kept list does not set: by container name, for the rules to say what the container runs without.
   */
  readonly droppedEnv?: readonly DroppedEnv[];
}

/** The most of a document's comment kept: an author's note, not a licence text. */
const MAX_COMMENT = 2000;

/**
 * A problem of a text, without the file it is in; a repeated key (kind duplicate-key) says what kustomize makes of it
 * when it reads the text as a resource: `kustomizeRefusal` when it refuses the file, nothing when it builds it.
 */
export type TextProblem = Omit<ManifestReadError, 'file'> & {
  readonly kustomizeRefusal?: string;
  /** 1-based column of a YAML syntax error, beside its line. */
  readonly column?: number;
};

/**
 * Most documents one text may hold. Real streams hold hundreds (a large operator bundle, a `kubectl get -o yaml`
 * dump); a text of mostly `---` lines is a mistake or an attack, and each document costs a parse.
 */
export const MAX_DOCUMENTS = 10_000;

/**
 * A plain integer with a leading zero is octal to go-yaml v2 and v3 (strconv.ParseInt with base 0, kept from YAML
 * 1.1): `defaultMode: 0755` is 493 to kubectl and kustomize, not the 755 of YAML 1.2's core schema.
 */
const GO_OCTAL = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+]?0[0-7]+$/,
  resolve: (s: string) => (s.startsWith('-') ? -1 : 1) * parseInt(s.replace(/^[-+]/, ''), 8),
};

/**
 * How YAML is read, for manifests and kustomizations alike: YAML 1.2 with `<<` merge keys applied (Kubernetes reads
 * YAML with sigs.k8s.io/yaml → go-yaml v2/v3, which merge them) and go-yaml's octal integers, and aliases capped.
 */
const YAML_OPTIONS = {
  merge: true,
  // a key that is a collection (an unquoted `{{ X }}`) is read as its text; the library's console warning about it
  // would reach the user's terminal, not the findings
  logLevel: 'error',
  maxAliasCount: MAX_ALIAS_EXPANSION,
  customTags: (tags: YAMLTypes.Tags) => [GO_OCTAL, ...tags],
} as const;

/**
 * The YAML library, loaded on the first YAML text: a synth exports this module (through the public API) but reads no
 * YAML, and the library is about 70 modules (cdk8s renders with its own bundled copy).
 */
let yamlLibrary: typeof YAMLTypes | undefined;
export function yamlLib(): typeof YAMLTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  return (yamlLibrary ??= require('yaml') as typeof YAMLTypes);
}

/** A single YAML or JSON document (a kustomization or a patch), read as kustomize reads it, or the parse error. */
export function parseOne(source: string): { value: unknown } | { error: string } {
  const json = asJson(source, false);
  if (json) return json;
  return orRelaxed(source, readOne);
}

function readOne(source: string): { value: unknown } | { error: string } {
  try {
    // kustomize reads its own files with sigs.k8s.io/yaml, where a repeated key is no error and the last value wins
    return { value: yamlLib().parse(source, { ...YAML_OPTIONS, uniqueKeys: false }) };
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
}

/**
 * A kustomization file's value: its first document only, as kustomize reads it (api/types/kustomization.go
 * Unmarshal through sigs.k8s.io/yaml, whose go-yaml decoder stops after the first document), so what follows a `---`
 * is ignored, even text that does not parse; a file whose first document is empty is empty to kustomize.
 */
export function parseFirstDocument(source: string): { value: unknown } | { error: string } {
  const json = asJson(source, false);
  if (json) return json;
  // kept on disk as the documents of manifests are: a check of a tree read before loads no YAML library for its
  // kustomizations (orRelaxed gives a copy, and so does the cache, theirs to change)
  return parsedOnce(source, () => orRelaxed(source, readFirstDocument), 'first-document');
}

function readFirstDocument(source: string): { value: unknown } | { error: string } {
  try {
    const [first] = yamlLib().parseAllDocuments(source, { ...YAML_OPTIONS, uniqueKeys: false });
    if (!first) return { value: null };
    if (first.errors.length) return { error: firstLine(first.errors[0].message) };
    return { value: first.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION }) as unknown };
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
}

/**
 * The documents of a patch text, read as kustomize's resource factory reads a patch file (SliceFromBytes): several
 * documents are several patches, and empty ones are skipped.
 */
export function parsePatchDocuments(source: string): { values: unknown[] } | { error: string } {
  const one = asJson(source, false);
  if (one && 'value' in one) return { values: [one.value] };
  return orRelaxed(source, readPatchDocuments);
}

function readPatchDocuments(source: string): { values: unknown[] } | { error: string } {
  try {
    const docs = yamlLib().parseAllDocuments(source, { ...YAML_OPTIONS, uniqueKeys: false });
    const values: unknown[] = [];
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length) return { error: firstLine(doc.errors[0].message) };
      keepFirstOfRepeatedKeys(yamlLib(), doc);
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION }) as unknown;
      if (value !== null && value !== undefined) values.push(value);
    }
    return { values };
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
}

/**
 * What a parse of a text gives, or, when it fails only because a flow collection or quoted string continues on lines
 * indented too little for YAML 1.2, what it gives on the text re-indented as go-yaml reads it (go-yaml-indent.ts).
 */
function orRelaxed<T extends object>(source: string, parse: (text: string) => T | { error: string }): T | { error: string } {
  let known = parsedTexts.get(parse);
  if (!known) parsedTexts.set(parse, (known = new Map()));
  const hit = known.get(source);
  if (hit !== undefined) return structuredClone(hit) as T | { error: string };
  const result = orRelaxedNow(source, parse);
  if (known.size >= PARSED_TEXTS) known.clear();
  known.set(source, result);
  return structuredClone(result);
}

/**
 * The texts read by each parse of orRelaxed in this process, and what it gave: the checks read the same values again
 * (a ConfigMap's data is read by the credential, Prometheus and scheduler rules, a kustomization at every build of
 * its tree), and a text that is no YAML costs the most, a parse that fails and a second on the relaxed text. Callers
 * get a copy, theirs to change. At most PARSED_TEXTS texts a parse, then the memo starts again.
 */
const parsedTexts = new Map<(text: string) => object, Map<string, object>>();
const PARSED_TEXTS = 2048;

function orRelaxedNow<T extends object>(source: string, parse: (text: string) => T | { error: string }): T | { error: string } {
  const first = parse(source);
  if (!('error' in first)) return first;
  const relaxed = relaxedText(source);
  const second = relaxed ? parse(relaxed.text) : first;
  return 'error' in second ? first : second;
}

/** A construct go-yaml reads and the yaml library refuses: too little indentation, or a comment without a space. */
type Loosened = LooseIndent | { readonly line: number; readonly what: 'comment' };

/**
 * The text re-indented where go-yaml ignores indentation and the yaml library does not, and with a space before a
 * comment that touches its value (go-yaml-comments.ts), if anywhere.
 */
function relaxedText(source: string): { text: string; loose: readonly Loosened[] } | undefined {
  const YAML = yamlLib();
  try {
    const flow = relaxFlowIndentation(source, new YAML.Parser().parse(source));
    const comments = separateComments(flow?.text ?? source, YAML);
    if (!comments) return flow;
    return { text: comments.text, loose: [...(flow?.loose ?? []), ...comments.lines.map((line) => ({ line, what: 'comment' as const }))] };
  } catch {
    return undefined;
  }
}

/**
 * A text that is JSON parsed with JSON.parse, linear in its size (the YAML parser needs seconds and gigabytes for a
 * multi-megabyte JSON document): `{ value }` when it parses, `{ error }` when the file must be JSON and is not, and
 * undefined when the text is not JSON and may be YAML (a flow mapping `{a: b}` starts with a brace too).
 */
function asJson(source: string, mustBeJson: boolean): { value: unknown } | { error: string } | undefined {
  if (!mustBeJson && !/^\s*[[{]/.test(source)) return undefined;
  try {
    return { value: JSON.parse(source) as unknown };
  } catch (e) {
    return mustBeJson ? { error: (e as Error).message } : undefined;
  }
}

/**
 * The Kubernetes objects of a multi-document YAML text (List items expanded), and what could not be read. A text
 * that is JSON (`json`: the file's name ends in .json; otherwise a text starting with `{` or `[` that parses as JSON)
 * is read with JSON.parse. YAML documents are composed one at a time, so that the document cap stops the work.
 */
export function parseDocuments(source: string, json = false): { objects: ParsedObject[]; problems: TextProblem[] } {
  const objects: ParsedObject[] = [];
  const problems: TextProblem[] = [];
  const parsedJson = asJson(source, json);
  if (parsedJson && 'value' in parsedJson) {
    const line = source.slice(0, source.search(/\S|$/)).split('\n').length;
    objects.push(...objectsOf(parsedJson.value, 0, line, problems));
    return { objects, problems };
  }
  if (parsedJson) return { objects, problems: [{ message: `is not valid JSON: ${firstLine(parsedJson.error)}`, severity: 'error' }] };
  return parsedOnce(source, () => yamlObjects(source));
}

/** The objects and problems of a YAML text, read again indented as go-yaml reads it when that reads more of it. */
function yamlObjects(source: string): { objects: ParsedObject[]; problems: TextProblem[] } {
  const strict = parseYaml(source);
  const fatal = (p: TextProblem[]): number => p.filter((x) => x.severity === 'error' && !x.kind).length;
  if (!fatal(strict.problems)) return strict;
  const relaxed = relaxedText(source);
  if (!relaxed) return strict;
  const lenient = parseYaml(relaxed.text);
  if (fatal(lenient.problems) >= fatal(strict.problems)) return strict;
  return { objects: lenient.objects, problems: [...relaxed.loose.map(looseNote), ...lenient.problems] };
}

/**
 * The note for a construct read as go-yaml reads it: kubectl, kustomize and Argo CD apply the file, other YAML 1.2
 * readers (editors, linters, Python's ruamel, JavaScript's yaml) refuse it.
 */
function looseNote(l: Loosened): TextProblem {
  if (l.what === 'comment')
    return {
      message: `line ${l.line}: a comment follows its value with no space before the #: go-yaml (kubectl, kustomize, Argo CD) reads it as a comment, but the file is not strict YAML 1.2 and other YAML readers refuse it; put a space before the #`,
      severity: 'info',
      line: l.line,
    };
  const lines = l.lines.length > 1 ? `lines ${l.lines[0]}-${l.lines[l.lines.length - 1]}` : `line ${l.lines[0]}`;
  return {
    message:
      `line ${l.line}: the ${l.what} continues on ${lines} indented no deeper than its key: go-yaml (kubectl, kustomize, Argo CD) reads it as ` +
      `written, but the file is not strict YAML 1.2 and other YAML readers refuse it; indent ${l.lines.length > 1 ? 'those lines' : 'that line'} past the key`,
    severity: 'info',
    line: l.line,
  };
}

/** The objects and problems of a YAML text, its documents composed one at a time so that the document cap stops the work. */
function parseYaml(source: string): { objects: ParsedObject[]; problems: TextProblem[] } {
  const objects: ParsedObject[] = [];
  const problems: TextProblem[] = [];
  const YAML = yamlLib();
  const lineCounter = new YAML.LineCounter();
  const composer = new YAML.Composer(YAML_OPTIONS);
  let index = 0;
  try {
    for (const doc of composer.compose(new YAML.Parser(lineCounter.addNewLine).parse(source), true)) {
      if (index === MAX_DOCUMENTS) {
        problems.push({ message: `holds more than ${MAX_DOCUMENTS} YAML documents: the rest is not read (split the stream)`, severity: 'error' });
        break;
      }
      readDocument(doc, index++, source, lineCounter, objects, problems);
      problems.push(...zarfImageProblems(doc, index - 1, (offset) => lineCounter.linePos(offset).line));
    }
  } catch (e) {
    problems.push({ message: `is not valid YAML: ${firstLine((e as Error).message)}`, severity: 'error' });
  }
  return { objects, problems: oneUnreadable(problems) };
}

const UNREADABLE_DOCUMENT = /^document (\d+) is not valid YAML/;

/**
 * One finding for the documents of a file that do not parse (a notes file of shell commands named .yaml fails in
 * most of its documents): the first, naming the others, which fail alike.
 */
function oneUnreadable(problems: TextProblem[]): TextProblem[] {
  const unreadable = problems.filter((p) => p.severity === 'error' && UNREADABLE_DOCUMENT.test(p.message));
  if (unreadable.length < 2) return problems;
  const [first, ...others] = unreadable;
  const numbers = others.map((p) => UNREADABLE_DOCUMENT.exec(p.message)![1]);
  const more = `${others.length} more ${others.length > 1 ? 'documents' : 'document'} (${numbers.join(', ')}) ${others.length > 1 ? 'are' : 'is'} not valid YAML either`;
  return problems.filter((p) => !others.includes(p)).map((p) => (p === first ? { ...p, message: `${p.message}; ${more}` } : p));
}

/**
 * What KServe fills into a runtime's (and a service's model) containers: `{{.Name}}`, `{{.Namespace}}`,
 * `{{.Labels.x}}`, `{{.Annotations.x}}` (pkg/controller/v1beta1/inferenceservice/utils, ReplacePlaceholders).
 */
export const KSERVE_FIELD = /^\{\{\s*\.(Name|Namespace|Labels|Annotations)\b[^}]*\}\}$/;

/**
 * Whether a text holds template markers a renderer fills before anything reads it as YAML: `{{ … }}` other than
 * KServe's runtime fields, which KServe fills in the created pod, long after the file was read as a manifest.
 */
export function templateMarkers(text: string): boolean {
  // markers wholly inside a quoted scalar (`- '{{ ChildName .ObjectMeta.Name `-pool` }}'`, a controller's own template
  // in a KServe LLMInferenceService) do not break the YAML: a document that still fails to parse fails for another
  // reason, which no rendering mends
  // (a quote opens a scalar only where one may start: an apostrophe inside a word, `don't`, opens none)
  const unquoted = text.replace(/(^|[\s:[{,-])(?:'(?:[^'\n]|'')*'|"(?:[^"\\\n]|\\.)*")/gm, '$1""');
  return (unquoted.match(/\{\{[^}]*\}\}/g) ?? []).some((m) => !KSERVE_FIELD.test(m));
}

/**
 * A template document's problem (see readDocument): its number, and the YAML error that made it unreadable. A
 * kustomization renders no template (kustomize reads every resource as YAML), so one it lists fails its build.
 */
export const TEMPLATE_DOCUMENT = /^document (\d+) (?:is a template|is not valid YAML, and not for its) .*\(as YAML it fails at line (\d+): (.*)\)$/;

/** What a template document's problem says where its markers are not what breaks it (failsWithoutMarkers). */
export const NOT_THE_MARKERS = 'and not for its {{ … }} markers';

/** A line that is nothing but template markers (`{{- if .x }}`, `{{- include "l" . | nindent 4 }}`): a renderer replaces it whole. */
const MARKER_LINE = /^\s*(\{\{[^}]*\}\}\s*)+$/;

/**
 * Whether a document that does not parse fails for another cause than its markers: with marker-only lines emptied and
 * the other markers replaced by plain text of their length, it still fails at the same line (an indentation error
 * under an alert's `expr:`, not the `{{ $value }}` of its description), which no renderer mends.
 */
function failsWithoutMarkers(text: string, line: number): boolean {
  const blanked = text
    .split('\n')
    .map((l) => (MARKER_LINE.test(l) ? '' : l.replace(/\{\{[^}]*\}\}/g, (m) => 'x'.repeat(m.length))))
    .join('\n');
  const YAML = yamlLib();
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(blanked, { ...YAML_OPTIONS, lineCounter });
  const fatal = (Array.isArray(docs) ? docs : []).flatMap((d) => d.errors.filter((e) => e.code !== 'DUPLICATE_KEY'));
  return fatal.length > 0 && lineCounter.linePos(fatal[0].pos[0]).line === line;
}

/**
 * The message of a document with template markers that does not parse (its first error at line `at.line` of the text,
 * the document starting at line `at.from`): a template someone renders first, or, where it fails there with its
 * markers blanked out too, YAML that no rendering mends (failsWithoutMarkers).
 */
function templateProblem(text: string, index: number, error: string, at: { line: number; from: number }): TextProblem {
  const failure = `(as YAML it fails at line ${at.line}: ${error})`;
  return {
    message: failsWithoutMarkers(text, at.line - at.from + 1)
      ? `document ${index + 1} is not valid YAML, ${NOT_THE_MARKERS}: with them blanked out it fails at the same line, an indentation or structure error that no rendering mends: not read; fix the YAML there ${failure}`
      : `document ${index + 1} is a template ({{ … }} markers), not a manifest: not read; check the rendered output instead ${failure}`,
    severity: 'warning',
  };
}

/** One composed document: its objects, or why it is not read. */
function readDocument(
  doc: YAMLTypes.Document.Parsed,
  index: number,
  source: string,
  lineCounter: YAMLTypes.LineCounter,
  objects: ParsedObject[],
  problems: TextProblem[],
): void {
  const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const line = lineCounter.linePos(start).line;
  const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  const text = source.slice(doc.range[0], doc.range[2]);
  if (fatal.length && templateMarkers(text)) {
    const at = { line: lineCounter.linePos(fatal[0].pos[0]).line, from: lineCounter.linePos(doc.range[0]).line };
    problems.push({ ...templateProblem(text, index, firstLine(fatal[0].message), at), line });
    return;
  }
  if (fatal.length) {
    const at = lineCounter.linePos(fatal[0].pos[0]);
    problems.push({ message: `document ${index + 1} is not valid YAML: ${firstLine(fatal[0].message)}`, severity: 'error', line: at.line, column: at.col });
    return;
  }
  // a repeated key leaves the object readable (the last value wins, as in most YAML readers): report it and go on;
  // in a document that does not parse (above) no object is read, so its repeated keys would only repeat that finding
  const repeated = doc.errors.some((x) => x.code === 'DUPLICATE_KEY') ? repeatedKeys(yamlLib(), doc, lineCounter) : [];
  let manifest: unknown;
  try {
    manifest = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
    // the object as kustomize builds it: a reader that refuses the repeated key reads nothing of it anyway
    if (repeated.length) mergeRepeatedAnnotations(yamlLib(), doc, manifest);
    const repeat = repeatProblem(doc, index, repeated, appliedAsObject(manifest));
    if (repeat) problems.push(repeat);
  } catch (e) {
    // no object is read: its repeats are said as an object's, beside the reason
    const repeat = repeatProblem(doc, index, repeated, true);
    if (repeat) problems.push(repeat);
    const said = firstLine((e as Error).message);
    // an alias with no anchor before it is mostly an unquoted value that begins with * (a masked password: *****)
    const why = /^Unresolved alias/.test(said)
      ? 'a value that begins with * is read as an alias: quote it'
      : `YAML aliases expand beyond ${MAX_ALIAS_EXPANSION} nodes`;
    problems.push({
      message: `document ${index + 1} is not valid YAML: ${said} (${why}): not read`,
      severity: 'error',
      line,
    });
    return;
  }
  const refused = isMapping(manifest) && typeof manifest.kind === 'string' ? collectionKey(doc, source, lineCounter) : undefined;
  if (refused) {
    problems.push({ message: `document ${index + 1} ${refused.message}`, severity: 'error', line: refused.line });
    return;
  }
  const read = objectsOf(manifest, index, line, problems, leadingComment(doc));
  // a repeated env of a document that is one object: what its containers run without
  const dropped = read.length === 1 && read[0].manifest === manifest ? droppedEnvOf(repeated, manifest) : [];
  objects.push(...(dropped.length ? [{ ...read[0], droppedEnv: dropped }] : read));
}

/**
 * The first mapping key of a document that is itself a mapping or a sequence, which the yaml library reads (as its
 * text) and go-yaml refuses: its decoder fails on a key of kind map or slice ("invalid map key", yaml.v2 and yaml.v3
 * decode.go `mapping`), and sigs.k8s.io/yaml (kubectl, the API machinery, Argo CD) and kustomize read manifests with
 * it. The usual cause is an unquoted `{{ X }}` placeholder, a flow mapping whose key is a flow mapping.
 */
function collectionKey(doc: YAMLTypes.Document.Parsed, source: string, lineCounter: YAMLTypes.LineCounter): { message: string; line: number } | undefined {
  const YAML = yamlLib();
  let found: { message: string; line: number } | undefined;
  YAML.visit(doc, {
    Pair(_, pair) {
      const key = pair.key as YAMLTypes.Node | null;
      if (!YAML.isCollection(key) || !key.range) return undefined;
      const written = source.slice(key.range[0], key.range[1]);
      const placeholder = /^\{\{[^{}]*\}\}$/.test(source.slice(key.range[0] - 1, key.range[1] + 1))
        ? source.slice(key.range[0] - 1, key.range[1] + 1)
        : undefined;
      const line = lineCounter.linePos(key.range[0]).line;
      found = {
        line,
        message: placeholder
          ? `is not valid YAML for kubectl and kustomize (line ${line}: the unquoted ${placeholder} is a flow mapping whose key is a mapping, which go-yaml refuses: "invalid map key"): not read; quote the value ("${placeholder}"), or render the file before it is applied`
          : `is not valid YAML for kubectl and kustomize (line ${line}: the key ${written.length > 60 ? `${written.slice(0, 60)}…` : written} is a ${YAML.isMap(key) ? 'mapping' : 'sequence'}, which go-yaml refuses: "invalid map key"): not read; quote the key`,
      };
      return YAML.visit.BREAK;
    },
  });
  return found;
}

/**
 * The comment before a document: the parser hangs it on the document, on its contents, or (with no `---` before it)
 * on the first key of its mapping.
 */
function leadingComment(doc: YAMLTypes.Document.Parsed): string {
  const contents = doc.contents as { commentBefore?: string | null; items?: { key?: { commentBefore?: string | null } }[] } | null;
  return [doc.commentBefore, contents?.commentBefore, contents?.items?.[0]?.key?.commentBefore]
    .filter((c): c is string => typeof c === 'string' && c.trim() !== '')
    .join('\n');
}

/**
 * One finding for a document's repeated keys (duplicate-keys.ts repeatVerdict: what kubectl, Argo CD and kustomize
 * make of them); undefined when it repeats none.
 */
function repeatProblem(doc: YAMLTypes.Document.Parsed, index: number, repeated: readonly RepeatedKey[], asObject: boolean): TextProblem | undefined {
  if (!repeated.length) return undefined;
  return { ...repeatVerdict(yamlLib(), doc, index, repeated, asObject), kind: 'duplicate-key' };
}

/** A document kubectl would send to the API server: a mapping with a string apiVersion and kind. */
function appliedAsObject(manifest: unknown): boolean {
  return isMapping(manifest) && typeof manifest.kind === 'string' && typeof manifest.apiVersion === 'string';
}

/** The problem a document that is no Kubernetes object gives (compose files, Helm values, configuration): its number. */
export const NOT_AN_OBJECT = /^document (\d+) is not a Kubernetes object/;

/** The problem of a document that has a kind but no apiVersion: `document N (a Deployment) has no apiVersion (…): skipped; …`. */
export const NO_API_VERSION = /^(document \d+ \(a [^)]*\) has no apiVersion(?: \(did you mean [^)]*\))?): skipped/;

/**
 * What a document with a kind but no apiVersion is, naming the key that was probably meant (`piVersion:`,
 * `clusterapiVersion:` pasted into the line): kubectl and the API server refuse it ("apiVersion not set").
 */
function noApiVersion(manifest: Loose): string {
  const keys = Object.keys(manifest).filter((k) => k !== 'apiVersion');
  const meant = keys.find((k) => k.toLowerCase().endsWith('apiversion')) ?? keys.find((k) => closest(k, ['apiVersion']) !== undefined);
  return `(a ${String(manifest.kind)}) has no apiVersion${meant ? ` (did you mean apiVersion for ${meant}?)` : ''}`;
}

/**
 * A document with no apiVersion and no metadata whose kind is not written as a Kubernetes kind (those are UpperCamelCase:
 * Deployment, InferenceService) is a program's own configuration (`kind: train` in a benchmark's scenario file), not a
 * manifest missing a key: where a delivery applies it (a kustomization lists it, a directory source reads it) it is still
 * refused, but a folder nothing is shown to apply is not taken to be applied for it.
 */
function programData(manifest: Loose): boolean {
  return manifest.metadata === undefined && !/^[A-Z]/.test(String(manifest.kind));
}

/** What a document that reads as a program's data is told (input-not-followed, a warning wherever it lies). */
const PROGRAM_DATA =
  "with no metadata and a kind not written as a Kubernetes kind (those start with a capital letter), it reads as a program's data, not a manifest: " +
  'kubectl and the API server would refuse it ("apiVersion not set") if a delivery applied it; keep it out of the folders kubectl or Argo CD apply';

/** Why a document without apiVersion is not applied, and the fix. */
export const API_VERSION_REFUSED = 'kubectl and the API server refuse it ("apiVersion not set"); write the key apiVersion';

/**
 * The problem of a document with an apiVersion and `items:` but no kind, a `kubectl get -o yaml` list with its
 * `kind: List` lost: `document N (a list of M items) has no kind: …`, its items read as a List's.
 */
export const KINDLESS_LIST = /^(document \d+ \(a list of \d+ items?\) has no kind): its items are read as a List's/;

/** Why a kind-less list is not applied: kubectl's client-side validation, and kustomize, refuse a document without a kind. */
export const KIND_REFUSED = 'kubectl refuses it ("error validating data: kind not set"), as kustomize does ("missing kind in object"); write kind: List';

/**
 * What is said of a SOPS document whose kind or name is ciphertext: what it is is known only once decrypted (the
 * decryptor before the apply, Flux's or a plugin's, decrypts it whole), so it is not judged.
 */
const SOPS_WHOLE =
  "is SOPS-encrypted with its apiVersion, kind or name among the encrypted values (no encrypted_regex kept them plain): skipped, since what it declares is read only once it is decrypted; encrypting only data and stringData (sops --encrypted-regex '^(data|stringData)$') lets it be checked";

/** What is said of a SOPS document whose ciphertext reaches beyond its data (encryptedBeyondData): where, and what is read of it. */
const sopsBeyondData = (field: string) =>
  `is SOPS-encrypted beyond its data and stringData (${field} is ciphertext): read for its kind, name, namespace and labels, which other objects refer to, but not judged itself, since what it declares is known only once it is decrypted`;

/**
 * Kinds of files that a packaging tool's CLI reads, written with a kind but no apiVersion: not manifests missing a key
 * but the tool's own configuration (zarf src/api/v1alpha1 ZarfPackage: kind ZarfPackageConfig or ZarfInitConfig, read
 * from zarf.yaml by `zarf package create`; uds-cli src/types UDSBundle, read from uds-bundle.yaml by `uds create`).
 */
const TOOL_CONFIG_KINDS: Readonly<Record<string, string>> = {
  ZarfPackageConfig: "the zarf CLI's package configuration (zarf.yaml, read by zarf package create)",
  ZarfInitConfig: "the zarf CLI's init package configuration (zarf.yaml, read by zarf package create)",
  UDSBundle: "the uds CLI's bundle configuration (uds-bundle.yaml, read by uds create)",
};

/** The Kubernetes objects of one parsed document: itself, or a List's items. */
export function objectsOf(manifest: unknown, index: number, line: number, problems: TextProblem[], comment = ''): ParsedObject[] {
  if (manifest === null || manifest === undefined) return [];
  if (isMapping(manifest) && manifest.kind === undefined && typeof manifest.apiVersion === 'string' && Array.isArray(manifest.items)) {
    const n = manifest.items.length;
    problems.push({
      message: `document ${index + 1} (a list of ${n} item${n === 1 ? '' : 's'}) has no kind: its items are read as a List's for the other rules, but ${KIND_REFUSED}`,
      severity: 'warning',
      line,
    });
    return objectsOf({ ...manifest, kind: 'List' }, index, line, problems, comment);
  }
  const toolKind = isMapping(manifest) && manifest.apiVersion === undefined ? String(manifest.kind) : undefined;
  const tool = toolKind !== undefined && Object.hasOwn(TOOL_CONFIG_KINDS, toolKind) ? TOOL_CONFIG_KINDS[toolKind] : undefined;
  if (tool) {
    problems.push({
      message: `document ${index + 1} (a ${toolKind}) is ${tool}, never applied to a cluster: skipped`,
      severity: 'info',
      line,
      kind: 'input-not-followed',
    });
    return [];
  }
  if (isMapping(manifest) && typeof manifest.kind === 'string' && manifest.apiVersion === undefined) {
    problems.push(
      programData(manifest)
        ? { message: `document ${index + 1} ${noApiVersion(manifest)}: skipped; ${PROGRAM_DATA}`, severity: 'warning', line, kind: 'input-not-followed' }
        : { message: `document ${index + 1} ${noApiVersion(manifest)}: skipped; ${API_VERSION_REFUSED}`, severity: 'warning', line },
    );
    return [];
  }
  if (!isMapping(manifest) || typeof manifest.kind !== 'string' || typeof manifest.apiVersion !== 'string') {
    problems.push({ message: `document ${index + 1} is not a Kubernetes object (a mapping with apiVersion and kind): skipped`, severity: 'warning', line });
    return [];
  }
  if (encryptedIdentity(manifest)) {
    problems.push({ message: `document ${index + 1} ${SOPS_WHOLE}`, severity: 'info', line, kind: 'input-not-followed' });
    return [];
  }
  const sealed = encryptedBeyondData(manifest);
  if (sealed !== undefined) problems.push({ message: `document ${index + 1} ${sopsBeyondData(sealed)}`, severity: 'info', line, kind: 'input-not-followed' });
  const items = manifest.kind.endsWith('List') && Array.isArray(manifest.items) ? (manifest.items as unknown[]) : [manifest];
  const out: ParsedObject[] = [];
  for (const item of items) {
    if (!isMapping(item)) {
      problems.push({ message: `document ${index + 1}: a List item is not an object: skipped`, severity: 'warning', line });
      continue;
    }
    out.push({ index, line, manifest: item, ...(comment ? { comment: comment.slice(0, MAX_COMMENT) } : {}) });
  }
  return out;
}

export function firstLine(message: string): string {
  return message.split('\n')[0];
}
