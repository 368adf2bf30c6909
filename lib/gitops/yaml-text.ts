import { Yaml } from 'cdk8s';
import { derivedText } from '../private/derived-cache';

/**
 * The YAML of each document already written in this process, by its JSON: `npm run synth` renders one app for two
 * platforms and `npm run watch` renders an app again after each change, mostly the same objects each time.
 * Bounded: a long watch session starts over when full.
 */
const written = new Map<string, string>();
const MAX_DOCUMENTS = 10_000;

/**
 * A multi-document YAML text exactly as cdk8s's `Yaml.stringify(...docs)` writes it (each document on its own,
 * joined by `---` lines), reusing the text of a document with the same JSON written before.
 */
export function yamlDocuments(docs: readonly unknown[]): string {
  const keys = docs.map(jsonKey);
  const write = () => docs.map((doc, i) => yamlOf(doc, keys[i])).join('---\n');
  if (keys.some((k) => k === undefined)) return write();
  // each document's text is a function of its JSON (jsonKey): the file's, of their list (no JSON holds a raw newline),
  // kept between runs with the cdk8s version that writes what plainYaml does not
  return derivedText('yaml', keys.join('\n'), write);
}

function yamlOf(doc: unknown, key: string | undefined): string {
  if (key === undefined) return Yaml.stringify(doc);
  let text = written.get(key);
  if (text === undefined) {
    text = plainYaml(doc) ?? Yaml.stringify(doc);
    if (written.size >= MAX_DOCUMENTS) written.clear();
    written.set(key, text);
  }
  return text;
}

/**
 * The JSON of a document when it determines the YAML: plain objects, arrays, strings, booleans, null and finite
 * numbers other than -0. Anything JSON would drop or write alike where YAML may differ (undefined, NaN, -0, a Date,
 * a class instance) gives undefined, and the document is written afresh.
 */
function jsonKey(doc: unknown): string | undefined {
  let plain = true;
  const json = JSON.stringify(doc, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    switch (typeof original) {
      case 'string':
      case 'boolean':
        break;
      case 'number':
        if (!Number.isFinite(original) || Object.is(original, -0)) plain = false;
        break;
      case 'object':
        if (original !== null && !Array.isArray(original)) {
          const proto = Object.getPrototypeOf(original) as unknown;
          if (proto !== Object.prototype) plain = false;
        }
        break;
      default:
        plain = false;
    }
    return value;
  });
  return plain && typeof json === 'string' ? json : undefined;
}

/*
 * A writer of the JSON-shaped documents synth renders, giving byte for byte what cdk8s's `Yaml.stringify` gives
 * (the `yaml` package 2.x with `{ keepUndefined: true, lineWidth: 0, version: '1.1' }`) at a fraction of its cost: it
 * writes the text directly instead of building and walking a YAML node tree. It follows the package's block styles
 * (src/stringify/stringifyCollection.ts, stringifyPair.ts: two-space indent, sequences indented under their key,
 * `{}` and `[]` for empty collections) and its choice of scalar style (src/stringify/stringifyString.ts plainString,
 * quotedString, blockString; src/schema/yaml-1.1: the tags whose `test` would read a plain scalar back as something
 * other than a string). What it does not cover — a document that is not a plain object, undefined, NaN, -0, a
 * control character, a key longer than 1024 characters or written on several lines, a multi-line value ending in
 * blanks, text starting like a document marker — gives undefined, and the document is written by `Yaml.stringify`.
 */

/** Not written as `yaml` 2.x writes it here: the document goes to `Yaml.stringify`. */
class NotPlain extends Error {}

/**
 * Tests of the default YAML 1.1 tags other than str (`yaml` src/schema/yaml-1.1/*.ts, src/schema/common/null.ts); the
 * merge key `<<` is not among them, as the package does not enable merge keys by default.
 */
const YAML_11_TAG_TESTS: readonly RegExp[] = [
  /^(?:~|[Nn]ull|NULL)?$/, // null
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, // bool true
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, // bool false
  /^[-+]?0b[0-1_]+$/, // int, binary
  /^[-+]?0[0-7_]+$/, // int, octal
  /^[-+]?[0-9][0-9_]*$/, // int
  /^[-+]?0x[0-9a-fA-F_]+$/, // int, hexadecimal
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, // float, special
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, // float, exponent
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, // float
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/, // int, base 60
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/, // float, base 60
  // timestamp
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
];
/** What a plain scalar may not hold (plainString's test): an indicator first, `: `, ` #`, blanks at an end. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Characters that force double quotes with escapes (stringifyString); not covered here. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const FORCES_ESCAPES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const INDENT_STEP = '  ';

/** The YAML of `doc` as `Yaml.stringify(doc)` writes it, or undefined when this writer does not cover it. */
export function plainYaml(doc: unknown): string | undefined {
  if (!isPlainObject(doc)) return undefined;
  try {
    return `${collection(doc, '')}\n`;
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A map or sequence whose lines are at `indent`; an empty one is `{}` or `[]`. */
function collection(value: Record<string, unknown> | unknown[], indent: string): string {
  const inner = indent + INDENT_STEP;
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      lines.push(`- ${isCollection(item) ? collection(item, inner) : scalar(item, inner)}`);
    }
    return lines.length ? lines.join(`\n${indent}`) : '[]';
  }
  for (const key of Object.keys(value)) {
    const item = value[key];
    const k = `${keyText(key, indent)}:`;
    if (!isCollection(item)) lines.push(`${k} ${scalar(item, inner)}`);
    else if (isEmpty(item)) lines.push(`${k} ${collection(item, inner)}`);
    else lines.push(`${k}\n${inner}${collection(item, inner)}`);
  }
  return lines.length ? lines.join(`\n${indent}`) : '{}';
}

function isCollection(v: unknown): v is Record<string, unknown> | unknown[] {
  if (Array.isArray(v)) return true;
  if (typeof v === 'object' && v !== null && !isPlainObject(v)) throw new NotPlain();
  return v !== null && typeof v === 'object';
}

function isEmpty(v: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

/** A map key (stringifyPair: an implicit key, at most 1024 characters, never on several lines). */
function keyText(key: string, indent: string): string {
  if (key.includes('\n') || FORCES_ESCAPES.test(key) || (indent === '' && DOCUMENT_MARKER.test(key))) throw new NotPlain();
  const text = NOT_PLAIN.test(key) || YAML_11_TAG_TESTS.some((t) => t.test(key)) ? quoted(key) : key;
  if (text.length > 1024) throw new NotPlain();
  return text;
}

/** A scalar value whose continuation lines (a block scalar's) are at `indent`. */
function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string':
      return stringText(value, indent);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // intStringify / stringifyNumber: what String() writes, but for -0 ("0") and NaN, ±Infinity (.nan, .inf)
      if (!Number.isFinite(value) || Object.is(value, -0)) throw new NotPlain();
      return String(value);
    case 'object':
      if (value === null) return 'null';
  }
  throw new NotPlain();
}

function stringText(value: string, indent: string): string {
  if (FORCES_ESCAPES.test(value)) throw new NotPlain();
  if (value.includes('\n')) return blockLiteral(value, indent);
  if (NOT_PLAIN.test(value) || YAML_11_TAG_TESTS.some((t) => t.test(value))) return quoted(value);
  return value;
}

/** quotedString for one line: single quotes when the text has a double quote and no single one, else JSON's. */
function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

/** Finds the newlines blockString indents at a block's end: a run not at the very end nor followed by another. */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** blockString for a literal block (with lineWidth 0 every block is literal), the content at `indent`. */
function blockLiteral(text: string, indent: string): string {
  // a block cannot end in blanks unless its last line has text: the package writes such a value quoted
  if (/\n[\t ]+$/.test(text)) throw new NotPlain();
  let endStart = text.length;
  while (endStart > 0 && '\n\t '.includes(text[endStart - 1])) endStart--;
  let end = text.substring(endStart);
  const endNl = end.indexOf('\n');
  const chomp = endNl === -1 ? '-' : text === end || endNl !== end.length - 1 ? '+' : '';
  let value = text;
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; startEnd++) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
